"""The kecamatan flow through real workbooks to Rekap: the kabupaten Rekap's line of the
kecamatan, read back with openpyxl, equals the kecamatan's own Rekap workbook, to the rupiah
and the usulan count (the UPT usulan in, the kecamatan's rejection and revision honoured, OPD
Tujuan filled); a desa that has not sent reads `belum mengirim` at both levels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.core.workspace import Workspace
from pipeline.demo import KecamatanOperator
from pipeline.run.batch import PassResult
from tests.test_kecamatan_flow import KEC, PERSIAPAN, REKAP, UPT, send_desa

Run = Callable[[], PassResult]
KAB_REKAP = "Rekap Usulan Musrenbang Kabupaten Langkat 2027.xlsx"
PANTAU = "Pemantauan Musrenbang Kabupaten Langkat 2027.xlsx"


def _rows(path: Path, sheet: str, header_row: int) -> tuple[list[str], list[list[object]]]:
    ws = load_workbook(path, data_only=True)[sheet]
    rows = [list(r) for r in ws.iter_rows(min_row=header_row, values_only=True)]
    header = [str(c) if c is not None else "" for c in rows[0]]
    body = []
    for r in rows[1:]:
        if all(c is None for c in r):
            break
        body.append(r)
    return header, body


def _revise(path: Path, kode: str, biaya: int) -> None:
    """The kecamatan revises one usulan in the workbook it drops (Biaya Disepakati)."""
    wb = load_workbook(path)
    sheet = wb["Usulan"]
    header_row = next(r for r in range(1, 11) if sheet.cell(r, 2).value == "Kode Usulan")
    cols = {str(c.value): c.column for c in sheet[header_row] if c.value}
    for r in range(header_row + 1, sheet.max_row + 1):
        if sheet.cell(r, cols["Kode Usulan"]).value == kode:
            sheet.cell(r, cols["Keputusan"], "Diterima dengan Revisi")
            sheet.cell(r, cols["Catatan Keputusan"], "Dikurangi sesuai pagu")
            sheet.cell(r, cols["Biaya Disepakati (Rp)"], biaya)
    wb.save(path)


def test_kabupaten_line_equals_the_kecamatan_rekap(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    send_desa(workspace, tmp_path)  # Lau Damak sends; Timbang Lawan never does
    assert all(r.status.value == "accepted" for r in run().receipts)
    root = str(workspace.root)
    assert main(["workbook", "kecamatan", KEC, "--tahun", "2027", "--root", root]) == 0
    kec = KecamatanOperator(workspace, KEC, 2027)
    kec.drop(PERSIAPAN)
    assert run().receipts[-1].status.value == "accepted"

    # before the kecamatan's Rekap: the desa's decisions
    _h, rows = _rows(workspace.outbox / KAB_REKAP, "Per Kecamatan", 4)
    assert rows[0][4:6] == [4 + 1, 4]  # the desa's 5 usulan, 4 accepted (tests.workbooks)

    dropped = kec.drop(REKAP, decide=True, upt=UPT)  # row 3: a desa-accepted usulan rejected
    _revise(dropped, "12.05.01.2002-2027-0001", 90_000_000)
    r = run().receipts[-1]
    assert (r.status.value, r.stage) == ("accepted", "Rekap"), r.issues

    [kec_rekap] = workspace.outbox.rglob("Rekap Usulan Musrenbang Kecamatan Bahorok 2027.xlsx")
    header, rows = _rows(kec_rekap, "Per Desa", 5)
    col = {label: n for n, label in enumerate(header)}
    jumlah = rows[-1]
    assert jumlah[col["Desa/Kelurahan"]] == "JUMLAH"
    timbang = next(row for row in rows if row[col["Desa/Kelurahan"]] == "Timbang Lawan")
    assert timbang[col["Jumlah Usulan"]] == "belum mengirim"

    k_header, k_rows = _rows(workspace.outbox / KAB_REKAP, "Per Kecamatan", 4)
    line = dict(zip(k_header, k_rows[0], strict=False))
    assert line["Kode Kecamatan"] == KEC and line["Tahap Kecamatan"] == "Rekap"
    assert line["Usulan"] == jumlah[col["Jumlah Usulan"]] == 4 + 1  # 4 desa rows + the UPT
    assert line["Diterima"] == jumlah[col["Diterima"]] + jumlah[col["Diterima dengan Revisi"]]
    assert line["Ditolak"] == jumlah[col["Ditolak"]] == 1
    assert line["Belum Diputuskan"] == jumlah[col["Belum Diputuskan"]] == 0
    agreed = jumlah[col["Biaya Disepakati (Rp)"]]
    assert line["Perkiraan Biaya Diterima (Rp)"] == agreed
    assert jumlah[col["Diterima dengan Revisi"]] == 1

    # every usulan in the kabupaten's list has the kecamatan's OPD Tujuan
    u_header, u_rows = _rows(workspace.outbox / KAB_REKAP, "Usulan", 4)
    usulan = [dict(zip(u_header, row, strict=False)) for row in u_rows[:-1]]
    assert len(usulan) == 5 and all(u["OPD Tujuan"] for u in usulan)
    assert "UPT Puskesmas Bahorok" in {u["Asal Usulan"] for u in usulan}
    _o, opd = _rows(workspace.outbox / KAB_REKAP, "Per OPD Tujuan", 4)
    assert "(belum ditentukan)" not in {row[0] for row in opd}
    assert opd[-1][1:] == [5, line["Diterima"], 1, agreed]

    # the Pemantauan: Timbang Lawan reads `belum mengirim`; the lines add up to the kecamatan
    p_header, p_rows = _rows(workspace.outbox / PANTAU, "Per Desa", 4)
    pantau = {row[0]: dict(zip(p_header, row, strict=False)) for row in p_rows}
    assert pantau["12.05.01.2003"]["Usulan"] == "belum mengirim"
    lines = [p for k, p in pantau.items() if k != "JUMLAH" and str(k).startswith(KEC)]
    assert sum(p["Usulan"] for p in lines if isinstance(p["Usulan"], int)) == line["Usulan"]
    assert pantau["JUMLAH"]["Total Biaya Diterima (Rp)"] == agreed
