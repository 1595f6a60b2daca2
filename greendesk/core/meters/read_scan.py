"""A cheap pass over an .xlsx/.xlsm package before and while the native reader reads it.

Checks the zip directory (sizes, compression ratio: deflate bombs are refused before any
member is inflated) and streams each worksheet's XML once, in chunks, with a few regular
expressions anchored on rare tags, to find what python-calamine does not report:

- hidden rows (``<row hidden="1">``, which includes rows hidden by an AutoFilter) and hidden
  columns (``<col min max hidden="1">``);
- formulas without a cached value (``<f>`` with no ``<v>``; calamine reads them as empty);
- text longer than read_limits.MAX_CELL_TEXT (so that the reader cuts it only when needed).

``first_bad_cell`` is the slower diagnosis run only after a failed read: the first cell
reference that is malformed or far outside any real ledger, to name it in the message.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from greendesk.core.meters import read_limits as L

CHUNK = 4 << 20
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError,
              KeyError, IndexError, OverflowError, UnicodeDecodeError)


class PackageProblem(Exception):
    """kind: not_zip | damaged | bomb | too_large | sheet_xml; member where known; size in bytes."""

    def __init__(self, kind: str, member: str = "", size: int = 0, detail: str = ""):
        super().__init__(f"{kind} {member} {detail}")
        self.kind, self.member, self.size, self.detail = kind, member, size, detail


@dataclass
class SheetScan:
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    uncached_formulas: list[tuple[int, int]] = field(default_factory=list)
    long_text: bool = False


@dataclass
class PackageScan:
    sheets: dict[str, SheetScan] = field(default_factory=dict)   # by sheet name
    paths: dict[str, str] = field(default_factory=dict)          # sheet name -> worksheet XML member
    long_text: bool = False                                      # in the shared strings


def open_zip(path: Path, data: bytes | None) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
    except ZIP_ERRORS as e:
        raise PackageProblem("not_zip", detail=str(e)[:120]) from None


def check_directory(zf: zipfile.ZipFile) -> None:
    """Refuse a package whose members would inflate past the budget, from the directory alone."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > L.RATIO_FROM_BYTES and info.file_size > L.MAX_RATIO * max(info.compress_size, 1):
            raise PackageProblem("bomb", info.filename, info.file_size)
        if info.filename.lower().startswith("xl/worksheets/") and info.file_size > L.MAX_SHEET_XML:
            raise PackageProblem("sheet_xml", info.filename, info.file_size)
    if total > L.MAX_UNCOMPRESSED:
        raise PackageProblem("too_large", size=total)


DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref\s*=\s*"\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?"')


def dimension_cells(zf: zipfile.ZipFile, member: str) -> int:
    """Cells of the area a worksheet's <dimension> declares (0 when it has none)."""
    try:
        with zf.open(member) as f:
            head = f.read(4096)
    except ZIP_ERRORS:
        return 0  # the full scan or the reader will say what is wrong with it
    m = DIMENSION.search(head)
    if not m or not m.group(3):
        return 0
    rows = int(m.group(4)) - int(m.group(2)) + 1
    cols = col_index(m.group(3)) - col_index(m.group(1)) + 1
    return max(rows, 0) * max(cols, 0)


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return {k.split(b":")[-1]: v for k, v in re.findall(rb'([\w:.-]+)\s*=\s*"([^"]*)"', tag)}


def sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet XML member, from xl/workbook.xml and its relationships."""
    try:
        wb = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except ZIP_ERRORS:
        return {}
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        a = _attrs(tag)
        if b"Id" in a and b"Target" in a:
            t = a[b"Target"].decode("utf-8", "replace")
            targets[a[b"Id"]] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    out = {}
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", wb):
        a = _attrs(tag)
        rid = a.get(b"id")
        if b"name" in a and rid in targets:
            out[html.unescape(a[b"name"].decode("utf-8", "replace"))] = targets[rid]
    return out


@cache
def _patterns(prefix: bytes):
    p = re.escape(prefix)
    return {
        "row": re.compile(rb"<" + p + rb"row\b([^>]*)>"),
        "col": re.compile(rb"<" + p + rb"col\b([^>]*)>"),
        "formula": re.compile(rb"<" + p + rb"f\b[^>]*(?:/>|>[^<]*</" + p + rb"f>)\s*(?:<" + p + rb"v\s*/>|<" + p
                              + rb"v>\s*</" + p + rb"v>)?\s*</" + p + rb"c>"),
        "cell": re.compile(rb"<" + p + rb"c\b([^>]*)>"),
        "text": re.compile(rb"<" + p + rb"t\b[^>]*>[^<]{%d}" % L.MAX_CELL_TEXT),
        "hidden": re.compile(rb'\bhidden\s*=\s*"(?:1|true)"'),
        "r": re.compile(rb'\br\s*=\s*"(\d+)"'),
        "ref": re.compile(rb'\br\s*=\s*"([A-Z]{1,3})([1-9]\d{0,6})"'),
        "rowend": b"</" + prefix + b"row>",
        "cellend": b"</" + prefix + b"c>",
    }


def col_index(letters: bytes | str) -> int:
    """0-based column index of column letters (A -> 0)."""
    n = 0
    for ch in letters if isinstance(letters, bytes) else letters.encode():
        n = n * 26 + ch - 64
    return n - 1


_ENDS = (re.compile(rb"</(?:\w+:)?(?:table-)?row>"), re.compile(rb"</(?:\w+:)?c>"), re.compile(rb">"))


def _chunks(zf: zipfile.ZipFile, member: str):
    """The member's bytes in pieces that end after a complete row (or cell, or tag), at most
    MAX_SHEET_XML bytes in all whatever the directory claims."""
    read = 0
    carry = b""
    with zf.open(member) as f:
        while True:
            block = f.read(CHUNK)
            read += len(block)
            if read > L.MAX_SHEET_XML:
                raise PackageProblem("sheet_xml", member, read)
            if not block:
                if carry:
                    yield carry
                return
            buf = carry + block
            tail_at = max(0, len(buf) - (64 << 10))
            cut = 0
            for end in _ENDS:
                ends = [m.end() for m in end.finditer(buf, tail_at)]
                if ends:
                    cut = ends[-1]
                    break
            if not cut:
                cut = len(buf) if len(buf) > 4 * CHUNK else 0  # no tag end at all: not XML worth keeping
            carry = buf[cut:]
            if cut:
                yield buf[:cut]


def scan_sheet(zf: zipfile.ZipFile, member: str) -> SheetScan:
    out = SheetScan()
    pat = None
    prefix = b""
    row = 0        # 1-based number of the last <row> seen
    for chunk in _chunks(zf, member):
        if pat is None:
            m = re.search(rb"<(\w+:)?worksheet\b", chunk)
            prefix = (m.group(1) or b"") if m else b""
            pat = _patterns(prefix)
            for cm in pat["col"].finditer(chunk):
                a = cm.group(1)
                if pat["hidden"].search(a):
                    at = _attrs(a)
                    try:
                        lo, hi = int(at.get(b"min", b"1")), int(at.get(b"max", b"1"))
                    except ValueError:
                        continue
                    out.hidden_cols.update(range(max(lo, 1) - 1, min(hi, 16384)))
        if b"hidden" in chunk:  # only then is every row's number needed
            for rm in pat["row"].finditer(chunk):
                a = rm.group(1)
                r = pat["r"].search(a)
                row = int(r.group(1)) if r else row + 1
                if pat["hidden"].search(a):
                    out.hidden_rows.add(row - 1)
        else:
            start = chunk.rfind(b"<" + prefix + b"row")
            last = pat["row"].match(chunk, start) if start >= 0 else None
            r = pat["r"].search(last.group(1)) if last else None
            if r:
                row = int(r.group(1))
            else:
                row += chunk.count(b"<" + prefix + b"row ") + chunk.count(b"<" + prefix + b"row>")
        for fm in pat["formula"].finditer(chunk):
            start = chunk.rfind(b"<" + prefix + b"c ", 0, fm.start())
            tag = pat["cell"].match(chunk, start) if start >= 0 else None
            ref = pat["ref"].search(tag.group(1)) if tag else None
            if ref:
                out.uncached_formulas.append((int(ref.group(2)) - 1, col_index(ref.group(1))))
        if not out.long_text and pat["text"].search(chunk):
            out.long_text = True
    return out


def scan_package(zf: zipfile.ZipFile) -> PackageScan:
    """Scan every worksheet of an .xlsx/.xlsm package (directory already checked)."""
    res = PackageScan(paths=sheet_paths(zf))
    names = set(zf.namelist())
    for name, member in res.paths.items():
        if member in names:
            res.sheets[name] = scan_sheet(zf, member)
    if "xl/sharedStrings.xml" in names:
        pat = re.compile(rb"<(?:\w+:)?t\b[^>]*>[^<]{%d}" % L.MAX_CELL_TEXT)
        for chunk in _chunks(zf, "xl/sharedStrings.xml"):
            if pat.search(chunk):
                res.long_text = True
                break
    return res


BAD_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br\s*=\s*"(?![A-Z]{1,3}[1-9]\d{0,6}")([^"]{0,20})')
FAR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br\s*=\s*"((?:[A-Z]{1,3})(?:[1-9]\d{6})|(?:[A-Z]{3})\d+)"')


def first_bad_cell(zf: zipfile.ZipFile, member: str) -> tuple[str, str] | None:
    """('bad', ref) for the first malformed cell reference, ('far', ref) for one far out
    (row ≥ 1,000,000, or a column past ZZ), or None."""
    far = None
    try:
        for chunk in _chunks(zf, member):
            m = BAD_CELL.search(chunk)
            if m:
                return "bad", m.group(1).decode("utf-8", "replace")
            if far is None:
                m = FAR_CELL.search(chunk)
                if m:
                    far = ("far", m.group(1).decode())
    except (PackageProblem, *ZIP_ERRORS):
        return far
    return far


_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated\s*=\s*"(\d+)"')
_ODS_CELL = re.compile(rb"<(?:\w+:)?(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ODS_COLS = re.compile(rb'number-columns-repeated\s*=\s*"(\d+)"')
_ODS_ROWS = re.compile(rb'number-rows-repeated\s*=\s*"(\d+)"')


def ods_repeats(zf: zipfile.ZipFile) -> tuple[int, int]:
    """(cells, rows) that repeated rows and cells with content expand to in an .ods content.xml.

    Only rows with a repeat attribute are looked at (other rows cost what their XML costs);
    empty repeated rows and cells after a row's last value count nothing, as in calamine,
    which drops them (LibreOffice ends every sheet with a million empty repeated rows).
    """
    cells = rows = 0
    try:
        for chunk in _chunks(zf, "content.xml"):
            done = -1
            for m in _REPEAT.finditer(chunk):
                if int(m.group(1)) <= 1 or m.start() < done:
                    continue
                start = chunk.rfind(b"table-row", 0, m.start())
                start = chunk.rfind(b"<", 0, start) if start >= 0 else -1
                end = chunk.find(b"table-row>", m.end())
                if start < 0 or end < 0:
                    continue
                done = end
                head = chunk[start:chunk.find(b">", start) + 1]
                rm = _ODS_ROWS.search(head)
                rep = int(rm.group(1)) if rm else 1
                width = pos = 0
                for cm in _ODS_CELL.finditer(chunk, start, end):
                    a = cm.group(1)
                    n = _ODS_COLS.search(a)
                    pos += int(n.group(1)) if n else 1
                    if b"value-type" in a or (not cm.group(2) and chunk.startswith(b"<", cm.end())
                                              and not chunk.startswith(b"</", cm.end())):
                        width = pos
                if width:
                    cells += rep * width
                    rows += rep
    except ZIP_ERRORS:
        pass  # damaged: calamine will say so; what was counted so far still counts
    return cells, rows


_ODS_ITEM = re.compile(rb"<(?:\w+:)?(table|table-row|table-column)((?:\s[^>]*)?)>")
_ODS_HIDDEN = re.compile(rb'visibility\s*=\s*"(?:collapse|filter)"')
_ODS_NAME = re.compile(rb'(?:\w+:)?name\s*=\s*"([^"]*)"')


def scan_ods(zf: zipfile.ZipFile) -> dict[str, SheetScan]:
    """Hidden (collapsed or filtered) rows and columns of each table of an .ods, by table name.

    Rows and columns have no numbers in ODS: they are counted, repeats included. The
    counting pass runs only when the document hides something at all.
    """
    out: dict[str, SheetScan] = {}
    try:
        if not any(b"visibility" in c for c in _chunks(zf, "content.xml")):
            return out
        sheet = None
        row = col = 0
        for chunk in _chunks(zf, "content.xml"):
            for m in _ODS_ITEM.finditer(chunk):
                kind, attrs = m.group(1), m.group(2)
                if kind == b"table":
                    name = _ODS_NAME.search(attrs)
                    sheet = out.setdefault(html.unescape(name.group(1).decode("utf-8", "replace")) if name else "",
                                           SheetScan())
                    row = col = 0
                    continue
                if sheet is None:
                    continue
                rep_m = (_ODS_ROWS if kind == b"table-row" else _ODS_COLS).search(attrs)
                rep = min(int(rep_m.group(1)), 1 << 20) if rep_m else 1
                hidden = _ODS_HIDDEN.search(attrs)
                if kind == b"table-row":
                    if hidden:
                        sheet.hidden_rows.update(range(row, min(row + rep, 1 << 20)))
                    row += rep
                else:
                    if hidden:
                        sheet.hidden_cols.update(range(col, min(col + rep, 16384)))
                    col += rep
    except (PackageProblem, *ZIP_ERRORS):
        return {}
    return out
