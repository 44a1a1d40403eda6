"""The `musrenbang` command line: parse arguments, call a library function, map to exit codes.

Exit codes: 0 success, 1 an input was rejected (run), 2 usage or settings error,
3 internal error (details in .musrenbang/logs/, never a bare traceback).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline import __version__, kunci_cmd
from pipeline.cli_id import IndonesianParser
from pipeline.core.config import SettingsError
from pipeline.core.environment import environment_error
from pipeline.core.wilayah import WilayahError
from pipeline.core.workspace import Workspace, root_from

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(IndonesianParser):
    """Every text in Indonesian, examples and exit codes in each help (cli_id.py)."""


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
        metavar="FOLDER",
        help="folder workspace (bawaan: $MUSRENBANG_ROOT, atau folder saat ini)",
    )
    p = _Parser(
        prog="musrenbang",
        description="Pipeline dokumen Musrenbang: buku kerja masuk, ledger tervalidasi, berita "
        "acara, rekap, PDF dan tanda terima keluar. Bantuan tiap perintah: musrenbang "
        "PERINTAH --help.",
        parents=[common],
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"musrenbang {__version__}",
        help="tampilkan versi lalu keluar",
    )
    sub = p.add_subparsers(dest="command", parser_class=_Parser, required=True)

    def command(name: str, summary: str, description: str = "") -> argparse.ArgumentParser:
        return sub.add_parser(
            name, parents=[common], help=summary, description=description or summary + "."
        )

    s = command(
        "init",
        "siapkan workspace dan folder inbox",
        "Membuat susunan workspace dan musrenbang.toml, memuat daftar wilayah, dan membuat "
        "folder inbox setiap kecamatan dan desa. Aman dijalankan lagi.",
    )
    s.add_argument(
        "--wilayah", type=Path, metavar="BERKAS", help="daftar wilayah (CSV/XLSX, kolom kode,nama)"
    )
    s.add_argument("--kabupaten", metavar="KODE", help="kode kabupaten/kota, mis. 12.05")

    s = command("workbook", "terbitkan buku kerja desa atau kecamatan")
    wsub = s.add_subparsers(dest="level", parser_class=_Parser, required=True)
    for level, what in (("desa", "satu desa/kelurahan"), ("kecamatan", "satu kecamatan")):
        w = wsub.add_parser(
            level, parents=[common], help=f"buku kerja {what}", description=f"Buku kerja {what}."
        )
        w.add_argument("kode", metavar="KODE", help="kode wilayah (Kepmendagri)")
        w.add_argument("--tahun", type=_tahun, required=True, metavar="TAHUN", help="tahun rencana")
    w = wsub.add_parser(
        "semua",
        parents=[common],
        help="buku kerja setiap desa/kelurahan",
        description="Buku kerja setiap desa/kelurahan dalam daftar wilayah.",
    )
    w.add_argument("--tahun", type=_tahun, required=True, metavar="TAHUN", help="tahun rencana")

    command(
        "run",
        "satu kali proses seluruh inbox, lalu rekap",
        "Satu putaran atas inbox: setiap berkas mendapat tanda terima; lalu rekap kabupaten "
        "dan Pemantauan. Di terminal tampil kemajuan (jumlah, laju, sisa waktu); tanpa "
        "terminal satu baris per berkas.",
    )
    s = command(
        "watch",
        "pantau inbox terus-menerus",
        "Berjalan sampai dihentikan (Ctrl-C, SIGTERM atau berkas .musrenbang/stop): putaran "
        "pertama, lalu setiap ada berkas baru; membuat cadangan harian bila [cadangan] "
        "harian = true.",
    )
    s.add_argument(
        "--polling",
        type=_seconds,
        default=None,
        metavar="DETIK",
        help="pakai polling (untuk folder jaringan SMB/NFS)",
    )
    s = command(
        "status",
        "tahap setiap desa dan kecamatan",
        "Tabel tahap setiap desa/kelurahan dan kecamatan; dengan --json sebagai data "
        "(skema: schemas/status.json).",
    )
    s.add_argument(
        "--tahun",
        type=_tahun,
        metavar="TAHUN",
        help="tahun rencana (bawaan: yang paling banyak dikerjakan)",
    )
    s.add_argument("--json", action="store_true", help="keluaran JSON untuk program lain")
    s.add_argument("--kecamatan", metavar="KODE", help="hanya satu kecamatan, mis. 12.05.01")
    s = command(
        "unlock",
        "buka kembali desa atau kecamatan yang sudah Kirim",
        "Membuka kembali desa/kelurahan (ke Verifikasi) atau kecamatan (ke Rekap) yang sudah "
        "Kirim; dicatat di log audit.",
    )
    s.add_argument("kode", metavar="KODE", help="kode desa/kelurahan atau kecamatan")
    s.add_argument("--tahun", type=_tahun, required=True, metavar="TAHUN", help="tahun rencana")
    s.add_argument("--alasan", required=True, metavar="TEKS", help="alasan (masuk log audit)")
    s = command(
        "demo",
        "buat workspace contoh dan jalankan seluruh alurnya",
        "Membuat workspace contoh (Kecamatan Bahorok) dan memainkan operatornya. Folder yang "
        "sudah berisi berkas lain ditolak, tidak pernah dihapus.",
    )
    s.add_argument(
        "dir", nargs="?", type=Path, default=None, metavar="FOLDER", help="bawaan: ./demo"
    )
    kunci_cmd.add_parser(command)
    s = command(
        "cadangan",
        "cadangkan ledger, pengaturan dan daftar wilayah",
        "Satu berkas zip bertanggal berisi salinan ledger yang konsisten (backup daring "
        "SQLite, atau pg_dump untuk ledger PostgreSQL), musrenbang.toml dan wilayah.csv. "
        "Aman selagi watch berjalan. Cara memulihkan: docs/operasi.md.",
    )
    s.add_argument(
        "--ke",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="folder tujuan (bawaan: ROOT/cadangan)",
    )
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
    except Exception as exc:  # noqa: BLE001 - operators get a log path, never a traceback
        from pipeline.commands import UsageError

        if isinstance(exc, UsageError):
            print(str(exc), file=sys.stderr)
            return EXIT_USAGE
        told = None if environment_error(exc) else _ledger_error(exc)
        if told is not None:
            print(told, file=sys.stderr)
            return EXIT_INTERNAL
        return _internal(root, exc)


def _ledger_error(exc: BaseException) -> str | None:
    """What to tell the operator when the ledger itself cannot be used; None otherwise."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, sqlite3.DatabaseError):
        return (
            f"Ledger tidak dapat dibaca ({orig}): berkas musrenbang.db rusak atau bukan basis "
            "data SQLite. Hentikan pipeline dan pulihkan musrenbang.db dari cadangan."
        )
    if (isinstance(exc, DBAPIError) and exc.connection_invalidated) or _cannot_connect(exc):
        return (
            f"Ledger PostgreSQL tidak dapat dihubungi ({str(orig).strip().splitlines()[0]}). "
            "Periksa [ledger] database_url di musrenbang.toml, bahwa server PostgreSQL "
            "berjalan, dan bahwa pengguna serta sandinya benar."
        )
    return None


