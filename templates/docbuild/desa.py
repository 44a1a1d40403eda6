"""Templates of the desa documents: Daftar Hadir, Berita Acara, Kompilasi Usulan."""

from __future__ import annotations

from docx import Document

from .blocks import (
    UsulanColumn,
    _keputusan_items,
    attendance_table,
    body_text,
    grouped_usulan_table,
    info_table,
    jumlah_row,
    kop,
    lampiran_heading,
    numbered,
    penutup_berita_acara,
    right_signature,
    signature_grid,
    title_block,
    usulan_table,
)
from .primitives import (
    footer,
    new_document,
    page_break,
    para,
    widths,
)


def daftar_hadir() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop(doc)
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
    attendance_table(doc)
    para(doc, "", after=12)
    right_signature(
        doc,
        ["{{ tempat_tanggal_ttd }}", "Mengetahui,", "{{ desa.jabatan_kepala }} {{ desa.nama }}"],
        "{{ kepala.nama }}",
        "{{ kepala.nip_baris }}",
        [7.5, 9.0],
        keep=False,
    )
    footer(doc)
    return doc


def berita_acara() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop(doc)
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
    numbered(doc, _keputusan_items("dengan urutan prioritas"))
    penutup_berita_acara(doc)

    signature_grid(
        doc,
        [
            (["Pimpinan Rapat,"], "{{ pimpinan_rapat }}", None),
            (["Notulen,"], "{{ notulen }}", None),
        ],
        [
            (["Wakil Masyarakat,"], "{{ wakil_masyarakat }}", None),
            (
                ["Mengetahui,", "{{ desa.jabatan_kepala }} {{ desa.nama }}"],
                "{{ kepala.nama }}",
                "{{ kepala.nip_baris }}",
            ),
        ],
    )

    # Lampiran I: agreed usulan by priority
    page_break(doc)
    lampiran_heading(doc, "LAMPIRAN I", "DAFTAR USULAN YANG DISEPAKATI (BERDASARKAN PRIORITAS)")
    columns: list[UsulanColumn] = [
        ("Prio-ritas", "{{ u.prioritas }}", "center", 1.2),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.0),
        ("Bidang", "{{ u.bidang }}", "left", 2.6),
        ("Kegiatan", "{{ u.kegiatan }}{{ u.revisi_catatan }}", "left", 3.6),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.1),
        ("Volume", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 1.6),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.7),
    ]
    table = usulan_table(
        doc, "disepakati", columns, "Tidak ada usulan yang disepakati.", centered=False
    )
    jumlah_row(table, len(columns) - 1, "{{ jumlah_disepakati_rupiah }}", keep=False)
    widths(table, [c[3] for c in columns])

    # Lampiran II: not agreed (Ditolak) with reasons
    page_break(doc)
    lampiran_heading(doc, "LAMPIRAN II", "DAFTAR USULAN YANG BELUM DISEPAKATI")
    columns = [
        ("No", "{{ u.no }}", "center", 1.0),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.0),
        ("Bidang", "{{ u.bidang }}", "left", 2.6),
        ("Kegiatan", "{{ u.kegiatan }}", "left", 3.8),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.3),
        ("Alasan", "{{ u.catatan }}", "left", 4.1),
    ]
    table = usulan_table(doc, "ditolak", columns, "Tidak ada usulan yang ditolak.", centered=False)
    widths(table, [c[3] for c in columns])
    footer(doc)
    return doc


def kompilasi() -> Document:  # type: ignore[valid-type]
    doc = new_document(landscape=True)
    kop(doc)
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
    grouped_usulan_table(
        doc,
        [
            ("No", "{{ u.no }}", "center", 0.9),
            ("Kode Usulan", "{{ u.kode }}", "left", 3.3),
            ("Asal", "{{ u.asal }}", "left", 1.8),
            ("Kegiatan", "{{ u.kegiatan }}", "left", 4.4),
            ("Lokasi", "{{ u.lokasi }}", "left", 2.4),
            ("Volume Satuan", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 1.8),
            ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.7),
            ("Sumber Dana", "{{ u.sumber_dana }}", "left", 1.9),
            ("Prio-ritas", "{{ u.prioritas }}", "center", 1.1),
            ("Keputusan", "{{ u.keputusan }}", "left", 2.0),
            ("Catatan", "{{ u.catatan }}", "left", 3.4),
        ],
        "bidang",
        size=9,
    )
    para(doc, "", after=12)
    right_signature(
        doc,
        ["{{ tempat_tanggal_ttd }}", "{{ desa.jabatan_kepala }} {{ desa.nama }}"],
        "{{ kepala.nama }}",
        "{{ kepala.nip_baris }}",
        [15.0, 10.0],
    )
    footer(doc)
    return doc


# ----------------------------------------------------------------------------- kecamatan
