"""Documents of a desa: context builders, docx rendering (docxtpl), PDF and xlsx, publishing.

Which document comes at which stage is data (DOCUMENTS). Each document has one context
builder `(snapshot, settings) -> dict`; templates only place values (docs/templates.md).

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate
from lxml import etree
from markupsafe import Markup

from pipeline.core.atomic import copy_file
from pipeline.core.config import Settings
from pipeline.core.models import DesaSnapshot, Peserta, Usulan
from pipeline.core.report import Issue, issue
from pipeline.core.standard import BIDANG, TAHAP_URUTAN, Keputusan, Tahap
from pipeline.core.workspace import Workspace, document_stem
from pipeline.documents import formatting as fmt

if TYPE_CHECKING:
    from pipeline.documents.convert import Converter

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

TITIK = "...................."  # a blank to fill in by hand on the printed page
BARIS_KOSONG_TANPA_PESERTA = 40  # blank attendance rows when no participant is listed
BARIS_KOSONG_TAMBAHAN = 5  # extra rows under a pre-filled list, for late arrivals

# (width, height) in mm, portrait
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210, 297), "F4": (215, 330)}

ZONA_SINGKAT = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


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


def template_bytes(path: Path) -> bytes:
    """The (repaired) bytes of a template, cached while the file is unchanged."""
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
        data = repair_template(path.read_bytes())
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
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


def _set_paper(tpl: DocxTemplate, paper: str) -> None:
    width, height = PAPER_MM[paper]
    for section in tpl.docx.sections:
        landscape = (section.page_width or 0) > (section.page_height or 0)
        w, h = (height, width) if landscape else (width, height)
        section.page_width, section.page_height = Mm(w), Mm(h)


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
            if rendered:
                etree.fromstring(z.read(name))
        if "word/document.xml" not in names:
            raise ValueError("word/document.xml tidak ada")


def render_docx(
    template: Path, context: dict[str, Any], out: Path, paper: str = "A4", title: str = ""
) -> Path:
    """Render `template` with `context` into `out` (a fresh DocxTemplate from cached bytes)."""
    data = template_bytes(template)
    tpl = DocxTemplate(io.BytesIO(data))
    try:
        tpl.render(context, jinja_env=jinja_env(), autoescape=True)
    except (jinja2.TemplateError, etree.XMLSyntaxError, ValueError) as exc:
        raise _template_error(template, data, exc) from exc
    _set_paper(tpl, paper)
    if title:
        tpl.docx.core_properties.title = clean_text(title)
    out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(out)
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


# ----------------------------------------------------------------------------- context


def _s(value: object, blank: str = "") -> str:
    if value is None:
        return blank
    text = str(value).strip()
    return text or blank


def _zona(settings: Settings) -> str:
    return ZONA_SINGKAT.get(settings.jadwal.zona_waktu, "")


def _jam(jam: str | None, settings: Settings) -> str:
    text = _s(jam)
    if not text:
        return TITIK
    zona = _zona(settings)
    return f"{text} {zona} s.d. selesai" if zona else f"{text} s.d. selesai"


def waktu(
    tanggal: Any, jam: str | None, tempat: str | None, alamat: str | None, settings: Settings
) -> dict[str, Any]:
    """Day, date (figures and words), time and place of a meeting, dotted when unknown."""
    return {
        "hari": fmt.hari(tanggal) or TITIK,
        "tanggal": fmt.tanggal(tanggal) or TITIK,
        "hari_tanggal": fmt.hari_tanggal(tanggal) or TITIK,
        "tanggal_angka": fmt.tanggal_angka(tanggal) or TITIK,
        "tanggal_kata": fmt.terbilang(tanggal.day) if tanggal else TITIK,
        "bulan": fmt.bulan(tanggal) or TITIK,
        "tahun_kata": fmt.terbilang(tanggal.year) if tanggal else TITIK,
        "tanggal_terbilang": fmt.tanggal_terbilang(tanggal) or TITIK,
        "jam": _jam(jam, settings),
        "tempat": _s(tempat, TITIK),
        "alamat": _s(alamat, TITIK),
    }


def _kepala_jabatan(snapshot: DesaSnapshot) -> str:
    return "Lurah" if snapshot.desa.level == "kelurahan" else "Kepala Desa"


def common_context(snapshot: DesaSnapshot, settings: Settings, kind: str) -> dict[str, Any]:
    """Keys every desa template may use (docs/templates.md)."""
    ident = snapshot.identitas
    level = snapshot.desa.level_word
    kabupaten = settings.kabupaten.nama or snapshot.kabupaten.nama
    tanggal = ident.tanggal_musrenbang
    alamat_kop = settings.kop.alamat or _s(ident.alamat)
    if settings.kop.telepon:
        alamat_kop = f"{alamat_kop} {settings.kop.telepon}".strip()
    nip = _s(ident.nip_kepala)
    desa_nama = snapshot.desa.nama
    return {
        "judul_dokumen": f"{kind} Musrenbang {level} {desa_nama} {snapshot.tahun}",
        "judul_musrenbang": (
            f"MUSYAWARAH PERENCANAAN PEMBANGUNAN {level.upper()} {desa_nama.upper()}"
        ),
        "tahun": snapshot.tahun,
        "tahap": str(snapshot.tahap),
        "kop": {
            "pemerintah": settings.kop.pemerintah or f"PEMERINTAH {kabupaten.upper()}",
            "kecamatan": f"KECAMATAN {snapshot.kecamatan.nama.upper()}",
            "desa": (
                f"KELURAHAN {desa_nama.upper()}"
                if snapshot.desa.level == "kelurahan"
                else f"PEMERINTAH DESA {desa_nama.upper()}"
            ),
            "alamat": alamat_kop,
        },
        "desa": {
            "kode": snapshot.desa.kode,
            "nama": desa_nama,
            "level": level,
            "jabatan_kepala": _kepala_jabatan(snapshot),
        },
        "kecamatan": {"kode": snapshot.kecamatan.kode, "nama": snapshot.kecamatan.nama},
        "kabupaten": {"kode": snapshot.kabupaten.kode, "nama": kabupaten},
        "tanggal_musrenbang": tanggal,
        "musrenbang": waktu(tanggal, ident.jam_mulai, ident.tempat, ident.alamat, settings),
        "kepala": {
            "nama": _s(ident.nama_kepala, f"({TITIK})"),
            "nip": nip,
            "nip_baris": f"NIP. {nip}" if nip else "",
        },
        "tempat_tanggal_ttd": f"{desa_nama}, {fmt.tanggal(tanggal) or TITIK}",
    }


def _unsur(p: Peserta) -> str:
    parts = [x for x in (_s(p.unsur), _s(p.jabatan)) if x]
    if len(parts) == 2 and parts[0].casefold() == parts[1].casefold():
        parts = parts[:1]
    return " / ".join(parts)


def _ttd(no: int) -> tuple[str, str]:
    """Signature numbers zig-zag left and right, as on paper attendance lists."""
    mark = f"{no}. ........"
    return (mark, "") if no % 2 else ("", mark)


def daftar_hadir_rows(peserta: list[Peserta]) -> list[dict[str, Any]]:
    """Attendance rows: the listed participants, then blank rows to fill in by hand."""
    rows: list[dict[str, Any]] = []

    def add(nama: str, jk: str, unsur: str, alamat: str) -> None:
        no = len(rows) + 1
        kiri, kanan = _ttd(no)
        rows.append(
            {
                "no": no,
                "nama": nama,
                "jenis_kelamin": jk,
                "unsur": unsur,
                "alamat": alamat,
                "ttd_kiri": kiri,
                "ttd_kanan": kanan,
            }
        )

    for p in peserta:
        add(_s(p.nama), _s(p.jenis_kelamin), _unsur(p), _s(p.alamat))
    for _ in range(BARIS_KOSONG_TAMBAHAN if rows else BARIS_KOSONG_TANPA_PESERTA):
        add("", "", "", "")
    return rows


def daftar_hadir_context(snapshot: DesaSnapshot, settings: Settings) -> dict[str, Any]:
    ctx = common_context(snapshot, settings, "Daftar Hadir")
    ctx["peserta"] = daftar_hadir_rows(snapshot.peserta)
    ctx["jumlah_peserta_terdaftar"] = len(snapshot.peserta)
    return ctx


def _volume_satuan(u: Usulan) -> str:
    return " ".join(x for x in (fmt.angka(u.volume), _s(u.satuan)) if x)


def _usulan_row(u: Usulan, no: int) -> dict[str, Any]:
    return {
        "no": no,
        "kode": _s(u.kode_usulan),
        "asal": _s(u.asal),
        "bidang": _s(u.bidang),
        "kegiatan": _s(u.kegiatan),
        "lokasi": _s(u.lokasi),
        "volume": fmt.angka(u.volume),
        "satuan": _s(u.satuan),
        "volume_satuan": _volume_satuan(u),
        "biaya": u.biaya or 0,
        "biaya_rupiah": fmt.rupiah(u.biaya) if u.biaya is not None else "",
        "sumber_dana": _s(u.sumber_dana),
        "prioritas": u.prioritas if u.prioritas is not None and u.diterima else "",
        "keputusan": str(u.keputusan) if u.keputusan else "",
        "catatan": _s(u.catatan),
        "revisi_catatan": (
            f" (revisi: {_s(u.catatan)})"
            if u.keputusan is Keputusan.REVISI and _s(u.catatan)
            else ""
        ),
    }


def hadir(peserta_l: int | None, peserta_p: int | None, peserta: list[Peserta]) -> dict[str, Any]:
    """Attendance counts (figures and words): the identitas counts, else the list's L/P."""
    if peserta_l is not None or peserta_p is not None:
        laki, perempuan = peserta_l or 0, peserta_p or 0
    else:
        laki = sum(1 for p in peserta if (p.jenis_kelamin or "").upper() == "L")
        perempuan = sum(1 for p in peserta if (p.jenis_kelamin or "").upper() == "P")
    jumlah = laki + perempuan
    return {
        "jumlah": jumlah,
        "jumlah_kata": fmt.terbilang(jumlah),
        "l": laki,
        "l_kata": fmt.terbilang(laki),
        "p": perempuan,
        "p_kata": fmt.terbilang(perempuan),
    }


