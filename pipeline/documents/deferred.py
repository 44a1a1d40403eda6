"""Documents whose publishing waits for their PDF conversions: the pass goes on meanwhile.

Inside `collecting()` (the orchestrator wraps one input's `produce` in it), `produce_documents`
renders its docx (and xlsx) at once, hands the conversions to the converter's background
threads and registers a `Later`: the step that waits for those PDFs, checks them and publishes
every file of the batch (docx, pdf, xlsx) by atomic replace. Its outputs and issues are what
the synchronous path would have given. Outside `collecting()` (every other caller) the same
step runs at once, as before.

Code that reads a published document of the same input (the signed PDF reads the kompilasi
or the recap, a kecamatan package reads the folder's PDFs) calls `settle()` first: the
pending steps of the current input run right there.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.atomic import copy_file
from pipeline.core.report import Issue, issue

# finish() -> (published outputs, issues of failed conversions)
Finish = Callable[[], tuple[list[Path], list[Issue]]]


@dataclass
class Later:
    """One document batch waiting for its conversions (`ready()`: they are done).

    Its outputs were announced as if every conversion succeeds (each docx, pdf and xlsx, in
    the synchronous order); `pdfs` are the PDFs among them; `anchor` the first issue that the synchronous path
    puts after the failed-conversion issues (those go before it), None: at the end."""

    finish: Finish
    pdfs: list[Path]
    anchor: Issue | None
    ready: Callable[[], bool]
    _done: tuple[list[Path], list[Issue]] | None = field(default=None, repr=False)

    def result(self) -> tuple[list[Path], list[Issue]]:
        """Wait, publish (once) and return (published outputs, failed-conversion issues)."""
        if self._done is None:
            self._done = self.finish()
        return self._done

    def apply(self, outputs: list[Path], issues: list[Issue]) -> tuple[list[Path], list[Issue]]:
        """The receipt's outputs and issues as the synchronous path would have made them."""
        published, failed = self.result()
        missing = {p for p in self.pdfs if p not in set(published)}
        outputs = [p for p in outputs if p not in missing]
        issues = list(issues)
        where = next((n for n, i in enumerate(issues) if i is self.anchor), len(issues))
        issues[where:where] = failed
        return outputs, issues


_CURRENT: contextvars.ContextVar[list[Later] | None] = contextvars.ContextVar(
    "musrenbang_deferred", default=None
)


@contextlib.contextmanager
def collecting() -> Iterator[list[Later]]:
    """Collect the document batches produced inside; they are finished by the caller."""
    laters: list[Later] = []
    token = _CURRENT.set(laters)
    try:
        yield laters
    finally:
        _CURRENT.reset(token)


def current() -> list[Later] | None:
    return _CURRENT.get()


def settle() -> None:
    """Publish every pending document batch of the current input now (no-op outside)."""
    for later in _CURRENT.get() or []:
        later.result()


def publish(
    rendered: list[tuple[str, Path, Path | None]],
    pdfs: dict[Path, Path | None],
    folder: Path,
    converting: bool,
) -> tuple[list[Path], list[Issue]]:
    """Each checked file reaches `folder` by an atomic replace: (outputs, issues)."""
    outputs: list[Path] = []
    issues: list[Issue] = []
    for stem, docx, xlsx in rendered:
        outputs.append(copy_file(docx, folder / f"{stem}.docx"))
        pdf = pdfs.get(docx)
        if pdf is not None:
            outputs.append(copy_file(pdf, folder / f"{stem}.pdf"))
        else:
            # an old PDF would no longer match the new docx
            (folder / f"{stem}.pdf").unlink(missing_ok=True)
            if converting:
                issues.append(
                    issue(
                        "pdf-dilewati",
                        f"Konversi PDF '{stem}.pdf' gagal atau melewati batas waktu: "
                        ".docx ditulis, PDF belum. Akan dicoba lagi pada proses berikutnya.",
                    )
                )
        if xlsx is not None:
            outputs.append(copy_file(xlsx, folder / f"{stem}.xlsx"))
    return outputs, issues
