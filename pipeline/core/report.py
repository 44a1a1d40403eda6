"""Issues and reports: validation returns a report of every problem, it never raises.

Every issue code lives in CODES with its meaning; `docs/kode-masalah.md` is generated from it
(`python -m pipeline.core.report > docs/kode-masalah.md`) and a test keeps the two equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


E, W = Severity.ERROR, Severity.WARNING

# code -> (default severity, meaning for the docs). Codes are part of the interface: never
# rename one; add a new one instead.
CODES: dict[str, tuple[Severity, str]] = {
    # --- the file itself
    "format-tidak-didukung": (E, "Berkas .xls, .ods, .csv dsb.: simpan ulang sebagai .xlsx."),
    "berkas-kosong": (E, "Berkas berukuran 0 byte atau tidak berisi data."),
    "berkas-rusak": (E, "Berkas tidak dapat dibuka (rusak, terpotong, atau bukan format aslinya)."),
    "berkas-terlalu-besar": (E, "Berkas melebihi batas ukuran atau mencurigakan (zip bomb)."),
    "berkas-terkunci": (E, "PDF dilindungi kata sandi: kirim versi tanpa kata sandi."),
    "berkas-tidak-terbaca": (
        E,
        "Berkas tidak dapat dibaca (izin akses): tetap di inbox dan diproses setelah dapat dibaca.",
    ),
    "baris-terlalu-banyak": (
        E,
        "Lembar berisi lebih banyak baris dari batas (pengaturan batas.baris_usulan, batas.baris_peserta).",
    ),
    "baris-kosong-diabaikan": (
        W,
        "Lembar berisi banyak baris/sel kosong yang hanya berformat: diabaikan saat dibaca (tanpa salinan perbaiki).",
    ),
    "masalah-terlalu-banyak": (
        W,
        "Tanda terima mencantumkan 200 masalah pertama; sisanya dihitung per kode (galat bila ada galat di antaranya).",
    ),
    "jenis-berkas-tidak-dikenal": (E, "Ekstensi atau isi berkas tidak dikenali di folder ini."),
    "lokasi-berkas-salah": (E, "Pindaian/dokumen tidak berada di folder desa yang benar."),
    "makro-diabaikan": (W, "Berkas .xlsm: makro diabaikan, hanya nilai yang dibaca."),
    "rumus-tanpa-nilai": (
        E,
        "Sel berisi rumus tanpa nilai tersimpan: buka dan simpan di Excel/Calc.",
    ),
    "nilai-galat": (
        E,
        "Sel berisi galat rumus (#REF!, #N/A, #VALUE!, ...): perbaiki rumusnya atau ketik nilainya.",
    ),
    # --- region and year
    "wilayah-tidak-dikenal": (E, "Kode desa/kelurahan tidak ada dalam daftar wilayah."),
    "wilayah-tidak-cocok": (E, "Buku kerja berada di folder desa lain."),
    "nama-wilayah-berbeda": (W, "Nama desa/kecamatan ditulis berbeda dari daftar wilayah."),
    "tahun-tidak-valid": (E, "Tahun Rencana bukan tahun yang jelas."),
    "sudah-dikirim": (
        E,
        "Usulan desa untuk tahun ini sudah dikirim; perubahan perlu dibuka kembali (unlock).",
    ),
    # --- sheets, labels, columns
    "lembar-hilang": (E, "Lembar wajib (Identitas, Peserta, Usulan) tidak ada."),
    "label-hilang": (E, "Label wajib di lembar Identitas tidak ada."),
    "kolom-hilang": (E, "Kolom wajib tidak ditemukan di baris judul tabel."),
    "wajib-diisi": (E, "Isian wajib untuk tahap ini kosong."),
    # --- values
    "tahap-tidak-valid": (E, "Tahap bukan Persiapan, Pelaksanaan, Verifikasi atau Kirim."),
    "tanggal-tidak-valid": (E, "Tanggal tidak dapat dibaca dengan pasti."),
    "tanggal-di-masa-depan": (E, "Tanggal Musrenbang di masa depan sejak tahap Pelaksanaan."),
    "jam-tidak-valid": (E, "Jam tidak dapat dibaca (contoh yang benar: 09.00)."),
    "nip-tidak-valid": (E, "NIP bukan 18 angka, atau diketik sebagai angka sehingga digit hilang."),
    "angka-tidak-valid": (E, "Bukan bilangan bulat ≥ 0 yang jelas."),
    "volume-tidak-valid": (E, "Volume (atau Volume Disepakati) bukan angka > 0 yang jelas."),
    "biaya-tidak-valid": (
        E,
        "Perkiraan Biaya (atau Biaya Disepakati) bukan nilai rupiah bulat > 0 yang jelas.",
    ),
    "pilihan-tidak-valid": (
        E,
        "Nilai bukan salah satu pilihan daftar (Bidang, Sumber Dana, Keputusan, Jenis Kelamin, Unsur), juga nilai milik tingkat lain (APBDes atau bidang desa pada kelurahan, Dana Kelurahan pada desa).",
    ),
    "asal-tidak-cocok": (
        E,
        "Asal Usulan milik tingkat lain: 'Desa', BPD atau dusun di buku kerja kelurahan, 'Kelurahan' atau lingkungan di buku kerja desa.",
    ),
    "prioritas-tidak-valid": (E, "Prioritas bukan bilangan bulat ≥ 1."),
    "prioritas-ganda": (E, "Prioritas yang sama dipakai dua usulan yang diterima."),
    "prioritas-pada-ditolak": (W, "Usulan Ditolak diberi Prioritas; prioritas itu diabaikan."),
    "disepakati-diabaikan": (
        W,
        "Volume/Biaya Disepakati pada usulan yang bukan 'Diterima dengan Revisi'; nilai itu diabaikan.",
    ),
    "catatan-wajib": (E, "Ditolak perlu alasan, Diterima dengan Revisi perlu catatan perubahan."),
    "jumlah-peserta-berbeda": (
        W,
        "Jumlah Peserta di Identitas berbeda dari baris Peserta; angka Identitas dipakai.",
    ),
    "peserta-melebihi-daftar": (
        W,
        "Jumlah Peserta lebih banyak dari baris Daftar Hadir: daftar hadir tidak dapat "
        "membuktikannya.",
    ),
    # --- usulan and ledger
    "usulan-kosong": (E, "Tahap Verifikasi perlu sedikitnya satu usulan."),
    "usulan-ganda": (W, "Dua usulan dengan Kegiatan dan Lokasi yang sama."),
    "usulan-hilang": (E, "Usulan yang sudah tercatat tidak ada lagi di buku kerja."),
    "kode-usulan-tidak-dikenal": (
        E,
        "Kode Usulan bukan milik desa dan tahun ini, atau tidak tercatat.",
    ),
    "kode-usulan-ganda": (E, "Kode Usulan yang sama muncul di dua baris."),
    "jadwal-ganda": (E, "Satu desa/kelurahan tercatat di dua baris lembar Jadwal kecamatan."),
    "jadwal-berbeda": (
        W,
        "Buku kerja desa/kelurahan mencatat Tanggal Musrenbang, Jam Mulai atau Tempat lain dari "
        "baris Jadwal kecamatan untuknya; catatan desa/kelurahan yang berlaku.",
    ),
    "surat-terlambat": (
        W,
        "Tanggal Surat Pemberitahuan sesudah Musrenbang Desa/Kelurahan yang diberitahukannya.",
    ),
    # --- workflow
    "tahap-mundur": (E, "Tahap tidak boleh mundur (kecuali Verifikasi ke Pelaksanaan)."),
    "pindaian-belum-ada": (
        E,
        "Kirim perlu pindaian Berita Acara dan Daftar Hadir yang ditandatangani "
        "(kecamatan: juga Rekap Usulan yang ditandatangani Camat).",
    ),
    "terlambat": (W, "Dikirim lebih dari batas hari kerja setelah Tanggal Musrenbang."),
    # --- scans and supporting documents
    "gambar-rusak": (E, "Gambar tidak dapat dibaca."),
    "gambar-terlalu-besar": (
        E,
        "Gambar terlalu besar untuk dibuka dengan aman (decompression bomb).",
    ),
    "pdf-rusak": (E, "PDF tidak dapat dibaca."),
    "pdf-konten-aktif-dihapus": (
        W,
        "PDF berisi JavaScript, aksi otomatis, berkas tersemat atau anotasi beraksi: dihapus sebelum digabung.",
    ),
    "ukuran-melebihi-batas": (E, "Dokumen melebihi batas ukuran untuk jenisnya."),
    "usulan-desa-belum-masuk": (
        W,
        "Usulan yang dikirim desa belum ada di buku kerja kecamatan (galat sejak tahap Rekap).",
    ),
    "desa-belum-kirim": (W, "Sebagian desa/kelurahan kecamatan belum mengirim usulannya."),
    "paket-rusak": (
        E,
        "Paket kecamatan tidak utuh: manifest hilang, berkas tidak tercantum, atau sidik sha256 tidak cocok.",
    ),
    "paket-tidak-sah": (
        E,
        "Paket kecamatan tidak bertanda tangan, kuncinya belum terdaftar untuk kecamatan itu, atau tanda tangannya tidak cocok.",
    ),
    "paket-menggantikan": (
        W,
        "Paket yang lebih baru (Kirim ulang setelah dibuka kembali) menggantikan paket kecamatan yang dipegang; yang lama tetap di arsip.",
    ),
    "paket-usang": (
        E,
        "Paket lebih lama dari (atau setara dengan) paket kecamatan yang sudah diterima untuk tahun itu.",
    ),
    "paket-jejak-berbeda": (
        W,
        "Jejak data di manifest paket tidak sama dengan jejak buku besar Bappeda setelah paket digabung: versi program kecamatan dan Bappeda mungkin berbeda.",
    ),
    "paket-dan-buku-kerja": (
        W,
        "Bappeda menerima paket kecamatan dan juga buku kerja desanya langsung: isi paket yang berlaku.",
    ),
    "galat-internal": (
        E,
        "Galat sistem berulang saat memproses berkas ini; berkas aman di arsip, hubungi admin.",
    ),
    "belum-tersedia": (
        E,
        "Fitur untuk berkas ini (tingkat kecamatan/kabupaten) belum tersedia di versi ini.",
    ),
    "belum-ada-buku-kerja": (
        W,
        "Pindaian/dokumen tiba sebelum buku kerja pertama desa: disimpan dan dipakai untuk tahun yang dibuka buku kerja itu.",
    ),
    "pdf-dilewati": (W, "LibreOffice tidak tersedia atau gagal: dokumen .docx ditulis, PDF belum."),
    "lambang-tidak-ada": (W, "Berkas lambang kop ([kop] logo) tidak ada: dokumen tanpa lambang."),
    "template-rusak": (W, "Templat dokumen di folder templates/ rusak: dokumen itu tidak ditulis."),
}


class Issue(BaseModel):
    """One problem in an input. `cell`/`row`/`column` point at it when it sits in a sheet."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None


