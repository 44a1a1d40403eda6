"""Templates of the kecamatan documents: Surat Pemberitahuan, Daftar Hadir, Berita Acara,
Rekap Usulan, Surat Pengantar."""

from __future__ import annotations

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT

from .blocks import (
    UsulanColumn,
    _keputusan_items,
    attendance_table,
    body_text,
    camat_signature,
    grid_table,
    grouped_usulan_table,
    heading,
    info_table,
    item_row,
    jumlah_row,
    kop_kecamatan,
    label_table,
    lampiran_heading,
    landscape_section,
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
    loop_row,
    new_document,
    no_borders,
    page_break,
    para,
    row_height,
    shade,
    span,
    widths,
)


def surat_pemberitahuan_desa() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop_kecamatan(doc)
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
            "mengundang unsur masyarakat (kepala dusun/lingkungan, BPD, LPM, PKK, Karang Taruna, "
            "tokoh agama, tokoh masyarakat dan perwakilan perempuan), serta menyampaikan hasilnya "
            "(berita acara, daftar hadir dan kompilasi usulan) kepada Camat paling lambat "
            "{{ batas_hari_kerja }} ({{ batas_hari_kerja_kata }}) hari kerja setelah pelaksanaan.",
            "Demikian disampaikan, atas perhatian dan kerja sama Saudara diucapkan terima kasih.",
        ],
    )
    para(doc, "", after=6)
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
    kop_kecamatan(doc)
    letter_head(
        doc,
        "{{ nomor_surat }}",
        "1 (satu) berkas",
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
            "{{ musrenbang.hari_tanggal }} bertempat di {{ musrenbang.tempat }}, dengan rincian "
            "sebagai berikut:"
        ],
    )
    table = grid_table(doc, ["No", "Uraian", "Jumlah/Keterangan"], size=11)
    loop_row(table, "{%tr for b in berkas %}")
    item_row(
        table,
        [("{{ b.no }}", "center"), ("{{ b.uraian }}", "left"), ("{{ b.jumlah }}", "left")],
        11,
    )
    loop_row(table, "{%tr endfor %}")
    widths(table, [1.0, 8.5, 7.0])
    para(doc, "", after=6)
    body_text(
        doc,
        [
            "Usulan tersebut berasal dari {{ asal_ringkas }}. Data dan dokumen elektronik "
            "disampaikan pula dalam berkas {{ paket }}.",
            "Demikian disampaikan untuk dapat dipergunakan sebagaimana mestinya. Atas perhatian "
            "Bapak diucapkan terima kasih.",
        ],
    )
    para(doc, "", after=6)
    camat_signature(doc, ["{{ camat.jabatan }},"])
    tembusan(doc, ["Arsip."])
    footer(doc)
    return doc


def daftar_hadir_kecamatan() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop_kecamatan(doc)
    title_block(doc, "DAFTAR HADIR", after=10)
    info_table(
        doc,
        [
            ("Kecamatan", "{{ kecamatan.nama }}"),
            ("Kabupaten", "{{ kabupaten.nama }}"),
            ("Hari/Tanggal", "{{ musrenbang.hari_tanggal }}"),
            ("Jam", "{{ musrenbang.jam }}"),
            ("Tempat", "{{ musrenbang.tempat }}"),
            ("Alamat", "{{ musrenbang.alamat }}"),
        ],
        label_cm=3.5,
    )
    para(doc, "", after=6)
    attendance_table(doc)
    para(doc, "", after=12)
    camat_signature(doc, ["{{ tempat_tanggal_ttd }}", "Mengetahui,", "{{ camat.jabatan }}"])
    footer(doc)
    return doc


def berita_acara_kecamatan() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop_kecamatan(doc)
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
    numbered(doc, _keputusan_items("dengan urutan prioritas dan OPD tujuan"))
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
    signature_grid(
        doc,
        [
            (["Pimpinan Sidang,"], "{{ pimpinan_sidang }}", None),
            (["Notulen,"], "{{ notulen }}", None),
        ],
        [(["Mengetahui,", "{{ camat.jabatan }}"], "{{ camat.nama }}", "{{ camat.nip_baris }}")],
    )

    landscape_section(doc)
    lampiran_heading(doc, "LAMPIRAN I", "DAFTAR USULAN YANG DISEPAKATI (BERDASARKAN PRIORITAS)")
    columns: list[UsulanColumn] = [
        ("Prio-ritas", "{{ u.prioritas }}", "center", 1.3),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.6),
        ("Desa/Kelurahan / Asal", "{{ u.asal_judul }}", "left", 3.0),
        ("Bidang", "{{ u.bidang }}", "left", 3.0),
        ("Kegiatan", "{{ u.kegiatan }}{{ u.revisi_catatan }}", "left", 4.6),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.4),
        ("Volume", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 1.7),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.7),
        ("OPD Tujuan", "{{ u.opd_tujuan }}", "left", 3.4),
    ]
    table = usulan_table(doc, "disepakati", columns)
    jumlah_row(table, len(columns) - 2, "{{ jumlah_disepakati_rupiah }}", keep=True)
    widths(table, [c[3] for c in columns])
    page_break(doc)
    lampiran_heading(doc, "LAMPIRAN II", "DAFTAR USULAN YANG BELUM DISEPAKATI")
    columns = [
        ("No", "{{ u.no }}", "center", 1.0),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.6),
        ("Desa/Kelurahan / Asal", "{{ u.asal_judul }}", "left", 3.2),
        ("Bidang", "{{ u.bidang }}", "left", 3.2),
        ("Kegiatan", "{{ u.kegiatan }}", "left", 4.8),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.6),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.6),
        ("Alasan", "{{ u.catatan }}", "left", 4.7),
    ]
    table = usulan_table(doc, "ditolak", columns)
    widths(table, [c[3] for c in columns])
    footer(doc)
    return doc


