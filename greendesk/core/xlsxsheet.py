"""What the printable workbooks (the 申报表, the annual return) share: cell styles, a header row and
the page set-up (A4 landscape, fit to the page width, the header row repeated on every page and frozen).

openpyxl is imported on first use, so that importing this module costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SheetStyle:
    font: str          # the font name: Microsoft YaHei for Chinese, Calibri otherwise
    box: Any           # thin grey border on all sides
    head_fill: Any     # the header row's green
    flag_fill: Any     # orange: a cell that needs the reader's attention
    wrap: Any          # wrapped text
    center: Any        # centred and wrapped

    def font_of(self, *, size: int = 10, bold: bool = False, italic: bool = False, color: str | None = None):
        from openpyxl.styles import Font

        return Font(name=self.font, size=size, bold=bold, italic=italic, color=color)


def sheet_style(zh: bool, *, vertical: str = "top") -> SheetStyle:
    """The styles for a workbook in Chinese (``zh``) or English; ``vertical`` aligns wrapped text."""
    from openpyxl.styles import Alignment, Border, PatternFill, Side

    thin = Side(style="thin", color="808080")
    return SheetStyle(
        font="Microsoft YaHei" if zh else "Calibri",
        box=Border(left=thin, right=thin, top=thin, bottom=thin),
        head_fill=PatternFill("solid", fgColor="E2EFDA"),
        flag_fill=PatternFill("solid", fgColor="FCE4D6"),
        wrap=Alignment(wrap_text=True, vertical=vertical),
        center=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )


def write_header(ws, row: int, labels, st: SheetStyle) -> None:
    """The header row ``row`` of ``ws``: bold, filled, centred and boxed, one label per column from A."""
    for j, label in enumerate(labels, 1):
        c = ws.cell(row, j, label)
        c.font = st.font_of(bold=True)
        c.fill = st.head_fill
        c.alignment = st.center
        c.border = st.box


def print_setup(ws, header_row: int, freeze_col: str = "D", *, side_margin: float = 0.4) -> None:
    """A4 landscape, one page wide, row ``header_row`` repeated on every page and frozen with the
    columns before ``freeze_col``."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = side_margin
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = f"{freeze_col}{header_row + 1}"
