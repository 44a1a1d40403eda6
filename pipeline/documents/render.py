"""Rendering machinery for every level: docx from templates (docxtpl), PDF, publishing.

Rendering is safe against operator text: Jinja autoescape plus a `finalize` that strips
XML-illegal characters and writes braces as character references, so `&`, `<`, `{{ }}`,
`{% %}` and control characters come out literally and never break the file. A template the
clerk broke raises TemplateError naming the template and the variable; nothing is published
for it. Templates saved by LibreOffice get their core-properties relationship repaired first
(docxtpl/python-docx would otherwise write a second docProps/core.xml).
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree
from markupsafe import Markup

from pipeline.core.config import Settings
from pipeline.core.memory import release_memory
from pipeline.core.report import Issue, issue
from pipeline.core.resources import data_dir
from pipeline.core.workspace import Workspace
from pipeline.documents import deferred
from pipeline.documents import formatting as fmt
from pipeline.documents.context import Gambar
from pipeline.documents.fast_template import FastTemplate
from pipeline.documents.finishing import set_paper, unbreakable_figures
from pipeline.documents.jejak_docx import ensure_jejak
from pipeline.documents.slim import slim_template

if TYPE_CHECKING:
    from pipeline.documents.convert import Converter

BUILTIN_TEMPLATES = data_dir("templates")  # the checkout's templates/, or the installed copy


# ----------------------------------------------------------------------------- errors


class TemplateError(Exception):
    """A template cannot be rendered. Names the template file and the variable or tag."""

    def __init__(self, template: Path, variable: str | None, detail: str, near: str = "") -> None:
        self.template = template
        self.variable = variable
        self.detail = detail
        self.near = near
        what = f"variabel '{variable}' tidak dikenal" if variable else detail
        where = f" (di teks: '{near}')" if near else ""
        super().__init__(
            f"Templat '{template.name}' ({template}) rusak: {what}{where}. Perbaiki templat itu "
            "(lihat docs/templates.md untuk nama variabel) atau hapus dari folder templates/ "
            "agar templat bawaan dipakai."
        )


# ----------------------------------------------------------------------------- safe text

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Text as it can stand in XML: line ends unified, illegal control characters removed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL_XML.sub("", value)


def _xml_literal(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("{", "&#123;")  # docxtpl rewrites '{_{' etc. after rendering; braces as
        .replace("}", "&#125;")  # references can never form such a sequence
    )


def _finalize(value: Any) -> Any:
    """Every `{{ value }}` passes here: None prints nothing, text is made XML-literal."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, InlineImage):  # the lambang: the image's own run XML
        return Markup(value.__html__())
    return Markup(_xml_literal(clean_text(str(value))))


class _Environment(jinja2.Environment):
    """Compiles each template source once: docxtpl calls from_string on every render."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._compiled: dict[str, jinja2.Template] = {}
        self._compiled_lock = threading.Lock()

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._compiled_lock:
            compiled = self._compiled.get(source)
        if compiled is None:
            compiled = super().from_string(source)
            with self._compiled_lock:
                if len(self._compiled) > 64:
                    self._compiled.clear()
                self._compiled[source] = compiled
        return compiled


_ENV: _Environment | None = None


def jinja_env() -> jinja2.Environment:
    """The shared rendering environment: autoescape, StrictUndefined, our filters."""
    global _ENV
    if _ENV is None:
        env = _Environment(autoescape=True, undefined=jinja2.StrictUndefined, finalize=_finalize)
        env.filters.update(fmt.FILTERS)
        _ENV = env
    return _ENV


# ----------------------------------------------------------------------------- templates

CORE_PROPS_RELTYPE = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
_RELTYPE_CORE = re.compile(rb'Type="[^"]*/metadata/core-properties"', re.IGNORECASE)
_REL_TO_CORE = re.compile(rb"<Relationship\b[^>]*docProps/core\.xml[^>]*>")

_cache_lock = threading.Lock()
_template_cache: dict[tuple[str, int, int], bytes] = {}


def repair_template(data: bytes) -> bytes:
    """Make a template safe for docxtpl: one core-properties part, with the standard relation.

    LibreOffice (24.x) writes the core-properties relationship as '.../officedocument/2006/
    relationships/metadata/core-properties'; python-docx does not recognise it and adds a
    second docProps/core.xml on save, which Word and LibreOffice reject (docxtpl #558).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        infos = zin.infolist()
        names = [i.filename for i in infos]
        rels = zin.read("_rels/.rels") if "_rels/.rels" in names else b""
        fixed = _RELTYPE_CORE.sub(f'Type="{CORE_PROPS_RELTYPE}"'.encode(), rels)
        if "docProps/core.xml" in names and not _REL_TO_CORE.search(fixed):
            fixed = fixed.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdCoreMusrenbang" Type="'
                + CORE_PROPS_RELTYPE.encode()
                + b'" Target="docProps/core.xml"/></Relationships>',
            )
        if fixed == rels and len(set(names)) == len(names):
            return data
        out = io.BytesIO()
        seen: set[str] = set()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in infos:
                if info.filename in seen:
                    continue
                seen.add(info.filename)
                body = fixed if info.filename == "_rels/.rels" else zin.read(info)
                zout.writestr(info, body)
        return out.getvalue()


