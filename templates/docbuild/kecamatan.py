"""Templates of the kecamatan documents: Surat Pemberitahuan, Daftar Hadir, Berita Acara,
Rekap Usulan, Surat Pengantar."""

from __future__ import annotations

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.table import Table

from .blocks import (
    LANDSCAPE_WIDTH,
    UsulanColumn,
    attendance_table,
    body_text,
    camat_signature,
    closing_row,
    grid_table,
    grouped_usulan_table,
    heading,
    info_table,
    item_rows,
    jumlah_row,
    keputusan_items,
    kop,
    label_table,
    lampiran_section,
    letter_head,
    numbered,
    penutup_berita_acara,
    signature,
    signature_grid,
    tembusan,
    title_block,
    usulan_table,
)
from .primitives import (
    cant_split,
    cell_text,
    footer,
    new_document,
    no_borders,
    para,
    row_height,
    shade,
    span,
    widths,
)


def surat_pemberitahuan_desa() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop(doc, desa=False)
    letter_head(
        doc,
        "{{ nomor_surat }}",
        "{{ lampiran }}",
        "{{ perihal }}",
        ["Kepada", "{{ kepada }}", "di -", "       {{ desa.nama }}"],
    )
    para(doc, "Dengan hormat,", after=6)
    body_text(
        doc,
        [
            "Dalam rangka penyusunan rencana pembangunan Tahun {{ tahun }} melalui Musyawarah "
            "Perencanaan Pembangunan (Musrenbang) secara berjenjang di {{ kabupaten.nama }}, "
            "bersama ini diberitahukan bahwa Musrenbang {{ desa.level }} {{ desa.nama }} "
            "dijadwalkan akan dilaksanakan pada:"
        ],
    )
    table = label_table(
        doc,
        [
            ("Hari/Tanggal", "{{ jadwal.hari_tanggal }}", True),
            ("Jam", "{{ jadwal.jam }}", True),
            ("Tempat", "{{ jadwal.tempat }}", True),
        ],
        [3.5, 0.5, 11.0],
    )
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    para(doc, "", after=6)
    body_text(
        doc,
        [
            "Sehubungan dengan hal tersebut, dimohon kepada Saudara {{ desa.jabatan_kepala }} "
            "{{ desa.nama }} untuk mempersiapkan pelaksanaan Musrenbang {{ desa.level }} dengan "
            "mengundang unsur masyarakat ({{ unsur_undangan }}), serta menyampaikan hasilnya "
            "(berita acara, daftar hadir dan kompilasi usulan) kepada Camat paling lambat "
            "{{ batas_hari_kerja }} ({{ batas_hari_kerja_kata }}) hari kerja setelah pelaksanaan.",
            "Demikian disampaikan, atas perhatian dan kerja sama Saudara diucapkan terima kasih.",
        ],
    )
    camat_signature(doc, ["{{ camat.jabatan }},"])
    tembusan(
        doc,
        [
            "{{ kabupaten.kepala_daerah }} c.q. Kepala Bappeda {{ kabupaten.nama }} "
            "(sebagai laporan);",
            "Arsip.",
        ],
    )
    footer(doc)
    return doc


