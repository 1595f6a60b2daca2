"""The reviewer's window (issue 12): packages with their verification state, score and flags, sorting and
filtering, and one package's indicators beside its peers, with a chart of the selected indicator against the
peer group (:mod:`.peerchart`) and the reviewer's note on that row (:mod:`.reviewnotes`); the signed review
sheet of a package; the signer of a package trusted from here (the reviewer's store of known signers), after
which every package's signer is stated again. Opened by ``greendesk review PATH…`` without ``--db``/``--out``;
packages dropped on it (files or folders) are verified and loaded off the GUI thread.

All figures come from the review database's SQL views (:mod:`greendesk.core.review.store`); the window only
shows them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QStandardItemModel
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
from greendesk.ui.peerchart import PeerChart
from greendesk.ui.reviewmodels import (
    FLAG_BRUSH,
    FLAG_ROLE,
    PACKAGE_COLUMNS,
    PEER_COLUMNS,
    SIGNER_COL,
    UNCONFIRMED_BRUSH,
    PackageFilter,
)
from greendesk.ui.reviewmodels import fmt as _fmt
from greendesk.ui.reviewmodels import item as _item
from greendesk.ui.reviewnotes import NotesPanel, SheetDialog


class ReviewWindow(QMainWindow):
    def __init__(self, db_path: str | Path, trust=None, parent=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.trust = trust
        self.task = None
        self.last_result = None
        self.setWindowTitle(_("GreenDesk review") + f" — {self.db_path.name}")
        self.setAcceptDrops(True)
        self.resize(1280, 860)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(_("Filter: factory, file, province…"))
        self.state_box = QComboBox()
        for key, text in (("all", N_("All packages")), ("accepted", N_("Accepted")), ("rejected", N_("Rejected")),
                          ("flagged", N_("With flags")), ("unconfirmed", N_("Signer not on record"))):
            self.state_box.addItem(_(text), key)
        self.add_button = QPushButton(_("Add packages…"))
        self.add_button.clicked.connect(self._choose)
        self.trust_button = QPushButton(_("Trust this signer"))
        self.trust_button.setToolTip(_("Remember the selected package's signer as known, after checking the "
                                       "fingerprint with the factory by another channel (e.g. by phone)"))
        self.trust_button.clicked.connect(self.trust_selected)
        self.sheet_button = QPushButton(_("Signed review sheet…"))
        self.sheet_button.clicked.connect(self.open_sheet_dialog)
        self.sheet_dialog = None
        self.summary = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.state_box)
        top.addWidget(self.add_button)
        top.addWidget(self.trust_button)
        top.addWidget(self.sheet_button)

        self.model = QStandardItemModel(0, len(PACKAGE_COLUMNS), self)
        self.model.setHorizontalHeaderLabels([_(c) for c in PACKAGE_COLUMNS])
        self.proxy = PackageFilter(self)
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
        self.peers.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.peers.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.peers.selectionModel().currentRowChanged.connect(lambda *_a: self._show_indicator())
        self.chart = PeerChart()
        self.notes = NotesPanel(self.db_path)
        self.notes.saved.connect(self._note_saved)
        side = QWidget()
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(4, 0, 0, 0)
        side_lay.addWidget(self.chart, 1)
        side_lay.addWidget(self.notes)
        peer_split = QSplitter(Qt.Orientation.Horizontal)
        peer_split.addWidget(self.peers)
        peer_split.addWidget(side)
        peer_split.setSizes([700, 480])
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(peer_split, _("Indicators beside peers"))
        self.tabs.addTab(self.details, _("Verification and flags"))

        upper = QWidget()
        lay = QVBoxLayout(upper)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(self.tabs)
        split.setSizes([360, 440])
        self.setCentralWidget(split)
        self.restate()
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

    def recheck_trust(self, then=None) -> None:
        """Verify the packages already loaded again against the trusted certificates (``--trust``), off the GUI
        thread: packages loaded before without them are stated as trusted or not. ``then`` runs afterwards."""
        from greendesk.core.review.signers import recheck_trust
        from greendesk.core.review.store import connect
        from greendesk.ui.tasks import Task

        db, trust = self.db_path, self.trust
        self.add_button.setEnabled(False)
        self.summary.setText(_("Checking the packages against the trusted certificates…"))

        def work(progress, cancel):
            con = connect(db)
            try:
                return recheck_trust(con, trust, progress=lambda d, n, f: progress(d, n, Path(f).name))
            finally:
                con.close()

        def done(r):
            self._loaded(None)
            self.statusBar().showMessage(_("Checked against the trusted certificates: {n} packages, {t} trusted, "
                                           "{m} files no longer there").format(n=r["checked"], t=r["trusted"],
                                                                               m=r["missing"]))
            if then:
                then()

        self.task = Task(self, work, success=done, failure=self._failed)
        self.task.start()

    def _loaded(self, result) -> None:
        self.add_button.setEnabled(True)
        if result is not None:
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
        current = self.selected_package()
        rows = self._query("SELECT package_id, status, file, factory_name, year, industry_class, province, total, "
                           "max, grade, flags, signer_status, trusted, notes FROM v_packages ORDER BY package_id")
        self.model.removeRows(0, self.model.rowCount())
        states = {"accepted": _("Accepted"), "rejected": _("Rejected")}
        signer = {"known": _("known"), "new": _("not on record"), "different_key": _("DIFFERENT KEY"),
                  None: _("unknown")}
        for pid, status, file, factory, year, cls, prov, total, mx, grade, flags, sstat, trusted, notes in rows:
            score = f"{_fmt(total)}/{_fmt(mx)}" if total is not None and status == "accepted" else ""
            who = signer.get(sstat, sstat) + (" · " + _("trusted certificate") if trusted else "")
            items = [_item(states.get(status, status)), _item(Path(file).name), _item(factory), _item(year, year or 0),
                     _item(cls), _item(prov), _item(score, total if total is not None else -1), _item(grade),
                     _item(flags if status == "accepted" else "", flags), _item(who, sstat or ""),
                     _item(notes or "", notes)]
            items[0].setData((status, flags, sstat), FLAG_ROLE)
            items[0].setData(pid, Qt.ItemDataRole.UserRole)
            if status == "rejected":
                for it in items:
                    it.setForeground(QBrush(QColor(170, 0, 0)))
            elif flags:
                items[8].setBackground(QBrush(FLAG_BRUSH))
            if status == "accepted" and sstat != "known":
                items[SIGNER_COL].setBackground(QBrush(UNCONFIRMED_BRUSH if sstat == "new" else FLAG_BRUSH))
            self.model.appendRow(items)
        n_ok = sum(1 for r in rows if r[1] == "accepted")
        n_flag = sum(1 for r in rows if r[1] == "accepted" and r[10])
        self.summary.setText(_("{n} packages: {ok} accepted, {bad} rejected, {flag} with flags").format(
            n=len(rows), ok=n_ok, bad=len(rows) - n_ok, flag=n_flag))
        self.table.resizeColumnsToContents()
        if current is not None:
            self.select_package(current)
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._show_selected()

    def select_package(self, pid: int) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) == pid:
                self.table.selectRow(r)
                return

    def restate(self) -> None:
        """Every package's signer against the reviewer's store as it is now (writes only what changed)."""
        from greendesk.core.errors import UserError
        from greendesk.core.review.signers import restate_signers
        from greendesk.core.review.store import connect

        con = connect(self.db_path)
        try:
            restate_signers(con)
        except UserError as e:      # a damaged store of known signers: say so, show the states as loaded
            self.statusBar().showMessage(e.message())
        finally:
            con.close()

    def trust_selected(self) -> dict | None:
        """Remember the selected package's signer as known; every package is stated again."""
        from greendesk.core.errors import UserError
        from greendesk.core.review.signers import trust_signer
        from greendesk.core.review.store import connect
        from greendesk.ui.errors import show_error

        pid = self.selected_package()
        if pid is None:
            return None
        con = connect(self.db_path)
        try:
            r = trust_signer(con, pid)
        except UserError as e:
            show_error(self, e)
            return None
        finally:
            con.close()
        self.refresh()
        self.statusBar().showMessage(_("Signer remembered: {s}; {n} packages stated again").format(
            s=r["entry"].get("name") or r["entry"]["fingerprint"][:16], n=r["restated"]))
        return r

    def open_sheet_dialog(self) -> SheetDialog | None:
        pid = self.selected_package()
        if pid is None:
            return None
        (factory,), = self._query("SELECT factory_name FROM packages WHERE package_id = ?", [pid])
        self.sheet_dialog = SheetDialog(self.db_path, pid, factory, self)
        self.sheet_dialog.accepted.connect(lambda: self.statusBar().showMessage(self.sheet_dialog.status.text()))
        self.sheet_dialog.open()
        return self.sheet_dialog

    def _note_saved(self) -> None:
        ind = self.notes.row["indicator_id"] if self.notes.row else None
        self.refresh()
        self.select_indicator(ind)

    def select_indicator(self, indicator_id: str | None) -> None:
        for r in range(self.peers_model.rowCount()):
            if (self.peers_model.item(r, 0).data(Qt.ItemDataRole.UserRole) or {}).get("indicator_id") == indicator_id:
                self.peers.selectRow(r)
                return

    def _show_indicator(self) -> None:
        from greendesk.core.review.peers import peer_distribution
        from greendesk.core.review.store import connect

        idx = self.peers.currentIndex()
        row = self.peers_model.item(idx.row(), 0).data(Qt.ItemDataRole.UserRole) if idx.isValid() else None
        self.notes.set_row(row)
        if row is None:
            self.chart.set_distribution(None)
            return
        con = connect(self.db_path)
        try:
            self.chart.set_distribution(peer_distribution(con, row["package_id"], row["indicator_id"]))
        finally:
            con.close()

    def selected_package(self) -> int | None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        return self.proxy.index(idx.row(), 0).data(Qt.ItemDataRole.UserRole)

    def _show_selected(self) -> None:
        self.peers_model.removeRows(0, self.peers_model.rowCount())
        pid = self.selected_package()
        self.trust_button.setEnabled(pid is not None)
        self.sheet_button.setEnabled(pid is not None)
        if pid is None:
            self.details.setPlainText("")
            self._show_indicator()
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
        from greendesk.core.review.notes import note_text

        noted = {ind: note_text(old, new, reason, unit, language()) for ind, old, new, reason, unit in self._query(
            "SELECT indicator_id, old_value, new_value, reason, unit FROM v_notes WHERE package_id = ? AND current",
            [pid])}
        for row in self._query(
                "SELECT indicator_id, title, value, unit, points, max, peer_n, rank_by_value, q1, median, q3, "
                "others_median FROM v_indicator_peers WHERE package_id = ? ORDER BY indicator_id", [pid]):
            ind, title, value, unit, points, mx, n, rank, q1, med, q3, others = row
            items = [_item(f"{title or ind} ({ind})"), _item(_fmt(value), value), _item(unit),
                     _item(f"{_fmt(points)}/{_fmt(mx)}", points), _item(n, n), _item(rank, rank), _item(_fmt(q1), q1),
                     _item(_fmt(med), med), _item(_fmt(q3), q3), _item(_fmt(others), others),
                     _item(_("check") if ind in flagged else ""), _item(noted.get(ind, ""))]
            items[0].setData({"package_id": pid, "indicator_id": ind, "title": title, "value": value, "unit": unit},
                             Qt.ItemDataRole.UserRole)
            if ind in flagged:
                for it in items:
                    it.setBackground(QBrush(FLAG_BRUSH))
            self.peers_model.appendRow(items)
        self.peers.resizeColumnsToContents()
        self.peers.setColumnWidth(len(PEER_COLUMNS) - 1, 260)
        if self.peers_model.rowCount():
            self.peers.selectRow(0)
        self._show_indicator()


def run_review_window(paths, *, trust=None, db: str | Path | None = None) -> int:
    """Open the review window on the reviewer's database (``db``, default in the settings folder) and load
    ``paths``; runs the event loop."""
    from greendesk.core.review.store import default_db_path
    from greendesk.ui.app import create_app

    app = create_app()
    win = ReviewWindow(db or default_db_path(), trust=trust)
    win.show()
    load = (lambda: win.add_paths(paths)) if paths else None
    if trust:
        win.recheck_trust(then=load)     # the packages already loaded, against the certificates given
    elif load:
        load()
    return app.exec()
