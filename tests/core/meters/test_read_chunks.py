"""The reading child sends a sheet's rows in chunks, read row by row (iter_rows), so that the parent unpickles
while it reads; the rows that arrive are exactly what ``to_python(skip_empty_area=False)`` gives: from A1,
every row as wide, empty rows and columns kept, values and types unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from greendesk.core.meters import read_child


def _book(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "偏移"
    ws["C5"] = "月份"
    ws["D5"] = "电 (kWh)"
    ws["C6"] = dt.datetime(2025, 1, 1)
    ws["D6"] = 1.5
    ws["E7"] = True
    ws["F9"] = 2
    ws.merge_cells("C3:D3")
    ws["C3"] = "标题"
    big = wb.create_sheet("多行")  # more rows than one chunk, most of them empty (sent as None)
    for r in range(1, read_child.CHUNK_ROWS * 3 + 7, 5):
        big.cell(r, 2, r * 0.5)
        big.cell(r, 4, f"第{r}行")
    wb.create_sheet("空")
    one = wb.create_sheet("一格")
    one["A1"] = "x"
    wb.save(path)
    return path


def _expected(path):
    w = CalamineWorkbook.from_path(str(path))
    return {n: w.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in w.sheet_names}


@pytest.mark.parametrize("isolated", [True, False])
def test_rows_arrive_as_to_python_gives_them(tmp_path, monkeypatch, isolated):
    path = _book(tmp_path / "chunks.xlsx")
    if not isolated:
        monkeypatch.setenv("GREENDESK_READ_INPROCESS", "1")
    elif not read_child.can_isolate():
        pytest.skip("no fork on this platform")
    book = read_child.read_workbook(path, path.read_bytes())
    assert book.isolated == isolated
    want = _expected(path)
    got = {s.name: s.rows for s in book.sheets}
    assert got == want
    for name, rows in got.items():  # (== above also holds for 1 == True; the types are checked here)
        assert [[type(v) for v in r] for r in rows] == [[type(v) for v in r] for r in want[name]], name
    assert len(got["多行"]) > read_child.CHUNK_ROWS * 3
    assert got["偏移"][4][2:4] == ["月份", "电 (kWh)"] and len(got["偏移"][0]) == 6
    assert {s.name: s.merged for s in book.sheets}["偏移"] == [(2, 2, 2, 3)]


def test_rows_left_out_at_the_top_are_read_again_at_once(tmp_path, monkeypatch):
    """A reader that starts at the first row with a cell (not the one used now) gives fewer rows than from A1:
    the sheet is read again with to_python, so the rows are from A1 all the same."""
    path = _book(tmp_path / "top.xlsx")
    real = read_child._row_chunks

    def from_first_row(sh):
        start = sh.start[0] if sh.start else 0
        skipped = 0
        for chunk in real(sh):
            drop = min(start - skipped, len(chunk))
            skipped += drop
            if chunk[drop:]:
                yield chunk[drop:]

    monkeypatch.setattr(read_child, "_row_chunks", from_first_row)
    monkeypatch.setenv("GREENDESK_READ_INPROCESS", "1")
    book = read_child.read_workbook(path, path.read_bytes())
    assert {s.name: s.rows for s in book.sheets} == _expected(path)


@pytest.mark.parametrize("isolated", [True, False])
def test_rows_that_do_not_line_up_are_read_again_at_once(tmp_path, monkeypatch, isolated):
    """A row of another width than expected (another python-calamine) is never shifted into place: the rows
    sent so far are dropped and the sheet is read again with to_python."""
    path = _book(tmp_path / "ragged.xlsx")

    class Odd:
        def __init__(self, sh):
            self._sh = sh
            self.start, self.end = sh.start, sh.end

        def iter_rows(self):
            for k, row in enumerate(self._sh.iter_rows()):
                yield row if k < read_child.CHUNK_ROWS + 3 else row[:-1]  # one cell short, after a whole chunk

    real = read_child._row_chunks
    monkeypatch.setattr(read_child, "_row_chunks", lambda sh: real(Odd(sh)))
    if not isolated:
        monkeypatch.setenv("GREENDESK_READ_INPROCESS", "1")
    elif not read_child.can_isolate():
        pytest.skip("no fork on this platform")
    book = read_child.read_workbook(path, path.read_bytes())
    assert {s.name: s.rows for s in book.sheets} == _expected(path)