def surat_pengantar_kecamatan() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop(doc, desa=False)
    letter_head(
        doc,
        "{{ nomor_surat }}",
        "{{ lampiran }}",
        "{{ perihal }}",
        [
            "Kepada",
            "Yth. {{ kabupaten.kepala_daerah }}",
            "c.q. Kepala Bappeda {{ kabupaten.nama }}",
            "di -",
            "       {{ kabupaten.ibu_kota }}",
        ],
    )
    para(doc, "Dengan hormat,", after=6)
    body_text(
        doc,
        [
            "Bersama ini kami sampaikan hasil Musyawarah Perencanaan Pembangunan (Musrenbang) "
            "Kecamatan {{ kecamatan.nama }} Tahun Rencana {{ tahun }} yang dilaksanakan pada hari "
            "{{ musrenbang.hari_tanggal }} bertempat di {{ musrenbang.tempat }}, dengan lampiran "
            "sebagai berikut:"
        ],
    )
    table = grid_table(doc, ["No", "Uraian", "Jumlah/Keterangan"], size=11)
    item_rows(
        table,
        "b",
        "berkas",
        [("{{ b.no }}", "center"), ("{{ b.uraian }}", "left"), ("{{ b.jumlah }}", "left")],
        11,
        0,
    )
    widths(table, [1.0, 8.5, 7.0])
    para(doc, "", after=6)
    body_text(
        doc,
        [
            "Usulan yang disampaikan berjumlah {{ usulan_ringkas }}, berasal dari "
            "{{ asal_ringkas }}.",
            "Demikian disampaikan untuk dapat dipergunakan sebagaimana mestinya. Atas perhatian "
            "Bapak diucapkan terima kasih.",
        ],
    )
    camat_signature(doc, ["{{ camat.jabatan }},"])
    tembusan(doc, ["Arsip."])
    footer(doc)
    return doc


def daftar_hadir_kecamatan() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop(doc, desa=False)
    title_block(doc, "DAFTAR HADIR", after=10)
    info_table(
        doc,
        [
            ("Kecamatan", "{{ kecamatan.nama }}"),
            ("{{ kabupaten.jenis }}", "{{ kabupaten.nama_pendek }}"),
            ("Hari/Tanggal", "{{ musrenbang.hari_tanggal }}"),
            ("Jam", "{{ musrenbang.jam }}"),
            ("Tempat", "{{ musrenbang.tempat }}"),
            ("Alamat", "{{ musrenbang.alamat }}"),
        ],
        label_cm=3.5,
    )
    para(doc, "", after=6)
    camat_signature(
        doc,
        ["{{ tempat_tanggal_ttd }}", "Mengetahui,", "{{ camat.jabatan }}"],
        under=attendance_table(doc),
    )
    footer(doc)
    return doc


def berita_acara_kecamatan() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop(doc, desa=False)
    title_block(doc, "BERITA ACARA")
    para(doc, "Nomor: {{ nomor_berita_acara }}", size=12, align="center", after=12)
    body_text(
        doc,
        [
            "Pada hari ini {{ musrenbang.hari }} tanggal {{ musrenbang.tanggal_kata }} bulan "
            "{{ musrenbang.bulan }} tahun {{ musrenbang.tahun_kata }} "
            "({{ musrenbang.tanggal_angka }}), pukul {{ musrenbang.jam }}, bertempat di "
            "{{ musrenbang.tempat }}, {{ musrenbang.alamat }}, telah dilaksanakan Musyawarah "
            "Perencanaan Pembangunan (Musrenbang) Kecamatan {{ kecamatan.nama }}, "
            "{{ kabupaten.nama }}, untuk membahas dan menyepakati usulan rencana pembangunan dari "
            "desa/kelurahan dan UPT/instansi di Kecamatan {{ kecamatan.nama }} untuk Tahun "
            "Rencana {{ tahun }}.",
            "Musrenbang Kecamatan dihadiri oleh {{ hadir.jumlah }} ({{ hadir.jumlah_kata }}) orang "
            "peserta, terdiri atas {{ hadir.l }} ({{ hadir.l_kata }}) orang laki-laki dan "
            "{{ hadir.p }} ({{ hadir.p_kata }}) orang perempuan, sebagaimana tercantum dalam "
            "daftar hadir terlampir.",
            "Sidang dipimpin oleh {{ pimpinan_sidang }} selaku pimpinan sidang, dengan notulen "
            "{{ notulen }}. Usulan yang dibahas berjumlah {{ keputusan.jumlah_usulan }} "
            "({{ keputusan.jumlah_usulan_kata }}) usulan, terdiri atas {{ asal_ringkas }}. "
            "Musyawarah menyepakati hal-hal sebagai berikut:",
        ],
    )
    numbered(doc, keputusan_items("dengan urutan prioritas dan OPD tujuan"))
    para(doc, "{%p if keputusan.belum %}")
    para(
        doc,
        "Sebanyak {{ keputusan.belum }} ({{ keputusan.belum_kata }}) usulan belum diputuskan.",
        align="justify",
        after=4,
        indent_cm=0.8,
    )
    para(doc, "{%p endif %}")
    penutup_berita_acara(doc)
    signature_grid(doc)

    lampiran_section(doc, "I", "DAFTAR USULAN YANG DISEPAKATI (BERDASARKAN PRIORITAS)")
    columns: list[UsulanColumn] = [
        ("Prioritas", "{{ u.prioritas }}", "center", 1.8),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.9),
        ("Desa/Kelurahan / Asal", "{{ u.asal_judul }}", "left", 3.0),
        ("Bidang", "{{ u.bidang }}", "left", 3.0),
        ("Kegiatan", "{{ u.kegiatan }}{{ u.revisi_catatan }}", "left", 4.3),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.3),
        ("Volume", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 1.8),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.8),
        ("OPD Tujuan", "{{ u.opd_tujuan }}", "left", 2.8),
    ]
    table = usulan_table(doc, "disepakati", columns, keep_last=2)
    jumlah_row(table, len(columns) - 2, "{{ jumlah_disepakati_rupiah }}")
    widths(table, [c[3] for c in columns])
    assert abs(sum(c[3] for c in columns) - LANDSCAPE_WIDTH) < 0.05

    lampiran_section(doc, "II", "DAFTAR USULAN YANG BELUM DISEPAKATI")
    columns = [
        ("No", "{{ u.no }}", "center", 1.0),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.9),
        ("Desa/Kelurahan / Asal", "{{ u.asal_judul }}", "left", 3.0),
        ("Bidang", "{{ u.bidang }}", "left", 3.0),
        ("Kegiatan", "{{ u.kegiatan }}", "left", 4.4),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.4),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.8),
        ("Alasan", "{{ u.catatan }}", "left", 5.2),
    ]
    table = usulan_table(doc, "ditolak", columns)
    widths(table, [c[3] for c in columns])
    assert abs(sum(c[3] for c in columns) - LANDSCAPE_WIDTH) < 0.05
    footer(doc)
    return doc


