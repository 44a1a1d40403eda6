"""Context pieces both levels' documents use: blanks to fill by hand, meeting times,
attendance rows and counts, the kop, and signature blocks (spec/documents.md, "A Camat
signs it without a correction")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.config import Settings
from pipeline.core.models import Peserta
from pipeline.core.sebutan import Sebutan
from pipeline.documents import formatting as fmt

TITIK = "...................."  # a blank to fill in by hand on the printed page
NAMA_KOSONG = f"({TITIK}{TITIK[:8]})"  # a signatory's name to write by hand
BARIS_DAFTAR_HADIR_MINIMUM = 40  # never fewer rows in a Daftar Hadir
BARIS_KOSONG_MINIMUM = 10  # blank rows under the listed participants, for late arrivals

ZONA_SINGKAT = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


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


def sebutan_context(sb: Sebutan) -> dict[str, str]:
    """The words of a desa or a kelurahan for its templates (docs/templates.md): a letter to
    a Lurah names lingkungan and the LPM, never dusun or the BPD."""
    return {
        "wilayah_kecil": sb.wilayah_kecil,  # Dusun / Lingkungan
        "kepala_wilayah_kecil": sb.kepala_wilayah_kecil,  # Kepala Dusun / Kepala Lingkungan
        "lembaga": sb.lembaga,  # BPD / LPM
        "pemerintah_desa": sb.pemerintah,  # Pemerintah Desa / Pemerintah Kelurahan
        "kantor_desa": sb.kantor,  # Kantor Kepala Desa / Kantor Lurah
        "unsur_undangan": sb.undangan,  # whom the Musrenbang invites
    }


def kabupaten_words(nama: str) -> tuple[str, str]:
    """'Kabupaten Langkat' -> ('Kabupaten', 'Langkat'); 'Kota Binjai' -> ('Kota', 'Binjai'), so
    a label 'Kabupaten' never stands before 'Kabupaten Langkat'."""
    name = " ".join(nama.split())
    for jenis in ("Kabupaten", "Kota"):
        if name.casefold().startswith(jenis.casefold() + " "):
            return jenis, name[len(jenis) + 1 :].strip()
    return "Kabupaten", name


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
    while len(rows) < baris_daftar_hadir(len(peserta)):
        add("", "", "", "")
    return rows


def baris_daftar_hadir(listed: int) -> int:
    """Rows of a Daftar Hadir with `listed` participants: at least 10 blank rows after them,
    never fewer than 40 rows in all."""
    return max(listed + BARIS_KOSONG_MINIMUM, BARIS_DAFTAR_HADIR_MINIMUM)


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


# ----------------------------------------------------------------------------- kop


@dataclass(frozen=True)
class Gambar:
    """An image for a template (the lambang of the kop). `path` may be relative to the
    workspace root; render_docx turns it into a docxtpl InlineImage of `tinggi_mm`."""

    path: Path
    tinggi_mm: float = 24.0


def _berlabel(value: str, label: str, known: tuple[str, ...]) -> str:
    """'(061) 891234' -> 'Telp. (061) 891234'; a value that names itself stays as it is."""
    text = value.strip()
    if not text or text.casefold().startswith(known):
        return text
    return f"{label} {text}"


def kop(
    settings: Settings,
    kabupaten: str,
    kecamatan: str,
    alamat: str,
    *,
    desa: str | None = None,
    kontak: bool = True,
) -> dict[str, Any]:
    """The letterhead: lambang (settings `kop.logo`), PEMERINTAH <KABUPATEN>, KECAMATAN <NAMA>,
    the desa/kelurahan line for desa documents, the address line (with the kode pos) and,
    when `kontak`, a line with telephone and e-mail. The old `[kop] alamat` key keeps its
    one line: address and telephone."""
    k = settings.kop
    telepon = _berlabel(k.telepon, "Telp.", ("telp", "tel.", "telepon", "phone", "hp"))
    kode_pos = _berlabel(k.kode_pos, "Kode Pos", ("kode pos",))
    email = _berlabel(k.email, "E-mail:", ("e-mail", "email", "surel"))
    if k.alamat and not k.alamat_kecamatan:  # the old key: address and telephone together
        line = " ".join(x for x in (alamat.strip(), telepon if kontak else "") if x)
        rest = [kode_pos, email] if kontak else []
    else:
        line = ", ".join(x for x in (alamat.strip().rstrip(","), kode_pos if kontak else "") if x)
        rest = [telepon, email] if kontak else []
    return {
        "lambang": Gambar(Path(k.logo)) if k.logo.strip() else "",
        "pemerintah": k.pemerintah or f"PEMERINTAH {kabupaten.upper()}",
        "kecamatan": f"KECAMATAN {kecamatan.upper()}",
        "desa": desa or "",
        "alamat": line,
        "telepon": k.telepon.strip(),
        "email": k.email.strip(),
        "kode_pos": k.kode_pos.strip(),
        "kontak": ", ".join(x for x in rest if x),
    }


# ----------------------------------------------------------------------------- signatures


@dataclass(frozen=True)
class Penanda:
    """Someone who signs a document: `jabatan` is the role line ("Pimpinan Rapat",
    "Kepala Desa Lau Damak"); `nama` None prints a dotted line to write by hand; `nip`
    None prints no NIP line, "" a dotted one (an official whose NIP is not known yet);
    `tingkat` ranks who leads a merged block (the official over a lembaga over the rest)."""

    jabatan: str
    nama: str | None
    nip: str | None = None
    mengetahui: bool = False
    tingkat: int = 0


_GELAR = {
    "bapak", "bpk", "ibu", "sdr", "sdri", "saudara", "saudari", "h", "hj", "haji", "hajjah",
    "drs", "dra", "dr", "ir", "prof", "kepala", "desa", "lurah", "camat", "ketua", "bpd",
    "lpm", "kelurahan", "kecamatan", "pimpinan", "rapat", "sidang", "selaku", "plt", "plh",
}  # fmt: skip


def _tokens(nama: str) -> list[str]:
    """A name's words without titles and degrees ('H. Darwin Sembiring, S.Pd' -> darwin,
    sembiring)."""
    head = nama.split(",")[0]
    words = "".join(c if c.isalnum() else " " for c in head.casefold()).split()
    return [w for w in words if w not in _GELAR]


def sama_orang(a: str | None, b: str | None) -> bool:
    """Whether two written names are one person: the same words once titles and degrees
    are dropped, or one name (of two words or more) inside the other."""
    if not a or not b:
        return False
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(short) < 2:
        return False
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


_PEJABAT = ("kepala desa", "lurah", "camat")


def pejabat_atau_nama(text: str | None, pejabat: str | None) -> str | None:
    """A role written instead of a name ('Kepala Desa', 'Bapak Camat') means the official
    `pejabat`; any other text is the name itself (None when empty)."""
    value = _s(text)
    if not value:
        return None
    if pejabat and not _tokens(value) and any(w in value.casefold() for w in _PEJABAT):
        return pejabat
    return value


def _blok(orang: list[Penanda]) -> dict[str, Any]:
    """One signature block; several roles of one person make one block naming them all."""
    utama = max(orang, key=lambda p: p.tingkat)  # the first of the highest rank
    lain = [p for p in orang if p is not utama]
    if lain:
        peran = f"{utama.jabatan}\nselaku " + " dan ".join(p.jabatan for p in lain) + ","
    else:
        peran = ("Mengetahui,\n" if utama.mengetahui else "") + f"{utama.jabatan},"
    nip = next((p.nip for p in orang if p.nip), None)
    if nip is None and any(p.nip is not None for p in orang):
        nip = ""
    return {
        "peran": peran,
        "nama": utama.nama or NAMA_KOSONG,
        "nip": "" if nip is None else f"NIP. {nip or TITIK}",
        "jabatan": [p.jabatan for p in orang],
    }


def tanda_tangan(orang: list[Penanda]) -> dict[str, Any]:
    """Signature blocks for a grid: nobody signs twice (one block per person, at the place
    of their highest role), two blocks a row, an odd last block centred alone.

    Returns `blok` (the blocks in order) and `baris` (rows with `kiri`, `kanan`, `tengah`)."""
    groups: list[list[Penanda]] = []
    for p in orang:
        for g in groups:
            if p.nama and any(sama_orang(p.nama, q.nama) for q in g):
                g.append(p)
                break
        else:
            groups.append([p])
    # a merged block stands where its leading role stands
    order = sorted(groups, key=lambda g: orang.index(max(g, key=lambda p: p.tingkat)))
    blok = [_blok(g) for g in order]
    baris: list[dict[str, Any]] = []
    for i in range(0, len(blok), 2):
        pair = blok[i : i + 2]
        if len(pair) == 2:
            baris.append({"kiri": pair[0], "kanan": pair[1], "tengah": None})
        else:
            baris.append({"kiri": None, "kanan": None, "tengah": pair[0]})
    return {"blok": blok, "baris": baris}


def cari_ketua(peserta: list[Peserta], unsur: str) -> str | None:
    """The name on the Peserta row whose Unsur is `unsur` (BPD, LPM) and whose Jabatan says
    Ketua (not Wakil Ketua), else None."""
    for p in peserta:
        jabatan = "".join(c if c.isalpha() else " " for c in (p.jabatan or "").casefold())
        if (p.unsur or "").strip().casefold() != unsur.casefold():
            continue
        if "ketua" in jabatan.split() and "wakil" not in jabatan.split():
            return _s(p.nama) or None
    return None