def issue(
    code: str,
    message: str,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    row: int | None = None,
    column: str | None = None,
    severity: Severity | None = None,
) -> Issue:
    """Make an issue with its code's default severity. An unknown code is a bug (KeyError)."""
    default, _ = CODES[code]
    if row is None and cell:
        digits = "".join(ch for ch in cell if ch.isdigit())
        row = int(digits) if digits else None  # 'B7' -> 7: cell and row always agree
    return Issue(
        code=code,
        severity=severity or default,
        message=message,
        sheet=sheet,
        cell=cell,
        row=row,
        column=column,
    )


MAX_ISSUES = 200
"""Issues listed one by one in a receipt; the rest are counted by code."""


def cap_issues(issues: list[Issue], limit: int = MAX_ISSUES) -> list[Issue]:
    """The first `limit` issues, then one `masalah-terlalu-banyak` counting the rest by code
    (an error when an error is among them, so the status stays what it was). Idempotent."""
    if len(issues) <= limit or (
        len(issues) == limit + 1 and issues[-1].code == "masalah-terlalu-banyak"
    ):
        return issues
    rest = issues[limit:]
    counts: dict[str, int] = {}
    for item in rest:
        counts[item.code] = counts.get(item.code, 0) + 1
    shown = ", ".join(
        f"{code} {n:,}".replace(",", ".") for code, n in sorted(counts.items(), key=lambda c: -c[1])
    )
    severity = E if any(i.severity is E for i in rest) else W
    total = f"{len(rest):,}".replace(",", ".")
    summary = issue(
        "masalah-terlalu-banyak",
        f"Masih ada {total} masalah lain yang tidak dicantumkan satu per satu ({shown}). "
        "Perbaiki masalah di atas, lalu kirim lagi untuk melihat sisanya.",
        severity=severity,
    )
    return [*issues[:limit], summary]


