"""Reading single cell values: raw workbook values -> Python values, or a reason why not.

Every parser takes whatever a cell held (str, int, float, Decimal, date, datetime, time, bool
or None) and returns a pair:

- ``(value, None)``   the value was read,
- ``(None, None)``    the cell is blank (the caller decides whether that is allowed),
- ``(None, problem)`` the value cannot be read with certainty.

``problem`` is an Indonesian fragment that quotes the value, says what is wrong and what to
write instead, without the place prefix and without a final period; validation turns it into
``where(sheet, cell) + problem + "."``. Nothing here guesses: ambiguous input is a problem.

Numbers written as text follow Indonesian use (spec/workbooks.md): ``.`` groups thousands in
groups of exactly three digits, ``,`` is the decimal mark. ``1.500`` is 1500, ``1,5`` is 1.5;
``1.5`` and ``1,500`` could be read two ways and are refused.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from decimal import Decimal
from typing import TypeAlias, TypeVar

from pipeline.core.standard import JENIS_KELAMIN, match_choice, normalise
from pipeline.core.wilayah import KODE_DESA

T = TypeVar("T")
Parsed: TypeAlias = tuple[T | None, str | None]

# Excel's 1900 date system as openpyxl reads it (serials from 61 on; the fake 29 Feb 1900 of
# Lotus 1-2-3 is why the base is 30 Dec 1899, not 31 Dec).
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Dates outside this window are not a Musrenbang date but a mistake (a year or an amount typed
# into a date cell). It also keeps serial numbers far from the 1900 leap-year bug.
DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
YEAR_MIN, YEAR_MAX = 2000, 2100
RUPIAH_MAX = 10**15  # a thousand trillion rupiah: anything above is a typing error

# ----------------------------------------------------------------------------- text

# C0/C1 control characters, invisible format characters (zero-width space, BOM, ...) and
# bidi controls (embeddings, overrides, isolates, marks): text reads as it is stored.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
# Excel's escape of a character in cell text, `_xHHHH_` (`_x005F_` is a literal '_').
# openpyxl passes it through undecoded; Excel would decode it again on the way back.
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_WHITESPACE = re.compile(r"\s+")  # includes tab, newline and no-break space


def _number_text(value: int | float | Decimal) -> str:
    """A number as an operator would type it: no '.0', no exponent."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return format(_tidy(value), "f")
    return str(value)


