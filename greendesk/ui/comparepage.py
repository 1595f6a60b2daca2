"""The re-benchmarking page: the workspace's answers scored under two schemes (old and new edition),
topic by topic and row by row, with what loses or gains points and the data the new edition needs.

All figures come from :mod:`greendesk.core.schemes.compare`; this page only shows them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from greendesk.core.errors import UserError
from greendesk.ui.i18n import _, fmt_num, language

LOSS_BG = QBrush(QColor("#fce4d6"))
GAIN_BG = QBrush(QColor("#e2f0d9"))
DEFAULT_PAIR = ("gbt36132-2018", "gbt36132-2025")


def _pts(x) -> str:
    return ("+" if x and x > 0 else "") + fmt_num(x, 2)


def _item(text: str, right: bool = False, tip: str = "") -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if right:
        it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if tip:
        it.setToolTip(tip)
    return it


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setWordWrap(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class ComparePage(QWidget):
    """``ComparePage(ws, assessment_id)``: pick two schemes; the comparison follows at once."""

    def __init__(self, ws, assessment_id: int | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("compare_page")
        self.ws = ws
        self.assessment_id = assessment_id
        self.result: dict | None = None
        lay = QVBoxLayout(self)
        intro = QLabel(_("Existing green factories re-benchmark against the new edition: the same answers are scored "
                         "under both schemes. Rows are grouped by topic; points are on the scale of each total."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        bar = QHBoxLayout()
        self.old_box, self.new_box = QComboBox(), QComboBox()
        self.old_box.setObjectName("compare_old")
        self.new_box.setObjectName("compare_new")
        bar.addWidget(QLabel(_("From")))
        bar.addWidget(self.old_box, 1)
        bar.addWidget(QLabel("→"))
        bar.addWidget(self.new_box, 1)
        lay.addLayout(bar)
        self.summary = QLabel()
        self.summary.setObjectName("compare_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        self.topics = _table([_("Topic"), _("Old: points / max"), _("New: points / max"), _("Change in points")])
        self.topics.setObjectName("compare_topics")
        self.rows = _table([_("Scheme"), _("Row"), _("Points"), _("Max"), _("How it was scored")])
        self.rows.setObjectName("compare_rows")
        self.needs = _table([_("Item"), _("Data the new edition needs"), _("Unit"), _("Not asked before"),
                             _("Related old answer")])
        self.needs.setObjectName("compare_needs")
        for title, w in ((_("What loses or gains points, by topic (select one to see its rows)"), self.topics),
                         (_("Row by row"), self.rows), (_("Data with no answer yet"), self.needs)):
            box = QWidget()
            bl = QVBoxLayout(box)
            bl.setContentsMargins(0, 4, 0, 0)
            head = QLabel(f"<b>{title}</b>")
            bl.addWidget(head)
            bl.addWidget(w)
            split.addWidget(box)
        lay.addWidget(split, 1)
        self._fill_boxes()
        self.old_box.currentIndexChanged.connect(self.reload)
        self.new_box.currentIndexChanged.connect(self.reload)
        self.topics.itemSelectionChanged.connect(self._show_rows)

    def _fill_boxes(self) -> None:
        from greendesk.core.schemes.registry import list_schemes

        lang = language()
        schemes = list_schemes()
        for box, want in ((self.old_box, DEFAULT_PAIR[0]), (self.new_box, DEFAULT_PAIR[1])):
            box.blockSignals(True)
            for s in schemes:
                box.addItem(s.name(lang), s.id)
            i = box.findData(want)
            box.setCurrentIndex(max(i, 0))
            box.blockSignals(False)

    def scheme_ids(self) -> list[str]:
        return [self.old_box.currentData(), self.new_box.currentData()]

    def set_schemes(self, old: str, new: str) -> None:
        for box, sid in ((self.old_box, old), (self.new_box, new)):
            box.blockSignals(True)
            box.setCurrentIndex(max(box.findData(sid), 0))
            box.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        from greendesk.core.schemes.compare import compare_workspace

        try:
            self.result = compare_workspace(self.ws, self.scheme_ids(), self.assessment_id, lang=language())
        except UserError as e:
            self.result = None
            self.summary.setText(e.message())
            for t in (self.topics, self.rows, self.needs):
                t.setRowCount(0)
            return
        self._show_summary()
        self._show_topics()
        self._show_rows()
        self._show_needs()

    def _show_summary(self) -> None:
        r = self.result
        parts = []
        for s in r["schemes"]:
            resc = " " + _("(rescaled)") if s["rescaled"] else ""
            q = (_("qualified") if s["qualified"] else _("not qualified")) + f" — {s['qualified_reason']}"
            line = f"<b>{s['title']}</b>: {fmt_num(s['total'], 2)} / {fmt_num(s['max'], 0)}{resc}; {q}"
            if s.get("points_table"):
                line += "; " + _("points table: {t}").format(t=s["points_table"]["label"])
            parts.append(line)
        if r.get("delta") is not None:
            parts.append(_("Change in score: {d} percentage points").format(d=_pts(r["delta"])))
        self.summary.setText("<br>".join(parts))

    def _show_topics(self) -> None:
        t = self.topics
        t.setRowCount(0)
        for tp in self.result["topics"]:
            i = t.rowCount()
            t.insertRow(i)
            cells = [_item(tp["label"]), _item(f"{fmt_num(tp['points'][0], 2)} / {fmt_num(tp['max'][0], 2)}", True),
                     _item(f"{fmt_num(tp['points'][1], 2)} / {fmt_num(tp['max'][1], 2)}", True),
                     _item(_pts(tp["delta"]), True)]
            bg = LOSS_BG if tp["change"] == "loses" else GAIN_BG if tp["change"] == "gains" else None
            for c, it in enumerate(cells):
                if bg is not None:
                    it.setBackground(bg)
                t.setItem(i, c, it)
            cells[0].setData(Qt.ItemDataRole.UserRole, tp["id"])

    def selected_topic(self) -> dict | None:
        rows = self.topics.selectionModel().selectedRows() if self.topics.selectionModel() else []
        if not rows or not self.result:
            return None
        return self.result["topics"][rows[0].row()]

    def _show_rows(self) -> None:
        t = self.rows
        t.setRowCount(0)
        if not self.result:
            return
        tp = self.selected_topic()
        for side, s in enumerate(self.result["schemes"]):
            wanted = set(tp["rows"][side]) if tp else None
            for row in self.result["rows"][side]:
                if wanted is not None and row["id"] not in wanted:
                    continue
                i = t.rowCount()
                t.insertRow(i)
                if row["kind"] == "veto":
                    pts = {True: _("met"), False: _("not met"), None: _("not answered")}[row["met"]]
                    mx = "—"
                else:
                    pts, mx = fmt_num(row["points"], 2), fmt_num(row["points_max"], 2)
                for c, it in enumerate([_item(s["id"]), _item(row["title"], tip=row["id"]), _item(pts, True),
                                        _item(mx, True), _item(row["explain"], tip=row["explain"])]):
                    t.setItem(i, c, it)

    def _show_needs(self) -> None:
        t = self.needs
        t.setRowCount(0)
        for x in self.result["new_data"]:
            i = t.rowCount()
            t.insertRow(i)
            rel = x.get("related")
            rel_text = f"{rel['field']} = {rel['value']}" if rel else ""
            cells = [_item(x["indicator_title"]), _item(x["label"], tip=x["field"]), _item(x.get("unit") or ""),
                     _item("✓" if x["new"] else ""), _item(rel_text, tip=rel["note"] if rel else "")]
            for c, it in enumerate(cells):
                t.setItem(i, c, it)