def where(sheet: str | None, cell: str | None) -> str:
    """The Indonesian prefix naming the place: 'Lembar Usulan sel I14: '."""
    if sheet and cell:
        return f"Lembar {sheet} sel {cell}: "
    if sheet:
        return f"Lembar {sheet}: "
    return ""


class Report:
    """All issues of one input, in the order found."""

    def __init__(self, issues: Iterable[Issue] = ()) -> None:
        self.issues: list[Issue] = list(issues)

    def add(self, code: str, message: str, **place: object) -> Issue:
        found = issue(code, message, **place)  # type: ignore[arg-type]
        self.issues.append(found)
        return found

    def extend(self, other: Report | Iterable[Issue]) -> None:
        self.issues.extend(other.issues if isinstance(other, Report) else other)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def codes(self) -> list[str]:
        return [i.code for i in self.issues]

    def flatten(self, keys: Iterable[str] = ("code", "cell")) -> list[tuple[object, ...]]:
        """Short, exact test assertions: [('biaya-tidak-valid', 'I14'), ...]."""
        ks = list(keys)
        return [tuple(getattr(i, k) for k in ks) for i in self.issues]


def codes_markdown() -> str:
    lines = [
        "# Kode masalah (issue codes)",
        "",
        "Stable identifiers in receipts (`issues[].code`). Messages may improve; codes never change.",
        "",
        "| kode | tingkat | arti |",
        "|---|---|---|",
    ]
    for code, (sev, meaning) in CODES.items():
        lines.append(f"| `{code}` | {sev.value} | {meaning} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(codes_markdown(), end="")