def _cannot_connect(exc: BaseException) -> bool:
    from sqlalchemy.exc import OperationalError

    return isinstance(exc, OperationalError) and "connect" in str(exc).lower()


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
    from pipeline.progress import PassProgress
    from pipeline.run import anak
    from pipeline.run.batch import run_pass

    ws, settings, _ = open_workspace(root)
    with PassProgress() as shown:  # a bar on a terminal, a line per file everywhere
        result = run_pass(ws, settings, log=shown.line, progress=shown.update)
    if anak.is_child():  # a worker process of a bigger pass: its receipts to the parent
        print(anak.hand_back(result.receipts, result.internal_errors), flush=True)
        return result.exit_code
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
    from pipeline.commands import status_text

    if args.json:
        from pipeline.operations import status_json

        print(status_json(root, args.tahun, args.kecamatan))
        return EXIT_OK
    if args.kecamatan:
        from pipeline.operations import check_kecamatan

        check_kecamatan(root, args.kecamatan)
    print(status_text(root, args.tahun, args.kecamatan))
    return EXIT_OK


def cmd_unlock(args: argparse.Namespace, root: Path) -> int:
    from pipeline.commands import unlock

    print(unlock(root, args.kode, args.tahun, args.alasan))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, root: Path) -> int:
    from pipeline.demo import run_demo

    target = args.dir if args.dir is not None else root / "demo"
    return run_demo(target.resolve(), log=print)


def cmd_cadangan(args: argparse.Namespace, root: Path) -> int:
    from pipeline.operations import backup

    print(backup(root, args.ke))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Path], int]] = {
    "init": cmd_init,
    "workbook": cmd_workbook,
    "run": cmd_run,
    "watch": cmd_watch,
    "status": cmd_status,
    "unlock": cmd_unlock,
    "demo": cmd_demo,
    "cadangan": cmd_cadangan,
    "kunci": kunci_cmd.cmd_kunci,
}