def _hadir(snapshot: DesaSnapshot) -> dict[str, Any]:
    ident = snapshot.identitas
    return hadir(ident.peserta_l, ident.peserta_p, snapshot.peserta)


def _by_priority(u: Usulan) -> tuple[int, int]:
    return (0, u.prioritas) if u.prioritas is not None else (1, 0)


def berita_acara_context(snapshot: DesaSnapshot, settings: Settings) -> dict[str, Any]:
    ctx = common_context(snapshot, settings, "Berita Acara")
    ident = snapshot.identitas
    agreed = sorted((u for u in snapshot.usulan if u.diterima), key=_by_priority)
    rejected = [u for u in snapshot.usulan if u.keputusan is Keputusan.DITOLAK]
    diterima = sum(1 for u in agreed if u.keputusan is Keputusan.DITERIMA)
    revisi = sum(1 for u in agreed if u.keputusan is Keputusan.REVISI)
    biaya = sum(u.biaya or 0 for u in agreed)
    ctx.update(
        {
            "hadir": _hadir(snapshot),
            "pimpinan_rapat": _s(ident.pimpinan_rapat, f"({TITIK})"),
            "notulen": _s(ident.notulen, f"({TITIK})"),
            "wakil_masyarakat": f"({TITIK}{TITIK})",
            "keputusan": {
                "jumlah_usulan": len(snapshot.usulan),
                "jumlah_usulan_kata": fmt.terbilang(len(snapshot.usulan)),
                "disepakati": len(agreed),
                "disepakati_kata": fmt.terbilang(len(agreed)),
                "diterima": diterima,
                "diterima_kata": fmt.terbilang(diterima),
                "revisi": revisi,
                "revisi_kata": fmt.terbilang(revisi),
                "ditolak": len(rejected),
                "ditolak_kata": fmt.terbilang(len(rejected)),
                "biaya": biaya,
                "biaya_rupiah": fmt.rupiah(biaya),
                "biaya_kata": fmt.terbilang(biaya),
            },
            "disepakati": [_usulan_row(u, i) for i, u in enumerate(agreed, 1)],
            "ditolak": [_usulan_row(u, i) for i, u in enumerate(rejected, 1)],
            "jumlah_disepakati_rupiah": fmt.rupiah(biaya),
            "judul_lampiran": (
                f"Berita Acara Musrenbang {snapshot.desa.level_word} {snapshot.desa.nama} "
                f"Kecamatan {snapshot.kecamatan.nama} Tahun Rencana {snapshot.tahun}, "
                f"tanggal {ctx['musrenbang']['tanggal']}"
            ),
        }
    )
    return ctx


