"""Reading ledger files into grids of cell values, within a budget, without crashing.

Spreadsheets (.xlsx/.xlsm/.xls/.xlsb/.ods) are read with python-calamine in a child
process with a memory and a time limit (read_child), so that a file that makes the native
reader panic or abort costs a message, not the process. For .xlsx/.xlsm the package is
checked first (zip directory, deflate bombs) and its worksheet XML is scanned while the
child reads (read_scan): hidden rows and columns, formulas without a cached value, very
long text. Merged ranges are filled (the value of a merged range belongs to all its cells),
clipped to the used area and within a budget. CSV is decoded as a stream after its
encoding is detected (UTF-8 with or without BOM, UTF-16 with BOM, else GB18030, a superset
of GBK), its size checked before anything is decoded. Every limit is in read_limits; every
failure is one UserError that names the file (and the sheet or cell where known) and says
what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from greendesk.core.errors import UserError
from greendesk.core.meters import read_limits as L
from greendesk.core.meters.read_child import RawBook, ReadFailure, read_workbook
from greendesk.core.meters.read_scan import PackageProblem, PackageScan

MAX_CELLS = L.MAX_CELLS            # kept for callers that import it from here
SPREADSHEET = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
ZIPPED = {".xlsx", ".xlsm", ".ods"}


@dataclass
class Sheet:
    name: str
    rows: list[list]                  # absolute: rows[0] is sheet row 1, rows[i][0] is column A
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r0, c0, r1, c1), 0-based inclusive
    # 0-based indexes into rows / rows[i]: rows hidden in Excel (hidden="1", AutoFilter included)
    # and hidden columns, clipped to the grid (.xlsx/.xlsm/.ods; empty for .xls/.xlsb and CSV)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    # cells with a formula but no cached value: the reader sees them empty (.xlsx/.xlsm only);
    # a cell right of or below everything else is listed although rows does not reach it
    uncached_formulas: list[tuple[int, int]] = field(default_factory=list)
    # cells whose text was cut to read_limits.MAX_CELL_TEXT characters
    long_cells: list[tuple[int, int]] = field(default_factory=list)
    # the workbook's hidden sheets, not read (set on the first sheet only)
    hidden: list[str] = field(default_factory=list)
    encoding: str | None = None       # CSV only


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


SPLIT_ZH = "请按年度、月份或表计把数据拆分到几个文件（或工作表）中分别导入。"
SPLIT_EN = "Split the data by year, month or meter into several files (or sheets) and import them one by one."
RESAVE_ZH = "请用 Excel 或 WPS 打开该文件，另存为 .xlsx 后再导入。"
RESAVE_EN = "Open it in Excel or WPS, save it as .xlsx and import that copy."


def _sheet_zh(sheet: str | None) -> str:
    return f"的工作表“{sheet}”" if sheet else ""


def _sheet_en(sheet: str | None) -> str:
    return f", sheet '{sheet}'" if sheet else ""


def _too_big(name: str, cells: int, file: str | None = None) -> UserError:
    where_zh = f"{file} {_sheet_zh(name)}" if file else f"工作表“{name}”"
    where_en = f"{file}{_sheet_en(name)}" if file else f"Sheet '{name}'"
    return UserError(
        f"{where_zh}约有 {cells:,} 个单元格，超过每个工作表 {L.MAX_CELLS:,} 个的上限，未读取。{SPLIT_ZH}",
        f"{where_en}: about {cells:,} cells, more than the limit of {L.MAX_CELLS:,} per sheet; it was not read. "
        + SPLIT_EN)


def check_size(path: str | Path) -> None:
    """Refuse a file by its size alone, before its bytes are read (for callers that read them first)."""
    path = Path(path)
    ext = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError:
        return  # reading it will say what is wrong
    if ext in (".csv", ".txt"):
        _check_csv_size(path.name, size)
    elif ext in (".xls", ".xlsb"):
        _check_binary_size(path.name, size)


def _check_binary_size(file: str, size: int) -> None:
    if size > L.MAX_BINARY_BYTES:
        raise UserError(f"{file} 过大（{size:,} 字节，上限 {L.MAX_BINARY_BYTES:,}），未读取。{SPLIT_ZH}",
                        f"{file} is too large ({size:,} bytes; the limit is {L.MAX_BINARY_BYTES:,}); it was not "
                        f"read. {SPLIT_EN}")


def read_file(path: str | Path, data: bytes | None = None, *, beside: Callable[[], object] | None = None
              ) -> list[Sheet]:
    """Read every visible sheet of a ledger file (data: the file's bytes, if already read).

    ``beside()`` runs in this process while a spreadsheet is read in the child process (after this process's
    own scan of the file), where it costs no time; it may not run at all (a CSV file, for one)."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in SPREADSHEET and ext not in (".csv", ".txt"):
        raise UserError(f"不支持的文件类型 {ext or '（无扩展名）'}：{path.name}。支持 .xlsx .xlsm .xls .xlsb .ods .csv。",
                        f"Unsupported file type {ext or '(none)'}: {path.name}. Supported: .xlsx .xlsm .xls .xlsb .ods .csv.")
    if data is None:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise UserError(f"找不到文件：{path}", f"File not found: {path}") from None
        except OSError as e:
            raise UserError(f"无法读取 {path}：{e.strerror}", f"Cannot read {path}: {e.strerror}") from e
        if ext in (".csv", ".txt"):
            _check_csv_size(path.name, size)
            try:
                data = path.read_bytes()
            except OSError as e:
                raise UserError(f"无法读取 {path}：{e.strerror}", f"Cannot read {path}: {e.strerror}") from e
    if ext in (".csv", ".txt"):
        return [read_csv(path.stem, data, file=path.name)]
    size = len(data) if data is not None else path.stat().st_size
    if ext in (".xls", ".xlsb"):
        _check_binary_size(path.name, size)
    try:
        return _read_spreadsheet(path, data, ext, beside)
    except UserError:
        raise
    except MemoryError:
        raise UserError(f"读取 {path.name} 时内存不足，已停止。{SPLIT_ZH}",
                        f"Reading {path.name} ran out of memory; stopped. {SPLIT_EN}") from None
    except Exception as e:  # noqa: BLE001 (the promise: one message naming the file, never a traceback)
        raise UserError(f"无法读取 {path.name}（{type(e).__name__}：{e}）。{RESAVE_ZH}",
                        f"Cannot read {path.name} ({type(e).__name__}: {e}). {RESAVE_EN}") from e


def _read_spreadsheet(path: Path, data: bytes | None, ext: str, beside=None) -> list[Sheet]:
    from greendesk.core.meters import read_scan

    zf = None
    scan: PackageScan | None = None
    try:
        if ext in ZIPPED:
            try:
                zf = read_scan.open_zip(path, data)
                read_scan.check_directory(zf)
                _precheck(path.name, zf, ext)
            except PackageProblem as p:
                raise _package_error(path.name, ext, p) from None
        holder: dict = {}

        def scan_now():  # runs in this process while the child reads
            if zf is not None and _is_ods(zf, ext):
                holder["scan"] = PackageScan(sheets=read_scan.scan_ods(zf), long_text=True)
            elif zf is not None:
                try:
                    holder["scan"] = read_scan.scan_package(zf)
                except PackageProblem as p:
                    raise _package_error(path.name, ext, p) from None
                except Exception as e:  # noqa: BLE001 (zip and zlib errors, or a number too long for int())
                    raise _package_error(path.name, ext, PackageProblem("damaged", detail=str(e)[:120])) from None
            if beside is not None:
                beside()

        try:
            book = read_workbook(path, data, scan_now)
        except ReadFailure as f:
            raise _read_error(path.name, ext, f, zf, holder.get("scan")) from None
        scan = holder.get("scan")
        return _sheets(path.name, book, scan, ext)
    finally:
        if zf is not None:
            zf.close()


def _is_ods(zf, ext: str) -> bool:
    names = set(zf.namelist())
    return ext == ".ods" or ("content.xml" in names and "xl/workbook.xml" not in names)  # (or one misnamed)


def _precheck(file: str, zf, ext: str) -> None:
    """Refuse what the package says will not fit, before the native reader sees it."""
    from greendesk.core.meters import read_scan

    if _is_ods(zf, ext):  # repeated rows and cells with content, counted before calamine expands them
        cells, rows = read_scan.ods_repeats(zf)
        if cells > L.MAX_CELLS or rows > L.MAX_ODS_REPEATED_ROWS:
            raise UserError(
                f"{file} 中重复的行或单元格展开后约有 {rows:,} 行、{cells:,} 个单元格，超过上限"
                f"（{L.MAX_ODS_REPEATED_ROWS:,} 行、{L.MAX_CELLS:,} 个单元格），未读取。{SPLIT_ZH}",
                f"The repeated rows and cells of {file} expand to about {rows:,} rows and {cells:,} cells, more "
                f"than the limit ({L.MAX_ODS_REPEATED_ROWS:,} rows, {L.MAX_CELLS:,} cells); it was not read. "
                + SPLIT_EN)
        return
    for name, member in read_scan.sheet_paths(zf).items():  # a declared area over the limit
        cells = read_scan.dimension_cells(zf, member)
        if cells > L.MAX_CELLS:
            raise _too_big(name, cells, file)


def _sheets(file: str, book: RawBook, scan: PackageScan | None, ext: str) -> list[Sheet]:
    sheets = []
    for raw in book.sheets:
        rows = raw.rows
        merged = raw.merged
        _fill_merged_budget(file, raw.name, rows, merged)
        sheet = Sheet(raw.name, rows, merged)
        info = scan.sheets.get(raw.name) if scan is not None else None
        if info is not None:
            height = len(rows)
            width = max(map(len, rows), default=0)
            sheet.hidden_rows = {r for r in info.hidden_rows if r < height}
            sheet.hidden_cols = {c for c in info.hidden_cols if c < width}
            sheet.uncached_formulas = sorted(info.uncached_formulas)  # may lie outside rows: nothing else there
        if scan is None or scan.long_text or (info is not None and info.long_text):
            sheet.long_cells = cut_long_text(rows)
        sheets.append(sheet)
    if sheets and book.skipped:
        sheets[0].hidden = list(book.skipped)
    return sheets


def cut_long_text(rows: list[list], limit: int = L.MAX_CELL_TEXT) -> list[tuple[int, int]]:
    """Cut text cells longer than limit (in place); the cells cut, as (row, column)."""
    cut = []
    for r, row in enumerate(rows):
        if max(map(len, filter(str.__instancecheck__, row)), default=0) > limit:
            for c, v in enumerate(row):
                if isinstance(v, str) and len(v) > limit:
                    row[c] = v[:limit]
                    cut.append((r, c))
    return cut


def _package_error(file: str, ext: str, p: PackageProblem) -> UserError:
    kind = "xlsx" if ext != ".ods" else "ods"
    if p.kind == "not_zip":
        return UserError(f"{file} 不是有效的 {kind} 文件（已损坏，或实际是其他格式）。{RESAVE_ZH}",
                         f"{file} is not a valid {kind} file (damaged, or another format under this name). "
                         + RESAVE_EN)
    if p.kind == "bomb":
        return UserError(f"{file} 中的 {p.member} 解压后 {p.size:,} 字节，压缩比超过 {L.MAX_RATIO} 倍（可能是压缩炸弹），"
                         f"未读取。{RESAVE_ZH}",
                         f"{p.member} in {file} expands to {p.size:,} bytes, a compression ratio above {L.MAX_RATIO}x "
                         f"(a possible zip bomb); it was not read. {RESAVE_EN}")
    if p.kind == "too_large":
        return UserError(f"{file} 解压后共 {p.size:,} 字节，超过上限 {L.MAX_UNCOMPRESSED:,}，未读取。{SPLIT_ZH}",
                         f"{file} expands to {p.size:,} bytes, more than the limit of {L.MAX_UNCOMPRESSED:,}; it was "
                         f"not read. {SPLIT_EN}")
    if p.kind == "sheet_xml":
        return UserError(f"{file} 中的工作表数据 {p.member} 超过 {L.MAX_SHEET_XML:,} 字节的上限，未读取。{SPLIT_ZH}",
                         f"The sheet data {p.member} in {file} is larger than the limit of {L.MAX_SHEET_XML:,} bytes; "
                         f"it was not read. {SPLIT_EN}")
    return UserError(f"{file} 已损坏，无法解压（{p.detail}）。{RESAVE_ZH}",
                     f"{file} is damaged and cannot be unpacked ({p.detail}). {RESAVE_EN}")


def _cell_hint(zf, scan: PackageScan | None, sheet: str | None) -> tuple[str, str, str]:
    """('bad'|'far'|'', zh, en) naming the cell that probably caused a failed read (.xlsx only)."""
    if zf is None or not sheet:
        return "", "", ""
    from greendesk.core.meters import read_scan

    paths = scan.paths if scan is not None else read_scan.sheet_paths(zf)
    member = paths.get(sheet)
    found = read_scan.first_bad_cell(zf, member) if member else None
    if not found:
        return "", "", ""
    kind, ref = found
    if kind == "bad":
        return kind, f"单元格引用“{ref}”无效。", f"The cell reference '{ref}' is not valid. "
    return kind, (f"单元格 {ref} 远离数据区（在 Excel 中按 Ctrl+End 可找到它），删除它及多余的空行空列后再导入。"), \
        f"The cell {ref} lies far outside the data (Ctrl+End finds it in Excel): delete it and the empty rows and " \
        "columns up to it, then import again. "


def _read_error(file: str, ext: str, f: ReadFailure, zf, scan: PackageScan | None) -> UserError:
    s_zh, s_en = _sheet_zh(f.sheet), _sheet_en(f.sheet)
    if f.kind == "cells":
        kind, hz, he = _cell_hint(zf, scan, f.sheet)
        e = _too_big(f.sheet or "", f.cells, file)
        if hz:
            e.zh, e.en = e.zh + hz, e.en + " " + he.strip()
        return e
    if f.kind == "total":
        return UserError(f"{file} 的工作表合计约有 {f.cells:,} 个单元格（读到“{f.sheet}”时），超过每个文件 "
                         f"{L.MAX_TOTAL_CELLS:,} 个的上限，未读取。请把工作表分到几个文件中分别导入。",
                         f"The sheets of {file} have about {f.cells:,} cells together (at sheet '{f.sheet}'), more "
                         f"than the limit of {L.MAX_TOTAL_CELLS:,} per file; it was not read. Put the sheets into "
                         "several files and import them one by one.")
    if f.kind == "sheets":
        return UserError(f"{file} 有 {f.cells:,} 个工作表，超过上限 {L.MAX_SHEETS}，未读取。请把工作表分到几个文件中分别导入。",
                         f"{file} has {f.cells:,} sheets, more than the limit of {L.MAX_SHEETS}; it was not read. "
                         "Put the sheets into several files and import them one by one.")
    if f.kind == "merged":
        return UserError(f"{file}{s_zh}有 {f.cells:,} 个合并单元格区域，超过上限 {L.MAX_MERGED_RANGES:,}，未读取。"
                         "请取消不需要的合并单元格，或拆分文件。",
                         f"{file}{s_en} has {f.cells:,} merged ranges, more than the limit of "
                         f"{L.MAX_MERGED_RANGES:,}; it was not read. Unmerge the cells that need not be merged, or "
                         "split the file.")
    if f.kind in ("memory", "time"):
        kind, hz, he = _cell_hint(zf, scan, f.sheet)
        if f.kind == "memory":
            zh = f"读取 {file}{s_zh}需要的内存超过 {L.CHILD_MEMORY // 1_000_000} MB 的上限，已停止。"
            en = f"Reading {file}{s_en} needs more memory than the limit of {L.CHILD_MEMORY // 1_000_000} MB; stopped. "
        else:
            zh = f"读取 {file}{s_zh}超过 {L.CHILD_SECONDS:.0f} 秒的上限，已停止。"
            en = f"Reading {file}{s_en} took longer than the limit of {L.CHILD_SECONDS:.0f} s; stopped. "
        if hz:
            return UserError(zh + hz, en + he.strip())
        if ext == ".ods":
            return UserError(zh + "表中可能有大量重复的行或列（含内容的整行/整列重复）。" + SPLIT_ZH,
                             en + "The sheet may repeat rows or columns with content a great many times. " + SPLIT_EN)
        return UserError(zh + "表中可能有远离数据区的单元格或格式。" + SPLIT_ZH,
                         en + "The sheet may have cells or formatting far outside the data. " + SPLIT_EN)
    if f.kind in ("sheet", "crash"):
        kind, hz, he = _cell_hint(zf, scan, f.sheet)
        detail = f"（{f.detail}）" if f.detail else ""
        return UserError(f"无法读取 {file}{s_zh}，文件可能已损坏{detail}。{hz}{RESAVE_ZH}",
                         f"Cannot read {file}{s_en}; the file may be damaged" + (f" ({f.detail})" if f.detail else "")
                         + f". {he}{RESAVE_EN}")
    # open
    detail = f"（{f.detail}）" if f.detail else ""
    return UserError(f"无法读取 {file}：不是有效的 {ext[1:]} 文件，或已损坏{detail}。{RESAVE_ZH}",
                     f"Cannot read {file}: not a valid {ext[1:]} file, or damaged"
                     + (f" ({f.detail})" if f.detail else "") + f". {RESAVE_EN}")


def fill_merged(rows: list[list], merged: list[tuple[int, int, int, int]]) -> None:
    """Give every cell of a merged range the range's value, within the sheet's used area."""
    height = len(rows)
    width = max(map(len, rows), default=0)
    for r0, c0, r1, c1 in merged:
        r1, c1 = min(r1, height - 1), min(c1, width - 1)
        if r0 > r1 or c0 > c1 or r0 < 0 or c0 < 0:
            continue
        for r in range(r0, r1 + 1):
            if len(rows[r]) <= c1:
                rows[r].extend([""] * (c1 + 1 - len(rows[r])))
        v = rows[r0][c0]
        for r in range(r0, r1 + 1):
            rows[r][c0:c1 + 1] = [v] * (c1 - c0 + 1)


def merged_fill_cells(rows: list[list], merged: list[tuple[int, int, int, int]]) -> int:
    """How many cells fill_merged would write (each range clipped to the used area)."""
    height = len(rows)
    width = max(map(len, rows), default=0)
    return sum(max(0, min(r1, height - 1) - max(r0, 0) + 1) * max(0, min(c1, width - 1) - max(c0, 0) + 1)
               for r0, c0, r1, c1 in merged)


def _fill_merged_budget(file: str, sheet: str, rows: list[list], merged) -> None:
    n = merged_fill_cells(rows, merged)
    if n > L.MAX_MERGED_FILL:
        raise UserError(f"{file} 的工作表“{sheet}”的合并单元格共覆盖 {n:,} 个单元格，超过上限 {L.MAX_MERGED_FILL:,}，未读取。"
                        "请取消不需要的合并单元格，或拆分文件。",
                        f"The merged ranges of {file}, sheet '{sheet}', cover {n:,} cells, more than the limit of "
                        f"{L.MAX_MERGED_FILL:,}; it was not read. Unmerge the cells that need not be merged, or "
                        "split the file.")
    fill_merged(rows, merged)


# ---------------------------------------------------------------- CSV

def _check_csv_size(file: str, size: int) -> None:
    if size > L.MAX_CSV_BYTES:
        raise UserError(f"CSV 文件 {file} 过大（{size:,} 字节，上限 {L.MAX_CSV_BYTES:,}），未读取。{SPLIT_ZH}",
                        f"The CSV file {file} is too large ({size:,} bytes; the limit is {L.MAX_CSV_BYTES:,}); it "
                        f"was not read. {SPLIT_EN}")


def _decodes(data: bytes, encoding: str, start: int = 0) -> bool:
    """Whether all of data[start:] decodes, checked in pieces (no full copy of the text)."""
    dec = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    step = 1 << 20
    try:
        for at in range(start, len(data), step):
            dec.decode(view[at:at + step], final=at + step >= len(data))
        if len(data) <= start:
            dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes) -> tuple[str, int, str]:
    """(codec, bytes to skip, name to show) for CSV bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return ("utf-8", 3, "utf-8-sig") if _decodes(data, "utf-8", 3) else ("utf-8", 3, "utf-8 (with errors)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf-16", 0, "utf-16")
    if _decodes(data, "utf-8"):
        return "utf-8", 0, "utf-8"
    if _decodes(data, "gb18030"):
        return "gb18030", 0, "gb18030"
    return "utf-8", 0, "utf-8 (with errors)"


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for CSV bytes: UTF-8 (BOM or not), else GB18030 (covers GBK)."""
    codec, skip, shown = detect_encoding(data)
    return data[skip:].decode(codec, "replace"), shown


