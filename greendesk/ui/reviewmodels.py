"""The review window's table models: the columns, item helpers and the package filter (state and text)."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QStandardItem

from greendesk.ui.i18n import N_

PACKAGE_COLUMNS = [N_("State"), N_("File"), N_("Factory"), N_("Year"), N_("Industry class"), N_("Province"),
                   N_("Score"), N_("Grade"), N_("Flags"), N_("Signer on record"), N_("Notes")]
PEER_COLUMNS = [N_("Indicator"), N_("Value"), N_("Unit"), N_("Points"), N_("Peers"), N_("Rank by value"),
                N_("Q1"), N_("Median"), N_("Q3"), N_("Median of the others"), N_("Flag"), N_("Review note")]
SIGNER_COL = 9
UNCONFIRMED_BRUSH = QColor(255, 243, 205)
FLAG_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
FLAG_BRUSH = QColor(255, 228, 196)


def fmt(v) -> str:
    from greendesk.core.package.data import fmt_num

    return fmt_num(v, 2)


def item(text, sort=None) -> QStandardItem:
    it = QStandardItem("" if text is None else str(text))
    it.setEditable(False)
    it.setData(sort if sort is not None else ("" if text is None else str(text)), SORT_ROLE)
    return it


class PackageFilter(QSortFilterProxyModel):
    """Text in any column, and the state chosen (all / accepted / rejected / flagged / signer not on record)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.state = "all"
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def set_state(self, state: str) -> None:
        if hasattr(self, "beginFilterChange"):      # Qt 6.10+: invalidateFilter() is deprecated
            self.beginFilterChange()
            self.state = state
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.state = state
            self.invalidateFilter()

    def filterAcceptsRow(self, row, parent):  # noqa: N802 (Qt override)
        src = self.sourceModel()
        status, flags, signer = src.index(row, 0, parent).data(FLAG_ROLE) or ("", 0, None)
        if self.state == "unconfirmed" and signer == "known":
            return False
        if self.state == "accepted" and status != "accepted":
            return False
        if self.state == "rejected" and status != "rejected":
            return False
        if self.state == "flagged" and not flags:
            return False
        return super().filterAcceptsRow(row, parent)
