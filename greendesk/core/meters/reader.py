"""Reading ledger files into grids of cell values.

Spreadsheets (.xlsx/.xlsm/.xls/.xlsb/.ods) are read with python-calamine; merged
ranges are filled (the value of a merged range belongs to all its cells).
CSV is read with the csv module after detecting its encoding (UTF-8 with or
without BOM, else GB18030, a superset of GBK). Files that would expand past a
sane size are refused before they are read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from greendesk.core.errors import UserError

MAX_CELLS = 5_000_000              # per sheet
MAX_UNCOMPRESSED = 1_500_000_000   # bytes, whole xlsx package
MAX_RATIO = 200                    # uncompressed/compressed for one big zip member
MAX_CSV_BYTES = 300_000_000
MAX_SHEET_XML = 600_000_000        # bytes of one worksheet's XML
MAX_OTHER_BYTES = 300_000_000      # .xls/.xlsb/.ods file size
SPREADSHEET = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


@dataclass
class Sheet:
    name: str
    rows: list[list]                  # absolute: rows[0] is sheet row 1, rows[i][0] is column A
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r0, c0, r1, c1), 0-based inclusive


@cache
def col_letter(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_ref(r: int, c: int) -> str:
    return f"{col_letter(c)}{r + 1}"


def _too_big(name: str, cells: int) -> UserError:
    return UserError(
        f"工作表“{name}”约有 {cells:,} 个单元格，超过上限 {MAX_CELLS:,}，未读取。请按年度或表计拆分文件。",
        f"Sheet '{name}' has about {cells:,} cells, more than the limit of {MAX_CELLS:,}; it was not read. "
        "Split the file by year or by meter.")


def _check_xlsx(path: Path, data: bytes | None = None) -> None:
    """Refuse zip bombs and oversized sheets from the package directory and each sheet's <dimension>."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
    except zipfile.BadZipFile:
        raise UserError(f"{path.name} 不是有效的 Excel 文件（已损坏或不是 xlsx）。",
                        f"{path.name} is not a valid Excel file (damaged, or not xlsx).") from None
    with zf:
        total = 0
        for info in zf.infolist():
            total += info.file_size
            if info.file_size > 50_000_000 and info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                raise UserError(
                    f"{path.name} 中的 {info.filename} 解压后 {info.file_size:,} 字节，压缩比异常（可能是压缩炸弹），已拒绝。",
                    f"{info.filename} in {path.name} expands to {info.file_size:,} bytes with an abnormal "
                    "compression ratio (a possible zip bomb); refused.")
        if total > MAX_UNCOMPRESSED:
            raise UserError(f"{path.name} 解压后共 {total:,} 字节，过大，已拒绝。",
                            f"{path.name} expands to {total:,} bytes, too large; refused.")
        import re

        for info in zf.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            if info.file_size > MAX_SHEET_XML:
                # no trustworthy <dimension>: judge by the sheet's XML size (~100 bytes a cell)
                raise _too_big(info.filename.rsplit("/", 1)[-1][:-4], info.file_size // 100)
            with zf.open(info) as f:
                head = f.read(4096).decode("utf-8", "replace")
            m = re.search(r'<(?:\w+:)?dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"', head)
            if m and m.group(3):
                rows = int(m.group(4)) - int(m.group(2)) + 1
                cols = _col_index(m.group(3)) - _col_index(m.group(1)) + 1
                if rows * cols > MAX_CELLS:
                    raise _too_big(info.filename.rsplit("/", 1)[-1][:-4], rows * cols)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def read_file(path: str | Path, data: bytes | None = None) -> list[Sheet]:
    """Read every visible sheet of a ledger file."""
    path = Path(path)
    ext = path.suffix.lower()
    if data is None:
        try:
            data = path.read_bytes() if ext == ".csv" else None
        except OSError as e:
            raise UserError(f"无法读取 {path}：{e.strerror}", f"Cannot read {path}: {e.strerror}") from e
        if ext != ".csv" and not path.exists():
            raise UserError(f"找不到文件：{path}", f"File not found: {path}")
    if ext == ".csv" or ext == ".txt":
        return [read_csv(path.stem, data if data is not None else path.read_bytes())]
    if ext not in SPREADSHEET:
        raise UserError(f"不支持的文件类型 {ext or '（无扩展名）'}：{path.name}。支持 .xlsx .xlsm .xls .xlsb .ods .csv。",
                        f"Unsupported file type {ext or '(none)'}: {path.name}. Supported: .xlsx .xlsm .xls .xlsb .ods .csv.")
    if ext in (".xlsx", ".xlsm", ".ods"):
        _check_xlsx(path, data)
    size = len(data) if data is not None else path.stat().st_size
    if ext in (".xls", ".xlsb") and size > MAX_OTHER_BYTES:
        raise UserError(f"{path.name} 过大（{size:,} 字节），已拒绝。", f"{path.name} is too large ({size:,} bytes); refused.")
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data)) if data is not None else CalamineWorkbook.from_path(
            str(path))
    except Exception as e:  # calamine raises its own error types
        raise UserError(f"无法读取 {path.name}：{e}", f"Cannot read {path.name}: {e}") from e
    sheets: list[Sheet] = []
    skipped: list[str] = []
    try:
        visible = {m.name for m in wb.sheets_metadata if str(m.visible).endswith("Visible")
                   and "Hidden" not in str(m.visible) and str(m.typ).endswith("WorkSheet")}
    except Exception:
        visible = set(wb.sheet_names)
    for name in wb.sheet_names:
        if visible and name not in visible:
            skipped.append(name)
            continue
        try:
            sh = wb.get_sheet_by_name(name)
        except Exception as e:
            raise UserError(f"无法读取 {path.name} 的工作表“{name}”：{e}", f"Cannot read sheet '{name}' of {path.name}: {e}") from e
        try:
            h, w = sh.total_height, sh.total_width
        except Exception:
            h, w = sh.height, sh.width
        if h * w > MAX_CELLS:
            raise _too_big(name, h * w)
        try:
            rows = sh.to_python(skip_empty_area=False)
        except Exception as e:
            raise UserError(f"无法读取 {path.name} 的工作表“{name}”：{e}",
                            f"Cannot read sheet '{name}' of {path.name}: {e}") from e
        merged = []
        try:
            for (r0, c0), (r1, c1) in sh.merged_cell_ranges or []:
                merged.append((r0, c0, r1, c1))
        except Exception:
            merged = []
        fill_merged(rows, merged)
        sheets.append(Sheet(name, rows, merged))
    try:
        wb.close()
    except Exception:
        pass
    if sheets and skipped:
        sheets[0].hidden = skipped  # type: ignore[attr-defined]
    return sheets


