"""One truth from desa to Bappeda (documents.md, "One truth on every page"; issue 10).

Over (a) the demo and (b) a generated kabupaten (tests/kabupaten_acak.py: two kecamatan,
twenty desa/kelurahan, random seeded decisions and revisions at both levels, UPT usulan,
a desa in each kecamatan that never sends), the usulan count, the agreed count and the agreed
total of every region agree in every document that shows them, read back from the files
(tests/tools/figures.py: pdftotext, openpyxl, html.parser), never from the ledger:

- a desa: its Berita Acara (pdf) = its Kompilasi (pdf, xlsx); what its kecamatan received
  (the rows of the kecamatan Rekap) = what it agreed;
- a kecamatan: its Rekap (pdf = xlsx, line by line), its Berita Acara, its Surat Pengantar;
- upward, once the kecamatan has decided (Rekap or later): the kabupaten Rekap, the Pemantauan
  (xlsx, html) and `status --json` show the kecamatan's figures (its decisions, agreed
  values, UPT usulan) — the kecamatan's line to the rupiah and the usulan count, each desa's
  agreed count and total; before that (the generated kabupaten after the desa pass) the
  desa's own;
- a desa that has not sent is `belum mengirim` everywhere, never 0 or Rp 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HAS_SOFFICE, DemoRun
from tests.kabupaten_acak import Kabupaten, build, status_json
from tests.pg import admin_url, fresh_database
from tests.tools import figures as F
from tests.tools.figures import BELUM, Angka, Figures

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) tidak terpasang"),
]

DECIDED = ("Rekap", "Kirim")


@dataclass
class Scenario:
    root: Path
    tahun: int
    status: dict[str, Any]
    desa: dict[str, dict[str, Any]]  # kode -> status entry
    kecamatan: dict[str, dict[str, Any]]
    generated: Kabupaten | None = None

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    def sent(self, kode: str) -> bool:
        return self.desa[kode]["tahap"] == "Kirim"

    def decided(self, kec: str) -> bool:
        return self.kecamatan[kec]["tahap"] in DECIDED

    def kec_folder(self, kec: str) -> Path:
        return self.outbox / f"{kec} {self.kecamatan[kec]['nama']}" / str(self.tahun)

    def desa_file(self, kode: str, stem: str, ext: str) -> Path | None:
        entry = self.desa[kode]
        word = "Kelurahan" if entry["tingkat"] == "kelurahan" else "Desa"
        folder = self.kec_folder(entry["kecamatan"]).parent / f"{kode} {entry['nama']}"
        path = folder / str(self.tahun) / f"{stem} {word} {entry['nama']} {self.tahun}.{ext}"
        return path if path.exists() else None

    def kec_file(self, kec: str, stem: str, ext: str) -> Path | None:
        """In the kecamatan's outbox folder; at Bappeda, in the package it merged."""
        nama = self.kecamatan[kec]["nama"]
        name = f"{stem} Kecamatan {nama} {self.tahun}.{ext}"
        paket = self.outbox / "paket" / f"{kec} {nama}" / str(self.tahun) / "dokumen"
        for path in (self.kec_folder(kec) / name, paket / name):
            if path.exists():
                return path
        return None

    def kabupaten_file(self, stem: str, ext: str, folder: Path | None = None) -> Path:
        [path] = list(
            (folder or self.outbox).glob(f"{stem} Musrenbang Kabupaten * {self.tahun}.{ext}")
        )
        return path

    def of(self, kec: str) -> list[str]:
        return sorted(k for k, d in self.desa.items() if d["kecamatan"] == kec)


def _scenario(root: Path, tahun: int | None, generated: Kabupaten | None = None) -> Scenario:
    status = status_json(root, tahun) if tahun else _status_any_year(root)
    return Scenario(
        root=root,
        tahun=status["tahun"],
        status=status,
        desa={d["kode"]: d for d in status["desa"]},
        kecamatan={k["kode"]: k for k in status["kecamatan"]},
        generated=generated,
    )


def _status_any_year(root: Path) -> dict[str, Any]:
    [year] = {p.name for p in (root / "outbox").glob("*/*") if p.is_dir() and p.name.isdigit()}
    return status_json(root, int(year))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    kab = build(tmp_path_factory.mktemp("kabupaten-acak") / "ws")
    return _scenario(kab.root, kab.tahun, kab)


@pytest.fixture(scope="module")
def generated_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    """The same generated kabupaten, its ledger on PostgreSQL."""
    with fresh_database(admin_url()) as url:
        kab = build(tmp_path_factory.mktemp("kabupaten-acak-pg") / "ws", database_url=url)
        yield _scenario(kab.root, kab.tahun, kab)


