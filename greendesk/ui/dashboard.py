"""The dashboard: score by section, completeness, data-quality issues, the gap list, the energy overview."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from greendesk.ui import schemeview
from greendesk.ui.charts import PALETTE, MonthlyBars, ScoreBars
from greendesk.ui.i18n import _, fmt_num, label, language


def carrier_name(cid: str) -> str:
    """The carrier's name from the core's carrier catalogue, in the UI language."""
    try:
        from greendesk.core.meters.catalog import catalog

        return catalog().label(cid, language())
    except Exception:  # noqa: BLE001 - an unknown id is shown as it is
        return cid


class Dashboard(QScrollArea):
    jump = Signal(str, str)  # item id, field id

    def __init__(self, view, parent=None):
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.view = view
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(12)

        box = QGroupBox(_("Score by section"))
        v = QVBoxLayout(box)
        self.bars = ScoreBars()
        self.bars_empty = QLabel(_("No score yet: answer some items in the assessment."))
        v.addWidget(self.bars)
        v.addWidget(self.bars_empty)
        v.addStretch(1)
        grid.addWidget(box, 0, 0)

        box = QGroupBox(_("Completeness"))
        v = QVBoxLayout(box)
        self.complete_bar = QProgressBar()
        self.complete_bar.setObjectName("completeness")
        self.complete_text = QLabel()
        self.complete_text.setWordWrap(True)
        v.addWidget(self.complete_bar)
        v.addWidget(self.complete_text)
        v.addWidget(QLabel(f"<b>{_('Data-quality issues')}</b>"))
        self.issues = QTreeWidget()
        self.issues.setObjectName("issues")
        self.issues.setHeaderLabels([_("Level"), _("Issue")])
        self.issues.setRootIsDecorated(False)
        self.issues.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.issues.setMinimumHeight(120)
        self.issues.itemActivated.connect(self._activated)
        v.addWidget(self.issues, 1)
        grid.addWidget(box, 0, 1)

        box = QGroupBox(_("Where to gain points (click to go to the item)"))
        v = QVBoxLayout(box)
        self.gaps = QTreeWidget()
        self.gaps.setObjectName("gaps")
        self.gaps.setHeaderLabels([_("Item"), _("Points to gain"), _("Now"), _("Why")])
        self.gaps.setRootIsDecorated(False)
        self.gaps.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.gaps.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.gaps.setMinimumHeight(220)
        self.gaps.itemActivated.connect(self._activated)
        self.gaps.itemClicked.connect(self._activated)
        v.addWidget(self.gaps)
        grid.addWidget(box, 1, 0, 1, 2)

        box = QGroupBox(_("Energy overview"))
        self.energy_box = QVBoxLayout(box)
        self.energy_summary = QLabel()
        self.energy_summary.setWordWrap(True)
        f = QFont(self.energy_summary.font())
        f.setBold(True)
        self.energy_summary.setFont(f)
        self.energy_box.addWidget(self.energy_summary)
        self.energy_table = QTableWidget(0, 5)
        self.energy_table.setObjectName("energy_table")
        self.energy_table.setHorizontalHeaderLabels([_("Carrier"), _("Total"), _("Unit"), _("tce"), _("CO₂ (t)")])
        self.energy_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.energy_table.verticalHeader().hide()
        self.energy_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.energy_box.addWidget(self.energy_table)
        self.charts_grid = QGridLayout()
        self.energy_box.addLayout(self.charts_grid)
        self.factors_used = QLabel()
        self.factors_used.setObjectName("factors_used")
        self.factors_used.setWordWrap(True)
        self.factors_used.setStyleSheet("color: palette(dark);")
        self.energy_box.addWidget(self.factors_used)
        grid.addWidget(box, 2, 0, 1, 2)

        box = QGroupBox(_("Three-year check (annual return)"))
        box.setObjectName("years_box")
        v = QVBoxLayout(box)
        self.years_text = QLabel()
        self.years_text.setObjectName("years_text")
        self.years_text.setWordWrap(True)
        v.addWidget(self.years_text)
        self.years = QTreeWidget()
        self.years.setObjectName("years_check")
        self.years.setHeaderLabels([_("Indicator"), _("Status"), _("Why"), _("What to do")])
        self.years.setRootIsDecorated(False)
        self.years.setWordWrap(True)
        self.years.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.years.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.years.setMinimumHeight(140)
        v.addWidget(self.years)
        row = QHBoxLayout()
        self.years_open = QPushButton(_("Open the annual return (Ctrl+5)"))
        self.years_open.setObjectName("years_open")
        self.years_open.clicked.connect(lambda: self.view.show_page("annual"))
        row.addWidget(self.years_open)
        row.addStretch(1)
        v.addLayout(row)
        grid.addWidget(box, 3, 0, 1, 2)

        box = QGroupBox(_("Imported ledgers"))
        v = QVBoxLayout(box)
        self.imports = QTreeWidget()
        self.imports.setObjectName("imports")
        self.imports.setHeaderLabels([_("File"), _("Imported"), _("Months"), _("What it added")])
        self.imports.setRootIsDecorated(False)
        self.imports.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.imports.setMinimumHeight(100)
        self.imports.itemSelectionChanged.connect(self._update_import_buttons)
        v.addWidget(self.imports)
        row = QHBoxLayout()
        self.remove_import_button = QPushButton(_("Remove import…"))
        self.remove_import_button.setObjectName("remove_import")
        self.remove_import_button.setToolTip(_("Remove the selected import and everything it added (Ctrl+Z "
                                               "brings it back)"))
        self.remove_import_button.clicked.connect(self.remove_selected_import)
        row.addWidget(self.remove_import_button)
        row.addStretch(1)
        v.addLayout(row)
        grid.addWidget(box, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.setWidget(body)

    def _activated(self, item, _col=0) -> None:
        target = item.data(0, Qt.ItemDataRole.UserRole)
        if target:
            item_id, field_id = target
            self.jump.emit(item_id, field_id or "")

    def refresh(self) -> None:
        live = self.view.live
        scheme = self.view.scheme
        s = live.score or {}
        rows = []
        if scheme is not None:
            for sec in scheme.sections:
                r = live.section_result(sec.id) or {}
                if not (r.get("max") or sec.max_points):
                    continue  # veto sections carry no points: their state is in the score bar
                rows.append((label(sec.title), r.get("score") or 0.0, r.get("max") or sec.max_points))
        self.bars.set_rows(rows)
        self.bars.setVisible(bool(rows))
        self.bars_empty.setVisible(not rows)
        self._completeness(scheme, live)
        self._gaps(scheme, live, s)
        energy = self._energy()
        self._issues(scheme, s, energy)
        self._carried(scheme)
        self._years()
        self._imports()

    # -- answers carried over from last year, and the three-year check ---------------------

    def _carried(self, scheme) -> None:
        """One line per year the unconfirmed answers come from, jumping to the first of them."""
        from greendesk.core.schemes.continuity import unconfirmed

        rows = unconfirmed(self.view.ws, self.view.aid)
        self.carried_count = len(rows)
        by_year: dict = {}
        for r in rows:
            by_year.setdefault(r["from_year"], []).append(r["field_id"])
        for year, fids in sorted(by_year.items(), key=lambda kv: kv[0] or 0):
            text = (_("{n} answers from {year}, please confirm (finalizing waits for them)") if year else
                    _("{n} answers carried over from last year, please confirm (finalizing waits for them)"))
            it = QTreeWidgetItem([_("To confirm"), text.format(n=len(fids), year=year)])
            it.setData(0, Qt.ItemDataRole.UserRole, (self.view.item_of(fids[0]), fids[0]))
            it.setToolTip(1, "\n".join(schemeview.answer_label(scheme, f) if scheme else f for f in fids[:30]))
            self.issues.insertTopLevelItem(0, it)
        if rows:   # the "no issues" line does not stand beside them
            for i in range(self.issues.topLevelItemCount()):
                if self.issues.topLevelItem(i).text(0) == "✓":
                    self.issues.takeTopLevelItem(i)
                    break

    def _years(self) -> None:
        from greendesk.core.annual.check import check_years

        self.years.clear()
        try:
            c = check_years(self.view.ws, int(self.view.assessment["year"]), lang=language())
        except Exception as e:  # noqa: BLE001 - the check is shown, never breaks the dashboard
            msg = e.message(language()) if hasattr(e, "message") else str(e)
            self.years_text.setText(msg)
            self.years_check = None
            return
        self.years_check = c
        n = c["counts"]
        y0, y2 = c["years"][-1], c["years"][0]
        text = _("{y2}–{y0}: {f} indicators flagged, {m} with missing data, {o} ok.").format(
            y2=y2, y0=y0, f=n["flagged"], m=n["missing"], o=n["ok"])
        sc = c.get("score") or {}
        notes = [r["message"] for r in sc.get("reasons") or []] + list(c.get("notes") or [])
        self.years_text.setText(" ".join([text] + notes))
        words = {"flagged": _("flagged"), "missing": _("data missing")}
        for fd in c["findings"]:
            if fd["status"] not in words:
                continue
            reasons = fd["reasons"]
            it = QTreeWidgetItem([fd["label"], words[fd["status"]], "\n".join(r["message"] for r in reasons),
                                  "\n".join(r["action"] for r in reasons)])
            for col in (2, 3):
                it.setToolTip(col, it.text(col))
            if fd["status"] == "flagged":
                from PySide6.QtGui import QBrush, QColor

                it.setBackground(1, QBrush(QColor("#fce4d6")))
            self.years.addTopLevelItem(it)
        if self.years.topLevelItemCount() == 0:
            self.years.addTopLevelItem(QTreeWidgetItem(["✓", _("No indicator slipped."), "", ""]))

    # -- the imports of the assessment: listed, removable, undoable ---------------------------

    def _imports(self) -> None:
        from greendesk.core.meters import history
        from greendesk.ui.i18n import fmt_datetime

        self.imports.clear()
        try:
            rows = history.imports(self.view.ws, self.view.aid, lang=language())
        except Exception:  # noqa: BLE001 - the list stays empty
            rows = []
        for r in rows:
            m = r["months"]
            months = (_("{n} months ({first} to {last})").format(n=r["month_count"], first=m[0], last=m[1])
                      if m and m[0] != m[1] else (m[0] if m else "—"))
            sep = "；" if language() == "zh" else "; "
            added = sep.join(f"{c['label']} {fmt_num(c['total'], 1)} {c['unit']}" for c in r["carriers"])
            it = QTreeWidgetItem([r["file"], fmt_datetime(r["imported_at"]), months,
                                  _("{n} readings: {what}").format(n=r["readings"], what=added)])
            it.setData(0, Qt.ItemDataRole.UserRole + 1, r)
            it.setToolTip(0, r["file"])
            it.setToolTip(3, it.text(3))
            self.imports.addTopLevelItem(it)
        if not rows:
            self.imports.addTopLevelItem(QTreeWidgetItem([_("No ledger imported yet."), "", "", ""]))
        self._update_import_buttons()

    def _selected_import(self) -> dict | None:
        items = self.imports.selectedItems()
        return items[0].data(0, Qt.ItemDataRole.UserRole + 1) if items else None

    def _update_import_buttons(self) -> None:
        editable = getattr(self.view, "editable", not self.view.ws.readonly)
        self.remove_import_button.setEnabled(editable and self._selected_import() is not None)

    def confirm_remove_import(self, r: dict) -> bool:
        from greendesk.ui import errors

        if errors._sink is not None or errors._headless:  # noqa: SLF001 - no one can answer (tests, headless)
            return False
        box = QMessageBox(self)
        box.setObjectName("confirm_remove_import")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Remove import"))
        box.setText(_("Remove the import of “{file}” and its {n} readings?").format(file=r["file"], n=r["readings"]))
        box.setInformativeText(_("The energy figures computed from it go with it. Undo (Ctrl+Z) brings it back."))
        remove = box.addButton(_("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is remove

    def remove_selected_import(self) -> None:
        r = self._selected_import()
        if r is None or not self.remove_import_button.isEnabled() or not self.confirm_remove_import(r):
            return
        from greendesk.ui.undo import RemoveImport

        self.view.undo_stack.push(RemoveImport(self.view._current_view, r["id"],
                                               _("Remove the import of “{file}”").format(file=r["file"])))

    def _completeness(self, scheme, live) -> None:
        if scheme is None:
            return
        from greendesk.ui.nav import display_state

        inds = scheme.indicators()
        answered = sum(1 for i in inds if live.indicator_state(i.id) in ("complete", "na"))
        done = sum(1 for i in inds if display_state(live, i.id, i.rule.kind == "veto") in ("complete", "na"))
        errors = sum(1 for i in inds if live.indicator_state(i.id) == "error")
        self.complete_bar.setRange(0, max(1, len(inds)))
        self.complete_bar.setValue(done)
        self.complete_bar.setFormat(f"{done} / {len(inds)}")
        files = self.view.ws.evidence(self.view.aid)
        with_files = {r["item_id"] for r in files}
        bare = sum(1 for i in inds if i.rule.kind != "info" and i.id not in with_files)
        self.complete_text.setText(_("{answered} of {n} items answered, {done} of them with full points (or met); "
                                     "{err} with errors; {ev} evidence files, {bare} items without any evidence "
                                     "yet.").format(answered=answered, done=done, n=len(inds), err=errors,
                                                    ev=len(files), bare=bare))

    def _gaps(self, scheme, live, s: dict) -> None:
        self.gaps.clear()
        if scheme is None:
            return
        gaps = []
        core_gaps = s.get("gaps")
        if core_gaps is not None:  # ranked by the core
            for g in core_gaps:
                ind = scheme.indicators_by_id.get(g["id"])
                if ind is None or not g.get("points_to_gain"):
                    continue
                r = live.indicator_result(ind.id) or {}
                gaps.append((g["points_to_gain"], ind, r.get("score") or 0, r.get("max", ind.points),
                             r.get("explain") or ""))
        else:
            for ind in scheme.indicators():
                r = live.indicator_result(ind.id) or {}
                mx = r.get("max", ind.points) or 0
                sc = r.get("score") or 0
                if mx - sc > 1e-9:
                    gaps.append((mx - sc, ind, sc, mx, r.get("explain") or ""))
            gaps.sort(key=lambda g: -g[0])
        for gain, ind, sc, mx, why in gaps:
            title = f"{ind.code} {label(ind.title)}" if ind.code else label(ind.title)
            it = QTreeWidgetItem([title, fmt_num(gain, 1), f"{fmt_num(sc, 1)}/{fmt_num(mx, 1)}", why])
            it.setData(0, Qt.ItemDataRole.UserRole, (ind.id, None))
            it.setToolTip(3, why)
            it.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.gaps.addTopLevelItem(it)
        if not gaps:
            it = QTreeWidgetItem([_("No gaps: every item earns its full points."), "", "", ""])
            self.gaps.addTopLevelItem(it)

    def _issues(self, scheme, s: dict, energy: dict | None) -> None:
        self.issues.clear()
        level_names = {"error": _("Error"), "warning": _("Possible issue"), "possible": _("Possible issue"),
                       "info": _("Note"), "ok": _("OK")}
        for fid in s.get("missing_answers") or []:
            fid_s = fid if isinstance(fid, str) else (fid.get("id") if isinstance(fid, dict) else str(fid))
            it = QTreeWidgetItem([_("Missing"), _("Not answered: {name}").format(
                name=schemeview.answer_label(scheme, fid_s) if scheme else fid_s)])
            it.setData(0, Qt.ItemDataRole.UserRole, (self.view.item_of(fid_s), fid_s))
            self.issues.addTopLevelItem(it)
        for iid in s.get("missing_benchmarks") or []:
            iid_s = iid if isinstance(iid, str) else (iid.get("id") if isinstance(iid, dict) else str(iid))
            it = QTreeWidgetItem([_("Benchmark"), _("Benchmark needed: {name}").format(
                name=schemeview.answer_label(scheme, iid_s) if scheme else iid_s)])
            it.setData(0, Qt.ItemDataRole.UserRole, (iid_s, None))
            self.issues.addTopLevelItem(it)
        for issue in (energy or {}).get("issues") or []:
            lvl = issue.get("level", "warning")
            text = issue.get("message") or issue.get("code") or ""
            if isinstance(text, dict):
                text = label(text)
            where = issue.get("where")
            it = QTreeWidgetItem([level_names.get(lvl, lvl), f"{text}" + (f" ({where})" if where else "")])
            it.setToolTip(1, it.text(1))
            self.issues.addTopLevelItem(it)
        if self.issues.topLevelItemCount() == 0:
            self.issues.addTopLevelItem(QTreeWidgetItem(["✓", _("No issues found.")]))

    def _energy(self) -> dict | None:
        while self.charts_grid.count():
            w = self.charts_grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        year = self.view.assessment["year"]
        summary = schemeview.energy_summary(self.view.ws, year)
        carriers = (summary or {}).get("carriers") or {}
        self.energy_table.setRowCount(len(carriers))
        if not carriers:
            self.energy_summary.setText(_("No meter ledger imported for {year} yet. Use File › Import meter "
                                          "ledger (Ctrl+I).").format(year=year))
            self.energy_table.hide()
            self.factors_used.clear()
            return summary
        self.energy_table.show()
        self.energy_summary.setText(_("{year}: {tce} tce comprehensive energy use, {co2} t CO₂").format(
            year=year, tce=fmt_num(summary.get("total_tce"), 1), co2=fmt_num(summary.get("total_co2_t"), 1)))
        for r, (cid, c) in enumerate(carriers.items()):
            cells = [carrier_name(cid), fmt_num(c.get("total"), 1), c.get("unit") or "", fmt_num(c.get("tce"), 2),
                     fmt_num(c.get("co2_t"), 2)]
            for col, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if col in (1, 3, 4):
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.energy_table.setItem(r, col, it)
            chart = MonthlyBars(carrier_name(cid), c.get("unit") or "", c.get("months") or {}, year,
                                PALETTE[r % len(PALETTE)])
            self.charts_grid.addWidget(chart, r // 2, r % 2)
        used = []
        for f in summary.get("factors") or []:
            cert = "" if f.get("certainty") in ("confirmed", "override", "measured") else " ⚠"
            mark = " ✎" if f.get("overridden") else ""
            used.append(f"{f.get('name') or f.get('id')} = {fmt_num(f.get('value'), 4)} {f.get('unit') or ''}{cert}{mark}")
        self.factors_used.setText(_("Factors used: {list}").format(list="; ".join(used)) if used else "")
        self.factors_used.setToolTip("\n".join(f"{f.get('name') or f.get('id')}: {f.get('source') or '—'}"
                                               for f in summary.get("factors") or []))
        self.energy_table.setFixedHeight(self.energy_table.horizontalHeader().height()
                                         + sum(self.energy_table.rowHeight(i) for i in range(len(carriers))) + 4)
        return summary
