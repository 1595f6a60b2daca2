"""The ledger import wizard: files -> what was recognised (editable mapping) -> preview with issues -> import.

Reading, detection and storing run off the GUI thread (:mod:`greendesk.ui.tasks`) with progress
and cancel; the plan itself comes from ``greendesk.core.meters`` (analyse / set_column / commit).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from greendesk.ui.errors import show_error
from greendesk.ui.i18n import N_, _, fmt_num, language
from greendesk.ui.tasks import Task

LEDGER_FILTER = N_("Ledgers (*.xlsx *.xlsm *.xls *.xlsb *.ods *.csv)")
LAYOUTS = {
    "months_down": N_("months down the rows"), "months_across": N_("months across the columns"),
    "long": N_("one row per reading (long format)"), "readings": N_("meter readings (previous/current)"),
    "sheet_period": N_("one sheet per period"), "none": N_("not recognised"),
}
LEVELS = {"error": N_("Error"), "warning": N_("Possible issue"), "info": N_("Note")}
YEAR_FROM = {"assessment": N_("the assessment year"), "title": N_("the title"), "sheet": N_("the sheet name"),
             "cells": N_("the dates in the cells")}


SERIES_ROLE_CHOICES = ("boundary", "standalone", "sub", "self_use", "cross_check", "comparison", "derived",
                       "excluded")
ROLE_NAMES = {
    "boundary": N_("boundary meter (counted)"), "standalone": N_("standalone meter (counted)"),
    "sub": N_("sub-meter (checked only)"), "self_use": N_("PV self-use (counted)"),
    "cross_check": N_("total or cross-check (not counted)"), "comparison": N_("last year / comparison (not counted)"),
    "derived": N_("ratio or derived figure (not counted)"), "excluded": N_("excluded (not counted)"),
    "generation": N_("PV generation (cross-check)"), "export": N_("PV export"),
}


def _carriers():
    from greendesk.core.meters.catalog import catalog

    return catalog()


class _Busy:
    """A progress bar + cancel button on a page, bound to one background Task at a time."""

    def __init__(self, page: QWizardPage, layout):
        self.page = page
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.hide()
        self.label = QLabel()
        self.label.hide()
        self.cancel = QPushButton(_("Cancel"))
        self.cancel.hide()
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel)
        layout.addWidget(self.label)
        layout.addLayout(row)
        self.task: Task | None = None

    def run(self, work, success, failure=None) -> Task:
        def wrapped(progress, cancel):
            return work(lambda f, msg="": progress(int(float(f) * 1000), 1000, msg), cancel)

        def done_ok(result):
            self._stop()
            success(result)

        def done_err(exc):
            self._stop()
            (failure or (lambda e: show_error(self.page, e)))(exc)

        self.task = Task(self.page, wrapped, success=done_ok, failure=done_err)
        self.task.progressed.connect(self._progress)
        self.cancel.clicked.connect(self.task.cancel)
        for w in (self.bar, self.label, self.cancel):
            w.show()
        self.bar.setValue(0)
        self.page.completeChanged.emit()
        return self.task.start()

    def _progress(self, done, total, text):
        self.bar.setValue(done)
        if text:
            self.label.setText(text)

    def _stop(self):
        for w in (self.bar, self.label, self.cancel):
            w.hide()
        try:
            self.cancel.clicked.disconnect()
        except (RuntimeError, TypeError):
            pass
        self.task = None
        self.page.completeChanged.emit()

    @property
    def running(self) -> bool:
        return self.task is not None


class FilesPage(QWizardPage):
    def __init__(self, wiz: ImportWizard):
        super().__init__()
        self.wiz = wiz
        self.setTitle(_("Choose ledger files"))
        self.setSubTitle(_("Excel or CSV files as you keep them: monthly sheets, meter-reading records, exports from "
                           "metering systems. Drop them here or click Add."))
        lay = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("files")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        lay.addWidget(self.list, 1)
        row = QHBoxLayout()
        add = QPushButton(_("Add files…"))
        add.clicked.connect(self._choose)
        rem = QPushButton(_("Remove"))
        rem.clicked.connect(self._remove)
        row.addWidget(add)
        row.addWidget(rem)
        row.addStretch(1)
        lay.addLayout(row)
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(1990, 2100)
        self.year.setGroupSeparatorShown(False)
        self.year.setValue(wiz.year)
        self.year.setToolTip(_("Used when a file gives months without a year (e.g. 1月…12月)."))
        form.addRow(_("Year of the data"), self.year)
        lay.addLayout(form)
        self.busy = _Busy(self, lay)
        self.setAcceptDrops(True)

    def files(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def add_files(self, paths) -> None:
        have = set(self.files())
        for p in paths:
            p = str(p)
            if p not in have:
                self.list.addItem(p)
        self.completeChanged.emit()

    def _choose(self) -> None:
        paths, _f = QFileDialog.getOpenFileNames(self, _("Choose ledger files"), "", _(LEDGER_FILTER))
        self.add_files(paths)

    def _remove(self) -> None:
        for it in self.list.selectedItems():
            self.list.takeItem(self.list.row(it))
        self.completeChanged.emit()

    def dragEnterEvent(self, e):  # noqa: N802
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e):  # noqa: N802
        self.add_files(u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile())

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.files()) and not self.busy.running

    def validatePage(self) -> bool:  # noqa: N802
        if self.wiz.plan is not None and self.wiz.analysed_for == (tuple(self.files()), self.year.value()):
            return True
        self.wiz.plan = None
        files, year, ws = self.files(), self.year.value(), self.wiz.ws

        def work(progress, cancel):
            from greendesk.core.meters import analyse

            # the workspace's meter register and the layouts settled before decide what they know
            return analyse(files, year=year, progress=progress, cancel=cancel, ws=ws)

        def done(plan):
            self.wiz.plan = plan
            self.wiz.analysed_for = (tuple(files), year)
            self.wiz.next()

        self.busy.run(work, done)
        return False


class MappingPage(QWizardPage):
    COLS = (N_("File / sheet"), N_("Column"), N_("Header"), N_("Carrier"), N_("Unit"), N_("How"))
    SERIES_COLS = (N_("Series"), N_("Carrier"), N_("Total"), N_("Role"), N_("Counted"), N_("Why"))

    def __init__(self, wiz: ImportWizard):
        super().__init__()
        self.wiz = wiz
        self.setTitle(_("What was recognised"))
        self.setSubTitle(_("Check each column: which energy carrier and unit it holds. Change a carrier or unit "
                           "where it is wrong, or choose “ignore”; the preview follows."))
        lay = QVBoxLayout(self)
        self.sheets = QLabel()
        self.sheets.setObjectName("sheets")
        self.sheets.setWordWrap(True)
        self.sheets.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.sheets)
        self.table = QTableWidget(0, len(self.COLS))
        self.table.setObjectName("mapping")
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLS])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lay.addWidget(self.table, 1)
        series_label = QLabel(_("Every series and whether it counts toward the factory's totals (a boundary meter "
                                "counts; its sub-meters, totals, readings, ratios and last year's figures are "
                                "only checked). Change a role where it is wrong."))
        series_label.setWordWrap(True)
        lay.addWidget(series_label)
        self.series = QTableWidget(0, len(self.SERIES_COLS))
        self.series.setObjectName("series")
        self.series.setHorizontalHeaderLabels([_(c) for c in self.SERIES_COLS])
        self.series.verticalHeader().hide()
        self.series.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.series.horizontalHeader().setStretchLastSection(True)
        self.series.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lay.addWidget(self.series, 1)
        self._filling = False

    def initializePage(self) -> None:  # noqa: N802
        self.fill()

    def fill(self) -> None:
        plan = self.wiz.plan
        cat = _carriers()
        lang = language()
        lines = []
        rows = []
        for f in plan.files:
            for sh in f.sheets:
                periods = sh.periods()
                span = f"{periods[0]} … {periods[-1]} ({len(periods)})" if periods else _("no periods")
                header = ", ".join(str(r) for r in sh.header_rows) or "—"
                year_from = _(YEAR_FROM.get(sh.year_from, sh.year_from)) if sh.year_from else "—"
                lines.append(_("{file} › {sheet}: {layout}; header rows {header}; periods {span}; year from "
                               "{year_from}").format(file=f.name, sheet=sh.name,
                                                     layout=_(LAYOUTS.get(sh.layout, sh.layout)), header=header,
                                                     span=span, year_from=year_from))
                for c in sh.columns:
                    # every column that holds (or might hold) data; not the period/meter/unit columns
                    if c.role not in ("period", "meter", "carrier", "unit", "total") or c.carrier:
                        rows.append((f, sh, c))
        self.sheets.setText("\n".join(lines))
        self._filling = True
        self.table.setRowCount(len(rows))
        carriers = [("ignore", _("— ignore —"))] + [(cid, cat.label(cid, lang)) for cid in cat.carriers]
        for r, (f, sh, c) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(f"{f.name} › {sh.name}"))
            self.table.setItem(r, 1, QTableWidgetItem(c.ref))
            head = QTableWidgetItem(c.label)
            head.setToolTip(c.header_cell)
            self.table.setItem(r, 2, head)
            combo = QComboBox()
            combo.setObjectName(f"carrier:{c.key}")
            if c.role != "ignore" and not c.carrier:
                combo.addItem(_("— choose —"), None)  # not recognised: nothing is assumed
            for cid, name in carriers:
                combo.addItem(name, cid)
            combo.setCurrentIndex(max(0, combo.findData("ignore" if c.role == "ignore" else c.carrier)))
            combo.currentIndexChanged.connect(lambda _i, f=f, c=c, cb=combo: self._changed(f, c, carrier=cb.currentData()))
            self.table.setCellWidget(r, 3, combo)
            unit = QComboBox()
            unit.setObjectName(f"unit:{c.key}")
            unit.setEditable(False)
            names = cat.accepted_units(c.carrier) if c.carrier else cat.accepted_units()
            if c.unit and c.unit not in names:
                names = [c.unit, *names]
            unit.addItem("—", None)
            for n in names:
                unit.addItem(n, n)
            unit.setCurrentIndex(max(0, unit.findData(c.unit)))
            unit.currentIndexChanged.connect(lambda _i, f=f, c=c, cb=unit: self._changed(f, c, unit=cb.currentData()))
            self.table.setCellWidget(r, 4, unit)
            how = {"detected": _("recognised"), "mapping": _("changed by you"), "assumed": _("assumed: check it")}
            it = QTableWidgetItem(how.get(c.source, c.source))
            if c.role == "unknown":
                it.setText(_("not recognised: choose the carrier, or ignore the column"))
                it.setForeground(Qt.GlobalColor.red)
            elif c.source == "assumed":
                it.setForeground(Qt.GlobalColor.darkYellow)
            self.table.setItem(r, 5, it)
        self.fill_series(plan, cat, lang)
        self._filling = False

    def fill_series(self, plan, cat, lang) -> None:
        series = [(f, s) for f in plan.files for s in f.series]
        self.series.setRowCount(len(series))
        for r, (f, s) in enumerate(series):
            name = QTableWidgetItem(s.label or s.meter)
            name.setToolTip(f"{f.name} › {s.sheet} {s.column}")
            self.series.setItem(r, 0, name)
            self.series.setItem(r, 1, QTableWidgetItem(f"{cat.label(s.carrier, lang)} ({s.unit})"))
            tot = QTableWidgetItem(fmt_num(s.total, 1))
            tot.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.series.setItem(r, 2, tot)
            combo = QComboBox()
            combo.setObjectName(f"role:{s.column}:{s.meter}")
            question = s.asked
            if question:
                combo.addItem(_("— choose —"), None)   # a question: nothing is preselected
            for role in SERIES_ROLE_CHOICES:
                combo.addItem(_(ROLE_NAMES[role]), role)
            if s.role not in SERIES_ROLE_CHOICES:
                combo.addItem(_(ROLE_NAMES.get(s.role, s.role)), s.role)
            combo.setCurrentIndex(0 if question else max(0, combo.findData(s.role)))
            # a computed series (time-of-use sum, self-use = generation − export) follows its parts
            combo.setEnabled(bool(s.column) and s.made not in ("tou_sum", "pv_self_use"))
            combo.currentIndexChanged.connect(lambda _i, f=f, s=s, cb=combo: self._role_changed(f, s, cb.currentData()))
            self.series.setCellWidget(r, 3, combo)
            counted = QTableWidgetItem(_("counted") if s.counted else (
                _("checked against {parent}").format(parent=s.parent) if s.role == "sub" and s.parent
                else _("not counted")))
            if question:
                counted.setText(_("question: choose the role"))
                counted.setForeground(Qt.GlobalColor.red)
            self.series.setItem(r, 4, counted)
            why = s.why.split(" / ")
            self.series.setItem(r, 5, QTableWidgetItem(why[0] if lang == "zh" or len(why) < 2 else why[1]))

    def _role_changed(self, f, s, role) -> None:
        if self._filling or role is None:
            return
        try:
            kw = {"file": f.name} if len(self.wiz.plan.files) > 1 else {}
            self.wiz.plan.set_column(s.column, role=role, **kw)
        except Exception as e:  # noqa: BLE001 - one error dialog
            show_error(self, e)
        QTimer.singleShot(0, self.fill)

    def _changed(self, f, c, *, carrier=None, unit=None) -> None:
        if self._filling:
            return
        try:
            kw = {"file": f.name} if len(self.wiz.plan.files) > 1 else {}
            if carrier == "ignore":
                self.wiz.plan.set_column(c.key, ignore=True, **kw)
            elif carrier is not None:
                self.wiz.plan.set_column(c.key, carrier=carrier, **kw)
            elif unit is not None:
                self.wiz.plan.set_column(c.key, unit=unit, **kw)
        except Exception as e:  # noqa: BLE001 - one error dialog
            show_error(self, e)
        QTimer.singleShot(0, self.fill)


class PreviewPage(QWizardPage):
    def __init__(self, wiz: ImportWizard):
        super().__init__()
        self.wiz = wiz
        self.setTitle(_("Preview and data quality"))
        self.setSubTitle(_("Totals per carrier and the monthly values as they will be stored, with everything that "
                           "looks wrong. Errors stop the import; possible issues do not."))
        lay = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.months = QTableWidget(0, 0)
        self.months.setObjectName("preview")
        self.months.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.months.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.months, 3)
        self.issues = QTableWidget(0, 4)
        self.issues.setObjectName("issues")
        self.issues.setHorizontalHeaderLabels([_("Level"), _("Issue"), _("Where"), _("Suggested fix")])
        self.issues.verticalHeader().hide()
        self.issues.setWordWrap(True)  # long messages wrap instead of being cut off
        self.issues.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issues.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        head = self.issues.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        head.sectionResized.connect(lambda *_a: self.issues.resizeRowsToContents())
        lay.addWidget(self.issues, 2)
        self.busy = _Busy(self, lay)

    def initializePage(self) -> None:  # noqa: N802
        plan = self.wiz.plan
        lang = language()
        cat = _carriers()
        series = [s for f in plan.files for s in f.series]
        periods = sorted({p for s in series for p in s.months})
        self.months.setColumnCount(len(periods) + 2)
        self.months.setHorizontalHeaderLabels([_("Series"), _("Total"), *periods])
        self.months.setRowCount(len(series))
        for r, s in enumerate(series):
            name = cat.label(s.carrier, lang) + (f" · {s.meter}" if s.meter and s.meter != s.carrier else "")
            head = QTableWidgetItem(f"{name} ({s.unit})")
            head.setToolTip(f"{s.file} › {s.sheet} {s.column}")
            self.months.setItem(r, 0, head)
            tot = QTableWidgetItem(fmt_num(s.total, 1))
            tot.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.months.setItem(r, 1, tot)
            for ci, p in enumerate(periods):
                v = s.months.get(p)
                it = QTableWidgetItem("—" if v is None else fmt_num(v, 1))
                it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                refs = s.refs.get(p) if hasattr(s, "refs") else None
                if refs:
                    it.setToolTip(", ".join(refs[:6]))
                self.months.setItem(r, ci + 2, it)
        self.months.resizeColumnsToContents()
        rows = [(_(LEVELS.get(i.level, i.level)), i.message(lang), i.where or "", i.fix(lang), i.level)
                for i in plan.issues] or [("✓", _("No issues found."), "", "", "ok")]
        self.issues.setRowCount(len(rows))
        for r, (*cells, level) in enumerate(rows):
            for c, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setToolTip(text)
                if level == "error" and c == 0:
                    it.setForeground(Qt.GlobalColor.red)
                self.issues.setItem(r, c, it)
        self.issues.resizeRowsToContents()
        totals = ("；" if lang == "zh" else "; ").join(
            f"{cat.label(d['carrier'], lang)} {fmt_num(d['total'], 1)} {d['unit']}" for d in plan.totals().values())
        if plan.errors:
            n = len(plan.errors)
            self.status.setText("✕ " + (_("1 error stops the import. Go back to change the mapping (or ignore a "
                                          "column), or fix the file and add it again.") if n == 1 else
                                        _("{n} errors stop the import. Go back to change the mapping (or ignore a "
                                          "column), or fix the file and add it again.").format(n=n)))
            self.status.setStyleSheet("color: #b3261e;")
        else:
            warnings = sum(1 for i in plan.issues if i.level == "warning")
            self.status.setText(_("Ready to import {n} monthly values. Totals: {totals}.").format(
                n=len(plan.records()), totals=totals or "—")
                + (" " + (_("1 possible issue: please check it.") if warnings == 1 else
                          _("{w} possible issues: please check them.").format(w=warnings)) if warnings else ""))
            self.status.setStyleSheet("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.wiz.plan is not None and self.wiz.plan.ok and not self.busy.running

    def validatePage(self) -> bool:  # noqa: N802
        if self.wiz.summary is not None:
            return True
        ws, aid, plan = self.wiz.ws, self.wiz.aid, self.wiz.plan
        from greendesk.core.meters.routing import targets

        _found, missing = targets(ws, aid, plan)     # months of a year without an assessment: ask first
        if missing and not self.wiz.create_missing_years(missing):
            return False

        def work(progress, cancel):
            from greendesk.core.meters import commit

            return commit(ws, aid, plan, progress=progress, cancel=cancel)

        def done(summary):
            self.wiz.summary = summary
            self.wiz.imported = True
            self.wiz.next()

        self.busy.run(work, done)
        return False


class DonePage(QWizardPage):
    def __init__(self, wiz: ImportWizard):
        super().__init__()
        self.wiz = wiz
        self.setTitle(_("Imported"))
        lay = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setObjectName("result")
        self.text.setWordWrap(True)
        lay.addWidget(self.text)
        lay.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        s = self.wiz.summary
        lang = language()
        cat = _carriers()
        replaced = sum(len(i.get("replaced") or []) for i in s.imports)
        lines = [_("{n} monthly values were stored; the files are kept in the workspace as evidence.").format(
            n=s.readings)]
        if replaced:
            lines.append(_("They replace what the same files imported before."))
        for d in s.totals.values():
            colon = "：" if lang == "zh" else ": "
            lines.append(f"• {cat.label(d['carrier'], lang)}{colon}{fmt_num(d['total'], 1)} {d['unit']}")
        lines.append(_("The dashboard and the energy indicators now use these figures."))
        self.text.setText("\n".join(lines))


class ImportWizard(QWizard):
    def __init__(self, ws, aid: int, year: int, parent=None):
        super().__init__(parent)
        self.setObjectName("import_wizard")
        self.ws, self.aid, self.year = ws, aid, year
        self.plan = None
        self.analysed_for = None
        self.summary = None
        self.imported = False
        self.setWindowTitle(_("Import meter ledgers"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.files_page = FilesPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.done_page = DonePage(self)
        for p in (self.files_page, self.mapping_page, self.preview_page, self.done_page):
            self.addPage(p)
        self.resize(980, 680)
        from greendesk.ui.fit import fit_to_screen

        fit_to_screen(self)     # a small screen keeps 下一步 reachable

    def add_files(self, paths) -> None:
        self.files_page.add_files([str(Path(p)) for p in paths])

    def create_missing_years(self, missing: dict[int, list[str]]) -> bool:
        """The ledger holds months of years without an assessment: offer to create them (empty, same scheme),
        so that each year's months go to that year. Nothing is created without the user's yes."""
        from greendesk.ui import errors

        years = sorted(missing)
        sep = "；" if language() == "zh" else "; "
        what = sep.join(_("{year}: {first} to {last} ({n} months)").format(
            year=y, first=missing[y][0], last=missing[y][-1], n=len(missing[y])) for y in years)
        ys = ", ".join(map(str, years))
        if not errors.offer(self, _("The ledger also holds months of years that have no assessment in this "
                                    "workspace: {what}.").format(what=what),
                            _("Each month goes to its own year's assessment. Create the assessment of {years} "
                              "(empty, same scheme) and import, or cancel and import a ledger of this year's "
                              "months only.").format(years=ys),
                            _("Create {years} and import").format(years=ys)):
            return False
        a = self.ws.assessment(self.aid)
        try:
            for y in years:
                self.ws.create_assessment(a["scheme_id"], a["scheme_version"], y,
                                          created_from=f"import:{a['id']}:{a['year']}")
        except Exception as e:  # noqa: BLE001 - one error dialog
            show_error(self, e)
            return False
        self.created_years = years
        return True

    def reject(self) -> None:
        for page in (self.files_page, self.preview_page):
            if page.busy.running:
                page.busy.task.cancel()
        super().reject()
