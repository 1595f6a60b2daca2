"""The reviewer's window (issue 12): packages with their verification state, score and flags, sorting and
filtering, and one package's indicators beside its peers. Opened by ``greendesk review PATH…`` without
``--db``/``--out``; packages dropped on it (files or folders) are verified and loaded off the GUI thread.

All figures come from the review database's SQL views (:mod:`greendesk.core.review.store`); the window only
shows them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from greendesk.ui.i18n import N_, _

PACKAGE_COLUMNS = [N_("State"), N_("File"), N_("Factory"), N_("Year"), N_("Industry class"), N_("Province"),
                   N_("Score"), N_("Grade"), N_("Flags"), N_("Signer on record")]
PEER_COLUMNS = [N_("Indicator"), N_("Value"), N_("Unit"), N_("Points"), N_("Peers"), N_("Rank by value"),
                N_("Q1"), N_("Median"), N_("Q3"), N_("Median of the others"), N_("Flag")]
FLAG_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
FLAG_BRUSH = QColor(255, 228, 196)


def _fmt(v) -> str:
    from greendesk.core.package.data import fmt_num

    return fmt_num(v, 2)


def _item(text, sort=None) -> QStandardItem:
    it = QStandardItem("" if text is None else str(text))
    it.setEditable(False)
    it.setData(sort if sort is not None else ("" if text is None else str(text)), SORT_ROLE)
    return it


class _Filter(QSortFilterProxyModel):
    """Text in any column, and the state chosen (all / accepted / rejected / flagged)."""

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
        status, flags = src.index(row, 0, parent).data(FLAG_ROLE) or ("", 0)
        if self.state == "accepted" and status != "accepted":
            return False
        if self.state == "rejected" and status != "rejected":
            return False
        if self.state == "flagged" and not flags:
            return False
        return super().filterAcceptsRow(row, parent)


class ReviewWindow(QMainWindow):
    def __init__(self, db_path: str | Path, trust=None, parent=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.trust = trust
        self.task = None
        self.last_result = None
        self.setWindowTitle(_("GreenDesk review") + f" — {self.db_path.name}")
        self.setAcceptDrops(True)
        self.resize(1200, 760)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(_("Filter: factory, file, province…"))
        self.state_box = QComboBox()
        for key, text in (("all", N_("All packages")), ("accepted", N_("Accepted")), ("rejected", N_("Rejected")),
                          ("flagged", N_("With flags"))):
            self.state_box.addItem(_(text), key)
        self.add_button = QPushButton(_("Add packages…"))
        self.add_button.clicked.connect(self._choose)
        self.summary = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.state_box)
        top.addWidget(self.add_button)

        self.model = QStandardItemModel(0, len(PACKAGE_COLUMNS), self)
        self.model.setHorizontalHeaderLabels([_(c) for c in PACKAGE_COLUMNS])
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # loading order first
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_selected())
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.state_box.currentIndexChanged.connect(lambda *_a: self.proxy.set_state(self.state_box.currentData()))

        self.peers_model = QStandardItemModel(0, len(PEER_COLUMNS), self)
        self.peers_model.setHorizontalHeaderLabels([_(c) for c in PEER_COLUMNS])
        self.peers = QTableView()
        self.peers.setModel(self.peers_model)
        self.peers.horizontalHeader().setStretchLastSection(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.peers, _("Indicators beside peers"))
        self.tabs.addTab(self.details, _("Verification and flags"))

        upper = QWidget()
        lay = QVBoxLayout(upper)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(self.tabs)
        split.setSizes([420, 340])
        self.setCentralWidget(split)
        self.refresh()

    # -- loading ------------------------------------------------------------------------------

    def add_paths(self, paths) -> None:
        """Verify and load ``paths`` (files or folders) in the background, then refresh."""
        from greendesk.core.review.load import review_packages
        from greendesk.ui.tasks import Task

        paths = [Path(p) for p in paths]
        db, trust = self.db_path, self.trust
        self.add_button.setEnabled(False)
        self.summary.setText(_("Verifying packages…"))

        def work(progress, cancel):
            return review_packages(paths, db, trust=trust, progress=lambda d, n, f: progress(d, n, Path(f).name))

        self.task = Task(self, work, success=self._loaded, failure=self._failed)
        self.task.progressed.connect(lambda d, n, f: self.summary.setText(
            _("Verifying packages…") + f" {d}/{n} {f}"))
        self.task.start()

    def _loaded(self, result) -> None:
        self.add_button.setEnabled(True)
        self.last_result = result
        self.refresh()

    def _failed(self, error) -> None:
        from greendesk.ui.errors import show_error

        self.add_button.setEnabled(True)
        self.refresh()
        show_error(self, error)

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder of packages"))
        if folder:
            self.add_paths([folder])

    def dragEnterEvent(self, event):  # noqa: N802 (Qt override)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802 (Qt override)
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.add_paths(paths)
            event.acceptProposedAction()

    # -- showing ------------------------------------------------------------------------------

    def _query(self, sql: str, args=()) -> list[tuple]:
        from greendesk.core.review.store import connect

        con = connect(self.db_path)   # opened per query: the command line may use the file in between
        try:
            return con.execute(sql, list(args)).fetchall()
        finally:
            con.close()

    def refresh(self) -> None:
        rows = self._query("SELECT package_id, status, file, factory_name, year, industry_class, province, total, "
                           "max, grade, flags, signer_status FROM v_packages ORDER BY package_id")
        self.model.removeRows(0, self.model.rowCount())
        states = {"accepted": _("Accepted"), "rejected": _("Rejected")}
        signer = {"known": _("known"), "new": _("new"), "different_key": _("DIFFERENT KEY")}
        for pid, status, file, factory, year, cls, prov, total, mx, grade, flags, sstat in rows:
            score = f"{_fmt(total)}/{_fmt(mx)}" if total is not None and status == "accepted" else ""
            items = [_item(states.get(status, status)), _item(Path(file).name), _item(factory), _item(year, year or 0),
                     _item(cls), _item(prov), _item(score, total if total is not None else -1), _item(grade),
                     _item(flags if status == "accepted" else "", flags), _item(signer.get(sstat, sstat))]
            items[0].setData((status, flags), FLAG_ROLE)
            items[0].setData(pid, Qt.ItemDataRole.UserRole)
            if status == "rejected":
                for it in items:
                    it.setForeground(QBrush(QColor(170, 0, 0)))
            elif flags:
                items[8].setBackground(QBrush(FLAG_BRUSH))
            self.model.appendRow(items)
        n_ok = sum(1 for r in rows if r[1] == "accepted")
        n_flag = sum(1 for r in rows if r[1] == "accepted" and r[10])
        self.summary.setText(_("{n} packages: {ok} accepted, {bad} rejected, {flag} with flags").format(
            n=len(rows), ok=n_ok, bad=len(rows) - n_ok, flag=n_flag))
        self.table.resizeColumnsToContents()
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._show_selected()

    def selected_package(self) -> int | None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        return self.proxy.index(idx.row(), 0).data(Qt.ItemDataRole.UserRole)

    def _show_selected(self) -> None:
        self.peers_model.removeRows(0, self.peers_model.rowCount())
        pid = self.selected_package()
        if pid is None:
            self.details.setPlainText("")
            return
        from greendesk.ui.i18n import language

        text_col = "text_zh" if language() == "zh" else "text_en"
        (status, file, signer, fp, signed_at, reasons), = self._query(
            "SELECT status, file, signer, signer_fingerprint, signed_at, reasons FROM packages WHERE package_id = ?",
            [pid])
        flags = self._query(f"SELECT subject, {text_col}, value, reference, ratio, unit FROM v_outliers "
                            "WHERE package_id = ? ORDER BY rule, subject", [pid])
        lines = [f"{_('File')}: {file}", f"{_('State')}: {_('Accepted') if status == 'accepted' else _('Rejected')}",
                 f"{_('Signer')}: {signer or '—'}", f"{_('Fingerprint')}: {fp or '—'}",
                 f"{_('Signed at')}: {signed_at or '—'}"]
        if reasons:
            lines.append(_("Reasons:"))
            lines += [f"  {r}" for r in reasons]
        if status != "accepted":
            lines.append(_("Not compared with other factories: the verification failed."))
        if flags:
            lines.append(_("Figures to check:"))
            for subject, what, value, ref, ratio, unit in flags:
                extra = f" ({_fmt(ref)}, {_fmt(ratio)}x)" if ratio is not None else ""
                lines.append(f"  {subject}: {what}: {_fmt(value)} {unit or ''}{extra}")
        self.details.setPlainText("\n".join(lines))
        flagged = {f[0] for f in flags}
        for row in self._query(
                "SELECT indicator_id, title, value, unit, points, max, peer_n, rank_by_value, q1, median, q3, "
                "others_median FROM v_indicator_peers WHERE package_id = ? ORDER BY indicator_id", [pid]):
            ind, title, value, unit, points, mx, n, rank, q1, med, q3, others = row
            items = [_item(f"{title or ind} ({ind})"), _item(_fmt(value), value), _item(unit),
                     _item(f"{_fmt(points)}/{_fmt(mx)}", points), _item(n, n), _item(rank, rank), _item(_fmt(q1), q1),
                     _item(_fmt(med), med), _item(_fmt(q3), q3), _item(_fmt(others), others),
                     _item(_("check") if ind in flagged else "")]
            if ind in flagged:
                for it in items:
                    it.setBackground(QBrush(FLAG_BRUSH))
            self.peers_model.appendRow(items)
        self.peers.resizeColumnsToContents()


def run_review_window(paths, *, trust=None, db: str | Path | None = None) -> int:
    """Open the review window on the reviewer's database (``db``, default in the settings folder) and load
    ``paths``; runs the event loop."""
    from greendesk.core.review.store import default_db_path
    from greendesk.ui.app import create_app

    app = create_app()
    win = ReviewWindow(db or default_db_path(), trust=trust)
    win.show()
    if paths:
        win.add_paths(paths)
    return app.exec()
