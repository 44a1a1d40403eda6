"""Reading dates and times from cells: date cells, Excel serials, Indonesian text dates
(`13/01/2026`, `13 Januari 2026`, `Selasa, 13 Januari 2026`) and times (`09.00`, `09:00`, a
fraction of a day, the number 9.3 that Calc makes of a typed 09.30). Same contract as
intake/parse.py: ``(value, None)``, ``(None, None)`` for blank, ``(None, problem)``."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from pipeline.intake.parse import (
    DATE_MAX,
    DATE_MIN,
    EXCEL_EPOCH,
    Parsed,
    clean_text,
    is_blank,
    show,
)

BULAN: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("januari", "jan", "january"),
        ("februari", "feb", "pebruari", "peb", "february"),
        ("maret", "mar", "march"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "jun", "june"),
        ("juli", "jul", "july"),
        ("agustus", "agu", "agt", "ags", "agust", "aug", "august"),
        ("september", "sep", "sept"),
        ("oktober", "okt", "oct", "october"),
        ("november", "nov", "nop", "nopember"),
        ("desember", "des", "dec", "december"),
    ],
    start=1,
):
    for _name in _names:
        BULAN[_name] = _number

HARI: dict[str, int] = {  # day name -> date.weekday()
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
}
HARI_NAMA = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN_NAMA = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]

_DAY_PREFIX = re.compile(r"^(?P<hari>[a-z']+)\s*,?\s+(?=\d)", re.IGNORECASE)
_DMY = re.compile(r"^(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})$")
_YMD = re.compile(
    r"^(?P<y>\d{4})(?P<sep>[/-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_D_MONTH_Y = re.compile(r"^(?P<d>\d{1,2})[\s-]+(?P<m>[a-z]+)\.?[\s-]+(?P<y>\d{4})$", re.IGNORECASE)

DATE_HINT = "tulis tanggal seperti 13/01/2026 atau 13 Januari 2026"


def _long_date(day: dt.date) -> str:
    return f"{day.day} {BULAN_NAMA[day.month - 1]} {day.year}"


def excel_serial_date(serial: float) -> dt.date | None:
    """An Excel serial number (1900 system, as openpyxl reads it) -> date, or None if absurd."""
    if not math.isfinite(serial) or serial < 61:
        return None
    try:
        day = EXCEL_EPOCH + dt.timedelta(days=math.floor(serial))
    except OverflowError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def _in_range(day: dt.date, value: object) -> Parsed[dt.date]:
    if DATE_MIN <= day <= DATE_MAX:
        return day, None
    return (
        None,
        f"{show(value)} bukan tanggal Musrenbang yang masuk akal (tahun {day.year}); {DATE_HINT}",
    )


def parse_date(value: object) -> Parsed[dt.date]:
    """A date cell, an Excel serial number, or text `13/01/2026`, `13-01-2026`, `2026-01-13`,
    `13 Januari 2026`, `Selasa, 13 Januari 2026` (day first; a day name must fit the date)."""
    if value is None or is_blank(value):
        return None, None
    if isinstance(value, dt.datetime):
        return _in_range(value.date(), value)
    if isinstance(value, dt.date):
        return _in_range(value, value)
    if isinstance(value, dt.time):
        return None, f"{show(value)} adalah jam, bukan tanggal; {DATE_HINT}"
    if isinstance(value, bool):
        return None, f"{show(value)} bukan tanggal; {DATE_HINT}"
    if isinstance(value, int | float | Decimal):
        day = excel_serial_date(float(value))
        if day is None:
            return None, f"angka {show(value)} bukan tanggal; {DATE_HINT}"
        return day, None

    text = clean_text(value) or ""
    weekday: int | None = None
    prefix = _DAY_PREFIX.match(text)
    if prefix:
        name = prefix["hari"].casefold().replace("\u2019", "'")
        if name not in HARI:
            return None, f"{show(value)} bukan tanggal yang jelas; {DATE_HINT}"
        weekday = HARI[name]
        text = text[prefix.end() :]

    if re.fullmatch(r"[\d\s/.-]+", text):
        text = re.sub(r"\s*([/.-])\s*", r"\1", text)  # '13 / 01 / 2026'
    if match := _DMY.match(text):
        d, m, y = int(match["d"]), int(match["m"]), int(match["y"])
        if m > 12:
            hint = DATE_HINT
            if d <= 12:
                hint = f"tanggal ditulis hari/bulan/tahun, mis. {m:02d}/{d:02d}/{y}"
            return None, f"{show(value)} tidak punya bulan ke-{m}; {hint}"
    elif match := _YMD.match(text):
        d, m, y = int(match["d"]), int(match["m"]), int(match["y"])
    elif match := _D_MONTH_Y.match(text):
        month = BULAN.get(match["m"].casefold())
        if month is None:
            return None, f"{show(value)}: nama bulan '{match['m']}' tidak dikenal; {DATE_HINT}"
        d, m, y = int(match["d"]), month, int(match["y"])
    else:
        return None, f"{show(value)} bukan tanggal yang jelas; {DATE_HINT}"

    try:
        day = dt.date(y, m, d)
    except ValueError:
        return None, f"{show(value)} bukan tanggal yang ada di kalender; {DATE_HINT}"
    if weekday is not None and day.weekday() != weekday:
        return None, (
            f"{show(value)}: {_long_date(day)} jatuh pada hari {HARI_NAMA[day.weekday()]}; "
            "periksa tanggal atau nama harinya"
        )
    return _in_range(day, value)


_TIME = re.compile(
    r"^(?:(?:pukul|pkl|jam)\.?\s*)?(?P<h>\d{1,2})[.:](?P<m>\d{2})(?:[.:]\d{2})?"
    r"(?:\s*(?:wib|wita|wit)\b\.?)?"
    r"(?:\s*(?:s\.?\s?d\.?|s/d|-|\u2013|sampai)\s*(?:selesai|\d{1,2}[.:]\d{2}))?"
    r"(?:\s*(?:wib|wita|wit)\b\.?)?$",
    re.IGNORECASE,
)
TIME_HINT = "tulis jam dan menit, mis. 09.00"


def _hhmm(hour: int, minute: int) -> str:
    return f"{hour:02d}.{minute:02d}"


def _fraction_time(fraction: float) -> str:
    minutes = round(fraction * 24 * 60)
    if minutes >= 24 * 60:
        minutes = 24 * 60 - 1
    return _hhmm(minutes // 60, minutes % 60)


def parse_time(value: object) -> Parsed[str]:
    """A time of day as 'HH.MM': `09.00`, `09:00`, `9.00`, `09.00 WIB`, a time cell, a fraction
    of a day (0.375), a datetime's time part. A bare date or hour is refused."""
    if value is None or is_blank(value):
        return None, None
    if isinstance(value, dt.datetime):
        if value.time() == dt.time() and value.date() > dt.date(1900, 1, 1):
            return None, f"{show(value)} berisi tanggal, bukan jam; {TIME_HINT}"
        return _hhmm(value.hour, value.minute), None
    if isinstance(value, dt.time):
        return _hhmm(value.hour, value.minute), None
    if isinstance(value, dt.date) or isinstance(value, bool):
        return None, f"{show(value)} bukan jam; {TIME_HINT}"
    if isinstance(value, float | Decimal):
        number = float(value)
        if not math.isfinite(number) or number < 0:
            return None, f"{show(value)} bukan jam; {TIME_HINT}"
        fraction = number - math.floor(number)
        if 0 < fraction and (number < 1 or excel_serial_date(number) is not None):
            return _fraction_time(fraction), None
        if number == 0:
            return "00.00", None
        return _typed_hour(number) or (None, f"{show(value)} bukan jam; {TIME_HINT}")
    if isinstance(value, int):
        return _typed_hour(value) or (None, f"{show(value)} bukan jam yang jelas; {TIME_HINT}")
    text = clean_text(value) or ""
    match = _TIME.match(text)
    if not match:
        return None, f"{show(value)} bukan jam yang jelas; {TIME_HINT}"
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 23 or minute > 59:
        return None, f"{show(value)} bukan jam yang ada; {TIME_HINT}"
    return _hhmm(hour, minute), None


def _typed_hour(number: float) -> Parsed[str] | None:
    """`09.00` typed into a number cell arrives as 9, `09.30` as 9.3: hour.minutes, read
    back the way it was typed. Anything else (9.75, 25) stays an error."""
    if not 1 <= number < 24:
        return None
    hour = int(number)
    minute = round((number - hour) * 100, 6)
    if minute != int(minute) or minute > 59:
        return None
    return _hhmm(hour, int(minute)), None
