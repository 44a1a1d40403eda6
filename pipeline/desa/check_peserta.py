"""The Peserta sheet (desa and kecamatan): its columns, its rows, and the Identitas counts."""

from __future__ import annotations

from pipeline.core.models import IdentitasDesa, Peserta, RawTable, RawWorkbook
from pipeline.core.standard import SHEET_IDENTITAS, SHEET_PESERTA, UNSUR, IdentitasField
from pipeline.documents.context import baris_daftar_hadir
from pipeline.intake.checks import Checker, Parser, cell_ref, choice_parser, row_of, text_parser
from pipeline.intake.parse import parse_jenis_kelamin

F = IdentitasField

PESERTA_FIELDS: dict[str, tuple[str, Parser, str]] = {
    "Nama": ("nama", text_parser, ""),
    "Jenis Kelamin": ("jenis_kelamin", parse_jenis_kelamin, "pilihan-tidak-valid"),
    "Unsur": ("unsur", choice_parser(UNSUR, "Unsur"), "pilihan-tidak-valid"),
    "Jabatan/Lembaga": ("jabatan", text_parser, ""),
    "Alamat": ("alamat", text_parser, ""),
    "No. HP": ("no_hp", text_parser, ""),
}


class PesertaChecks(Checker):
    """The Peserta rows, and the participant counts of Identitas checked against them."""

    def peserta(self, table: RawTable, missing: set[str]) -> list[Peserta]:
        out: list[Peserta] = []
        for row, found in self.data_rows(table, PESERTA_FIELDS):
            if "nama" not in found.values:
                if "Nama" not in found.troubled and "Nama" not in missing:
                    ref = cell_ref(table, "Nama", row.row)
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
        """Identitas counts against the Peserta rows; the Identitas figures win (a warning).
        A Jumlah Peserta above the rows of the Daftar Hadir is a warning too."""
        self.peserta_melebihi_daftar(identitas, peserta, sheet, cells)
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
                row=row_of(ref),
                column=label.value,
            )

    def peserta_melebihi_daftar(
        self, identitas: IdentitasDesa, peserta: list[Peserta], sheet: str, cells: dict[str, str]
    ) -> None:
        """More participants stated than the Daftar Hadir has rows to sign on."""
        if identitas.peserta_l is None and identitas.peserta_p is None:
            return
        jumlah = (identitas.peserta_l or 0) + (identitas.peserta_p or 0)
        rows = baris_daftar_hadir(len(peserta))
        if jumlah <= rows:
            return
        label = F.PESERTA_L if identitas.peserta_l is not None else F.PESERTA_P
        ref = cells.get(label.value)
        self.add(
            "peserta-melebihi-daftar",
            f"Jumlah Peserta {jumlah} orang, tetapi Daftar Hadir hanya memuat {rows} baris "
            f"({len(peserta)} peserta tercatat di lembar {SHEET_PESERTA} dan baris kosong); "
            f"catat peserta yang hadir di lembar {SHEET_PESERTA} agar daftar hadir memuat "
            "semuanya, atau periksa jumlahnya",
            sheet=sheet,
            cell=ref,
            row=row_of(ref),
            column=label.value,
        )
