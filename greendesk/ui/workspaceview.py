"""The open workspace: score bar on top; tabs for the assessment form, the dashboard and the settings.

Every edit goes straight to ``ws.set_answer`` (its own committed transaction), through one
QUndoCommand so that Ctrl+Z / Ctrl+Shift+Z work across fields. Values are validated by the
core first; a refused value is shown next to its field and nothing is stored.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from greendesk.core.errors import UserError
from greendesk.ui import schemeview
from greendesk.ui.errors import show_error
from greendesk.ui.formpage import FormPage
from greendesk.ui.guidance import RightPanel
from greendesk.ui.i18n import _, label, language
from greendesk.ui.nav import COMMON_ID, NavTree
from greendesk.ui.scorebar import ScoreBar
from greendesk.ui.undo import SetAnswer


class WorkspaceView(QWidget):
    saved_state = Signal(str)
    changed = Signal()
    status_changed = Signal()  # finalized or reopened: the window rebuilds the view (editable or not)
    year_chosen = Signal(int)  # another year's assessment picked: the window rebuilds the view on it

    def __init__(self, ws, parent=None, *, undo_stack: QUndoStack | None = None, current_view=None):
        super().__init__(parent)
        self.setObjectName("workspace_view")
        self.ws = ws
        # the year picked in the year picker (kept on the open workspace object, never stored); the latest otherwise
        self.assessment = ws.assessment(getattr(ws, "view_assessment_id", None))
        self.aid = self.assessment["id"]
        self.final = self.assessment.get("status") == "final"
        # a final assessment is read-only until reopened as a draft (the core refuses every write too)
        self.editable = not ws.readonly and not self.final
        # The history outlives a rebuilt view (language switch) when the window owns it.
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self._current_view = current_view or (lambda: self)
        self._saved_at: float | None = None
        self._tasks: list = []
        self.scheme = schemeview.load_scheme(self.assessment["scheme_id"])
        self.live = schemeview.Live(self.scheme, ws, self.aid)
        self.pages: dict[str, FormPage] = {}
        self.plausibility: dict[str, list[str]] = {}  # warnings at the fields (core.plausibility)
        self.current_id: str | None = None

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.score_bar = ScoreBar()
        self.score_bar.finalize_requested.connect(self.finalize)
        self.score_bar.reopen_requested.connect(self.reopen)
        self.score_bar.set_status(self.final)
        self.score_bar.set_factory(ws.factory().get("name") or "", self.assessment["year"], self.scheme_title())
        lay.addWidget(self.score_bar)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        from greendesk.ui.yearpicker import YearPicker

        self.year_picker = YearPicker(ws, self.aid)
        self.year_picker.chosen.connect(self.choose_assessment)
        self.year_picker.new_requested.connect(self.new_year)
        self.tabs.setCornerWidget(self.year_picker)
        lay.addWidget(self.tabs, 1)

        if self.scheme is None:
            empty = QLabel(_("This workspace uses the evaluation scheme “{id}”, which is not installed here. Its "
                             "answers are kept unchanged. Install the scheme file (or a newer GreenDesk) and open "
                             "the workspace again.").format(id=self.assessment["scheme_id"]))
            empty.setObjectName("no_scheme")
            empty.setWordWrap(True)
            empty.setMargin(40)
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(empty, _("Assessment"))
            self.nav = None
        else:
            self.splitter = QSplitter(Qt.Orientation.Horizontal)
            self.nav = NavTree(self.scheme)
            self.nav.item_selected.connect(self.select_item)
            self.nav.itemActivated.connect(lambda *_a: self._focus_form())  # Enter: into the form
            self.form_stack = QStackedWidget()
            self.right = RightPanel()
            self.right.evidence_changed.connect(self._evidence_changed)
            self.right.evidence.undo_stack = self.undo_stack  # removal is undoable (Ctrl+Z)
            self.right.evidence.view_fn = self._current_view
            from PySide6.QtGui import QKeySequence, QShortcut
            from PySide6.QtWidgets import QLineEdit

            left = QWidget()
            lv = QVBoxLayout(left)
            lv.setContentsMargins(0, 0, 0, 0)
            lv.setSpacing(2)
            self.search = QLineEdit()
            self.search.setObjectName("search")
            self.search.setPlaceholderText(_("Find an item… (Ctrl+F)"))
            self.search.setClearButtonEnabled(True)
            self.search.textChanged.connect(self.nav.filter)
            self.search.returnPressed.connect(self._open_first_match)
            QShortcut(QKeySequence.StandardKey.Find, self, activated=lambda: (self.tabs.setCurrentIndex(0),
                                                                              self.search.setFocus(),
                                                                              self.search.selectAll()))
            lv.addWidget(self.search)
            lv.addWidget(self.nav, 1)
            self.splitter.addWidget(left)
            self.splitter.addWidget(self.form_stack)
            self.splitter.addWidget(self.right)
            self.splitter.setStretchFactor(0, 2)
            self.splitter.setStretchFactor(1, 4)
            self.splitter.setStretchFactor(2, 2)
            self.splitter.setSizes([370, 540, 370])
            from greendesk.ui import settings as app_settings

            saved = app_settings.settings().value("splitter")
            if saved is not None:
                self.splitter.restoreState(saved)
            self.tabs.addTab(self.splitter, _("Assessment"))
            from PySide6.QtGui import QKeySequence, QShortcut

            cycle = QShortcut(QKeySequence("F6"), self)
            cycle.activated.connect(self.next_pane)
        self.dashboard = None
        self.settings_page = None
        self._dash_holder = QWidget()
        QVBoxLayout(self._dash_holder).setContentsMargins(0, 0, 0, 0)
        self._settings_holder = QWidget()
        QVBoxLayout(self._settings_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self._dash_holder, _("Dashboard"))
        self.tabs.addTab(self._settings_holder, _("Benchmarks and factors"))
        self.meters_page = None
        self._meters_holder = QWidget()
        QVBoxLayout(self._meters_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self._meters_holder, _("Meter register"))
        self.tabs.setTabToolTip(3, _("Meters, their level and parent, and which count toward the totals (Ctrl+4)"))
        self.annual_page = None
        self._annual_holder = QWidget()
        QVBoxLayout(self._annual_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self._annual_holder, _("Annual return"))
        self.declaration_page = None   # the 申报表 (found by its holder, not by a fixed tab index)
        self._declaration_holder = QWidget()
        QVBoxLayout(self._declaration_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.setTabToolTip(self.tabs.addTab(self._declaration_holder, _("Declaration table")),
                                _("The platform's declaration form row by row, with the calculations (Ctrl+6)"))
        self.compare_page = None       # re-benchmarking (found by its holder, not by a fixed tab index)
        self._compare_holder = QWidget()
        QVBoxLayout(self._compare_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.setTabToolTip(self.tabs.addTab(self._compare_holder, _("Re-benchmarking")),
                                _("The same answers scored under the old and the new edition, row by row (Ctrl+7)"))
        self.tabs.setTabToolTip(0, _("Fill in the items, with guidance and evidence (Ctrl+1)"))
        self.tabs.setTabToolTip(1, _("Score by section, gaps, data quality and energy (Ctrl+2)"))
        self.tabs.setTabToolTip(2, _("View and correct baseline/leading values and factors (Ctrl+3)"))
        self.tabs.currentChanged.connect(self._tab_changed)
        if ws.readonly or self.scheme is None:
            self.score_bar.finalize.setEnabled(False)
        if ws.readonly:
            self.score_bar.set_saved("🔒 " + _("Read-only: changes cannot be saved"))
            self.score_bar.finalize.setEnabled(False)
            self.score_bar.reopen.setEnabled(False)
        elif self.final:
            self.score_bar.set_saved("🔒 " + _("Final: read-only until reopened as a draft"))
        self.reevaluate()
        if self.nav is not None:
            first = next(iter(self.nav.items), None)
            if first:
                self.nav.select(first)

    def scheme_title(self) -> str:
        return label(schemeview.scheme_titles(self.scheme)) if self.scheme else self.assessment["scheme_id"]

    # -- state --------------------------------------------------------------------------

    def readonly_reason(self) -> str | None:
        """Why nothing can be changed here: "medium", "file", "folder", "locked", "opened" (asked read-only),
        "final"; None when the view is editable."""
        if self.ws.readonly:
            return getattr(self.ws, "readonly_why", None) or "opened"
        return "final" if self.final else None

    def saved_text(self) -> str:
        why = self.readonly_reason()
        if why == "final":
            return _("Final: read-only until reopened as a draft")
        if why is not None:
            return _("Opened read-only: no changes are saved")
        if self._saved_at is None:
            return _("All changes saved")
        return _("Saved at {time}").format(time=time.strftime("%H:%M:%S", time.localtime(self._saved_at)))

    def state(self) -> dict:
        return {"tab": self.tabs.currentIndex(), "item": self.current_id}

    def restore_state(self, state: dict) -> None:
        if state.get("item") and self.nav is not None:
            self.nav.select(state["item"])
        self.tabs.setCurrentIndex(state.get("tab", 0))

    def flush(self) -> None:
        page = self.pages.get(self.current_id) if self.current_id else None
        if page is not None:
            page.flush()

    # -- navigation ------------------------------------------------------------------

    def page_for(self, item_id: str) -> FormPage:
        page = self.pages.get(item_id)
        if page is None:
            page = self._make_page(item_id)
            page.edited.connect(self.on_edited)
            page.confirm_requested.connect(self.confirm_carried)
            page.confirm_section_requested.connect(self.confirm_section)
            if not self.editable:
                for ed in page.editors.values():
                    ed.set_read_only(True)
            page.attach_requested.connect(lambda _i: self.right.evidence.choose_files())
            self.pages[item_id] = page
            self.form_stack.addWidget(page)
        return page

    def _make_page(self, item_id: str) -> FormPage:
        if item_id == COMMON_ID:
            return FormPage(COMMON_ID, _("Basic data (shared inputs)"),
                            _("Figures used by several indicators. Energy figures from imported ledgers are "
                              "filled in automatically where the scheme says so."), self.scheme.common)
        ind = self.scheme.indicators_by_id[item_id]
        sub = schemeview.indicator_subtitle(self.scheme, ind)
        title = f"{ind.code} {label(ind.title)}" if ind.code else label(ind.title)
        return FormPage(item_id, title, sub, ind.fields, direct_field=schemeview.direct_field(ind))

    def select_item(self, item_id: str) -> None:
        if item_id == self.current_id:
            return
        self.flush()
        self.current_id = item_id
        page = self.page_for(item_id)
        page.refresh(self.live, self.plausibility)
        self.form_stack.setCurrentWidget(page)
        self.right.guidance.show_item(self.scheme, item_id, self.ws)
        self.right.evidence.show_item(self.ws, self.aid, item_id, locked=not self.editable)
        if self.nav.current_id() != item_id:
            self.nav.select(item_id)

    def jump_to(self, item_id: str, field_id: str | None = None) -> None:
        """Show an item (and focus a field) in the assessment tab."""
        if self.nav is None:
            return
        if item_id not in self.nav.items and field_id:
            item_id = self.item_of(field_id)
        if item_id not in self.nav.items:
            return
        self.tabs.setCurrentIndex(0)
        self.select_item(item_id)
        if field_id:
            self.pages[item_id].focus_field(field_id)

    def _focus_form(self) -> None:
        page = self.pages.get(self.current_id)
        if page is not None and page.editors:
            next(iter(page.editors.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def _open_first_match(self) -> None:
        for iid, it in self.nav.items.items():
            if not it.isHidden():
                self.jump_to(iid)
                self.nav.setFocus()
                return

    def save_layout(self) -> None:
        """Remember the pane sizes (QSettings), when the workspace closes; unchanged sizes are not written."""
        from greendesk.ui import settings as app_settings

        if self.nav is not None:
            s = app_settings.settings()
            state = self.splitter.saveState()
            if s.value("splitter") != state:
                s.setValue("splitter", state)

    def next_pane(self) -> None:
        """F6: move the keyboard focus between the navigation, the form and the evidence list."""
        if self.nav is None:
            return
        page = self.pages.get(self.current_id)
        panes = [self.nav, page, self.right.evidence.list]
        focus = self.focusWidget()
        current = next((i for i, p in enumerate(panes) if p is not None and focus is not None
                        and (focus is p or p.isAncestorOf(focus))), -1)
        target = panes[(current + 1) % len(panes)]
        if target is page and page is not None:
            target = next(iter(page.editors.values()), page)
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def step_item(self, step: int) -> None:
        """Go to the next/previous item of the navigation (keyboard: Ctrl+PgDown / Ctrl+PgUp)."""
        if self.nav is None:
            return
        ids = list(self.nav.items)
        i = ids.index(self.current_id) if self.current_id in ids else -1
        self.jump_to(ids[(i + step) % len(ids)])

    def next_gap(self) -> None:
        """Go to the next item (after the current one) that can still earn points."""
        if self.nav is None:
            return
        ids = list(self.nav.items)
        start = ids.index(self.current_id) if self.current_id in ids else -1
        for k in range(1, len(ids) + 1):
            iid = ids[(start + k) % len(ids)]
            r = self.live.indicator_result(iid) or {}
            if (r.get("max") or 0) - (r.get("score") or 0) > 1e-9:
                self.jump_to(iid)
                return

    def item_of(self, answer_id: str) -> str:
        return schemeview.item_of(self.scheme, answer_id) or COMMON_ID

    def show_page(self, name: str) -> None:
        if name == "compare":
            self.tabs.setCurrentWidget(self._compare_holder)
            return
        if name == "declaration":
            self.tabs.setCurrentWidget(self._declaration_holder)
            return
        self.tabs.setCurrentIndex({"form": 0, "dashboard": 1, "settings": 2, "meters": 3, "annual": 4}.get(name, 0))

    def _tab_changed(self, index: int) -> None:
        self.flush()
        if self.tabs.widget(index) is self._compare_holder:
            self._ensure_compare()
            self.compare_page.reload()
            return
        if self.tabs.widget(index) is self._declaration_holder:
            self._ensure_declaration()
            self.declaration_page.reload()
            return
        if index == 1:
            self._ensure_dashboard()
            self.dashboard.refresh()
        elif index == 2:
            self._ensure_settings()
            self.settings_page.reload()
        elif index == 3:
            self._ensure_meters()
            self.meters_page.reload()
        elif index == 4:
            self._ensure_annual()
            self.annual_page.reload()

    def _ensure_compare(self) -> None:
        if self.compare_page is None:
            from greendesk.ui.comparepage import ComparePage

            self.compare_page = ComparePage(self.ws, self.assessment["id"])
            self._compare_holder.layout().addWidget(self.compare_page)

    def _ensure_declaration(self) -> None:
        if self.declaration_page is None:
            from greendesk.ui.declarationpage import DeclarationPage

            self.declaration_page = DeclarationPage(self.ws, self.assessment["id"])
            self._declaration_holder.layout().addWidget(self.declaration_page)

    def _ensure_annual(self) -> None:
        if self.annual_page is None:
            from greendesk.ui.annualpage import AnnualPage

            self.annual_page = AnnualPage(self.ws, self.assessment["year"])
            self._annual_holder.layout().addWidget(self.annual_page)

    def _ensure_meters(self) -> None:
        if self.meters_page is None:
            from greendesk.ui.meterspage import MetersPage

            self.meters_page = MetersPage(self)
            self.meters_page.changed.connect(self.meter_data_changed)
            self._meters_holder.layout().addWidget(self.meters_page)

    def _ensure_dashboard(self) -> None:
        if self.dashboard is None:
            from greendesk.ui.dashboard import Dashboard

            self.dashboard = Dashboard(self)
            self.dashboard.jump.connect(self.jump_to)
            self._dash_holder.layout().addWidget(self.dashboard)

    def _ensure_settings(self) -> None:
        if self.settings_page is None:
            from greendesk.ui.settingspage import SettingsPage

            self.settings_page = SettingsPage(self)
            self.settings_page.changed.connect(self.reevaluate)
            self._settings_holder.layout().addWidget(self.settings_page)

    # -- editing ------------------------------------------------------------------------

    def on_edited(self, field_id: str, value) -> None:
        page = self.pages.get(self.item_of(field_id)) or self.pages.get(self.current_id)
        try:
            value = schemeview.validate(self.scheme, field_id, value)
        except UserError as e:
            if page is not None and field_id in page.editors:
                ed = page.editors.get(field_id)
                page.messages[field_id].setText(getattr(ed, "problem", "") or e.message(language()))
                page.messages[field_id].show()
            return
        old = self.live.answer(field_id)
        if old == value:
            if page is not None:
                page.refresh(self.live, self.plausibility)
            return
        name = schemeview.answer_label(self.scheme, field_id)
        self.undo_stack.push(SetAnswer(self._current_view, field_id, old, value,
                                       _("Change “{name}”").format(name=name)))

    def confirm_carried(self, field_id: str) -> None:
        """Keep a value carried over from last year: it becomes the user's own answer."""
        from greendesk.core.schemes.continuity import confirm_carried

        try:
            confirm_carried(self.ws, self.aid, [field_id])
        except Exception as e:  # noqa: BLE001 - one error dialog
            show_error(self, e)
        self.reevaluate()

    def choose_assessment(self, assessment_id: int) -> None:
        """Show another year's assessment (the window rebuilds the view; the undo history starts anew)."""
        self.flush()
        self.ws.view_assessment_id = int(assessment_id)
        self.year_chosen.emit(int(assessment_id))

    def new_year(self, year: int | None = None) -> int | None:
        """Start the assessment of ``year`` (asked; default: the latest year + 1) with this year's answers carried
        over, marked "from <this year>, please confirm", and show it."""
        from greendesk.core.schemes.continuity import carry_over

        years = {int(a["year"]) for a in self.ws.assessments()}
        if year is None:
            from PySide6.QtWidgets import QInputDialog

            year, ok = QInputDialog.getInt(self, _("New year"), _("Year of the new assessment (this year's answers "
                                                                  "are carried over, to confirm):"),
                                           max(years) + 1, 1990, 2100)
            if not ok:
                return None
        try:
            if int(year) in years:
                raise UserError(f"{year} 年已有评价：在“年度”中选择它。",
                                f"{year} already has an assessment: pick it in Year.")
            new_id = carry_over(self.ws, int(year), from_assessment=self.aid)["assessment_id"]
        except Exception as e:  # noqa: BLE001 - one error dialog
            show_error(self, e)
            return None
        self.choose_assessment(new_id)
        return new_id

    def confirm_section(self, item_id: str) -> None:
        """Keep every value of the item's section carried over from last year (the basic data for its page)."""
        from greendesk.core.schemes.continuity import confirm_section

        try:
            confirm_section(self.ws, self.aid, self.scheme, item_id)
        except Exception as e:  # noqa: BLE001 - one error dialog
            show_error(self, e)
        self.reevaluate()

    def store(self, field_id: str, value, *, from_undo: bool = False) -> None:
        """Write one answer now (its own committed transaction), then re-evaluate and refresh."""
        try:
            self.ws.set_answer(self.aid, field_id, value, scheme_version=self.assessment["scheme_version"])
        except Exception as e:  # noqa: BLE001 - one error dialog; the editor shows the stored value again
            show_error(self, e)
            self.reevaluate()
            return
        self._saved_at = time.time()
        self.saved_state.emit(self.saved_text())
        self.score_bar.set_saved(self.saved_text())
        item = self.item_of(field_id)
        if from_undo and item != self.current_id and self.tabs.currentIndex() == 0:
            self.select_item(item)
        self.reevaluate()

    def evidence_changed_by_undo(self) -> None:
        """Evidence was removed or restored through the undo history: show the list again."""
        if self.nav is not None:
            self.right.evidence.reload()
        self._evidence_changed()

    def meter_data_changed(self) -> None:
        """A ledger import was removed or restored: automatic values and the dashboard follow."""
        self.live.auto = None
        self._saved_at = time.time()
        self.saved_state.emit(self.saved_text())
        self.score_bar.set_saved(self.saved_text())
        self.reevaluate()
        if self.dashboard is not None:
            self.dashboard.refresh()

    def _evidence_changed(self) -> None:
        self._saved_at = time.time()
        self.saved_state.emit(self.saved_text())
        self.score_bar.set_saved(self.saved_text())
        self.reevaluate()

    def reevaluate(self) -> None:
        self.live.update()
        self.plausibility = {}
        if self.scheme is not None:
            from greendesk.core.plausibility import check

            try:
                found = check(self.scheme, self.live.values, self.live.answers)
            except Exception:  # noqa: BLE001 - a failed check must not break editing
                import logging

                logging.getLogger(__name__).exception("plausibility check failed")
                found = {}
            lang = language()
            self.plausibility = {fid: [w.text(lang) for w in ws] for fid, ws in found.items()}
        self.score_bar.show_score(self.live.score, lambda iid: schemeview.answer_label(self.scheme, str(iid)))
        if self.nav is not None:
            self.nav.refresh(self.live)
        page = self.pages.get(self.current_id) if self.current_id else None
        if page is not None:
            page.refresh(self.live, self.plausibility)
        if self.dashboard is not None and self.tabs.currentIndex() == 1:
            self.dashboard.refresh()
        self._reload_shown_document()
        self.changed.emit()

    def _reload_shown_document(self) -> None:
        """The 申报表, the annual return or the comparison on screen follows a change made while it is shown (an
        undo, a ledger import or its removal); a hidden one is recomputed when its tab is chosen."""
        shown = self.tabs.currentWidget()
        for holder, page in ((self._declaration_holder, self.declaration_page),
                             (self._annual_holder, self.annual_page), (self._compare_holder, self.compare_page)):
            if shown is holder and page is not None:
                page.reload()

    # -- tools ------------------------------------------------------------------------

    def finalize(self) -> None:
        from greendesk.ui.finalize import FinalizeDialog

        self.flush()
        dlg = FinalizeDialog(self)
        dlg.jump.connect(self.jump_to)
        dlg.finalized.connect(self.status_changed)
        dlg.exec()

    def reopen(self, reason: str | None = None) -> bool:
        """Reopen the final assessment as a draft; asks for the reason unless it is given."""
        from greendesk.core.finalize import reopen

        if not self.final or self.ws.readonly:
            return False
        if reason is None:
            from greendesk.ui.finalize import ReopenDialog

            dlg = ReopenDialog(self, self.assessment["year"])
            if not dlg.exec():
                return False
            reason = dlg.text()
        try:
            reopen(self.ws, self.aid, reason)
        except Exception as e:  # noqa: BLE001 - one error dialog
            show_error(self, e)
            return False
        self.assessment = self.ws.assessment(self.aid)
        self.status_changed.emit()
        return True

    def import_ledger(self, paths=None) -> None:
        from greendesk.ui.importwizard import ImportWizard

        if self.ws.readonly:
            show_error(self, self._readonly_import_error())
            return
        try:
            self.ws.require_draft(self.aid)  # a final assessment takes no ledger: say so before the wizard
        except UserError as e:
            show_error(self, e)
            return
        self.flush()
        wiz = ImportWizard(self.ws, self.aid, self.assessment["year"], self)
        if paths:
            wiz.add_files(paths)
        wiz.exec()
        if wiz.imported:
            self.live.auto = None  # automatic values (energy use, CO2 ...) come from the new ledgers
            self.reevaluate()
            if self.dashboard is not None:
                self.dashboard.refresh()

    def _readonly_import_error(self) -> UserError:
        """Why a ledger cannot be imported into a workspace opened read-only, and what to do, per reason."""
        head_zh, head_en = "工作区以只读方式打开，不能导入台账。", "The workspace is open read-only: ledgers cannot be imported. "
        what = {
            "locked": ("请在另一个窗口或程序关闭该工作区后重新打开。",
                       "Open it again once the other window or program has closed it."),
            "medium": ("它位于只读介质上（写保护的U盘、光盘或只读共享）：请将它复制到可写的文件夹，打开副本后再导入。",
                       "It is on a read-only medium (a write-protected USB stick, a disc or a read-only share): copy "
                       "it to a writable folder, open the copy and import there."),
            "file": ("工作区文件被标记为只读：请在文件属性中取消“只读”，或打开副本后再导入。",
                     "The workspace file is marked read-only: clear 'read-only' in the file's properties, or open a "
                     "copy, and import there."),
            "folder": ("没有写入该文件夹的权限：请将工作区复制到自己的文件夹，打开副本后再导入。",
                       "There is no right to write in its folder: copy the workspace to a folder of your own, open "
                       "the copy and import there."),
        }.get(self.readonly_reason(), ("请以可编辑方式重新打开该工作区后再导入。",
                                        "Open the workspace again for editing, then import."))
        return UserError(head_zh + what[0], head_en + what[1])

    def export_package(self) -> None:
        from greendesk.ui.exportdialog import ExportDialog

        self.flush()
        ExportDialog(self.ws, self).exec()
