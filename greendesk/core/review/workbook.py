"""The summary workbook: one sheet per comparison view, a bar chart per indicator on the indicator sheet."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from greendesk.core.errors import UserError
from greendesk.core.i18n import language

MAX_CHARTS = 40  # one chart per indicator, at most this many (the sheet stays readable)


def write_summary(con, out_path: str | Path, lang: str | None = None) -> dict:
    """Write the workbook (atomically: a temporary file renamed into place). Returns {"path", "sheets"}."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.series import SeriesLabel
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from greendesk.core.review.store import SHEETS

    lang = lang or language()
    zh = lang == "zh"
    out_path = Path(out_path)
    folder = out_path.parent if str(out_path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"目标文件夹不存在：{folder}", f"The target folder does not exist: {folder}")
    if out_path.is_dir():
        raise UserError(f"{out_path} 是文件夹，请给出文件名。", f"{out_path} is a folder; give a file name.")
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {}
    for view, (title_zh, title_en), cols in SHEETS:
        ws = wb.create_sheet(title_zh if zh else title_en)
        names = [c[0] for c in cols]
        order = {"v_indicator_peers": "indicator_id, year, industry_class, province, rank_by_value",
                 "v_packages": "package_id", "v_outliers": "factory_name, rule, subject",
                 "v_monthly": "factory_name, carrier, month", "v_notes": "package_id, indicator_id, note_id"}[view]
        select = [f"text_{'zh' if zh else 'en'}" if n == "text" else n for n in names]  # texts in the language
        rows = con.execute(f"SELECT {', '.join(select)} FROM {view} ORDER BY {order}").fetchall()
        ws.append([c[1] if zh else c[2] for c in cols])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append([_cell(v) for v in r])
        ws.freeze_panes = "A2"
        for i, (_name, h_zh, h_en) in enumerate(cols, start=1):
            width = max([len(str(h_zh if zh else h_en))] + [len(str(r[i - 1])) for r in rows[:200] if r[i - 1] is not None])
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, width + 2))
        sheets[view] = {"title": ws.title, "rows": len(rows)}
        if view == "v_indicator_peers" and rows:
            # one bar chart per indicator: each factory's value beside its group's median
            ind, fac, val, med = (names.index(k) for k in ("indicator_id", "factory_name", "value", "median"))
            col_x = len(cols) + 2
            spans: list[tuple[str, str, int, int]] = []
            for n, r in enumerate(rows, start=2):
                if spans and spans[-1][0] == r[ind]:
                    spans[-1] = (*spans[-1][:3], n)
                else:
                    spans.append((r[ind], f"{r[names.index('title')] or r[ind]} ({r[names.index('unit')] or ''})", n, n))
            charts = 0
            for k, (_ind, label, first, last) in enumerate(spans[:MAX_CHARTS]):
                chart = BarChart()
                chart.type = "col"
                chart.title = label
                chart.y_axis.title = cols[val][1] if zh else cols[val][2]
                for c in (val, med):
                    chart.add_data(Reference(ws, min_col=c + 1, min_row=first, max_row=last), titles_from_data=False)
                    chart.series[-1].tx = SeriesLabel(v=cols[c][1] if zh else cols[c][2])
                chart.set_categories(Reference(ws, min_col=fac + 1, min_row=first, max_row=last))
                chart.height, chart.width = 7, 14
                ws.add_chart(chart, f"{get_column_letter(col_x)}{2 + 15 * k}")
                charts += 1
            sheets[view]["charts"] = charts
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".part", dir=folder)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return {"path": str(out_path), "sheets": sheets}


def _cell(v):
    if isinstance(v, (list, tuple)):
        return "; ".join(map(str, v))
    if isinstance(v, float) and v != v:
        return None
    if hasattr(v, "isoformat") and not isinstance(v, (int, float)):
        return v.isoformat() if getattr(v, "tzinfo", None) else v
    return v
