"""The desa's Usulan sheet: its columns and Kode Usulan, and the rules across its rows.

Required cells, Kode Usulan of this desa and year, duplicates, and the decision rules
(Keputusan, Catatan, Prioritas) from Verifikasi on. The kecamatan checker reuses the rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pipeline.core.models import IdentitasDesa, RawCell, RawRow, RawTable, Usulan, UsulanKecamatan
from pipeline.core.standard import (
    BIDANG,
    KEPUTUSAN_DITERIMA,
    SUMBER_DANA,
    Keputusan,
    UsulanColumn,
    normalise,
)
from pipeline.desa.check_identitas import DESA
from pipeline.desa.check_tingkat import TingkatChecks, bidang_parser, sumber_dana_parser
from pipeline.intake.checks import (
    Found,
    Parser,
    cell_ref,
    choice_parser,
    row_cell,
    text_parser,
    whole_parser,
)
from pipeline.intake.parse import clean_text, is_excel_error, parse_number, parse_rupiah, show

C = UsulanColumn

KODE_USULAN = re.compile(
    r"^(?P<desa>\d{2}\.\d{2}\.\d{2}\.[12]\d{3})-(?P<tahun>\d{4})-(?P<nomor>\d{4})$"
)

FieldSpec = tuple[str, Parser, str]  # (model attribute, parser, issue code when unreadable)

# Usulan column -> (model attribute, parser, issue code for an unreadable value).
USULAN_FIELDS: dict[UsulanColumn, FieldSpec] = {
    C.ASAL: ("asal", text_parser, ""),
    C.BIDANG: ("bidang", choice_parser(BIDANG, "Bidang"), "pilihan-tidak-valid"),
    C.KEGIATAN: ("kegiatan", text_parser, ""),
    C.LOKASI: ("lokasi", text_parser, ""),
    C.VOLUME: ("volume", parse_number, "volume-tidak-valid"),
    C.SATUAN: ("satuan", text_parser, ""),
    C.BIAYA: ("biaya", parse_rupiah, "biaya-tidak-valid"),
    C.SUMBER_DANA: (
        "sumber_dana",
        choice_parser(SUMBER_DANA, "Sumber Dana"),
        "pilihan-tidak-valid",
    ),
    C.PM_L: ("pm_l", whole_parser(0), "angka-tidak-valid"),
    C.PM_P: ("pm_p", whole_parser(0), "angka-tidak-valid"),
    C.PM_RTM: ("pm_rtm", whole_parser(0), "angka-tidak-valid"),
    C.PRIORITAS: ("prioritas", whole_parser(1), "prioritas-tidak-valid"),
    C.KEPUTUSAN: (
        "keputusan",
        choice_parser([k.value for k in Keputusan], "Keputusan"),
        "pilihan-tidak-valid",
    ),
    C.CATATAN: ("catatan", text_parser, ""),
    C.VOLUME_DISEPAKATI: ("volume_disepakati", parse_number, "volume-tidak-valid"),
    C.BIAYA_DISEPAKATI: ("biaya_disepakati", parse_rupiah, "biaya-tidak-valid"),
}
# Required on every usulan at every stage (Prioritas/Keputusan/Catatan: see the decision rules).
USULAN_WAJIB: tuple[UsulanColumn, ...] = (
    C.ASAL,
    C.BIDANG,
    C.KEGIATAN,
    C.LOKASI,
    C.VOLUME,
    C.SATUAN,
    C.BIAYA,
    C.SUMBER_DANA,
)
USULAN_HINTS: dict[UsulanColumn, str] = {
    C.ASAL: "dusun/lingkungan asal usulan, atau Desa/Kelurahan, atau nama lembaga",
    C.BIDANG: "salah satu bidang dari daftar pilihan",
    C.KEGIATAN: "nama kegiatan",
    C.LOKASI: "lokasi (dusun/RT/RW)",
    C.VOLUME: "volume, mis. 150",
    C.SATUAN: "satuan, mis. meter, unit, paket",
    C.BIAYA: "perkiraan biaya dalam rupiah, mis. 15000000",
    C.SUMBER_DANA: "salah satu sumber dana dari daftar pilihan",
    C.PRIORITAS: "nomor prioritas (1 = paling penting)",
    C.KEPUTUSAN: "Diterima, Diterima dengan Revisi, atau Ditolak",
}


class UsulanChecks(TingkatChecks):
    """The Usulan rows of a desa, and the rules across rows any Usulan table follows."""

    def usulan_fields(self) -> dict[UsulanColumn, FieldSpec]:
        """USULAN_FIELDS with the Bidang and Sumber Dana of the workbook's level (of both
        levels when it is unknown, or for a kecamatan)."""
        fields = dict(USULAN_FIELDS)
        bidang = bidang_parser(self.sebutan, self.bidang_kelurahan)
        fields[C.BIDANG] = ("bidang", bidang, "pilihan-tidak-valid")
        dana = sumber_dana_parser(self.sebutan)
        fields[C.SUMBER_DANA] = ("sumber_dana", dana, "pilihan-tidak-valid")
        return fields

    def both_levels(self, fields: Mapping[str, FieldSpec]) -> dict[str, FieldSpec]:
        """`fields` (keyed by label) with Bidang and Sumber Dana of desa and kelurahan alike:
        a kecamatan's rows are of both levels (each is checked against its own)."""
        out = dict(fields)
        both = self.usulan_fields()
        for column in (C.BIDANG, C.SUMBER_DANA):
            out[column.value] = both[column]
        return out

    def usulan_hint(self, column: UsulanColumn) -> str:
        """What to write in an empty cell, in the words of the workbook's level."""
        sb = self.sebutan
        if sb is not None and column is C.ASAL:
            return (
                f"{sb.wilayah_kecil.lower()} asal usulan, atau {sb.asal_sendiri}, atau nama lembaga"
            )
        if sb is not None and column is C.LOKASI:
            return f"lokasi ({sb.lokasi_contoh})"
        return USULAN_HINTS.get(column, column.value)

    def usulan(self, table: RawTable, identitas: IdentitasDesa, missing: set[str]) -> list[Usulan]:
        deciding = identitas.tahap if DESA.reached(identitas.tahap, DESA.deciding) else None
        out: list[Usulan] = []
        troubles: dict[int, set[str]] = {}
        for row, found in self.data_rows(table, self.usulan_fields()):
            kode = self.kode_usulan(table, row, identitas, found)
            if kode:
                found.values["kode_usulan"] = kode
            self.asal_tingkat(table, row.row, found, self.sebutan)
            self.usulan_wajib(table, row.row, found, missing, upt=False)
            troubles[row.row] = found.troubled
            out.append(Usulan(row=row.row, **found.values))
        self.usulan_rules(
            table,
            out,
            troubles,
            missing,
            deciding,
            empty="isi usulan hasil musyawarah",
            double="hapus salah satu bila tercatat dua kali (usulan yang sudah punya Kode "
            "Usulan diberi Keputusan Ditolak dengan alasan 'ganda')",
        )
        return out

    def usulan_wajib(
        self, table: RawTable, row: int, found: Found, missing: set[str], upt: bool
    ) -> None:
        """The columns every usulan needs; on an UPT/instansi row Asal names the UPT."""
        for column in USULAN_WAJIB:
            attr = USULAN_FIELDS[column][0]
            if attr in found.values or column in found.troubled or column in missing:
                continue
            if column is C.ASAL and upt:
                self.add(
                    "wajib-diisi",
                    "Asal Usulan masih kosong; baris tanpa Kode Usulan adalah usulan "
                    "UPT/instansi: isi nama UPT/instansi pengusul, mis. UPT Puskesmas",
                    sheet=table.sheet,
                    cell=cell_ref(table, column.value, row),
                    row=row,
                    column=column.value,
                )
                continue
            self.required(table, row, column, "")

    def usulan_rules(
        self,
        table: RawTable,
        usulan: Sequence[Usulan],
        troubles: dict[int, set[str]],
        missing: set[str],
        deciding: str | None,
        *,
        empty: str,
        double: str,
    ) -> None:
        """Rules across the rows: duplicate kode, decisions (at `deciding` Tahap), duplicates.

        `empty` is the remedy for no usulan at a deciding Tahap, `double` for an usulan
        recorded twice.
        """
        self.duplicate_kode(table, usulan)
        self.disepakati(table, usulan)
        if deciding:
            if not usulan and not missing:  # with columns missing, rows may not be readable
                self.add(
                    "usulan-kosong",
                    f"Tahap {deciding} memerlukan sedikitnya satu usulan; {empty} atau "
                    "kembalikan Tahap ke Pelaksanaan",
                    sheet=table.sheet,
                )
            self.decisions(table, usulan, troubles, missing)
        self.duplicate_usulan(table, usulan, double)

    def disepakati(self, table: RawTable, usulan: Sequence[Usulan]) -> None:
        """Volume/Biaya Disepakati count only for `Diterima dengan Revisi`: elsewhere a
        warning, and the value is ignored (spec/workbooks.md, Revisions)."""
        for u in usulan:
            if u.keputusan is Keputusan.REVISI or u.row is None:
                continue
            for column, attr in (
                (C.VOLUME_DISEPAKATI, "volume_disepakati"),
                (C.BIAYA_DISEPAKATI, "biaya_disepakati"),
            ):
                if getattr(u, attr) is None:
                    continue
                decided = (
                    f"Keputusan '{u.keputusan.value}'" if u.keputusan else "belum ada Keputusan"
                )
                self.add(
                    "disepakati-diabaikan",
                    f"{column.value} hanya berlaku untuk usulan 'Diterima dengan Revisi', "
                    f"sedangkan usulan ini {decided}; nilai itu diabaikan: kosongkan selnya, "
                    "atau pilih Keputusan 'Diterima dengan Revisi'",
                    sheet=table.sheet,
                    cell=cell_ref(table, column.value, u.row),
                    row=u.row,
                    column=column.value,
                )
                setattr(u, attr, None)

    def required(self, table: RawTable, row: int, column: UsulanColumn, why: str) -> None:
        ref = cell_ref(table, column.value, row)
        self.add(
            "wajib-diisi",
            f"{column.value} masih kosong{why}; isi {self.usulan_hint(column)}",
            sheet=table.sheet,
            cell=ref,
            row=row,
            column=column.value,
        )

    def kode_usulan(
        self, table: RawTable, row: RawRow, identitas: IdentitasDesa, found: Found
    ) -> str | None:
        cell = self.kode_cell(table, row, found, galat=False)
        if cell is None:
            return None
        raw, kode = cell
        match = KODE_USULAN.match(kode) if isinstance(raw.value, str) else None
        problem = ""
        if match is None:
            problem = (
                f"{show(raw.value)} bukan Kode Usulan yang sah (bentuknya "
                f"{identitas.kode or '12.05.01.2002'}-{identitas.tahun or 2027}-0001); "
                "kosongkan sel ini bila usulan ini baru, kode diisi oleh sistem"
            )
        elif (identitas.kode and match["desa"] != identitas.kode) or (
            identitas.tahun and int(match["tahun"]) != identitas.tahun
        ):
            wilayah = self.sebutan.wilayah.lower() if self.sebutan else "desa"
            problem = (
                f"Kode Usulan {show(kode)} milik {wilayah}/tahun lain (buku kerja ini untuk "
                f"{identitas.kode or '?'} tahun {identitas.tahun or '?'}); kosongkan sel ini "
                f"bila usulan ini baru, atau salin baris dari buku kerja {wilayah} ini"
            )
        if problem:
            self.bad_kode(table, raw, problem, found)
            return None
        return kode

    def kode_cell(
        self, table: RawTable, row: RawRow, found: Found, *, galat: bool
    ) -> tuple[RawCell, str] | None:
        """The Kode Usulan cell of a row and its text without spaces; None when empty, or
        when a formula without value (or, with `galat`, a formula error) was reported."""
        raw = row_cell(row, C.KODE)
        if raw is None:
            return None
        if raw.is_formula_without_value or (galat and is_excel_error(raw.value)):
            self.read_cell(
                raw,
                text_parser,
                "",
                sheet=table.sheet,
                column=C.KODE.value,
                found=found,
                attr="kode_usulan",
            )
            return None
        text = clean_text(raw.value)
        return (raw, text.replace(" ", "")) if text is not None else None

    def bad_kode(self, table: RawTable, raw: RawCell, problem: str, found: Found) -> None:
        self.add(
            "kode-usulan-tidak-dikenal",
            problem,
            sheet=table.sheet,
            cell=raw.cell,
            row=raw.row,
            column=C.KODE.value,
        )
        found.troubled.add(C.KODE.value)

    def duplicate_kode(self, table: RawTable, usulan: Sequence[Usulan]) -> None:
        groups: dict[str, list[Usulan]] = {}
        for u in usulan:
            if u.kode_usulan:
                groups.setdefault(u.kode_usulan, []).append(u)
        for kode, group in groups.items():
            if len(group) < 2:
                continue
            for u in group:
                others = ", ".join(str(o.row) for o in group if o is not u)
                assert u.row is not None
                self.add(
                    "kode-usulan-ganda",
                    f"Kode Usulan {kode} juga dipakai di baris {others}; satu kode hanya untuk "
                    "satu usulan: kosongkan Kode Usulan pada baris salinan (usulan baru)",
                    sheet=table.sheet,
                    cell=cell_ref(table, C.KODE.value, u.row),
                    row=u.row,
                    column=C.KODE.value,
                )
            for u in group[1:]:
                u.kode_usulan = None

    def decisions(
        self,
        table: RawTable,
        usulan: Sequence[Usulan],
        troubles: dict[int, set[str]],
        missing: set[str],
    ) -> None:
        """Verifikasi and Kirim: every usulan decided, with reasons and valid priorities."""
        sheet = table.sheet
        for u in usulan:
            assert u.row is not None
            troubled = troubles.get(u.row, set())
            if u.keputusan is None:
                if C.KEPUTUSAN not in troubled and C.KEPUTUSAN not in missing:
                    self.required(
                        table, u.row, C.KEPUTUSAN, " padahal setiap usulan perlu diputuskan"
                    )
                continue
            if u.keputusan in (Keputusan.DITOLAK, Keputusan.REVISI) and not u.catatan:
                if C.CATATAN not in troubled and C.CATATAN not in missing:
                    what = (
                        "alasan penolakan"
                        if u.keputusan is Keputusan.DITOLAK
                        else "apa yang direvisi"
                    )
                    self.add(
                        "catatan-wajib",
                        f"usulan dengan Keputusan '{u.keputusan.value}' perlu Catatan "
                        f"Keputusan; tulis {what}",
                        sheet=sheet,
                        cell=cell_ref(table, C.CATATAN.value, u.row),
                        row=u.row,
                        column=C.CATATAN.value,
                    )
            if u.keputusan in KEPUTUSAN_DITERIMA and u.prioritas is None:
                if C.PRIORITAS not in troubled and C.PRIORITAS not in missing:
                    self.required(table, u.row, C.PRIORITAS, " padahal usulan ini diterima")
            if u.keputusan is Keputusan.DITOLAK and u.prioritas is not None:
                self.add(
                    "prioritas-pada-ditolak",
                    f"usulan Ditolak diberi Prioritas {u.prioritas}; prioritas itu diabaikan, "
                    "kosongkan selnya",
                    sheet=sheet,
                    cell=cell_ref(table, C.PRIORITAS.value, u.row),
                    row=u.row,
                    column=C.PRIORITAS.value,
                )
        by_priority: dict[int, list[Usulan]] = {}
        for u in usulan:
            if u.diterima and u.prioritas is not None:
                by_priority.setdefault(u.prioritas, []).append(u)
        for prioritas, group in sorted(by_priority.items()):
            if len(group) < 2:
                continue
            for u in group:
                assert u.row is not None
                others = ", ".join(str(o.row) for o in group if o is not u)
                self.add(
                    "prioritas-ganda",
                    f"Prioritas {prioritas} juga dipakai usulan yang diterima di baris {others}; "
                    "beri setiap usulan yang diterima nomor prioritas yang berbeda",
                    sheet=sheet,
                    cell=cell_ref(table, C.PRIORITAS.value, u.row),
                    row=u.row,
                    column=C.PRIORITAS.value,
                )

    def duplicate_usulan(self, table: RawTable, usulan: Sequence[Usulan], remedy: str) -> None:
        """The same Kegiatan and Lokasi (and Desa/Kelurahan, in a kecamatan) twice."""
        seen: dict[tuple[str, str, str], Usulan] = {}
        for u in usulan:
            if not u.kegiatan or not u.lokasi or u.row is None:
                continue
            desa = u.desa if isinstance(u, UsulanKecamatan) else None
            key = (_loose(u.kegiatan), _loose(u.lokasi), _loose(desa or ""))
            first = seen.setdefault(key, u)
            if first is u:
                continue
            self.add(
                "usulan-ganda",
                f"usulan '{u.kegiatan}' di '{u.lokasi}'"
                + (f" ({desa})" if desa else "")
                + f" sama dengan usulan di baris {first.row}; {remedy}",
                sheet=table.sheet,
                cell=cell_ref(table, C.KEGIATAN.value, u.row),
                row=u.row,
                column=C.KEGIATAN.value,
            )


def _loose(text: str) -> str:
    """Kegiatan/Lokasi compared without case, punctuation or repeated spaces."""
    return " ".join(re.sub(r"[^\w\s]", " ", normalise(text)).split())
