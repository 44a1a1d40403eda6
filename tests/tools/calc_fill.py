"""Fill cells of a workbook in LibreOffice Calc itself (UNO), as an operator typing would.

Runs under the system Python that has `uno` (Debian python3-uno):
    /usr/bin/python3 tests/tools/calc_fill.py IN.xlsx OUT.xlsx SPEC.json PROFILE_DIR
SPEC: {"Sheet": {"B6": value, ...}, ...}. Numbers are set as numbers; text is typed (Calc's
own input parsing: "2026-01-13" becomes a date cell, "09.00" stays as typed). The result is
stored by Calc's own xlsx filter. Not part of the package: a test tool.

SPEC may also hold "__probe__": {"Sheet": ["B400", ...]}: how Calc sees those cells of the
opened file (before anything is typed): whether the cell is locked (sheet protection applies
to it) and its number format. They are written as JSON to OUT.xlsx + ".probe.json".
"""

import json
import os
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    src, dst, spec_path, profile = sys.argv[1:5]
    spec = json.load(open(spec_path, encoding="utf-8"))
    pipe = "calcfill" + uuid.uuid4().hex[:8]
    proc = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
            f"--accept=pipe,name={pipe};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        ctx = None
        for _ in range(300):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.1)
        if ctx is None:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0, (prop("Hidden", True),)
        )
        probes = spec.pop("__probe__", {})
        seen = {}
        for sheet_name, refs in probes.items():
            sheet = doc.Sheets.getByName(sheet_name)
            for ref in refs:
                cell = sheet.getCellRangeByName(ref)
                fmt = doc.NumberFormats.getByKey(cell.NumberFormat).FormatString
                seen[f"{sheet_name}!{ref}"] = {
                    "locked": bool(cell.CellProtection.IsLocked),
                    "format": fmt,
                    "protected_sheet": bool(sheet.isProtected()),
                }
        if probes:
            with open(dst + ".probe.json", "w", encoding="utf-8") as fh:
                json.dump(seen, fh)
        for sheet_name, cells in spec.items():
            sheet = doc.Sheets.getByName(sheet_name)
            for ref, value in cells.items():
                cell = sheet.getCellRangeByName(ref)
                if value is None:
                    cell.setString("")
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    cell.setValue(value)
                else:
                    cell.setFormula(str(value))
        doc.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(dst)),
            (prop("FilterName", "Calc MS Excel 2007 XML"),),
        )
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)


if __name__ == "__main__":
    main()
