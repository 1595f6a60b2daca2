"""The review window's note panel (审核备注 on one indicator row) and the dialog that signs the review sheet.

The panel shows the row's declared value, its notes (the current one and the history), and takes a reason,
an optional corrected value and the reviewer's name; :func:`greendesk.core.review.notes.add_note` stores it.
The sheet dialog asks for the reviewer's certificate and writes the signed PDF off the GUI thread
(:func:`greendesk.core.review.sheet.write_review_sheet`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from greendesk.ui.i18n import _, fmt_num


def _connect(db_path):
    from greendesk.core.review.store import connect

    return connect(db_path)


class NotesPanel(QWidget):
    """Notes of one indicator row of one package; ``saved`` fires after a note was stored."""

    saved = Signal()

    def __init__(self, db_path, parent=None):
        super().__init__(parent)
        from greendesk.ui.settings import remembered

        self.db_path = db_path
        self.row: dict | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.history = QPlainTextEdit()
        self.history.setReadOnly(True)
        self.history.setMaximumHeight(110)
        self.value_edit = QLineEdit()
        self.value_edit.setPlaceholderText(_("Leave empty to keep the declared value"))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(_("Reason: what was checked, what is wrong"))
        self.reason_edit.setMaximumHeight(70)
        self.reviewer_edit = QLineEdit(remembered("review_reviewer"))
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.save_button = QPushButton(_("Save note"))
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow(_("Corrected value"), self.value_edit)
        form.addRow(_("Reason"), self.reason_edit)
        form.addRow(_("Reviewer"), self.reviewer_edit)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.heading)
        lay.addWidget(self.history)
        lay.addLayout(form)
        lay.addWidget(self.preview)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        lay.addLayout(buttons)
        for w in (self.value_edit, self.reviewer_edit):
            w.textChanged.connect(self._update_preview)
        self.reason_edit.textChanged.connect(self._update_preview)
        self.set_row(None)

    def set_row(self, row: dict | None) -> None:
        """``row``: {"package_id", "indicator_id", "title", "value", "unit"} or None (nothing selected)."""
        self.row = row
        for w in (self.value_edit, self.reason_edit, self.reviewer_edit, self.save_button):
            w.setEnabled(row is not None)
        self.value_edit.clear()
        self.reason_edit.clear()
        if row is None:
            self.heading.setText(_("Select an indicator row to write a note on it."))
            self.history.setPlainText("")
            self._update_preview()
            return
        self.heading.setText(_("{title} ({id}): declared {value} {unit}").format(
            title=row["title"] or row["indicator_id"], id=row["indicator_id"], value=fmt_num(row["value"], 4),
            unit=row["unit"] or ""))
        self._show_history()
        self._update_preview()

    def _show_history(self) -> None:
        from greendesk.core.review.notes import notes
        from greendesk.ui.i18n import language

        con = _connect(self.db_path)
        try:
            rows = [n for n in notes(con, package_id=self.row["package_id"], lang=language())
                    if n["indicator_id"] == self.row["indicator_id"]]
        finally:
            con.close()
        lines = []
        for n in reversed(rows):
            state = _("current") if n["current"] else _("replaced")
            lines.append(f"#{n['note_id']} ({state}) {n['reviewer']}, {(n['noted_at'] or '')[:16].replace('T', ' ')}")
            lines.append(f"    {n['text']}")
        self.history.setPlainText("\n".join(lines) if lines else _("No notes on this row yet."))

    def _value(self):
        """The corrected value typed, None when empty; raises UserError for text that is not a number."""
        from greendesk.core.numbers import parse_number

        text = self.value_edit.text().strip()
        if not text:
            return None
        v = parse_number(text, where=_("Corrected value"))
        return None if v is None else float(v)

    def _update_preview(self) -> None:
        from greendesk.core.errors import UserError
        from greendesk.core.review.notes import note_text
        from greendesk.ui.i18n import language

        if self.row is None:
            self.preview.setText("")
            return
        reason = self.reason_edit.toPlainText().strip()
        try:
            value = self._value()
        except UserError as e:
            self.preview.setText(e.message())
            return
        self.preview.setText(note_text(self.row["value"], value, reason or "…", self.row["unit"], language())
                             if reason or value is not None else "")

    def save(self) -> bool:
        from greendesk.core.errors import UserError
        from greendesk.core.review.notes import add_note
        from greendesk.ui.errors import show_error
        from greendesk.ui.settings import remember

        if self.row is None:
            return False
        try:
            value = self._value()
            con = _connect(self.db_path)
            try:
                add_note(con, str(self.row["package_id"]), self.row["indicator_id"], self.reason_edit.toPlainText(),
                         value=value, reviewer=self.reviewer_edit.text())
            finally:
                con.close()
        except UserError as e:
            show_error(self, e)
            return False
        remember("review_reviewer", self.reviewer_edit.text().strip())
        self.set_row(self.row)
        self.saved.emit()
        return True


class SheetDialog(QDialog):
    """The reviewer's certificate and the file name for the signed review sheet of one package."""

    def __init__(self, db_path, package_id: int, factory: str | None, parent=None):
        super().__init__(parent)
        from greendesk.ui.i18n import language
        from greendesk.ui.settings import remembered

        self.db_path, self.package_id = db_path, package_id
        self.task = None
        self.result_info: dict | None = None
        self.setWindowTitle(_("Signed review sheet"))
        self.p12_edit = QLineEdit(remembered("review_p12"))
        browse_p12 = QPushButton(_("Choose…"))
        browse_p12.clicked.connect(self._choose_p12)
        self.pass_edit = QLineEdit()
        self.pass_edit.setEchoMode(QLineEdit.EchoMode.Password)
        folder = remembered("review_sheet_dir") or str(Path.home())
        self.out_edit = QLineEdit(str(Path(folder) / f"审核意见-{(factory or str(package_id))[:40]}.pdf"))
        browse_out = QPushButton(_("Choose…"))
        browse_out.clicked.connect(self._choose_out)
        self.lang_box = QComboBox()
        self.lang_box.addItem("中文", "zh")
        self.lang_box.addItem("English", "en")
        self.lang_box.setCurrentIndex(0 if language() == "zh" else 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        row1.addWidget(self.p12_edit, 1)
        row1.addWidget(browse_p12)
        row2.addWidget(self.out_edit, 1)
        row2.addWidget(browse_out)
        form = QFormLayout()
        form.addRow(_("Reviewer's certificate (.p12)"), row1)
        form.addRow(_("Passphrase"), self.pass_edit)
        form.addRow(_("Save as"), row2)
        form.addRow(_("Language"), self.lang_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign and save"))
        self.buttons.accepted.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    def _choose_p12(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Reviewer's certificate (.p12)"), self.p12_edit.text(),
                                               "PKCS#12 (*.p12 *.pfx)")
        if path:
            self.p12_edit.setText(path)

    def _choose_out(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Save as"), self.out_edit.text(), "PDF (*.pdf)")
        if path:
            self.out_edit.setText(path)

    def sign(self) -> None:
        from greendesk.ui.tasks import Task

        p12, out = Path(self.p12_edit.text().strip()), Path(self.out_edit.text().strip())
        passphrase, lang = self.pass_edit.text(), self.lang_box.currentData()
        db, pid = self.db_path, self.package_id

        def work(progress, cancel):
            from greendesk.core.package.certs import load_p12
            from greendesk.core.review.sheet import write_review_sheet
            from greendesk.core.review.store import connect

            ident = load_p12(p12, passphrase)
            con = connect(db)
            try:
                return write_review_sheet(con, pid, out, ident, lang=lang, overwrite=True)
            finally:
                con.close()

        self.buttons.setEnabled(False)
        self.status.setText(_("Signing…"))
        self.task = Task(self, work, success=self._done, failure=self._failed)
        self.task.start()

    def _done(self, info: dict) -> None:
        from greendesk.ui.settings import remember

        self.result_info = info
        remember("review_p12", self.p12_edit.text().strip())
        remember("review_sheet_dir", str(Path(info["path"]).parent))
        self.buttons.setEnabled(True)
        self.status.setText(_("Signed review sheet written: {p} ({n} notes)").format(p=info["path"], n=info["notes"]))
        self.accept()

    def _failed(self, error) -> None:
        from greendesk.ui.errors import show_error

        self.buttons.setEnabled(True)
        self.status.setText("")
        show_error(self, error)
