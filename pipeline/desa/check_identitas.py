"""The desa's Identitas sheet: its labels, parsers and hints, and the desa/kelurahan check.

The sheet itself is read by the shared `Checker.identitas` with the `DESA` level.
"""

from __future__ import annotations

import dataclasses

from pipeline.core.models import IdentitasDesa, RawKeyValue
from pipeline.core.sebutan import level_of
from pipeline.core.standard import TAHAP_URUTAN, IdentitasField, Tahap, identitas_wajib, normalise
from pipeline.intake.checks import (
    CellOf,
    Checker,
    Level,
    Parser,
    choice_parser,
    text_parser,
    whole_parser,
)
from pipeline.intake.parse import parse_kode_desa, parse_nip, parse_year
from pipeline.intake.parse_dates import parse_date, parse_time

F = IdentitasField

# Identitas label -> (model attribute, parser, issue code for an unreadable value).
IDENTITAS_FIELDS: dict[IdentitasField, tuple[str, Parser, str]] = {
    F.KODE: ("kode", parse_kode_desa, "wilayah-tidak-dikenal"),
    F.NAMA: ("nama", text_parser, ""),
    F.KECAMATAN: ("kecamatan", text_parser, ""),
    F.TAHUN: ("tahun", parse_year, "tahun-tidak-valid"),
    F.TAHAP: ("tahap", choice_parser([t.value for t in Tahap], "Tahap"), "tahap-tidak-valid"),
    F.TANGGAL: ("tanggal_musrenbang", parse_date, "tanggal-tidak-valid"),
    F.JAM: ("jam_mulai", parse_time, "jam-tidak-valid"),
    F.TEMPAT: ("tempat", text_parser, ""),
    F.ALAMAT: ("alamat", text_parser, ""),
    F.KEPALA: ("nama_kepala", text_parser, ""),
    F.NIP_KEPALA: ("nip_kepala", parse_nip, "nip-tidak-valid"),
    F.PIMPINAN: ("pimpinan_rapat", text_parser, ""),
    F.NOTULEN: ("notulen", text_parser, ""),
    F.PESERTA_L: ("peserta_l", whole_parser(0), "angka-tidak-valid"),
    F.PESERTA_P: ("peserta_p", whole_parser(0), "angka-tidak-valid"),
}

# What to write, for 'wajib-diisi' messages.
IDENTITAS_HINTS: dict[IdentitasField, str] = {
    F.KODE: "kode wilayah desa/kelurahan, mis. 12.05.01.2002",
    F.NAMA: "nama desa/kelurahan",
    F.KECAMATAN: "nama kecamatan",
    F.TAHUN: "tahun rencana, mis. 2027",
    F.TAHAP: "salah satu: Persiapan, Pelaksanaan, Verifikasi, Kirim",
    F.TANGGAL: "tanggal musyawarah, mis. 13/01/2026",
    F.JAM: "jam mulai, mis. 09.00",
    F.TEMPAT: "tempat musyawarah, mis. Balai Desa",
    F.ALAMAT: "alamat tempat musyawarah",
    F.KEPALA: "nama kepala desa/lurah",
    F.PIMPINAN: "nama pimpinan rapat",
    F.NOTULEN: "nama notulen",
    F.PESERTA_L: "jumlah peserta laki-laki yang hadir, mis. 30",
    F.PESERTA_P: "jumlah peserta perempuan yang hadir, mis. 25",
}


DESA = Level(
    fields=IDENTITAS_FIELDS,
    hints=IDENTITAS_HINTS,
    stages=TAHAP_URUTAN,
    wajib=identitas_wajib,
    model=IdentitasDesa,
    held=Tahap.PELAKSANAAN,
    deciding=Tahap.VERIFIKASI,
    tanggal=F.TANGGAL,
)


# A kelurahan's workbook: the same sheet, its hints in the kelurahan's words.
KELURAHAN_IDENTITAS = dataclasses.replace(
    DESA,
    hints={
        **IDENTITAS_HINTS,
        F.KODE: "kode wilayah kelurahan, mis. 12.05.01.1001",
        F.NAMA: "nama kelurahan",
        F.TEMPAT: "tempat musyawarah, mis. Aula Kantor Lurah",
        F.KEPALA: "nama lurah",
    },
)


def raw_kode(kv: RawKeyValue) -> str | None:
    """The Kode Desa/Kelurahan as written (before any check), to choose the level's words."""
    for label, cell in kv.values.items():
        if normalise(label) == normalise(F.KODE.value):
            kode, _ = parse_kode_desa(cell.value)
            return kode
    return None


class IdentitasChecks(Checker):
    """The desa Identitas checks beside the shared reading of the sheet."""

    def region(self, identitas: IdentitasDesa, sheet: str, cell_of: CellOf) -> None:
        """The kode must be a known desa/kelurahan; names are compared with the list."""
        if identitas.kode is None:
            return
        desa = self.wilayah.desa(identitas.kode)
        if desa is None:
            whose = level_of(identitas.kode)  # 'desa' / 'kelurahan', from the kode's form
            self.unknown_region(identitas.kode, F.KODE.value, whose, sheet, cell_of)
            identitas.kode = None  # an unknown region is a problem: left empty like the rest
            return
        kecamatan = self.wilayah.kecamatan_of(desa.kode)
        desa_prefixes = ("desa", "kelurahan", "kel.")
        self.region_name(
            F.NAMA.value, identitas.nama, desa, desa_prefixes, desa.kode, sheet, cell_of
        )
        self.region_name(
            F.KECAMATAN.value,
            identitas.kecamatan,
            kecamatan,
            ("kecamatan", "kec."),
            desa.kode,
            sheet,
            cell_of,
        )
