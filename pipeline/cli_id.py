"""argparse in Indonesian: its own words translated, examples and exit codes in every help.

argparse looks its texts up through `gettext` ("usage: ", "positional arguments", "options",
"show this help message and exit", error messages) at the moment it builds a parser, prints
help or reports an error. IndonesianParser swaps argparse's `_`/`ngettext` for the table below
during exactly those calls, so nothing else in the process is affected. Each subcommand's
epilog (examples and exit codes) comes from EPILOG by the command's name; a command without
its own entry still shows the exit codes.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

ID: dict[str, str] = {
    "usage: ": "pemakaian: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "optional arguments": "opsi",
    "subcommands": "perintah",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "the following arguments are required: %s": "argumen wajib belum diisi: %s",
    "one of the arguments %s is required": "salah satu argumen ini wajib diisi: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "pilihan tidak dikenal: %(value)r (pilih: %(choices)s)",
    "invalid %(type)s value: %(value)r": "nilai %(value)r tidak sah",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "perlu paling sedikit satu nilai",
    "ambiguous option: %(option)s could match %(matches)s":
        "opsi %(option)s tidak jelas: bisa %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "ignored explicit argument %r": "nilai %r diabaikan",
    "unexpected option string: %s": "opsi tak terduga: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "perintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "tidak dapat membuka '%(filename)s': %(error)s",
}  # fmt: skip
ID_PLURAL: dict[str, str] = {"expected %s argument": "perlu %s nilai"}


def _gettext(message: str) -> str:
    return ID.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular in ID_PLURAL:
        return ID_PLURAL[singular]
    return singular if n == 1 else plural


@contextlib.contextmanager
def indonesian() -> Iterator[None]:
    """argparse speaks Indonesian inside this block (re-entrant)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


KODE_KELUAR = """Kode keluar:
  0  berhasil (run: setiap berkas diterima, atau tidak ada yang perlu diproses)
  1  run: paling sedikit satu berkas ditolak (tanda terimanya menyebut alasannya)
  2  salah pemakaian atau pengaturan (musrenbang.toml), folder bukan workspace
  3  galat internal (rincian di .musrenbang/logs/pipeline.log)"""

EXAMPLES: dict[str, list[str]] = {
    "musrenbang": [
        "musrenbang demo ~/demo-musrenbang",
        "musrenbang init --root D:\\musrenbang --wilayah wilayah.csv --kabupaten 12.05",
        "musrenbang workbook semua --tahun 2027 --root D:\\musrenbang",
        "musrenbang watch --root D:\\musrenbang",
        "musrenbang status --json --root /srv/musrenbang > status.json",
        "musrenbang cadangan --ke E:\\cadangan --root D:\\musrenbang",
    ],
    "init": [
        "musrenbang init --root /srv/musrenbang --wilayah wilayah.csv --kabupaten 12.05",
        "musrenbang init --root /srv/musrenbang     (lagi: aman, membuat folder yang kurang)",
    ],
    "workbook": [
        "musrenbang workbook desa 12.05.01.2002 --tahun 2027",
        "musrenbang workbook kecamatan 12.05.01 --tahun 2027",
        "musrenbang workbook semua --tahun 2027",
    ],
    "desa": ["musrenbang workbook desa 12.05.01.2002 --tahun 2027 --root /srv/musrenbang"],
    "kecamatan": ["musrenbang workbook kecamatan 12.05.01 --tahun 2027 --root /srv/musrenbang"],
    "semua": ["musrenbang workbook semua --tahun 2027 --root /srv/musrenbang"],
    "run": [
        "musrenbang run --root /srv/musrenbang",
        "musrenbang run --root /srv/musrenbang >> run.log   (tanpa terminal: satu baris per berkas)",
    ],
    "watch": [
        "musrenbang watch --root D:\\musrenbang",
        "musrenbang watch --polling 10 --root /mnt/bersama/musrenbang   (folder jaringan)",
    ],
    "status": [
        "musrenbang status --root /srv/musrenbang",
        "musrenbang status --tahun 2027 --root /srv/musrenbang",
        "musrenbang status --json --root /srv/musrenbang",
        "musrenbang status --json --kecamatan 12.05.01 --root /srv/musrenbang",
    ],
    "unlock": [
        'musrenbang unlock 12.05.01.2002 --tahun 2027 --alasan "Salah ketik volume usulan 3"',
        'musrenbang unlock 12.05.01 --tahun 2027 --alasan "Rekap perlu diperbaiki"',
    ],
    "demo": [
        "musrenbang demo               (membuat ./demo)",
        "musrenbang demo ~/demo-musrenbang",
    ],
    "kunci": [
        "musrenbang kunci --root /srv/musrenbang               (kunci dan sidiknya)",
        'musrenbang kunci daftar 12.05.01 "Kunci Publik Kecamatan Bahorok.pub"',
        'musrenbang kunci daftar 12.05.01 baru.pub --ganti --alasan "laptop kecamatan diganti"',
    ],
    "cadangan": [
        "musrenbang cadangan --root /srv/musrenbang            (ke /srv/musrenbang/cadangan/)",
        "musrenbang cadangan --ke /media/usb/cadangan --root /srv/musrenbang",
    ],
}


def epilog(command: str) -> str:
    lines = EXAMPLES.get(command, [])
    text = ("Contoh:\n" + "\n".join(f"  {line}" for line in lines) + "\n\n") if lines else ""
    return text + KODE_KELUAR


class _Formatter(argparse.HelpFormatter):
    """Descriptions wrap to the terminal; text with line breaks (the epilogs) stays as is."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class IndonesianParser(argparse.ArgumentParser):
    """An ArgumentParser whose every text is Indonesian; usage errors exit with code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        with indonesian():
            super().__init__(*args, **kwargs)
        if self.epilog is None and self.add_help:  # not for the shared-option parents
            self.epilog = epilog(self.prog.split()[-1])

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("title", "perintah")
        kwargs.setdefault("metavar", "PERINTAH")
        kwargs.setdefault("help", "salah satu dari:")
        with indonesian():
            return super().add_subparsers(**kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        with indonesian():
            return super().add_argument(*args, **kwargs)

    def format_usage(self) -> str:
        with indonesian():
            return super().format_usage()

    def format_help(self) -> str:
        with indonesian():
            return super().format_help()

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        with indonesian():
            return super().parse_args(args, namespace)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        with indonesian():
            return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)