_RINGKASAN = [
    ("Usulan", "{{ r.jumlah }}", 2.6),  # wide enough for `belum mengirim` on one line
    ("Diterima", "{{ r.diterima }}", 1.8),
    ("Diterima dgn Revisi", "{{ r.revisi }}", 2.0),
    ("Ditolak", "{{ r.ditolak }}", 1.7),
    ("Belum Diputuskan", "{{ r.belum }}", 2.2),
    ("Biaya Semula (disepakati)", "{{ r.biaya_rupiah }}", 3.2),
    ("Biaya Disepakati", "{{ r.biaya_disepakati_rupiah }}", 3.2),
]


def _summary_table(doc: object, loop: str, lead: list[tuple[str, str, float]]) -> None:
    """A recap view: leading label columns, then counts and costs, then a JUMLAH row kept
    with the last rows."""
    table = grid_table(doc, [c[0] for c in lead] + [c[0] for c in _RINGKASAN], size=9)
    item_rows(
        table,
        "r",
        loop,
        [(text, "center" if idx == 0 else "left") for idx, (_label, text, _cm) in enumerate(lead)]
        + [(text, "right") for _label, text, _cm in _RINGKASAN],
        9,
        1000,  # a recap view is short: all of it on one page, with its JUMLAH
    )
    row = table.add_row()
    cant_split(row)
    merged = span(row, 0, len(lead) - 1)
    cell_text(merged, "JUMLAH", bold=True, size=9, align="center")
    for idx, (_label, text, _cm) in enumerate(_RINGKASAN, len(lead)):
        cell_text(row.cells[idx], text.replace("r.", "jumlah."), bold=True, size=9, align="right")
    widths(table, [c[2] for c in lead] + [c[2] for c in _RINGKASAN])


