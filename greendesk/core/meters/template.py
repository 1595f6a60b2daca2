"""A clean monthly ledger template (openpyxl) that the importer reads back exactly."""

from __future__ import annotations

from pathlib import Path

from greendesk.core.meters.catalog import catalog

HEADERS = ["月份", "计量点", "能源品种", "用量", "单位", "备注"]
TEMPLATE_UNITS = ["kWh", "MWh", "万kWh", "m3", "万m3", "t", "kg", "GJ", "MJ", "L"]
ROWS = 1000


def template_carrier_names() -> dict[str, str]:
    """Drop-down text -> carrier id."""
    cat = catalog()
    return {cat.carriers[c].zh: c for c in cat.carriers}


def write_template(path: str | Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "能源台账"
    ws["A1"] = "能源与水计量月报 Energy and water monthly ledger"
    ws["A1"].font = Font(bold=True, size=14)
    # no example year here: a year in the note rows would be taken as the ledger's year for 1月…12月 labels
    ws["A2"] = ("月份填“年-月”形式（如 YYYY-MM）；能源品种与单位从下拉列表选择；缺数留空（不要填 0）。"
                " Month as year-month (YYYY-MM); pick carrier and unit from the lists; leave missing values empty "
                "(not 0).")
    for i, h in enumerate(HEADERS, start=1):
        c = ws.cell(row=3, column=i, value=h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
    for col, width in zip("ABCDEF", (12, 20, 22, 16, 10, 30), strict=True):
        ws.column_dimensions[col].width = width
    lists = wb.create_sheet("lists")
    names = list(template_carrier_names())
    for i, n in enumerate(names, start=1):
        lists.cell(row=i, column=1, value=n)
    for i, u in enumerate(TEMPLATE_UNITS, start=1):
        lists.cell(row=i, column=2, value=u)
    lists.sheet_state = "hidden"
    dv_c = DataValidation(type="list", formula1=f"=lists!$A$1:$A${len(names)}", allow_blank=True,
                          showErrorMessage=True, errorTitle="能源品种", error="请从列表中选择 / pick from the list")
    dv_u = DataValidation(type="list", formula1=f"=lists!$B$1:$B${len(TEMPLATE_UNITS)}", allow_blank=True,
                          showErrorMessage=True, errorTitle="单位", error="请从列表中选择 / pick from the list")
    ws.add_data_validation(dv_c)
    ws.add_data_validation(dv_u)
    dv_c.add(f"C4:C{ROWS + 3}")
    dv_u.add(f"E4:E{ROWS + 3}")
    for r in range(4, ROWS + 4):
        ws.cell(row=r, column=1).number_format = "@"
    ws.freeze_panes = "A4"
    wb.save(path)
    return path
