"""A template's unused styles, dropped once when it is loaded.

A template made by python-docx or saved by Word carries every built-in style (~160 of them,
350 KB of styles.xml) and Word 2010's stylesWithEffects.xml (another 440 KB), though a
document uses a handful. LibreOffice imports every style on each load, python-docx writes both
parts again for every document, and each PDF conversion pays for it. So the styles that no
part of the template names (directly, or through a kept style's basedOn, next or link) are
dropped, default styles always kept; stylesWithEffects.xml (which Word rebuilds from
styles.xml and LibreOffice ignores) goes with its relationship and content type. A restyled
template gets the same treatment: only what it uses is kept.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STYLES = "word/styles.xml"
WITH_EFFECTS = "word/stylesWithEffects.xml"
_NAMED = re.compile(rb'<w:(?:\w*[sS]tyle\w*|styleLink|numStyleLink)\b[^>]*?\bw:val="([^"]+)"')
_EFFECTS_REL = re.compile(rb'<Relationship\b[^>]*?Target="[^"]*stylesWithEffects\.xml"[^>]*/>')
_EFFECTS_TYPE = re.compile(rb'<Override\b[^>]*?PartName="/word/stylesWithEffects\.xml"[^>]*/>')


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _kept_styles(styles: etree._Element, named: set[str]) -> set[str]:
    """The style ids to keep: those named, the defaults, and every style they lead to."""
    by_id = {s.get(_w("styleId")): s for s in styles.iter(_w("style"))}
    todo = [i for i in named if i in by_id]
    todo += [i for i, s in by_id.items() if s.get(_w("default")) in ("1", "true", "on")]
    kept: set[str] = set()
    while todo:
        style_id = todo.pop()
        if style_id in kept or style_id not in by_id:
            continue
        kept.add(style_id)
        for link in ("basedOn", "next", "link"):
            ref = by_id[style_id].find(_w(link))
            if ref is not None and ref.get(_w("val")):
                todo.append(str(ref.get(_w("val"))))
    return kept


def slim_template(data: bytes) -> bytes:
    """`data` (a docx) without the styles it never uses, or `data` itself when nothing goes."""
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        names = zin.namelist()
        if STYLES not in names:
            return data
        named: set[str] = set()
        for name in names:
            if name.endswith(".xml") and name not in (STYLES, WITH_EFFECTS):
                named |= {m.decode() for m in _NAMED.findall(zin.read(name))}
        styles = etree.fromstring(zin.read(STYLES))
        kept = _kept_styles(styles, named)
        dropped = [s for s in styles.iter(_w("style")) if s.get(_w("styleId")) not in kept]
        if not dropped and WITH_EFFECTS not in names:
            return data
        for style in dropped:
            styles.remove(style)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                body = zin.read(info)
                if info.filename == WITH_EFFECTS:
                    continue
                if info.filename == STYLES:
                    body = etree.tostring(styles, xml_declaration=True, encoding="UTF-8",
                                          standalone=True)  # fmt: skip
                elif info.filename == "word/_rels/document.xml.rels":
                    body = _EFFECTS_REL.sub(b"", body)
                elif info.filename == "[Content_Types].xml":
                    body = _EFFECTS_TYPE.sub(b"", body)
                zout.writestr(info, body)
    return out.getvalue()
