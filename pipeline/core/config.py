"""Settings from `musrenbang.toml`: pydantic models, unknown keys rejected, every key described.

`load_settings` collects every problem of the file at once and raises SettingsError with
readable `kunci: pesan` lines; the CLI turns that into exit code 2.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.core.standard import BIDANG, BIDANG_KELURAHAN, match_choice

SETTINGS_FILE = "musrenbang.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KabupatenSettings(_Section):
    kode: str = Field("12.05", description="Kode wilayah kabupaten/kota (PP.KK).")
    nama: str = Field("Kabupaten Langkat", description="Nama kabupaten/kota, untuk kop dan judul.")


class KopSettings(_Section):
    """The letterhead (kop) of every document; every key optional."""

    pemerintah: str = Field(
        "",
        description="Baris pertama kop, mis. 'PEMERINTAH KABUPATEN LANGKAT' (kosong: dari nama kabupaten).",
    )
    logo: str = Field(
        "",
        description="Berkas lambang daerah (png/jpg) di kiri kop, relatif terhadap folder kerja, "
        "mis. 'lambang-langkat.png' (kosong: kop tanpa lambang).",
    )
    alamat_kecamatan: str = Field(
        "",
        description="Alamat kantor camat pada kop dokumen kecamatan, mis. 'Jl. Pendidikan No. 12 "
        "Bahorok' (kosong: Alamat dari buku kerja kecamatan).",
    )
    telepon: str = Field(
        "", description="Telepon kantor camat pada kop, mis. '(061) 8921234' (boleh kosong)."
    )
    email: str = Field(
        "", description="Alamat e-mail kantor camat pada kop, mis. 'kec.bahorok@langkatkab.go.id'."
    )
    kode_pos: str = Field("", description="Kode pos pada kop, mis. '20774' (boleh kosong).")
    alamat: str = Field(
        "",
        description="(lama) Alamat pada kop semua dokumen, desa dan kecamatan; kunci baru: "
        "alamat_kecamatan (dokumen desa memakai Alamat buku kerja desa).",
    )
    ibu_kota: str = Field("", description="Tempat penandatanganan surat kabupaten, mis. 'Stabat'.")


class JadwalSettings(_Section):
    batas_hari_kerja: int = Field(
        5, ge=0, description="Hari kerja setelah musrenbang untuk mengirim usulan ke kecamatan."
    )
    hari_libur_tambahan: list[dt.date] = Field(
        default_factory=list, description="Hari libur tambahan (cuti bersama), 'YYYY-MM-DD'."
    )
    zona_waktu: str = Field("Asia/Jakarta", description="Zona waktu tanda terima dan batas waktu.")

    @field_validator("zona_waktu")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"zona waktu '{value}' tidak dikenal (contoh: Asia/Jakarta)") from exc
        return value


class KirimSettings(_Section):
    wajib_pindaian: bool = Field(
        True,
        description="Kirim memerlukan pindaian bertanda tangan: berita acara dan daftar hadir "
        "(desa dan kecamatan), rekap usulan (kecamatan).",
    )


class PdfSettings(_Section):
    libreoffice: str = Field("soffice", description="Perintah atau path LibreOffice (soffice).")
    pekerja: int = Field(0, ge=0, description="Jumlah pekerja konversi PDF; 0 = jumlah inti CPU.")
    ukuran_kertas: Literal["A4", "F4"] = Field(
        "A4", description="Ukuran kertas: A4 atau F4 (215×330 mm)."
    )
    batas_detik: int = Field(120, ge=5, description="Batas waktu satu konversi, dalam detik.")
    daur_ulang_setelah: int = Field(
        200, ge=1, description="LibreOffice dimulai ulang setelah sekian konversi."
    )

    @property
    def workers(self) -> int:
        """The LibreOffice workers `pekerja` asks for (0: one per CPU core)."""
        return self.pekerja or os.cpu_count() or 1


class WatchSettings(_Section):
    polling_detik: float = Field(
        5, gt=0, description="Selang pemindaian berkala folder inbox, detik."
    )
    stabil_detik: float = Field(
        2, ge=0, description="Ukuran dan waktu ubah berkas harus tetap selama ini sebelum diproses."
    )


class ProsesSettings(_Section):
    pekerja: int = Field(
        0,
        ge=0,
        description="Jumlah proses pekerja untuk satu run besar (banyak wilayah sekaligus); "
        "0 = jumlah inti CPU (konversi LibreOffice `[pdf] pekerja` dibagi di antara proses-proses "
        "itu), 1 = satu proses saja.",
    )
    ambil_alih_detik: float = Field(
        120,
        ge=1,
        description="Pekerja lain mengambil alih berkas dan wilayah seorang pekerja yang tidak "
        "memberi tanda hidup selama ini (pekerja itu mati di tengah proses), detik.",
    )

    @property
    def workers(self) -> int:
        """The processes a big pass may use (0: one per CPU core). They share `[pdf]
        pekerja` (run/anak.py pdf_share), so the machine still runs one LibreOffice per core;
        on 2 cores two processes cost no more CPU than one (bench/bench_scale.py, 277 desa:
        166 s against 169 s)."""
        return self.pekerja or os.cpu_count() or 1


class CadanganSettings(_Section):
    harian: bool = Field(
        True,
        description="watch membuat satu cadangan (ledger, pengaturan, daftar wilayah) sehari, "
        "pada putaran pertama setiap hari.",
    )
    folder: str = Field(
        "cadangan",
        description="Folder cadangan: relatif terhadap root atau path lengkap (sebaiknya disk "
        "lain atau USB). `musrenbang cadangan --ke DIR` memakai DIR.",
    )
    simpan: int = Field(
        30,
        ge=0,
        description="Jumlah cadangan harian yang disimpan; yang lebih lama dihapus (cadangan "
        "dari perintah `musrenbang cadangan` tidak pernah dihapus). 0 = simpan semua.",
    )


class LedgerSettings(_Section):
    database_url: str = Field(
        "sqlite:///musrenbang.db",
        description="Lokasi ledger: 'sqlite:///PATH' (path relatif terhadap root) atau "
        "'postgresql://user:sandi@host:port/db' (beberapa pekerja pada satu ledger).",
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg://")):
            raise ValueError(
                "gunakan 'sqlite:///PATH' atau 'postgresql://user@host/db' (PostgreSQL)"
            )
        return value

    @property
    def is_postgresql(self) -> bool:
        return self.database_url.startswith("postgresql")


class BidangSettings(_Section):
    kelurahan: list[str] = Field(
        default_factory=lambda: list(BIDANG_KELURAHAN),
        description=(
            "Bidang usulan kelurahan (kelurahan tidak memakai bidang desa Permendagri 20/2018); "
            "menjadi daftar pilihan di buku kerja kelurahan dan baris rekap per bidang."
        ),
    )

    @field_validator("kelurahan")
    @classmethod
    def _own_bidang(cls, value: list[str]) -> list[str]:
        names = [" ".join(v.split()) for v in value]
        if not names or any(not n for n in names):
            raise ValueError("isi sedikitnya satu nama bidang kelurahan, tidak boleh kosong")
        if len({n.casefold() for n in names}) != len(names):
            raise ValueError("nama bidang kelurahan tidak boleh ganda")
        desa = [n for n in names if match_choice(n, BIDANG)]
        if desa:
            raise ValueError(
                f"'{desa[0]}' adalah bidang desa; bidang kelurahan harus berbeda dari bidang desa"
            )
        return names


class BatasSettings(_Section):
    buku_kerja_mb: float = Field(20, gt=0, description="Ukuran maksimum buku kerja (MB).")
    isi_zip_mb: float = Field(
        200, gt=0, description="Ukuran maksimum isi xlsx setelah dibuka (MB)."
    )
    rasio_zip: float = Field(200, gt=1, description="Rasio kompresi maksimum isi xlsx (zip bomb).")
    baris_usulan: int = Field(
        5000, ge=1, description="Baris usulan terbanyak yang dibaca dari satu buku kerja."
    )
    baris_peserta: int = Field(
        2000, ge=1, description="Baris peserta terbanyak yang dibaca dari satu buku kerja."
    )


class DokumenSettings(_Section):
    """Accepted extensions and size limits (MB) per supporting-document kind."""

    foto: list[str] = Field(default_factory=lambda: [".jpg", ".jpeg", ".png", ".heic", ".webp"])
    video: list[str] = Field(default_factory=lambda: [".mp4", ".3gp", ".mov", ".avi", ".mkv"])
    absensi: list[str] = Field(
        default_factory=lambda: [".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"]
    )
    berita_acara: list[str] = Field(
        default_factory=lambda: [".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".docx"]
    )
    tanda_terima: list[str] = Field(default_factory=lambda: [".pdf", ".jpg", ".jpeg", ".png"])
    undangan: list[str] = Field(default_factory=lambda: [".pdf", ".jpg", ".jpeg", ".png", ".docx"])
    batas_mb: dict[str, float] = Field(
        default_factory=lambda: {
            "foto": 20.0,
            "video": 500.0,
            "absensi": 30.0,
            "berita-acara": 30.0,
            "tanda-terima": 20.0,
            "undangan": 20.0,
        },
        description="Ukuran maksimum per jenis dokumen, MB.",
    )


class Settings(_Section):
    kabupaten: KabupatenSettings = Field(default_factory=KabupatenSettings)  # type: ignore[arg-type]
    kop: KopSettings = Field(default_factory=KopSettings)  # type: ignore[arg-type]
    jadwal: JadwalSettings = Field(default_factory=JadwalSettings)  # type: ignore[arg-type]
    kirim: KirimSettings = Field(default_factory=KirimSettings)  # type: ignore[arg-type]
    pdf: PdfSettings = Field(default_factory=PdfSettings)  # type: ignore[arg-type]
    watch: WatchSettings = Field(default_factory=WatchSettings)  # type: ignore[arg-type]
    proses: ProsesSettings = Field(default_factory=ProsesSettings)  # type: ignore[arg-type]
    ledger: LedgerSettings = Field(default_factory=LedgerSettings)  # type: ignore[arg-type]
    cadangan: CadanganSettings = Field(default_factory=CadanganSettings)  # type: ignore[arg-type]
    batas: BatasSettings = Field(default_factory=BatasSettings)  # type: ignore[arg-type]
    bidang: BidangSettings = Field(default_factory=BidangSettings)
    dokumen: DokumenSettings = Field(default_factory=DokumenSettings)

    def database_path(self, root: Path) -> Path:
        """The SQLite ledger file (only meaningful when the ledger is SQLite)."""
        return root / self.ledger.database_url.removeprefix("sqlite:///")

    def ledger_url(self, root: Path) -> str | Path:
        """What `Ledger()` opens: the SQLite file's path, or the PostgreSQL URL as written."""
        url = self.ledger.database_url
        if url.startswith(("postgresql://", "postgresql+psycopg://")):
            return url  # ledger/db.py engine_for alone names the driver
        return self.database_path(root)