def _paraf_dan_camat(table: Table) -> None:
    """The Sekcam's paraf (name and NIP) on the left, the Camat's signature (date, name,
    NIP) on the right: the closing row of the usulan table, kept with its total."""
    sign = closing_row(table).add_table(rows=1, cols=3)
    no_borders(sign)
    box = sign.rows[0].cells[0].add_table(rows=4, cols=1)
    box.style = "Table Grid"
    cell_text(box.rows[0].cells[0], "Paraf Sekretaris Camat", bold=True, size=9, align="center")
    shade(box.rows[0].cells[0], "F2F2F2")
    row_height(box.rows[1], 1.4)
    cell_text(box.rows[1].cells[0], "", size=9)
    cell_text(box.rows[2].cells[0], "{{ sekcam.nama }}", size=9, align="center")
    cell_text(box.rows[3].cells[0], "{{ sekcam.nip_baris }}", size=9, align="center")
    for row in box.rows:
        cant_split(row)
    widths(box, [5.5])
    cell_text(sign.rows[0].cells[1], "", size=12)
    signature(
        sign.rows[0].cells[2],
        ["{{ tempat_tanggal_rekap }}", "{{ camat.jabatan }}"],
        "{{ camat.nama }}",
        "{{ camat.nip_baris }}",
    )
    cant_split(sign.rows[0])
    widths(sign, [6.2, 9.1, 10.0])


def rekap_usulan_kecamatan() -> Document:  # type: ignore[valid-type]
    doc = new_document(landscape=True)
    kop(doc, desa=False, width=LANDSCAPE_WIDTH)
    title_block(doc, "REKAPITULASI USULAN", after=8)
    info_table(
        doc,
        [
            ("{{ kabupaten.jenis }}", "{{ kabupaten.nama_pendek }}"),
            ("Tanggal Musrenbang", "{{ musrenbang.hari_tanggal }}"),
            ("Desa/Kelurahan", "{{ desa_terkirim }} telah mengirim usulan"),
            ("Jumlah Usulan", "{{ ringkasan }}"),
            ("Jumlah Biaya", "{{ ringkasan_biaya }}"),
        ],
        label_cm=4.5,
    )
    heading(doc, "A. REKAP PER DESA/KELURAHAN DAN UPT/INSTANSI", before=8)
    _summary_table(
        doc,
        "per_desa",
        [("No", "{{ r.no }}", 0.9), ("Desa/Kelurahan / UPT", "{{ r.nama }}", 4.5),
         ("Jenis", "{{ r.jenis }}", 2.2)],
    )  # fmt: skip
    heading(doc, "B. REKAP PER BIDANG", before=10)
    _summary_table(doc, "per_bidang", [("No", "{{ r.no }}", 0.9), ("Bidang", "{{ r.nama }}", 6.7)])
    heading(doc, "C. REKAP PER OPD TUJUAN", before=10)
    _summary_table(doc, "per_opd", [("No", "{{ r.no }}", 0.9), ("OPD Tujuan", "{{ r.nama }}", 6.7)])

    heading(doc, "D. DAFTAR USULAN PER DESA/KELURAHAN DAN UPT/INSTANSI", before=10)
    columns: list[UsulanColumn] = [
        ("No", "{{ u.no }}", "center", 0.8),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.5),
        ("Bidang", "{{ u.bidang }}", "left", 2.3),
        ("Kegiatan", "{{ u.kegiatan }}", "left", 3.2),
        ("Lokasi", "{{ u.lokasi }}", "left", 1.9),
        ("Volume Satuan", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 1.8),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.6),
        ("Sumber Dana", "{{ u.sumber_dana }}", "left", 1.7),
        ("OPD Tujuan", "{{ u.opd_tujuan }}", "left", 2.4),
        ("Prioritas", "{{ u.prioritas }}", "center", 1.5),
        ("Keputusan", "{{ u.keputusan }}", "left", 1.9),
        ("Catatan", "{{ u.catatan }}", "left", 2.1),
    ]
    assert abs(sum(c[3] for c in columns) - LANDSCAPE_WIDTH) < 0.05
    _paraf_dan_camat(grouped_usulan_table(doc, columns, "judul", size=8))
    footer(doc)
    return doc