def kelompok_bidang(usulan: list[Usulan]) -> list[tuple[str, list[Usulan]]]:
    """Usulan grouped by bidang in the standard order (unknown bidang after, as written)."""
    groups: dict[str, list[Usulan]] = {b: [] for b in BIDANG}
    for u in usulan:
        groups.setdefault(_s(u.bidang, "(Bidang belum diisi)"), []).append(u)
    return [(b, rows) for b, rows in groups.items() if rows]


_HURUF = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def kompilasi_context(snapshot: DesaSnapshot, settings: Settings) -> dict[str, Any]:
    ctx = common_context(snapshot, settings, "Kompilasi Usulan")
    groups = []
    no = 0
    for idx, (bidang, rows) in enumerate(kelompok_bidang(snapshot.usulan)):
        items = []
        for u in rows:
            no += 1
            items.append(_usulan_row(u, no))
        jumlah = sum(u.biaya or 0 for u in rows)
        groups.append(
            {
                "huruf": _HURUF[idx % len(_HURUF)],
                "bidang": bidang,
                "usulan": items,
                "jumlah": jumlah,
                "jumlah_rupiah": fmt.rupiah(jumlah),
            }
        )
    total = sum(u.biaya or 0 for u in snapshot.usulan)
    n = len(snapshot.usulan)
    diterima = sum(1 for u in snapshot.usulan if u.keputusan is Keputusan.DITERIMA)
    revisi = sum(1 for u in snapshot.usulan if u.keputusan is Keputusan.REVISI)
    ditolak = sum(1 for u in snapshot.usulan if u.keputusan is Keputusan.DITOLAK)
    ctx.update(
        {
            "kelompok": groups,
            "jumlah_total": total,
            "jumlah_total_rupiah": fmt.rupiah(total),
            "ringkasan": (
                f"{n} usulan: {diterima} diterima, {revisi} diterima dengan revisi, "
                f"{ditolak} ditolak"
            ),
        }
    )
    return ctx


