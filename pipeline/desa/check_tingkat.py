"""Desa or kelurahan: the choices of a workbook's own level, and values of the other level.

A desa workbook with a kelurahan-only value (Dana Kelurahan, a kelurahan bidang, Kepala
Lingkungan, Asal `Kelurahan`) or the reverse (APBDes, a desa bidang, BPD, Kepala Dusun, a
dusun, Asal `Desa` on a kelurahan) is an error naming the cell, whose message says what the
level uses instead. The kecamatan checks its desa rows with the same messages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.core.models import RawTable
from pipeline.core.sebutan import KELURAHAN, Sebutan, sebutan, semua_bidang, semua_sumber_dana
from pipeline.core.standard import (
    BIDANG_KELURAHAN,
    UNSUR,
    UNSUR_PEMERINTAH,
    UsulanColumn,
    match_choice,
    normalise,
)
from pipeline.intake.checks import Checker, Found, Parser, cell_ref, choice_parser
from pipeline.intake.parse import Parsed, clean_text, is_blank, parse_choice

C = UsulanColumn


def lain(sb: Sebutan, bidang_kelurahan: Sequence[str] = BIDANG_KELURAHAN) -> Sebutan:
    """The other level (for a kelurahan: the desa; for a desa: the kelurahan, whose bidang
    are `bidang_kelurahan`)."""
    if sb.level == KELURAHAN:
        return sebutan("desa")
    return sebutan(KELURAHAN, bidang_kelurahan)


def _daftar(items: Sequence[str]) -> str:
    return "; ".join(items)


def tingkat_lain(column: str, value: str, sb: Sebutan) -> str:
    """The message for `value` of `column` that belongs to the other level than `sb`'s."""
    other = lain(sb)  # its bidang are not named in the message
    wilayah, milik = sb.wilayah.lower(), other.wilayah.lower()
    if column == C.SUMBER_DANA:
        return (
            f"Sumber Dana '{value}' hanya untuk {milik}; {wilayah} tidak mempunyai "
            f"{other.dana_sendiri}: pakai {sb.dana_sendiri} atau APBD Kabupaten (atau sumber "
            f"lain dari daftar pilihan: {_daftar(sb.sumber_dana)})"
        )
    if column == C.BIDANG:
        return (
            f"'{value}' adalah bidang {milik}; buku kerja ini untuk {wilayah}: pilih salah satu "
            f"bidang {wilayah}: {_daftar(sb.bidang)}"
        )
    if column == "Unsur":
        ganti = {
            other.kepala_wilayah_kecil: sb.kepala_wilayah_kecil,
            other.pemerintah: sb.pemerintah,
            "BPD": "LPM",
        }.get(value)
        hint = f": pilih {ganti}" if ganti else f": pilih salah satu: {_daftar(sb.unsur)}"
        return f"Unsur '{value}' tidak ada di {wilayah}{hint}"
    # Asal Usulan
    if normalise(value) == normalise(other.asal_sendiri):
        return (
            f"Asal Usulan '{value}' untuk {wilayah} ditulis '{sb.asal_sendiri}' (usulan "
            f"tambahan {wilayah} sendiri)"
        )
    if normalise(value) == normalise(other.lembaga):
        return f"{wilayah} tidak mempunyai {other.lembaga}: tulis lembaga pengusulnya, mis. LPM"
    return (
        f"Asal Usulan '{value}': {wilayah} tidak mempunyai {other.wilayah_kecil.lower()}; tulis "
        f"{sb.wilayah_kecil.lower()} asal usulan, '{sb.asal_sendiri}', atau nama lembaga"
    )


