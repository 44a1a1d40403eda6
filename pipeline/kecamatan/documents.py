"""Documents of a kecamatan: Surat Pemberitahuan to each desa, Daftar Hadir, Berita Acara,
Rekap Usulan (docx, pdf, xlsx) and Surat Pengantar (Sooko SOP; spec/documents.md).

The kecamatan counterpart of pipeline/render.py: which document comes at which kecamatan
stage is data (KECAMATAN_DOCUMENTS, plus SURAT_PEMBERITAHUAN, one letter per filled Jadwal
row); each document has a context builder; rendering, template lookup (workspace override),
LibreOffice conversion and the issues `template-rusak` / `pdf-dilewati` are render.py's.

The Surat Pemberitahuan carries the Nomor and Tanggal Surat Pemberitahuan of the Identitas;
while they are empty they print dotted (`....../......`) to be written by hand from the Buku
Agenda Surat Keluar. Signature blocks follow documents/context.tanda_tangan: nobody signs
twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core.config import Settings
from pipeline.core.models import JadwalDesa, KecamatanSnapshot, Wilayah
from pipeline.core.sebutan import sebutan
from pipeline.core.standard import TAHAP_KECAMATAN_URUTAN, Keputusan, TahapKecamatan
from pipeline.core.workspace import Workspace, document_stem
from pipeline.desa.documents import keputusan_context
from pipeline.desa.ordering import _HURUF, _by_priority
from pipeline.documents import formatting as fmt
from pipeline.documents.context import (
    TITIK,
    _s,
    sebutan_context,
    tanda_tangan,
    waktu,
)
from pipeline.documents.render import DocumentJob, DocumentsResult, produce_documents
from pipeline.kecamatan.doc_context import (
    NOMOR_KOSONG,
    _angka_kata,
    _hadir,
    _row,
    common_context,
    daftar_hadir_context,
    penandatangan_berita_acara,
)
from pipeline.kecamatan.rekap_xlsx import write_rekap_xlsx
from pipeline.kecamatan.ringkasan import (
    JENIS_UPT,
    desa_belum_mengirim,
    per_desa,
    ringkasan_bidang,
    ringkasan_desa,
    ringkasan_opd,
    total,
)
from pipeline.ledger.agreed import BELUM_MENGIRIM

if TYPE_CHECKING:
    from pipeline.documents.convert import Converter


def berita_acara_context(snapshot: KecamatanSnapshot, settings: Settings) -> dict[str, Any]:
    ctx = common_context(snapshot, settings, "Berita Acara")
    ident = snapshot.identitas
    agreed = sorted((u for u in snapshot.usulan if u.diterima), key=_by_priority)
    rejected = [u for u in snapshot.usulan if u.keputusan is Keputusan.DITOLAK]
    semua = total(snapshot.usulan)
    groups = [(a, rows) for a, rows in per_desa(snapshot) if rows]
    desa = [(a, rows) for a, rows in groups if a.jenis != JENIS_UPT]
    upt = [(a, rows) for a, rows in groups if a.jenis == JENIS_UPT]
    n_desa_usulan = sum(len(rows) for _, rows in desa)
    n_upt_usulan = sum(len(rows) for _, rows in upt)
    ctx.update(
        {
            "nomor_berita_acara": _s(ident.nomor_berita_acara, NOMOR_KOSONG),
            "hadir": _hadir(snapshot),
            "pimpinan_sidang": _s(ident.pimpinan_sidang, f"({TITIK})"),
            "notulen": _s(ident.notulen, f"({TITIK})"),
            "ttd": tanda_tangan(penandatangan_berita_acara(snapshot))["baris"],
            "keputusan": {
                **keputusan_context(semua),
                "jumlah_desa": len(desa),
                "jumlah_desa_kata": fmt.terbilang(len(desa)),
                "usulan_desa": n_desa_usulan,
                "usulan_desa_kata": fmt.terbilang(n_desa_usulan),
                "jumlah_upt": len(upt),
                "jumlah_upt_kata": fmt.terbilang(len(upt)),
                "usulan_upt": n_upt_usulan,
                "usulan_upt_kata": fmt.terbilang(n_upt_usulan),
            },
            "asal_ringkas": (
                f"{_angka_kata(n_desa_usulan)} usulan dari {_angka_kata(len(desa))} "
                f"desa/kelurahan dan {_angka_kata(n_upt_usulan)} usulan dari "
                f"{_angka_kata(len(upt))} UPT/instansi"
            ),
            "disepakati": [_row(u, i, snapshot) for i, u in enumerate(agreed, 1)],
            "ditolak": [_row(u, i, snapshot) for i, u in enumerate(rejected, 1)],
            "jumlah_disepakati_rupiah": fmt.rupiah(semua.biaya_disepakati),
            "judul_lampiran": (
                f"Berita Acara Musrenbang Kecamatan {snapshot.kecamatan.nama} Tahun Rencana "
                f"{snapshot.tahun}, Nomor {_s(ident.nomor_berita_acara, NOMOR_KOSONG)}, "
                f"tanggal {ctx['musrenbang']['tanggal']}"
            ),
            # the heading of every lampiran page
            "lampiran": {
                "judul": (
                    f"Berita Acara Musrenbang Kecamatan {snapshot.kecamatan.nama} "
                    f"Tahun Rencana {snapshot.tahun}"
                ),
                "nomor": _s(ident.nomor_berita_acara, NOMOR_KOSONG),
                "tanggal": ctx["musrenbang"]["tanggal"],
            },
        }
    )
    return ctx


def _per_desa_rows(snapshot: KecamatanSnapshot) -> list[dict[str, Any]]:
    """The recap's per-desa lines: a desa that has not sent (and has no usulan here) shows
    `belum mengirim`, never 0 or Rp 0 as if it had sent nothing."""
    out = []
    for no, r in enumerate(ringkasan_desa(snapshot), 1):
        row = r.as_context(no)
        row["belum_mengirim"] = desa_belum_mengirim(r, snapshot)
        if row["belum_mengirim"]:
            for key in list(row):
                if key not in ("no", "nama", "jenis", "kode", "belum_mengirim"):
                    row[key] = ""
            row["jumlah"] = BELUM_MENGIRIM
        out.append(row)
    return out


def rekap_context(snapshot: KecamatanSnapshot, settings: Settings) -> dict[str, Any]:
    ctx = common_context(snapshot, settings, "Rekap Usulan")
    semua = total(snapshot.usulan)
    groups = []
    no = 0
    for idx, (asal, rows) in enumerate(a for a in per_desa(snapshot) if a[1]):
        items = []
        for u in rows:
            no += 1
            items.append(_row(u, no, snapshot))
        sub = total(rows)
        groups.append(
            {
                "huruf": _HURUF[idx % len(_HURUF)],
                "judul": asal.judul,
                "usulan": items,
                # a group's total adds the agreed cost of its accepted usulan only
                "jumlah": sub.biaya_disepakati,
                "jumlah_rupiah": fmt.rupiah(sub.biaya_disepakati),
                "ringkasan": sub.as_context(),
            }
        )
    terkirim = {k for k in snapshot.desa_terkirim}
    ctx.update(
        {
            "per_desa": _per_desa_rows(snapshot),
            "per_bidang": [
                r.as_context(i)
                for i, r in enumerate(ringkasan_bidang(snapshot, settings.bidang.kelurahan), 1)
            ],
            "per_opd": [r.as_context(i) for i, r in enumerate(ringkasan_opd(snapshot), 1)],
            "jumlah": semua.as_context(""),
            "kelompok": groups,
            "jumlah_total": semua.biaya_disepakati,
            "jumlah_total_rupiah": fmt.rupiah(semua.biaya_disepakati),
            "ringkasan": semua.ringkasan(),
            "ringkasan_biaya": semua.ringkasan_biaya(),
            "desa_terkirim": (
                f"{len([d for d in snapshot.desa if d.kode in terkirim])} dari "
                f"{len(snapshot.desa)} desa/kelurahan"
            ),
        }
    )
    return ctx


def surat_pengantar_context(snapshot: KecamatanSnapshot, settings: Settings) -> dict[str, Any]:
    ctx = berita_acara_context(snapshot, settings)
    ctx.update(common_context(snapshot, settings, "Surat Pengantar"))
    kec = snapshot.kecamatan.nama
    tahun = snapshot.tahun
    dikirim = snapshot.dikirim_pada
    k = ctx["keputusan"]
    paket = f"Paket Musrenbang Kecamatan {kec} {tahun}.zip"
    berkas = [  # what goes with the letter: the Lampiran counts these
        (f"Berita Acara Musrenbang Kecamatan {kec} {tahun}", "1 (satu) rangkap"),
        (
            f"Daftar Hadir Musrenbang Kecamatan {kec} {tahun}",
            f"1 (satu) rangkap, {ctx['hadir']['jumlah']} peserta",
        ),
        (f"Rekap Usulan Musrenbang Kecamatan {kec} {tahun}", "1 (satu) rangkap, PDF dan Excel"),
        (
            f"Dokumen Musrenbang Kecamatan {kec} {tahun} (ditandatangani, hasil pindai)",
            "1 (satu) berkas PDF",
        ),
        ("Data dan dokumen elektronik", f"1 (satu) berkas: {paket}"),
    ]
    ctx.update(
        {
            "nomor_surat": _s(snapshot.identitas.nomor_surat_pengantar, NOMOR_KOSONG),
            "perihal": f"Penyampaian Hasil Musrenbang Kecamatan {kec} Tahun {tahun}",
            "tempat_tanggal_surat": f"{kec}, {fmt.tanggal(dikirim) or TITIK}",
            "berkas": [
                {"no": no, "uraian": uraian, "jumlah": jumlah}
                for no, (uraian, jumlah) in enumerate(berkas, 1)
            ],
            "lampiran": f"{_angka_kata(len(berkas))} berkas",
            "usulan_ringkas": (
                f"{_angka_kata(k['jumlah_usulan'])} usulan, {_angka_kata(k['disepakati'])} "
                f"disepakati dan {_angka_kata(k['ditolak'])} belum disepakati, dengan biaya "
                f"usulan yang disepakati sebesar {k['biaya_rupiah']}"
            ),
            "paket": paket,
        }
    )
    return ctx


def surat_pemberitahuan_context(
    snapshot: KecamatanSnapshot, settings: Settings, jadwal: JadwalDesa, desa: Wilayah
) -> dict[str, Any]:
    ctx = common_context(snapshot, settings, "Surat Pemberitahuan")
    ident = snapshot.identitas
    # Nomor and Tanggal Surat Pemberitahuan of the Identitas (dotted to fill by hand)
    nomor = _s(ident.nomor_surat_pemberitahuan, NOMOR_KOSONG)
    tanggal_surat = ident.tanggal_surat_pemberitahuan
    level = desa.level_word
    sb = sebutan(desa.level, settings.bidang.kelurahan)
    jabatan = sb.kepala
    batas = settings.jadwal.batas_hari_kerja
    ctx.update(
        {
            **sebutan_context(sb),
            "judul_dokumen": f"Surat Pemberitahuan Musrenbang {level} {desa.nama} {snapshot.tahun}",
            "nomor_surat": nomor,
            "tempat_tanggal_surat": (
                f"{snapshot.kecamatan.nama}, {fmt.tanggal(tanggal_surat) or TITIK}"
            ),
            "lampiran": "-",
            "perihal": f"Pemberitahuan Pelaksanaan Musrenbang {level}",
            "desa": {
                "kode": desa.kode,
                "nama": desa.nama,
                "level": level,
                "jabatan_kepala": jabatan,
            },
            "kepada": f"Yth. {jabatan} {desa.nama}",
            "jadwal": waktu(
                jadwal.tanggal_musrenbang, jadwal.jam_mulai, jadwal.tempat, None, settings
            ),
            "batas_hari_kerja": batas,
            "batas_hari_kerja_kata": fmt.terbilang(batas),
        }
    )
    return ctx


# ----------------------------------------------------------------------------- registry

ContextBuilder = Callable[[KecamatanSnapshot, Settings], dict[str, Any]]
XlsxWriter = Callable[[KecamatanSnapshot, Settings, Path], None]


def _write_rekap_xlsx(snapshot: KecamatanSnapshot, settings: Settings, path: Path) -> None:
    write_rekap_xlsx(snapshot, settings, path)


@dataclass(frozen=True)
class KecamatanDocumentSpec:
    key: str
    kind: str  # the name part of the file stem: "Berita Acara"
    template: str
    tahap: tuple[TahapKecamatan, ...]
    context: ContextBuilder
    xlsx: XlsxWriter | None = None

    def stem(self, snapshot: KecamatanSnapshot) -> str:
        return document_stem(self.kind, snapshot.kecamatan, snapshot.tahun, kecamatan=True)


_SEMUA = tuple(TAHAP_KECAMATAN_URUTAN)
_REKAP_KIRIM = (TahapKecamatan.REKAP, TahapKecamatan.KIRIM)

KECAMATAN_DOCUMENTS: tuple[KecamatanDocumentSpec, ...] = (
    KecamatanDocumentSpec(
        key="daftar-hadir",
        kind="Daftar Hadir",
        template="daftar-hadir-kecamatan.docx",
        tahap=_SEMUA,
        context=daftar_hadir_context,
    ),
    KecamatanDocumentSpec(
        key="berita-acara",
        kind="Berita Acara",
        template="berita-acara-kecamatan.docx",
        tahap=_REKAP_KIRIM,
        context=berita_acara_context,
    ),
    KecamatanDocumentSpec(
        key="rekap",
        kind="Rekap Usulan",
        template="rekap-usulan-kecamatan.docx",
        tahap=_REKAP_KIRIM,
        context=rekap_context,
        xlsx=_write_rekap_xlsx,
    ),
    KecamatanDocumentSpec(
        key="surat-pengantar",
        kind="Surat Pengantar",
        template="surat-pengantar-kecamatan.docx",
        tahap=(TahapKecamatan.KIRIM,),
        context=surat_pengantar_context,
    ),
)


@dataclass(frozen=True)
class SuratDesaSpec:
    """The letter to each desa with a filled Jadwal row (SOP Sooko step 1)."""

    kind: str
    template: str
    tahap: tuple[TahapKecamatan, ...]

    def stem(self, desa: Wilayah, tahun: int) -> str:
        return document_stem(self.kind, desa, tahun)


SURAT_PEMBERITAHUAN = SuratDesaSpec(
    kind="Surat Pemberitahuan", template="surat-pemberitahuan-desa.docx", tahap=_SEMUA
)


def kecamatan_documents_for(tahap: TahapKecamatan | None) -> list[KecamatanDocumentSpec]:
    """The kecamatan documents written at `tahap` (none before the first workbook)."""
    if tahap is None:
        return []
    return [d for d in KECAMATAN_DOCUMENTS if tahap in d.tahap]


def desa_of_jadwal(snapshot: KecamatanSnapshot, jadwal: JadwalDesa) -> Wilayah:
    """The desa of a Jadwal row (by kode; the row's own name when the kode is unknown)."""
    for d in snapshot.desa:
        if d.kode == jadwal.kode_desa:
            return d
    return Wilayah(kode=jadwal.kode_desa, nama=_s(jadwal.nama_desa, jadwal.kode_desa))


def surat_pemberitahuan_for(snapshot: KecamatanSnapshot) -> list[tuple[JadwalDesa, Wilayah]]:
    """One letter per filled Jadwal row, at every stage from Persiapan."""
    if snapshot.tahap is None or snapshot.tahap not in SURAT_PEMBERITAHUAN.tahap:
        return []
    return [(j, desa_of_jadwal(snapshot, j)) for j in snapshot.jadwal if j.terisi]


# ----------------------------------------------------------------------------- produce


def _jobs(snapshot: KecamatanSnapshot, settings: Settings) -> list[DocumentJob]:
    jobs: list[DocumentJob] = []
    for spec in kecamatan_documents_for(snapshot.tahap):

        def ctx(spec: KecamatanDocumentSpec = spec) -> dict[str, Any]:
            return spec.context(snapshot, settings)

        writer = None
        if spec.xlsx is not None:

            def writer(path: Path, spec: KecamatanDocumentSpec = spec) -> None:
                assert spec.xlsx is not None
                spec.xlsx(snapshot, settings, path)

        jobs.append(DocumentJob(spec.stem(snapshot), spec.template, ctx, writer))
    for jadwal, desa in surat_pemberitahuan_for(snapshot):

        def letter(jadwal: JadwalDesa = jadwal, desa: Wilayah = desa) -> dict[str, Any]:
            return surat_pemberitahuan_context(snapshot, settings, jadwal, desa)

        stem = SURAT_PEMBERITAHUAN.stem(desa, snapshot.tahun)
        jobs.append(DocumentJob(stem, SURAT_PEMBERITAHUAN.template, letter))
    return jobs


def produce_kecamatan_documents(
    ws: Workspace,
    settings: Settings,
    snapshot: KecamatanSnapshot,
    converter: Converter | None,
) -> DocumentsResult:
    """Render, convert, check and publish the kecamatan's documents of its stage.

    Same contract as render.produce_desa_documents: work in a private folder under ws.tmp,
    every file reaches ws.outbox_kecamatan(...) by an atomic replace after its check; a
    broken template gives `template-rusak` and no file for that document; a missing or
    failing LibreOffice gives `pdf-dilewati` while the docx (and xlsx) are still published.
    All documents go to the converter in one batch.
    """
    jobs = _jobs(snapshot, settings)
    folder = ws.outbox_kecamatan(snapshot.kecamatan, snapshot.tahun)
    return produce_documents(
        ws, settings, jobs, folder, converter, what="dokumen kecamatan", prefix="dokumen-kecamatan-"
    )
