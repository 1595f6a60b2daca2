"""The left navigation tree: sections -> indicators with state and points earned of possible."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from greendesk.ui.i18n import N_, _, fmt_num, label

COMMON_ID = "__common__"

STATES = {
    "not_started": ("○", "#7a7a7a", N_("Not started")),
    "in_progress": ("◐", "#b26a00", N_("In progress")),
    "complete": ("●", "#1b7f3b", N_("Complete: full points")),
    # answered, but earning less than the item's points: never a green "complete" dot
    "partial": ("◑", "#b26a00", N_("Answered: part of the points")),
    "no_points": ("○", "#b3261e", N_("Answered: no points")),
    "failed": ("✕", "#b3261e", N_("Basic requirement not met")),
    "error": ("✕", "#b3261e", N_("Has errors")),
    "na": ("–", "#7a7a7a", N_("Not applicable")),
}


_ICONS: dict[str, QIcon] = {}


def display_state(live, item_id: str, veto: bool) -> str:
    """The state shown for an item: the core's state, with "complete" kept for items that earn their full
    points (or a basic requirement that is met); answered items short of their points say so."""
    state = live.indicator_state(item_id)
    if state == "error":
        return state
    r = live.indicator_result(item_id) or {}
    if r.get("applicable") is False:
        # not applicable: its points left the maximum (0 of 0), so neither a green nor a red dot
        return "na"
    if state != "complete":
        return state
    if veto:
        return "failed" if item_id in ((live.score or {}).get("vetoes_failed") or []) else "complete"
    mx, sc = r.get("max"), r.get("score") or 0.0
    if mx and sc < mx - 1e-9:
        return "no_points" if sc <= 1e-9 else "partial"
    return "complete"


def state_icon(state: str) -> QIcon:
    """A small coloured disc (filled = complete, half = in progress, ring = not started, cross = errors)."""
    if state not in _ICONS:
        mark, color, _name = STATES.get(state, STATES["not_started"])
        pm = QPixmap(28, 28)
        pm.setDevicePixelRatio(2.0)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = QColor(color)
        p.setPen(c)
        if state == "complete":
            p.setBrush(c)
            p.drawEllipse(2, 2, 10, 10)
        elif state in ("in_progress", "partial"):
            p.drawEllipse(2, 2, 10, 10)
            p.setBrush(c)
            p.drawPie(2, 2, 10, 10, 90 * 16, (180 if state == "in_progress" else 270) * 16)
        elif state == "no_points":  # a ring with a bar: answered, 0 points
            p.drawEllipse(2, 2, 10, 10)
            p.drawLine(5, 7, 9, 7)
        elif state in ("error", "failed"):
            p.setBrush(c)
            p.drawEllipse(2, 2, 10, 10)
            p.setPen(QColor("white"))
            p.drawLine(5, 5, 9, 9)
            p.drawLine(9, 5, 5, 9)
        elif state == "na":
            p.drawLine(3, 7, 11, 7)
        else:
            p.drawEllipse(2, 2, 10, 10)
        p.end()
        _ICONS[state] = QIcon(pm)
    return _ICONS[state]


class NavTree(QTreeWidget):
    item_selected = Signal(str)

    def __init__(self, scheme, parent=None):
        super().__init__(parent)
        self.setObjectName("nav")
        self.setColumnCount(2)
        self.setHeaderLabels([_("Item"), _("Points")])
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(False)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.vetoes = {i.id: i.rule.kind == "veto" for i in scheme.indicators()}
        self.sections: dict[str, QTreeWidgetItem] = {}
        if getattr(scheme, "common", ()):
            it = QTreeWidgetItem([_("Basic data (shared inputs)"), ""])
            it.setData(0, Qt.ItemDataRole.UserRole, COMMON_ID)
            it.setToolTip(0, _("Figures used by several indicators: output value, energy use, site area…"))
            self.addTopLevelItem(it)
            self.items[COMMON_ID] = it
        for s in scheme.sections:
            sit = QTreeWidgetItem([label(s.title), ""])
            sit.setData(0, Qt.ItemDataRole.UserRole, None)
            sit.setFlags(sit.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            f = sit.font(0)
            f.setBold(True)
            sit.setFont(0, f)
            self.addTopLevelItem(sit)
            self.sections[s.id] = sit
            for ind in s.indicators:
                title = label(ind.title)
                text = f"{ind.code} {title}" if ind.code else title
                it = QTreeWidgetItem([text, ""])
                it.setIcon(0, state_icon("not_started"))
                it.setData(0, Qt.ItemDataRole.UserRole, ind.id)
                it.setToolTip(0, text)
                it.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                sit.addChild(it)
                self.items[ind.id] = it
        self.expandAll()
        self.currentItemChanged.connect(self._changed)

    def _changed(self, cur, _prev) -> None:
        if cur is not None:
            iid = cur.data(0, Qt.ItemDataRole.UserRole)
            if iid:
                self.item_selected.emit(iid)

    def select(self, item_id: str) -> None:
        it = self.items.get(item_id)
        if it is not None:
            self.setCurrentItem(it)
            self.scrollToItem(it)

    def current_id(self) -> str | None:
        it = self.currentItem()
        return it.data(0, Qt.ItemDataRole.UserRole) if it else None

    def filter(self, text: str) -> None:
        """Show only the items whose name (or code) contains ``text``; sections follow their items."""
        text = text.strip().lower()
        for iid, it in self.items.items():
            it.setHidden(bool(text) and text not in it.toolTip(0).split("\n")[0].lower()
                         and text not in iid.lower())
        for sit in self.sections.values():
            sit.setHidden(all(sit.child(i).isHidden() for i in range(sit.childCount())))

    def refresh(self, live) -> None:
        for iid, it in self.items.items():
            if iid == COMMON_ID:
                continue
            state = display_state(live, iid, bool(self.vetoes.get(iid)))
            mark, color, name = STATES.get(state, STATES["not_started"])
            base = it.toolTip(0).split("\n")[0]
            it.setIcon(0, state_icon(state))
            # a QColor, not QBrush(QColor): that constructor loads QGradient and its 230 enum members (5 ms)
            it.setForeground(0, QColor(color) if state in ("error", "failed") else QBrush())
            r = live.indicator_result(iid) or {}
            failed = iid in ((live.score or {}).get("vetoes_failed") or [])
            if state == "na":
                it.setText(1, _("N/A"))
                it.setForeground(1, QColor(STATES["na"][1]))
            elif self.vetoes.get(iid):
                it.setText(1, "✕" if failed else ("✓" if state == "complete" else ""))
                it.setForeground(1, QColor("#b3261e" if failed else "#1b7f3b"))
            elif r.get("max") is not None:
                it.setForeground(1, QBrush())
                it.setText(1, f"{fmt_num(r.get('score'), 1)}/{fmt_num(r.get('max'), 1)}")
            it.setToolTip(1, r.get("explain") or "")
            it.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{base}, {_(name)}")
            it.setToolTip(0, f"{base}\n{_(name)}")
        for sid, sit in self.sections.items():
            s = live.section_result(sid)
            if s and s.get("max"):
                sit.setText(1, f"{fmt_num(s.get('score'), 1)}/{fmt_num(s.get('max'), 1)}")
