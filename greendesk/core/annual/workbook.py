"""The annual return as an .xlsx workbook (openpyxl), laid out to print on A4 landscape.

Sheet 1 is the return (one row per template row, the years side by side, the change and the source of
each figure); sheet 2 the three-year check with what to do; sheet 3 the years side by side as charts
(:mod:`greendesk.core.annual.workbook_charts`). Numbers are stored as numbers (a missing
figure is an empty cell with "缺失/missing" beside it, never 0).
"""

from __future__ import annotations

from pathlib import Path

from greendesk.core.i18n import language

_SOURCE = {"ledger": ("台账", "ledger"), "factor": ("台账×因子", "ledger × factor"), "answer": ("填报", "answer"),
           "computed": ("计算", "computed"), "missing": ("缺失", "missing")}
_JUDGE = {"better": ("改善", "better"), "worse": ("变差", "worse"), "same": ("持平", "same")}
_STATUS = {"flagged": ("需关注", "flagged"), "missing": ("数据缺失", "missing"), "ok": ("符合", "ok"),
           "not_applicable": ("不适用", "not applicable")}


def _num_format(unit: str, values: list[float]) -> str:
    big = max((abs(v) for v in values if v is not None), default=0)
    if unit == "%" or big < 1000:
        return "#,##0.00" if big >= 1 or big == 0 else "0.0000"
    return "#,##0.0"


