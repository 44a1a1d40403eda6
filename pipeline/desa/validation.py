"""Validation of a desa workbook: raw values -> BukuKerjaDesa plus a report of every problem.

No file I/O. Rules come from spec/workbooks.md; the choices made where the spec is silent:

- A filled value that cannot be read is always an error, whatever the stage (a wrong date at
  Persiapan is still wrong). Stages only decide which *empty* values are errors.
- The requested stage is the Tahap value. When Tahap is empty or unreadable, only the fields
  every stage needs (those of Persiapan) are required and no decision rules run.
- Decision rules (Keputusan present, Catatan for Ditolak / Diterima dengan Revisi, Prioritas
  for accepted usulan, unique priorities, a priority on a Ditolak usulan) apply from
  Verifikasi on. A decision filled in earlier is kept silently; its values are only checked
  for being readable.
- A row is data when any standard cell except `No` is filled (a pre-numbered blank row is
  skipped). A formula without a cached value is `rumus-tanpa-nilai`, never also `wajib-diisi`.
- A value with a problem is left empty (None) in the returned model; an invalid or duplicated
  Kode Usulan too (only its first occurrence keeps it), so the ledger checks that follow do
  not report the same cell again.
- Duplicates are reported on every row of the group (Kode Usulan, Prioritas); the same
  Kegiatan and Lokasi is a warning on the second and later rows.
- A cached formula error (`#REF!`, `#N/A`, ...) is `nilai-galat`, never read as text.
- File-level issues (`makro-diabaikan`, broken files) belong to the reader; whether a Kode
  Usulan exists in the ledger, stage moves and deadlines belong to workflow.check_workbook.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pipeline.core.models import (
    BukuKerjaDesa,
    BukuKerjaKecamatan,
    IdentitasDesa,
    IdentitasKecamatan,
    JadwalDesa,
    Peserta,
    RawCell,
    RawKeyValue,
    RawRow,
    RawTable,
    RawWorkbook,
    Usulan,
    UsulanKecamatan,
    Wilayah,
)
from pipeline.core.report import Report, where
from pipeline.core.standard import (
    BIDANG,
    JADWAL_COLUMNS,
    KECAMATAN_USULAN_COLUMNS,
    KEPUTUSAN_DITERIMA,
    PESERTA_REQUIRED,
    SHEET_IDENTITAS,
    SHEET_JADWAL,
    SHEET_PESERTA,
    SHEET_USULAN,
    SUMBER_DANA,
    TAHAP_KECAMATAN_URUTAN,
    TAHAP_URUTAN,
    UNSUR,
    USULAN_REQUIRED_COLUMNS,
    IdentitasField,
    Keputusan,
    Tahap,
    TahapKecamatan,
    UsulanColumn,
    identitas_wajib,
    kecamatan_wajib,
    normalise,
)
from pipeline.core.wilayah import WilayahList
from pipeline.intake.parse import (
    Parsed,
    clean_text,
    is_blank,
    is_excel_error,
    parse_choice,
    parse_date,
    parse_jenis_kelamin,
    parse_kode_desa,
    parse_nip,
    parse_number,
    parse_rupiah,
    parse_time,
    parse_whole,
    parse_year,
    show,
)

F = IdentitasField
C = UsulanColumn

KODE_USULAN = re.compile(
    r"^(?P<desa>\d{2}\.\d{2}\.\d{2}\.[12]\d{3})-(?P<tahun>\d{4})-(?P<nomor>\d{4})$"
)

Parser = Callable[[object], Parsed[Any]]


def _text(value: object) -> Parsed[str]:
    return clean_text(value), None


def _choice(choices: list[str], what: str) -> Parser:
    return lambda value: parse_choice(value, choices, what)


def _whole(minimum: int) -> Parser:
    return lambda value: parse_whole(value, minimum)


# Identitas label -> (model attribute, parser, issue code for an unreadable value).
IDENTITAS_FIELDS: dict[IdentitasField, tuple[str, Parser, str]] = {
    F.KODE: ("kode", parse_kode_desa, "wilayah-tidak-dikenal"),
    F.NAMA: ("nama", _text, ""),
    F.KECAMATAN: ("kecamatan", _text, ""),
    F.TAHUN: ("tahun", parse_year, "tahun-tidak-valid"),
    F.TAHAP: ("tahap", _choice([t.value for t in Tahap], "Tahap"), "tahap-tidak-valid"),
    F.TANGGAL: ("tanggal_musrenbang", parse_date, "tanggal-tidak-valid"),
    F.JAM: ("jam_mulai", parse_time, "jam-tidak-valid"),
    F.TEMPAT: ("tempat", _text, ""),
    F.ALAMAT: ("alamat", _text, ""),
    F.KEPALA: ("nama_kepala", _text, ""),
    F.NIP_KEPALA: ("nip_kepala", parse_nip, "nip-tidak-valid"),
    F.PIMPINAN: ("pimpinan_rapat", _text, ""),
    F.NOTULEN: ("notulen", _text, ""),
    F.PESERTA_L: ("peserta_l", _whole(0), "angka-tidak-valid"),
    F.PESERTA_P: ("peserta_p", _whole(0), "angka-tidak-valid"),
}

# What to write, for 'wajib-diisi' messages.
IDENTITAS_HINTS: dict[IdentitasField, str] = {
    F.KODE: "kode wilayah desa/kelurahan, mis. 12.05.01.2002",
    F.NAMA: "nama desa/kelurahan",
    F.KECAMATAN: "nama kecamatan",
    F.TAHUN: "tahun rencana, mis. 2027",
    F.TAHAP: "salah satu: Persiapan, Pelaksanaan, Verifikasi, Kirim",
    F.TANGGAL: "tanggal musyawarah, mis. 13/01/2026",
    F.JAM: "jam mulai, mis. 09.00",
    F.TEMPAT: "tempat musyawarah, mis. Balai Desa",
    F.ALAMAT: "alamat tempat musyawarah",
    F.KEPALA: "nama kepala desa/lurah",
    F.PIMPINAN: "nama pimpinan rapat",
    F.NOTULEN: "nama notulen",
    F.PESERTA_L: "jumlah peserta laki-laki yang hadir, mis. 30",
    F.PESERTA_P: "jumlah peserta perempuan yang hadir, mis. 25",
}

# Usulan column -> (model attribute, parser, issue code for an unreadable value).
USULAN_FIELDS: dict[UsulanColumn, tuple[str, Parser, str]] = {
    C.ASAL: ("asal", _text, ""),
    C.BIDANG: ("bidang", _choice(BIDANG, "Bidang"), "pilihan-tidak-valid"),
    C.KEGIATAN: ("kegiatan", _text, ""),
    C.LOKASI: ("lokasi", _text, ""),
    C.VOLUME: ("volume", parse_number, "volume-tidak-valid"),
    C.SATUAN: ("satuan", _text, ""),
    C.BIAYA: ("biaya", parse_rupiah, "biaya-tidak-valid"),
    C.SUMBER_DANA: ("sumber_dana", _choice(SUMBER_DANA, "Sumber Dana"), "pilihan-tidak-valid"),
    C.PM_L: ("pm_l", _whole(0), "angka-tidak-valid"),
    C.PM_P: ("pm_p", _whole(0), "angka-tidak-valid"),
    C.PM_RTM: ("pm_rtm", _whole(0), "angka-tidak-valid"),
    C.PRIORITAS: ("prioritas", _whole(1), "prioritas-tidak-valid"),
    C.KEPUTUSAN: (
        "keputusan",
        _choice([k.value for k in Keputusan], "Keputusan"),
        "pilihan-tidak-valid",
    ),
    C.CATATAN: ("catatan", _text, ""),
}
# Required on every usulan at every stage (Prioritas/Keputusan/Catatan: see the decision rules).
USULAN_WAJIB: tuple[UsulanColumn, ...] = (
    C.ASAL,
    C.BIDANG,
    C.KEGIATAN,
    C.LOKASI,
    C.VOLUME,
    C.SATUAN,
    C.BIAYA,
    C.SUMBER_DANA,
)
USULAN_HINTS: dict[UsulanColumn, str] = {
    C.ASAL: "dusun/lingkungan asal usulan, atau Desa/Kelurahan, atau nama lembaga",
    C.BIDANG: "salah satu bidang dari daftar pilihan",
    C.KEGIATAN: "nama kegiatan",
    C.LOKASI: "lokasi (dusun/RT/RW)",
    C.VOLUME: "volume, mis. 150",
    C.SATUAN: "satuan, mis. meter, unit, paket",
    C.BIAYA: "perkiraan biaya dalam rupiah, mis. 15000000",
    C.SUMBER_DANA: "salah satu sumber dana dari daftar pilihan",
    C.PRIORITAS: "nomor prioritas (1 = paling penting)",
    C.KEPUTUSAN: "Diterima, Diterima dengan Revisi, atau Ditolak",
}

PESERTA_FIELDS: dict[str, tuple[str, Parser, str]] = {
    "Nama": ("nama", _text, ""),
    "Jenis Kelamin": ("jenis_kelamin", parse_jenis_kelamin, "pilihan-tidak-valid"),
    "Unsur": ("unsur", _choice(UNSUR, "Unsur"), "pilihan-tidak-valid"),
    "Jabatan/Lembaga": ("jabatan", _text, ""),
    "Alamat": ("alamat", _text, ""),
    "No. HP": ("no_hp", _text, ""),
}


L = TypeVar("L", bound=str)  # a label: IdentitasField / UsulanColumn, or plain text
T = TypeVar("T", Tahap, TahapKecamatan)
M = TypeVar("M", IdentitasDesa, IdentitasKecamatan)
CellOf = Callable[[str], tuple[str | None, int | None]]


@dataclass(frozen=True)
class _Level(Generic[L, T, M]):
    """What tells a desa Identitas sheet from a kecamatan one; the checks are the same."""

    fields: Mapping[L, tuple[str, Parser, str]]  # label -> (attribute, parser, issue code)
    hints: Mapping[L, str]  # what to write, for 'wajib-diisi' messages
    stages: Sequence[T]  # Tahap values in order
    wajib: Callable[[T], Iterable[L]]  # labels required to stand at a stage
    model: type[M]
    held: T  # from this stage on the musyawarah has taken place
    deciding: T  # from this stage on the decision rules apply
    tanggal: L  # label of the Tanggal Musrenbang

    def stage(self, text: str | None) -> T | None:
        return next((t for t in self.stages if t == text), None) if text else None

    def reached(self, tahap: T | None, stage: T) -> bool:
        return tahap is not None and self.stages.index(tahap) >= self.stages.index(stage)


DESA = _Level(
    fields=IDENTITAS_FIELDS,
    hints=IDENTITAS_HINTS,
    stages=TAHAP_URUTAN,
    wajib=identitas_wajib,
    model=IdentitasDesa,
    held=Tahap.PELAKSANAAN,
    deciding=Tahap.VERIFIKASI,
    tanggal=F.TANGGAL,
)


@dataclass
class _Found:
    """Values read from one row (or the Identitas sheet), with what went wrong where."""

    values: dict[str, Any] = field(default_factory=dict)  # attribute -> value
    troubled: set[str] = field(default_factory=set)  # labels already reported


class _Checker:
    def __init__(self, wilayah: WilayahList, today: dt.date) -> None:
        self.report = Report()
        self.wilayah = wilayah
        self.today = today

    # ---------------------------------------------------------------- issues

    def add(
        self,
        code: str,
        text: str,
        *,
        sheet: str | None,
        cell: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        message = where(sheet, cell) + text.rstrip(".") + "."
        self.report.add(code, message, sheet=sheet, cell=cell, row=row, column=column)

    def read_cell(
        self,
        raw: RawCell | None,
        parser: Parser,
        code: str,
        *,
        sheet: str,
        column: str,
        found: _Found,
        attr: str,
    ) -> None:
        """Parse one cell into `found`, reporting an unreadable value or a missing formula."""
        if raw is None:
            return
        problem: str | None
        if raw.is_formula_without_value:
            code = "rumus-tanpa-nilai"
            problem = (
                f"{column} berisi rumus tanpa nilai tersimpan; buka berkas di Excel/Calc, "
                "simpan ulang, lalu kirim lagi (atau ketik nilainya langsung)"
            )
        elif is_excel_error(raw.value):
            code = "nilai-galat"
            problem = (
                f"{column} berisi galat rumus {show(raw.value)}; perbaiki rumusnya atau ketik "
                "nilainya langsung"
            )
        else:
            value, problem = parser(raw.value)
            if not problem:
                if value is not None:
                    found.values[attr] = value
                return
        self.add(code, problem, sheet=sheet, cell=raw.cell, row=raw.row, column=column)
        found.troubled.add(column)

    # ---------------------------------------------------------------- structure

    def missing_sheets(self, sheets: Iterable[tuple[str, object | None]], book: str) -> None:
        """Report the standard sheets that are missing (None) from the workbook."""
        for name, table in sheets:
            if table is None:
                self.add(
                    "lembar-hilang",
                    f"lembar '{name}' tidak ada di buku kerja; tambahkan lembar itu (salin dari "
                    f"{book} yang diterbitkan) atau perbaiki nama lembarnya",
                    sheet=name,
                )

    def missing_columns(
        self, raw: RawWorkbook, sheet: str, table: RawTable | None, required: Iterable[str]
    ) -> set[str]:
        """Report required header columns that are missing; return them."""
        if table is None:
            return set()  # the missing sheet is reported instead
        missing: list[str] = []
        for key, columns in raw.missing_columns.items():
            if normalise(key) in (normalise(sheet), normalise(table.sheet)):
                missing.extend(columns)
        present = {normalise(label) for label in table.columns}
        missing.extend(c for c in required if normalise(c) not in present)
        unique = list(dict.fromkeys(str(c) for c in missing))
        for column in unique:
            self.add(
                "kolom-hilang",
                f"kolom '{column}' tidak ditemukan di baris judul tabel; tambahkan kolom itu "
                "dengan judul persis seperti di buku kerja yang diterbitkan",
                sheet=table.sheet,
                row=table.header_row or None,
                column=column,
            )
        return set(unique)

    # ---------------------------------------------------------------- identitas

    def identitas(
        self, kv: RawKeyValue, level: _Level[L, T, M], region: Callable[[M, str, CellOf], None]
    ) -> tuple[M, dict[str, str]]:
        """The Identitas sheet of `level` read and checked; label -> value cell."""
        sheet = kv.sheet
        values = {normalise(k): v for k, v in kv.values.items()}
        label_rows = {normalise(k): r for k, r in kv.label_rows.items()}
        cells: dict[str, str] = {}
        found = _Found()

        def present(label: str) -> bool:
            return normalise(label) in values or normalise(label) in label_rows

        def cell_of(label: str) -> tuple[str | None, int | None]:
            raw = values.get(normalise(label))
            if raw is not None:
                return raw.cell, raw.row
            row = label_rows.get(normalise(label))
            return (f"B{row}", row) if row else (None, None)

        for label, (attr, parser, code) in level.fields.items():
            ref, _ = cell_of(label)
            if ref:
                cells[str(label)] = ref
            self.read_cell(
                values.get(normalise(label)),
                parser,
                code,
                sheet=sheet,
                column=str(label),
                found=found,
                attr=attr,
            )

        tahap = level.stage(found.values.get("tahap"))
        found.values["tahap"] = tahap
        stage = tahap or level.stages[0]
        for label in level.wajib(stage):
            attr = level.fields[label][0]
            if found.values.get(attr) is not None or str(label) in found.troubled:
                continue
            when = f"tahap {stage}" if tahap else "setiap tahap"
            if not present(label):
                self.add(
                    "label-hilang",
                    f"label '{label}' tidak ada di kolom A; tambahkan baris berlabel "
                    f"'{label}' dengan nilainya di kolom B (wajib untuk {when})",
                    sheet=sheet,
                    column=str(label),
                )
                continue
            ref, row = cell_of(label)
            self.add(
                "wajib-diisi",
                f"{label} masih kosong, padahal wajib diisi untuk {when}; "
                f"isi {level.hints.get(label, str(label))}",
                sheet=sheet,
                cell=ref,
                row=row,
                column=str(label),
            )

        identitas = level.model(**found.values)
        region(identitas, sheet, cell_of)
        tanggal = identitas.tanggal_musrenbang
        if level.reached(tahap, level.held) and tanggal and tanggal > self.today:
            ref, row = cell_of(level.tanggal)
            self.add(
                "tanggal-di-masa-depan",
                f"Tanggal Musrenbang {tanggal:%d/%m/%Y} belum terjadi, padahal Tahap {tahap} "
                "berarti musyawarah sudah berlangsung; perbaiki tanggalnya atau isi Tahap "
                "Persiapan",
                sheet=sheet,
                cell=ref,
                row=row,
                column=str(level.tanggal),
            )
        return identitas, cells

    def unknown_region(
        self, kode: str, label: str, whose: str, sheet: str, cell_of: CellOf
    ) -> None:
        ref, row = cell_of(label)
        self.add(
            "wilayah-tidak-dikenal",
            f"kode '{kode}' tidak ada dalam daftar wilayah; periksa kodenya "
            f"(salin dari buku kerja yang diterbitkan untuk {whose} ini)",
            sheet=sheet,
            cell=ref,
            row=row,
            column=label,
        )

    def region_name(
        self,
        label: str,
        written: str | None,
        official: Wilayah,
        prefixes: tuple[str, ...],
        kode: str,
        sheet: str,
        cell_of: CellOf,
    ) -> None:
        """A written region name that is not the official one (a warning)."""
        if written is None or _name_key(written, prefixes) == _name_key(official.nama, prefixes):
            return
        ref, row = cell_of(label)
        self.add(
            "nama-wilayah-berbeda",
            f"{label} '{written}' berbeda dari daftar wilayah untuk kode {kode} "
            f"('{official.nama}'); periksa kodenya, dokumen memakai nama resmi "
            f"'{official.nama}'",
            sheet=sheet,
            cell=ref,
            row=row,
            column=label,
        )

    def region(self, identitas: IdentitasDesa, sheet: str, cell_of: CellOf) -> None:
        """The kode must be a known desa/kelurahan; names are compared with the list."""
        if identitas.kode is None:
            return
        desa = self.wilayah.desa(identitas.kode)
        if desa is None:
            self.unknown_region(identitas.kode, F.KODE.value, "desa", sheet, cell_of)
            identitas.kode = None  # an unknown region is a problem: left empty like the rest
            return
        kecamatan = self.wilayah.kecamatan_of(desa.kode)
        desa_prefixes = ("desa", "kelurahan", "kel.")
        self.region_name(
            F.NAMA.value, identitas.nama, desa, desa_prefixes, desa.kode, sheet, cell_of
        )
        self.region_name(
            F.KECAMATAN.value,
            identitas.kecamatan,
            kecamatan,
            ("kecamatan", "kec."),
            desa.kode,
            sheet,
            cell_of,
        )

    # ---------------------------------------------------------------- tables

    def data_rows(
        self, table: RawTable, fields: Mapping[L, tuple[str, Parser, str]]
    ) -> Iterator[tuple[RawRow, _Found]]:
        """Each data row of `table` (blank rows skipped) with the cells of `fields` read."""
        for row in table.rows:
            if not _has_data(row):
                continue
            found = _Found()
            for label, (attr, parser, code) in fields.items():
                self.read_cell(
                    _row_cell(row, label),
                    parser,
                    code,
                    sheet=table.sheet,
                    column=str(label),
                    found=found,
                    attr=attr,
                )
            yield row, found

    # ---------------------------------------------------------------- peserta

    def peserta(self, table: RawTable, missing: set[str]) -> list[Peserta]:
        out: list[Peserta] = []
        for row, found in self.data_rows(table, PESERTA_FIELDS):
            if "nama" not in found.values:
                if "Nama" not in found.troubled and "Nama" not in missing:
                    ref = _ref(table, "Nama", row.row)
                    self.add(
                        "wajib-diisi",
                        "baris ini berisi data peserta tetapi Nama kosong; isi nama peserta "
                        "atau kosongkan seluruh baris",
                        sheet=table.sheet,
                        cell=ref,
                        row=row.row,
                        column="Nama",
                    )
                continue
            out.append(Peserta(row=row.row, **found.values))
        return out

    def peserta_sheet(
        self, raw: RawWorkbook, missing: set[str], counts: IdentitasDesa, cells: dict[str, str]
    ) -> list[Peserta]:
        """The Peserta rows, with the Identitas participant `counts` checked against them."""
        if raw.peserta is None or raw.identitas is None:
            return []
        peserta = self.peserta(raw.peserta, missing)
        self.jumlah_peserta(counts, peserta, raw.identitas.sheet, cells)
        return peserta

    def jumlah_peserta(
        self, identitas: IdentitasDesa, peserta: list[Peserta], sheet: str, cells: dict[str, str]
    ) -> None:
        """Identitas counts against the Peserta rows; the Identitas figures win (a warning)."""
        counted = {
            "L": sum(p.jenis_kelamin == "L" for p in peserta),
            "P": sum(p.jenis_kelamin == "P" for p in peserta),
        }
        if not counted["L"] and not counted["P"]:
            return
        for label, written, jk, word in (
            (F.PESERTA_L, identitas.peserta_l, "L", "laki-laki"),
            (F.PESERTA_P, identitas.peserta_p, "P", "perempuan"),
        ):
            if written is None or written == counted[jk]:
                continue
            ref = cells.get(label.value)
            self.add(
                "jumlah-peserta-berbeda",
                f"{label.value} tertulis {written}, tetapi lembar {SHEET_PESERTA} mencatat "
                f"{counted[jk]} peserta {word}; angka di {SHEET_IDENTITAS} yang dipakai, "
                "periksa bila salah",
                sheet=sheet,
                cell=ref,
                row=_row_of(ref),
                column=label.value,
            )

    # ---------------------------------------------------------------- usulan

    def usulan(self, table: RawTable, identitas: IdentitasDesa, missing: set[str]) -> list[Usulan]:
        deciding = identitas.tahap if DESA.reached(identitas.tahap, DESA.deciding) else None
        out: list[Usulan] = []
        troubles: dict[int, set[str]] = {}
        for row, found in self.data_rows(table, USULAN_FIELDS):
            kode = self.kode_usulan(table, row, identitas, found)
            if kode:
                found.values["kode_usulan"] = kode
            self.usulan_wajib(table, row.row, found, missing, upt=False)
            troubles[row.row] = found.troubled
            out.append(Usulan(row=row.row, **found.values))
        self.usulan_rules(
            table,
            out,
            troubles,
            missing,
            deciding,
            empty="isi usulan hasil musyawarah",
            double="hapus salah satu bila tercatat dua kali (usulan yang sudah punya Kode "
            "Usulan diberi Keputusan Ditolak dengan alasan 'ganda')",
        )
        return out

    def usulan_wajib(
        self, table: RawTable, row: int, found: _Found, missing: set[str], upt: bool
    ) -> None:
        """The columns every usulan needs; on an UPT/instansi row Asal names the UPT."""
        for column in USULAN_WAJIB:
            attr = USULAN_FIELDS[column][0]
            if attr in found.values or column in found.troubled or column in missing:
                continue
            if column is C.ASAL and upt:
                self.add(
                    "wajib-diisi",
                    "Asal Usulan masih kosong; baris tanpa Kode Usulan adalah usulan "
                    "UPT/instansi: isi nama UPT/instansi pengusul, mis. UPT Puskesmas",
                    sheet=table.sheet,
                    cell=_ref(table, column.value, row),
                    row=row,
                    column=column.value,
                )
                continue
            self.required(table, row, column, "")

    def usulan_rules(
        self,
        table: RawTable,
        usulan: Sequence[Usulan],
        troubles: dict[int, set[str]],
        missing: set[str],
        deciding: str | None,
        *,
        empty: str,
        double: str,
    ) -> None:
        """Rules across the rows: duplicate kode, decisions (at `deciding` Tahap), duplicates.

        `empty` is the remedy for no usulan at a deciding Tahap, `double` for an usulan
        recorded twice.
        """
        self.duplicate_kode(table, usulan)
        if deciding:
            if not usulan and not missing:  # with columns missing, rows may not be readable
                self.add(
                    "usulan-kosong",
                    f"Tahap {deciding} memerlukan sedikitnya satu usulan; {empty} atau "
                    "kembalikan Tahap ke Pelaksanaan",
                    sheet=table.sheet,
                )
            self.decisions(table, usulan, troubles, missing)
        self.duplicate_usulan(table, usulan, double)

    def required(self, table: RawTable, row: int, column: UsulanColumn, why: str) -> None:
        ref = _ref(table, column.value, row)
        self.add(
            "wajib-diisi",
            f"{column.value} masih kosong{why}; isi {USULAN_HINTS.get(column, column.value)}",
            sheet=table.sheet,
            cell=ref,
            row=row,
            column=column.value,
        )

    def kode_usulan(
        self, table: RawTable, row: RawRow, identitas: IdentitasDesa, found: _Found
    ) -> str | None:
        cell = self.kode_cell(table, row, found, galat=False)
        if cell is None:
            return None
        raw, kode = cell
        match = KODE_USULAN.match(kode) if isinstance(raw.value, str) else None
        problem = ""
        if match is None:
            problem = (
                f"{show(raw.value)} bukan Kode Usulan yang sah (bentuknya "
                f"{identitas.kode or '12.05.01.2002'}-{identitas.tahun or 2027}-0001); "
                "kosongkan sel ini bila usulan ini baru, kode diisi oleh sistem"
            )
        elif (identitas.kode and match["desa"] != identitas.kode) or (
            identitas.tahun and int(match["tahun"]) != identitas.tahun
        ):
            problem = (
                f"Kode Usulan {show(kode)} milik desa/tahun lain (buku kerja ini untuk "
                f"{identitas.kode or '?'} tahun {identitas.tahun or '?'}); kosongkan sel ini "
                "bila usulan ini baru, atau salin baris dari buku kerja desa ini"
            )
        if problem:
            self.bad_kode(table, raw, problem, found)
            return None
        return kode

    def kode_cell(
        self, table: RawTable, row: RawRow, found: _Found, *, galat: bool
    ) -> tuple[RawCell, str] | None:
        """The Kode Usulan cell of a row and its text without spaces; None when empty, or
        when a formula without value (or, with `galat`, a formula error) was reported."""
        raw = _row_cell(row, C.KODE)
        if raw is None:
            return None
        if raw.is_formula_without_value or (galat and is_excel_error(raw.value)):
            self.read_cell(
                raw,
                _text,
                "",
                sheet=table.sheet,
                column=C.KODE.value,
                found=found,
                attr="kode_usulan",
            )
            return None
        text = clean_text(raw.value)
        return (raw, text.replace(" ", "")) if text is not None else None

    def bad_kode(self, table: RawTable, raw: RawCell, problem: str, found: _Found) -> None:
        self.add(
            "kode-usulan-tidak-dikenal",
            problem,
            sheet=table.sheet,
            cell=raw.cell,
            row=raw.row,
            column=C.KODE.value,
        )
        found.troubled.add(C.KODE.value)

    def duplicate_kode(self, table: RawTable, usulan: Sequence[Usulan]) -> None:
        groups: dict[str, list[Usulan]] = {}
        for u in usulan:
            if u.kode_usulan:
                groups.setdefault(u.kode_usulan, []).append(u)
        for kode, group in groups.items():
            if len(group) < 2:
                continue
            for u in group:
                others = ", ".join(str(o.row) for o in group if o is not u)
                assert u.row is not None
                self.add(
                    "kode-usulan-ganda",
                    f"Kode Usulan {kode} juga dipakai di baris {others}; satu kode hanya untuk "
                    "satu usulan: kosongkan Kode Usulan pada baris salinan (usulan baru)",
                    sheet=table.sheet,
                    cell=_ref(table, C.KODE.value, u.row),
                    row=u.row,
                    column=C.KODE.value,
                )
            for u in group[1:]:
                u.kode_usulan = None

    def decisions(
        self,
        table: RawTable,
        usulan: Sequence[Usulan],
        troubles: dict[int, set[str]],
        missing: set[str],
    ) -> None:
        """Verifikasi and Kirim: every usulan decided, with reasons and valid priorities."""
        sheet = table.sheet
        for u in usulan:
            assert u.row is not None
            troubled = troubles.get(u.row, set())
            if u.keputusan is None:
                if C.KEPUTUSAN not in troubled and C.KEPUTUSAN not in missing:
                    self.required(
                        table, u.row, C.KEPUTUSAN, " padahal setiap usulan perlu diputuskan"
                    )
                continue
            if u.keputusan in (Keputusan.DITOLAK, Keputusan.REVISI) and not u.catatan:
                if C.CATATAN not in troubled and C.CATATAN not in missing:
                    what = (
                        "alasan penolakan"
                        if u.keputusan is Keputusan.DITOLAK
                        else "apa yang direvisi"
                    )
                    self.add(
                        "catatan-wajib",
                        f"usulan dengan Keputusan '{u.keputusan.value}' perlu Catatan "
                        f"Keputusan; tulis {what}",
                        sheet=sheet,
                        cell=_ref(table, C.CATATAN.value, u.row),
                        row=u.row,
                        column=C.CATATAN.value,
                    )
            if u.keputusan in KEPUTUSAN_DITERIMA and u.prioritas is None:
                if C.PRIORITAS not in troubled and C.PRIORITAS not in missing:
                    self.required(table, u.row, C.PRIORITAS, " padahal usulan ini diterima")
            if u.keputusan is Keputusan.DITOLAK and u.prioritas is not None:
                self.add(
                    "prioritas-pada-ditolak",
                    f"usulan Ditolak diberi Prioritas {u.prioritas}; prioritas itu diabaikan, "
                    "kosongkan selnya",
                    sheet=sheet,
                    cell=_ref(table, C.PRIORITAS.value, u.row),
                    row=u.row,
                    column=C.PRIORITAS.value,
                )
        by_priority: dict[int, list[Usulan]] = {}
        for u in usulan:
            if u.diterima and u.prioritas is not None:
                by_priority.setdefault(u.prioritas, []).append(u)
        for prioritas, group in sorted(by_priority.items()):
            if len(group) < 2:
                continue
            for u in group:
                assert u.row is not None
                others = ", ".join(str(o.row) for o in group if o is not u)
                self.add(
                    "prioritas-ganda",
                    f"Prioritas {prioritas} juga dipakai usulan yang diterima di baris {others}; "
                    "beri setiap usulan yang diterima nomor prioritas yang berbeda",
                    sheet=sheet,
                    cell=_ref(table, C.PRIORITAS.value, u.row),
                    row=u.row,
                    column=C.PRIORITAS.value,
                )

    def duplicate_usulan(self, table: RawTable, usulan: Sequence[Usulan], remedy: str) -> None:
        """The same Kegiatan and Lokasi (and Desa/Kelurahan, in a kecamatan) twice."""
        seen: dict[tuple[str, str, str], Usulan] = {}
        for u in usulan:
            if not u.kegiatan or not u.lokasi or u.row is None:
                continue
            desa = u.desa if isinstance(u, UsulanKecamatan) else None
            key = (_loose(u.kegiatan), _loose(u.lokasi), _loose(desa or ""))
            first = seen.setdefault(key, u)
            if first is u:
                continue
            self.add(
                "usulan-ganda",
                f"usulan '{u.kegiatan}' di '{u.lokasi}'"
                + (f" ({desa})" if desa else "")
                + f" sama dengan usulan di baris {first.row}; {remedy}",
                sheet=table.sheet,
                cell=_ref(table, C.KEGIATAN.value, u.row),
                row=u.row,
                column=C.KEGIATAN.value,
            )


# ----------------------------------------------------------------------------- helpers


def _row_cell(row: RawRow, label: str) -> RawCell | None:
    cell = row.cells.get(label)
    if cell is not None:
        return cell
    key = normalise(label)
    for name, found in row.cells.items():
        if normalise(name) == key:
            return found
    return None


def _has_data(row: RawRow) -> bool:
    """Any standard cell other than No filled (a pre-numbered blank row is no data)."""
    return any(
        normalise(label) != "no" and (cell.is_formula_without_value or not is_blank(cell.value))
        for label, cell in row.cells.items()
    )


def _ref(table: RawTable, label: str, row: int) -> str | None:
    letter = table.columns.get(label)
    if letter is None:
        key = normalise(label)
        letter = next((v for k, v in table.columns.items() if normalise(k) == key), None)
    return f"{letter}{row}" if letter else None


def _row_of(ref: str | None) -> int | None:
    if not ref:
        return None
    digits = re.sub(r"^[A-Za-z]+", "", ref)
    return int(digits) if digits.isdigit() else None


def _name_key(name: str, prefixes: tuple[str, ...]) -> str:
    key = normalise(name)
    for prefix in prefixes:
        if key.startswith(prefix + " ") or (prefix.endswith(".") and key.startswith(prefix)):
            key = key[len(prefix) :].strip()
            break
    return key


def _usulan_layout(raw: RawWorkbook) -> dict[str, Any]:
    """Where the Usulan table stands in the dropped file (for marks and written kode)."""
    if raw.usulan is None:
        return {"usulan_columns": {}, "usulan_sheet": SHEET_USULAN}
    return {"usulan_columns": dict(raw.usulan.columns), "usulan_sheet": raw.usulan.sheet}


def _loose(text: str) -> str:
    """Kegiatan/Lokasi compared without case, punctuation or repeated spaces."""
    return " ".join(re.sub(r"[^\w\s]", " ", normalise(text)).split())


# ----------------------------------------------------------------------------- entry point


def validate_desa(
    raw: RawWorkbook, wilayah: WilayahList, *, today: dt.date
) -> tuple[BukuKerjaDesa | None, Report]:
    """Every problem of a desa workbook at once, and the workbook as far as it was readable.

    The model is returned even with errors, so the caller can mark cells (None only when the
    Identitas sheet is missing). `today` is the date in the configured time zone.
    """
    checker = _Checker(wilayah, today)
    checker.missing_sheets(
        (
            (SHEET_IDENTITAS, raw.identitas),
            (SHEET_PESERTA, raw.peserta),
            (SHEET_USULAN, raw.usulan),
        ),
        "buku kerja",
    )
    peserta_missing = checker.missing_columns(raw, SHEET_PESERTA, raw.peserta, PESERTA_REQUIRED)
    usulan_missing = checker.missing_columns(raw, SHEET_USULAN, raw.usulan, USULAN_REQUIRED_COLUMNS)
    if raw.identitas is None:
        return None, checker.report

    identitas, cells = checker.identitas(raw.identitas, DESA, checker.region)
    peserta = checker.peserta_sheet(raw, peserta_missing, identitas, cells)
    usulan: list[Usulan] = []
    if raw.usulan is not None:
        usulan = checker.usulan(raw.usulan, identitas, usulan_missing)
    book = BukuKerjaDesa(
        identitas=identitas,
        peserta=peserta,
        usulan=usulan,
        identitas_cells=cells,
        **_usulan_layout(raw),
    )
    return book, checker.report


# ============================================================================= kecamatan
#
# validate_kecamatan: the Buku Kerja Musrenbang Kecamatan (spec/workbooks.md), with the
# machinery above. Choices made where the spec is silent:
# - Decision rules (and `usulan-kosong`) apply from Tahap Rekap on, like Verifikasi for a desa.
# - Kode Usulan, when filled, is a desa kode of a desa of this kecamatan and this year, or a
#   kecamatan kode (UPT/instansi usulan already recorded) of this kecamatan and year. A row
#   with an empty Kode Usulan is a new UPT/instansi usulan: its Asal Usulan names the UPT.
# - Desa/Kelurahan of a desa row (its kode names the desa) may be left empty: the official
#   name is filled in; a different name is a warning. On UPT rows it is optional text.
# - Jadwal: a row with a Tanggal needs Jam Mulai and Tempat (the letter names them); a row
#   with Jam or Tempat but no Tanggal needs the Tanggal (otherwise no letter would be made
#   without a word). A desa on two Jadwal rows is `jadwal-ganda` (two letters to one desa).
#   Rows whose kode is unknown or not of this kecamatan are left out of the model.

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
    "Nama Kecamatan": ("nama", _text, ""),
    "Tahun Rencana": ("tahun", parse_year, "tahun-tidak-valid"),
    "Tahap": ("tahap", _choice([t.value for t in TahapKecamatan], "Tahap"), "tahap-tidak-valid"),
    "Tanggal Musrenbang": ("tanggal_musrenbang", parse_date, "tanggal-tidak-valid"),
    "Jam Mulai": ("jam_mulai", parse_time, "jam-tidak-valid"),
    "Tempat": ("tempat", _text, ""),
    "Alamat": ("alamat", _text, ""),
    "Nama Camat": ("nama_camat", _text, ""),
    "NIP Camat": ("nip_camat", parse_nip, "nip-tidak-valid"),
    "Nama Sekretaris Camat": ("nama_sekcam", _text, ""),
    "NIP Sekretaris Camat": ("nip_sekcam", parse_nip, "nip-tidak-valid"),
    "Pimpinan Sidang": ("pimpinan_sidang", _text, ""),
    "Notulen": ("notulen", _text, ""),
    "Nomor Berita Acara": ("nomor_berita_acara", _text, ""),
    "Nomor Surat Pengantar": ("nomor_surat_pengantar", _text, ""),
    "Jumlah Peserta Laki-laki": ("peserta_l", _whole(0), "angka-tidak-valid"),
    "Jumlah Peserta Perempuan": ("peserta_p", _whole(0), "angka-tidak-valid"),
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
}

# Kecamatan Usulan column -> (model attribute, parser, issue code); shared columns as the desa's.
KECAMATAN_USULAN_FIELDS: dict[str, tuple[str, Parser, str]] = {
    C.ASAL.value: USULAN_FIELDS[C.ASAL],
    "Desa/Kelurahan": ("desa", _text, ""),
    **{
        c.value: USULAN_FIELDS[c]
        for c in (C.BIDANG, C.KEGIATAN, C.LOKASI, C.VOLUME, C.SATUAN, C.BIAYA, C.SUMBER_DANA)
    },
    "OPD Tujuan": ("opd_tujuan", _text, ""),
    **{c.value: USULAN_FIELDS[c] for c in (C.PRIORITAS, C.KEPUTUSAN, C.CATATAN)},
}
KECAMATAN_USULAN_REQUIRED_COLUMNS: list[str] = [
    c for c in KECAMATAN_USULAN_COLUMNS if c not in ("No", "Kode Usulan", "OPD Tujuan")
]

JADWAL_FIELDS: dict[str, tuple[str, Parser, str]] = {
    "Nama Desa/Kelurahan": ("nama_desa", _text, ""),
    "Tanggal Musrenbang": ("tanggal_musrenbang", parse_date, "tanggal-tidak-valid"),
    "Jam Mulai": ("jam_mulai", parse_time, "jam-tidak-valid"),
    "Tempat": ("tempat", _text, ""),
}
_KODE_DESA_LABEL = "Kode Desa/Kelurahan"


KECAMATAN = _Level(
    fields=KECAMATAN_IDENTITAS_FIELDS,
    hints=KECAMATAN_IDENTITAS_HINTS,
    stages=TAHAP_KECAMATAN_URUTAN,
    wajib=kecamatan_wajib,
    model=IdentitasKecamatan,
    held=TahapKecamatan.PELAKSANAAN,
    deciding=TahapKecamatan.REKAP,
    tanggal="Tanggal Musrenbang",
)


class _KecamatanChecker(_Checker):
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

    def desa_of(self, kode: str, kecamatan: str | None) -> Wilayah | None:
        """The desa/kelurahan `kode` when it belongs to `kecamatan` (any, when unknown)."""
        desa = self.wilayah.desa(kode)
        if desa is None or (kecamatan and not kode.startswith(kecamatan + ".")):
            return None
        return desa

    # ---------------------------------------------------------------- jadwal

    def jadwal(
        self, table: RawTable, identitas: IdentitasKecamatan, missing: set[str]
    ) -> list[JadwalDesa]:
        sheet = table.sheet
        out: list[JadwalDesa] = []
        seen: dict[str, int] = {}
        for row, found in self.data_rows(table, JADWAL_FIELDS):
            desa = self.jadwal_desa(table, row, identitas, found, missing)
            values = found.values
            has_date = "tanggal_musrenbang" in values or "Tanggal Musrenbang" in found.troubled
            needed: list[tuple[str, str]] = []
            if has_date:
                needed = [("Jam Mulai", "jam mulai, mis. 09.00"), ("Tempat", "tempat musyawarah")]
            elif "jam_mulai" in values or "tempat" in values:
                needed = [("Tanggal Musrenbang", "tanggal musyawarah desa, mis. 13/01/2026")]
            for label, hint in needed:
                attr = JADWAL_FIELDS[label][0]
                if attr in values or label in found.troubled or label in missing:
                    continue
                self.add(
                    "wajib-diisi",
                    f"{label} masih kosong, padahal surat pemberitahuan untuk desa/kelurahan "
                    f"di baris ini memerlukannya; isi {hint}",
                    sheet=sheet,
                    cell=_ref(table, label, row.row),
                    row=row.row,
                    column=label,
                )
            if desa is None:
                continue
            if desa.kode in seen:
                self.add(
                    "jadwal-ganda",
                    f"{desa.level_word} {desa.nama} ({desa.kode}) sudah ada di baris "
                    f"{seen[desa.kode]}; satu desa/kelurahan hanya satu baris Jadwal, hapus "
                    "salah satunya",
                    sheet=sheet,
                    cell=_ref(table, _KODE_DESA_LABEL, row.row),
                    row=row.row,
                    column=_KODE_DESA_LABEL,
                )
                continue
            seen[desa.kode] = row.row
            values.setdefault("nama_desa", desa.nama)
            out.append(JadwalDesa(row=row.row, kode_desa=desa.kode, **values))
        return out

    def jadwal_desa(
        self,
        table: RawTable,
        row: RawRow,
        identitas: IdentitasKecamatan,
        found: _Found,
        missing: set[str],
    ) -> Wilayah | None:
        """The desa of a Jadwal row (None, reported, when missing, unknown or elsewhere)."""
        sheet = table.sheet
        label = _KODE_DESA_LABEL
        self.read_cell(
            _row_cell(row, label),
            parse_kode_desa,
            "wilayah-tidak-dikenal",
            sheet=sheet,
            column=label,
            found=found,
            attr="kode_desa",
        )
        kode = found.values.pop("kode_desa", None)
        if kode is None:
            if label not in found.troubled and label not in missing:
                self.add(
                    "wajib-diisi",
                    f"{label} masih kosong; isi kode wilayah desa/kelurahan, mis. "
                    f"{identitas.kode or '12.05.01'}.2002, atau kosongkan seluruh baris",
                    sheet=sheet,
                    cell=_ref(table, label, row.row),
                    row=row.row,
                    column=label,
                )
            return None
        desa = self.desa_of(kode, identitas.kode)
        if desa is None:
            where_ = f"kecamatan {identitas.kode}" if identitas.kode else "daftar wilayah"
            self.add(
                "wilayah-tidak-dikenal",
                f"kode '{kode}' bukan desa/kelurahan {where_}; salin kode dari buku kerja "
                "yang diterbitkan atau hapus baris ini",
                sheet=sheet,
                cell=_ref(table, label, row.row),
                row=row.row,
                column=label,
            )
            return None
        written = found.values.get("nama_desa")
        prefixes = ("desa", "kelurahan", "kel.")
        if written is not None and _name_key(written, prefixes) != _name_key(desa.nama, prefixes):
            self.add(
                "nama-wilayah-berbeda",
                f"Nama Desa/Kelurahan '{written}' berbeda dari daftar wilayah untuk kode "
                f"{desa.kode} ('{desa.nama}'); periksa kodenya, surat memakai nama resmi "
                f"'{desa.nama}'",
                sheet=sheet,
                cell=_ref(table, "Nama Desa/Kelurahan", row.row),
                row=row.row,
                column="Nama Desa/Kelurahan",
            )
            found.values["nama_desa"] = desa.nama
        return desa

    # ---------------------------------------------------------------- usulan

    def kecamatan_usulan(
        self, table: RawTable, identitas: IdentitasKecamatan, missing: set[str]
    ) -> list[UsulanKecamatan]:
        deciding = (
            identitas.tahap if KECAMATAN.reached(identitas.tahap, KECAMATAN.deciding) else None
        )
        out: list[UsulanKecamatan] = []
        troubles: dict[int, set[str]] = {}
        for row, found in self.data_rows(table, KECAMATAN_USULAN_FIELDS):
            kode, desa = self.kecamatan_kode_usulan(table, row, identitas, found)
            if kode:
                found.values["kode_usulan"] = kode
            if desa is not None:
                self.usulan_desa_name(table, row.row, desa, found)
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
        return out

    def kecamatan_kode_usulan(
        self, table: RawTable, row: RawRow, identitas: IdentitasKecamatan, found: _Found
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

    def usulan_desa_name(self, table: RawTable, row: int, desa: Wilayah, found: _Found) -> None:
        """Desa/Kelurahan of a desa's usulan: empty -> the official name; another -> warning."""
        label = "Desa/Kelurahan"
        written = found.values.get("desa")
        if label in found.troubled:
            return
        if written is None:
            found.values["desa"] = desa.nama
            return
        prefixes = ("desa", "kelurahan", "kel.")
        if _name_key(written, prefixes) == _name_key(desa.nama, prefixes):
            return
        self.add(
            "nama-wilayah-berbeda",
            f"Desa/Kelurahan '{written}' berbeda dari desa/kelurahan Kode Usulan ini "
            f"({desa.kode} '{desa.nama}'); periksa barisnya, rekap memakai nama resmi "
            f"'{desa.nama}'",
            sheet=table.sheet,
            cell=_ref(table, label, row),
            row=row,
            column=label,
        )
        found.values["desa"] = desa.nama


def validate_kecamatan(
    raw: RawWorkbook, wilayah: WilayahList, *, today: dt.date
) -> tuple[BukuKerjaKecamatan | None, Report]:
    """Every problem of a kecamatan workbook at once, and the workbook as far as readable.

    The model is returned even with errors (None only when the Identitas sheet is missing).
    Whether a Kode Usulan is recorded or was sent, stage moves and scans belong to
    workflow.check_kecamatan. `today` is the date in the configured time zone.
    """
    checker = _KecamatanChecker(wilayah, today)
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
    counts = IdentitasDesa(peserta_l=identitas.peserta_l, peserta_p=identitas.peserta_p)
    peserta = checker.peserta_sheet(raw, peserta_missing, counts, cells)
    usulan: list[UsulanKecamatan] = []
    if raw.usulan is not None:
        usulan = checker.kecamatan_usulan(raw.usulan, identitas, usulan_missing)
    book = BukuKerjaKecamatan(
        identitas=identitas,
        jadwal=jadwal,
        peserta=peserta,
        usulan=usulan,
        identitas_cells=cells,
        **_usulan_layout(raw),
    )
    return book, checker.report
