"""The annual return (动态管理表) page: the key figures of a year beside the two years before and the
listing year, where each figure comes from, the three-year check with what to do, and the .xlsx export.

All figures come from :mod:`greendesk.core.annual`; this page only shows them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from greendesk.core.errors import UserError
from greendesk.ui.errors import show_error
from greendesk.ui.i18n import _, language

FLAG_BG = QBrush(QColor("#fce4d6"))
MISSING_FG = QBrush(QColor("#c00000"))
NO_LISTING = 1989     # the spin box's "not set" value (years start at 1990)


def _fmt(v) -> str:
    if v is None:
        return "—"
    a = abs(v)
    digits = 0 if a >= 1000 else 1 if a >= 100 else 2 if a >= 1 else 4
    from PySide6.QtCore import QLocale

    return QLocale().toString(float(v), "f", digits)


def _source_word(source: str) -> str:
    return {"ledger": _("ledger"), "factor": _("ledger × factor"), "answer": _("answer"),
            "computed": _("computed"), "missing": _("no figure")}.get(source, source)


def _status_word(status: str) -> str:
    return {"flagged": _("flagged"), "missing": _("data missing"), "ok": _("ok"),
            "not_applicable": _("not applicable")}.get(status, status)


class AnnualPage(QWidget):
    """``AnnualPage(ws, year)``; emits ``changed`` after the listing year was stored."""

    changed = Signal()

    def __init__(self, ws, year: int | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("annual_page")
        self.ws = ws
        self.doc: dict | None = None
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("annual_title")
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.title.setFont(f)
        top.addWidget(self.title, 1)
        top.addWidget(QLabel(_("Year reported")))
        self.year = QSpinBox()
        self.year.setObjectName("annual_year")
        self.year.setRange(1990, 2100)
        from greendesk.core.annual.returns import default_year, listing_year

        try:
            self.year.setValue(int(year) if year is not None else default_year(ws))
        except UserError:
            self.year.setValue(2025)
        top.addWidget(self.year)
        top.addWidget(QLabel(_("Listed in")))
        self.listing = QSpinBox()
        self.listing.setObjectName("annual_listing_year")
        self.listing.setRange(NO_LISTING, 2100)
        self.listing.setSpecialValueText(_("not set"))
        ly = listing_year(ws)
        self.listing.setValue(ly if ly is not None else NO_LISTING)
        self.listing.setEnabled(not getattr(ws, "readonly", False))
        top.addWidget(self.listing)
        self.export_button = QPushButton(_("Export .xlsx…"))
        self.export_button.setObjectName("annual_export")
        top.addWidget(self.export_button)
        lay.addLayout(top)
        self.note = QLabel()
        self.note.setObjectName("annual_note")
        self.note.setWordWrap(True)
        lay.addWidget(self.note)

        split = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget()
        self.table.setObjectName("annual_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        split.addWidget(self.table)
        self.findings = QTableWidget()
        self.findings.setObjectName("annual_findings")
        self.findings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.findings.verticalHeader().setVisible(False)
        self.findings.setWordWrap(True)
        split.addWidget(self.findings)
        from PySide6.QtWidgets import QScrollArea, QTabWidget

        from greendesk.ui.yearcharts import YearCharts

        self.views = QTabWidget()          # the figures and findings; the years side by side as charts
        self.views.setObjectName("annual_views")
        self.views.setDocumentMode(True)
        self.views.addTab(split, _("Figures and check"))
        self.charts = YearCharts()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.charts)
        self.views.addTab(scroll, _("Charts across the years"))
        lay.addWidget(self.views, 1)

        self.year.valueChanged.connect(lambda _v: self.reload())
        self.listing.editingFinished.connect(self._store_listing)
        self.export_button.clicked.connect(self._export_clicked)

    # -- data -----------------------------------------------------------------------

    def reload(self) -> None:
        from greendesk.core.annual.returns import build_return

        try:
            self.doc = build_return(self.ws, self.year.value(), lang=language())
        except UserError as e:
            self.doc = None
            self.note.setText(e.message(language()))
            self.table.setRowCount(0)
            self.findings.setRowCount(0)
            self.charts.set_doc(None)
            return
        self._fill()
        self.charts.set_doc(self.doc)

    def _store_listing(self) -> None:
        from greendesk.core.annual.returns import listing_year, set_listing_year

        v = self.listing.value()
        new = None if v == NO_LISTING else v
        if new == listing_year(self.ws):
            return
        try:
            set_listing_year(self.ws, new)
        except UserError as e:
            show_error(self, e)
            return
        self.changed.emit()
        self.reload()

    def _fill(self) -> None:
        d = self.doc
        self.title.setText(f"{d['template']['title']} · {d['year']}")
        notes = list(d.get("notes") or [])
        c = d["check"]["counts"]
        notes.insert(0, _("Three-year check: {f} flagged, {m} with missing data, {o} ok.").format(
            f=c["flagged"], m=c["missing"], o=c["ok"]))
        self.note.setText(" ".join(notes))
        years = [col["year"] for col in d["columns"]]
        heads = [_("Indicator"), _("Unit")]
        for y in years:
            heads.append(f"{y} ({_('listed')})" if y == d["listing_year"] else str(y))
        heads += [_("Change"), _("Source")]
        t = self.table
        t.clear()
        t.setColumnCount(len(heads))
        t.setHorizontalHeaderLabels(heads)
        t.setRowCount(len(d["rows"]))
        for i, row in enumerate(d["rows"]):
            t.setItem(i, 0, QTableWidgetItem(row["label"]))
            t.setItem(i, 1, QTableWidgetItem(row["unit"]))
            for j, y in enumerate(years, 2):
                cell = row["values"][str(y)]
                if cell["value"] is None:
                    it = QTableWidgetItem(_("n/a") if cell.get("not_applicable") else _("no figure"))
                    it.setForeground(MISSING_FG)
                else:
                    it = QTableWidgetItem(_fmt(cell["value"]))
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                it.setToolTip("\n".join(x for x in (cell["detail"], cell.get("note") or "") if x))
                t.setItem(i, j, it)
            ch = row["change"]
            text = "" if ch["pct"] is None else f"{ch['pct']:+.1f} %"
            it = QTableWidgetItem(text)
            if ch["judgement"] == "worse":
                it.setBackground(FLAG_BG)
            t.setItem(i, len(years) + 2, it)
            cur = row["values"][str(d["year"])]
            t.setItem(i, len(years) + 3, QTableWidgetItem(_source_word(cur["source"])))
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for k in range(1, len(heads)):
            t.horizontalHeader().setSectionResizeMode(k, QHeaderView.ResizeMode.ResizeToContents)

        fs = d["check"]["findings"]
        ft = self.findings
        ft.clear()
        fh = [_("Indicator"), _("Status"), _("Why"), _("What to do")]
        ft.setColumnCount(len(fh))
        ft.setHorizontalHeaderLabels(fh)
        ft.setRowCount(len(fs))
        for i, fd in enumerate(fs):
            ft.setItem(i, 0, QTableWidgetItem(fd["label"]))
            st = QTableWidgetItem(_status_word(fd["status"]))
            if fd["status"] == "flagged":
                st.setBackground(FLAG_BG)
            ft.setItem(i, 1, st)
            ft.setItem(i, 2, QTableWidgetItem("\n".join(r["message"] for r in fd["reasons"])))
            ft.setItem(i, 3, QTableWidgetItem("\n".join(r["action"] for r in fd["reasons"])))
        ft.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        ft.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        ft.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        ft.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        ft.resizeRowsToContents()

    # -- export ---------------------------------------------------------------------

    def _export_clicked(self) -> None:
        from greendesk.ui.exportaction import export_clicked

        export_clicked(self, _("Export the annual return"), _("Annual return"), self.export_to)

    def export_to(self, path: str):
        from greendesk.core.annual.workbook import write_return
        from greendesk.ui.exportaction import write_xlsx

        return write_xlsx(self, path, lambda p: write_return(self.doc, p, lang=language()))
