"""Compare two output trees by content: docx XML text, xlsx values, PDF text, JSON and text.

Used to show that a restructure changed no output: build the demo before and after and run
    python tests/tools/compare_outputs.py OLD_DEMO/outbox NEW_DEMO/outbox
It prints every difference and exits 1 if there is any. Times of day, receipt time stamps,
claim tokens and hashes of time-stamped files differ between two runs and are masked.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import load_workbook

MASKS = [
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?"), "<iso>"),
    (re.compile(r"\b\d{8}-\d{6}(-\d+)?\b"), "<stamp>"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"),
    (re.compile(r"\b[0-9a-f]{12}\b"), "<hex12>"),
    (re.compile(r"datetime\.datetime\([^)]*\)"), "<datetime>"),
    (re.compile(r"\b\d{8}T\d{6,9}-[0-9a-f]{6}\b"), "<token>"),
    (re.compile(r"(?<![\d.])\d{2}[.:]\d{2}([:]\d{2})?(?![.\d])"), "<hh.mm>"),
    (re.compile(r"\d+(\.\d+)? ?(s|detik|ms)\b"), "<secs>"),
]


def mask(text: str) -> str:
    for rx, repl in MASKS:
        text = rx.sub(repl, text)
    return text


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        parts = sorted(
            n for n in z.namelist() if re.match(r"word/(document|header\d*|footer\d*)\.xml", n)
        )
        out = []
        for name in parts:
            xml = z.read(name).decode("utf-8")
            out.append(name + ": " + " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))
    return "\n".join(out)


def xlsx_values(path: Path) -> str:
    wb = load_workbook(path, read_only=True, data_only=True)
    out = []
    for ws in wb.worksheets:
        out.append(f"[{ws.title}]")
        for row in ws.iter_rows(values_only=True):
            if any(v is not None for v in row):
                out.append(repr([v for v in row]))
    wb.close()
    return "\n".join(out)


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    pages = re.search(r"Pages:\s+(\d+)", info)
    return f"pages={pages.group(1) if pages else '?'}\n" + done.stdout


def zip_listing(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        out = []
        for name in sorted(z.namelist()):
            out.append(name)
            if name.endswith(".json"):
                out.append(json.dumps(json.loads(z.read(name)), sort_keys=True, indent=1))
    return "\n".join(out)


def content(path: Path) -> str:
    suffix = path.suffix.casefold()
    if suffix == ".docx":
        return docx_text(path)
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_values(path)
    if suffix == ".pdf":
        return pdf_text(path)
    if suffix == ".zip":
        return zip_listing(path)
    if suffix == ".json":
        return json.dumps(json.loads(path.read_text(encoding="utf-8")), sort_keys=True, indent=1)
    if suffix in (".txt", ".html", ".csv", ".md", ".pub"):
        return path.read_text(encoding="utf-8", errors="replace")
    return f"<{path.stat().st_size} bytes>"


def tree(root: Path) -> dict[str, Path]:
    return {mask(p.relative_to(root).as_posix()): p for p in sorted(root.rglob("*")) if p.is_file()}


def compare(old: Path, new: Path) -> list[str]:
    a, b = tree(old), tree(new)
    problems = [f"only in {old}: {k}" for k in sorted(a.keys() - b.keys())]
    problems += [f"only in {new}: {k}" for k in sorted(b.keys() - a.keys())]
    for key in sorted(a.keys() & b.keys()):
        ca, cb = mask(content(a[key])), mask(content(b[key]))
        if ca != cb:
            la, lb = ca.splitlines(), cb.splitlines()
            first = next(
                (i for i, (x, y) in enumerate(zip(la, lb, strict=False)) if x != y),
                min(len(la), len(lb)),
            )
            problems.append(
                f"differs: {key} (line {first + 1}):\n  - {la[first] if first < len(la) else ''}"
                f"\n  + {lb[first] if first < len(lb) else ''}"
            )
    return problems


def main() -> int:
    old, new = Path(sys.argv[1]), Path(sys.argv[2])
    problems = compare(old, new)
    for p in problems:
        print(p)
    files = len(tree(old))
    print(f"{files} files compared, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
