"""How the desa's usulan are ordered and grouped on its documents."""

from __future__ import annotations

from pipeline.core.models import Usulan
from pipeline.core.standard import BIDANG
from pipeline.documents.context import _s


def _by_priority(u: Usulan) -> tuple[int, int]:
    return (0, u.prioritas) if u.prioritas is not None else (1, 0)


def kelompok_bidang(usulan: list[Usulan]) -> list[tuple[str, list[Usulan]]]:
    """Usulan grouped by bidang in the standard order (unknown bidang after, as written)."""
    groups: dict[str, list[Usulan]] = {b: [] for b in BIDANG}
    for u in usulan:
        groups.setdefault(_s(u.bidang, "(Bidang belum diisi)"), []).append(u)
    return [(b, rows) for b, rows in groups.items() if rows]


_HURUF = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
