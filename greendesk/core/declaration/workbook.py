"""The 申报表 as an .xlsx workbook (openpyxl): one row per indicator in the platform's column order,
A4 landscape, fit to the page width, the header row repeated on every page and frozen, text wrapped.

Sheet 1 is the table; sheet 2 (计算过程明细) lists every input of every computed row with its value,
unit and origin (the import or the factor with its source and certainty), so that a reviewer can
follow each figure from the ledger to the score without recomputing it.
"""

from __future__ import annotations

import io
from pathlib import Path

from greendesk.core.declaration.table import COLUMNS, cell_value
from greendesk.core.i18n import language

# column widths (characters) in COLUMNS order
WIDTHS = (12, 7, 22, 9, 6, 10, 10, 10, 10, 12, 6, 36, 18, 56)
_ORIGIN = {"answer": ("填报", "answer"), "ledger": ("台账", "ledger"), "computed": ("计算", "computed"),
           "factor": ("因子", "factor"), "missing": ("缺失", "missing")}


def build_workbook(doc: dict, *, lang: str | None = None):
    """An openpyxl Workbook of ``doc`` (:func:`greendesk.core.declaration.table.declaration_table`)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from greendesk.core.xlsxsheet import print_setup, sheet_style, write_header

    lang = lang or language()
    zh = lang == "zh"
    st = sheet_style(zh)
    box, wrap, warn_fill = st.box, st.wrap, st.flag_fill

    wb = Workbook()
    ws = wb.active
    ws.title = "申报表" if zh else "Declaration table"
    ncol = len(COLUMNS)
    title = f"{doc['scheme_title']} — {'申报表' if zh else 'declaration table'}"
    ws.cell(1, 1, title).font = st.font_of(bold=True, size=13)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    info = (f"{'企业名称' if zh else 'Factory'}：{doc.get('factory') or ''}    "
            f"{'统一社会信用代码' if zh else 'USCC'}：{doc.get('uscc') or ''}    "
            f"{'评价年度' if zh else 'Year'}：{doc['year']}    "
            f"{'自评总分' if zh else 'Self-assessed total'}：{doc.get('total')} / {doc.get('max')}")
    ws.cell(2, 1, info).font = st.font_of()
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    hr = 3
    write_header(ws, hr, [czh if zh else cen for _k, czh, cen in COLUMNS], st)
    missing = set(doc.get("missing_evidence") or ())
    r = hr
    for row in doc["rows"]:
        r += 1
        for j, (key, _zh, _en) in enumerate(COLUMNS, 1):
            v = cell_value(row, key)
            c = ws.cell(r, j, v)
            c.border = box
            c.font = st.font_of(size=9)
            c.alignment = wrap
            if isinstance(v, float):
                c.number_format = "#,##0.00" if abs(v) >= 1 or v == 0 else "0.0000"
        if row["id"] in missing:
            ws.cell(r, [k for k, *_ in COLUMNS].index("files_text") + 1).fill = warn_fill
    r += 2
    note = ("说明：“计算过程”列出每个输入的数值、单位和来源（台账导入编号、因子及其出处）；明细见第二张表。"
            "引领值/基准值为“/”表示方案未给出数值，须由评价机构或平台设定；⚠ 表示出处待核实。"
            "橙色单元格：该行已有数值但尚未附任何要求的证明材料。") if zh else (
        "Notes: the Calculation column gives every input with its value, unit and origin (the ledger import, the "
        "factor and its source); sheet 2 has the details. A '/' benchmark means the scheme gives none: the "
        "evaluator or the platform sets it; ⚠ marks an uncertain source. Orange cell: the row has a value but none "
        "of its required evidence is attached.")
    ws.cell(r, 1, note).font = st.font_of(size=9, italic=True)
    ws.cell(r, 1).alignment = wrap
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    ws.row_dimensions[r].height = 40
    for j, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    print_setup(ws, hr, "D", side_margin=0.3)

    ws2 = wb.create_sheet("计算过程明细" if zh else "Calculation details")
    head = (["序号", "指标", "输入", "数值", "单位", "来源", "出处（导入/因子）", "确定性"] if zh else
            ["No.", "Indicator", "Input", "Value", "Unit", "Origin", "Where from (import / factor)", "Certainty"])
    write_header(ws2, 1, head, st)
    rr = 1

    def put(values: list) -> None:
        nonlocal rr
        rr += 1
        for j, v in enumerate(values, 1):
            c = ws2.cell(rr, j, v)
            c.border = box
            c.font = st.font_of(size=9)
            c.alignment = wrap
            if isinstance(v, float):
                c.number_format = "#,##0.0000" if abs(v) < 1 else "#,##0.00####"

    for row in doc["rows"]:
        calc = row.get("calculation")
        if not calc:
            continue
        for inp in calc["inputs"]:
            origin = _ORIGIN.get(inp["origin"], (inp["origin"],) * 2)[0 if zh else 1]
            where = "；".join(f"{i['file']} #{i['id']}" for i in inp.get("imports") or [])
            if inp.get("via") == "production":
                where = "产量/产值录入" if zh else "production record"
            v = inp.get("value")
            put([row["code"], row["title"], inp["name"], float(v) if isinstance(v, (int, float)) else
                 (f"{len(v)}" if isinstance(v, list) else v), inp.get("unit"), origin, where, ""])
            for p in inp.get("parts") or []:
                fac = p.get("factor")
                put([row["code"], row["title"], f"  {p['name']}", float(p["value"]), p["unit"], origin,
                     "；".join(p.get("files") or []), ""])
                if fac:
                    put([row["code"], row["title"], f"    × {fac['name']}", float(fac["value"]), fac["unit"],
                         _ORIGIN["factor"][0 if zh else 1], fac.get("source") or "", fac.get("certainty") or ""])
        res = calc.get("result") or {}
        put([row["code"], row["title"], "= " + ("结果" if zh else "result"),
             float(res["value"]) if isinstance(res.get("value"), (int, float)) else "—", res.get("unit"),
             _ORIGIN["computed"][0 if zh else 1], calc.get("formula") or "", ""])
    for j, w in enumerate((7, 22, 30, 14, 12, 8, 50, 10), 1):
        ws2.column_dimensions[get_column_letter(j)].width = w
    print_setup(ws2, 1, "C", side_margin=0.3)
    return wb


def write_workbook(doc: dict, path: str | Path, *, lang: str | None = None) -> Path:
    path = Path(path)
    build_workbook(doc, lang=lang).save(path)
    return path


def workbook_bytes(doc: dict, *, lang: str | None = None) -> bytes:
    buf = io.BytesIO()
    build_workbook(doc, lang=lang).save(buf)
    return buf.getvalue()