def write_return(doc: dict, path: str | Path, *, lang: str | None = None) -> Path:
    """Write ``doc`` (from :func:`greendesk.core.annual.returns.build_return`) to ``path``; returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from greendesk.core.xlsxsheet import print_setup, sheet_style, write_header

    lang = lang or language()
    zh = lang == "zh"

    def tr(pair: tuple[str, str]) -> str:
        return pair[0] if zh else pair[1]

    st = sheet_style(zh, vertical="center")
    box, flag_fill, wrap, center = st.box, st.flag_fill, st.wrap, st.center

    wb = Workbook()
    ws = wb.active
    ws.title = "动态管理表" if zh else "Annual return"
    year, years, ly = doc["year"], doc["years"], doc.get("listing_year")
    cols = [c["year"] for c in doc["columns"]]
    extra = [ly] if ly is not None and ly not in years else []
    shown = extra + years
    header = ["序号" if zh else "No.", "指标" if zh else "Indicator", "单位" if zh else "Unit"]
    for yy in shown:
        tag = ("（认定年）" if zh else " (listed)") if yy == ly else ""
        header.append(f"{yy}{tag}")
    header += [f"{'较上年' if zh else 'vs'} {year - 1}", "变化率" if zh else "Change %", "评价" if zh else "Trend",
               f"{year} {'数据来源' if zh else 'source'}", "说明" if zh else "Notes"]
    ncol = len(header)
    f = doc["factory"]
    ws.cell(1, 1, doc["template"]["title"]).font = st.font_of(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    info = (f"{'企业名称' if zh else 'Factory'}：{f.get('name') or ''}    {'统一社会信用代码' if zh else 'USCC'}："
            f"{f.get('uscc') or ''}    {'填报年度' if zh else 'Year'}：{year}    "
            f"{'认定年份' if zh else 'Listed'}：{ly if ly is not None else ('未设置' if zh else 'not set')}")
    ws.cell(2, 1, info).font = st.font_of()
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    hr = 4
    write_header(ws, hr, header, st)
    r = hr
    for i, row in enumerate(doc["rows"], 1):
        r += 1
        vals = [row["values"].get(str(yy), {}).get("value") if yy in cols else None for yy in shown]
        fmt = _num_format(row["unit"], vals)
        cells = [i, row["label"], row["unit"]]
        for j, v in enumerate(cells, 1):
            ws.cell(r, j, v)
        for j, (yy, v) in enumerate(zip(shown, vals, strict=True), 4):
            na = row["values"].get(str(yy), {}).get("not_applicable")
            gap = ("不适用" if zh else "n/a") if na else ("缺失" if zh else "missing")
            c = ws.cell(r, j, v if v is not None else gap)
            if v is not None:
                c.number_format = fmt
            else:
                c.font = st.font_of(italic=True, color="C00000")
                c.alignment = center
        j = 4 + len(shown)
        ch = row["change"]
        c = ws.cell(r, j, ch["abs"])
        c.number_format = fmt
        c = ws.cell(r, j + 1, None if ch["pct"] is None else ch["pct"] / 100)
        c.number_format = "0.0%"
        ws.cell(r, j + 2, tr(_JUDGE[ch["judgement"]]) if ch["judgement"] else "")
        cur = row["values"].get(str(year), {})
        ws.cell(r, j + 3, f"{tr(_SOURCE.get(cur.get('source'), ('', '')))}：{cur.get('detail') or ''}".strip("："))
        ws.cell(r, j + 4, cur.get("note") or "")
        for jj in range(1, ncol + 1):
            c = ws.cell(r, jj)
            c.border = box
            if c.font is None or not c.font.italic:
                c.font = st.font_of()
            if jj in (2, ncol - 1, ncol):
                c.alignment = wrap
        if ch["judgement"] == "worse" and row["direction"] != "none":
            ws.cell(r, j + 2).fill = flag_fill
    r += 2
    legend = ("数据来源：台账 = 导入的能源台账或产量/产值记录；台账×因子 = 台账乘以折标/排放因子（见 greendesk factors）；"
              "填报 = 评价中填写的答案；计算 = 由其他行计算；缺失 = 没有数据（不按零计）。") if zh else (
        "Sources: ledger = imported meter ledgers or production records; ledger × factor = ledgers with the "
        "emission factors (see greendesk factors); answer = entered in the assessment; computed = a formula over "
        "other rows; missing = no figure (not zero).")
    ws.cell(r, 1, legend).font = st.font_of(size=9)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    r += 1
    ws.cell(r, 1, doc["template"]["source_notes"]).font = st.font_of(size=9, italic=True)
    ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    ws.row_dimensions[r].height = 48
    widths = [5, 34, 10] + [12] * len(shown) + [11, 9, 7, 30, 26]
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    print_setup(ws, hr)

    chk = doc.get("check")
    if chk:
        ws2 = wb.create_sheet("三年核查" if zh else "Three-year check")
        h2 = ["指标" if zh else "Indicator", "单位" if zh else "Unit"] + [str(y) for y in chk["years"]] + \
             ["认定年" if zh else "Listed", "基准值" if zh else "基准值", "结论" if zh else "Status",
              "原因" if zh else "Why", "建议" if zh else "What to do"]
        ws2.cell(1, 1, ("三年关键指标核查" if zh else "Three-year check of the key indicators") + f"（{year}）")
        ws2.cell(1, 1).font = st.font_of(bold=True, size=13)
        ws2.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(h2))
        write_header(ws2, 3, h2, st)
        rr = 3
        for fd in chk["findings"]:
            rr += 1
            vals = [fd["values"].get(str(y)) for y in chk["years"]]
            fmt = _num_format(fd["unit"], vals + [fd.get("listing_value"), fd.get("baseline")])
            line = [fd["label"], fd["unit"], *vals, fd.get("listing_value"), fd.get("baseline"),
                    tr(_STATUS[fd["status"]]), "\n".join(x["message"] for x in fd["reasons"]),
                    "\n".join(x["action"] for x in fd["reasons"])]
            for j, v in enumerate(line, 1):
                c = ws2.cell(rr, j, v)
                c.border = box
                c.font = st.font_of()
                c.alignment = wrap
                if isinstance(v, float):
                    c.number_format = fmt
            if fd["status"] == "flagged":
                ws2.cell(rr, 3 + len(chk["years"]) + 2).fill = flag_fill
        sc = chk.get("score") or {}
        if sc.get("totals"):
            rr += 2
            ws2.cell(rr, 1, "总分" if zh else "Total score").font = st.font_of(bold=True)
            for j, y in enumerate(chk["years"], 3):
                ws2.cell(rr, j, sc["totals"].get(str(y))).number_format = "0.00"
            ws2.cell(rr, 3 + len(chk["years"]) + 2, tr(_STATUS.get(sc["status"], ("", "")))).font = st.font_of()
            ws2.cell(rr, 3 + len(chk["years"]) + 3, "\n".join(x["message"] for x in sc.get("reasons") or []))
            ws2.cell(rr, 3 + len(chk["years"]) + 4, "\n".join(x["action"] for x in sc.get("reasons") or []))
        for j, w in enumerate([30, 10] + [11] * len(chk["years"]) + [11, 10, 9, 44, 52], 1):
            ws2.column_dimensions[get_column_letter(j)].width = w
        print_setup(ws2, 3)
    from greendesk.core.annual.workbook_charts import add_chart_sheet

    add_chart_sheet(wb, doc, zh=zh)      # the years side by side as charts
    path = Path(path)
    wb.save(path)
    return path

