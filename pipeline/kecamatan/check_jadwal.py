"""The kecamatan's Jadwal sheet: its rows, the letters' dates, and the desa's own records.

Checks of the sheet itself (validation, no I/O): a row with a Tanggal needs Jam Mulai and
Tempat (the letter names them); a row with Jam or Tempat but no Tanggal needs the Tanggal
(otherwise no letter would be made without a word); a desa on two rows is `jadwal-ganda` (two
letters to one desa); rows whose kode is unknown or not of this kecamatan are left out of the
model. A Tanggal Surat Pemberitahuan after the Musrenbang Desa a row announces is
`surat-terlambat` (a warning on that row).

Against the desa's records (`jadwal_berbeda`, pure; the caller reads the ledger): a desa whose
own workbook gives another Tanggal Musrenbang, Jam Mulai or Tempat than the kecamatan's Jadwal
row for it gets a warning `jadwal-berbeda` on the kecamatan's receipt, one per field, on the
Jadwal cell; the desa's record stands (it is what happened). A field empty on either side is
not compared; Tempat is compared without case, punctuation or repeated spaces.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from pipeline.core.models import (
    IdentitasDesa,
    IdentitasKecamatan,
    JadwalDesa,
    RawRow,
    RawTable,
    Wilayah,
)
from pipeline.core.report import Issue, issue
from pipeline.core.standard import SHEET_JADWAL, normalise
from pipeline.intake.checks import (
    Checker,
    Found,
    Parser,
    cell_ref,
    name_key,
    row_cell,
    text_parser,
)
from pipeline.intake.parse import parse_kode_desa
from pipeline.intake.parse_dates import parse_date, parse_time

JADWAL_FIELDS: dict[str, tuple[str, Parser, str]] = {
    "Nama Desa/Kelurahan": ("nama_desa", text_parser, ""),
    "Tanggal Musrenbang": ("tanggal_musrenbang", parse_date, "tanggal-tidak-valid"),
    "Jam Mulai": ("jam_mulai", parse_time, "jam-tidak-valid"),
    "Tempat": ("tempat", text_parser, ""),
}
_KODE_DESA_LABEL = "Kode Desa/Kelurahan"


class JadwalChecks(Checker):
    """The Jadwal rows of a kecamatan workbook (a mixin of the kecamatan checker)."""

    def desa_of(self, kode: str, kecamatan: str | None) -> Wilayah | None:
        """The desa/kelurahan `kode` when it belongs to `kecamatan` (any, when unknown)."""
        desa = self.wilayah.desa(kode)
        if desa is None or (kecamatan and not kode.startswith(kecamatan + ".")):
            return None
        return desa

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
                    cell=cell_ref(table, label, row.row),
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
                    cell=cell_ref(table, _KODE_DESA_LABEL, row.row),
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
        found: Found,
        missing: set[str],
    ) -> Wilayah | None:
        """The desa of a Jadwal row (None, reported, when missing, unknown or elsewhere)."""
        sheet = table.sheet
        label = _KODE_DESA_LABEL
        self.read_cell(
            row_cell(row, label),
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
                    cell=cell_ref(table, label, row.row),
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
                cell=cell_ref(table, label, row.row),
                row=row.row,
                column=label,
            )
            return None
        written = found.values.get("nama_desa")
        prefixes = ("desa", "kelurahan", "kel.")
        if written is not None and name_key(written, prefixes) != name_key(desa.nama, prefixes):
            self.add(
                "nama-wilayah-berbeda",
                f"Nama Desa/Kelurahan '{written}' berbeda dari daftar wilayah untuk kode "
                f"{desa.kode} ('{desa.nama}'); periksa kodenya, surat memakai nama resmi "
                f"'{desa.nama}'",
                sheet=sheet,
                cell=cell_ref(table, "Nama Desa/Kelurahan", row.row),
                row=row.row,
                column="Nama Desa/Kelurahan",
            )
            found.values["nama_desa"] = desa.nama
        return desa

    def surat_terlambat(
        self, table: RawTable, identitas: IdentitasKecamatan, jadwal: list[JadwalDesa]
    ) -> None:
        """A letter dated after the Musrenbang Desa it announces (warning, per Jadwal row)."""
        surat = identitas.tanggal_surat_pemberitahuan
        if surat is None:
            return
        for j in jadwal:
            if j.tanggal_musrenbang is None or j.row is None or surat <= j.tanggal_musrenbang:
                continue
            label = "Tanggal Musrenbang"
            self.add(
                "surat-terlambat",
                f"Tanggal Surat Pemberitahuan {surat:%d-%m-%Y} sesudah Musrenbang "
                f"{j.nama_desa or j.kode_desa} ({j.tanggal_musrenbang:%d-%m-%Y}) yang "
                "diberitahukannya; periksa tanggal surat di lembar Identitas atau tanggal di "
                "baris ini",
                sheet=table.sheet,
                cell=cell_ref(table, label, j.row),
                row=j.row,
                column=label,
            )


def _loose(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", normalise(text)).split())


def _show(value: object) -> str:
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    return str(value)


def jadwal_berbeda(
    jadwal: Sequence[JadwalDesa],
    recorded: Mapping[str, IdentitasDesa],
    table: RawTable | None,
    level_word: Mapping[str, str],
) -> list[Issue]:
    """Warnings for every Jadwal field that differs from the desa's own record.

    `recorded`: kode desa -> the Identitas its workbook gave (desa without a workbook for
    the year are absent); `table`: the Jadwal sheet as read (for cell references);
    `level_word`: kode desa -> 'Desa' / 'Kelurahan'.
    """
    out: list[Issue] = []
    sheet = table.sheet if table else SHEET_JADWAL
    for j in jadwal:
        own = recorded.get(j.kode_desa)
        if own is None or not j.terisi:
            continue
        pairs: list[tuple[str, object, object, bool]] = [
            ("Tanggal Musrenbang", j.tanggal_musrenbang, own.tanggal_musrenbang, False),
            ("Jam Mulai", j.jam_mulai, own.jam_mulai, False),
            ("Tempat", j.tempat, own.tempat, True),
        ]
        region = f"{level_word.get(j.kode_desa, 'Desa')} {j.nama_desa or j.kode_desa}"
        for label, planned, held, loose in pairs:
            if planned is None or held is None:
                continue
            same = _loose(str(planned)) == _loose(str(held)) if loose else planned == held
            if same:
                continue
            cell = cell_ref(table, label, j.row) if table and j.row else None
            out.append(
                issue(
                    "jadwal-berbeda",
                    f"{label} untuk {region} di lembar Jadwal tertulis {_show(planned)}, "
                    f"sedangkan buku kerja {region} mencatat {_show(held)}. Catatan "
                    "desa/kelurahan yang berlaku; perbarui baris Jadwal bila jadwalnya memang "
                    "berubah.",
                    sheet=sheet,
                    cell=cell,
                    row=j.row,
                    column=label,
                )
            )
    return out
