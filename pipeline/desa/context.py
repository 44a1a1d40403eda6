"""What every level's stages share in one pass: workspace, settings, regions, ledger, rules.

The desa is the lowest level, so the kecamatan and kabupaten build on this context.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pipeline.core.config import Settings
from pipeline.core.wilayah import WilayahList
from pipeline.core.workspace import Workspace
from pipeline.desa.workflow import Rules
from pipeline.documents.convert import Converter
from pipeline.ledger.store import Ledger


class Context:
    def __init__(
        self,
        ws: Workspace,
        settings: Settings,
        wilayah: WilayahList,
        ledger: Ledger,
        converter: Converter | None,
    ) -> None:
        self.ws = ws
        self.settings = settings
        self.wilayah = wilayah
        self.ledger = ledger
        self.converter = converter
        self.tz = ZoneInfo(settings.jadwal.zona_waktu)
        self.rules = Rules(
            batas_hari_kerja=settings.jadwal.batas_hari_kerja,
            hari_libur_tambahan=frozenset(settings.jadwal.hari_libur_tambahan),
            wajib_pindaian=settings.kirim.wajib_pindaian,
        )
        self._own_converter = False

    def close(self) -> None:
        if self._own_converter and self.converter is not None:
            self.converter.close()

    def get_converter(self) -> Converter | None:
        """One LibreOffice pool per pass (or per watcher), started only when needed."""
        if self.converter is None:
            self.converter = Converter(self.settings.pdf, self.ws.runtime)
            self._own_converter = True
        return self.converter
