"""Indonesian formatting for documents: dates, day names, numbers in words, rupiah.

Built on babel (month and day names, digit grouping) and num2words (`lang="id"`), so the
words are the libraries' well-tested ones. Every function is also a Jinja filter (FILTERS),
so a clerk editing a template can write `{{ tanggal_musrenbang|hari_tanggal }}`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal
from num2words import num2words

LOCALE = "id_ID"


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def tanggal(value: dt.date | dt.datetime | None) -> str:
    """'13 Januari 2026' (empty for no date)."""
    if value is None:
        return ""
    return format_date(_as_date(value), "d MMMM y", locale=LOCALE)


def hari(value: dt.date | dt.datetime | None) -> str:
    """'Selasa'."""
    if value is None:
        return ""
    return format_date(_as_date(value), "EEEE", locale=LOCALE)


def bulan(value: dt.date | dt.datetime | None) -> str:
    """'Januari'."""
    if value is None:
        return ""
    return format_date(_as_date(value), "MMMM", locale=LOCALE)


def hari_tanggal(value: dt.date | dt.datetime | None) -> str:
    """'Selasa, 13 Januari 2026'."""
    if value is None:
        return ""
    return f"{hari(value)}, {tanggal(value)}"


def tanggal_angka(value: dt.date | dt.datetime | None) -> str:
    """'13-01-2026', the figures written after a date in words."""
    if value is None:
        return ""
    return _as_date(value).strftime("%d-%m-%Y")


def bulat(value: int | Decimal | float | str) -> int:
    """Whole rupiah, a half rounded up: the one rounding of figures and words alike."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def terbilang(value: int | Decimal | str | None) -> str:
    """A whole number in Indonesian words: 11 -> 'sebelas', 1000 -> 'seribu', 0 -> 'nol'.
    A fraction is rounded as rupiah() rounds it (a half up), so figures and words agree."""
    if value is None or value == "":
        return ""
    number = bulat(value)
    words = str(num2words(abs(number), lang="id"))
    return f"minus {words}" if number < 0 else words


def tanggal_terbilang(value: dt.date | dt.datetime | None) -> str:
    """'tiga belas Januari dua ribu dua puluh enam'."""
    if value is None:
        return ""
    d = _as_date(value)
    return f"{terbilang(d.day)} {bulan(d)} {terbilang(d.year)}"


def angka(value: int | Decimal | float | None) -> str:
    """A number with Indonesian grouping: 1250000 -> '1.250.000', 2.5 -> '2,5'."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        number = number.to_integral_value()
    return str(format_decimal(number, locale=LOCALE, decimal_quantization=False))


def rupiah(value: int | Decimal | float | None) -> str:
    """'Rp 1.250.000': babel's grouping, no cents, a space after Rp ('-Rp 5.000' if negative)."""
    if value is None or value == "":
        return ""
    number = bulat(value)
    grouped = str(format_decimal(abs(number), locale=LOCALE))
    return f"-Rp {grouped}" if number < 0 else f"Rp {grouped}"


FILTERS: dict[str, Callable[..., str]] = {
    "tanggal": tanggal,
    "hari": hari,
    "bulan": bulan,
    "hari_tanggal": hari_tanggal,
    "tanggal_angka": tanggal_angka,
    "tanggal_terbilang": tanggal_terbilang,
    "terbilang": terbilang,
    "angka": angka,
    "rupiah": rupiah,
}
