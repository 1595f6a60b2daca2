"""The budget for reading one ledger file: every limit the reader enforces, in one place.

These are engineering limits, not figures from a standard. They are sized so that a
refused file costs at most about 500 MB and a few seconds, while a real ledger (a year of
hourly data from a hundred meters is about 1 million cells) stays far below all of them.
Each refusal names the limit and says how to split the file.
"""

from __future__ import annotations

# Cells of one sheet, counted as the native reader allocates them: the rectangle from the
# first to the last used row and column (one value in XFD1048576 makes it 17 billion cells).
MAX_CELLS = 5_000_000
# Cells of all sheets of one workbook together.
MAX_TOTAL_CELLS = 8_000_000
# Sheets of one workbook (hidden ones included: they are parsed to be listed).
MAX_SHEETS = 200
# Merged ranges of one sheet, and the cells the reader fills from them (each range is first
# clipped to the sheet's used area; overlapping ranges are counted every time).
MAX_MERGED_RANGES = 20_000
MAX_MERGED_FILL = 5_000_000
# Characters of one text cell. Excel itself stops at 32,767; a longer text is cut to this
# length and the cell is listed (Sheet.long_cells), so header handling stays fast.
MAX_CELL_TEXT = 32_767

# Rows that repeated rows with content expand to in an .ods file (calamine takes about
# 15 microseconds a row for them; a 1.6 kB file could otherwise ask for millions).
MAX_ODS_REPEATED_ROWS = 100_000

# Bytes of a CSV file (about 5 million short cells), checked before decoding.
MAX_CSV_BYTES = 64_000_000
# Rows of a CSV file.
MAX_CSV_ROWS = 1_000_000

# Zip packages (.xlsx/.xlsm/.ods): uncompressed bytes of all members together, of one
# worksheet's XML, and the compression ratio allowed for a member larger than
# RATIO_FROM_BYTES (an honest sheet of numbers compresses 5-15x; a deflate bomb 1000x).
MAX_UNCOMPRESSED = 1_500_000_000
MAX_SHEET_XML = 600_000_000
MAX_RATIO = 200
RATIO_FROM_BYTES = 50_000_000
# Bytes of a .xls/.xlsb file (binary formats: no package directory to check).
MAX_BINARY_BYTES = 300_000_000

# The native reader (python-calamine) runs in a child process with these limits: address
# space above what the process already has, and wall-clock time for the whole workbook.
CHILD_MEMORY = 700_000_000
CHILD_SECONDS = 60.0