def level_parser(column: str, own: Sequence[str], other: Sequence[str], sb: Sebutan) -> Parser:
    """A choice among the level's `own` values; one of the `other` level's gets its message."""
    choices = list(own)

    def parse(value: object) -> Parsed[str]:
        if value is None or is_blank(value):
            return None, None
        text = clean_text(value) or ""
        found = match_choice(text, choices)
        if found is not None:
            return found, None
        if column == "Unsur" and normalise(text) == normalise(UNSUR_PEMERINTAH):
            return sb.pemerintah, None  # the standard's joint value, read as this level's
        theirs = match_choice(text, list(other))
        if theirs is not None:
            return None, tingkat_lain(column, theirs, sb)
        return parse_choice(value, choices, column)

    return parse


def bidang_parser(sb: Sebutan | None, bidang_kelurahan: Sequence[str]) -> Parser:
    """Bidang of the workbook's level; of both levels when unknown (a kecamatan's rows)."""
    if sb is None:
        return choice_parser(semua_bidang(bidang_kelurahan), "Bidang")
    return level_parser(C.BIDANG, sb.bidang, lain(sb, bidang_kelurahan).bidang, sb)


def sumber_dana_parser(sb: Sebutan | None) -> Parser:
    if sb is None:
        return choice_parser(semua_sumber_dana(), "Sumber Dana")
    return level_parser(C.SUMBER_DANA, sb.sumber_dana, lain(sb).sumber_dana, sb)


def unsur_parser(sb: Sebutan | None) -> Parser:
    if sb is None:
        return choice_parser(UNSUR, "Unsur")
    other = lain(sb)
    theirs = [u for u in [*UNSUR, *other.unsur] if u not in sb.unsur]
    return level_parser("Unsur", sb.unsur, theirs, sb)


def asal_lain(value: str, sb: Sebutan) -> bool:
    """An Asal Usulan that names the other level: its own additions (`Desa` / `Kelurahan`),
    the BPD on a kelurahan, or a wilayah of the other kind (a dusun / a lingkungan)."""
    other = lain(sb)
    key = normalise(value)
    theirs = {normalise(other.asal_sendiri)}
    if sb.level == KELURAHAN:
        theirs.add(normalise(other.lembaga))  # a kelurahan has no BPD (a desa has an LPM too)
    if key in theirs:
        return True
    return re.match(rf"{re.escape(other.wilayah_kecil.casefold())}\b", key) is not None


class TingkatChecks(Checker):
    """Values of a row checked against the level of the row's desa or kelurahan."""

    def asal_tingkat(self, table: RawTable, row: int, found: Found, sb: Sebutan | None) -> None:
        asal = found.values.get("asal")
        if sb is None or not asal or not asal_lain(asal, sb):
            return
        self.add(
            "asal-tidak-cocok",
            tingkat_lain(C.ASAL, asal, sb),
            sheet=table.sheet,
            cell=cell_ref(table, C.ASAL.value, row),
            row=row,
            column=C.ASAL.value,
        )
        found.troubled.add(C.ASAL.value)

    def pilihan_tingkat(self, table: RawTable, row: int, found: Found, level: str) -> None:
        """Bidang and Sumber Dana of a row read against both levels' lists (a kecamatan's
        row of a desa of `level`): a value of the other level is an error, then left empty."""
        sb = sebutan(level, self.bidang_kelurahan)
        for column, attr, own in (
            (C.BIDANG, "bidang", sb.bidang),
            (C.SUMBER_DANA, "sumber_dana", sb.sumber_dana),
        ):
            value = found.values.get(attr)
            if value is None or match_choice(value, list(own)) is not None:
                continue
            self.add(
                "pilihan-tidak-valid",
                tingkat_lain(column, value, sb),
                sheet=table.sheet,
                cell=cell_ref(table, column.value, row),
                row=row,
                column=column.value,
            )
            del found.values[attr]
            found.troubled.add(column.value)
        self.asal_tingkat(table, row, found, sb)


__all__ = [
    "TingkatChecks",
    "asal_lain",
    "bidang_parser",
    "level_parser",
    "sumber_dana_parser",
    "tingkat_lain",
    "unsur_parser",
]
