"""docxtpl's DocxTemplate with a fast path for very long documents.

docxtpl's `resolve_listing` runs three nested regular expressions over the whole rendered
document to turn tabs, line breaks, bells and form feeds inside text into Word's elements:
seconds for a kompilasi of thousands of rows, spent for nothing when no text holds one.
"""

from __future__ import annotations

import re

from docxtpl import DocxTemplate

# Text that resolve_listing would change: a tab, line break, bell or form feed inside <w:t>.
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


class FastTemplate(DocxTemplate):
    """A DocxTemplate whose resolve_listing is skipped when no text needs it."""

    def resolve_listing(self, xml: str) -> str:
        if not _LISTING.search(xml):
            return xml
        return str(super().resolve_listing(xml))
