"""The Musrenbang Desa/Kelurahan (SOP Kabupaten Langkat): workbook, checks, stage rules, documents."""
