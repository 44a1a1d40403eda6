"""The kecamatan's ranking proposed in its workbook's Prioritas column (spec/workbooks.md).

The issued kecamatan workbook proposes one ranking over all the kecamatan's usulan: round
robin over the desa in code order, each desa's usulan taken by the desa's own priority, then
the UPT/instansi rows in their row order. The kecamatan may change it; from Rekap on its own
numbers stand (unique among all its accepted usulan, validated like a desa's).

Choices where the spec is silent:
- A number already in the Prioritas cell (the kecamatan's, recorded by an earlier workbook)
  is kept; only empty cells of usulan not rejected get a proposal, numbered after the highest
  number in use, so a desa that sends late joins the end of the ranking.
- Proposals are made while the kecamatan stands before Rekap; from Rekap on the workbook
  shows exactly what the kecamatan decided.
Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import zip_longest

from pipeline.core.models import UsulanKecamatan
from pipeline.core.standard import Keputusan
from pipeline.core.wilayah import desa_of_usulan

DesaRank = dict[str, tuple[str, int]]  # Kode Usulan -> (kode desa, place in the desa's ranking)


def desa_rank(sent: Sequence[UsulanKecamatan]) -> DesaRank:
    """Where each sent usulan stands: its desa and its place in that desa's own ranking.

    `sent` is in desa order then each desa's priority (ledger.kecamatan.sent_usulan).
    """
    out: DesaRank = {}
    places: dict[str, int] = {}
    for u in sent:
        if not u.kode_usulan:
            continue
        desa = desa_of_usulan(u.kode_usulan)
        places[desa] = places.get(desa, 0) + 1
        out[u.kode_usulan] = (desa, places[desa])
    return out


def round_robin(usulan: Sequence[UsulanKecamatan], rank: DesaRank) -> list[UsulanKecamatan]:
    """Desa usulan in round-robin order (desa by code, each by its own priority), then the
    rest (UPT/instansi rows) in their given order."""
    per_desa: dict[str, list[tuple[int, int, UsulanKecamatan]]] = {}
    rest: list[UsulanKecamatan] = []
    for n, u in enumerate(usulan):
        where = rank.get(u.kode_usulan or "")
        if where is None:
            rest.append(u)
            continue
        desa, place = where
        per_desa.setdefault(desa, []).append((place, n, u))
    queues = [[u for _, _, u in sorted(per_desa[d])] for d in sorted(per_desa)]
    ordered = [u for turn in zip_longest(*queues) for u in turn if u is not None]
    return ordered + rest


def propose_ranking(usulan: Sequence[UsulanKecamatan], rank: DesaRank) -> list[UsulanKecamatan]:
    """The usulan (same order) with a proposed Prioritas on every non-rejected usulan that
    has none; numbers already given are kept and the proposal continues after the highest."""
    open_ = [u for u in usulan if u.keputusan is not Keputusan.DITOLAK]
    used = [u.prioritas for u in open_ if u.prioritas is not None]
    start = max(used, default=0) + 1
    pending = [u for u in open_ if u.prioritas is None]
    proposed = {id(u): start + i for i, u in enumerate(round_robin(pending, rank))}
    return [
        u.model_copy(update={"prioritas": proposed[id(u)]}) if id(u) in proposed else u
        for u in usulan
    ]
