"""Library functions behind the command line: init, workbook, status, unlock.

The CLI only parses arguments and maps results to exit codes; everything here is callable
from tests and from other programs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pipeline.core import atomic
from pipeline.core.config import SETTINGS_FILE, Settings, default_settings_toml, load_settings
from pipeline.core.models import Wilayah
from pipeline.core.standard import Tahap
from pipeline.core.wilayah import (
    KODE_DESA,
    KODE_KABUPATEN,
    KODE_KECAMATAN,
    WilayahError,
    WilayahList,
    load_wilayah,
)
from pipeline.core.workspace import Workspace
from pipeline.ledger.agreed import BELUM_MENGIRIM
from pipeline.ledger.paket import held_package
from pipeline.ledger.store import Ledger, now_iso

if TYPE_CHECKING:
    from pipeline.kabupaten.status import StatusMusrenbang


class UsageError(Exception):
    """A command cannot run as asked (exit code 2); the message is for the operator."""


def require_workspace(root: Path) -> None:
    """Refuse a folder that is not a workspace (no musrenbang.toml): every command but
    `init` works only on what `init` made, so a wrong --root changes nothing."""
    if not (root / SETTINGS_FILE).is_file():
        raise UsageError(
            f"{root} bukan workspace Musrenbang ({SETTINGS_FILE} tidak ada). Siapkan dulu "
            f"dengan 'musrenbang init --root \"{root}\" --wilayah FILE', atau beri --root "
            "(atau MUSRENBANG_ROOT) ke folder workspace yang benar."
        )


def open_workspace(root: Path) -> tuple[Workspace, Settings, WilayahList]:
    require_workspace(root)
    ws = Workspace(root)
    settings = load_settings(root)
    if not ws.wilayah_file.exists():
        raise UsageError(
            f"Workspace {root} belum disiapkan: jalankan 'musrenbang init --wilayah FILE' dulu."
        )
    try:
        wilayah = load_wilayah(ws.wilayah_file)
    except WilayahError as exc:
        raise UsageError(str(exc)) from exc
    return ws, settings, wilayah


def init_workspace(root: Path, wilayah_file: Path | None, kabupaten: str | None) -> Workspace:
    """Create the layout, settings and inbox folders; safe to run again."""
    ws = Workspace(root)
    root.mkdir(parents=True, exist_ok=True)
    settings = load_settings(root)  # an existing file must be valid before we touch anything
    if wilayah_file is not None:
        try:
            full = load_wilayah(wilayah_file)
        except WilayahError as exc:
            raise UsageError(str(exc)) from exc
        kab_kode = kabupaten or _single_kabupaten(full)
        _same_kabupaten(root, settings, kab_kode)
        if (
            not KODE_KABUPATEN.match(kab_kode)
            or full.get(kab_kode) is None
            and not any(w.kode.startswith(kab_kode + ".") for w in full.all_desa())
        ):
            raise UsageError(f"Kabupaten {kab_kode} tidak ada dalam daftar wilayah.")
        wilayah = full.restricted_to(kab_kode)
        atomic.write_text(root / "wilayah.csv", wilayah.to_csv())
    elif ws.wilayah_file.exists():
        wilayah = load_wilayah(ws.wilayah_file)
        kab_kode = kabupaten or _single_kabupaten(wilayah)
        _same_kabupaten(root, settings, kab_kode)
    else:
        raise UsageError("Daftar wilayah belum ada: jalankan 'musrenbang init --wilayah FILE'.")
    kab = wilayah.get(kab_kode) or Wilayah(kode=kab_kode, nama=f"Kabupaten {kab_kode}")
    if not (root / SETTINGS_FILE).exists():
        atomic.write_text(root / SETTINGS_FILE, default_settings_toml(kab.kode, kab.nama))
        settings = load_settings(root)
    for folder in (ws.inbox, ws.outbox, ws.receipts, ws.arsip, ws.runtime, ws.claims):
        folder.mkdir(parents=True, exist_ok=True)
    for kec in wilayah.kecamatan_in(kab.kode):
        ws.make_kecamatan_inbox(kec)
        for desa in wilayah.desa_in(kec.kode):
            ws.make_desa_inbox(kec, desa)
    from pipeline.kecamatan.paket_kirim import init_keys

    Ledger(settings.ledger_url(root)).close()
    init_keys(ws, wilayah.kecamatan_in(kab.kode))
    return ws


def _same_kabupaten(root: Path, settings: Settings, kab_kode: str) -> None:
    """A workspace belongs to one kabupaten: re-running init may not switch it."""
    if (root / SETTINGS_FILE).exists() and settings.kabupaten.kode != kab_kode:
        raise UsageError(
            f"Workspace {root} milik {settings.kabupaten.kode} {settings.kabupaten.nama}; "
            f"init tidak dapat memindahkannya ke kabupaten {kab_kode}. Buat workspace baru "
            "(--root FOLDER_LAIN) untuk kabupaten lain."
        )


def _single_kabupaten(wilayah: WilayahList) -> str:
    kabs = {".".join(w.kode.split(".")[:2]) for w in wilayah.all_desa()}
    if len(kabs) == 1:
        return kabs.pop()
    raise UsageError(
        f"Daftar wilayah memuat {len(kabs)} kabupaten/kota: pilih satu dengan --kabupaten KODE "
        "(contoh: --kabupaten 12.05)."
    )


def issue_desa_workbook(root: Path, kode: str, tahun: int) -> Path:
    return issue_workbooks(root, [kode], tahun)[0]


def issue_all_workbooks(root: Path, tahun: int) -> list[Path]:
    _, settings, wilayah = open_workspace(root)
    kodes = [desa.kode for desa in wilayah.all_desa(settings.kabupaten.kode)]
    return issue_workbooks(root, kodes, tahun)


def issue_workbooks(root: Path, kodes: list[str], tahun: int) -> list[Path]:
    """Each desa's workbook as the ledger knows it: blank with identity at first, later
    with every recorded usulan and its Kode Usulan."""
    ws, settings, wilayah = open_workspace(root)
    for kode in kodes:
        if wilayah.desa(kode) is None:
            raise UsageError(f"Kode desa/kelurahan {kode} tidak ada dalam daftar wilayah.")
    paths = []
    from pipeline.run.route import Stages  # the stages' libraries, only when needed

    with Ledger(settings.ledger_url(root)) as ledger:
        stages = Stages(ws, settings, wilayah, ledger, converter=None)
        for kode in kodes:
            desa = wilayah.desa(kode)
            assert desa is not None
            snap = stages.desa.snapshot(kode, tahun)
            paths.append(
                stages.desa.blank_workbook(desa, tahun)
                if snap is None
                else stages.desa.current_workbook(snap)
            )
    return paths


def issue_kecamatan_workbook(root: Path, kode: str, tahun: int) -> Path:
    """The kecamatan workbook pre-filled with every usulan its desa sent (SOP Sooko step 4)."""
    ws, settings, wilayah = open_workspace(root)
    if not KODE_KECAMATAN.match(kode) or wilayah.get(kode) is None:
        raise UsageError(
            f"Kode kecamatan {kode} tidak ada dalam daftar wilayah (contoh: 12.05.01)."
        )
    from pipeline.run.route import Stages  # the stages' libraries, only when needed

    with Ledger(settings.ledger_url(root)) as ledger:
        stages = Stages(ws, settings, wilayah, ledger, converter=None)
        snap = stages.kecamatan.snapshot(kode, tahun)
        assert snap is not None
        return stages.kecamatan.current_workbook(snap)


@dataclass
class StatusRow:
    kode: str
    nama: str
    kecamatan: str
    tahap: str
    usulan: int | None  # None: belum mengirim
    diterima: int | None
    ditolak: int | None
    belum: int | None
    terlambat: str
    pindaian_kurang: list[str]


def _status(root: Path, tahun: int | None) -> StatusMusrenbang:
    """The figures of `status --json` and the Pemantauan (kabupaten/status.py), read once."""
    from pipeline.kabupaten.status import build_status

    _, settings, wilayah = open_workspace(root)
    now = dt.datetime.now(ZoneInfo(settings.jadwal.zona_waktu))
    with Ledger(settings.ledger_url(root)) as ledger:
        return build_status(settings, wilayah, ledger, now=now, tahun=tahun)


def _rows(status: StatusMusrenbang) -> list[StatusRow]:
    names = {k.kode: k.nama for k in status.kecamatan}
    return [
        StatusRow(
            kode=d.kode,
            nama=d.nama,
            kecamatan=names.get(d.kecamatan, d.kecamatan),
            tahap=d.tahap.value if d.tahap else "-",
            usulan=d.usulan.jumlah if d.usulan else None,
            diterima=d.usulan.diterima if d.usulan else None,
            ditolak=d.usulan.ditolak if d.usulan else None,
            belum=d.usulan.belum_diputuskan if d.usulan else None,
            terlambat="ya" if d.terlambat else "lewat batas" if d.lewat_batas else "",
            pindaian_kurang=d.pindaian_kurang,
        )
        for d in status.desa
    ]


def status_rows(root: Path, tahun: int | None) -> tuple[int | None, list[StatusRow]]:
    """Every desa's row (the kecamatan's own lines: status_text)."""
    status = _status(root, tahun)
    return status.tahun, _rows(status)


def _angka(value: int | None) -> str:
    return "" if value is None else str(value)


def _kecamatan_angka(status: StatusMusrenbang) -> dict[str, str]:
    """Each kecamatan's figures as the status table prints them (those of `status --json`,
    the kabupaten Rekap and, from its Rekap on, the kecamatan's own signed Rekap)."""
    from pipeline.documents.formatting import rupiah

    out = {}
    for k in status.kecamatan:
        if k.usulan is None:
            out[k.kode] = BELUM_MENGIRIM
            continue
        u = k.usulan
        out[k.kode] = (
            f"{u.jumlah} usulan, {u.diterima} diterima, {u.ditolak} ditolak, "
            f"{rupiah(u.biaya_diterima)} disepakati (keputusan {k.keputusan_dari})"
        )
    return out


