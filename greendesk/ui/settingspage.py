"""Benchmarks (基准值/引领值) and conversion/emission factors: view with sources, correct per workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from greendesk.ui import schemeview
from greendesk.ui.errors import show_error
from greendesk.ui.guidance import certainty_short, certainty_text
from greendesk.ui.i18n import _, fmt_figure, label, language

USER_BG = QBrush(QColor("#fff4d6"))
EDITABLE = Qt.ItemFlag.ItemIsEditable
DEFAULT_SOURCE = Qt.ItemDataRole.UserRole + 1  # the scheme's/table's own source shown in a 来源 cell


def _user_source(item: QTableWidgetItem) -> str:
    """The source to record with a value the user typed: what they wrote in the 来源 cell, or 'entered by
    the user' when the cell still shows the published source (that text describes the default, not this value)."""
    text = item.text().strip()
    if not text or text == (item.data(DEFAULT_SOURCE) or "").strip():
        return "用户录入" if language() == "zh" else "entered by the user"
    return text


def _num(text: str):
    # one parser for typed numbers (core.numbers): NaN, inf, 2,35 and the like are refused, never guessed
    from greendesk.core.errors import UserError
    from greendesk.core.numbers import parse_number

    try:
        v = parse_number(text)
    except UserError:
        raise ValueError(text.strip()) from None
    return None if v is None else float(v)


