"""Stage guards, transitions and the deadline (pure functions, no disk)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from pipeline.core.models import BukuKerjaDesa, IdentitasDesa, Usulan
from pipeline.core.standard import TAHAP_URUTAN, Tahap
from pipeline.desa.workflow import LedgerState, Rules, check_workbook, deadline, move_allowed

MUSRENBANG = dt.date(2026, 1, 13)  # a Tuesday; Friday 16 January 2026 is Isra Mi'raj


def workbook(tahap: Tahap, usulan: list[Usulan] | None = None) -> BukuKerjaDesa:
    return BukuKerjaDesa(
        identitas=IdentitasDesa(
            kode="12.05.01.2002", tahun=2027, tahap=tahap, tanggal_musrenbang=MUSRENBANG
        ),
        usulan=usulan or [],
        identitas_cells={"Tahap": "B6", "Tanggal Musrenbang": "B7"},
        usulan_columns={"Kode Usulan": "B"},
    )


ALL = [None, *TAHAP_URUTAN]
EXPECTED_ALLOWED = (
    {(None, t) for t in TAHAP_URUTAN}
    | {  # forward (or staying) from every stage before Kirim, and the one way back
        (a, b)
        for a, b in itertools.product(TAHAP_URUTAN, TAHAP_URUTAN)
        if a is not Tahap.KIRIM and TAHAP_URUTAN.index(b) >= TAHAP_URUTAN.index(a)
    }
    | {(Tahap.VERIFIKASI, Tahap.PELAKSANAAN)}
)


@pytest.mark.parametrize(("current", "requested"), list(itertools.product(ALL, TAHAP_URUTAN)))
def test_every_pair_of_stages(current: Tahap | None, requested: Tahap) -> None:
    state = LedgerState(tahap=current, pindaian={"berita-acara", "daftar-hadir"})
    decision = check_workbook(workbook(requested), state, Rules(), MUSRENBANG)
    allowed = (current, requested) in EXPECTED_ALLOWED
    assert move_allowed(current, requested) is allowed
    codes = [i.code for i in decision.report.errors]
    if allowed:
        assert codes == []
        assert decision.tahap is requested
    else:
        assert decision.tahap is None
        assert codes == (["sudah-dikirim"] if current is Tahap.KIRIM else ["tahap-mundur"])


def test_deadline_skips_weekend_and_holiday() -> None:
    # Wed 14, Thu 15, (Fri 16 Isra Mi'raj), (weekend), Mon 19, Tue 20, Wed 21
    assert deadline(MUSRENBANG, 5) == dt.date(2026, 1, 21)
    extra = frozenset({dt.date(2026, 1, 19)})  # a cuti bersama from the settings
    assert deadline(MUSRENBANG, 5, extra) == dt.date(2026, 1, 22)


@pytest.mark.parametrize(
    ("received", "late"),
    [(dt.date(2026, 1, 21), False), (dt.date(2026, 1, 22), True), (dt.date(2026, 1, 14), False)],
)
def test_kirim_on_the_fifth_working_day_is_on_time(received: dt.date, late: bool) -> None:
    state = LedgerState(tahap=Tahap.VERIFIKASI, pindaian={"berita-acara", "daftar-hadir"})
    decision = check_workbook(workbook(Tahap.KIRIM), state, Rules(), received)
    assert decision.tahap is Tahap.KIRIM
    assert decision.terlambat is late
    assert ("terlambat" in decision.report.codes()) is late
    if late:
        assert decision.report.warnings[0].cell == "B7"


def test_kirim_needs_both_signed_scans() -> None:
    state = LedgerState(tahap=Tahap.VERIFIKASI, pindaian={"daftar-hadir"})
    decision = check_workbook(workbook(Tahap.KIRIM), state, Rules(), MUSRENBANG)
    assert decision.report.codes() == ["pindaian-belum-ada"]
    assert decision.tahap is None
    relaxed = check_workbook(workbook(Tahap.KIRIM), state, Rules(wajib_pindaian=False), MUSRENBANG)
    assert relaxed.tahap is Tahap.KIRIM


def test_recorded_usulan_never_disappear_and_codes_must_be_known() -> None:
    state = LedgerState(
        tahap=Tahap.PELAKSANAAN,
        known_kode={
            "12.05.01.2002-2027-0001": "Rabat beton",
            "12.05.01.2002-2027-0002": "Drainase",
        },
    )
    wb = workbook(
        Tahap.PELAKSANAAN,
        [
            Usulan(row=3, kode_usulan="12.05.01.2002-2027-0001"),
            Usulan(row=4, kode_usulan="12.05.01.2002-2027-0009"),
            Usulan(row=5),
        ],
    )
    decision = check_workbook(wb, state, Rules(), MUSRENBANG)
    assert decision.report.flatten(("code", "cell")) == [
        ("kode-usulan-tidak-dikenal", "B4"),
        ("usulan-hilang", None),
    ]
    assert "12.05.01.2002-2027-0002" in decision.report.errors[1].message