def template_path(ws: Workspace | None, name: str) -> Path:
    """The workspace's templates/<name> when it exists, else the built-in one."""
    if ws is not None:
        own = ws.templates / name
        if own.is_file():
            return own
    return BUILTIN_TEMPLATES / name


def is_workspace_template(ws: Workspace | None, path: Path) -> bool:
    """True when `path` is the workspace's own copy (templates/ in the root), which a clerk
    may edit and break; False for the built-in templates of the installation."""
    return ws is not None and path.parent == ws.templates


class BuiltinTemplateError(RuntimeError):
    """A built-in template is missing or unusable: the installation is broken (exit 3)."""

    def __init__(self, cause: TemplateError) -> None:
        super().__init__(
            f"Templat bawaan '{cause.template.name}' tidak dapat dipakai ({cause.detail}); "
            f"folder {cause.template.parent}. Instalasi pipeline rusak atau tidak lengkap: "
            "pasang ulang paketnya (pip install --force-reinstall musrenbang-pipeline)."
        )
        self.cause = cause


def template_bytes(path: Path) -> bytes:
    """The bytes of a template, repaired and slimmed (documents/slim.py), cached while the file
    is unchanged."""
    try:
        st = path.stat()
    except FileNotFoundError as exc:
        raise TemplateError(path, None, "berkas templat tidak ada") from exc
    key = (str(path), st.st_mtime_ns, st.st_size)
    with _cache_lock:
        cached = _template_cache.get(key)
    if cached is not None:
        return cached
    try:
        data = slim_template(repair_template(path.read_bytes()))
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError) as exc:
        raise TemplateError(path, None, f"bukan berkas .docx yang sah ({exc})") from exc
    with _cache_lock:
        _template_cache[key] = data
    return data


def _template_texts(data: bytes) -> list[str]:
    """Paragraph texts of a template (body, headers, footers), to point at a bad tag."""
    texts: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8", "replace")
                for para in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.DOTALL):
                    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para))
                    if text.strip():
                        texts.append(text)
    return texts


def _near(data: bytes, needle: str) -> str:
    for text in _template_texts(data):
        if needle and needle in text:
            return text[:120]
    return ""


_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def _template_error(path: Path, data: bytes, exc: Exception) -> TemplateError:
    if isinstance(exc, jinja2.UndefinedError):
        m = _UNDEFINED.search(str(exc))
        variable = (m.group(1) or m.group(2)) if m else str(exc)
        return TemplateError(path, variable, str(exc), _near(data, variable))
    if isinstance(exc, jinja2.TemplateSyntaxError):
        context = [c.strip() for c in getattr(exc, "docx_context", []) if c.strip()]
        near = " / ".join(context)[:160]
        return TemplateError(path, None, f"kesalahan penulisan tag: {exc.message}", near)
    return TemplateError(path, None, f"{type(exc).__name__}: {exc}")


