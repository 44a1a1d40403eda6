"""Bappeda: kecamatan packages received, the kabupaten Rekap and the Pemantauan."""
