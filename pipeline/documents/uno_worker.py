"""One LibreOffice conversion worker, run by convert.py under a Python that has `uno`.

Not imported by the pipeline: convert.py starts it as a script with the system Python
(Debian's python3-uno) or LibreOffice's bundled Python, in its own process group:

    python3 uno_worker.py SOFFICE PROFILE_URL PIPE_NAME

It starts soffice headless with the private profile, listening on a named pipe, connects to
it over UNO, prints {"ready": true} and then reads one JSON request per stdin line
({"src": ".../a.docx", "dst": ".../a.pdf"}), answering one JSON line each
({"ok": true} or {"ok": false, "error": "..."}). End of input, or {"quit": true}, ends it and
LibreOffice. Only the standard library and `uno` are used here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 60.0


def _prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _reply(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    soffice, profile_url, pipe = argv[1], argv[2], argv[3]
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile_url}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--nofirststartwizard",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + CONNECT_SECONDS
    ctx = None
    while ctx is None:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                _reply({"ready": False, "error": "LibreOffice tidak dapat dimulai"})
                return 1
            time.sleep(0.1)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    _reply({"ready": True, "pid": office.pid})

    load_props = (_prop("Hidden", True), _prop("ReadOnly", True), _prop("UpdateDocMode", 0))
    filter_data = uno.Any(
        "[]com.sun.star.beans.PropertyValue",
        (_prop("EmbedStandardFonts", True), _prop("UseTaggedPDF", False)),
    )
    store_props = (_prop("FilterName", "writer_pdf_Export"), _prop("FilterData", filter_data))
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            if request.get("quit"):
                break
            doc = None
            try:
                url = uno.systemPathToFileUrl(request["src"])
                doc = desktop.loadComponentFromURL(url, "_blank", 0, load_props)
                if doc is None:
                    raise RuntimeError("dokumen tidak dapat dibuka")
                doc.storeToURL(uno.systemPathToFileUrl(request["dst"]), store_props)
                _reply({"ok": True})
            except Exception as exc:  # noqa: BLE001 - every failure is reported, not raised
                _reply({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
            finally:
                if doc is not None:
                    try:
                        doc.close(True)
                    except Exception:  # noqa: BLE001
                        pass
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge dies with the office
            pass
        try:
            office.wait(timeout=15)
        except subprocess.TimeoutExpired:
            office.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
