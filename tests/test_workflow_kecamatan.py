"""Kecamatan stage guards (pure functions, no disk)."""

from __future__ import annotations

import itertools

import pytest

from pipeline.core.models import BukuKerjaKecamatan, IdentitasKecamatan, UsulanKecamatan
from pipeline.core.standard import TAHAP_KECAMATAN_URUTAN, TahapKecamatan
from pipeline.desa.workflow import Rules
from pipeline.kecamatan.workflow import (
    PINDAIAN_KECAMATAN,
    KecamatanState,
    check_kecamatan,
    kecamatan_move_allowed,
)

K = TahapKecamatan


def workbook(
    tahap: TahapKecamatan, usulan: list[UsulanKecamatan] | None = None
) -> BukuKerjaKecamatan:
    return BukuKerjaKecamatan(
        identitas=IdentitasKecamatan(kode="12.05.01", tahun=2027, tahap=tahap),
        usulan=usulan or [],
        identitas_cells={"Tahap": "B5"},
        usulan_columns={"Kode Usulan": "B"},
    )


@pytest.mark.parametrize(
    ("current", "requested"),
    list(itertools.product([None, *TAHAP_KECAMATAN_URUTAN], TAHAP_KECAMATAN_URUTAN)),
)
def test_every_pair_of_kecamatan_stages(
    current: TahapKecamatan | None, requested: TahapKecamatan
) -> None:
    order = TAHAP_KECAMATAN_URUTAN
    expected = (
        current is None
        or (current is not K.KIRIM and order.index(requested) >= order.index(current))
        or (current, requested) == (K.REKAP, K.PELAKSANAAN)
    )
    assert kecamatan_move_allowed(current, requested) is expected
    state = KecamatanState(tahap=current, pindaian=set(PINDAIAN_KECAMATAN))
    report, tahap = check_kecamatan(workbook(requested), state, Rules())
    if expected:
        assert report.errors == [] and tahap is requested
    else:
        assert tahap is None
        assert [i.code for i in report.errors] == (
            ["sudah-dikirim"] if current is K.KIRIM else ["tahap-mundur"]
        )


def test_desa_not_sent_is_a_warning_from_pelaksanaan() -> None:
    state = KecamatanState(desa_belum_kirim={"12.05.01.2002": "Desa Lau Damak"})
    report, tahap = check_kecamatan(workbook(K.PELAKSANAAN), state, Rules())
    assert tahap is K.PELAKSANAAN and report.codes() == ["desa-belum-kirim"]
    report, _ = check_kecamatan(workbook(K.PERSIAPAN), state, Rules())
    assert report.codes() == []


def test_an_usulan_of_a_desa_reopened_since_the_workbook_was_issued_says_so() -> None:
    """The desa was unlocked after the kecamatan workbook was issued: its usulan are no
    longer sent. The message names the desa and says what to do, not 'an UPT row'."""
    state = KecamatanState(
        from_desa={"12.05.01.2002-2027-0001": "Jalan"},
        desa_belum_kirim={"12.05.01.2003": "Desa Timbang Lawan"},
    )
    rows = [
        UsulanKecamatan(row=7, kode_usulan="12.05.01.2003-2027-0001", kegiatan="Sumur"),
        UsulanKecamatan(row=8, kode_usulan="12.05.01.9999-2027-0001", kegiatan="Entah"),
    ]
    report, _ = check_kecamatan(workbook(K.PERSIAPAN, rows), state, Rules())
    unsent, unknown = [i for i in report.errors if i.code == "kode-usulan-tidak-dikenal"]
    assert unsent.cell == "B7" and "Desa Timbang Lawan" in unsent.message
    assert "dibuka kembali" in unsent.message and "workbook kecamatan" in unsent.message
    assert unknown.cell == "B8" and "UPT" in unknown.message and "Timbang" not in unknown.message


@pytest.mark.parametrize(
    "arrived",
    [set(c) for n in range(4) for c in itertools.combinations(sorted(PINDAIAN_KECAMATAN), n)],
    ids=lambda a: "+".join(sorted(a)) or "tanpa-pindaian",
)
@pytest.mark.parametrize("wajib", [True, False], ids=["wajib", "tidak-wajib"])
def test_kirim_needs_the_three_signed_scans(arrived: set[str], wajib: bool) -> None:
    state = KecamatanState(tahap=K.REKAP, pindaian=arrived)
    report, tahap = check_kecamatan(workbook(K.KIRIM), state, Rules(wajib_pindaian=wajib))
    missing = [j for j in PINDAIAN_KECAMATAN if j not in arrived]
    if wajib and missing:
        assert tahap is None and report.codes() == ["pindaian-belum-ada"]
        message = report.issues[0].message
        for jenis in PINDAIAN_KECAMATAN:  # the message names exactly the missing folders
            assert (f"pindaian/{jenis}" in message) is (jenis in missing), message
    else:
        assert tahap is K.KIRIM and report.codes() == []
    # the other stages never ask for scans
    report, tahap = check_kecamatan(workbook(K.REKAP), state, Rules(wajib_pindaian=wajib))
    assert tahap is K.REKAP and report.codes() == []


def test_usulan_codes_must_come_from_sent_desa_and_never_disappear() -> None:
    state = KecamatanState(
        tahap=K.PELAKSANAAN,
        recorded={"12.05.01-2027-0001": "Puskesmas keliling"},
        from_desa={"12.05.01.2002-2027-0001": "Rabat beton", "12.05.01.2002-2027-0003": "Drainase"},
    )
    wb = workbook(
        K.PELAKSANAAN,
        [
            UsulanKecamatan(row=3, kode_usulan="12.05.01.2002-2027-0001"),
            UsulanKecamatan(row=4, kode_usulan="12.05.01.2003-2027-0009"),
        ],
    )
    report, _ = check_kecamatan(wb, state, Rules())
    assert report.flatten(("code", "severity", "cell")) == [
        ("kode-usulan-tidak-dikenal", "error", "B4"),
        ("usulan-hilang", "error", None),
        ("usulan-desa-belum-masuk", "warning", None),
    ]
    wb_rekap = workbook(K.REKAP, wb.usulan)
    report, _ = check_kecamatan(wb_rekap, state, Rules())
    assert ("usulan-desa-belum-masuk", "error") in report.flatten(("code", "severity"))
