"""Reading and writing any workbook: xlsx guards, cell parsing, checking machinery, cells and sheets."""
