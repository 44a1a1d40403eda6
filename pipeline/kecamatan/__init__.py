"""The Musrenbang Kecamatan (SOP Kecamatan Sooko): workbook, Jadwal and letters, Rekap, Kirim, package."""