class _NoTree:
    """An lxml parser target that builds nothing: the parser only checks the XML, in C
    (iterparse handed every element to Python: 6x slower)."""

    def close(self) -> None:
        return None


def _well_formed(fh: IO[bytes]) -> None:
    """Raise etree.XMLSyntaxError unless the stream is well-formed XML."""
    parser = etree.XMLParser(target=_NoTree(), resolve_entities=False, no_network=True)
    while chunk := fh.read(1 << 16):
        parser.feed(chunk)
    parser.close()


def check_docx(path: Path) -> None:
    """Raise ValueError unless `path` is a well-formed docx (one entry per name, valid XML)."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        if len(names) != len(set(names)):
            raise ValueError("nama ganda di dalam arsip docx")
        for name in names:
            rendered = name == "word/document.xml" or re.fullmatch(
                r"word/(header|footer)\d*\.xml|docProps/core\.xml|_rels/\.rels|\[Content_Types\]\.xml",
                name,
            )
            if rendered:  # parsed as a stream: a 400-page kompilasi needs no second tree
                with z.open(name) as fh:
                    _well_formed(fh)
        if "word/document.xml" not in names:
            raise ValueError("word/document.xml tidak ada")


def missing_images(context: Any, base: Path | None = None) -> list[Path]:
    """The image files a context names that do not exist (they print as nothing)."""
    if isinstance(context, Gambar):
        path = context.path if base is None else base / context.path
        return [] if path.is_file() else [path]
    if isinstance(context, dict):
        return [p for v in context.values() for p in missing_images(v, base)]
    if isinstance(context, list | tuple):
        return [p for v in context for p in missing_images(v, base)]
    return []


def _with_images(tpl: DocxTemplate, context: Any, base: Path | None) -> Any:
    """The context with every Gambar made an InlineImage of `tpl` (a missing file: nothing)."""
    if isinstance(context, Gambar):
        path = context.path if base is None else base / context.path
        if not path.is_file():
            return ""
        return InlineImage(tpl, str(path), height=Mm(context.tinggi_mm))
    if isinstance(context, dict):
        return {k: _with_images(tpl, v, base) for k, v in context.items()}
    if isinstance(context, list):
        return [_with_images(tpl, v, base) for v in context]
    return context


def render_docx(
    template: Path,
    context: dict[str, Any],
    out: Path,
    paper: str = "A4",
    title: str = "",
    base: Path | None = None,
) -> Path:
    """Render `template` with `context` into `out` (a fresh DocxTemplate from cached bytes).
    Relative image paths (the lambang) are taken from `base` (the workspace root)."""
    data = template_bytes(template)
    tpl = FastTemplate(io.BytesIO(data))
    try:
        tpl.render(_with_images(tpl, context, base), jinja_env=jinja_env(), autoescape=True)
    except (jinja2.TemplateError, etree.XMLSyntaxError, ValueError) as exc:
        raise _template_error(template, data, exc) from exc
    ensure_jejak(tpl.docx, context.get("jejak"))  # a restyled template dropped it
    unbreakable_figures(tpl)
    set_paper(tpl, paper)
    if title:
        tpl.docx.core_properties.title = clean_text(title)
    out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(out)
    body = tpl.body_chars
    del tpl  # its element tree is the largest thing a big document holds
    release_memory(body)
    try:
        check_docx(out)
    except (ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        out.unlink(missing_ok=True)
        raise TemplateError(template, None, f"hasil render tidak sah ({exc})") from exc
    return out


def template_variables(template: Path) -> set[str]:
    """Top-level variables a template uses (for the contract test and docs)."""
    tpl = DocxTemplate(io.BytesIO(template_bytes(template)))
    return set(tpl.get_undeclared_template_variables(jinja_env()))


# ----------------------------------------------------------------------------- produce


@dataclass
class DocumentsResult:
    outputs: list[Path] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


@dataclass
class DocumentJob:
    """One document to produce: file stem, template name, context (and xlsx writer)."""

    stem: str
    template: str
    context: Callable[[], dict[str, Any]]
    xlsx: Callable[[Path], None] | None = None


def produce_documents(
    ws: Workspace,
    settings: Settings,
    jobs: list[DocumentJob],
    folder: Path,
    converter: Converter | None,
    *,
    what: str = "dokumen",
    prefix: str = "dokumen-",
) -> DocumentsResult:
    """Render, convert, check and publish `jobs` into `folder` (desa and kecamatan alike).

    Work happens in a private folder under ws.tmp; each file reaches `folder` by an atomic
    replace, and only after it was checked. A broken workspace template gives a
    `template-rusak` issue and no file for that document; a missing or failing LibreOffice
    gives `pdf-dilewati` and the docx (and xlsx) are still published. All documents go to
    the converter in one batch. `what` names the documents in the missing-LibreOffice issue.
    """
    result = DocumentsResult()
    if not jobs:
        return result
    ws.tmp.mkdir(parents=True, exist_ok=True)
    paper = settings.pdf.ukuran_kertas
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=ws.tmp))
    missing: set[Path] = set()
    rendered: list[tuple[DocumentJob, Path, Path | None]] = []
    converting = converter is not None and converter.available
    laters = deferred.current()
    future: Future[dict[Path, Path | None]] | None = None
    try:
        for job in jobs:
            template = template_path(ws, job.template)
            try:
                context = job.context()
                for path in missing_images(context, ws.root):
                    missing.add(path)
                docx = render_docx(
                    template,
                    context,
                    work / f"{job.stem}.docx",
                    paper,
                    context["judul_dokumen"],
                    base=ws.root,
                )
            except TemplateError as exc:
                if not is_workspace_template(ws, template):
                    # the installation itself is broken: an internal error (exit 3), never a
                    # warning that asks the clerk to delete a template they never had
                    raise BuiltinTemplateError(exc) from exc
                result.issues.append(issue("template-rusak", str(exc)))
                continue
            xlsx = None
            if job.xlsx is not None:
                xlsx = work / f"{job.stem}.xlsx"
                job.xlsx(xlsx)
            rendered.append((job, docx, xlsx))
        if rendered and converting and laters is not None:
            assert converter is not None
            future = converter.convert_later([d for _, d, _ in rendered], work / "pdf")
        elif rendered and not converting:
            result.issues.append(
                issue(
                    "pdf-dilewati",
                    f"LibreOffice (soffice) tidak ditemukan: {what} .docx ditulis, PDF "
                    "dilewati. Pasang LibreOffice atau atur [pdf] libreoffice di "
                    "musrenbang.toml, lalu jalankan ulang.",
                )
            )
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    lambang = [
        issue(
            "lambang-tidak-ada",
            f"Berkas lambang kop '{path}' ([kop] logo di musrenbang.toml) tidak ada: "
            "dokumen ditulis tanpa lambang. Periksa nama dan letak berkasnya.",
        )
        for path in sorted(missing)
    ]

    def finish() -> tuple[list[Path], list[Issue]]:
        """Wait for the PDFs, publish every file; (outputs, failed-conversion issues)."""
        try:
            pdfs: dict[Path, Path | None] = {}
            if future is not None:
                pdfs = future.result()
            elif rendered and converting:
                assert converter is not None
                pdfs = converter.convert_many([d for _, d, _ in rendered], work / "pdf")
            return deferred.publish(
                [(j.stem, d, x) for j, d, x in rendered], pdfs, folder, converting
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)

    if future is None or laters is None:
        outputs, failed = finish()
        result.outputs += outputs
        result.issues += [*failed, *lambang]
        return result
    for job, _docx, xlsx in rendered:
        result.outputs += [folder / f"{job.stem}.docx", folder / f"{job.stem}.pdf"]
        if xlsx is not None:
            result.outputs.append(folder / f"{job.stem}.xlsx")
    result.issues += lambang
    pdf_paths = [folder / f"{job.stem}.pdf" for job, _, _ in rendered]
    laters.append(deferred.Later(finish, pdf_paths, lambang[0] if lambang else None, future.done))
    return result
