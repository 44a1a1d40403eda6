"""Documents of a desa: context builders and the registry of which document comes when.

Which document comes at which stage is data (DOCUMENTS). Each document has one context
builder `(snapshot, settings) -> dict`; templates only place values (docs/templates.md).
Rendering, conversion and publishing are documents/render.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core.config import Settings
from pipeline.core.models import DesaSnapshot, Usulan
from pipeline.core.sebutan import Sebutan, sebutan
from pipeline.core.standard import TAHAP_URUTAN, Keputusan, Tahap
from pipeline.core.workspace import Workspace, document_stem
from pipeline.desa.figures import Tally, tally
from pipeline.desa.kompilasi_xlsx import write_kompilasi_xlsx
from pipeline.desa.ordering import _HURUF, _by_priority, kelompok_bidang
from pipeline.documents import formatting as fmt
from pipeline.documents.context import (
    TITIK,
    Penanda,
    _s,
    cari_ketua,
    daftar_hadir_rows,
    hadir,
    kabupaten_words,
    kop,
    pejabat_atau_nama,
    sebutan_context,
    tanda_tangan,
    waktu,
)
from pipeline.documents.render import DocumentJob, DocumentsResult, produce_documents

if TYPE_CHECKING:
    from pipeline.documents.convert import Converter


def _sebutan(snapshot: DesaSnapshot, settings: Settings) -> Sebutan:
    return sebutan(snapshot.desa.level, settings.bidang.kelurahan)


def _kepala_jabatan(snapshot: DesaSnapshot) -> str:
    return sebutan(snapshot.desa.level).kepala


def common_context(snapshot: DesaSnapshot, settings: Settings, kind: str) -> dict[str, Any]:
    """Keys every desa template may use (docs/templates.md)."""
    ident = snapshot.identitas
    level = snapshot.desa.level_word
    kabupaten = settings.kabupaten.nama or snapshot.kabupaten.nama
    tanggal = ident.tanggal_musrenbang
    nip = _s(ident.nip_kepala)
    desa_nama = snapshot.desa.nama
    jenis_kabupaten, nama_kabupaten = kabupaten_words(kabupaten)
    kelurahan = snapshot.desa.level == "kelurahan"
    return {
        **sebutan_context(_sebutan(snapshot, settings)),
        "judul_dokumen": f"{kind} Musrenbang {level} {desa_nama} {snapshot.tahun}",
        "judul_musrenbang": (
            f"MUSYAWARAH PERENCANAAN PEMBANGUNAN {level.upper()} {desa_nama.upper()}"
        ),
        "tahun": snapshot.tahun,
        "tahap": str(snapshot.tahap),
        "jejak": snapshot.jejak,  # `Jejak data <12 hex>` in the footer (ledger/jejak.py)
        # the desa's own address (Alamat of its workbook); the old `[kop] alamat` key, when
        # set, still stands for every document with its telephone
        "kop": kop(
            settings,
            kabupaten,
            snapshot.kecamatan.nama,
            settings.kop.alamat or _s(ident.alamat),
            desa=f"KELURAHAN {desa_nama.upper()}"
            if kelurahan
            else f"PEMERINTAH DESA {desa_nama.upper()}",
            kontak=bool(settings.kop.alamat),
        ),
        "desa": {
            "kode": snapshot.desa.kode,
            "nama": desa_nama,
            "level": level,
            "jabatan_kepala": _kepala_jabatan(snapshot),
        },
        "kecamatan": {"kode": snapshot.kecamatan.kode, "nama": snapshot.kecamatan.nama},
        "kabupaten": {
            "kode": snapshot.kabupaten.kode,
            "nama": kabupaten,
            "jenis": jenis_kabupaten,
            "nama_pendek": nama_kabupaten,
        },
        "tanggal_musrenbang": tanggal,
        "musrenbang": waktu(tanggal, ident.jam_mulai, ident.tempat, ident.alamat, settings),
        "kepala": {
            "nama": _s(ident.nama_kepala, f"({TITIK})"),
            "nip": nip,
            # a lurah is a civil servant: a dotted NIP line when it is not known
            "nip_baris": f"NIP. {nip}" if nip else (f"NIP. {TITIK}" if kelurahan else ""),
        },
        "tempat_tanggal_ttd": f"{desa_nama}, {fmt.tanggal(tanggal) or TITIK}",
    }


def daftar_hadir_context(snapshot: DesaSnapshot, settings: Settings) -> dict[str, Any]:
    ctx = common_context(snapshot, settings, "Daftar Hadir")
    ctx["peserta"] = daftar_hadir_rows(snapshot.peserta)
    ctx["jumlah_peserta_terdaftar"] = len(snapshot.peserta)
    return ctx


def _volume_satuan(volume: Decimal | None, satuan: str | None) -> str:
    return " ".join(x for x in (fmt.angka(volume), _s(satuan)) if x)


def _usulan_row(u: Usulan, no: int) -> dict[str, Any]:
    """One usulan on a document: its agreed volume and cost (the proposed ones, `semula`,
    apart for a revised usulan whose values changed; spec/documents.md)."""
    revised = u.keputusan is Keputusan.REVISI and u.revised_values
    semula_volume = _volume_satuan(u.volume, u.satuan)
    semula_biaya = fmt.rupiah(u.biaya) if u.biaya is not None else ""
    volume_changed = revised and u.agreed_volume != u.volume
    biaya_changed = revised and u.agreed_biaya != u.biaya
    return {
        "no": no,
        "kode": _s(u.kode_usulan),
        "asal": _s(u.asal),
        "bidang": _s(u.bidang),
        "kegiatan": _s(u.kegiatan),
        "lokasi": _s(u.lokasi),
        "volume": fmt.angka(u.agreed_volume),
        "satuan": _s(u.satuan),
        "volume_satuan": _volume_satuan(u.agreed_volume, u.satuan),
        "biaya": u.agreed_biaya or 0,
        "biaya_rupiah": fmt.rupiah(u.agreed_biaya) if u.agreed_biaya is not None else "",
        "direvisi": revised,
        "volume_semula": semula_volume if volume_changed else "",
        "biaya_semula": (u.biaya or 0) if biaya_changed else "",
        "biaya_semula_rupiah": semula_biaya if biaya_changed else "",
        "volume_semula_baris": f"\n(semula {semula_volume})" if volume_changed else "",
        "biaya_semula_baris": f"\n(semula {semula_biaya})" if biaya_changed else "",
        "sumber_dana": _s(u.sumber_dana),
        "prioritas": u.prioritas if u.prioritas is not None and u.diterima else "",
        "keputusan": str(u.keputusan) if u.keputusan else "",
        "catatan": _s(u.catatan),
        "revisi_catatan": (
            f" (revisi: {_s(u.catatan)})"
            if u.keputusan is Keputusan.REVISI and _s(u.catatan)
            else ""
        ),
    }


def _hadir(snapshot: DesaSnapshot) -> dict[str, Any]:
    ident = snapshot.identitas
    return hadir(ident.peserta_l, ident.peserta_p, snapshot.peserta)


def keputusan_context(figures: Tally) -> dict[str, Any]:
    """The agreements of a berita acara: counts (figures and words) and the agreed cost."""
    counts = {
        "jumlah_usulan": figures.jumlah,
        "disepakati": figures.disepakati,
        "diterima": figures.diterima,
        "revisi": figures.revisi,
        "ditolak": figures.ditolak,
        "belum": figures.belum,
    }
    out: dict[str, Any] = {}
    for key, n in counts.items():
        out[key] = n
        out[f"{key}_kata"] = fmt.terbilang(n)
    out.update(
        {
            "biaya": figures.biaya_disepakati,
            "biaya_rupiah": fmt.rupiah(figures.biaya_disepakati),
            "biaya_kata": fmt.terbilang(figures.biaya_disepakati),
            "biaya_semula": figures.biaya_semula,
            "biaya_semula_rupiah": fmt.rupiah(figures.biaya_semula),
            "biaya_ditolak": figures.biaya_ditolak,
            "biaya_ditolak_rupiah": fmt.rupiah(figures.biaya_ditolak),
        }
    )
    return out


def _ketua_lembaga(snapshot: DesaSnapshot) -> dict[str, Any]:
    """The Ketua BPD of a desa (Ketua LPM of a kelurahan): from the Peserta rows."""
    lembaga = sebutan(snapshot.desa.level).lembaga
    return {
        "lembaga": lembaga,
        "jabatan": f"Ketua {lembaga}",
        "nama": cari_ketua(snapshot.peserta, lembaga),
    }


def penandatangan_berita_acara(snapshot: DesaSnapshot) -> list[Penanda]:
    """Who signs a desa Berita Acara, in the order of the page: Pimpinan Rapat, Notulen,
    Ketua BPD (LPM), Wakil Masyarakat, Mengetahui Kepala Desa (Lurah)."""
    ident = snapshot.identitas
    kelurahan = snapshot.desa.level == "kelurahan"
    jabatan = f"{_kepala_jabatan(snapshot)} {snapshot.desa.nama}"
    kepala = _s(ident.nama_kepala) or None
    nip = _s(ident.nip_kepala) or ("" if kelurahan else None)
    ketua = _ketua_lembaga(snapshot)
    return [
        Penanda("Pimpinan Rapat", pejabat_atau_nama(ident.pimpinan_rapat, kepala), tingkat=1),
        Penanda("Notulen", _s(ident.notulen) or None),
        Penanda(ketua["jabatan"], ketua["nama"], tingkat=2),
        Penanda("Wakil Masyarakat", None),
        Penanda(jabatan, kepala, nip, mengetahui=True, tingkat=3),
    ]


def berita_acara_context(snapshot: DesaSnapshot, settings: Settings) -> dict[str, Any]:
    ctx = common_context(snapshot, settings, "Berita Acara")
    ident = snapshot.identitas
    agreed = sorted((u for u in snapshot.usulan if u.diterima), key=_by_priority)
    rejected = [u for u in snapshot.usulan if u.keputusan is Keputusan.DITOLAK]
    figures = tally(snapshot.usulan)
    ctx.update(
        {
            "hadir": _hadir(snapshot),
            "pimpinan_rapat": _s(ident.pimpinan_rapat, f"({TITIK})"),
            "notulen": _s(ident.notulen, f"({TITIK})"),
            "wakil_masyarakat": f"({TITIK}{TITIK})",
            "ketua_lembaga": _ketua_lembaga(snapshot),
            "ttd": tanda_tangan(penandatangan_berita_acara(snapshot))["baris"],
            "keputusan": keputusan_context(figures),
            "disepakati": [_usulan_row(u, i) for i, u in enumerate(agreed, 1)],
            "ditolak": [_usulan_row(u, i) for i, u in enumerate(rejected, 1)],
            "jumlah_disepakati_rupiah": fmt.rupiah(figures.biaya_disepakati),
            "judul_lampiran": (
                f"Berita Acara Musrenbang {snapshot.desa.level_word} {snapshot.desa.nama} "
                f"Kecamatan {snapshot.kecamatan.nama} Tahun Rencana {snapshot.tahun}, "
                f"tanggal {ctx['musrenbang']['tanggal']}"
            ),
            # the heading of every lampiran page
            "lampiran": {
                "judul": (
                    f"Berita Acara Musrenbang {snapshot.desa.level_word} {snapshot.desa.nama} "
                    f"Kecamatan {snapshot.kecamatan.nama} Tahun Rencana {snapshot.tahun}"
                ),
                "nomor": "",
                "tanggal": ctx["musrenbang"]["tanggal"],
            },
        }
    )
    return ctx


def kompilasi_context(snapshot: DesaSnapshot, settings: Settings) -> dict[str, Any]:
    ctx = common_context(snapshot, settings, "Kompilasi Usulan")
    groups = []
    no = 0
    order = _sebutan(snapshot, settings).bidang
    for idx, (bidang, rows) in enumerate(kelompok_bidang(snapshot.usulan, order)):
        items = []
        for u in rows:
            no += 1
            items.append(_usulan_row(u, no))
        sub = tally(rows, bidang)
        groups.append(
            {
                "huruf": _HURUF[idx % len(_HURUF)],
                "bidang": bidang,
                "usulan": items,
                # a group's total adds the agreed cost of its accepted usulan only
                "jumlah": sub.biaya_disepakati,
                "jumlah_rupiah": fmt.rupiah(sub.biaya_disepakati),
                "ringkasan": sub.as_context(),
            }
        )
    figures = tally(snapshot.usulan)
    ctx.update(
        {
            "kelompok": groups,
            "jumlah": figures.as_context(),
            "jumlah_total": figures.biaya_disepakati,
            "jumlah_total_rupiah": fmt.rupiah(figures.biaya_disepakati),
            "ringkasan": figures.ringkasan(),
            "ringkasan_biaya": figures.ringkasan_biaya(),
        }
    )
    return ctx


# ----------------------------------------------------------------------------- registry

ContextBuilder = Callable[[DesaSnapshot, Settings], dict[str, Any]]
XlsxWriter = Callable[[DesaSnapshot, Settings, Path], None]


def _write_kompilasi_xlsx(snapshot: DesaSnapshot, settings: Settings, path: Path) -> None:
    write_kompilasi_xlsx(snapshot, settings, path)


@dataclass(frozen=True)
class DocumentSpec:
    key: str  # "berita-acara"
    kind: str  # the name part of the file stem: "Berita Acara"
    template: str  # file name in templates/
    tahap: tuple[Tahap, ...]  # desa stages at which the document is (re)written
    context: ContextBuilder
    xlsx: XlsxWriter | None = None

    def stem(self, snapshot: DesaSnapshot) -> str:
        return document_stem(self.kind, snapshot.desa, snapshot.tahun)


DOCUMENTS: tuple[DocumentSpec, ...] = (
    DocumentSpec(
        key="daftar-hadir",
        kind="Daftar Hadir",
        template="daftar-hadir-desa.docx",
        tahap=(Tahap.PERSIAPAN, Tahap.PELAKSANAAN, Tahap.VERIFIKASI, Tahap.KIRIM),
        context=daftar_hadir_context,
    ),
    DocumentSpec(
        key="berita-acara",
        kind="Berita Acara",
        template="berita-acara-desa.docx",
        tahap=(Tahap.VERIFIKASI, Tahap.KIRIM),
        context=berita_acara_context,
    ),
    DocumentSpec(
        key="kompilasi",
        kind="Kompilasi Usulan",
        template="kompilasi-usulan-desa.docx",
        tahap=(Tahap.VERIFIKASI, Tahap.KIRIM),
        context=kompilasi_context,
        xlsx=_write_kompilasi_xlsx,
    ),
)


def documents_for(tahap: Tahap) -> list[DocumentSpec]:
    """The documents written for a desa standing at `tahap`."""
    assert tahap in TAHAP_URUTAN
    return [d for d in DOCUMENTS if tahap in d.tahap]


def _desa_job(spec: DocumentSpec, snapshot: DesaSnapshot, settings: Settings) -> DocumentJob:
    def context() -> dict[str, Any]:
        return spec.context(snapshot, settings)

    writer = None
    if spec.xlsx is not None:
        write = spec.xlsx

        def writer(path: Path) -> None:
            write(snapshot, settings, path)

    return DocumentJob(spec.stem(snapshot), spec.template, context, writer)


def produce_desa_documents(
    ws: Workspace,
    settings: Settings,
    snapshot: DesaSnapshot,
    converter: Converter | None,
) -> DocumentsResult:
    """Render, convert, check and publish every document of the snapshot's stage
    into the desa's outbox folder (see produce_documents)."""
    jobs = [_desa_job(spec, snapshot, settings) for spec in documents_for(snapshot.tahap)]
    folder = ws.outbox_desa(snapshot.kecamatan, snapshot.desa, snapshot.tahun)
    return produce_documents(ws, settings, jobs, folder, converter)
