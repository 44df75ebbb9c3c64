"""The accountant's side: chart of accounts, double-entry lines, the Excel workbook and the FEC file."""