def _get(request: pytest.FixtureRequest, name: str) -> Scenario:
    """The demo's workspaces (Bahorok, Salapian, Bappeda holding both packages), or the
    generated kabupaten."""
    if name in ("kabupaten", "kabupaten-pg"):
        fixture = "generated" if name == "kabupaten" else "generated_pg"
        generated: Scenario = request.getfixturevalue(fixture)
        return generated
    demo_run: DemoRun = request.getfixturevalue("demo_run")
    assert demo_run.code == 0
    return _scenario(demo_run.root / name.removeprefix("demo").lstrip("/"), None)


@pytest.fixture(params=["demo", "demo/salapian", "demo/bappeda", "kabupaten"])
def scenario(request: pytest.FixtureRequest) -> Scenario:
    return _get(request, request.param)


@pytest.fixture(params=["demo", "demo/salapian", "kabupaten"])
def desa_scenario(request: pytest.FixtureRequest) -> Scenario:
    """Workspaces holding the desa's own documents (Bappeda holds the kecamatan's only)."""
    return _get(request, request.param)


# ----------------------------------------------------------------------------- comparing


def _same(a: Figures, b: Figures, usulan: bool) -> bool:
    if isinstance(a, Angka) and isinstance(b, Angka) and not usulan:
        return a.without_usulan() == b.without_usulan()
    return a == b


def disagreements(
    region: str, truth: Figures, found: dict[str, Figures | None], usulan: bool = True
) -> list[str]:
    """One line per source whose figures differ from `truth` (a missing line counts)."""
    return [
        f"{region}: {source} {got} != {truth}"
        for source, got in found.items()
        if got is None or not _same(got, truth, usulan)
    ]


def _rekap(s: Scenario, kec: str) -> dict[str, Figures]:
    path = s.kec_file(kec, "Rekap Usulan Musrenbang", "xlsx")
    assert path is not None, f"Rekap kecamatan {kec} tidak ada"
    return F.rekap_kecamatan_xlsx(path)


def _upt_total(rekap: dict[str, Figures], kec_desa: list[str]) -> Angka | None:
    """The UPT/instansi lines of a kecamatan Rekap added (None when it has none)."""
    lines = [v for k, v in rekap.items() if k not in kec_desa and k != "JUMLAH"]
    lines = [v for v in lines if isinstance(v, Angka)]
    if not lines:
        return None
    return Angka(
        *(sum(getattr(v, f) or 0 for v in lines) for f in ("usulan", "disepakati", "biaya"))
    )


# ----------------------------------------------------------------------------- desa


def test_desa_documents_agree_and_the_kecamatan_received_what_the_desa_agreed(
    desa_scenario: Scenario,
) -> None:
    scenario = desa_scenario
    problems: list[str] = []
    checked = 0
    for kode, entry in scenario.desa.items():
        ba = scenario.desa_file(kode, "Berita Acara Musrenbang", "pdf")
        if ba is None:
            assert not scenario.sent(kode), f"{kode} sudah Kirim tanpa Berita Acara"
            continue
        truth = F.berita_acara_desa(ba)
        komp_pdf = scenario.desa_file(kode, "Kompilasi Usulan Musrenbang", "pdf")
        komp_xlsx = scenario.desa_file(kode, "Kompilasi Usulan Musrenbang", "xlsx")
        problems += disagreements(kode, truth, {
            "Kompilasi (pdf)": F.kompilasi_pdf(komp_pdf) if komp_pdf else None,
            "Kompilasi (xlsx)": F.kompilasi_xlsx(komp_xlsx) if komp_xlsx else None,
        })  # fmt: skip
        checked += 1
        kec = entry["kecamatan"]
        if not (scenario.sent(kode) and scenario.decided(kec)):
            continue
        rekap_xlsx = scenario.kec_file(kec, "Rekap Usulan Musrenbang", "xlsx")
        assert rekap_xlsx is not None
        received = F.rekap_kecamatan_usulan(rekap_xlsx).get(kode)
        line = _rekap(scenario, kec).get(kode)
        sent = Angka(truth.disepakati, None, None)
        problems += disagreements(kode, truth, {"Rekap kecamatan, lembar Usulan": received},
                                  usulan=False)  # fmt: skip
        problems += disagreements(kode, sent, {
            "Rekap kecamatan, Jumlah Usulan": Angka(line.usulan, None, None)
            if isinstance(line, Angka) else line,
        })  # fmt: skip
    assert checked >= 2
    assert problems == []


