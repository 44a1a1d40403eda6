"""Musrenbang document pipeline: workbooks in, a validated ledger, documents and receipts out."""

__version__ = "0.1.0"
