"""Formulas without a cached value: which cells of which sheets hold a formula that no
spreadsheet program has computed yet (openpyxl would read them as empty). Read from the sheet
XML with a streaming parser, by sheet name as the workbook part names them."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[\s>/]")
_SHEETDATA_CELL = "c"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _uncomputed_formulas(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Sheet title -> (row, col) of formula cells without a cached value.

    A cached value is missing when `<v>` is absent or empty and the cell is not of string
    type (an empty string result is `t="str"` with an empty `<v>`: that is a real value).
    Only worksheets whose XML contains a formula tag are parsed.
    """
    from defusedxml.ElementTree import fromstring, iterparse

    result: dict[str, set[tuple[int, int]]] = {}
    with zipfile.ZipFile(path) as zf:
        parts = _sheet_parts(zf, fromstring)
        for title, part in parts.items():
            try:
                data = zf.read(part)
            except KeyError:
                continue
            if not _FORMULA_TAG.search(data):
                continue
            cells: set[tuple[int, int]] = set()
            for _, elem in iterparse(io.BytesIO(data), events=("end",)):
                if _local(elem.tag) != _SHEETDATA_CELL:
                    continue
                has_f = False
                v_text = None
                for child in elem:
                    tag = _local(child.tag)
                    if tag == "f":
                        has_f = True
                    elif tag in ("v", "is"):
                        v_text = child.text if tag == "v" else "inline"
                if has_f and not v_text and elem.get("t") not in ("str", "s", "inlineStr"):
                    ref = elem.get("r")
                    if ref:
                        cells.add(_ref_to_rc(ref))
                elem.clear()
            if cells:
                result[title] = cells
    return result


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_REF = re.compile(r"([A-Z]+)(\d+)")


def _ref_to_rc(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref.replace("$", "").upper())
    if not m:
        return (0, 0)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _sheet_parts(zf: zipfile.ZipFile, fromstring: Any) -> dict[str, str]:
    """Sheet title -> zip member of its XML, from xl/workbook.xml and its relationships."""
    wb_part = "xl/workbook.xml"
    rels_part = "xl/_rels/workbook.xml.rels"
    names = set(zf.namelist())
    if wb_part not in names or rels_part not in names:
        return {}
    rels = fromstring(zf.read(rels_part))
    targets: dict[str, str] = {}
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        if target.startswith("/"):
            member = target.lstrip("/")
        else:
            member = str(PurePosixPath("xl") / target)
        targets[rel.get("Id", "")] = _normpath(member)
    book = fromstring(zf.read(wb_part))
    parts: dict[str, str] = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        rid = sheet.get(f"{_NS_REL}id")
        title = sheet.get("name")
        if rid in targets and title:
            parts[title] = targets[rid]
    return parts


def _normpath(member: str) -> str:
    out: list[str] = []
    for piece in member.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece not in ("", "."):
            out.append(piece)
    return "/".join(out)
