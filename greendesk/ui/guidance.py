"""The right panel: guidance for the selected item and its evidence list (drag and drop in, open, remove)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from greendesk.core.textsafety import escape_html
from greendesk.ui import schemeview
from greendesk.ui.i18n import N_, _, fmt_datetime, label, language

CERTAINTY = {
    "confirmed": N_("confirmed"),
    "secondary": N_("from a secondary source"),
    "uncertain": N_("uncertain: check with your evaluator"),
    "user": N_("entered in this workspace"),
    "override": N_("entered in this workspace"),
    "measured": N_("measured value"),
}


SHORT_CERTAINTY = {
    "confirmed": N_("confirmed"), "secondary": N_("secondary source"), "uncertain": N_("⚠ uncertain"),
    "user": N_("entered here"), "override": N_("entered here"), "measured": N_("measured value"),
}


def certainty_text(c: str | None) -> str:
    return _(CERTAINTY.get(c or "uncertain", CERTAINTY["uncertain"]))


def certainty_short(c: str | None) -> str:
    """For table cells; the full text goes in the tooltip."""
    return _(SHORT_CERTAINTY.get(c or "uncertain", SHORT_CERTAINTY["uncertain"]))



class GuidancePanel(QTextBrowser):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("guidance")
        self.setOpenExternalLinks(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)

    def show_item(self, scheme, item_id: str, ws) -> None:
        if item_id == "__common__" or item_id not in scheme.indicators_by_id:
            text = _("These figures are shared by several indicators (for example the output value and the "
                     "energy use). Energy figures imported from meter ledgers fill them automatically.")
            self.setHtml(f"<h3>{escape_html(_('Basic data'))}</h3><p>{escape_html(text)}</p>")
            return
        ind = scheme.indicators_by_id[item_id]
        parts = [f"<h3>{escape_html(((ind.code + ' ') if ind.code else '') + label(ind.title))}</h3>"]
        g = label(ind.guidance)
        parts.append(f"<h4>{escape_html(_('What the evaluator looks for'))}</h4>")
        parts.append(f"<p>{escape_html(g) if g else escape_html(_('No guidance in the scheme for this item.'))}</p>")
        ev = [label(e) for e in ind.evidence]
        if ev:
            parts.append(f"<h4>{escape_html(_('Examples of evidence'))}</h4><ul>")
            parts += [f"<li>{escape_html(e)}</li>" for e in ev]
            parts.append("</ul>")
        parts.append(f"<h4>{escape_html(_('How it is scored'))}</h4>")
        for line in schemeview.rule_lines(scheme, ind, ws):
            parts.append(f"<p>{escape_html(line)}</p>")
        src = ind.rule.source or ind.source
        cert = ind.rule.certainty or ind.certainty
        color = "#1b7f3b" if cert == "confirmed" else "#b26a00"
        colon = "：" if language() == "zh" else ": "
        parts.append(f"<p style='color:{color}'>{escape_html(_('Source'))}{colon}{escape_html(src or '—')} · "
                     f"{escape_html(certainty_text(cert))}</p>")
        note = ind.rule.display_note() or ind.display_note()   # never the maintainer_note
        if note:
            parts.append(f"<p><i>{escape_html(note)}</i></p>")
        self.setHtml("".join(parts))


class EvidenceList(QWidget):
    """Files attached to one item. Drop files on it to attach them."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("evidence")
        self.ws = None
        self.aid = None
        self.item_id = None
        self.locked = False  # a read-only workspace or a final assessment: nothing is added or removed
        self.undo_stack = None  # the window's undo history and the current view, when there is one
        self.view_fn = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 8)
        self.title = QLabel(f"<b>{escape_html(_('Evidence files'))}</b>")
        lay.addWidget(self.title)
        self.list = QListWidget()
        self.list.setObjectName("evidence_list")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemActivated.connect(lambda _it: self.open_selected())
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.setToolTip(_("Drop files here to attach them. Double-click to open."))
        lay.addWidget(self.list, 1)
        self.empty = QLabel(_("No files yet. Drop files here or click Add."))
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(dark);")
        lay.addWidget(self.empty)
        row = QHBoxLayout()
        self.add_button = QPushButton(_("Add…"))
        self.open_button = QPushButton(_("Open"))
        self.remove_button = QPushButton(_("Remove"))
        self.add_button.setToolTip(_("Attach files to this item"))
        self.remove_button.setToolTip(_("Detach the selected files (the workspace keeps no copy)"))
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        for b in (self.add_button, self.open_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.setAcceptDrops(True)

    def show_item(self, ws, aid: int, item_id: str | None, *, locked: bool | None = None) -> None:
        self.ws, self.aid, self.item_id = ws, aid, (None if item_id == "__common__" else item_id)
        self.locked = bool(getattr(ws, "readonly", False)) if locked is None else locked
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        if self.ws is None:
            return
        rows = self.ws.evidence(self.aid, self.item_id) if self.item_id else [
            r for r in self.ws.evidence(self.aid) if not r["item_id"]]
        for r in rows:
            size = r["size"]
            size_text = f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} B"
            it = QListWidgetItem(f"{r['name']}   ({size_text}, {fmt_datetime(r['added_at'])})")
            it.setData(Qt.ItemDataRole.UserRole, r)
            it.setToolTip(f"{r['name']}\nSHA-256 {r['sha256'][:16]}…")
            self.list.addItem(it)
        self.empty.setVisible(not rows)
        self.add_button.setEnabled(not self.locked)
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Open and Remove act on the selected files; nothing is removed from a read-only workspace."""
        chosen = bool(self.list.selectedItems())
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen and self.ws is not None and not self.locked)

    BACKGROUND_BYTES = 8 * 1024 * 1024

    def add_files(self, paths: list[str | Path]) -> int:
        """Attach files. Small ones at once; large ones off the GUI thread behind a window-modal progress
        dialog (returns 0 then; the list updates when they are stored)."""
        from greendesk.ui.errors import show_error

        paths = [Path(p) for p in paths]
        try:
            total = sum(p.stat().st_size for p in paths)
        except OSError:
            total = 0
        if total > self.BACKGROUND_BYTES:
            self._add_in_background(paths)
            return 0
        n = 0
        for p in paths:
            try:
                self.ws.add_evidence(self.aid, p, item_id=self.item_id)
                n += 1
            except Exception as e:  # noqa: BLE001 - one error dialog
                show_error(self, e)
                break
        self.reload()
        if n:
            self.changed.emit()
        return n

    def _add_in_background(self, paths: list[Path]) -> None:
        from greendesk.core.errors import Cancelled
        from greendesk.ui.tasks import run_with_progress

        ws, aid, item_id = self.ws, self.aid, self.item_id
        view = self.window()
        if hasattr(view, "view") and view.view is not None:
            view.view.flush()  # typing is stored first: the workspace is written by one thread at a time

        def work(progress, cancel):
            done = 0
            for i, p in enumerate(paths):
                if cancel():
                    raise Cancelled()
                progress(i, len(paths), p.name)
                ws.add_evidence(aid, p, item_id=item_id)
                done += 1
            return done

        # done fires after success, failure (one error dialog) or cancel: show what was stored
        self._task = run_with_progress(self, _("Attaching evidence files…"), work, delay_ms=0)
        self._task.done.connect(lambda: (self.reload(), self.changed.emit()))

    def choose_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # (imported when used: each Qt class loaded costs start-up)

        paths, _f = QFileDialog.getOpenFileNames(self, _("Attach evidence files"))
        if paths:
            self.add_files(paths)

    def selected(self) -> list[dict]:
        return [it.data(Qt.ItemDataRole.UserRole) for it in self.list.selectedItems()]

    def open_selected(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices  # (when used: each Qt class loaded costs start-up)

        from greendesk.core.errors import UserError
        from greendesk.core.evidence_files import file_for_opening
        from greendesk.ui.errors import show_error

        for r in self.selected()[:5]:
            try:  # a private folder and a cleaned name: no stored name can write outside it
                target = file_for_opening(r["name"], r["sha256"], read=lambda sha=r["sha256"]: self.ws.blob(sha))
            except (OSError, UserError) as e:
                show_error(self, e)
                return
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def confirm_remove(self, rows: list[dict]) -> bool:
        """Ask before detaching: the files' names, and that Ctrl+Z brings them back."""
        from PySide6.QtWidgets import QMessageBox

        from greendesk.ui import errors

        if errors._sink is not None or errors._headless:  # noqa: SLF001 - no one can answer (tests, headless)
            return False
        box = QMessageBox(self)
        box.setObjectName("confirm_remove")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Remove evidence"))
        names = "\n".join(r["name"] for r in rows[:8]) + ("\n…" if len(rows) > 8 else "")
        box.setText(_("Remove 1 evidence file from this item?") if len(rows) == 1 else
                    _("Remove {n} evidence files from this item?").format(n=len(rows)))
        box.setInformativeText(names + "\n\n" + _("Undo (Ctrl+Z) attaches them again."))
        remove = box.addButton(_("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is remove

    def remove_selected(self) -> None:
        from greendesk.ui.errors import show_error

        if not self.remove_button.isEnabled():
            return
        rows = self.selected()
        if not rows or not self.confirm_remove(rows):
            return
        if self.undo_stack is not None and self.view_fn is not None:
            from greendesk.ui.undo import RemoveEvidence

            text = (_("Remove “{name}”").format(name=rows[0]["name"]) if len(rows) == 1 else
                    _("Remove {n} evidence files").format(n=len(rows)))
            self.undo_stack.push(RemoveEvidence(self.view_fn, [r["id"] for r in rows], text))
            return
        try:
            for r in rows:
                self.ws.remove_evidence(r["id"])
        except Exception as e:  # noqa: BLE001 - one error dialog
            show_error(self, e)
        self.reload()
        self.changed.emit()

    def dragEnterEvent(self, event):  # noqa: N802
        if event.mimeData().hasUrls() and self.add_button.isEnabled():
            event.acceptProposedAction()

    dragMoveEvent = dragEnterEvent

    def dropEvent(self, event):  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        paths = [p for p in paths if Path(p).is_file()]
        if paths:
            self.add_files(paths)
            event.acceptProposedAction()


class RightPanel(QSplitter):
    evidence_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self.guidance = GuidancePanel()
        self.evidence = EvidenceList()
        self.evidence.changed.connect(self.evidence_changed)
        self.addWidget(self.guidance)
        self.addWidget(self.evidence)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 1)
        self.setSizes([480, 220])
