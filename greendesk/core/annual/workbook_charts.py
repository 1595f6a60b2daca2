"""The annual return workbook's chart sheet: the years side by side as openpyxl charts over tables in the
same sheet (each carrier's months, one series per year; each key indicator, one bar per year). A missing
month or year is an empty cell (a gap in the chart), never 0."""

from __future__ import annotations

from greendesk.core.annual.series import indicators

CHART_W, CHART_H = 16.0, 7.0     # cm
ROWS_PER_CHART = 15              # rows a chart of CHART_H covers at the default row height


def add_chart_sheet(wb, doc: dict, *, zh: bool) -> object | None:
    """A sheet '逐年对比图' / 'Charts' with the data tables and one chart per carrier and key indicator;
    None (no sheet) when there is nothing to chart."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    months = doc.get("monthly") or []
    inds = indicators(doc)
    if not months and not inds:
        return None
    ws = wb.create_sheet("逐年对比图" if zh else "Charts")
    bold = Font(bold=True)
    years = [str(y) for y in doc["years"]]
    row = 1
    charts_at = 1
    anchor_col = "H"
    for c in months:
        ws.cell(row=row, column=1, value=f"{c['label']}（{c['unit']}）" if zh else f"{c['label']} ({c['unit']})").font = bold
        ws.cell(row=row + 1, column=1, value="月份" if zh else "Month").font = bold
        for j, y in enumerate(years, 2):
            ws.cell(row=row + 1, column=j, value=int(y)).font = bold
        for m in range(12):
            ws.cell(row=row + 2 + m, column=1, value=f"{m + 1}月" if zh else str(m + 1))
            for j, y in enumerate(years, 2):
                v = (c["years"].get(y) or [None] * 12)[m]
                if v is not None:
                    ws.cell(row=row + 2 + m, column=j, value=v)
        ch = BarChart()
        ch.type = "col"
        ch.grouping = "clustered"
        ch.title = f"{c['label']}（{c['unit']}）" if zh else f"{c['label']} ({c['unit']})"
        ch.y_axis.title = c["unit"]
        ch.x_axis.title = "月份" if zh else "Month"
        data = Reference(ws, min_col=2, max_col=1 + len(years), min_row=row + 1, max_row=row + 13)
        ch.add_data(data, titles_from_data=True)
        ch.set_categories(Reference(ws, min_col=1, min_row=row + 2, max_row=row + 13))
        ch.width, ch.height = CHART_W, CHART_H
        ws.add_chart(ch, f"{anchor_col}{charts_at}")
        charts_at += ROWS_PER_CHART
        row += 15
    if inds:
        all_years = [str(c["year"]) for c in doc["columns"]]
        ly = doc.get("listing_year")
        ws.cell(row=row, column=1, value="关键指标逐年对比" if zh else "Key indicators, year by year").font = bold
        ws.cell(row=row + 1, column=1, value="指标" if zh else "Indicator").font = bold
        for j, y in enumerate(all_years, 2):
            tag = ("（认定年）" if zh else " (listed)") if ly is not None and int(y) == ly else ""
            ws.cell(row=row + 1, column=j, value=f"{y}{tag}").font = bold
        ws.cell(row=row + 1, column=2 + len(all_years), value="单位" if zh else "Unit").font = bold
        for i, r in enumerate(inds):
            rr = row + 2 + i
            ws.cell(row=rr, column=1, value=r["label"])
            for j, y in enumerate(all_years, 2):
                if r["values"].get(y) is not None:
                    ws.cell(row=rr, column=j, value=r["values"][y])
            ws.cell(row=rr, column=2 + len(all_years), value=r["unit"])
            ch = BarChart()
            ch.type = "col"
            ch.title = f"{r['label']}（{r['unit']}）" if zh else f"{r['label']} ({r['unit']})"
            ch.legend = None
            ch.add_data(Reference(ws, min_col=2, max_col=1 + len(all_years), min_row=rr, max_row=rr), from_rows=True,
                        titles_from_data=False)
            ch.set_categories(Reference(ws, min_col=2, max_col=1 + len(all_years), min_row=row + 1, max_row=row + 1))
            ch.width, ch.height = CHART_W, CHART_H
            ws.add_chart(ch, f"{anchor_col}{charts_at}")
            charts_at += ROWS_PER_CHART
    ws.column_dimensions["A"].width = 34
    for col in "BCDEF":
        ws.column_dimensions[col].width = 13
    return ws
