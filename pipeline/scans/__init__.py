"""Signed scans to PDF pages and the signed PDF; supporting documents, manifest, Lampiran Foto."""