# ----------------------------------------------------------------------------- kecamatan


def test_kecamatan_documents_agree(scenario: Scenario) -> None:
    problems: list[str] = []
    decided = [k for k in scenario.kecamatan if scenario.decided(k)]
    assert decided, "tidak ada kecamatan yang sudah Rekap"
    for kec in decided:
        names = {scenario.desa[k]["nama"]: k for k in scenario.of(kec)}
        rekap = _rekap(scenario, kec)
        pdf = scenario.kec_file(kec, "Rekap Usulan Musrenbang", "pdf")
        assert pdf is not None
        from_pdf = F.rekap_kecamatan_pdf(pdf, names)
        for key in sorted(set(rekap) | set(from_pdf)):
            problems += disagreements(f"{kec} {key}", rekap.get(key, "tidak ada"),
                                      {"Rekap (pdf)": from_pdf.get(key)})  # fmt: skip
        for kode in scenario.of(kec):
            want: Figures | None = rekap.get(kode)
            if not scenario.sent(kode):
                problems += disagreements(kode, BELUM, {"Rekap (xlsx)": want})
            elif not isinstance(want, Angka):
                problems.append(f"{kode}: sudah Kirim, Rekap (xlsx) {want}")
        ba = scenario.kec_file(kec, "Berita Acara Musrenbang", "pdf")
        sp = scenario.kec_file(kec, "Surat Pengantar Musrenbang", "pdf")
        problems += disagreements(kec, rekap["JUMLAH"], {
            "Berita Acara (pdf)": F.berita_acara_kecamatan(ba) if ba else None,
            **({"Surat Pengantar (pdf)": F.surat_pengantar(sp)} if sp else {}),
        })  # fmt: skip
        if scenario.kecamatan[kec]["tahap"] == "Kirim":
            assert sp is not None, f"{kec}: Kirim tanpa Surat Pengantar"
    assert problems == []


# ----------------------------------------------------------------------------- upward


def _upward(scenario: Scenario, folder: Path | None = None) -> dict[str, dict[str, Figures]]:
    """Every kabupaten source, keyed by source name then region."""
    rekap = scenario.kabupaten_file("Rekap Usulan", "xlsx", folder)
    html = F.pemantauan_html(scenario.kabupaten_file("Pemantauan", "html", folder))
    status = F.status_figures(scenario.status)
    return {
        "kabupaten Rekap, Per Kecamatan": F.kabupaten_rekap(rekap),
        USULAN_ROWS: dict(F.kabupaten_usulan(rekap)),
        "Pemantauan (xlsx)": F.pemantauan_xlsx(scenario.kabupaten_file("Pemantauan", "xlsx", folder)),
        "Pemantauan (html), desa": html["desa"],
        "Pemantauan (html), kecamatan": html["kecamatan"],
        "status --json, desa": status["desa"],
        "status --json, kecamatan": status["kecamatan"],
    }  # fmt: skip


KECAMATAN_SOURCES = ("kabupaten Rekap, Per Kecamatan", "Pemantauan (html), kecamatan",
                     "status --json, kecamatan")  # fmt: skip
DESA_SOURCES = ("Pemantauan (xlsx)", "Pemantauan (html), desa", "status --json, desa")
USULAN_ROWS = "kabupaten Rekap, lembar Usulan"


def _upward_problems(scenario: Scenario, sources: tuple[str, ...]) -> list[str]:
    up = _upward(scenario)
    problems: list[str] = []
    for kec in scenario.kecamatan:
        if not scenario.decided(kec):
            continue
        rekap = _rekap(scenario, kec)
        if sources == KECAMATAN_SOURCES:  # the kecamatan's line: to the rupiah and the count
            problems += disagreements(kec, rekap["JUMLAH"], {s: up[s].get(kec) for s in sources})
            upt = _upt_total(rekap, scenario.of(kec))
            if upt is not None:
                problems += disagreements(f"{kec} UPT", upt, {USULAN_ROWS: up[USULAN_ROWS].get(kec)},
                                          usulan=False)  # fmt: skip
            continue
        for kode in scenario.of(kec):
            want = rekap.get(kode, "tidak ada")
            found = {s: up[s].get(kode) for s in sources}
            if scenario.sent(kode):  # its usulan rows, with the kecamatan's decisions
                found[USULAN_ROWS] = up[USULAN_ROWS].get(kode)
            problems += disagreements(kode, want, found, usulan=False)
    return problems


