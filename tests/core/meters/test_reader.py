"""The ledger reader: crash isolation, the reading budget, hidden rows/columns, formulas, CSV."""

from __future__ import annotations

import resource
import time
import zipfile

import pytest
from fixtures.meters.ledgers import ods, xlsx

from greendesk.core.errors import UserError
from greendesk.core.meters import read_child, read_limits
from greendesk.core.meters.reader import fill_merged, merged_fill_cells, read_csv, read_file

from .test_reader_fuzz import LEDGER, _inline_rows, handmade_xlsx


def _refused(path, data=None) -> UserError:
    t0 = time.perf_counter()
    with pytest.raises(UserError) as ei:
        read_file(path, data)
    assert time.perf_counter() - t0 < 10
    e = ei.value
    assert path.name in e.zh and path.name in e.en, (e.zh, e.en)
    return e


def test_hidden_rows_columns_and_autofilter(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    for r in LEDGER:
        ws.append(r)
    ws.append(["备注", "", "", "内部"])
    ws.row_dimensions[4].hidden = True          # 2025-02, hidden by hand
    ws.auto_filter.ref = "A2:C14"
    ws.row_dimensions[9].hidden = True          # 2025-07, hidden by the filter
    ws.column_dimensions["C"].hidden = True
    ws.column_dimensions.group("E", "H", hidden=True)  # beyond the data: clipped away
    p = tmp_path / "h.xlsx"
    wb.save(p)
    (s,) = read_file(p)
    assert s.hidden_rows == {3, 8}
    assert s.rows[3][0] == "2025-02" and s.rows[8][0] == "2025-07"
    assert s.hidden_cols == {2}
    assert s.rows[1][2] == "天然气(m3)"
    assert s.uncached_formulas == []


def test_formulas_without_cached_value_are_listed_and_cached_ones_read(tmp_path):
    rows = [list(r) for r in LEDGER] + [["合计", "=SUM(B3:B14)", "=SUM(C3:C14)"]]
    (s,) = read_file(xlsx(tmp_path / "f.xlsx", {"S": rows}))   # openpyxl stores no cached values
    assert s.uncached_formulas == [(14, 1), (14, 2)]
    assert s.rows[14][1] in ("", None)
    body = _inline_rows(LEDGER)[:-len("</sheetData>")] + (
        '<row r="15"><c r="A15" t="inlineStr"><is><t>合计</t></is></c>'
        '<c r="B15"><f>SUM(B3:B14)</f><v>12078</v></c><c r="C15"><f>SUM(C3:C14)</f><v></v></c>'
        '<c r="D15"><f t="shared" ref="D15:D16" si="0"/></c></row></sheetData>')
    p = tmp_path / "cached.xlsx"
    p.write_bytes(handmade_xlsx(body))
    (s,) = read_file(p)
    assert s.rows[14][1] == 12078
    assert s.uncached_formulas == [(14, 2), (14, 3)]


def test_prefixed_sheet_xml_is_scanned(tmp_path):
    body = ('<x:sheetData><x:row r="1" hidden="1"><x:c r="A1" t="inlineStr"><x:is><x:t>电</x:t></x:is></x:c>'
            '<x:c r="B1"><x:f>1+1</x:f></x:c></x:row><x:row r="2"><x:c r="A2"><x:v>5</x:v></x:c></x:row>'
            '</x:sheetData>')
    data = handmade_xlsx("")
    with zipfile.ZipFile(p := tmp_path / "x.xlsx", "w") as z, zipfile.ZipFile(__import__("io").BytesIO(data)) as src:
        for i in src.infolist():
            z.writestr(i, src.read(i) if "worksheets" not in i.filename else
                       ('<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
                        'spreadsheetml/2006/main">' + body + "</x:worksheet>").encode())
    (s,) = read_file(p)
    assert s.rows[1][0] == 5
    assert s.hidden_rows == {0} and s.uncached_formulas == [(0, 1)]


def test_one_far_cell_is_refused_quickly_naming_the_cell(tmp_path):
    body = ('<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    p = tmp_path / "远.xlsx"
    p.write_bytes(handmade_xlsx(body))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    e = _refused(p)
    assert "XFD1048576" in e.zh and "XFD1048576" in e.en
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # kB: nothing big in this process


@pytest.mark.parametrize("ref", ["A0", "ZZZZZ1", "A99999999999", "", "&#65;1"])
def test_bad_cell_references_give_one_message(tmp_path, ref):
    p = tmp_path / "坏.xlsx"
    p.write_bytes(handmade_xlsx(f'<sheetData><row r="1"><c r="{ref}"><v>1</v></c></row></sheetData>'))
    _refused(p)


def test_merged_ranges_are_clipped_and_bounded(tmp_path):
    merges = "".join(f'<mergeCell ref="A{i + 1}:Z{i + 10000}"/>' for i in range(1000))
    body = _inline_rows(LEDGER) + f'<mergeCells count="1000">{merges}</mergeCells>'
    p = tmp_path / "merged.xlsx"
    p.write_bytes(handmade_xlsx(body))
    assert p.stat().st_size < 20_000
    t0 = time.perf_counter()
    (s,) = read_file(p)
    assert time.perf_counter() - t0 < 5
    assert len(s.rows) == len(LEDGER) and max(map(len, s.rows)) == 3   # nothing added outside the used area
    rows = [[1, 2], [3, 4]]
    fill_merged(rows, [(0, 0, 1, 5)])
    assert rows == [[1, 1], [1, 1]]
    big = [[0] * 1000 for _ in range(1000)]
    assert merged_fill_cells(big, [(0, 0, 999, 999)] * 6) == 6_000_000
    body = _inline_rows([[1] * 300 for _ in range(300)]) + '<mergeCells count="60">' + \
        '<mergeCell ref="A1:KN300"/>' * 60 + "</mergeCells>"
    p2 = tmp_path / "overlap.xlsx"
    p2.write_bytes(handmade_xlsx(body))
    assert "merged" in _refused(p2).en


def test_sheet_count_and_total_cells(tmp_path, monkeypatch):
    p = xlsx(tmp_path / "many.xlsx", {f"S{i}": [list(r) for r in LEDGER] for i in range(4)})
    monkeypatch.setattr(read_limits, "MAX_SHEETS", 3)
    assert "sheets" in _refused(p).en
    monkeypatch.setattr(read_limits, "MAX_SHEETS", 200)
    monkeypatch.setattr(read_limits, "MAX_TOTAL_CELLS", 100)
    e = _refused(p)
    assert "100" in e.en and "several files" in e.en


def test_ods_repeated_rows_stop_within_the_budget(tmp_path):
    p = ods(tmp_path / "rep.ods", LEDGER)
    with zipfile.ZipFile(p) as z:
        content = z.read("content.xml").replace(b"<table:table-row>",
                                                b'<table:table-row table:number-rows-repeated="1048576">', 2)
        content = content.replace(b'<table:table-cell office:value-type="float"',
                                  b'<table:table-cell table:number-columns-repeated="16384" office:value-type="float"',
                                  1)
        members = {i.filename: z.read(i) for i in z.infolist()}
    members["content.xml"] = content
    with zipfile.ZipFile(p, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    assert p.stat().st_size < 10_000
    e = _refused(p)
    assert "repeated rows" in e.en and "重复" in e.zh
    renamed = p.with_name("rep-under-another-name.xlsx")
    renamed.write_bytes(p.read_bytes())
    assert "repeated rows" in _refused(renamed).en


def test_ods_with_libreoffice_trailing_empty_rows_is_read(tmp_path):
    p = ods(tmp_path / "lo.ods", LEDGER)
    with zipfile.ZipFile(p) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    members["content.xml"] = members["content.xml"].replace(
        b"</table:table-row>", b'<table:table-cell table:number-columns-repeated="16381"/></table:table-row>').replace(
        b"</table:table>", b'<table:table-row table:number-rows-repeated="1048562"><table:table-cell '
                           b'table:number-columns-repeated="16384"/></table:table-row></table:table>')
    with zipfile.ZipFile(p, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    (s,) = read_file(p)
    assert len(s.rows) == len(LEDGER) and s.rows[4][1] == 1003 and max(map(len, s.rows)) == 3


def test_deflate_bomb_refused_from_the_directory(tmp_path):
    p = tmp_path / "bomb.xlsx"
    data = handmade_xlsx(_inline_rows(LEDGER))
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z, zipfile.ZipFile(__import__("io").BytesIO(data)) as src:
        for i in src.infolist():
            z.writestr(i.filename, src.read(i))
        z.writestr("xl/media/x.bin", b"\0" * 80_000_000)
    assert "bomb" in _refused(p).en


def test_damaged_member_is_one_message(tmp_path):
    data = bytearray(handmade_xlsx(_inline_rows(LEDGER)))
    at = data.find(b"xl/worksheets/sheet1.xml")  # the local header's name; the data follows it
    for k in range(40, 80):
        data[at + k] ^= 0x55
    p = tmp_path / "damaged.xlsx"
    p.write_bytes(bytes(data))
    _refused(p)


def test_native_panic_in_the_child_is_a_message(tmp_path, monkeypatch):
    def boom(path, data, emit):
        emit("start", "台账")
        import os
        os.abort()

    if not read_child.can_isolate():
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(read_child, "_read", boom)
    p = xlsx(tmp_path / "abort.xlsx", {"台账": [list(r) for r in LEDGER]})
    e = _refused(p)
    assert "台账" in e.zh


def test_time_limit_stops_the_child(tmp_path, monkeypatch):
    def slow(path, data, emit):
        emit("start", "台账")
        time.sleep(30)

    if not read_child.can_isolate():
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(read_child, "_read", slow)
    monkeypatch.setattr(read_limits, "CHILD_SECONDS", 1.0)
    p = xlsx(tmp_path / "slow.xlsx", {"台账": [list(r) for r in LEDGER]})
    e = _refused(p)
    assert "1 s" in e.en and "台账" in e.zh


def test_in_process_fallback_reads_the_same(tmp_path, monkeypatch):
    rows = [list(r) for r in LEDGER] + [["合计", "=SUM(B3:B14)"]]
    p = xlsx(tmp_path / "same.xlsx", {"台账": rows, "二": [["x", 1]]}, {"台账": ["A1:C1"]})
    a = read_file(p)
    monkeypatch.setenv("GREENDESK_READ_INPROCESS", "1")
    b = read_file(p)
    assert [(s.name, s.rows, s.merged, s.uncached_formulas) for s in a] == \
           [(s.name, s.rows, s.merged, s.uncached_formulas) for s in b]
    assert a[0].rows[0] == ["2025年能源台账"] * 3


def test_csv_budget(tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    with open(big, "wb") as f:
        f.truncate(read_limits.MAX_CSV_BYTES + 1)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert "limit" in _refused(big).en
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # kB: refused by size, never read
    monkeypatch.setattr(read_limits, "MAX_CSV_ROWS", 5)
    p = tmp_path / "rows.csv"
    p.write_text("\n".join(",".join(map(str, r)) for r in LEDGER), encoding="utf-8")
    assert "rows" in _refused(p).en


def test_csv_long_text_is_cut_and_listed_and_stays_fast(tmp_path):
    from greendesk.core.meters import analyse

    text = "\n".join(",".join(map(str, r)) for r in [LEDGER[0], ["月份", "电(kWh)" + "，" * 40_000, "天然气(m3)"],
                                                     *LEDGER[2:]])
    s = read_csv("长", text.encode("utf-8"), file="长.csv")
    assert s.long_cells == [(1, 1)] and len(s.rows[1][1]) == read_limits.MAX_CELL_TEXT
    p = tmp_path / "长.csv"
    p.write_text(text.replace("，" * 40_000, "电" * 40_000), encoding="utf-8")
    t0 = time.perf_counter()
    analyse([p], year=2025)
    assert time.perf_counter() - t0 < 5


def test_csv_encodings():
    rows = [["月份", "电(kWh)"], ["2025-01", "10"]]
    text = "\n".join(",".join(r) for r in rows)
    for enc, shown in [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("utf-16", "utf-16")]:
        s = read_csv("c", text.encode(enc), file="c.csv")
        assert s.rows == rows and s.encoding == shown
    with pytest.raises(UserError) as ei:
        read_csv("n", b'a,"' + b"x" * 200_000 + b'",c\n1,2,3', file="n.csv")  # over csv's field limit
    assert "n.csv" in ei.value.en


def test_sparse_sheet_within_budget_keeps_every_row(tmp_path):
    body = ('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>月份</t></is></c><c r="B1"><v>2</v></c></row>'
            '<row r="200000"><c r="A200000"><v>7</v></c></row></sheetData>')
    p = tmp_path / "sparse.xlsx"
    p.write_bytes(handmade_xlsx(body))
    (s,) = read_file(p)
    assert len(s.rows) == 200_000 and s.rows[0] == ["月份", 2] and s.rows[199_999][0] == 7
    assert s.rows[5] == ["", ""] and s.rows[5] is not s.rows[6]   # empty rows are separate lists


def test_row_number_too_long_for_int_is_a_message(tmp_path):
    p = tmp_path / "长行号.xlsx"
    p.write_bytes(handmade_xlsx(f'<sheetData><row r="{"9" * 5000}" hidden="1"><c><v>1</v></c></row></sheetData>'))
    _refused(p)


def test_check_size_refuses_before_reading(tmp_path):
    from greendesk.core.meters.reader import check_size

    big = tmp_path / "大.csv"
    with open(big, "wb") as f:
        f.truncate(read_limits.MAX_CSV_BYTES + 1)
    with pytest.raises(UserError) as ei:
        check_size(big)
    assert "大.csv" in ei.value.en
    small = tmp_path / "小.csv"
    small.write_text("a,b\n", encoding="utf-8")
    check_size(small)
    check_size(tmp_path / "missing.csv")


def test_ods_hidden_rows_and_columns(tmp_path):
    p = ods(tmp_path / "hidden.ods", LEDGER, sheet="台账")
    with zipfile.ZipFile(p) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    c = members["content.xml"]
    c = c.replace(b'table:name="\xe5\x8f\xb0\xe8\xb4\xa6">', b'table:name="\xe5\x8f\xb0\xe8\xb4\xa6"><table:table-column '
                  b'table:number-columns-repeated="2"/><table:table-column table:visibility="collapse"/>', 1)
    rows = c.split(b"<table:table-row>")
    rows[5] = b'<table:table-row table:visibility="filter">' + rows[5]   # 2025-03 (rows[0] is the preamble)
    rows[7] = b'<table:table-row table:visibility="collapse">' + rows[7]  # 2025-05
    c = rows[0] + b"".join(r if r.startswith(b"<table:table-row") else b"<table:table-row>" + r for r in rows[1:])
    members["content.xml"] = c
    with zipfile.ZipFile(p, "w") as z:
        for k, v in members.items():
            z.writestr(k, v)
    (s,) = read_file(p)
    assert s.rows[4][0] == "2025-03" and s.rows[6][0] == "2025-05"
    assert s.hidden_rows == {4, 6} and s.hidden_cols == {2}
