"""Validation of a kecamatan workbook: raw values -> BukuKerjaKecamatan plus every issue.

The kecamatan's Identitas, Jadwal and Usulan checks (spec/workbooks.md) over the shared
intake.checks machinery and the desa's Peserta and Usulan rules. Choices made where the spec
is silent:
- Decision rules (and `usulan-kosong`) apply from Tahap Rekap on, like Verifikasi for a desa.
- Kode Usulan, when filled, is a desa kode of a desa of this kecamatan and this year, or a
  kecamatan kode (UPT/instansi usulan already recorded) of this kecamatan and year. A row
  with an empty Kode Usulan is a new UPT/instansi usulan: its Asal Usulan names the UPT.
- Desa/Kelurahan of a desa row (its kode names the desa) may be left empty: the official
  name is filled in; a different name is a warning. On UPT rows it is optional text.
- Jadwal: see kecamatan/check_jadwal.py.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.core.models import (
    BukuKerjaKecamatan,
    IdentitasDesa,
    IdentitasKecamatan,
    JadwalDesa,
    RawRow,
    RawTable,
    RawWorkbook,
    UsulanKecamatan,
    Wilayah,
)
from pipeline.core.report import Report
from pipeline.core.standard import (
    JADWAL_COLUMNS,
    KECAMATAN_USULAN_REQUIRED,
    PESERTA_REQUIRED,
    SHEET_IDENTITAS,
    SHEET_JADWAL,
    SHEET_PESERTA,
    SHEET_USULAN,
    TAHAP_KECAMATAN_URUTAN,
    TahapKecamatan,
    UsulanColumn,
    kecamatan_wajib,
    normalise,
)
from pipeline.core.wilayah import WilayahList
from pipeline.desa.check_peserta import PesertaChecks
from pipeline.desa.check_usulan import USULAN_FIELDS, UsulanChecks
from pipeline.intake.checks import (
    Bidang,
    CellOf,
    Found,
    Level,
    Parser,
    cell_ref,
    choice_parser,
    name_key,
    text_parser,
    usulan_layout,
    whole_parser,
)
from pipeline.intake.parse import Parsed, clean_text, is_blank, parse_nip, parse_year, show
from pipeline.intake.parse_dates import parse_date, parse_time
from pipeline.kecamatan.check_jadwal import JadwalChecks

C = UsulanColumn

KODE_USULAN_KECAMATAN = re.compile(
    r"^(?P<wilayah>\d{2}\.\d{2}\.\d{2}(?:\.[12]\d{3})?)-(?P<tahun>\d{4})-(?P<nomor>\d{4})$"
)
_KODE_KECAMATAN = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")


def _parse_kode_kecamatan(value: object) -> Parsed[str]:
    """A kode wilayah of a kecamatan, `PP.KK.CC` (spaces ignored)."""
    if value is None or is_blank(value):
        return None, None
    text = (clean_text(value) or "").replace(" ", "")
    if isinstance(value, str) and _KODE_KECAMATAN.match(text):
        return text, None
    return None, (
        f"{show(value)} bukan kode kecamatan berbentuk PP.KK.CC; tulis kode wilayah "
        "Kepmendagri, mis. 12.05.01"
    )


# Kecamatan Identitas label -> (model attribute, parser, issue code for an unreadable value).
KECAMATAN_IDENTITAS_FIELDS: dict[str, tuple[str, Parser, str]] = {
    "Kode Kecamatan": ("kode", _parse_kode_kecamatan, "wilayah-tidak-dikenal"),
    "Nama Kecamatan": ("nama", text_parser, ""),
    "Tahun Rencana": ("tahun", parse_year, "tahun-tidak-valid"),
    "Tahap": (
        "tahap",
        choice_parser([t.value for t in TahapKecamatan], "Tahap"),
        "tahap-tidak-valid",
    ),
    "Tanggal Musrenbang": ("tanggal_musrenbang", parse_date, "tanggal-tidak-valid"),
    "Jam Mulai": ("jam_mulai", parse_time, "jam-tidak-valid"),
    "Tempat": ("tempat", text_parser, ""),
    "Alamat": ("alamat", text_parser, ""),
    "Nama Camat": ("nama_camat", text_parser, ""),
    "NIP Camat": ("nip_camat", parse_nip, "nip-tidak-valid"),
    "Nama Sekretaris Camat": ("nama_sekcam", text_parser, ""),
    "NIP Sekretaris Camat": ("nip_sekcam", parse_nip, "nip-tidak-valid"),
    "Pimpinan Sidang": ("pimpinan_sidang", text_parser, ""),
    "Notulen": ("notulen", text_parser, ""),
    "Nomor Berita Acara": ("nomor_berita_acara", text_parser, ""),
    "Nomor Surat Pengantar": ("nomor_surat_pengantar", text_parser, ""),
    "Jumlah Peserta Laki-laki": ("peserta_l", whole_parser(0), "angka-tidak-valid"),
    "Jumlah Peserta Perempuan": ("peserta_p", whole_parser(0), "angka-tidak-valid"),
    "Nomor Surat Pemberitahuan": ("nomor_surat_pemberitahuan", text_parser, ""),
    "Tanggal Surat Pemberitahuan": (
        "tanggal_surat_pemberitahuan",
        parse_date,
        "tanggal-tidak-valid",
    ),
}
KECAMATAN_IDENTITAS_HINTS: dict[str, str] = {
    "Kode Kecamatan": "kode wilayah kecamatan, mis. 12.05.01",
    "Nama Kecamatan": "nama kecamatan",
    "Tahun Rencana": "tahun rencana, mis. 2027",
    "Tahap": "salah satu: Persiapan, Pelaksanaan, Rekap, Kirim",
    "Tanggal Musrenbang": "tanggal musyawarah, mis. 10/02/2026",
    "Jam Mulai": "jam mulai, mis. 09.00",
    "Tempat": "tempat musyawarah, mis. Aula Kantor Camat",
    "Alamat": "alamat tempat musyawarah",
    "Nama Camat": "nama camat",
    "Pimpinan Sidang": "nama pimpinan sidang",
    "Notulen": "nama notulen",
    "Nomor Berita Acara": "nomor berita acara Musrenbang Kecamatan",
    "Nomor Surat Pengantar": "nomor surat pengantar ke Bappeda",
    "Jumlah Peserta Laki-laki": "jumlah peserta laki-laki yang hadir, mis. 30",
    "Jumlah Peserta Perempuan": "jumlah peserta perempuan yang hadir, mis. 25",
    "Nomor Surat Pemberitahuan": "nomor surat pemberitahuan ke desa/kelurahan",
    "Tanggal Surat Pemberitahuan": "tanggal surat pemberitahuan, mis. 05/01/2026",
}

# Kecamatan Usulan column -> (model attribute, parser, issue code); shared columns as the desa's.
KECAMATAN_USULAN_FIELDS: dict[str, tuple[str, Parser, str]] = {
    C.ASAL.value: USULAN_FIELDS[C.ASAL],
    "Desa/Kelurahan": ("desa", text_parser, ""),
    **{
        c.value: USULAN_FIELDS[c]
        for c in (C.BIDANG, C.KEGIATAN, C.LOKASI, C.VOLUME, C.SATUAN, C.BIAYA, C.SUMBER_DANA)
    },
    "OPD Tujuan": ("opd_tujuan", text_parser, ""),
    **{
        c.value: USULAN_FIELDS[c]
        for c in (C.PRIORITAS, C.KEPUTUSAN, C.CATATAN, C.VOLUME_DISEPAKATI, C.BIAYA_DISEPAKATI)
    },
}
KECAMATAN_USULAN_REQUIRED_COLUMNS = KECAMATAN_USULAN_REQUIRED

_OPD = "OPD Tujuan"


KECAMATAN = Level(
    fields=KECAMATAN_IDENTITAS_FIELDS,
    hints=KECAMATAN_IDENTITAS_HINTS,
    stages=TAHAP_KECAMATAN_URUTAN,
    wajib=kecamatan_wajib,
    model=IdentitasKecamatan,
    held=TahapKecamatan.PELAKSANAAN,
    deciding=TahapKecamatan.REKAP,
    tanggal="Tanggal Musrenbang",
)


class _KecamatanChecker(JadwalChecks, PesertaChecks, UsulanChecks):
    """The desa checker's machinery, with the kecamatan workbook's own rules."""

    # ---------------------------------------------------------------- identitas

    def kecamatan_region(self, identitas: IdentitasKecamatan, sheet: str, cell_of: CellOf) -> None:
        """The kode must be a known kecamatan; its name is compared with the list."""
        if identitas.kode is None:
            return
        kecamatan = self.wilayah.get(identitas.kode)
        if kecamatan is None:
            self.unknown_region(identitas.kode, "Kode Kecamatan", "kecamatan", sheet, cell_of)
            identitas.kode = None
            return
        prefixes = ("kecamatan", "kec.")
        self.region_name(
            "Nama Kecamatan", identitas.nama, kecamatan, prefixes, kecamatan.kode, sheet, cell_of
        )

    # ---------------------------------------------------------------- usulan

    def kecamatan_usulan(
        self, table: RawTable, identitas: IdentitasKecamatan, missing: set[str]
    ) -> list[UsulanKecamatan]:
        deciding = (
            identitas.tahap if KECAMATAN.reached(identitas.tahap, KECAMATAN.deciding) else None
        )
        out: list[UsulanKecamatan] = []
        troubles: dict[int, set[str]] = {}
        for row, found in self.data_rows(table, self.both_levels(KECAMATAN_USULAN_FIELDS)):
            kode, desa = self.kecamatan_kode_usulan(table, row, identitas, found)
            if kode:
                found.values["kode_usulan"] = kode
            if desa is not None:
                self.usulan_desa_name(table, row.row, desa, found)
                self.pilihan_tingkat(table, row.row, found, desa.level)
            upt = kode is None and C.KODE.value not in found.troubled
            self.usulan_wajib(table, row.row, found, missing, upt)
            troubles[row.row] = found.troubled
            out.append(UsulanKecamatan(row=row.row, **found.values))
        self.usulan_rules(
            table,
            out,
            troubles,
            missing,
            deciding,
            empty="terbitkan ulang buku kerja kecamatan agar usulan desa tercantum,",
            double="bila tercatat dua kali, beri salah satunya Keputusan Ditolak dengan "
            "alasan 'ganda' (usulan UPT/instansi yang belum punya Kode Usulan boleh dihapus)",
        )
        if deciding:
            self.opd_tujuan(table, out, troubles, missing)
        return out

    def opd_tujuan(
        self,
        table: RawTable,
        usulan: list[UsulanKecamatan],
        troubles: dict[int, set[str]],
        missing: set[str],
    ) -> None:
        """From Rekap on every accepted usulan names the OPD it goes to."""
        if _OPD in missing:
            return
        for u in usulan:
            if not u.diterima or u.opd_tujuan or u.row is None:
                continue
            if _OPD in troubles.get(u.row, set()):
                continue
            self.add(
                "wajib-diisi",
                f"{_OPD} masih kosong padahal usulan ini diterima; isi perangkat daerah yang "
                "akan menangani usulan ini, mis. Dinas PUPR",
                sheet=table.sheet,
                cell=cell_ref(table, _OPD, u.row),
                row=u.row,
                column=_OPD,
            )

    def kecamatan_kode_usulan(
        self, table: RawTable, row: RawRow, identitas: IdentitasKecamatan, found: Found
    ) -> tuple[str | None, Wilayah | None]:
        """(Kode Usulan, its desa when it is a desa's) of a row; None when empty or bad."""
        cell = self.kode_cell(table, row, found, galat=True)
        if cell is None:
            return None, None
        raw, kode = cell
        match = KODE_USULAN_KECAMATAN.match(kode) if isinstance(raw.value, str) else None
        kec, tahun = identitas.kode, identitas.tahun
        problem = ""
        desa: Wilayah | None = None
        if match is None:
            problem = (
                f"{show(raw.value)} bukan Kode Usulan yang sah (bentuknya "
                f"{kec or '12.05.01'}.2002-{tahun or 2027}-0001 untuk usulan desa); kosongkan "
                "sel ini bila usulan ini usulan UPT/instansi yang baru, kode diisi oleh sistem"
            )
        else:
            wilayah_kode = match["wilayah"]
            own_year = tahun is None or int(match["tahun"]) == tahun
            if _KODE_KECAMATAN.match(wilayah_kode):
                mine = kec is None or wilayah_kode == kec
            else:
                desa = self.desa_of(wilayah_kode, kec)
                mine = desa is not None
            if not (mine and own_year):
                desa = None
                problem = (
                    f"Kode Usulan {show(kode)} bukan milik desa/kelurahan kecamatan ini atau "
                    f"tahun ini (buku kerja ini untuk kecamatan {kec or '?'} tahun "
                    f"{tahun or '?'}); kosongkan sel ini bila usulan ini usulan UPT/instansi "
                    "yang baru, atau salin baris dari buku kerja yang diterbitkan"
                )
        if problem:
            self.bad_kode(table, raw, problem, found)
            return None, None
        return kode, desa

    def usulan_desa_name(self, table: RawTable, row: int, desa: Wilayah, found: Found) -> None:
        """Desa/Kelurahan of a desa's usulan: empty -> the official name; another -> warning."""
        label = "Desa/Kelurahan"
        written = found.values.get("desa")
        if label in found.troubled:
            return
        if written is None:
            found.values["desa"] = desa.nama
            return
        prefixes = ("desa", "kelurahan", "kel.")
        if name_key(written, prefixes) == name_key(desa.nama, prefixes):
            return
        self.add(
            "nama-wilayah-berbeda",
            f"Desa/Kelurahan '{written}' berbeda dari desa/kelurahan Kode Usulan ini "
            f"({desa.kode} '{desa.nama}'); periksa barisnya, rekap memakai nama resmi "
            f"'{desa.nama}'",
            sheet=table.sheet,
            cell=cell_ref(table, label, row),
            row=row,
            column=label,
        )
        found.values["desa"] = desa.nama


def validate_kecamatan(
    raw: RawWorkbook, wilayah: WilayahList, *, today: dt.date, bidang_kelurahan: Bidang = None
) -> tuple[BukuKerjaKecamatan | None, Report]:
    """Every problem of a kecamatan workbook at once, and the workbook as far as readable.

    The model is returned even with errors (None only when the Identitas sheet is missing).
    Whether a Kode Usulan is recorded or was sent, stage moves and scans belong to
    workflow.check_kecamatan. `today` is the date in the configured time zone.
    """
    checker = _KecamatanChecker(wilayah, today, bidang_kelurahan)
    checker.missing_sheets(
        (
            (SHEET_IDENTITAS, raw.identitas),
            (SHEET_JADWAL, raw.jadwal),
            (SHEET_PESERTA, raw.peserta),
            (SHEET_USULAN, raw.usulan),
        ),
        "buku kerja kecamatan",
    )
    if raw.identitas is None:
        # Without Identitas the reader cannot tell a kecamatan workbook from a desa one, so
        # its table columns cannot be judged either.
        return None, checker.report
    jadwal_missing = checker.missing_columns(raw, SHEET_JADWAL, raw.jadwal, JADWAL_COLUMNS)
    peserta_missing = checker.missing_columns(raw, SHEET_PESERTA, raw.peserta, PESERTA_REQUIRED)
    usulan_missing = checker.missing_columns(
        raw, SHEET_USULAN, raw.usulan, KECAMATAN_USULAN_REQUIRED_COLUMNS
    )
    identitas, cells = checker.identitas(raw.identitas, KECAMATAN, checker.kecamatan_region)
    jadwal: list[JadwalDesa] = []
    if raw.jadwal is not None:
        jadwal = checker.jadwal(raw.jadwal, identitas, jadwal_missing)
        checker.surat_terlambat(raw.jadwal, identitas, jadwal)
    counts = IdentitasDesa(peserta_l=identitas.peserta_l, peserta_p=identitas.peserta_p)
    peserta = checker.peserta_sheet(raw, peserta_missing, counts, cells)
    usulan: list[UsulanKecamatan] = []
    if raw.usulan is not None:
        if KECAMATAN.reached(identitas.tahap, KECAMATAN.deciding):
            # OPD Tujuan is required for accepted usulan from Rekap on, so is its column.
            present = {normalise(c) for c in raw.usulan.columns}
            if normalise(_OPD) not in present and _OPD not in usulan_missing:
                checker.add(
                    "kolom-hilang",
                    f"kolom '{_OPD}' tidak ditemukan di baris judul tabel, padahal tahap "
                    f"{identitas.tahap} memerlukannya; tambahkan kolom itu dengan judul persis "
                    "seperti di buku kerja yang diterbitkan",
                    sheet=raw.usulan.sheet,
                    row=raw.usulan.header_row or None,
                    column=_OPD,
                )
                usulan_missing.add(_OPD)
        usulan = checker.kecamatan_usulan(raw.usulan, identitas, usulan_missing)
    book = BukuKerjaKecamatan(
        identitas=identitas,
        jadwal=jadwal,
        peserta=peserta,
        usulan=usulan,
        identitas_cells=cells,
        **usulan_layout(raw),
    )
    return book, checker.report