def status_text(root: Path, tahun: int | None, kecamatan: str | None = None) -> str:
    """The `status` table: every desa (of `kecamatan` only, when given), then each
    kecamatan's stage and figures, all from one reading of the ledger."""
    status = _status(root, tahun)
    rows = _rows(status)
    if kecamatan:
        rows = [r for r in rows if r.kode.startswith(kecamatan + ".")]
    stages = {k.kode: k.tahap.value for k in status.kecamatan if k.tahap is not None}
    lines = [status_table(status.tahun, rows, stages, _kecamatan_angka(status))]
    lines += [f"Peringatan ({p.kode}): {p.pesan}" for p in status.peringatan]  # mixed mode
    return "\n".join(lines)


def status_table(
    tahun: int | None,
    rows: list[StatusRow],
    kecamatan: dict[str, str] | None = None,
    angka: dict[str, str] | None = None,
) -> str:
    head = (
        "Kode",
        "Desa/Kelurahan",
        "Tahap",
        "Usulan",
        "Terima",
        "Tolak",
        "Belum",
        "Terlambat",
        "Pindaian kurang",
    )
    body = [
        (
            r.kode,
            r.nama,
            r.tahap,
            BELUM_MENGIRIM if r.usulan is None else str(r.usulan),
            _angka(r.diterima),
            _angka(r.ditolak),
            _angka(r.belum),
            r.terlambat,
            ", ".join(r.pindaian_kurang) or "-",
        )
        for r in rows
    ]
    widths = [
        max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(head)
    ]

    def fmt(cols: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()

    lines = [
        f"Status Musrenbang tahun {tahun or '-'}",
        fmt(head),
        fmt(tuple("-" * w for w in widths)),
    ]
    lines += [fmt(b) for b in body]
    sent = sum(1 for r in rows if r.tahap == Tahap.KIRIM.value)
    lines.append(f"{len(rows)} desa/kelurahan; {sent} sudah mengirim.")
    # One line per kecamatan: the Musrenbang Kecamatan can start when all its desa sent.
    lines.append("")
    lines.append("Per kecamatan:")
    by_kec: dict[str, list[StatusRow]] = {}
    for r in rows:
        by_kec.setdefault(r.kode.rsplit(".", 1)[0], []).append(r)
    for kec, members in sorted(by_kec.items()):
        done = sum(1 for r in members if r.tahap == Tahap.KIRIM.value)
        late = sum(1 for r in members if r.terlambat)
        stage = (kecamatan or {}).get(kec, "belum mulai")
        lines.append(
            f"  {kec} {members[0].kecamatan}: tahap kecamatan {stage}; {done}/{len(members)} "
            "desa/kelurahan sudah mengirim"
            + (f", {late} terlambat" if late else "")
            + (f"; {angka[kec]}" if angka and kec in angka else "")
        )
    return "\n".join(lines)


def unlock(root: Path, kode: str, tahun: int, alasan: str) -> str:
    ws, settings, wilayah = open_workspace(root)
    if not alasan.strip():
        raise UsageError("Alasan membuka kembali wajib diisi (--alasan).")
    tz = ZoneInfo(settings.jadwal.zona_waktu)
    _refuse_unlock_of_a_package(settings, root, wilayah, kode, tahun)
    if KODE_KECAMATAN.match(kode):
        return _unlock_kecamatan(root, settings, wilayah, kode, tahun, alasan)
    with Ledger(settings.ledger_url(root)) as ledger:
        ry = ledger.region_year(kode, tahun)
        if ry is None:
            raise UsageError(f"Belum ada data {kode} tahun {tahun} di ledger.")
        if ry.stage is not Tahap.KIRIM:
            raise UsageError(
                f"{kode} tahun {tahun} berada di tahap {ry.stage.value}, belum dikirim: "
                "tidak ada yang perlu dibuka."
            )
        at = now_iso(tz)
        with ledger.transaction() as db:
            ledger.set_stage(
                db,
                region=kode,
                year=tahun,
                level=ry.level,
                stage=Tahap.VERIFIKASI,
                at=at,
                input_id=None,
                reason=alasan,
                late=False,
            )
            ledger.audit(
                db,
                "unlock",
                at=at,
                region=kode,
                year=tahun,
                alasan=alasan,
                dari=Tahap.KIRIM.value,
                ke=Tahap.VERIFIKASI.value,
            )
    nama = wilayah.get(kode).nama if wilayah.get(kode) else kode  # type: ignore[union-attr]
    return (
        f"{kode} {nama} tahun {tahun}: Kirim -> Verifikasi (dibuka kembali). "
        f"Alasan dicatat di log audit: {alasan}"
    )


def _refuse_unlock_of_a_package(
    settings: Settings, root: Path, wilayah: WilayahList, kode: str, tahun: int
) -> None:
    """At Bappeda, a kecamatan (or one of its desa) held from its package is the
    kecamatan's signed record: reopening it here would let workbooks and scans change it
    behind the package (whose scans are in the kecamatan's archive, not here). It is
    reopened where it was sent from, and comes back in a newer package."""
    kec = kode if KODE_KECAMATAN.match(kode) else ".".join(kode.split(".")[:3])
    with Ledger(settings.ledger_url(root)) as ledger:
        held = held_package(ledger, kec, tahun)
    if held is None:
        return
    region = wilayah.get(kec)
    nama = f"Kecamatan {region.nama}" if region else kec
    raise UsageError(
        f"{kode} tahun {tahun} dipegang di sini dari paket {nama} (Kirim ke-{held.urutan}, "
        f"{held.dibuat}): paket itulah yang berlaku, jadi tidak dibuka kembali di sini. "
        f"Buka kembali di komputer kecamatan (musrenbang unlock {kode} --tahun {tahun} "
        "--alasan ...); kecamatan lalu mengirim paket baru, yang menggantikan paket ini."
    )


def is_desa_kode(kode: str) -> bool:
    return bool(KODE_DESA.match(kode))


def _unlock_kecamatan(
    root: Path, settings: Settings, wilayah: WilayahList, kode: str, tahun: int, alasan: str
) -> str:
    from pipeline.core.standard import TahapKecamatan
    from pipeline.ledger.kecamatan import KecamatanLedger

    with Ledger(settings.ledger_url(root)) as ledger:
        kl = KecamatanLedger(ledger)
        ky = kl.year(kode, tahun)
        if ky is None or ky.stage is not TahapKecamatan.KIRIM:
            stage = ky.stage.value if ky else "belum ada data"
            raise UsageError(
                f"Kecamatan {kode} tahun {tahun}: {stage}, belum dikirim; tidak ada yang dibuka."
            )
        at = now_iso(ZoneInfo(settings.jadwal.zona_waktu))
        with ledger.transaction() as db:
            kl.set_stage(db, region=kode, year=tahun, stage=TahapKecamatan.REKAP, at=at,
                         input_id=None, reason=alasan)  # fmt: skip
            ledger.audit(db, "unlock", at=at, region=kode, year=tahun, alasan=alasan,
                         dari="Kirim", ke="Rekap")  # fmt: skip
    kec = wilayah.get(kode)
    return (
        f"Kecamatan {kode} {kec.nama if kec else ''} tahun {tahun}: Kirim -> Rekap "
        f"(dibuka kembali). Alasan dicatat di log audit: {alasan}"
    )
