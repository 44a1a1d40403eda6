"""Context pieces both levels' documents use: blanks to fill by hand, meeting times,
attendance rows and counts."""

from __future__ import annotations

from typing import Any

from pipeline.core.config import Settings
from pipeline.core.models import Peserta
from pipeline.documents import formatting as fmt

TITIK = "...................."  # a blank to fill in by hand on the printed page
BARIS_KOSONG_TANPA_PESERTA = 40  # blank attendance rows when no participant is listed
BARIS_KOSONG_TAMBAHAN = 5  # extra rows under a pre-filled list, for late arrivals

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
