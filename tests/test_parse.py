"""Reading single cell values (pipeline/intake/parse.py): every reading rule, and what is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl.utils.datetime import from_excel

from pipeline.core.standard import BIDANG, SUMBER_DANA, UNSUR, Keputusan
from pipeline.intake.parse import (
    clean_text,
    is_blank,
    parse_choice,
    parse_jenis_kelamin,
    parse_kode_desa,
    parse_nip,
    parse_number,
    parse_rupiah,
    parse_whole,
    parse_year,
)
from pipeline.intake.parse_dates import excel_serial_date, parse_date, parse_time

BLANKS = [None, "", "   ", "\t\n", "\u00a0", "\u200b"]


def ok(result: tuple[object, str | None]) -> object:
    value, problem = result
    assert problem is None, problem
    assert value is not None
    return value


def refused(result: tuple[object, str | None]) -> str:
    value, problem = result
    assert value is None
    assert problem, "a refusal must say why"
    assert not problem.endswith("."), "fragments end without a period (validation adds it)"
    return problem


# ----------------------------------------------------------------------------- blanks


@pytest.mark.parametrize(
    "parser",
    [
        parse_rupiah,
        parse_number,
        parse_whole,
        parse_year,
        parse_date,
        parse_time,
        parse_nip,
        parse_kode_desa,
        parse_jenis_kelamin,
        lambda v: parse_choice(v, SUMBER_DANA, "Sumber Dana"),
    ],
)
@pytest.mark.parametrize("blank", BLANKS)
def test_blank_is_neither_value_nor_problem(parser, blank):
    assert parser(blank) == (None, None)
    assert is_blank(blank)


# ----------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("  Balai   Desa  ", "Balai Desa"),
        ("Jl. Merdeka\nNo. 5", "Jl. Merdeka No. 5"),
        ("Jl.\r\n\tMerdeka", "Jl. Merdeka"),
        ("Ba\x00lai\x07 Desa\x1f", "Balai Desa"),
        ("\ufeffBalai\u200b Desa", "Balai Desa"),
        ("Balai\u00a0Desa", "Balai Desa"),
        (8123456789, "8123456789"),
        (8123456789.0, "8123456789"),
        (628123456789.0, "628123456789"),
        (12.5, "12.5"),
        (Decimal("1500.00"), "1500"),
        ("=SUM(A1)", "=SUM(A1)"),
        ("-", "-"),
        (None, None),
        ("  \n ", None),
        ("\x01\x02", None),
    ],
)
def test_clean_text(raw, text):
    assert clean_text(raw) == text


# ----------------------------------------------------------------------------- rupiah


@pytest.mark.parametrize(
    "raw",
    [
        1500000,
        1500000.0,
        Decimal("1500000"),
        "1500000",
        "1.500.000",
        "Rp 1.500.000",
        "Rp1.500.000",
        "Rp1.500.000,00",
        "Rp 1.500.000,0",
        "Rp. 1.500.000,-",
        "rp.1.500.000,--",
        "IDR 1.500.000",
        " 1.500.000 ",
        "1.500.000,00",
    ],
)
def test_rupiah_readable(raw):
    assert ok(parse_rupiah(raw)) == 1500000


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.500", 1500), ("Rp 750.000", 750000), (1, 1), ("Rp 999.999.999.999", 999999999999)],
)
def test_rupiah_small_and_large(raw, expected):
    assert ok(parse_rupiah(raw)) == expected


@pytest.mark.parametrize(
    ("raw", "suggestion"),
    [
        ("15 jt", "15000000"),
        ("Rp 15 jt", "15000000"),
        ("15jt", "15000000"),
        ("1,5 juta", "1500000"),
        ("250 rb", "250000"),
        ("1,5 M", "1500000000"),
    ],
)
def test_rupiah_abbreviations_refused_with_the_number_to_write(raw, suggestion):
    assert f"tulis {suggestion}" in refused(parse_rupiah(raw))


@pytest.mark.parametrize(
    "raw",
    [
        "1,500,000",  # English grouping: ambiguous for Indonesian readers
        "15,000",  # 15 or 15000?
        "1.5",  # not a thousands group
        "1.500.00",
        "1500000.0",  # text with a dot decimal
        "1.500.000,50",  # not whole rupiah
        "1,5",
        "-1.500.000",
        "Rp -1.500.000",
        "0",
        "Rp 0",
        0,
        -5,
        1500000.5,
        0.0,
        float("nan"),
        float("inf"),
        True,
        "satu juta",
        "1 500 000",
        "1.500.000 rupiah",
        dt.date(2026, 1, 13),
        "1" + "0" * 16,
    ],
)
def test_rupiah_refused(raw):
    refused(parse_rupiah(raw))


def test_rupiah_message_quotes_the_value():
    assert refused(parse_rupiah("Rp 15 jt")).startswith("'Rp 15 jt' bukan nilai rupiah yang jelas")


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2, Decimal(2)),
        ("2", Decimal(2)),
        (2.0, Decimal(2)),
        (2.5, Decimal("2.5")),
        (0.1 + 0.2, Decimal("0.3")),  # binary noise from a formula's cached value
        ("1,5", Decimal("1.5")),
        ("1,50", Decimal("1.5")),
        ("0,500", Decimal("0.5")),  # a leading 0 cannot be a thousands group
        ("1.500", Decimal(1500)),
        ("1.500,25", Decimal("1500.25")),
        ("12.345.678", Decimal(12345678)),
        (Decimal("3.000"), Decimal(3)),
    ],
)
def test_number_readable(raw, expected):
    value = ok(parse_number(raw))
    assert value == expected
    assert str(value) == str(expected)  # tidy form: 1.5 not 1.50, 1500 not 1.5E+3


@pytest.mark.parametrize(
    "raw",
    ["1.5", "12.5", "1,500", "1,500,000", "1.500.00", "100 m", "dua", "1/2", "-2", 0, "0", -1.5],
)
def test_number_refused(raw):
    refused(parse_number(raw))


def test_number_zero_allowed_when_not_positive():
    assert parse_number(0, positive=False) == (Decimal(0), None)
    refused(parse_number(-1, positive=False))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(12, 12), ("12", 12), (12.0, 12), ("12,0", 12), ("1.200", 1200), (0, 0), (" 7 ", 7)],
)
def test_whole_readable(raw, expected):
    assert parse_whole(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["12,5", 12.5, "1.5", "-1", -1, "dua belas", True, "1,200"])
def test_whole_refused(raw):
    refused(parse_whole(raw))


def test_whole_minimum():
    assert parse_whole(1, minimum=1) == (1, None)
    refused(parse_whole(0, minimum=1))
    refused(parse_whole("0", minimum=1))


@pytest.mark.parametrize(("raw", "year"), [(2027, 2027), (2027.0, 2027), ("2027", 2027)])
def test_year_readable(raw, year):
    assert parse_year(raw) == (year, None)


@pytest.mark.parametrize("raw", ["27", "2027/2028", 1999, 2101, 2027.5, "dua ribu", "2.027"])
def test_year_refused(raw):
    refused(parse_year(raw))


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "raw",
    [
        dt.date(2026, 1, 13),
        dt.datetime(2026, 1, 13),
        dt.datetime(2026, 1, 13, 9, 30),
        46035,  # Excel serial of 13 Jan 2026
        46035.0,
        46035.375,  # with a time of day
        "13/01/2026",
        "13-01-2026",
        "13.01.2026",
        "13/1/2026",
        "2026-01-13",
        "2026/01/13",
        "2026-01-13 00:00:00",
        "13 Januari 2026",
        "13 januari 2026",
        "13 JANUARI 2026",
        "13 Jan 2026",
        "13 Jan. 2026",
        "13-Jan-2026",
        "13 January 2026",
        "Selasa, 13 Januari 2026",
        "selasa 13 Januari 2026",
        "SELASA, 13/01/2026",
        "  13   Januari  2026 ",
        "13 / 01 / 2026",
    ],
)
def test_date_readable(raw):
    assert parse_date(raw) == (dt.date(2026, 1, 13), None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("17 Agt 2026", dt.date(2026, 8, 17)),
        ("17 Agu 2026", dt.date(2026, 8, 17)),
        ("17 Agustus 2026", dt.date(2026, 8, 17)),
        ("5 Okt 2026", dt.date(2026, 10, 5)),
        ("24 Des 2026", dt.date(2026, 12, 24)),
        ("24 Desember 2026", dt.date(2026, 12, 24)),
        ("3 Mei 2026", dt.date(2026, 5, 3)),
        ("3 Peb 2026", dt.date(2026, 2, 3)),
        ("3 Nop 2026", dt.date(2026, 11, 3)),
        ("Jumat, 13 Februari 2026", dt.date(2026, 2, 13)),
        ("Jum'at, 13 Februari 2026", dt.date(2026, 2, 13)),
        ("Minggu, 15 Februari 2026", dt.date(2026, 2, 15)),
        ("02/03/2026", dt.date(2026, 3, 2)),  # day first, Indonesian order
        (45000, dt.date(2023, 3, 15)),
    ],
)
def test_date_month_names_and_order(raw, expected):
    assert parse_date(raw) == (expected, None)


@pytest.mark.parametrize("serial", [32874, 40000, 45000, 46035, 46035.99, 73000])
def test_serial_matches_openpyxl(serial):
    assert excel_serial_date(serial) == from_excel(serial).date()


@pytest.mark.parametrize(
    "raw",
    [
        "01/13/2026",  # month 13: US order is not guessed
        "31/02/2026",
        "32/01/2026",
        "13/01/26",  # two-digit year
        "13 Foo 2026",
        "Senin, 13 Januari 2026",  # 13 Jan 2026 is a Tuesday
        "Hariraya, 13 Januari 2026",
        "13/01-2026",
        "besok",
        "2026",
        2026,  # a year typed into a date cell is serial 2026 = 1905
        10,
        -5,
        3_000_000,
        dt.time(9, 0),
        dt.datetime(1899, 12, 30, 9, 0),  # a time-only value
        dt.date(1900, 1, 1),
        True,
        "13 Januari 2200",
    ],
)
def test_date_refused(raw):
    refused(parse_date(raw))


def test_date_month_over_twelve_suggests_day_first():
    assert "13/01/2026" in refused(parse_date("01/13/2026"))


def test_date_wrong_day_name_names_the_right_one():
    assert "Selasa" in refused(parse_date("Senin, 13 Januari 2026"))


# ----------------------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("09.00", "09.00"),
        ("09:00", "09.00"),
        ("9.00", "09.00"),
        ("9:30", "09.30"),
        ("09.00 WIB", "09.00"),
        ("09.00 wita", "09.00"),
        ("09.00 WIT", "09.00"),
        ("09:00:00", "09.00"),
        ("Pukul 09.00 WIB", "09.00"),
        ("pkl. 13.30", "13.30"),
        ("09.00 WIB s.d. selesai", "09.00"),
        ("09.00 - selesai", "09.00"),
        ("09.00 s/d Selesai", "09.00"),
        ("09.00 - 12.00 WIB", "09.00"),
        ("09.00 WIB s.d. 12.00 WIB", "09.00"),
        (dt.time(9, 0), "09.00"),
        (dt.time(13, 45, 30), "13.45"),
        (dt.datetime(2026, 1, 13, 9, 0), "09.00"),
        (dt.datetime(1899, 12, 30, 14, 15), "14.15"),
        (0.375, "09.00"),
        (0.5625, "13.30"),
        (0.3958333333, "09.30"),
        (46035.375, "09.00"),
        (0.0, "00.00"),
        # "09.00" / "09.30" typed into a number cell (Calc/Excel in an en-US locale)
        (9, "09.00"),
        (9.3, "09.30"),
        (13.45, "13.45"),
    ],
)
def test_time_readable(raw, expected):
    assert parse_time(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    [
        "9",
        9.75,
        25,
        "25.00",
        "09.60",
        "09.0",
        "jam sembilan",
        "09.00 pagi",
        "9 am",
        dt.date(2026, 1, 13),
        dt.datetime(2026, 1, 13),
        46035.0,
        -0.2,
        True,
    ],
)
def test_time_refused(raw):
    refused(parse_time(raw))


# ----------------------------------------------------------------------------- NIP, kode


@pytest.mark.parametrize(
    "raw",
    [
        "197801012005011001",
        "19780101 200501 1 001",
        " 197801012005011001 ",
        "'197801012005011001",
        "NIP. 19780101 200501 1 001",
        "19780101\u00a0200501\u00a01\u00a0001",
    ],
)
def test_nip_readable(raw):
    assert parse_nip(raw) == ("197801012005011001", None)


@pytest.mark.parametrize(
    "raw",
    [
        197801012005011001,  # 18 digits, but a number: precision lost beyond 15
        197801012005011000.0,
        1.97801012005011e17,
        Decimal("197801012005011001"),
        123456,
    ],
)
def test_nip_number_cell_asks_for_text(raw):
    assert "teks" in refused(parse_nip(raw))


@pytest.mark.parametrize(
    "raw", ["19780101200501100", "1978010120050110011", "19780101-200501-1-001", "NIP belum ada"]
)
def test_nip_refused(raw):
    refused(parse_nip(raw))


@pytest.mark.parametrize(
    "raw", ["12.05.01.2002", " 12.05.01.2002 ", "12.05.01.1001", "12. 05.01.2002"]
)
def test_kode_desa_readable(raw):
    assert parse_kode_desa(raw)[1] is None


@pytest.mark.parametrize(
    "raw", ["12.05.01", "12.05.01.3002", "1205012002", 12.0501, "12-05-01-2002"]
)
def test_kode_desa_refused(raw):
    refused(parse_kode_desa(raw))


# ----------------------------------------------------------------------------- choices


@pytest.mark.parametrize(
    ("raw", "choices", "expected"),
    [
        ("diterima dengan revisi", [k.value for k in Keputusan], "Diterima dengan Revisi"),
        ("  DITERIMA   DENGAN  REVISI ", [k.value for k in Keputusan], "Diterima dengan Revisi"),
        ("ditolak", [k.value for k in Keputusan], "Ditolak"),
        ("apbdes", SUMBER_DANA, "APBDes"),
        ("Apbd  kabupaten", SUMBER_DANA, "APBD Kabupaten"),
        ("pelaksanaan pembangunan desa", BIDANG, "Pelaksanaan Pembangunan Desa"),
        (
            "penanggulangan bencana, keadaan darurat dan mendesak",
            BIDANG,
            "Penanggulangan Bencana, Keadaan Darurat dan Mendesak",
        ),
        ("karang taruna", UNSUR, "Karang Taruna"),
        ("Pemerintah Desa/Kelurahan", UNSUR, "Pemerintah Desa/Kelurahan"),
    ],
)
def test_choice_ignores_case_and_spaces(raw, choices, expected):
    assert parse_choice(raw, choices, "X") == (expected, None)


@pytest.mark.parametrize(
    ("raw", "choices"),
    [
        ("Diterima sebagian", [k.value for k in Keputusan]),
        ("Dana Desa", SUMBER_DANA),
        ("Pembangunan", BIDANG),
        ("Ketua RT", UNSUR),
        (1, SUMBER_DANA),
    ],
)
def test_choice_refused_lists_the_choices(raw, choices):
    problem = refused(parse_choice(raw, choices, "X"))
    assert choices[0] in problem


def test_choice_suggests_a_close_spelling():
    assert "maksudnya 'APBDes'" in refused(parse_choice("APBDesa", SUMBER_DANA, "Sumber Dana"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("L", "L"),
        ("l", "L"),
        (" P ", "P"),
        ("p", "P"),
        ("Laki-laki", "L"),
        ("LAKI-LAKI", "L"),
        ("laki - laki", "L"),
        ("Laki laki", "L"),
        ("Perempuan", "P"),
        ("PEREMPUAN", "P"),
    ],
)
def test_jenis_kelamin_spellings(raw, expected):
    assert parse_jenis_kelamin(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["X", "Pria", "Wanita-", "LP", 1])
def test_jenis_kelamin_refused(raw):
    refused(parse_jenis_kelamin(raw))