class SettingsError(Exception):
    """The settings file cannot be used; `lines` says every reason."""

    def __init__(self, path: Path, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        super().__init__(f"{path}: " + "; ".join(lines))


_MESSAGES = {
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "float_parsing": "harus angka",
    "float_type": "harus angka",
    "bool_parsing": "harus true atau false",
    "bool_type": "harus true atau false",
    "string_type": 'harus teks dalam tanda kutip, mis. "A4"',
    "list_type": 'harus daftar, mis. ["2026-01-02"]',
    "dict_type": "harus tabel (bagian [..])",
    "model_type": "harus tabel (bagian [..])",
    "date_parsing": "tanggal tidak sah; tulis YYYY-MM-DD",
    "date_from_datetime_parsing": "tanggal tidak sah; tulis YYYY-MM-DD",
    "date_type": "tanggal tidak sah; tulis YYYY-MM-DD",
    "missing": "wajib diisi",
}


def _indonesian(err: dict[str, object]) -> str:
    kind = str(err["type"])
    ctx = err.get("ctx") or {}
    assert isinstance(ctx, dict)
    if kind == "literal_error":
        text = f"harus salah satu dari {ctx.get('expected', '')}".replace(" or ", " atau ")
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤",
                "less_than": "<"}[kind]  # fmt: skip
        limit = next(iter(ctx.values()), "")
        text = f"harus {sign} {limit}"
    elif kind == "value_error":
        text = str(err["msg"]).removeprefix("Value error, ")
    else:
        text = _MESSAGES.get(kind, f"nilai tidak sah ({err['msg']})")
    if kind != "missing" and "input" in err:
        text += f" (tertulis: {err['input']!r})"
    return text


