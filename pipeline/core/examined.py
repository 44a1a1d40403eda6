"""What handling one input decided: its status, issues and the ledger change to apply.

Shared by the orchestrator (run/) and every level, so it lives below them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.core.models import Wilayah
from pipeline.core.receipts import Kind, Status
from pipeline.core.report import Issue
from pipeline.core.sql import Sql


@dataclass
class Examined:
    status: Status
    kind: Kind
    purpose: str | None = None
    region: str | None = None
    year: int | None = None
    issues: list[Issue] = field(default_factory=list)
    apply: Callable[[Sql], None] | None = None  # the ledger change, if accepted
    # Sheet rows of the dropped workbook's usulan and peserta, in order, so that warnings can
    # be marked on the matching rows of the current workbook.
    usulan_rows: list[int | None] = field(default_factory=list)
    peserta_rows: list[int | None] = field(default_factory=list)

    def to_receipt_json(self) -> str:
        return json.dumps(
            {
                "status": self.status.value,
                "kind": self.kind.value,
                "purpose": self.purpose,
                "region": self.region,
                "year": self.year,
                "issues": [i.model_dump(mode="json") for i in self.issues],
                "usulan_rows": self.usulan_rows,
                "peserta_rows": self.peserta_rows,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_receipt_json(cls, text: str) -> Examined:
        data = json.loads(text)
        return cls(
            status=Status(data["status"]),
            kind=Kind(data["kind"]),
            purpose=data.get("purpose"),
            region=data.get("region"),
            year=data.get("year"),
            issues=[Issue.model_validate(i) for i in data.get("issues", [])],
            usulan_rows=data.get("usulan_rows", []),
            peserta_rows=data.get("peserta_rows", []),
        )


@dataclass
class Place:
    """Where an input was dropped: its region folders and, inside a desa, the sub-folders."""

    kecamatan: Wilayah | None = None
    desa: Wilayah | None = None
    area: str | None = None  # 'pindaian' | 'dokumen'
    jenis: str | None = None  # e.g. 'berita-acara'