class SettingsPage(QWidget):
    changed = Signal()

    def __init__(self, view, parent=None):
        super().__init__(parent)
        self.setObjectName("settings_page")
        self.view = view
        self.ws = view.ws
        self.scheme = view.scheme
        # nothing can be saved in a read-only workspace, nor changed in a final assessment
        self.locked = not getattr(view, "editable", not getattr(self.ws, "readonly", False))
        self._loading = False
        lay = QVBoxLayout(self)
        intro = QLabel(_("Figures from standards and notices, with their source. Where your evaluator uses other "
                         "values, type them in the highlighted columns: they apply to this workspace only and are "
                         "recorded with who and when. Clear a cell to go back to the default."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        split = QSplitter(Qt.Orientation.Vertical)
        lay.addWidget(split, 1)

        top = QWidget()
        v = QVBoxLayout(top)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(QLabel(f"<b>{_('Benchmarks (基准值 / 引领值)')}</b>"))
        self.bench = QTableWidget(0, 9)
        self.bench.setObjectName("benchmarks")
        self.bench.setHorizontalHeaderLabels([_("Indicator"), _("Band"), _("Unit"), _("Default baseline"),
                                              _("Default leading"), _("Baseline here"), _("Leading here"),
                                              _("Certainty"), _("Source")])
        self._setup(self.bench)
        self.bench.itemChanged.connect(self._bench_changed)
        v.addWidget(self.bench)
        split.addWidget(top)

        bottom = QWidget()
        v = QVBoxLayout(bottom)
        v.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(f"<b>{_('Conversion and emission factors')}</b>"))
        row.addStretch(1)
        self.reset_button = QPushButton(_("Reset selected to default"))
        self.reset_button.clicked.connect(self._reset_selected)
        self.reset_button.setEnabled(not self.locked)
        row.addWidget(self.reset_button)
        v.addLayout(row)
        self.factors = QTableWidget(0, 6)
        self.factors.setObjectName("factors")
        self.factors.setHorizontalHeaderLabels([_("Factor"), _("Unit"), _("Default"), _("Value here"),
                                                _("Certainty"), _("Source")])
        self._setup(self.factors)
        self.factors.itemChanged.connect(self._factor_changed)
        v.addWidget(self.factors)
        split.addWidget(bottom)

        from greendesk.ui.quotapanel import QuotaPanel

        third = QWidget()
        v = QVBoxLayout(third)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(QLabel(f"<b>{_('Energy quotas')}</b>"))
        self.quotas = QuotaPanel(view)
        self.quotas.changed.connect(self._quotas_changed)
        v.addWidget(self.quotas)
        split.addWidget(third)

    @staticmethod
    def _setup(t: QTableWidget) -> None:
        t.verticalHeader().hide()
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setStretchLastSection(True)
        t.setWordWrap(False)

    def _item(self, text, editable=False, data=None, tip=None) -> QTableWidgetItem:
        it = QTableWidgetItem("" if text is None else str(text))
        editable = editable and not self.locked
        flags = it.flags() | EDITABLE if editable else it.flags() & ~EDITABLE
        it.setFlags(flags)
        if editable:
            it.setBackground(USER_BG)
        if data is not None:
            it.setData(Qt.ItemDataRole.UserRole, data)
        if tip:
            it.setToolTip(tip)
        return it

    def reload(self) -> None:
        # keep the keyboard user's place: reloading rebuilds every cell
        places = [(t, t.currentRow(), t.currentColumn()) for t in (self.bench, self.factors)]
        self._loading = True
        try:
            self._load_benchmarks()
            self._load_factors()
            self.quotas.reload()
            for t, r, c in places:
                if 0 <= r < t.rowCount() and c >= 0:
                    t.setCurrentCell(r, c)
        finally:
            self._loading = False

    def _load_benchmarks(self) -> None:
        self.bench.setRowCount(0)
        if self.scheme is None:
            return
        overrides = {(b["indicator_id"], b["band"]): b for b in self.ws.benchmarks(self.scheme.id)}
        rows = []
        for ind in self.scheme.indicators():
            r = ind.rule
            if r.kind not in ("quantitative", "count"):
                continue
            if r.bands:
                for b in r.bands:
                    rows.append((ind, b.id, label(b.label), r.unit, b.baseline, b.leading,
                                 b.source or r.source or ind.source, b.certainty or r.certainty or ind.certainty))
            else:
                rows.append((ind, "", "", r.unit, r.baseline, r.leading, r.source or ind.source,
                             r.certainty or ind.certainty))
        self.bench.setRowCount(len(rows))
        for i, (ind, band, band_label, unit, base, lead, src, cert) in enumerate(rows):
            o = overrides.get((ind.id, band))
            title = f"{ind.code} {label(ind.title)}" if ind.code else label(ind.title)
            tip = f"{src or '—'}\n{certainty_text(cert)}"
            key = (ind.id, band)
            need = base is None or lead is None
            cells = [
                self._item(title, data=key, tip=tip), self._item(band_label), self._item(unit or ""),
                self._item(fmt_figure(base) if base is not None else _("needed"), tip=tip),
                self._item(fmt_figure(lead) if lead is not None else _("needed"), tip=tip),
                self._item(fmt_figure(o["baseline"]) if o and o["baseline"] is not None else "", True, key),
                self._item(fmt_figure(o["leading"]) if o and o["leading"] is not None else "", True, key),
                self._item(certainty_short("user" if o else cert), tip=certainty_text("user" if o else cert)),
                self._item(o["source"] if o else (src or ""), True, key,
                           tip=(_("Set by {who} at {when}").format(who=o["set_by"], when=o["set_at"]) if o else tip)),
            ]
            if not o:
                cells[8].setData(DEFAULT_SOURCE, src or "")
            for c, it in enumerate(cells):
                if need and c in (3, 4):
                    it.setForeground(QBrush(QColor("#b26a00")))
                self.bench.setItem(i, c, it)

    def _bench_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() not in (5, 6, 8):
            return
        ind_id, band = item.data(Qt.ItemDataRole.UserRole)
        r = item.row()
        try:
            base = _num(self.bench.item(r, 5).text())
            lead = _num(self.bench.item(r, 6).text())
        except ValueError as e:
            from greendesk.core.errors import UserError

            show_error(self, UserError(f"“{e}” 不是数值。", f"“{e}” is not a number."))
            self.reload()
            return
        try:
            if base is None and lead is None:
                self.ws.clear_benchmark(self.scheme.id, ind_id, band=band)
            else:
                from greendesk.core.benchmark_check import check_benchmark

                check_benchmark(self.scheme.indicators_by_id[ind_id], base, lead)  # the core's check
                self.ws.set_benchmark(self.scheme.id, ind_id, base, lead, band=band,
                                      source=_user_source(self.bench.item(r, 8)))
        except Exception as e:  # noqa: BLE001
            show_error(self, e)
        self.changed.emit()
        self.reload()  # certainty and source now describe the user's value (or the default again)

    def _load_factors(self) -> None:
        self.factors.setRowCount(0)
        table = schemeview.factor_table(self.ws)
        overrides = self.ws.factor_overrides()
        self.factors.setRowCount(len(table))
        for i, f in enumerate(table):
            o = overrides.get(f["id"])
            name = label({"zh": f.get("zh"), "en": f.get("en")}) or f["id"]
            cells = [
                self._item(name, data=f["id"], tip=f["id"]), self._item(f.get("unit") or ""),
                self._item(fmt_figure(f.get("value"))),
                self._item(fmt_figure(o["value"]) if o else "", True, f["id"]),
                self._item(certainty_short("user" if o else f.get("certainty")),
                           tip=certainty_text("user" if o else f.get("certainty"))),
                self._item(o["source"] if o else (f.get("source") or ""), True, f["id"],
                           tip=o["source"] if o else f.get("source")),
            ]
            if not o:
                cells[5].setData(DEFAULT_SOURCE, f.get("source") or "")
            for c, it in enumerate(cells):
                self.factors.setItem(i, c, it)

    def _factor_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() not in (3, 5):
            return
        fid = item.data(Qt.ItemDataRole.UserRole)
        r = item.row()
        try:
            value = _num(self.factors.item(r, 3).text())
        except ValueError as e:
            from greendesk.core.errors import UserError

            show_error(self, UserError(f"“{e}” 不是数值。", f"“{e}” is not a number."))
            self.reload()
            return
        try:
            if value is None:
                self.ws.clear_factor(fid)
            else:
                from greendesk.core.benchmark_check import check_factor_value

                check_factor_value(value)
                self.ws.set_factor(fid, value, unit=self.factors.item(r, 1).text() or None,
                                   source=_user_source(self.factors.item(r, 5)))
        except Exception as e:  # noqa: BLE001
            show_error(self, e)
        self.changed.emit()
        self.reload()

    def _quotas_changed(self) -> None:
        # a quota's grades may have become (or stopped being) the 单位产品综合能耗 基准值/引领值
        self.changed.emit()
        self.reload()

    def _reset_selected(self) -> None:
        if self.locked:
            return
        rows = {i.row() for i in self.factors.selectedItems()}
        for r in rows:
            self.ws.clear_factor(self.factors.item(r, 0).data(Qt.ItemDataRole.UserRole))
        self.reload()
        self.changed.emit()