# ----------------------------------------------------------------------------- registry

ContextBuilder = Callable[[DesaSnapshot, Settings], dict[str, Any]]
XlsxWriter = Callable[[DesaSnapshot, Settings, Path], None]


def _write_kompilasi_xlsx(snapshot: DesaSnapshot, settings: Settings, path: Path) -> None:
    from pipeline.desa.kompilasi_xlsx import write_kompilasi_xlsx

    write_kompilasi_xlsx(snapshot, settings, path)


@dataclass(frozen=True)
class DocumentSpec:
    key: str  # "berita-acara"
    kind: str  # the name part of the file stem: "Berita Acara"
    template: str  # file name in templates/
    tahap: tuple[Tahap, ...]  # desa stages at which the document is (re)written
    context: ContextBuilder
    xlsx: XlsxWriter | None = None

    def stem(self, snapshot: DesaSnapshot) -> str:
        return document_stem(self.kind, snapshot.desa, snapshot.tahun)


DOCUMENTS: tuple[DocumentSpec, ...] = (
    DocumentSpec(
        key="daftar-hadir",
        kind="Daftar Hadir",
        template="daftar-hadir-desa.docx",
        tahap=(Tahap.PERSIAPAN, Tahap.PELAKSANAAN, Tahap.VERIFIKASI, Tahap.KIRIM),
        context=daftar_hadir_context,
    ),
    DocumentSpec(
        key="berita-acara",
        kind="Berita Acara",
        template="berita-acara-desa.docx",
        tahap=(Tahap.VERIFIKASI, Tahap.KIRIM),
        context=berita_acara_context,
    ),
    DocumentSpec(
        key="kompilasi",
        kind="Kompilasi Usulan",
        template="kompilasi-usulan-desa.docx",
        tahap=(Tahap.VERIFIKASI, Tahap.KIRIM),
        context=kompilasi_context,
        xlsx=_write_kompilasi_xlsx,
    ),
)


