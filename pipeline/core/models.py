"""Domain models shared by the stages.

RawWorkbook is what the reader hands to validation (values with their cells, no meaning yet);
BukuKerjaDesa is what validation makes of it; DesaSnapshot is what the ledger knows of one
desa and year, the context every document is rendered from.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pipeline.core.standard import Keputusan, Tahap, TahapKecamatan

# ----------------------------------------------------------------------------- raw input


class RawCell(BaseModel):
    """A cell's value as the file holds it (str, int, float, datetime, bool or None)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    value: Any = None
    cell: str  # "B7"
    row: int
    is_formula_without_value: bool = False


class RawRow(BaseModel):
    row: int  # 1-based sheet row
    cells: dict[str, RawCell]  # standard column label -> cell (only columns present)


class RawTable(BaseModel):
    sheet: str  # the sheet's name as it stands in the file
    header_row: int
    columns: dict[str, str]  # standard label -> column letter ("I")
    rows: list[RawRow]  # data rows, rows whose data cells are all empty already dropped
    extra_columns: list[str] = Field(default_factory=list)  # headers outside the standard


class RawKeyValue(BaseModel):
    sheet: str
    values: dict[str, RawCell]  # standard label -> the value cell (column B of its row)
    label_rows: dict[str, int] = Field(default_factory=dict)  # standard label -> row


class RawWorkbook(BaseModel):
    """What the reader found. A missing sheet is None; the validator reports it."""

    file_name: str
    is_macro_enabled: bool = False
    sheet_names: list[str] = Field(default_factory=list)
    identitas: RawKeyValue | None = None
    peserta: RawTable | None = None
    usulan: RawTable | None = None
    jadwal: RawTable | None = None
    # Kecamatan workbooks share the reader; `kind` is "desa" or "kecamatan" by Identitas labels.
    kind: str = "desa"
    # Reader-level problems (missing header columns, formulas without values) as issues.
    missing_columns: dict[str, list[str]] = Field(default_factory=dict)


# ----------------------------------------------------------------------------- parsed workbook


class IdentitasDesa(BaseModel):
    kode: str | None = None
    nama: str | None = None
    kecamatan: str | None = None
    tahun: int | None = None
    tahap: Tahap | None = None
    tanggal_musrenbang: dt.date | None = None
    jam_mulai: str | None = None  # "09.00"
    tempat: str | None = None
    alamat: str | None = None
    nama_kepala: str | None = None
    nip_kepala: str | None = None
    pimpinan_rapat: str | None = None
    notulen: str | None = None
    peserta_l: int | None = None
    peserta_p: int | None = None


class Peserta(BaseModel):
    row: int | None = None
    nama: str
    jenis_kelamin: str | None = None  # "L" / "P"
    unsur: str | None = None
    jabatan: str | None = None
    alamat: str | None = None
    no_hp: str | None = None


class Usulan(BaseModel):
    row: int | None = None  # sheet row in the dropped workbook (None when from the ledger)
    kode_usulan: str | None = None
    asal: str | None = None
    bidang: str | None = None
    kegiatan: str | None = None
    lokasi: str | None = None
    volume: Decimal | None = None
    satuan: str | None = None
    biaya: int | None = None
    sumber_dana: str | None = None
    pm_l: int | None = None
    pm_p: int | None = None
    pm_rtm: int | None = None
    prioritas: int | None = None
    keputusan: Keputusan | None = None
    catatan: str | None = None
    # Diterima dengan Revisi: what the musrenbang agreed on (None: the proposed value stands)
    volume_disepakati: Decimal | None = None
    biaya_disepakati: int | None = None

    @property
    def diterima(self) -> bool:
        return self.keputusan in (Keputusan.DITERIMA, Keputusan.REVISI)

    @property
    def agreed_volume(self) -> Decimal | None:
        """The agreed volume: Volume Disepakati of a revised usulan where given, else Volume."""
        if self.keputusan is Keputusan.REVISI and self.volume_disepakati is not None:
            return self.volume_disepakati
        return self.volume

    @property
    def agreed_biaya(self) -> int | None:
        """The agreed cost: Biaya Disepakati of a revised usulan where given, else the
        proposed Perkiraan Biaya (spec/workbooks.md, Revisions)."""
        if self.keputusan is Keputusan.REVISI and self.biaya_disepakati is not None:
            return self.biaya_disepakati
        return self.biaya

    @property
    def revised_values(self) -> bool:
        """A revised usulan whose agreed volume or cost differs from the proposed one."""
        return self.agreed_volume != self.volume or self.agreed_biaya != self.biaya

    @property
    def tambahan_desa(self) -> bool:
        return (self.asal or "").strip().casefold() in ("desa", "kelurahan")

    def data(self) -> dict[str, Any]:
        """The values the ledger keeps (history is kept per field of this dict)."""
        return self.model_dump(mode="json", exclude={"row", "kode_usulan"})


