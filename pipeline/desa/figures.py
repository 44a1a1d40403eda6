"""The figures of a list of usulan: counts per decision and costs, proposed and agreed.

The one place where usulan are counted and their costs added up (spec/documents.md, "One
truth on every page"): every document, recap and report of every level reads its counts and
totals from a Tally, so no total mixes rejected with accepted usulan and every total of
agreed usulan adds agreed values (`Usulan.agreed_biaya`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.core.models import Usulan
from pipeline.core.standard import Keputusan
from pipeline.documents import formatting as fmt


@dataclass
class Tally:
    """Counts and costs of a group of usulan (one line of a recap, or a whole region).

    `biaya_semula` and `biaya_disepakati` are over the accepted usulan only (Diterima and
    Diterima dengan Revisi): what was proposed for them and what was agreed. Rejected and
    undecided usulan keep their proposed cost apart, in `biaya_ditolak` and `biaya_belum`.
    """

    nama: str = ""
    jenis: str = ""
    kode: str = ""
    jumlah: int = 0
    diterima: int = 0
    revisi: int = 0
    ditolak: int = 0
    belum: int = 0
    biaya_semula: int = 0
    biaya_disepakati: int = 0
    biaya_ditolak: int = 0
    biaya_belum: int = 0

    def add(self, u: Usulan) -> None:
        self.jumlah += 1
        if u.diterima:
            if u.keputusan is Keputusan.REVISI:
                self.revisi += 1
            else:
                self.diterima += 1
            self.biaya_semula += u.biaya or 0
            self.biaya_disepakati += u.agreed_biaya or 0
        elif u.keputusan is Keputusan.DITOLAK:
            self.ditolak += 1
            self.biaya_ditolak += u.biaya or 0
        else:
            self.belum += 1
            self.biaya_belum += u.biaya or 0

    def extend(self, rows: Iterable[Usulan]) -> Tally:
        for u in rows:
            self.add(u)
        return self

    def merge(self, other: Tally) -> None:
        """Add another group's figures (e.g. a desa's into its kecamatan's)."""
        for name in (
            "jumlah", "diterima", "revisi", "ditolak", "belum",
            "biaya_semula", "biaya_disepakati", "biaya_ditolak", "biaya_belum",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def disepakati(self) -> int:
        """Accepted usulan: Diterima plus Diterima dengan Revisi."""
        return self.diterima + self.revisi

    @property
    def biaya_diusulkan(self) -> int:
        """The proposed cost of every usulan, whatever its decision."""
        return self.biaya_semula + self.biaya_ditolak + self.biaya_belum

    def as_context(self, no: int | str = "") -> dict[str, Any]:
        """The keys a template row of this tally uses (docs/templates.md)."""
        return {
            "no": no,
            "nama": self.nama,
            "jenis": self.jenis,
            "kode": self.kode,
            "jumlah": self.jumlah,
            "diterima": self.diterima,
            "revisi": self.revisi,
            "ditolak": self.ditolak,
            "belum": self.belum,
            "disepakati": self.disepakati,
            # `biaya` is the proposed (semula) cost of the accepted usulan
            "biaya": self.biaya_semula,
            "biaya_rupiah": fmt.rupiah(self.biaya_semula),
            "biaya_semula": self.biaya_semula,
            "biaya_semula_rupiah": fmt.rupiah(self.biaya_semula),
            "biaya_disepakati": self.biaya_disepakati,
            "biaya_disepakati_rupiah": fmt.rupiah(self.biaya_disepakati),
            "biaya_ditolak": self.biaya_ditolak,
            "biaya_ditolak_rupiah": fmt.rupiah(self.biaya_ditolak),
        }

    def ringkasan(self) -> str:
        """'6 usulan: 4 diterima, 1 diterima dengan revisi, 1 ditolak' (zero clauses left out,
        except the accepted count)."""
        parts = [f"{self.diterima} diterima"]
        if self.revisi:
            parts.append(f"{self.revisi} diterima dengan revisi")
        if self.ditolak:
            parts.append(f"{self.ditolak} ditolak")
        if self.belum:
            parts.append(f"{self.belum} belum diputuskan")
        return f"{self.jumlah} usulan: " + ", ".join(parts)

    def ringkasan_biaya(self) -> str:
        """The agreed total, the proposed cost of the accepted usulan and the rejected apart."""
        text = f"disepakati {fmt.rupiah(self.biaya_disepakati)}"
        if self.biaya_semula != self.biaya_disepakati:
            text += f" (semula diusulkan {fmt.rupiah(self.biaya_semula)})"
        text += f" untuk {self.disepakati} usulan yang disepakati"
        if self.ditolak:
            text += f"; {self.ditolak} usulan ditolak senilai {fmt.rupiah(self.biaya_ditolak)}"
        if self.belum:
            text += f"; {self.belum} usulan belum diputuskan senilai {fmt.rupiah(self.biaya_belum)}"
        return text


def tally(rows: Iterable[Usulan], nama: str = "JUMLAH") -> Tally:
    """The figures of `rows`."""
    return Tally(nama).extend(rows)
