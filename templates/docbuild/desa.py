"""Templates of the desa documents: Daftar Hadir, Berita Acara, Kompilasi Usulan."""

from __future__ import annotations

from docx import Document

from .blocks import (
    LANDSCAPE_WIDTH,
    UsulanColumn,
    attendance_table,
    body_text,
    grouped_usulan_table,
    info_table,
    jumlah_row,
    keputusan_items,
    kop,
    lampiran_section,
    numbered,
    penutup_berita_acara,
    signature_grid,
    signature_row,
    title_block,
    usulan_table,
)
from .primitives import footer, keep_next, new_document, para, widths


def daftar_hadir() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop(doc, desa=True)
    title_block(doc, "DAFTAR HADIR", after=10)
    info_table(
        doc,
        [
            ("{{ desa.level }}", "{{ desa.nama }}"),
            ("Kecamatan", "{{ kecamatan.nama }}"),
            ("Hari/Tanggal", "{{ musrenbang.hari_tanggal }}"),
            ("Jam", "{{ musrenbang.jam }}"),
            ("Tempat", "{{ musrenbang.tempat }}"),
            ("Alamat", "{{ musrenbang.alamat }}"),
        ],
        label_cm=3.5,
    )
    para(doc, "", after=6)
    signature_row(
        attendance_table(doc),
        ["{{ tempat_tanggal_ttd }}", "Mengetahui,", "{{ desa.jabatan_kepala }} {{ desa.nama }}"],
        "{{ kepala.nama }}",
        "{{ kepala.nip_baris }}",
        [7.6, 8.5],
    )
    footer(doc)
    return doc


def berita_acara() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop(doc, desa=True)
    title_block(doc, "BERITA ACARA", after=12)
    body_text(
        doc,
        [
            "Pada hari ini {{ musrenbang.hari }} tanggal {{ musrenbang.tanggal_kata }} bulan "
            "{{ musrenbang.bulan }} tahun {{ musrenbang.tahun_kata }} "
            "({{ musrenbang.tanggal_angka }}), pukul {{ musrenbang.jam }}, bertempat di "
            "{{ musrenbang.tempat }}, {{ musrenbang.alamat }}, telah dilaksanakan Musyawarah "
            "Perencanaan Pembangunan (Musrenbang) {{ desa.level }} {{ desa.nama }}, Kecamatan "
            "{{ kecamatan.nama }}, {{ kabupaten.nama }}, untuk membahas dan menyepakati usulan "
            "rencana pembangunan {{ desa.level }} Tahun {{ tahun }}.",
            "Musrenbang {{ desa.level }} dihadiri oleh {{ hadir.jumlah }} ({{ hadir.jumlah_kata }}) "
            "orang peserta, terdiri atas {{ hadir.l }} ({{ hadir.l_kata }}) orang laki-laki dan "
            "{{ hadir.p }} ({{ hadir.p_kata }}) orang perempuan, sebagaimana tercantum dalam "
            "daftar hadir terlampir.",
            "Musyawarah dipimpin oleh {{ pimpinan_rapat }} selaku pimpinan rapat, dengan notulen "
            "{{ notulen }}. Dari {{ keputusan.jumlah_usulan }} ({{ keputusan.jumlah_usulan_kata }}) "
            "usulan yang dibahas, musyawarah menyepakati hal-hal sebagai berikut:",
        ],
    )
    keep_next(numbered(doc, keputusan_items("dengan urutan prioritas"))[-1])
    penutup_berita_acara(doc)
    signature_grid(doc)

    # Lampiran I: agreed usulan by priority; Lampiran II: not agreed, with reasons
    lampiran_section(doc, "I", "DAFTAR USULAN YANG DISEPAKATI (BERDASARKAN PRIORITAS)")
    columns: list[UsulanColumn] = [
        ("Prioritas", "{{ u.prioritas }}", "center", 1.8),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.9),
        ("Asal", "{{ u.asal }}", "left", 2.4),
        ("Bidang", "{{ u.bidang }}", "left", 3.6),
        ("Kegiatan", "{{ u.kegiatan }}{{ u.revisi_catatan }}", "left", 5.9),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.8),
        ("Volume", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 2.3),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 3.0),
    ]
    table = usulan_table(
        doc, "disepakati", columns, "Tidak ada usulan yang disepakati.", keep_last=2
    )
    jumlah_row(table, len(columns) - 1, "{{ jumlah_disepakati_rupiah }}")
    widths(table, [c[3] for c in columns])
    assert abs(sum(c[3] for c in columns) - LANDSCAPE_WIDTH) < 0.05

    lampiran_section(doc, "II", "DAFTAR USULAN YANG BELUM DISEPAKATI")
    columns = [
        ("No", "{{ u.no }}", "center", 1.0),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.9),
        ("Asal", "{{ u.asal }}", "left", 2.4),
        ("Bidang", "{{ u.bidang }}", "left", 3.6),
        ("Kegiatan", "{{ u.kegiatan }}", "left", 4.6),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.6),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 3.0),
        ("Alasan", "{{ u.catatan }}", "left", 4.6),
    ]
    table = usulan_table(doc, "ditolak", columns, "Tidak ada usulan yang ditolak.")
    widths(table, [c[3] for c in columns])
    assert abs(sum(c[3] for c in columns) - LANDSCAPE_WIDTH) < 0.05
    footer(doc)
    return doc


def kompilasi() -> Document:  # type: ignore[valid-type]
    doc = new_document(landscape=True)
    kop(doc, desa=True, width=LANDSCAPE_WIDTH)
    title_block(doc, "KOMPILASI USULAN", after=8)
    info_table(
        doc,
        [
            ("Kecamatan", "{{ kecamatan.nama }}"),
            ("Tanggal Musrenbang", "{{ musrenbang.hari_tanggal }}"),
            ("Jumlah Usulan", "{{ ringkasan }}"),
            ("Jumlah Biaya", "{{ ringkasan_biaya }}"),
        ],
        label_cm=4.5,
    )
    para(doc, "", after=6)
    columns: list[UsulanColumn] = [
        ("No", "{{ u.no }}", "center", 0.9),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.9),
        ("Asal", "{{ u.asal }}", "left", 2.2),
        ("Kegiatan", "{{ u.kegiatan }}", "left", 3.9),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.2),
        ("Volume Satuan", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 1.9),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.8),
        ("Sumber Dana", "{{ u.sumber_dana }}", "left", 1.9),
        ("Prioritas", "{{ u.prioritas }}", "center", 1.6),
        ("Keputusan", "{{ u.keputusan }}", "left", 2.0),
        ("Catatan", "{{ u.catatan }}", "left", 2.4),
    ]
    assert abs(sum(c[3] for c in columns) - LANDSCAPE_WIDTH) < 0.05
    signature_row(
        grouped_usulan_table(doc, columns, "bidang", size=9),
        ["{{ tempat_tanggal_ttd }}", "{{ desa.jabatan_kepala }} {{ desa.nama }}"],
        "{{ kepala.nama }}",
        "{{ kepala.nip_baris }}",
        [15.3, 10.0],
    )
    footer(doc)
    return doc