def fill_merged(rows: list[list], merged: list[tuple[int, int, int, int]]) -> None:
    for r0, c0, r1, c1 in merged:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 100_000:
            continue
        while len(rows) <= r1:
            rows.append([])
        for r in range(r0, r1 + 1):
            if len(rows[r]) <= c1:
                rows[r].extend([""] * (c1 + 1 - len(rows[r])))
        v = rows[r0][c0]
        for r in range(r0, r1 + 1):
            row = rows[r]
            for c in range(c0, c1 + 1):
                row[c] = v


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for CSV bytes: UTF-8 (BOM or not), else GB18030 (covers GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace"), "utf-8 (with errors)"


def read_csv(name: str, data: bytes) -> Sheet:
    if len(data) > MAX_CSV_BYTES:
        raise UserError(f"CSV 文件 {name} 过大（{len(data):,} 字节），已拒绝。",
                        f"CSV file {name} is too large ({len(data):,} bytes); refused.")
    text, enc = decode_text(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delim = dialect.delimiter
    except csv.Error:
        delim = ","
    rows: list[list] = []
    cells = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim):
            cells += len(row)
            if cells > MAX_CELLS:
                raise _too_big(name, cells)
            rows.append(row)
    except csv.Error as e:
        raise UserError(f"{name} 不是可读的 CSV 文本文件（{e}）。", f"{name} is not a readable CSV text file ({e}).") from None
    sheet = Sheet(name, rows)
    sheet.encoding = enc  # type: ignore[attr-defined]
    return sheet
