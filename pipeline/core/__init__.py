"""Settings, workspace paths and names, wilayah, the workbook standard as data, models, issues, receipts."""
