"""Kelurahan are not desa (spec/workbooks.md): their own bidang, Sumber Dana, Asal and Unsur.

A desa workbook with a kelurahan-only value, or the reverse, is an error naming the cell.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.core.config import Settings
from pipeline.core.sebutan import level_of, sebutan
from pipeline.core.standard import BIDANG, BIDANG_KELURAHAN, SUMBER_DANA_KELURAHAN
from pipeline.desa.validation import validate_desa
from tests.test_validation import (
    WILAYAH,
    IdentitasField,
    pairs,
    raw_desa,
    usulan_row,
)

F = IdentitasField
KELURAHAN = {F.KODE: "12.05.01.1001", F.NAMA: "Pekan Bahorok", F.TEMPAT: "Aula Kantor Lurah"}
TODAY = __import__("datetime").date(2026, 2, 1)


def kel_row(n: int = 1, **values: Any) -> dict[str, Any]:
    row = usulan_row(n, **values)
    row.setdefault("Asal Usulan", "Lingkungan I")
    defaults = {
        "Asal Usulan": "Lingkungan I",
        "Bidang": BIDANG_KELURAHAN[0],
        "Lokasi": f"Lingkungan I RT 0{n}",
        "Sumber Dana": "Dana Kelurahan",
    }
    for key, value in defaults.items():
        if key not in values:
            row[key] = value
    return row


KEL_PESERTA = [
    {"No": 1, "Nama": "Hendra", "Jenis Kelamin": "L", "Unsur": "Pemerintah Kelurahan"},
    {"No": 2, "Nama": "Rina", "Jenis Kelamin": "P", "Unsur": "PKK"},
    {"No": 3, "Nama": "Bahrum", "Jenis Kelamin": "L", "Unsur": "LPM"},
]


def check_kel(usulan: list[dict[str, Any]], peserta: list[dict[str, Any]] | None = None, **kw):
    raw = raw_desa(identitas=KELURAHAN, usulan=usulan, peserta=peserta or KEL_PESERTA)
    return validate_desa(raw, WILAYAH, today=TODAY, **kw)


def check_desa(usulan: list[dict[str, Any]], peserta: list[dict[str, Any]] | None = None):
    return validate_desa(raw_desa(usulan=usulan, peserta=peserta), WILAYAH, today=TODAY)


def test_levels_from_the_kode():
    assert level_of("12.05.01.1001") == "kelurahan"
    assert level_of("12.05.01.2002") == "desa"
    kel = sebutan("kelurahan")
    assert (kel.kepala, kel.wilayah_kecil, kel.lembaga) == ("Lurah", "Lingkungan", "LPM")
    assert list(kel.bidang) == BIDANG_KELURAHAN
    assert "APBDes" not in kel.sumber_dana and "Dana Kelurahan" in kel.sumber_dana
    assert not {"Kepala Dusun", "BPD", "Pemerintah Desa/Kelurahan"} & set(kel.unsur)


def test_a_kelurahan_workbook_in_its_own_words_is_clean():
    book, report = check_kel([kel_row(1), kel_row(2, **{"Asal Usulan": "Kelurahan"})])
    assert report.issues == [], report.flatten()
    assert book is not None
    assert [u.bidang for u in book.usulan] == [BIDANG_KELURAHAN[0]] * 2
    assert [u.sumber_dana for u in book.usulan] == ["Dana Kelurahan"] * 2
    assert [p.unsur for p in book.peserta] == ["Pemerintah Kelurahan", "PKK", "LPM"]


def test_apbdes_on_a_kelurahan_says_dana_kelurahan_or_apbd_kabupaten():
    book, report = check_kel([kel_row(1), kel_row(2, **{"Sumber Dana": "apbdes"})])
    assert pairs(report) == [("pilihan-tidak-valid", "J6")]
    message = report.issues[0].message
    assert "Dana Kelurahan" in message and "APBD Kabupaten" in message, message
    assert "APBDes" in message
    assert not report.ok and book is not None and book.usulan[1].sumber_dana is None


def test_a_desa_bidang_on_a_kelurahan_is_an_error_naming_the_cell():
    _, report = check_kel([kel_row(1, Bidang=BIDANG[1])])
    assert pairs(report) == [("pilihan-tidak-valid", "D5")]
    assert BIDANG_KELURAHAN[0] in report.issues[0].message
    assert "bidang desa" in report.issues[0].message


@pytest.mark.parametrize(
    ("column", "value", "cell"),
    [
        ("Bidang", BIDANG_KELURAHAN[2], "D5"),
        ("Sumber Dana", "Dana Kelurahan", "J5"),
    ],
)
def test_a_kelurahan_value_on_a_desa_is_an_error_naming_the_cell(column, value, cell):
    _, report = check_desa([usulan_row(1, **{column: value}), usulan_row(2)])
    assert pairs(report) == [("pilihan-tidak-valid", cell)]
    assert "kelurahan" in report.issues[0].message


@pytest.mark.parametrize(
    ("asal", "level"),
    [("Desa", "kelurahan"), ("BPD", "kelurahan"), ("Dusun III", "kelurahan"),
     ("Kelurahan", "desa"), ("Lingkungan II", "desa")],
)  # fmt: skip
def test_asal_usulan_of_the_other_level(asal, level):
    if level == "kelurahan":
        _, report = check_kel([kel_row(1, **{"Asal Usulan": asal})])
    else:
        _, report = check_desa([usulan_row(1, **{"Asal Usulan": asal})])
    assert pairs(report) == [("asal-tidak-cocok", "C5")]


def test_lembaga_both_levels_have_are_fine_as_asal():
    for asal in ("LPM", "PKK", "Karang Taruna"):
        assert check_kel([kel_row(1, **{"Asal Usulan": asal})])[1].issues == []
        assert check_desa([usulan_row(1, **{"Asal Usulan": asal})])[1].issues == []


@pytest.mark.parametrize("unsur", ["BPD", "Kepala Dusun", "Pemerintah Desa"])
def test_desa_unsur_in_a_kelurahan(unsur):
    peserta = [*KEL_PESERTA[:2], {"No": 3, "Nama": "Bahrum", "Jenis Kelamin": "L", "Unsur": unsur}]
    _, report = check_kel([kel_row(1)], peserta)
    assert [i.code for i in report.issues] == ["pilihan-tidak-valid"]
    assert report.issues[0].sheet == "Peserta" and report.issues[0].cell == "D6"


def test_kepala_lingkungan_in_a_desa_and_the_joint_pemerintah_value():
    peserta = [
        {"No": 1, "Nama": "A", "Jenis Kelamin": "L", "Unsur": "Kepala Lingkungan"},
        {"No": 2, "Nama": "B", "Jenis Kelamin": "L", "Unsur": "Pemerintah Desa/Kelurahan"},
        {"No": 3, "Nama": "C", "Jenis Kelamin": "P", "Unsur": "BPD"},
    ]
    book, report = check_desa([usulan_row(1)], peserta)
    assert [(i.code, i.cell) for i in report.issues] == [("pilihan-tidak-valid", "D4")]
    assert "Kepala Dusun" in report.issues[0].message
    assert book is not None and book.peserta[1].unsur == "Pemerintah Desa"
    # the standard's joint value reads as the kelurahan's own in a kelurahan workbook
    joint = [{"No": 1, "Nama": "H", "Jenis Kelamin": "L", "Unsur": "Pemerintah Desa/Kelurahan"}]
    book, report = check_kel([kel_row(1)], joint)
    assert report.ok and "pilihan-tidak-valid" not in report.codes() and book is not None
    assert book.peserta[0].unsur == "Pemerintah Kelurahan"


def test_bidang_kelurahan_come_from_the_settings():
    own = ["Sarana dan Prasarana Kelurahan", "Ekonomi Kelurahan"]
    settings = Settings.model_validate({"bidang": {"kelurahan": own}})
    ok = [kel_row(1, Bidang="sarana dan prasarana kelurahan")]
    book, report = check_kel(ok, bidang_kelurahan=settings.bidang.kelurahan)
    assert report.issues == [] and book is not None
    assert book.usulan[0].bidang == "Sarana dan Prasarana Kelurahan"
    _, report = check_kel([kel_row(1)], bidang_kelurahan=own)  # the default is not theirs
    assert pairs(report) == [("pilihan-tidak-valid", "D5")]
    assert "Ekonomi Kelurahan" in report.issues[0].message


def test_settings_bidang_kelurahan_rules():
    assert Settings().bidang.kelurahan == BIDANG_KELURAHAN
    for bad in ([], [""], ["A", "a"], [BIDANG[0]]):
        with pytest.raises(ValueError):
            Settings.model_validate({"bidang": {"kelurahan": bad}})


def test_hints_speak_of_lingkungan_in_a_kelurahan():
    _, report = check_kel([kel_row(1, **{"Asal Usulan": None, "Lokasi": None})])
    messages = {i.cell: i.message for i in report.issues}
    assert "lingkungan" in messages["C5"] and "dusun" not in messages["C5"].casefold()
    assert "lingkungan/RT/RW" in messages["F5"]
    assert set(SUMBER_DANA_KELURAHAN) >= {"Dana Kelurahan", "APBD Kabupaten"}


# ----------------------------------------------------------------------------- kecamatan


def test_kecamatan_rows_follow_their_own_desa_or_kelurahan(tmp_path):
    from tests.test_kecamatan_validation import LIMITS, check, read_workbook
    from tests.test_kecamatan_workbook import write_kec

    raw, _ = read_workbook(write_kec(tmp_path / "kec.xlsx"), LIMITS)
    assert raw is not None
    book, report = check(raw)
    assert report.issues == [], report.flatten()
    assert book is not None and book.usulan[2].bidang == BIDANG_KELURAHAN[0]  # Pekan Bahorok
    cells = {
        "E5": BIDANG[1],  # Pekan Bahorok (kelurahan): a desa bidang
        "K5": "APBDes",
        "E3": BIDANG_KELURAHAN[1],  # Lau Damak (desa): a kelurahan bidang
        "C4": "Kelurahan",
        "E6": BIDANG_KELURAHAN[2],  # an UPT row may take either list
        "K6": "Dana Kelurahan",
    }
    book, report = check(raw, {"Usulan": cells})
    assert sorted(pairs(report)) == [
        ("asal-tidak-cocok", "C4"),
        ("pilihan-tidak-valid", "E3"),
        ("pilihan-tidak-valid", "E5"),
        ("pilihan-tidak-valid", "K5"),
    ]
    by_cell = {i.cell: i.message for i in report.issues}
    assert "Dana Kelurahan" in by_cell["K5"] and "APBD Kabupaten" in by_cell["K5"]
    assert book is not None and book.usulan[2].bidang is None and book.usulan[3].bidang


# ----------------------------------------------------------------------------- end to end

KODE_KEL = "12.05.01.1001"  # Pekan Bahorok, the demo's kelurahan
FORBIDDEN = re.compile(r"\b(desa|kepala desa|dusun|bpd|apbdes)\b", re.IGNORECASE)
# The standard's own labels name both levels; they are the only place a kelurahan's files
# may say "Desa" (spec/workbooks.md: labels are exact).
LABELS = ("Kode Desa/Kelurahan", "Nama Desa/Kelurahan", "Nama Kepala Desa/Lurah",
          "NIP Kepala Desa/Lurah", "Desa/Kelurahan")  # fmt: skip

KEL_USULAN = [
    ("Lingkungan I", BIDANG_KELURAHAN[0], "Rabat beton gang Melati", "Lingkungan I", 120,
     "meter", 96_000_000, "Dana Kelurahan"),
    ("Lingkungan II", BIDANG_KELURAHAN[1], "Pelatihan UMKM keripik", "Aula Kantor Lurah", 25,
     "orang", 18_500_000, "APBD Kabupaten"),
    ("LPM", BIDANG_KELURAHAN[2], "Posyandu remaja", "Lingkungan III", 12, "bulan",
     9_000_000, "Dana Kelurahan"),
    ("Kelurahan", BIDANG_KELURAHAN[0], "Lampu jalan tenaga surya", "Lingkungan II", 10,
     "titik", 101_001_000, "APBD Kabupaten"),
]  # fmt: skip
KEL_PESERTA_ROWS = [
    ("Hendra Gunawan", "L", "Pemerintah Kelurahan", "Lurah"),
    ("Sri Rahayu", "P", "Kepala Lingkungan", "Kepala Lingkungan I"),
    ("Budi Tarigan", "L", "LPM", "Ketua LPM"),
    ("Ani Lestari", "P", "PKK", "Ketua TP PKK"),
]


def _strip_labels(text: str) -> str:
    for label in LABELS:
        text = re.sub(re.escape(label), "", text, flags=re.IGNORECASE)
    return text


def workbook_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    return "\n".join(cells)


def test_kelurahan_flow_end_to_end(workspace, run, tmp_path):
    import datetime as dt

    from openpyxl import load_workbook

    from pipeline.commands import issue_desa_workbook, issue_kecamatan_workbook
    from pipeline.demo import KecamatanOperator, Operator
    from tests.test_render_kecamatan import docx_text, flat

    tahun = 2027
    issued = issue_desa_workbook(workspace.root, KODE_KEL, tahun)
    text = _strip_labels(workbook_text(issued))
    assert FORBIDDEN.findall(text) == [], FORBIDDEN.findall(text)
    assert "PETUNJUK PENGISIAN BUKU KERJA MUSRENBANG KELURAHAN" in text
    assert "Lingkungan" in text and "Lurah" in text and "LPM" in text
    daftar = load_workbook(issued)["Daftar"]
    lists = {c[0].value: [x.value for x in c[1:] if x.value] for c in daftar.iter_cols()}
    assert lists["Bidang"] == BIDANG_KELURAHAN
    assert lists["Sumber Dana"] == SUMBER_DANA_KELURAHAN
    assert "BPD" not in lists["Unsur"] and "Kepala Lingkungan" in lists["Unsur"]

    tanggal = dt.date.today() - dt.timedelta(days=1)
    kel = Operator(workspace, KODE_KEL, tahun)
    kel.drop(
        {"Tahap": "Persiapan", "Tanggal Musrenbang": tanggal, "Jam Mulai": "09.00",
         "Tempat": "Aula Kantor Lurah", "Alamat": "Jl. Pekan Bahorok No. 1",
         "Nama Kepala Desa/Lurah": "Hendra Gunawan", "NIP Kepala Desa/Lurah": "198203152009031004"},
        peserta=KEL_PESERTA_ROWS,
    )  # fmt: skip
    result = run()
    assert [r.status.value for r in result.receipts] == ["accepted"], result.receipts
    folder = kel.current().parent
    hadir = flat(
        docx_text(folder / f"Daftar Hadir Musrenbang Kelurahan Pekan Bahorok {tahun}.docx")
    )
    assert "KELURAHAN PEKAN BAHOROK" in hadir and "Lurah Pekan Bahorok" in hadir
    assert FORBIDDEN.findall(hadir) == [], FORBIDDEN.findall(hadir)

    # APBDes on a kelurahan: rejected, the cell named, the remedy said
    wrong = [*KEL_USULAN[:1], (*KEL_USULAN[1][:7], "APBDes"), *KEL_USULAN[2:]]
    kel.drop({"Tahap": "Pelaksanaan"}, usulan=wrong)
    (receipt,) = run().receipts
    assert receipt.status.value == "rejected"
    assert [(i.code, i.cell) for i in receipt.issues] == [("pilihan-tidak-valid", "J4")]
    assert "Dana Kelurahan atau APBD Kabupaten" in receipt.issues[0].message

    kel.drop({"Tahap": "Pelaksanaan"}, usulan=KEL_USULAN)
    assert [r.status.value for r in run().receipts] == ["accepted"]
    decisions = [(1, "Diterima", None), (2, "Diterima", None), (None, "Ditolak", "Sudah ada"),
                 (3, "Diterima", None)]  # fmt: skip
    kel.drop(
        {"Tahap": "Verifikasi", "Pimpinan Rapat": "Hendra Gunawan", "Notulen": "Rina",
         "Jumlah Peserta Laki-laki": 2, "Jumlah Peserta Perempuan": 2},
        decisions=decisions,
    )  # fmt: skip
    assert [r.status.value for r in run().receipts] == ["accepted"]
    for kind in ("Berita Acara", "Kompilasi Usulan"):
        doc = flat(docx_text(folder / f"{kind} Musrenbang Kelurahan Pekan Bahorok {tahun}.docx"))
        assert FORBIDDEN.findall(doc) == [], (kind, FORBIDDEN.findall(doc))
    kompilasi = flat(
        docx_text(folder / f"Kompilasi Usulan Musrenbang Kelurahan Pekan Bahorok {tahun}.docx")
    )
    positions = [kompilasi.index(b) for b in BIDANG_KELURAHAN]
    assert positions == sorted(positions)  # grouped under the kelurahan's bidang, in order
    assert not any(b in kompilasi for b in BIDANG)
    current = _strip_labels(workbook_text(kel.current()))
    assert FORBIDDEN.findall(current) == []  # the current workbook keeps the kelurahan's words

    kel.scan("berita-acara", "BERITA ACARA MUSRENBANG KELURAHAN PEKAN BAHOROK")
    kel.scan("daftar-hadir", "DAFTAR HADIR MUSRENBANG KELURAHAN PEKAN BAHOROK")
    kel.drop({"Tahap": "Kirim"})
    assert {r.status.value for r in run().receipts} == {"accepted"}

    # the kecamatan: kelurahan rows keep their bidang; the letter to the Lurah; the recaps
    issue_kecamatan_workbook(workspace.root, "12.05.01", tahun)
    kec = KecamatanOperator(workspace, "12.05.01", tahun)
    sheet = load_workbook(kec.current())["Usulan"]
    header = {c.value: c.column for c in sheet[2]}
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[header["Kegiatan"] - 1]]
    assert [r[header["Bidang"] - 1] for r in rows] == [
        u[1] for u in KEL_USULAN if u[2] != "Posyandu remaja"
    ]
    kec.drop(
        {"Tahap": "Persiapan", "Tanggal Musrenbang": tanggal, "Jam Mulai": "08.30",
         "Tempat": "Aula Kantor Camat", "Alamat": "Jl. Perintis 1", "Nama Camat": "Drs. Ahmad"},
        jadwal={KODE_KEL: (tanggal, "14.00", "Aula Kantor Lurah Pekan Bahorok")},
    )  # fmt: skip
    assert {r.status.value for r in run().receipts} == {"accepted"}
    kec_folder = kec.current().parent
    surat = flat(
        docx_text(
            kec_folder / f"Surat Pemberitahuan Musrenbang Kelurahan Pekan Bahorok {tahun}.docx"
        )
    )
    assert "Yth. Lurah Pekan Bahorok" in surat and "kepala lingkungan, LPM" in surat
    assert "dusun" not in surat.casefold() and "BPD" not in surat
    kec.drop(
        {"Tahap": "Rekap", "Pimpinan Sidang": "Drs. Ahmad", "Notulen": "Siti",
         "Nomor Berita Acara": "050/1/2026", "Jumlah Peserta Laki-laki": 20,
         "Jumlah Peserta Perempuan": 10},
        decide=True,
    )  # fmt: skip
    assert {r.status.value for r in run().receipts} == {"accepted"}
    rekap = load_workbook(kec_folder / f"Rekap Usulan Musrenbang Kecamatan Bahorok {tahun}.xlsx")
    per_bidang = [r[1] for r in rekap["Per Bidang"].iter_rows(values_only=True) if r[1]]
    # the kelurahan usulan the kelurahan agreed on (its third, rejected, stays behind)
    assert [b for b in per_bidang if b in BIDANG_KELURAHAN] == BIDANG_KELURAHAN[:2]
    assert not [b for b in per_bidang if b in BIDANG]  # no kelurahan usulan under desa bidang
    kab = load_workbook(
        workspace.outbox / f"Rekap Usulan Musrenbang Kabupaten Langkat {tahun}.xlsx"
    )
    kab_bidang = {r[0]: r[1] for r in kab["Per Bidang"].iter_rows(values_only=True) if r[0]}
    assert kab_bidang[BIDANG_KELURAHAN[0]] == 2 and kab_bidang[BIDANG[1]] == 0


def test_the_test_helper_makes_a_clean_kelurahan_workbook(tmp_path):
    from pipeline.intake.xlsx_read import read_workbook
    from tests.test_kecamatan_validation import LIMITS
    from tests.workbooks import KECAMATAN, make_desa_workbook
    from tests.workbooks import KELURAHAN as PEKAN

    raw, _ = read_workbook(
        make_desa_workbook(tmp_path / "k.xlsx", desa=PEKAN, kecamatan=KECAMATAN), LIMITS
    )
    assert raw is not None
    _, report = validate_desa(raw, WILAYAH, today=TODAY)
    assert report.errors == [], report.flatten()