_RINGKASAN = [
    ("Usulan", "{{ r.jumlah }}", 1.6),
    ("Diterima", "{{ r.diterima }}", 1.8),
    ("Diterima dgn Revisi", "{{ r.revisi }}", 2.0),
    ("Ditolak", "{{ r.ditolak }}", 1.7),
    ("Belum Diputus-kan", "{{ r.belum }}", 1.8),
    ("Biaya Semula (disepakati)", "{{ r.biaya_rupiah }}", 3.2),
    ("Biaya Disepakati", "{{ r.biaya_disepakati_rupiah }}", 3.2),
]


def _summary_table(doc: object, loop: str, lead: list[tuple[str, str, float]]) -> None:
    """A recap view: leading label columns, then counts and costs, then a JUMLAH row."""
    table = grid_table(doc, [c[0] for c in lead] + [c[0] for c in _RINGKASAN], size=9)
    loop_row(table, f"{{%tr for r in {loop} %}}")
    item_row(
        table,
        [(text, "center" if idx == 0 else "left") for idx, (_label, text, _cm) in enumerate(lead)]
        + [(text, "right") for _label, text, _cm in _RINGKASAN],
        9,
    )
    loop_row(table, "{%tr endfor %}")
    row = table.add_row()
    cant_split(row)
    merged = span(row, 0, len(lead) - 1)
    cell_text(merged, "JUMLAH", bold=True, size=9, align="center")
    for idx, (_label, text, _cm) in enumerate(_RINGKASAN, len(lead)):
        cell_text(row.cells[idx], text.replace("r.", "jumlah."), bold=True, size=9, align="right")
    widths(table, [c[2] for c in lead] + [c[2] for c in _RINGKASAN])


def rekap_usulan_kecamatan() -> Document:  # type: ignore[valid-type]
    doc = new_document(landscape=True)
    kop_kecamatan(doc)
    title_block(doc, "REKAPITULASI USULAN", after=8)
    info_table(
        doc,
        [
            ("Kabupaten", "{{ kabupaten.nama }}"),
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
        [("No", "{{ r.no }}", 0.9), ("Desa/Kelurahan / UPT", "{{ r.nama }}", 5.5),
         ("Jenis", "{{ r.jenis }}", 2.2)],
    )  # fmt: skip
    heading(doc, "B. REKAP PER BIDANG", before=10)
    _summary_table(doc, "per_bidang", [("No", "{{ r.no }}", 0.9), ("Bidang", "{{ r.nama }}", 7.7)])
    heading(doc, "C. REKAP PER OPD TUJUAN", before=10)
    _summary_table(doc, "per_opd", [("No", "{{ r.no }}", 0.9), ("OPD Tujuan", "{{ r.nama }}", 7.7)])

    page_break(doc)
    heading(doc, "D. DAFTAR USULAN PER DESA/KELURAHAN DAN UPT/INSTANSI", before=0)
    grouped_usulan_table(
        doc,
        [
            ("No", "{{ u.no }}", "center", 0.9),
            ("Kode Usulan", "{{ u.kode }}", "left", 3.1),
            ("Bidang", "{{ u.bidang }}", "left", 2.4),
            ("Kegiatan", "{{ u.kegiatan }}", "left", 3.5),
            ("Lokasi", "{{ u.lokasi }}", "left", 1.9),
            ("Volume Satuan", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 1.6),
            ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.9),
            ("Sumber Dana", "{{ u.sumber_dana }}", "left", 1.7),
            ("OPD Tujuan", "{{ u.opd_tujuan }}", "left", 2.5),
            ("Prio-ritas", "{{ u.prioritas }}", "center", 1.1),
            ("Keputusan", "{{ u.keputusan }}", "left", 1.9),
            ("Catatan", "{{ u.catatan }}", "left", 2.2),
        ],
        "judul",
        size=8,
    )

    para(doc, "", after=12)
    sign = doc.add_table(rows=1, cols=3)
    no_borders(sign)
    box = sign.rows[0].cells[0].add_table(rows=3, cols=1)
    box.style = "Table Grid"
    cell_text(box.rows[0].cells[0], "Paraf Sekretaris Camat", bold=True, size=9, align="center")
    shade(box.rows[0].cells[0], "F2F2F2")
    row_height(box.rows[1], 1.4)
    cell_text(box.rows[1].cells[0], "", size=9)
    cell_text(box.rows[2].cells[0], "{{ sekcam.nama }}", size=9, align="center")
    widths(box, [5.0])
    cell_text(sign.rows[0].cells[1], "", size=12)
    signature(
        sign.rows[0].cells[2],
        ["{{ tempat_ttd }}", "{{ camat.jabatan }}"],
        "{{ camat.nama }}",
        "{{ camat.nip_baris }}",
    )
    cant_split(sign.rows[0])
    widths(sign, [6.0, 9.7, 10.0])
    footer(doc)
    return doc
