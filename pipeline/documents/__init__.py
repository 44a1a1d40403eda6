"""Rendering documents: docx templates, LibreOffice conversion, context pieces, formatting."""