def clean_text(value: object) -> str | None:
    """The text of a value: control characters removed, spaces collapsed, stripped; blank -> None.

    Line breaks and tabs inside a cell become single spaces (so words do not run together).
    A number becomes its digits without '.0' (a No. HP typed as a number stays readable).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, int | float | Decimal):
        text = _number_text(value)
    elif isinstance(value, dt.datetime):
        text = value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, dt.date):
        text = value.strftime("%d/%m/%Y")
    elif isinstance(value, dt.time):
        text = value.strftime("%H.%M")
    else:
        text = str(value)
    if "_x" in text:
        text = _decode_excel_escapes(text)
    text = _INVISIBLE.sub("", text)
    text = _WHITESPACE.sub(" ", text).strip()
    return text or None


def _decode_excel_escapes(text: str) -> str:
    """Decode `_xHHHH_` as Excel does (one pass, so `_x005F_x0001_` is the text `_x0001_`),
    then drop what still reads as an escape of a control character: Excel must never find
    one to decode in what the pipeline writes back."""

    def invisible(match: re.Match[str]) -> str:
        char = chr(int(match[1], 16))
        return "" if _INVISIBLE.match(char) or char in "\t\n\r" else match[0]

    decoded = _EXCEL_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    return _EXCEL_ESCAPE.sub(invisible, decoded)


# Error values a formula can leave cached in a cell (openpyxl reads them as text).
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
    | {"#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)


def is_excel_error(value: object) -> bool:
    """True for a cached formula error such as '#REF!' or '#N/A'."""
    return isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS


def is_blank(value: object) -> bool:
    """True when a cell holds nothing an operator could see."""
    return clean_text(value) is None


def show(value: object, limit: int = 40) -> str:
    """A value quoted for a message: 'Rp 15 jt'."""
    text = clean_text(value) or ""
    if isinstance(value, float) and not value.is_integer():
        text = repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


# ----------------------------------------------------------------------------- numbers

_ID_NUMBER = re.compile(r"^(?P<int>\d+|\d{1,3}(?:\.\d{3})+)(?:,(?P<frac>\d+))?$")
_EN_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_AMBIGUOUS_COMMA = re.compile(r"^(?P<int>\d+),\d{3}$")
_SIGN = re.compile(r"^[-\u2212\u2013]\s*")
_MULTIPLIER = re.compile(
    r"^(?P<num>\d+(?:[.,]\d+)?)\s*(?P<unit>jt|juta|rb|ribu|k|m|miliar|milyar|t|triliun)\.?$",
    re.IGNORECASE,
)
_MULTIPLIERS = {
    "rb": 10**3,
    "ribu": 10**3,
    "k": 10**3,
    "jt": 10**6,
    "juta": 10**6,
    "m": 10**9,
    "miliar": 10**9,
    "milyar": 10**9,
    "t": 10**12,
    "triliun": 10**12,
}

DOT_PROBLEM = (
    "titik hanya dipakai sebagai pemisah ribuan (kelompok 3 angka, mis. 1.500.000); "
    "pecahan ditulis dengan koma (mis. 1,5)"
)


def _tidy(number: Decimal) -> Decimal:
    """1.50 -> 1.5 and 1500.0 -> 1500, so equal amounts compare and print equal."""
    if number == number.to_integral_value():
        return Decimal(int(number))
    return number.normalize()


def _float_decimal(value: float) -> Decimal:
    """A float cell as a decimal, rounded to 6 places (undoes binary noise like 0.1+0.2)."""
    if value.is_integer():
        return Decimal(int(value))
    return _tidy(Decimal(format(value, ".6f")))


def _text_decimal(text: str) -> Parsed[Decimal]:
    """Indonesian number text -> Decimal (sign allowed); problem has no value quote."""
    compact = text.strip()
    negative = False
    sign = _SIGN.match(compact)
    if sign:
        negative = True
        compact = compact[sign.end() :]
    match = _ID_NUMBER.match(compact)
    if match:
        ambiguous = _AMBIGUOUS_COMMA.match(compact)
        if ambiguous and int(ambiguous["int"]) != 0:
            as_thousands = compact.replace(",", "")
            as_fraction = compact.rstrip("0").rstrip(",")
            return None, (
                f"bisa dibaca {as_thousands} (koma sebagai pemisah ribuan) atau {as_fraction} "
                f"(koma sebagai desimal); tulis {as_thousands} tanpa koma bila itu maksudnya"
            )
        digits = match["int"].replace(".", "")
        frac = match["frac"]
        number = Decimal(f"{digits}.{frac}" if frac else digits)
        return (-number if negative else number), None
    if _EN_GROUPED.match(compact):
        plain = compact.replace(",", "").replace(".", ",")
        return None, (
            f"memakai koma sebagai pemisah ribuan (cara Inggris); tulis {plain} "
            "(tanpa pemisah, atau titik untuk ribuan dan koma untuk desimal)"
        )
    if "." in compact and re.fullmatch(r"[\d.,]+", compact):
        return None, DOT_PROBLEM
    return None, "bukan angka; tulis angkanya saja, mis. 1500 atau 1,5"


def _to_decimal(value: object) -> Parsed[Decimal]:
    """Any cell value -> Decimal; the problem fragment already quotes the value."""
    if value is None or is_blank(value):
        return None, None
    if isinstance(value, bool):
        return None, f"{show(value)} bukan angka; tulis angkanya"
    if isinstance(value, int):
        return Decimal(value), None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, f"{show(value)} bukan angka; tulis angkanya"
        return _float_decimal(value), None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None, f"{show(value)} bukan angka; tulis angkanya"
        return _tidy(value), None
    if isinstance(value, dt.date | dt.time):
        return None, f"{show(value)} adalah tanggal/jam, bukan angka; tulis angkanya"
    text = clean_text(value) or ""
    number, problem = _text_decimal(text)
    if problem:
        return None, f"{show(value)} {problem}"
    assert number is not None
    return _tidy(number), None


def parse_number(value: object, *, positive: bool = True) -> Parsed[Decimal]:
    """A quantity such as Volume: `2`, `1,5`, `1.500`, a number cell; > 0 (or >= 0)."""
    number, problem = _to_decimal(value)
    if problem or number is None:
        return None, problem
    if positive and number <= 0:
        return None, f"{show(value)} harus lebih dari 0; tulis jumlahnya, mis. 1 atau 2,5"
    if not positive and number < 0:
        return None, f"{show(value)} tidak boleh negatif; tulis 0 atau lebih"
    return number, None


def parse_whole(value: object, minimum: int = 0) -> Parsed[int]:
    """A whole number >= `minimum` (counts, priorities): `12`, `1.200`, `12,0`, a number cell."""
    number, problem = _to_decimal(value)
    if problem or number is None:
        return None, problem
    if number != number.to_integral_value():
        return None, f"{show(value)} bukan bilangan bulat; tulis angka bulat, mis. 12"
    whole = int(number)
    if whole < minimum:
        return None, f"{show(value)} harus bilangan bulat {minimum} atau lebih"
    return whole, None


def parse_rupiah(value: object) -> Parsed[int]:
    """Whole rupiah > 0: `1500000`, `1.500.000`, `Rp 1.500.000`, `Rp1.500.000,00`,
    `Rp. 1.500.000,-`, or a whole number cell.

    Abbreviations (`15 jt`, `1,5 M`) are refused with the number to write instead.
    """
    if value is None or is_blank(value):
        return None, None
    if isinstance(value, str):
        text = clean_text(value) or ""
        body = re.sub(r"^(?:rp\.?|idr)\s*", "", text, flags=re.IGNORECASE)
        body = re.sub(r"\s*,\s*-+$", "", body)  # 'Rp 1.500.000,-'
        short = _MULTIPLIER.match(body)
        if short:
            hint = "tulis nilainya lengkap dalam angka"
            base, _ = _text_decimal(short["num"])
            if base is not None:
                full = base * _MULTIPLIERS[short["unit"].lower()]
                if full == full.to_integral_value():
                    hint = f"tulis {int(full)}"
            return None, f"{show(value)} bukan nilai rupiah yang jelas; {hint}"
        number, problem = _text_decimal(body)
        if problem:
            return None, f"{show(value)} bukan nilai rupiah yang jelas: {problem}"
        assert number is not None
    else:
        number, problem = _to_decimal(value)
        if problem:
            return None, problem
        assert number is not None
        if isinstance(value, float) and not value.is_integer():
            return None, f"{show(value)} bukan rupiah bulat; tulis nilai tanpa sen"
    if number != number.to_integral_value():
        return None, f"{show(value)} bukan rupiah bulat; tulis nilai tanpa sen"
    if number <= 0:
        return None, f"{show(value)} harus lebih dari 0; tulis perkiraan biayanya, mis. 15000000"
    if number >= RUPIAH_MAX:
        return None, f"{show(value)} terlalu besar untuk perkiraan biaya; periksa jumlah angkanya"
    return int(number), None


def parse_year(value: object) -> Parsed[int]:
    """A planning year such as 2027 (number cell or text)."""
    if value is None or is_blank(value):
        return None, None
    text = clean_text(value) or ""
    year: int | None = None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if float(value).is_integer():
            year = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\d{4}", text):
        year = int(text)
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        return (
            None,
            f"{show(value)} bukan tahun yang jelas; tulis tahunnya dengan 4 angka, mis. 2027",
        )
    return year, None


# ----------------------------------------------------------------------------- identifiers


def parse_nip(value: object) -> Parsed[str]:
    """A NIP: 18 digits typed as text (spaces inside allowed). A number cell is refused: Excel
    keeps only 15 significant digits, so the NIP may already have lost its last ones."""
    if value is None or is_blank(value):
        return None, None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return None, (
            f"NIP {show(value)} diketik sebagai angka sehingga Excel dapat menghilangkan digitnya; "
            "ketik ulang sebagai teks (format sel Teks, atau awali dengan tanda petik ')"
        )
    text = clean_text(value) or ""
    compact = re.sub(r"^(?:nip)\s*[.:]?\s*", "", text, flags=re.IGNORECASE)
    compact = compact.lstrip("'").replace(" ", "")
    if not re.fullmatch(r"\d{18}", compact):
        count = sum(ch.isdigit() for ch in compact)
        return None, (
            f"{show(value)} bukan NIP 18 angka (terbaca {count} angka); tulis NIP lengkap, "
            "mis. 197801012005011001"
        )
    return compact, None


def parse_kode_desa(value: object) -> Parsed[str]:
    """A kode wilayah of a desa/kelurahan, `PP.KK.CC.NDDD` (spaces ignored)."""
    if value is None or is_blank(value):
        return None, None
    text = (clean_text(value) or "").replace(" ", "")
    if isinstance(value, str) and KODE_DESA.match(text):
        return text, None
    return None, (
        f"{show(value)} bukan kode desa/kelurahan berbentuk PP.KK.CC.NDDD; "
        "tulis kode wilayah Kepmendagri, mis. 12.05.01.2002"
    )


# ----------------------------------------------------------------------------- choices


def _choices_text(choices: list[str]) -> str:
    return "; ".join(choices)


def parse_choice(value: object, choices: list[str], what: str) -> Parsed[str]:
    """One of `choices` (case and spacing ignored) -> its canonical spelling."""
    if value is None or is_blank(value):
        return None, None
    text = clean_text(value) or ""
    found = match_choice(text, choices)
    if found is not None:
        return found, None
    keys = {normalise(c): c for c in choices}
    close = difflib.get_close_matches(normalise(text), list(keys), n=1, cutoff=0.75)
    maybe = f" (maksudnya '{keys[close[0]]}'?)" if close else ""
    listed = _choices_text(choices)
    return None, f"{show(value)} bukan pilihan {what} yang sah{maybe}; pilih salah satu: {listed}"


def parse_jenis_kelamin(value: object) -> Parsed[str]:
    """`L`, `P`, `Laki-laki`, `Perempuan` (any case, spaces around the hyphen) -> 'L' / 'P'."""
    if value is None or is_blank(value):
        return None, None
    key = normalise(clean_text(value) or "")
    key = re.sub(r"\s*-\s*", "-", key)
    key = unicodedata.normalize("NFKC", key)
    if key in JENIS_KELAMIN:
        return JENIS_KELAMIN[key], None
    return None, f"{show(value)} bukan Jenis Kelamin yang sah; tulis L atau P"


__all__ = [
    "Parsed",
    "clean_text",
    "is_blank",
    "is_excel_error",
    "parse_choice",
    "parse_jenis_kelamin",
    "parse_kode_desa",
    "parse_nip",
    "parse_number",
    "parse_rupiah",
    "parse_whole",
    "parse_year",
    "show",
]