def read_csv(name: str, data: bytes, file: str | None = None) -> Sheet:
    """A CSV file as one sheet named name; file (the file name) is used in messages."""
    file = file or name
    _check_csv_size(file, len(data))
    codec, skip, shown = detect_encoding(data)
    view = memoryview(data)[skip:]
    sample = bytes(view[:8192]).decode(codec, "ignore")
    try:
        delim = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delim = ","
    text = io.TextIOWrapper(io.BytesIO(view), encoding=codec, errors="replace", newline="")
    rows: list[list] = []
    cells = 0
    long_cells: list[tuple[int, int]] = []
    try:
        for row in csv.reader(text, delimiter=delim):
            cells += len(row)
            if cells > L.MAX_CELLS:
                raise _too_big(name, cells, file)
            if len(rows) >= L.MAX_CSV_ROWS:
                raise UserError(f"CSV 文件 {file} 超过 {L.MAX_CSV_ROWS:,} 行的上限，未读取。{SPLIT_ZH}",
                                f"The CSV file {file} has more than {L.MAX_CSV_ROWS:,} rows, the limit; it was not "
                                f"read. {SPLIT_EN}")
            if row and max(map(len, row)) > L.MAX_CELL_TEXT:
                for c, v in enumerate(row):
                    if len(v) > L.MAX_CELL_TEXT:
                        row[c] = v[:L.MAX_CELL_TEXT]
                        long_cells.append((len(rows), c))
            rows.append(row)
    except csv.Error as e:
        raise UserError(f"{file} 不是可读的 CSV 文本文件（第 {len(rows) + 1} 行：{e}）。请在 Excel 或 WPS 中打开并另存为"
                        " CSV（UTF-8）或 .xlsx 后再导入。",
                        f"{file} is not a readable CSV text file (line {len(rows) + 1}: {e}). Open it in Excel or WPS "
                        "and save it as CSV (UTF-8) or .xlsx, then import that copy.") from None
    return Sheet(name, rows, long_cells=long_cells, encoding=shown)
