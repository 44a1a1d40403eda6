"""What the seeded random-order tests share (test_desa_acak, test_kecamatan_acak,
test_paket_acak): a quiet command line, and the checks after every pass."""

from __future__ import annotations

import contextlib
import io

from pipeline.cli import main
from pipeline.core.workspace import Workspace
from pipeline.run.batch import PassResult


def quiet(args: list[str]) -> tuple[int, str]:
    """`musrenbang ARGS`: its exit code and what it printed (stderr dropped)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(args)
    return code, out.getvalue()


def checked_pass(ws: Workspace, result: PassResult, said: list[str], label: str) -> str:
    """Record the pass's receipts under `label`; assert no internal error and an empty inbox
    (every file got its receipt). Returns the story so far, for the next assertions."""
    said.append(
        f"{label}: "
        + "; ".join(
            f"{r.file}={r.status.value}{[i.code for i in r.issues]}{r.stage}"
            for r in result.receipts
        )
    )
    story = "\n".join(said)
    assert result.internal_errors == [], story
    assert not [p for p in ws.inbox.rglob("*") if p.is_file()], story
    return story
