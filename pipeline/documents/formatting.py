"""Indonesian formatting for documents: dates, day names, numbers in words, rupiah.

Built on babel (month and day names, digit grouping) and num2words (`lang="id"`, for the
words of 0-999). The scale words (ribu, juta, miliar, triliun, ...) are put together here:
num2words writes a thousands group of one as "satu ribu" whenever a larger group precedes it
(101.001.000 -> "seratus satu juta satu ribu"), where Indonesian says "seribu". Every function
is also a Jinja filter (FILTERS), so a clerk editing a template can write
`{{ tanggal_musrenbang|hari_tanggal }}`.
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


# Scale words by power of a thousand: 10^3 ribu, 10^6 juta, 10^9 miliar, 10^12 triliun,
# 10^15 kuadriliun. Anything larger repeats the largest (seribu kuadriliun).
_SKALA = ("", "ribu", "juta", "miliar", "triliun", "kuadriliun")


def _kelompok(n: int) -> str:
    """0 < n < 1000 in words (num2words is right below a thousand)."""
    return str(num2words(n, lang="id"))


def _bilangan(n: int) -> str:
    """n > 0 in words: groups of three digits, each followed by its scale word."""
    top = 1000 ** (len(_SKALA) - 1)
    if n >= top * 1000:
        head, rest = divmod(n, top)
        words = f"{_bilangan(head)} {_SKALA[-1]}"
        return f"{words} {_bilangan(rest)}" if rest else words
    parts: list[str] = []
    for power in range(len(_SKALA) - 1, -1, -1):
        group = (n // 1000**power) % 1000
        if not group:
            continue
        if power == 1 and group == 1:
            parts.append("seribu")  # a thousands group of one is "seribu", never "satu ribu"
        elif power == 0:
            parts.append(_kelompok(group))
        else:
            parts.append(f"{_kelompok(group)} {_SKALA[power]}")
    return " ".join(parts)


def terbilang(value: int | Decimal | str | None) -> str:
    """A whole number in Indonesian words: 11 -> 'sebelas', 1000 -> 'seribu', 0 -> 'nol'.

    101001000 -> 'seratus satu juta seribu'. A fraction rounds half up, as `rupiah` does, so
    the figure and the words of one amount always agree.
    """
    if value is None or value == "":
        return ""
    number = bulat(value)
    if number == 0:
        return "nol"
    words = _bilangan(abs(number))
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
