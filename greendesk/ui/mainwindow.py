"""The main window: welcome screen or an open workspace, menus, language, saved state."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QStackedWidget

from greendesk.ui import i18n
from greendesk.ui import settings as app_settings
from greendesk.ui.errors import show_error
from greendesk.ui.i18n import _

RECENT_DELAY_MS = 300  # an opened workspace joins the recent list this long after opening (or when closed)


class MainWindow(QMainWindow):
    workspace_opened = Signal(str)

    def __init__(self, *, build: bool = True):
        super().__init__()
        self.setObjectName("main")
        self.ws = None
        self.view = None
        self.welcome = None
        self.undo_stack = None  # one history per open workspace, kept across language switches
        self._tasks: list = []
        self._pending_recent: tuple | None = None   # (path, title) for the recent list, not yet written
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("saved_state")
        self.statusBar().addPermanentWidget(self.saved_label)
        self.resize(1280, 800)
        self.setMinimumSize(900, 600)
        self.setAcceptDrops(True)
        geom = app_settings.settings().value("geometry")
        from greendesk.ui.fit import clamp_window, fit_to_screen

        fit_to_screen(self)  # a laptop at 1366×768 (or 150 %): the window opens inside the screen
        if geom is not None:
            self.restoreGeometry(geom)
            clamp_window(self)  # saved on a larger monitor: kept within this one
        if build:
            self._build()

    def build(self) -> None:
        """Build the welcome screen and menus (when the window was made with ``build=False``)."""
        if self.welcome is None and self.view is None:
            self._build()

    # -- building (again on a language switch) --------------------------------------

    def _build(self) -> None:
        """(Re)build the menus and the current screen: the workspace view, or the welcome screen (made only
        when it is shown)."""
        # the old menus and their actions go with their owner: a language switch leaked 26 actions and
        # 6 menus each time (found by the soak test)
        mb = self.menuBar()
        mb.clear()
        for menu in mb.findChildren(QMenu, "", Qt.FindChildOption.FindDirectChildrenOnly):
            menu.deleteLater()
        if getattr(self, "_menu_owner", None) is not None:
            self._menu_owner.deleteLater()
        self._menu_owner = QObject(self)
        old = self.welcome
        self.welcome = None
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        if self.ws is not None:
            self._build_view()
        else:
            from greendesk.ui.welcome import WelcomePage

            self.welcome = WelcomePage()
            self.welcome.new_requested.connect(self.new_workspace)
            self.welcome.open_requested.connect(self.choose_workspace)
            self.welcome.demo_requested.connect(self.open_demo)
            self.welcome.recent_requested.connect(lambda p: self.open_workspace(Path(p)))
            self.stack.insertWidget(0, self.welcome)
            self.stack.setCurrentWidget(self.welcome)
        self._build_menus()
        self._update_title()

    def _build_view(self) -> None:
        from greendesk.ui.workspaceview import WorkspaceView

        state = self.view.state() if self.view is not None else None
        old = self.view
        if self.undo_stack is None:
            from PySide6.QtGui import QUndoStack

            self.undo_stack = QUndoStack(self)
        self.view = WorkspaceView(self.ws, self, undo_stack=self.undo_stack, current_view=lambda: self.view)
        self.view.saved_state.connect(self.saved_label.setText)
        self.view.status_changed.connect(self._status_changed)
        self.view.year_chosen.connect(self._year_chosen)
        if self.ws.readonly:  # why nothing can be changed, above the score bar
            self.view.layout().insertWidget(0, self._readonly_banner())
        self.stack.addWidget(self.view)
        self.stack.setCurrentWidget(self.view)
        if old is not None:
            old.flush()
            self.stack.removeWidget(old)
            old.deleteLater()
        if state:
            self.view.restore_state(state)
        self.saved_label.setText(self.view.saved_text())

    def _readonly_banner(self) -> QLabel:
        why = getattr(self.ws, "readonly_why", None)
        text = {
            "medium": _("Read-only: this workspace is on a read-only medium (a write-protected USB stick, a disc "
                        "or a read-only share). Nothing can be changed here; the package can be exported to another "
                        "folder. To edit it, copy it to a writable folder and open the copy."),
            "file": _("Read-only: the workspace file is marked read-only. Nothing can be changed here; the package "
                      "can be exported to another folder. To edit it, clear 'read-only' in the file's properties, "
                      "or open a copy."),
            "folder": _("Read-only: there is no right to write in this workspace's folder. Nothing can be changed "
                        "here; the package can be exported to another folder. To edit it, copy it to a folder of "
                        "your own."),
            "locked": _("Read-only: another GreenDesk window or program has this workspace open for editing. "
                        "Nothing can be changed here; close it there and open it again to edit."),
        }.get(why, _("Read-only: the workspace was opened read-only. Nothing can be changed here; the package can "
                     "be exported to another folder."))
        banner = QLabel(text)
        banner.setObjectName("readonly_banner")
        banner.setWordWrap(True)
        banner.setMargin(8)
        banner.setStyleSheet("QLabel#readonly_banner { background: #fff4ce; color: #5c4400; "
                             "border-bottom: 1px solid #e0c46c; }")
        return banner

    def _build_menus(self) -> None:
        mb = self.menuBar()
        ws_open = self.ws is not None

        def act(menu, text, slot, shortcut=None, enabled=True, name=None, tip=None):
            a = QAction(text, self._menu_owner)
            if shortcut:
                a.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
            if tip:
                a.setStatusTip(tip)
                a.setToolTip(tip)
            a.triggered.connect(slot)
            a.setEnabled(enabled)
            if name:
                a.setObjectName(name)
            menu.addAction(a)
            return a

        m = mb.addMenu(_("&File"))
        act(m, _("&New workspace…"), self.new_workspace, QKeySequence.StandardKey.New)
        act(m, _("&Open workspace…"), self.choose_workspace, QKeySequence.StandardKey.Open)
        recent = m.addMenu(_("Open &recent"))
        for p in app_settings.recent_files():
            a = recent.addAction(p)
            a.triggered.connect(lambda _c=False, p=p: self.open_workspace(Path(p)))
        recent.setEnabled(bool(app_settings.recent_files()))
        act(m, _("Open the &demo factory"), self.open_demo)
        m.addSeparator()
        act(m, _("Factory &profile…"), self.edit_factory, None, ws_open, "factory",
            _("Name, credit code, address and contacts, as they appear in the report"))
        writable = ws_open and not self.ws.readonly
        final = self.view is not None and getattr(self.view, "final", False)
        act(m, _("&Import meter ledger…"), self.import_ledger, "Ctrl+I", writable and not final, "import",
            _("Import monthly energy and water ledgers (Excel or CSV)"))
        act(m, _("&Export signed package…"), self.export_package, "Ctrl+E", ws_open, "export",
            _("Write the signed PDF declaration with its evidence"))
        m.addSeparator()
        act(m, _("&Close workspace"), self.close_workspace_to_welcome, QKeySequence.StandardKey.Close, ws_open)
        act(m, _("&Quit"), self.close, QKeySequence.StandardKey.Quit)

        m = mb.addMenu(_("&Edit"))
        if self.view is not None and ws_open:
            undo = self.view.undo_stack.createUndoAction(self._menu_owner, _("&Undo"))
            undo.setShortcuts([QKeySequence.StandardKey.Undo])
            redo = self.view.undo_stack.createRedoAction(self._menu_owner, _("&Redo"))
            redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
            undo.setObjectName("undo")
            redo.setObjectName("redo")
            m.addAction(undo)
            m.addAction(redo)
        else:
            act(m, _("&Undo"), lambda: None, None, False)
            act(m, _("&Redo"), lambda: None, None, False)

        m = mb.addMenu(_("&Go"))
        act(m, _("&Assessment"), lambda: self.view.show_page("form"), "Ctrl+1", ws_open)
        act(m, _("&Dashboard"), lambda: self.view.show_page("dashboard"), "Ctrl+2", ws_open)
        act(m, _("&Benchmarks and factors"), lambda: self.view.show_page("settings"), "Ctrl+3", ws_open)
        act(m, _("&Meter register"), lambda: self.view.show_page("meters"), "Ctrl+4", ws_open)
        act(m, _("&Annual return"), lambda: self.view.show_page("annual"), "Ctrl+5", ws_open)
        act(m, _("D&eclaration table"), lambda: self.view.show_page("declaration"), "Ctrl+6", ws_open, "declaration")
        act(m, _("Re-benchmar&king"), lambda: self.view.show_page("compare"), "Ctrl+7", ws_open, "compare")
        m.addSeparator()
        act(m, _("&Next item"), lambda: self.view.step_item(1), "Ctrl+PgDown", ws_open, "next_item")
        act(m, _("&Previous item"), lambda: self.view.step_item(-1), "Ctrl+PgUp", ws_open, "previous_item")
        act(m, _("Next item with a &gap"), lambda: self.view.next_gap(), "Ctrl+G", ws_open, "next_gap",
            _("The next item that can still earn points"))
        m.addSeparator()
        act(m, _("&Finalize…"), lambda: self.view.finalize(), "Ctrl+Shift+F", ws_open and not final, "finalize")
        act(m, _("&Reopen as draft…"), lambda: self.view.reopen(), None, writable and final, "reopen",
            _("Make the final assessment editable again (the reason is recorded)"))

        m = mb.addMenu(_("&Language") if i18n.language() == "en" else "语言 / &Language")
        group = QActionGroup(self._menu_owner)
        for code, name in i18n.LANGUAGES.items():
            a = QAction(name, self._menu_owner)
            a.setCheckable(True)
            a.setChecked(code == i18n.language())
            a.setObjectName(f"lang_{code}")
            a.triggered.connect(lambda _c=False, code=code: self.set_language(code))
            group.addAction(a)
            m.addAction(a)

        m = mb.addMenu(_("&Help"))
        act(m, _("&About GreenDesk"), self.about)

    def _update_title(self) -> None:
        if self.ws is not None:
            name = self.ws.factory().get("name") or self.ws.path.stem
            ro = f" ({_('read-only')})" if self.ws.readonly else ""
            if self.view is not None and getattr(self.view, "final", False):
                ro += f" [{_('Final')}]"
            self.setWindowTitle(f"{name} — {self.ws.path.name}{ro} — GreenDesk")
        else:
            self.setWindowTitle("GreenDesk")

    def _year_chosen(self, _aid: int) -> None:
        """Another year picked (WorkspaceView.choose_assessment): the view is rebuilt on it; the undo history
        starts anew (an undo must not change another year's assessment)."""
        if self.undo_stack is not None:
            self.undo_stack.clear()
        self._build()
        self.statusBar().showMessage(_("Showing the {year} assessment.").format(year=self.view.assessment["year"]),
                                     8000)

    def _status_changed(self) -> None:
        """Finalized or reopened: the view is rebuilt editable or read-only; the undo history starts anew
        (an undo would change a final assessment, or undo across the status change)."""
        if self.undo_stack is not None:
            self.undo_stack.clear()
        self._build()
        final = getattr(self.view, "final", False)
        self.statusBar().showMessage(_("The assessment is final: it is read-only until reopened as a draft.")
                                     if final else _("The assessment is a draft again."), 8000)

    # -- language ---------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        if lang == i18n.language():
            return
        if self.view is not None:
            self.view.flush()
        i18n.set_language(lang)
        app_settings.set_language(lang)
        self._build()

    # -- workspaces -------------------------------------------------------------------

    def open_workspace(self, path: Path, *, readonly: bool = False, why: str | None = None) -> bool:
        """Open ``path`` (read-only when asked; ``why`` says why, for the banner). A workspace that is locked, or
        that its medium or file lets read but not write, is offered read-only."""
        from greendesk.core.errors import WorkspaceLocked
        from greendesk.core.workspace import Workspace, WorkspaceReadOnly
        from greendesk.ui.errors import ask, error_text, offer

        if self.ws is not None and Path(self.ws.path).resolve() == Path(path).resolve():
            return True
        ws = None
        try:
            ws = Workspace.open(path, readonly=readonly)
            ws.assessment()
        except WorkspaceLocked as e:
            if ask(self, error_text(e)[0], _("Open it read-only to look at it (no changes can be made)?")):
                return self.open_workspace(path, readonly=True, why="locked")
            return False
        except WorkspaceReadOnly as e:  # a read-only medium, file or folder: looking and exporting still work
            if ws is not None:
                ws.close()
            if offer(self, error_text(e)[0], _("It can be opened read-only: everything can be looked at and the "
                                                "package exported to another folder, but nothing can be changed."),
                     _("Open read-only")):
                return self.open_workspace(path, readonly=True, why=e.reason)
            return False
        except Exception as e:  # noqa: BLE001 - one error dialog
            if ws is not None:
                ws.close()
            show_error(self, e)
            if not Path(path).exists() and str(Path(path).resolve()) in app_settings.recent_files():
                app_settings.remove_recent(str(Path(path).resolve()))  # a moved or deleted file leaves the list
                if self.welcome is not None:
                    self.welcome.refresh()
            return False
        self.close_workspace()
        self.ws = ws
        # why it is read-only, kept on the open workspace object (never stored): the banner, the view's status
        # bar and its refusals all read it there
        ws.readonly_why = why if ws.readonly else None
        self._build()
        if not readonly:
            a = ws.assessment()
            title = f"{ws.factory().get('name') or Path(path).stem} · {a['year']}"
            # written (QSettings syncs the file to disk) once the window is up, not before its first paint;
            # closing the workspace sooner writes it then
            self._pending_recent = (path, title)
            QTimer.singleShot(RECENT_DELAY_MS, self._record_recent)
        self.workspace_opened.emit(str(path))
        return True

    def _record_recent(self) -> None:
        pending, self._pending_recent = self._pending_recent, None
        if pending is not None:
            app_settings.add_recent(*pending)

    def close_workspace(self) -> None:
        self._record_recent()
        if self.view is not None:
            self.view.flush()
            self.view.save_layout()
            self.stack.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None
        if self.ws is not None:
            self.ws.close()
            self.ws = None
        if self.undo_stack is not None:
            self.undo_stack.deleteLater()
            self.undo_stack = None
        self.saved_label.clear()

    def close_workspace_to_welcome(self) -> None:
        self.close_workspace()
        self._build()

    def choose_workspace(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # (imported when used: each Qt class loaded costs start-up)

        path, _f = QFileDialog.getOpenFileName(self, _("Open workspace"), "", _("GreenDesk workspaces (*.greendesk)"))
        if path:
            self.open_workspace(Path(path))

    def new_workspace(self) -> None:
        from greendesk.ui.newwizard import NewWorkspaceWizard

        wiz = NewWorkspaceWizard(self)
        if wiz.exec() and wiz.created_path:
            self.open_workspace(wiz.created_path)

    def demo_path(self) -> Path:
        from PySide6.QtCore import QStandardPaths

        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        return Path(folder) / "demo.greendesk"

    def open_demo(self) -> None:
        from greendesk.ui.tasks import run_with_progress

        path = self.demo_path()
        if path.exists() and self.open_workspace(path):
            return

        def work(progress, cancel):
            from greendesk.core.demo import build_demo

            path.parent.mkdir(parents=True, exist_ok=True)
            return build_demo(path, overwrite=True)

        task = run_with_progress(self, _("Creating the demo workspace…"), work,
                                 success=lambda p: self.open_workspace(Path(p)))
        self._tasks.append(task)
        task.done.connect(lambda: self._tasks.remove(task))

    # -- tools ----------------------------------------------------------------------------

    def edit_factory(self) -> None:
        from greendesk.ui.factory import FactoryDialog

        if self.ws is not None and FactoryDialog(self.ws, self).exec():
            self.view.score_bar.set_factory(self.ws.factory().get("name") or "", self.view.assessment["year"],
                                            self.view.scheme_title())
            self._update_title()

    def import_ledger(self) -> None:
        if self.view is not None:
            self.view.import_ledger()

    def export_package(self) -> None:
        if self.view is not None:
            self.view.export_package()

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from greendesk import __version__

        QMessageBox.about(self, _("About GreenDesk"),
                          _("GreenDesk {v}: green factory self-assessment (GB/T 36132).").format(v=__version__))

    # -- drag and drop: a workspace opens it, ledgers start the import wizard ------------------

    LEDGER_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")

    def dragEnterEvent(self, event):  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        workspaces = [p for p in paths if p.suffix == ".greendesk"]
        ledgers = [p for p in paths if p.suffix.lower() in self.LEDGER_SUFFIXES]
        if workspaces:
            self.open_workspace(workspaces[0])
        elif ledgers and self.view is not None:
            self.view.import_ledger(ledgers)
        else:
            return
        event.acceptProposedAction()

    # -- closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        s = app_settings.settings()
        s.setValue("geometry", self.saveGeometry())
        s.sync()
        self.close_workspace()
        event.accept()


