"""The region list (kode wilayah Kepmendagri): load from CSV or XLSX, look up, walk the tree."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from pipeline.core.models import Wilayah

KODE_DESA = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.[12]\d{3}$")
KODE_KECAMATAN = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
KODE_KABUPATEN = re.compile(r"^\d{2}\.\d{2}$")


class WilayahError(Exception):
    """The region list file cannot be used (message in Indonesian)."""


def parent_kode(kode: str) -> str:
    return kode.rsplit(".", 1)[0]


def desa_of_usulan(kode_usulan: str | None) -> str:
    """The desa kode a Kode Usulan begins with (`12.05.01.2002-2027-0001` → `12.05.01.2002`);
    for a kode of another shape, its part before the year."""
    return (kode_usulan or "").rsplit("-", 2)[0]


class WilayahList:
    """An in-memory region list; lookups by kode, children by parent kode."""

    def __init__(self, rows: Iterable[Wilayah]) -> None:
        self.by_kode: dict[str, Wilayah] = {}
        self.children: dict[str, list[str]] = {}
        for w in rows:
            self.by_kode[w.kode] = w
        for kode in self.by_kode:
            if "." in kode:
                self.children.setdefault(parent_kode(kode), []).append(kode)
        for kids in self.children.values():
            kids.sort()

    def __len__(self) -> int:
        return len(self.by_kode)

    def get(self, kode: str) -> Wilayah | None:
        return self.by_kode.get(kode)

    def desa(self, kode: str) -> Wilayah | None:
        w = self.by_kode.get(kode)
        return w if w and KODE_DESA.match(kode) else None

    def kecamatan_of(self, desa_kode: str) -> Wilayah:
        kode = parent_kode(desa_kode)
        return self.by_kode.get(kode) or Wilayah(kode=kode, nama=kode)

    def kabupaten_of(self, kode: str) -> Wilayah:
        kab = ".".join(kode.split(".")[:2])
        return self.by_kode.get(kab) or Wilayah(kode=kab, nama=kab)

    def kabupaten_list(self) -> list[Wilayah]:
        return [w for k, w in sorted(self.by_kode.items()) if KODE_KABUPATEN.match(k)]

    def kecamatan_in(self, kabupaten_kode: str) -> list[Wilayah]:
        return [
            self.by_kode[k]
            for k in self.children.get(kabupaten_kode, [])
            if KODE_KECAMATAN.match(k)
        ]

    def desa_in(self, kecamatan_kode: str) -> list[Wilayah]:
        return [
            self.by_kode[k] for k in self.children.get(kecamatan_kode, []) if KODE_DESA.match(k)
        ]

    def all_desa(self, kabupaten_kode: str | None = None) -> list[Wilayah]:
        out = [w for k, w in sorted(self.by_kode.items()) if KODE_DESA.match(k)]
        if kabupaten_kode:
            out = [w for w in out if w.kode.startswith(kabupaten_kode + ".")]
        return out

    def restricted_to(self, kabupaten_kode: str) -> WilayahList:
        """The kabupaten's own rows plus its provinsi: what a workspace keeps."""
        prov = kabupaten_kode.split(".")[0]
        keep = [
            w
            for k, w in self.by_kode.items()
            if k == prov or k == kabupaten_kode or k.startswith(kabupaten_kode + ".")
        ]
        return WilayahList(keep)

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["kode", "nama"])
        for kode in sorted(self.by_kode):
            writer.writerow([kode, self.by_kode[kode].nama])
        return buf.getvalue()


def _rows_from_csv(path: Path) -> list[tuple[str, str]]:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [(r[0], r[1]) for r in reader if len(r) >= 2]


def _rows_from_xlsx(path: Path) -> list[tuple[str, str]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        return [
            (str(r[0] or ""), str(r[1] or ""))
            for r in ws.iter_rows(min_col=1, max_col=2, values_only=True)
        ]
    finally:
        wb.close()


def load_wilayah(path: Path) -> WilayahList:
    """Read `kode,nama` rows (a header row is optional); every bad row is reported at once."""
    if not path.exists():
        raise WilayahError(f"Daftar wilayah {path} tidak ditemukan.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        pairs = _rows_from_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        pairs = _rows_from_xlsx(path)
    else:
        raise WilayahError(
            f"Daftar wilayah {path.name}: gunakan berkas .csv atau .xlsx (kolom kode,nama)."
        )
    rows: list[Wilayah] = []
    bad: list[str] = []
    for n, (kode, nama) in enumerate(pairs, start=1):
        kode, nama = kode.strip(), " ".join(nama.split())
        if not kode and not nama:
            continue
        if n == 1 and kode.casefold() == "kode":
            continue
        if not re.fullmatch(r"\d{2}(\.\d{2}){0,2}(\.\d{4})?", kode) or not nama:
            bad.append(f"baris {n}: '{kode}'")
            continue
        rows.append(Wilayah(kode=kode, nama=nama))
    if bad:
        more = f" (dan {len(bad) - 5} lainnya)" if len(bad) > 5 else ""
        raise WilayahError(
            f"Daftar wilayah {path.name}: kode tidak sah di "
            + ", ".join(bad[:5])
            + more
            + ". Kode berbentuk 12.05.01.2002 dan nama tidak boleh kosong."
        )
    if not rows:
        raise WilayahError(f"Daftar wilayah {path.name} kosong: perlu kolom kode,nama.")
    return WilayahList(rows)
