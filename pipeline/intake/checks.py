"""The checking machinery any workbook uses: cell parsers, the Identitas level, the checker.

`Checker` collects every issue of one workbook (no file I/O): it reads cells with their
parsers, reports missing sheets and columns, reads an Identitas sheet of any level, compares
region names and walks the data rows of a table; the levels add their own checks over it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pipeline.core.models import (
    IdentitasDesa,
    IdentitasKecamatan,
    RawCell,
    RawKeyValue,
    RawRow,
    RawTable,
    RawWorkbook,
    Wilayah,
)
from pipeline.core.report import Report, where
from pipeline.core.sebutan import Sebutan
from pipeline.core.standard import (
    BIDANG_KELURAHAN,
    SHEET_USULAN,
    Tahap,
    TahapKecamatan,
    normalise,
)
from pipeline.core.wilayah import WilayahList
from pipeline.intake.parse import (
    Parsed,
    clean_text,
    is_blank,
    is_excel_error,
    parse_choice,
    parse_whole,
    show,
)

Parser = Callable[[object], Parsed[Any]]
Bidang = Sequence[str] | None  # the settings' bidang.kelurahan (None: the standard's default)


def text_parser(value: object) -> Parsed[str]:
    """Any text, cleaned (a parser for free-text cells)."""
    return clean_text(value), None


def choice_parser(choices: list[str], what: str) -> Parser:
    """A parser taking one of `choices` (`what` names the list in messages)."""
    return lambda value: parse_choice(value, choices, what)


def whole_parser(minimum: int) -> Parser:
    """A parser taking a whole number of at least `minimum`."""
    return lambda value: parse_whole(value, minimum)


L = TypeVar("L", bound=str)  # a label: IdentitasField / UsulanColumn, or plain text
T = TypeVar("T", Tahap, TahapKecamatan)
M = TypeVar("M", IdentitasDesa, IdentitasKecamatan)
CellOf = Callable[[str], tuple[str | None, int | None]]


@dataclass(frozen=True)
class Level(Generic[L, T, M]):
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


@dataclass
class Found:
    """Values read from one row (or the Identitas sheet), with what went wrong where."""

    values: dict[str, Any] = field(default_factory=dict)  # attribute -> value
    troubled: set[str] = field(default_factory=set)  # labels already reported


class Checker:
    """Collects every issue of one workbook; the levels' checks are subclasses over it."""

    def __init__(
        self,
        wilayah: WilayahList,
        today: dt.date,
        bidang_kelurahan: Bidang = None,
    ) -> None:
        self.report = Report()
        self.wilayah = wilayah
        self.today = today
        self.bidang_kelurahan = list(bidang_kelurahan or BIDANG_KELURAHAN)
        # The level of a desa/kelurahan workbook, once its kode is known (None: unknown, or a
        # kecamatan workbook, whose rows are of both levels).
        self.sebutan: Sebutan | None = None

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
        found: Found,
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
        self, kv: RawKeyValue, level: Level[L, T, M], region: Callable[[M, str, CellOf], None]
    ) -> tuple[M, dict[str, str]]:
        """The Identitas sheet of `level` read and checked; label -> value cell."""
        sheet = kv.sheet
        values = {normalise(k): v for k, v in kv.values.items()}
        label_rows = {normalise(k): r for k, r in kv.label_rows.items()}
        cells: dict[str, str] = {}
        found = Found()

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
        if written is None or name_key(written, prefixes) == name_key(official.nama, prefixes):
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

    # ---------------------------------------------------------------- tables

    def data_rows(
        self, table: RawTable, fields: Mapping[L, tuple[str, Parser, str]]
    ) -> Iterator[tuple[RawRow, Found]]:
        """Each data row of `table` (blank rows skipped) with the cells of `fields` read."""
        for row in table.rows:
            if not has_data(row):
                continue
            found = Found()
            for label, (attr, parser, code) in fields.items():
                self.read_cell(
                    row_cell(row, label),
                    parser,
                    code,
                    sheet=table.sheet,
                    column=str(label),
                    found=found,
                    attr=attr,
                )
            yield row, found


# ----------------------------------------------------------------------------- helpers


def row_cell(row: RawRow, label: str) -> RawCell | None:
    """The cell of `label` in a table row (labels compared loosely); None when absent."""
    cell = row.cells.get(label)
    if cell is not None:
        return cell
    key = normalise(label)
    for name, found in row.cells.items():
        if normalise(name) == key:
            return found
    return None


def has_data(row: RawRow) -> bool:
    """Any standard cell other than No filled (a pre-numbered blank row is no data)."""
    return any(
        normalise(label) != "no" and (cell.is_formula_without_value or not is_blank(cell.value))
        for label, cell in row.cells.items()
    )


def cell_ref(table: RawTable, label: str, row: int) -> str | None:
    """The A1 reference of column `label` at `row`; None when the column is missing."""
    letter = table.columns.get(label)
    if letter is None:
        key = normalise(label)
        letter = next((v for k, v in table.columns.items() if normalise(k) == key), None)
    return f"{letter}{row}" if letter else None


def row_of(ref: str | None) -> int | None:
    """The row number of an A1 reference."""
    if not ref:
        return None
    digits = re.sub(r"^[A-Za-z]+", "", ref)
    return int(digits) if digits.isdigit() else None


def name_key(name: str, prefixes: tuple[str, ...]) -> str:
    """A region name for comparison: normalised, without a leading `prefixes` word."""
    key = normalise(name)
    for prefix in prefixes:
        if key.startswith(prefix + " ") or (prefix.endswith(".") and key.startswith(prefix)):
            key = key[len(prefix) :].strip()
            break
    return key


def usulan_layout(raw: RawWorkbook) -> dict[str, Any]:
    """Where the Usulan table stands in the dropped file (for marks and written kode)."""
    if raw.usulan is None:
        return {"usulan_columns": {}, "usulan_sheet": SHEET_USULAN}
    return {"usulan_columns": dict(raw.usulan.columns), "usulan_sheet": raw.usulan.sheet}
