"""The `musrenbang` command line: parse arguments, call a library function, map to exit codes.

Exit codes: 0 success, 1 an input was rejected (run), 2 usage or settings error,
3 internal error (details in .musrenbang/logs/, never a bare traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sqlite3
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.core.config import SettingsError
from pipeline.core.environment import environment_error
from pipeline.core.wilayah import WilayahError
from pipeline.core.workspace import Workspace, root_from

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


# argparse speaks English; operators read Indonesian.
_ARGPARSE_ID = [
    (r"the following arguments are required: (.*)", r"argumen wajib belum diisi: \1"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"pilihan tidak dikenal: \1 (pilih: \2)"),
    (r"unrecognized arguments: (.*)", r"argumen tidak dikenal: \1"),
    (
        r"argument (\S+): invalid (?:float|int|_tahun|_seconds) value: (.*)",
        r"argumen \1: \2 tidak sah",
    ),
    (r"argument (\S+): expected one argument", r"argumen \1 perlu satu nilai"),
    (r"^argument (\S+): ", r"argumen \1: "),
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, text in _ARGPARSE_ID:
            message = re.sub(pattern, text, message)
        self.print_usage(sys.stderr)
        print(f"musrenbang: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _tahun(text: str) -> int:
    """A planning year: four digits, 2000-2100 (not '27')."""
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"--tahun '{text}' bukan tahun rencana (contoh: 2027)")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"'{text}' harus jumlah detik > 0, mis. 10")
    return value


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--root",
        default=argparse.SUPPRESS,
        help="folder workspace (default: $MUSRENBANG_ROOT atau folder ini)",
    )
    p = _Parser(prog="musrenbang", description="Pipeline dokumen Musrenbang.", parents=[common])
    p.add_argument("--version", action="version", version=f"musrenbang {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, required=True)

    s = sub.add_parser("init", parents=[common], help="siapkan workspace dan folder inbox")
    s.add_argument("--wilayah", type=Path, help="daftar wilayah (CSV atau XLSX, kolom kode,nama)")
    s.add_argument("--kabupaten", help="kode kabupaten/kota, mis. 12.05")

    s = sub.add_parser("workbook", parents=[common], help="terbitkan buku kerja")
    wsub = s.add_subparsers(dest="level", parser_class=_Parser, required=True)
    for level in ("desa", "kecamatan"):
        w = wsub.add_parser(level, parents=[common])
        w.add_argument("kode")
        w.add_argument("--tahun", type=_tahun, required=True)
    w = wsub.add_parser("semua", parents=[common])
    w.add_argument("--tahun", type=_tahun, required=True)

    sub.add_parser("run", parents=[common], help="satu kali proses seluruh inbox")
    s = sub.add_parser("watch", parents=[common], help="pantau inbox terus-menerus")
    s.add_argument(
        "--polling",
        type=_seconds,
        default=None,
        metavar="DETIK",
        help="pakai polling (untuk folder jaringan SMB/NFS)",
    )
    s = sub.add_parser("status", parents=[common], help="tahap setiap desa")
    s.add_argument("--tahun", type=_tahun)
    s = sub.add_parser("unlock", parents=[common], help="buka kembali desa yang sudah Kirim")
    s.add_argument("kode")
    s.add_argument("--tahun", type=_tahun, required=True)
    s.add_argument("--alasan", required=True)
    s = sub.add_parser("demo", parents=[common], help="buat workspace contoh dan jalankan alurnya")
    s.add_argument("dir", nargs="?", type=Path, default=None)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = root_from(getattr(args, "root", None))
    handler = COMMANDS[args.command]
    try:
        return handler(args, root)
    except SettingsError as exc:
        print(f"Pengaturan tidak sah ({exc.path}):", file=sys.stderr)
        for line in exc.lines:
            print(f"  - {line}", file=sys.stderr)
        return EXIT_USAGE
    except WilayahError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `musrenbang status | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except sqlite3.DatabaseError as exc:
        if environment_error(exc):  # a full or failing disk, not a broken ledger
            return _internal(root, exc)
        print(
            f"Ledger tidak dapat dibaca ({exc}): berkas musrenbang.db rusak atau bukan basis "
            "data SQLite. Hentikan pipeline dan pulihkan musrenbang.db dari cadangan.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    except Exception as exc:  # noqa: BLE001 - operators get a log path, never a traceback
        from pipeline.commands import UsageError

        if isinstance(exc, UsageError):
            print(str(exc), file=sys.stderr)
            return EXIT_USAGE
        return _internal(root, exc)


def _internal(root: Path, exc: BaseException) -> int:
    log_dir = Workspace(root).runtime / "logs"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        with open(log_dir / "pipeline.log", "a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"[{dt.datetime.now().isoformat(timespec='seconds')}]\n")
            fh.write(traceback.format_exc() + "\n")
        where = f" Rincian: {log_dir / 'pipeline.log'}"
    except Exception:  # noqa: BLE001 - a full disk: the message below still goes out
        where = ""
    disk = " (disk penuh atau rusak? kosongkan ruang disk lalu jalankan lagi)"
    hint = disk if environment_error(exc) else ""
    try:
        print(f"Galat internal{hint}: {exc}.{where}", file=sys.stderr)
    except Exception:  # noqa: BLE001
        pass
    return EXIT_INTERNAL


# ------------------------------------------------------------------------------ commands


def cmd_init(args: argparse.Namespace, root: Path) -> int:
    from pipeline.commands import init_workspace

    init_workspace(root, args.wilayah, args.kabupaten)
    print(root)
    return EXIT_OK


def cmd_workbook(args: argparse.Namespace, root: Path) -> int:
    from pipeline.commands import issue_all_workbooks, issue_desa_workbook

    if args.level == "kecamatan":
        from pipeline.commands import issue_kecamatan_workbook

        print(issue_kecamatan_workbook(root, args.kode, args.tahun))
        return EXIT_OK
    if args.level == "semua":
        for path in issue_all_workbooks(root, args.tahun):
            print(path)
        return EXIT_OK
    print(issue_desa_workbook(root, args.kode, args.tahun))
    return EXIT_OK


def cmd_run(args: argparse.Namespace, root: Path) -> int:
    from pipeline.commands import open_workspace
    from pipeline.run.batch import run_pass

    ws, settings, _ = open_workspace(root)
    progress = sys.stdout.isatty()
    result = run_pass(
        ws, settings, log=(lambda line: print(line, flush=True)) if progress else None
    )
    counts = {s: 0 for s in ("accepted", "rejected", "duplicate")}
    for r in result.receipts:
        counts[r.status.value] += 1
    print(
        f"Selesai: {len(result.receipts)} berkas diproses — {counts['accepted']} diterima, "
        f"{counts['rejected']} ditolak, {counts['duplicate']} duplikat"
        + (f", {result.deferred} menunggu (masih disalin/terkunci)" if result.deferred else "")
        + (f", {len(result.internal_errors)} galat internal" if result.internal_errors else "")
        + "."
    )
    if result.receipts:
        print(f"Tanda terima: {ws.receipts}")
    return result.exit_code


def cmd_watch(args: argparse.Namespace, root: Path) -> int:
    from pipeline.commands import open_workspace
    from pipeline.run.watch import watch

    ws, settings, _ = open_workspace(root)
    return watch(ws, settings, polling=args.polling, log=lambda line: print(line, flush=True))


def cmd_status(args: argparse.Namespace, root: Path) -> int:
    from pipeline.commands import kecamatan_stages, status_rows, status_table

    tahun, rows = status_rows(root, args.tahun)
    print(status_table(tahun, rows, kecamatan_stages(root, tahun)))
    return EXIT_OK


def cmd_unlock(args: argparse.Namespace, root: Path) -> int:
    from pipeline.commands import unlock

    print(unlock(root, args.kode, args.tahun, args.alasan))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, root: Path) -> int:
    from pipeline.demo import run_demo

    target = args.dir if args.dir is not None else root / "demo"
    return run_demo(target.resolve(), log=print)


COMMANDS: dict[str, Callable[[argparse.Namespace, Path], int]] = {
    "init": cmd_init,
    "workbook": cmd_workbook,
    "run": cmd_run,
    "watch": cmd_watch,
    "status": cmd_status,
    "unlock": cmd_unlock,
    "demo": cmd_demo,
}
