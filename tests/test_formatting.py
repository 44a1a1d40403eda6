"""Indonesian formatting helpers (babel + num2words) and their use as Jinja filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pipeline.documents import formatting as fmt


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (35, "tiga puluh lima"),
        (100, "seratus"),
        (111, "seratus sebelas"),
        (135, "seratus tiga puluh lima"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (2026, "dua ribu dua puluh enam"),
        (11000, "sebelas ribu"),
        (1_000_000, "satu juta"),
        (1_250_000, "satu juta dua ratus lima puluh ribu"),
        (1_000_000_000, "satu miliar"),
        (-3, "minus tiga"),
    ],
)
def test_terbilang(n: int, words: str) -> None:
    assert fmt.terbilang(n) == words


# Forty values checked by hand against Indonesian use (KBBI; the words on cheques and in
# berita acara): a group of one thousand is "seribu" wherever it stands, a million or more
# keeps "satu" (satu juta, satu miliar, satu triliun), 100 is "seratus", 11 is "sebelas".
TERBILANG_40 = [
    (2, "dua"),
    (9, "sembilan"),
    (13, "tiga belas"),
    (20, "dua puluh"),
    (21, "dua puluh satu"),
    (99, "sembilan puluh sembilan"),
    (101, "seratus satu"),
    (110, "seratus sepuluh"),
    (200, "dua ratus"),
    (999, "sembilan ratus sembilan puluh sembilan"),
    (1_011, "seribu sebelas"),
    (1_999, "seribu sembilan ratus sembilan puluh sembilan"),
    (10_000, "sepuluh ribu"),
    (11_001, "sebelas ribu satu"),
    (21_000, "dua puluh satu ribu"),
    (100_000, "seratus ribu"),
    (101_000, "seratus satu ribu"),
    (111_111, "seratus sebelas ribu seratus sebelas"),
    (201_000, "dua ratus satu ribu"),
    (999_999, "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan"),
    (1_001_000, "satu juta seribu"),
    (1_001_001, "satu juta seribu satu"),
    (1_100_000, "satu juta seratus ribu"),
    (2_001_000, "dua juta seribu"),
    (11_000_000, "sebelas juta"),
    (101_001_000, "seratus satu juta seribu"),
    (110_011_000, "seratus sepuluh juta sebelas ribu"),
    (250_000_000, "dua ratus lima puluh juta"),
    (1_000_001_000, "satu miliar seribu"),
    (1_001_000_000, "satu miliar satu juta"),
    (2_000_000_000, "dua miliar"),
    (7_485_250_000, "tujuh miliar empat ratus delapan puluh lima juta dua ratus lima puluh ribu"),
    (11_000_001_000, "sebelas miliar seribu"),
    (1_000_000_000_000, "satu triliun"),
    (1_000_000_001_000, "satu triliun seribu"),
    (2_001_001_001_001, "dua triliun satu miliar satu juta seribu satu"),
    (15_000_000_000_000, "lima belas triliun"),
    (100_000_000_000_000, "seratus triliun"),
    (999_000_000_001_000, "sembilan ratus sembilan puluh sembilan triliun seribu"),
    (1_000_000_000_000_000, "satu kuadriliun"),
]


def test_terbilang_forty_hand_checked_values() -> None:
    assert len(TERBILANG_40) == 40
    assert len({n for n, _ in TERBILANG_40}) == 40
    wrong = [(n, fmt.terbilang(n), w) for n, w in TERBILANG_40 if fmt.terbilang(n) != w]
    assert wrong == []


def test_terbilang_never_says_satu_ribu() -> None:
    # The library's slip: a thousands group of one after a larger group.
    for n in (1_000, 1_001_000, 101_001_000, 5_001_999, 3_000_001_000, 7_000_000_001_000):
        words = fmt.terbilang(n)
        assert "satu ribu" not in words and "seribu" in words, (n, words)
    assert fmt.terbilang(201_000) == "dua ratus satu ribu"  # "satu" of "dua ratus satu" stays
    assert fmt.terbilang(10**18 + 1_000) == "seribu kuadriliun seribu"


def test_terbilang_rounds_half_up_like_rupiah() -> None:
    # the words of an amount say what its figure says
    for value in (Decimal("1250000.5"), Decimal("1250000.4"), Decimal("999.5"), "1000.5"):
        figure = int(fmt.rupiah(value).removeprefix("Rp ").replace(".", ""))
        assert fmt.terbilang(value) == fmt.terbilang(figure)
    assert fmt.terbilang(Decimal("1250000.5")) == "satu juta dua ratus lima puluh ribu satu"
    assert fmt.terbilang(Decimal("999.5")) == "seribu"


def test_terbilang_accepts_decimal_text_and_blank() -> None:
    assert fmt.terbilang(Decimal("35")) == "tiga puluh lima"
    assert fmt.terbilang("60") == "enam puluh"
    assert fmt.terbilang(None) == ""


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "Rp 0"),
        (999, "Rp 999"),
        (1000, "Rp 1.000"),
        (1_250_000, "Rp 1.250.000"),
        (7_485_250_000, "Rp 7.485.250.000"),
        (Decimal("1250000.4"), "Rp 1.250.000"),
        (Decimal("1250000.5"), "Rp 1.250.001"),  # a half rounds up
        (Decimal("-0.4"), "Rp 0"),
        (-5000, "-Rp 5.000"),
        (None, ""),
    ],
)
def test_rupiah(n: int | Decimal | None, text: str) -> None:
    assert fmt.rupiah(n) == text


def test_angka_grouping_and_decimal_comma() -> None:
    assert fmt.angka(1_250_000) == "1.250.000"
    assert fmt.angka(Decimal("2.5")) == "2,5"
    assert fmt.angka(Decimal("150.00")) == "150"
    assert fmt.angka(Decimal("0.125")) == "0,125"
    assert fmt.angka(None) == ""


def test_dates_in_indonesian() -> None:
    d = dt.date(2026, 1, 13)
    assert fmt.tanggal(d) == "13 Januari 2026"
    assert fmt.hari(d) == "Selasa"
    assert fmt.hari_tanggal(d) == "Selasa, 13 Januari 2026"
    assert fmt.tanggal_angka(d) == "13-01-2026"
    assert fmt.tanggal_terbilang(d) == "tiga belas Januari dua ribu dua puluh enam"
    assert fmt.bulan(d) == "Januari"


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (dt.date(2024, 2, 29), "Kamis, 29 Februari 2024"),  # leap day
        (dt.date(2026, 12, 31), "Kamis, 31 Desember 2026"),
        (dt.date(2027, 3, 1), "Senin, 1 Maret 2027"),  # no leading zero
        (dt.date(2026, 8, 17), "Senin, 17 Agustus 2026"),
        (dt.date(2026, 1, 18), "Minggu, 18 Januari 2026"),
        (dt.date(2026, 1, 16), "Jumat, 16 Januari 2026"),
        (dt.date(2026, 1, 17), "Sabtu, 17 Januari 2026"),
        (dt.date(2026, 1, 14), "Rabu, 14 Januari 2026"),
    ],
)
def test_hari_tanggal_every_weekday_and_edges(d: dt.date, text: str) -> None:
    assert fmt.hari_tanggal(d) == text


def test_datetime_is_read_as_its_date_and_none_is_blank() -> None:
    assert fmt.tanggal(dt.datetime(2026, 1, 13, 23, 59)) == "13 Januari 2026"
    assert fmt.tanggal_terbilang(dt.date(2000, 11, 1)) == "satu November dua ribu"
    for f in (fmt.tanggal, fmt.hari, fmt.hari_tanggal, fmt.tanggal_terbilang, fmt.tanggal_angka):
        assert f(None) == ""


def test_filters_work_in_the_rendering_environment() -> None:
    from pipeline.documents.render import jinja_env

    env = jinja_env()
    text = env.from_string(
        "{{ d|hari_tanggal }} | {{ n|terbilang }} | {{ b|rupiah }} | {{ d|tanggal_terbilang }}"
    ).render(d=dt.date(2026, 1, 13), n=60, b=1_250_000)
    assert text == (
        "Selasa, 13 Januari 2026 | enam puluh | Rp 1.250.000 | "
        "tiga belas Januari dua ribu dua puluh enam"
    )
    assert set(fmt.FILTERS) >= {"tanggal", "hari", "hari_tanggal", "terbilang", "rupiah"}
