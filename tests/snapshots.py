"""DesaSnapshot builders for document tests and the benchmark: realistic and hostile data."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from pipeline.core.jejak import digest
from pipeline.core.models import DesaSnapshot, IdentitasDesa, Peserta, Usulan, Wilayah
from pipeline.core.standard import BIDANG, SUMBER_DANA, UNSUR, Keputusan, Tahap

KECAMATAN = Wilayah(kode="12.05.01", nama="Bahorok")
KABUPATEN = Wilayah(kode="12.05", nama="Kabupaten Langkat")
DESA = Wilayah(kode="12.05.01.2002", nama="Lau Damak")
KELURAHAN = Wilayah(kode="12.05.01.1001", nama="Pekan Bahorok")

DEPAN_L = ["Ahmad", "Budi", "Darmawan", "Eko", "Fajar", "Hendra", "Iwan", "Joko", "Rudi", "Syahrul"]
DEPAN_P = ["Siti", "Dewi", "Rina", "Sri", "Nurhayati", "Lestari", "Maya", "Yuni", "Ratna", "Wati"]
BELAKANG = ["Sembiring", "Ginting", "Tarigan", "Nasution", "Lubis", "Harahap", "Siregar", "Purba"]
KEGIATAN = {
    BIDANG[0]: ["Pengadaan komputer kantor desa", "Pelatihan aparatur desa", "Papan informasi"],
    BIDANG[1]: [
        "Pembangunan jalan rabat beton",
        "Rehabilitasi saluran drainase",
        "Pembangunan jembatan titi",
        "Penerangan jalan umum tenaga surya",
        "Pembangunan sumur bor",
    ],
    BIDANG[2]: ["Pembinaan karang taruna", "Kegiatan keagamaan", "Pembinaan PKK"],
    BIDANG[3]: ["Pelatihan menjahit", "Bantuan bibit jagung", "Pelatihan kader posyandu"],
    BIDANG[4]: ["Penanganan banjir", "Pengadaan alat pemadam", "Cadangan pangan"],
}
SATUAN = ["m", "unit", "paket", "orang", "titik", "kegiatan"]


def identitas(desa: Wilayah = DESA, tahap: Tahap = Tahap.VERIFIKASI) -> IdentitasDesa:
    return IdentitasDesa(
        kode=desa.kode,
        nama=desa.nama,
        kecamatan=KECAMATAN.nama,
        tahun=2027,
        tahap=tahap,
        tanggal_musrenbang=dt.date(2026, 1, 13),
        jam_mulai="09.00",
        tempat="Balai Desa " + desa.nama,
        alamat="Jl. Pendidikan No. 1, Dusun I",
        nama_kepala="Sudirman Sembiring",
        nip_kepala="198703122010011002" if desa.level == "kelurahan" else None,
        pimpinan_rapat="Ketua BPD Rahmat Ginting",
        notulen="Dewi Lestari Tarigan",
        peserta_l=35,
        peserta_p=25,
    )


def peserta(n: int = 60, seed: int = 1) -> list[Peserta]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        female = i % 5 in (1, 3)
        depan = rng.choice(DEPAN_P if female else DEPAN_L)
        rows.append(
            Peserta(
                nama=f"{depan} {rng.choice(BELAKANG)}",
                jenis_kelamin="P" if female else "L",
                unsur=rng.choice(UNSUR),
                jabatan=rng.choice(["Dusun I", "Dusun II", "Ketua", "Anggota", None]),
                alamat=f"Dusun {rng.randint(1, 6)}",
                no_hp=f"08{rng.randint(1000000000, 9999999999)}",
            )
        )
    return rows


def usulan(desa: Wilayah = DESA, n: int = 40, seed: int = 1) -> list[Usulan]:
    """n usulan over the five bidang: most accepted with unique priorities, some rejected."""
    rng = random.Random(seed)
    rows = []
    prioritas = 0
    for i in range(n):
        bidang = BIDANG[i % len(BIDANG)]
        if i % 8 == 7:
            keputusan, catatan = Keputusan.DITOLAK, "Bukan kewenangan desa; diusulkan ke OPD"
        elif i % 8 == 3:
            keputusan, catatan = Keputusan.REVISI, "Volume dikurangi sesuai pagu"
        else:
            keputusan, catatan = Keputusan.DITERIMA, None
        prio = None
        if keputusan is not Keputusan.DITOLAK:
            prioritas += 1
            prio = prioritas
        u = Usulan(
            kode_usulan=f"{desa.kode}-2027-{i + 1:03d}",
            asal=rng.choice(["Dusun I", "Dusun II", "Dusun III", "Desa"]),
            bidang=bidang,
            kegiatan=rng.choice(KEGIATAN[bidang]),
            lokasi=f"Dusun {rng.randint(1, 6)}",
            volume=Decimal(rng.choice(["1", "2", "150", "2.5", "300"])),
            satuan=rng.choice(SATUAN),
            biaya=rng.randint(5, 400) * 1_000_000 + rng.choice([0, 250_000, 500_000]),
            sumber_dana=rng.choice(SUMBER_DANA),
            pm_l=rng.randint(10, 200),
            pm_p=rng.randint(10, 200),
            prioritas=prio,
            keputusan=keputusan,
            catatan=catatan,
        )
        # revisions agree on less: volume and cost, or the cost alone
        if keputusan is Keputusan.REVISI:
            assert u.volume is not None and u.biaya is not None
            u.biaya_disepakati = u.biaya * 4 // 5 // 1000 * 1000
            if i % 16 == 3:
                u.volume_disepakati = u.volume / 2
        rows.append(u)
    return rows


def realistic(
    desa: Wilayah = DESA,
    tahap: Tahap = Tahap.VERIFIKASI,
    n_usulan: int = 40,
    n_peserta: int = 60,
    seed: int = 1,
) -> DesaSnapshot:
    snap = DesaSnapshot(
        desa=desa,
        kecamatan=KECAMATAN,
        kabupaten=KABUPATEN,
        tahun=2027,
        tahap=tahap,
        identitas=identitas(desa, tahap),
        peserta=peserta(n_peserta, seed),
        usulan=usulan(desa, n_usulan, seed),
    )
    # a jejak as the ledger's would be: a digest of the state (no ledger behind these)
    return snap.model_copy(update={"jejak": digest(snap.model_dump(mode="json"))})


HOSTILE_BITS = [
    "A & B <jalan> \"kutip\" 'tunggal'",
    "{{ kop.pemerintah }} {% for x in y %}",
    "{%p if true %} {%tr endfor %} {_{ }_} {#komentar#}",
    "Ñoño Ṡiṫi 王 Đặng",
    "kontrol\x00\x01\x07\x0b\x0c\x1b\ufffe akhir",
    "=SUM(A1:A9)",
    "]]> <![CDATA[ x ]]> &amp; &#x41;",
]
LONG_TEXT = ("Rehabilitasi jalan & drainase <lingkungan> " * 120)[:5000]


def hostile(tahap: Tahap = Tahap.VERIFIKASI) -> DesaSnapshot:
    """Every string field carries markup, template tags, control characters or odd Unicode."""
    base = realistic(tahap=tahap, n_usulan=10, n_peserta=6)
    ident = base.identitas.model_copy(
        update={
            "tempat": HOSTILE_BITS[0],
            "alamat": HOSTILE_BITS[1],
            "nama_kepala": HOSTILE_BITS[3],
            "pimpinan_rapat": HOSTILE_BITS[2],
            "notulen": HOSTILE_BITS[4],
            "jam_mulai": "09.00 <WIB>",
        }
    )
    peserta = [
        p.model_copy(update={"nama": HOSTILE_BITS[i % len(HOSTILE_BITS)], "alamat": LONG_TEXT})
        for i, p in enumerate(base.peserta)
    ]
    usulan = [
        u.model_copy(
            update={
                "kegiatan": HOSTILE_BITS[i % len(HOSTILE_BITS)],
                "lokasi": HOSTILE_BITS[(i + 3) % len(HOSTILE_BITS)],
                "catatan": LONG_TEXT if i == 7 else u.catatan,
                "satuan": "m²",
            }
        )
        for i, u in enumerate(base.usulan)
    ]
    desa = Wilayah(kode=DESA.kode, nama="Ñoño & <Siti> 王")
    return base.model_copy(
        update={"desa": desa, "identitas": ident, "peserta": peserta, "usulan": usulan}
    )