def test_kabupaten_recap_pemantauan_and_status_carry_the_kecamatan_rekap(
    scenario: Scenario,
) -> None:
    """A decided kecamatan's line in the kabupaten Rekap, the Pemantauan page and status is
    its signed Rekap: usulan count, agreed count, agreed total (UPT usulan included, its
    rejections and revisions honoured)."""
    assert _upward_problems(scenario, KECAMATAN_SOURCES) == []


def test_every_desa_upward_shows_its_kecamatan_s_figures_or_belum_mengirim(
    scenario: Scenario,
) -> None:
    """Each desa of a decided kecamatan: its agreed count and total in the Pemantauan (xlsx,
    html), status and the kabupaten Rekap's usulan rows are its line of the kecamatan Rekap;
    a desa that has not sent is `belum mengirim` (never 0 / Rp 0)."""
    assert _upward_problems(scenario, DESA_SOURCES) == []


def test_kabupaten_totals_add_the_kecamatan_rekaps(scenario: Scenario) -> None:
    """When every kecamatan of the workspace has decided, the kabupaten's totals (Rekap
    JUMLAH, Pemantauan Ringkasan, status ringkasan) add their signed Rekaps."""
    assert all(scenario.decided(k) for k in scenario.kecamatan)  # true of every scenario here
    lines = [_rekap(scenario, k)["JUMLAH"] for k in scenario.kecamatan]
    total = Angka(*(sum(getattr(a, f) or 0 for a in lines if isinstance(a, Angka))
                    for f in ("usulan", "disepakati", "biaya")))  # fmt: skip
    up = _upward(scenario)
    pemantauan = scenario.kabupaten_file("Pemantauan", "xlsx")
    assert disagreements("kabupaten", total, {
        "kabupaten Rekap, JUMLAH": up["kabupaten Rekap, Per Kecamatan"].get("JUMLAH"),
        "Pemantauan (xlsx), Ringkasan": F.pemantauan_ringkasan(pemantauan),
        "status --json, ringkasan": up["status --json, kecamatan"].get("JUMLAH"),
    }) == []  # fmt: skip


def test_before_the_kecamatan_decides_the_desa_figures_are_the_truth(
    generated: Scenario,
) -> None:
    """After the desa pass (no kecamatan workbook yet) the kabupaten outputs then written
    show each desa's own Berita Acara figures, and `belum mengirim` for the desa that did
    not send."""
    kab = generated.generated
    assert kab is not None
    before = Scenario(generated.root, generated.tahun, kab.status_before,
                      {d["kode"]: d for d in kab.status_before["desa"]},
                      {k["kode"]: k for k in kab.status_before["kecamatan"]})  # fmt: skip
    up = _upward(before, kab.before_rekap)
    problems: list[str] = []
    for kec in before.kecamatan:
        total = Angka(None, 0, 0)
        for kode in before.of(kec):
            found = {s: up[s].get(kode) for s in DESA_SOURCES}
            if kode in kab.not_sent:
                problems += disagreements(kode, BELUM, found)
                continue
            ba = before.desa_file(kode, "Berita Acara Musrenbang", "pdf")
            assert ba is not None
            truth = F.berita_acara_desa(ba)
            found[USULAN_ROWS] = up[USULAN_ROWS].get(kode)
            problems += disagreements(kode, truth, found)
            total = Angka(None, (total.disepakati or 0) + (truth.disepakati or 0),
                          (total.biaya or 0) + (truth.biaya or 0))  # fmt: skip
        problems += disagreements(kec, total, {s: up[s].get(kec) for s in KECAMATAN_SOURCES},
                                  usulan=False)  # fmt: skip
    assert problems == []


def test_the_ledger_on_postgresql_gives_the_same_figures(
    generated: Scenario, generated_pg: Scenario
) -> None:
    """The generated kabupaten built twice from the same seed, once on each ledger: the same
    status and every cell of the kabupaten Rekap and Pemantauan (time stamps masked)."""
    drop = ("dibuat",)
    a = {k: v for k, v in generated.status.items() if k not in drop}
    b = {k: v for k, v in generated_pg.status.items() if k not in drop}
    assert a == b
    for stem in ("Rekap Usulan Musrenbang Kabupaten", "Pemantauan Musrenbang Kabupaten"):
        assert _cells(generated.root, stem) == _cells(generated_pg.root, stem), stem


def _cells(root: Path, stem: str) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    [path] = (root / "outbox").glob(f"{stem} *.xlsx")
    masked = ("Dibuat ", "Keadaan ")
    return {
        sheet.title: [
            tuple("<waktu>" if isinstance(v, str) and v.startswith(masked) else v for v in row)
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in load_workbook(path).worksheets
    }
