"""Active content in PDFs: found in a scan (for its receipt), removed from the signed PDF.

An operator's scan PDF may carry JavaScript (`/JS`, `/JavaScript` name trees, JavaScript
actions), actions run on opening or on page events (`/OpenAction`, `/AA`), launch and
submit actions, embedded files (`/EmbeddedFiles`, file-attachment annotations), XFA forms, and
annotations with actions; pypdf copies much of it when it merges pages. The official signed
PDF must carry none of it: `strip` walks every object reachable from the document (once,
without decoding any stream) and removes the keys and annotations that hold such content.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

# Keys whose value is active content wherever they appear.
ACTIVE_KEYS = frozenset(
    {"/AA", "/OpenAction", "/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/XFA"}
)
# Actions that run code, start programs, send data or open other files.
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/GoToR", "/GoToE"}
    | {"/Rendition", "/Sound", "/Movie", "/RichMediaExecute", "/Hide", "/SetOCGState"}
)
# Annotations that embed files or media, whatever their actions.
ACTIVE_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
)
MAX_OBJECTS = 2_000_000  # a walk never runs away on a hostile object graph

_LABELS = {
    "/AA": "aksi otomatis (/AA)",
    "/OpenAction": "aksi saat dibuka (/OpenAction)",
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/EmbeddedFiles": "berkas tersemat",
    "/EmbeddedFile": "berkas tersemat",
    "/XFA": "formulir XFA",
    "annotation": "anotasi beraksi",
    "action": "aksi peluncur/kirim",
}


def _resolve(obj: PdfObject | None) -> PdfObject | None:
    try:
        return obj.get_object() if isinstance(obj, IndirectObject) else obj
    except Exception:  # noqa: BLE001 - a dangling reference is simply not followed
        return None


def _is_active_action(obj: PdfObject | None) -> bool:
    value = _resolve(obj)
    return isinstance(value, DictionaryObject) and value.get("/S") in ACTIVE_ACTIONS


def _is_active_annotation(obj: PdfObject | None) -> bool:
    value = _resolve(obj)
    if not isinstance(value, DictionaryObject):
        return False
    return "/A" in value or "/AA" in value or value.get("/Subtype") in ACTIVE_ANNOTATIONS


def strip(root: PdfObject, remove: bool = True) -> set[str]:
    """The kinds of active content reachable from `root` (a document's catalog or trailer),
    removed when `remove`. Never raises for odd objects; streams are not decoded."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = [root]
    steps = 0
    while stack and steps < MAX_OBJECTS:
        steps += 1
        item: PdfObject | None = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = _resolve(item)
        obj = item
        if isinstance(obj, DictionaryObject):  # stream objects too (their dictionary)
            for name, value in list(dict.items(obj)):  # raw values, not resolved
                if name in ACTIVE_KEYS:
                    found.add(name)
                    if remove:
                        del obj[NameObject(name)]
                elif name == "/Annots" and isinstance(_resolve(value), ArrayObject):
                    annots = _resolve(value)
                    assert isinstance(annots, ArrayObject)
                    kept = [a for a in annots if not _is_active_annotation(a)]
                    if len(kept) != len(annots):
                        found.add("annotation")
                        if remove:
                            obj[NameObject("/Annots")] = ArrayObject(kept)
                    stack.extend(kept)
                elif name in ("/A", "/Next") and _is_active_action(value):
                    found.add("action")
                    if remove:
                        del obj[NameObject(name)]
                elif name != "/Parent":  # the page tree is reached from its root
                    stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return found


def drop_unreachable(writer: PdfWriter) -> int:
    """Forget every object of `writer` no longer reachable from its catalog or info (what
    `strip` cut off, with whatever it referenced), so none of it is written; returns how
    many. pypdf's own orphan removal keeps chains of orphans."""
    objects: list[Any] | None = getattr(writer, "_objects", None)
    root_ref = writer.root_object.indirect_reference
    if objects is None or not isinstance(root_ref, IndirectObject):
        return 0
    seen: set[int] = set()
    stack: list[Any] = [root_ref, getattr(writer, "_info_obj", None)]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.pdf is not writer or obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = _resolve(obj)
        if isinstance(obj, DictionaryObject):
            stack.extend(dict.values(obj))  # raw values (a TreeObject iterates children)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    dropped = 0
    for index, obj in enumerate(objects):
        if obj is not None and index + 1 not in seen:
            objects[index] = None
            dropped += 1
    return dropped


def pdf_active_content(path: Path) -> set[str]:
    """The kinds of active content in the PDF at `path` (read lazily from the file); empty
    when there is none or when the PDF cannot be read (that has its own issue). Never raises."""
    try:
        with warnings.catch_warnings(), open(path, "rb") as fh:
            warnings.simplefilter("ignore")
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted:
                reader.decrypt("")
            return strip(reader.trailer, remove=False)
    except Exception:  # noqa: BLE001
        return set()


def describe(kinds: set[str]) -> str:
    """'JavaScript, aksi saat dibuka (/OpenAction)': what was found, in Indonesian."""
    return ", ".join(sorted({_LABELS.get(k, k) for k in kinds}))