def documents_for(tahap: Tahap) -> list[DocumentSpec]:
    """The documents written for a desa standing at `tahap`."""
    assert tahap in TAHAP_URUTAN
    return [d for d in DOCUMENTS if tahap in d.tahap]


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
    try:
        rendered: list[tuple[DocumentJob, Path, Path | None]] = []
        for job in jobs:
            template = template_path(ws, job.template)
            try:
                context = job.context()
                docx = render_docx(
                    template, context, work / f"{job.stem}.docx", paper, context["judul_dokumen"]
                )
            except TemplateError as exc:
                result.issues.append(issue("template-rusak", str(exc)))
                continue
            xlsx = None
            if job.xlsx is not None:
                xlsx = work / f"{job.stem}.xlsx"
                job.xlsx(xlsx)
            rendered.append((job, docx, xlsx))

        pdfs: dict[Path, Path | None] = {}
        if rendered and converter is not None and converter.available:
            pdfs = converter.convert_many([d for _, d, _ in rendered], work / "pdf")
        elif rendered:
            result.issues.append(
                issue(
                    "pdf-dilewati",
                    f"LibreOffice (soffice) tidak ditemukan: {what} .docx ditulis, PDF "
                    "dilewati. Pasang LibreOffice atau atur [pdf] libreoffice di "
                    "musrenbang.toml, lalu jalankan ulang.",
                )
            )

        for job, docx, xlsx in rendered:
            result.outputs.append(copy_file(docx, folder / f"{job.stem}.docx"))
            pdf = pdfs.get(docx)
            if pdf is not None:
                result.outputs.append(copy_file(pdf, folder / f"{job.stem}.pdf"))
            else:
                # an old PDF would no longer match the new docx
                (folder / f"{job.stem}.pdf").unlink(missing_ok=True)
                if converter is not None and converter.available:
                    result.issues.append(
                        issue(
                            "pdf-dilewati",
                            f"Konversi PDF '{job.stem}.pdf' gagal atau melewati batas waktu: "
                            ".docx ditulis, PDF belum. Akan dicoba lagi pada proses berikutnya.",
                        )
                    )
            if xlsx is not None:
                result.outputs.append(copy_file(xlsx, folder / f"{job.stem}.xlsx"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _desa_job(spec: DocumentSpec, snapshot: DesaSnapshot, settings: Settings) -> DocumentJob:
    def context() -> dict[str, Any]:
        return spec.context(snapshot, settings)

    writer = None
    if spec.xlsx is not None:
        write = spec.xlsx

        def writer(path: Path) -> None:
            write(snapshot, settings, path)

    return DocumentJob(spec.stem(snapshot), spec.template, context, writer)


def produce_desa_documents(
    ws: Workspace,
    settings: Settings,
    snapshot: DesaSnapshot,
    converter: Converter | None,
) -> DocumentsResult:
    """Render, convert, check and publish every document of the snapshot's stage
    into the desa's outbox folder (see produce_documents)."""
    jobs = [_desa_job(spec, snapshot, settings) for spec in documents_for(snapshot.tahap)]
    folder = ws.outbox_desa(snapshot.kecamatan, snapshot.desa, snapshot.tahun)
    return produce_documents(ws, settings, jobs, folder, converter)