def _pydantic_lines(exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            lines.append(f"{key}: kunci tidak dikenal (periksa ejaan; lihat schemas/settings.json)")
        else:
            lines.append(f"{key}: {_indonesian(dict(err))}")
    return lines


def _toml_line(exc: ValueError) -> str:
    found = re.search(r"line (\d+), column (\d+)", str(exc))
    where = f" di baris {found[1]} kolom {found[2]}" if found else ""
    return (
        f"bukan TOML yang sah{where}: periksa tanda kutip, tanda '=' dan nama bagian [..] "
        f"(pesan pengurai: {exc})"
    )


def load_settings(root: Path) -> Settings:
    """Settings of the workspace at `root`; defaults when the file does not exist yet."""
    path = root / SETTINGS_FILE
    if not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(path, [_toml_line(exc)]) from exc
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(path, _pydantic_lines(exc)) from exc


def default_settings_toml(kabupaten_kode: str, kabupaten_nama: str) -> str:
    """The commented settings file `musrenbang init` writes."""
    return f"""# Pengaturan pipeline Musrenbang. Kunci yang tidak dikenal ditolak.
# Skema lengkap dengan keterangan setiap kunci: schemas/settings.json

[kabupaten]
kode = "{kabupaten_kode}"
nama = "{kabupaten_nama}"

[kop]                           # kop surat semua dokumen; setiap kunci boleh kosong
pemerintah = ""                 # kosong: "PEMERINTAH <NAMA KABUPATEN>"
logo = ""                       # lambang daerah (png/jpg), relatif terhadap folder ini
alamat_kecamatan = ""           # kosong: Alamat dari buku kerja kecamatan
telepon = ""
email = ""
kode_pos = ""
ibu_kota = ""                   # tempat surat kabupaten, mis. "Stabat"

[jadwal]
batas_hari_kerja = 5            # hari kerja setelah musrenbang untuk mengirim
hari_libur_tambahan = []        # cuti bersama dsb., "YYYY-MM-DD"
zona_waktu = "Asia/Jakarta"

[kirim]
wajib_pindaian = true           # Kirim perlu pindaian berita acara, daftar hadir (dan rekap kecamatan)

[pdf]
libreoffice = "soffice"
pekerja = 0                     # 0 = jumlah inti CPU
ukuran_kertas = "A4"            # atau "F4"
batas_detik = 120               # batas waktu per konversi

[watch]
polling_detik = 5

[ledger]
database_url = "sqlite:///musrenbang.db"   # relatif terhadap root; atau postgresql://user:sandi@host/db

[proses]
pekerja = 0                     # proses pekerja untuk run besar; 0 = jumlah inti CPU
ambil_alih_detik = 120          # pekerja yang diam selama ini diambil alih oleh pekerja lain

[cadangan]
harian = true                   # watch membuat satu cadangan sehari
folder = "cadangan"             # relatif terhadap root, atau path lengkap (disk lain/USB)
simpan = 30                     # cadangan harian yang disimpan; 0 = semua

[bidang]                        # bidang usulan kelurahan (desa memakai bidang Permendagri 20/2018)
kelurahan = [{", ".join(f'"{b}"' for b in BIDANG_KELURAHAN)}]
"""
