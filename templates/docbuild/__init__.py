"""Builders of the built-in templates, one module per level (templates/build_templates.py)."""