class BukuKerjaDesa(BaseModel):
    """A validated desa workbook. `columns` maps Usulan labels to letters for cell refs."""

    identitas: IdentitasDesa
    peserta: list[Peserta] = Field(default_factory=list)
    usulan: list[Usulan] = Field(default_factory=list)
    identitas_cells: dict[str, str] = Field(default_factory=dict)  # label -> "B6"
    usulan_columns: dict[str, str] = Field(default_factory=dict)  # label -> "I"
    usulan_sheet: str = "Usulan"


# ----------------------------------------------------------------------------- ledger views


class Wilayah(BaseModel):
    kode: str
    nama: str

    @property
    def level(self) -> str:
        """'desa' or 'kelurahan' for a 4-part kode (N = 2 desa, 1 kelurahan)."""
        last = self.kode.split(".")[-1]
        return "kelurahan" if last.startswith("1") else "desa"

    @property
    def level_word(self) -> str:
        """'Desa' or 'Kelurahan', as in document names."""
        return self.level.capitalize()


class DesaSnapshot(BaseModel):
    """Everything the ledger knows about one desa and year: the context of its documents."""

    desa: Wilayah
    kecamatan: Wilayah
    kabupaten: Wilayah
    tahun: int
    tahap: Tahap
    identitas: IdentitasDesa
    peserta: list[Peserta] = Field(default_factory=list)
    usulan: list[Usulan] = Field(default_factory=list)  # in the operator's order, kode filled
    terlambat: bool = False
    dikirim_pada: dt.datetime | None = None
    pindaian: dict[str, list[str]] = Field(default_factory=dict)  # jenis -> archived paths
    jejak: str = ""  # the ledger state's digest (ledger/jejak.py), printed on every page


# ----------------------------------------------------------------------------- kecamatan


class IdentitasKecamatan(BaseModel):
    kode: str | None = None
    nama: str | None = None
    tahun: int | None = None
    tahap: TahapKecamatan | None = None
    tanggal_musrenbang: dt.date | None = None
    jam_mulai: str | None = None
    tempat: str | None = None
    alamat: str | None = None
    nama_camat: str | None = None
    nip_camat: str | None = None
    nama_sekcam: str | None = None
    nip_sekcam: str | None = None
    pimpinan_sidang: str | None = None
    notulen: str | None = None
    nomor_berita_acara: str | None = None
    nomor_surat_pengantar: str | None = None
    peserta_l: int | None = None
    peserta_p: int | None = None
    nomor_surat_pemberitahuan: str | None = None  # of the letters to the desa (optional)
    tanggal_surat_pemberitahuan: dt.date | None = None


class JadwalDesa(BaseModel):
    """One row of the kecamatan's Jadwal sheet: when a desa holds its Musrenbang Desa."""

    row: int | None = None
    kode_desa: str
    nama_desa: str | None = None
    tanggal_musrenbang: dt.date | None = None
    jam_mulai: str | None = None
    tempat: str | None = None

    @property
    def terisi(self) -> bool:
        """A filled row produces a Surat Pemberitahuan (SOP Sooko step 1)."""
        return self.tanggal_musrenbang is not None


class UsulanKecamatan(Usulan):
    """An usulan in the kecamatan workbook: a desa's (with its Kode Usulan) or an UPT's."""

    desa: str | None = None  # the Desa/Kelurahan column as written
    opd_tujuan: str | None = None


class BukuKerjaKecamatan(BaseModel):
    identitas: IdentitasKecamatan
    jadwal: list[JadwalDesa] = Field(default_factory=list)
    peserta: list[Peserta] = Field(default_factory=list)
    usulan: list[UsulanKecamatan] = Field(default_factory=list)
    identitas_cells: dict[str, str] = Field(default_factory=dict)
    usulan_columns: dict[str, str] = Field(default_factory=dict)
    usulan_sheet: str = "Usulan"


class KecamatanSnapshot(BaseModel):
    """What the ledger knows of one kecamatan and year: the context of its documents."""

    kecamatan: Wilayah
    kabupaten: Wilayah
    tahun: int
    tahap: TahapKecamatan | None = None
    identitas: IdentitasKecamatan = Field(default_factory=IdentitasKecamatan)
    jadwal: list[JadwalDesa] = Field(default_factory=list)
    peserta: list[Peserta] = Field(default_factory=list)
    usulan: list[UsulanKecamatan] = Field(default_factory=list)
    desa: list[Wilayah] = Field(default_factory=list)  # every desa of the kecamatan
    desa_terkirim: list[str] = Field(default_factory=list)  # kode of desa that have sent
    dikirim_pada: dt.datetime | None = None
    rekap_pada: dt.date | None = None  # the day it first reached Rekap (the Rekap's date)
    jejak: str = ""  # the ledger state's digest (ledger/jejak.py), printed on every page
