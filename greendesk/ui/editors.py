"""One editor per scheme field type. Editors only show and report values; the view stores them.

Each editor emits ``edited(field_id, value)`` when the user changes the value: at once for
discrete choices, after a short pause (``DEBOUNCE_MS``) while typing, and at once on focus-out.
``set_value`` never emits.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from PySide6.QtCore import QLocale, Qt, QTimer, Signal

# the editors of the rarer field types (yes/no, choices, text, dates, tables) import their own Qt classes when
# the first one is made: each Qt class loaded costs start-up, and the first page has only numbers
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from greendesk.core.errors import UserError
from greendesk.ui.i18n import _, fmt_num, label, language

DEBOUNCE_MS = 300


class FieldEditor(QWidget):
    edited = Signal(str, object)

    def __init__(self, field, parent=None):
        super().__init__(parent)
        self.field = field
        self.setObjectName(f"editor:{field.id}")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self._pending = False
        self._setting = False
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.lay = lay

    def hand_undo_to_the_window(self, widget: QWidget) -> None:
        """Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y in this editor undo across fields (the window's QUndoStack)
        instead of the text box's own undo; typing not yet stored is stored first."""
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QKeySequence

        if event.type() == QEvent.Type.Wheel and not obj.hasFocus():
            # Scrolling the page must not change a choice under the mouse: the page scrolls instead.
            from PySide6.QtCore import QCoreApplication
            from PySide6.QtWidgets import QAbstractScrollArea

            w = self.parentWidget()
            while w is not None and not isinstance(w, QAbstractScrollArea):
                w = w.parentWidget()
            if w is not None:
                QCoreApplication.sendEvent(w.verticalScrollBar(), event)
            return True
        if event.type() == QEvent.Type.ShortcutOverride:
            if (event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
                    or QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+Y")):
                self.flush()
                return True  # not accepted by the text box: the window's shortcut runs
        elif event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False

    # subclasses: _build, value, _show
    def value(self) -> Any:
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        if self._pending:
            return  # the user is typing: do not overwrite
        self._setting = True
        try:
            self._show(value)
        finally:
            self._setting = False

    def _user_changed(self, *_a) -> None:
        if self._setting:
            return
        self.edited.emit(self.field.id, self.value())

    def _typing(self, *_a) -> None:
        if self._setting:
            return
        self._pending = True
        self._timer.start()

    def flush(self) -> None:
        """Report a pending typed value now (focus-out, close, switching pages)."""
        self._timer.stop()
        if self._pending:
            self._pending = False
            self.edited.emit(self.field.id, self.value())

    def set_read_only(self, ro: bool) -> None:
        self.setEnabled(not ro)


class YesNoEditor(FieldEditor):
    OPTIONS = (("yes", "Yes"), ("no", "No"), ("na", "Not applicable"))

    def __init__(self, field, parent=None):
        from PySide6.QtWidgets import QRadioButton  # (loaded when used)

        super().__init__(field, parent)
        self.buttons: dict[str, QRadioButton] = {}
        for value, text in self.OPTIONS:
            b = QRadioButton(_(text))
            b.setObjectName(value)
            # exclusivity is ours (a checked answer can be cleared by clicking it again). No QButtonGroup and
            # no auto-exclusivity: either takes every radio but one out of the Tab chain, so a keyboard user
            # could only ever answer 是.
            b.setAutoExclusive(False)
            self.buttons[value] = b
            self.lay.addWidget(b)
            b.clicked.connect(lambda checked, v=value: self._clicked(v, checked))
        self.lay.addStretch(1)

    def _clicked(self, value: str, checked: bool) -> None:
        for v, b in self.buttons.items():
            if v != value:
                b.setChecked(False)
        self._user_changed()

    def value(self):
        for v, b in self.buttons.items():
            if b.isChecked():
                return v
        return None

    def _show(self, value):
        for v, b in self.buttons.items():
            b.setChecked(v == _norm_yesno(value))


def _norm_yesno(value):
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


class ChoiceEditor(FieldEditor):
    def __init__(self, field, parent=None):
        super().__init__(field, parent)
        self.combo = QComboBox()
        self.combo.addItem(_("— not answered —"), None)
        for c in field.choices:
            self.combo.addItem(label(c.label), c.value)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.currentIndexChanged.connect(self._user_changed)
        self.combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.combo.installEventFilter(self)
        self.lay.addWidget(self.combo)
        self.lay.addStretch(1)
        self.setFocusProxy(self.combo)

    def value(self):
        return self.combo.currentData()

    def _show(self, value):
        i = self.combo.findData(value)
        self.combo.setCurrentIndex(max(i, 0))


class MultiEditor(FieldEditor):
    def __init__(self, field, parent=None):
        from PySide6.QtWidgets import QCheckBox  # (loaded when used)

        super().__init__(field, parent)
        box = QVBoxLayout()
        box.setSpacing(2)
        self.checks: dict[str, QCheckBox] = {}
        for c in field.choices:
            cb = QCheckBox(label(c.label))
            cb.toggled.connect(self._user_changed)
            self.checks[c.value] = cb
            box.addWidget(cb)
        self.lay.addLayout(box)
        self.lay.addStretch(1)

    def value(self):
        v = [k for k, cb in self.checks.items() if cb.isChecked()]
        return v or None

    def _show(self, value):
        value = value or []
        for k, cb in self.checks.items():
            cb.setChecked(k in value)


class NumberEditor(FieldEditor):
    """A number field. What is typed or pasted is parsed by the core (greendesk.core.numbers): Excel cells,
    spaces, 2,350, the field's unit, full-width digits and 。 as decimal point are taken as meant; anything
    else (7.5 in an integer field, another unit, 2,35 …) is refused at the field, saying why: the typed
    text stays, nothing is stored. No validator: a validator drops characters without a word."""

    def __init__(self, field, parent=None):
        super().__init__(field, parent)
        self.edit = QLineEdit()
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.setMaximumWidth(220)
        self.edit.setPlaceholderText(_("number"))
        self.hand_undo_to_the_window(self.edit)
        self.edit.textEdited.connect(self._typing)
        self.edit.editingFinished.connect(self.flush)
        self.lay.addWidget(self.edit)
        unit = field.unit or ("%" if field.type == "percent" else "")
        if unit:
            self.lay.addWidget(QLabel(unit))
        self.refusal_label = QLabel()
        self.refusal_label.setObjectName(f"refusal:{field.id}")
        self.refusal_label.setWordWrap(True)
        self.refusal_label.setStyleSheet("color: #b3261e;")
        self.refusal_label.hide()
        self.lay.addWidget(self.refusal_label, 1)
        self.lay.addStretch(1)
        self.setFocusProxy(self.edit)
        self.refusal = ""          # why the text in the box was not taken ("" when it was)
        self._shown = None         # the stored value last shown

    def parse(self):
        """The value of the text in the box; raises NumberRefused (a UserError) saying why not."""
        from greendesk.core.numbers import parse_field

        return parse_field(self.edit.text(), self.field, where="")

    def value(self):
        try:
            return self.parse()
        except UserError:
            return None

    def flush(self) -> None:
        self._timer.stop()
        if not self._pending:
            return
        self._pending = False
        try:
            value = self.parse()
        except UserError as e:
            self._refuse(e.message(language()))
            return
        self._refuse("")
        self.edited.emit(self.field.id, value)

    def _refuse(self, text: str) -> None:
        self.refusal = text
        self.refusal_label.setText(text)
        self.refusal_label.setVisible(bool(text))
        self.edit.setToolTip(text)
        self.edit.setStyleSheet("border: 1px solid #b3261e;" if text else "")

    def set_value(self, value) -> None:
        if self.refusal and not self._pending and value == self._shown:
            return  # keep the refused text in front of the user until they fix it or the value changes
        if not self._pending:
            self._refuse("")
        super().set_value(value)

    def _show(self, value):
        self._shown = value
        if value is None or value == "":
            self.edit.setText("")
        elif isinstance(value, (int, float)):
            loc = QLocale()
            loc.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)  # easier to edit: 2350, not 2,350
            self.edit.setText(loc.toString(float(value), "g", 15) if isinstance(value, float) else str(value))
        else:
            self.edit.setText(str(value))


class TextEditor(FieldEditor):
    def __init__(self, field, parent=None):
        from PySide6.QtWidgets import QPlainTextEdit  # (loaded when used)

        super().__init__(field, parent)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setMaximumHeight(80)
        self.edit.setUndoRedoEnabled(False)
        self.edit.textChanged.connect(self._typing)
        self.hand_undo_to_the_window(self.edit)
        self.lay.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def value(self):
        return self.edit.toPlainText().strip() or None

    def _show(self, value):
        if (value or "") != self.edit.toPlainText():
            self.edit.setPlainText(value or "")
        self._show_controls(value or "")

    def _show_controls(self, text: str) -> None:
        """Text from an older workspace may hold control characters (terminal escapes, bidi overrides),
        invisible in the box: say so visibly, with them written as \\uXXXX; the stored text is not changed."""
        from greendesk.core.textsafety import control_char, escape_controls

        bad = control_char(text)
        note = _("This text holds invisible control characters: {shown}. Remove them before saving.").format(
            shown=escape_controls(text)[:120]) if bad else ""
        self.edit.setToolTip(note)
        self.edit.setStyleSheet("border: 1px solid #b3261e;" if bad else "")


class DateEditor(FieldEditor):
    def __init__(self, field, parent=None):
        from PySide6.QtCore import QDate
        from PySide6.QtWidgets import QDateEdit, QToolButton  # (loaded when used)

        super().__init__(field, parent)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setMinimumDate(QDate(1900, 1, 1))
        self.edit.setSpecialValueText(_("— not answered —"))
        self.edit.setDisplayFormat(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
        self.edit.dateChanged.connect(self._user_changed)
        self.edit.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.edit.installEventFilter(self)
        clear = QToolButton()
        clear.setText("✕")
        clear.setToolTip(_("Clear the date"))
        clear.clicked.connect(lambda: self.edit.setDate(self.edit.minimumDate()))
        self.lay.addWidget(self.edit)
        self.lay.addWidget(clear)
        self.lay.addStretch(1)
        self.setFocusProxy(self.edit)

    def value(self):
        d = self.edit.date()
        if d == self.edit.minimumDate():
            return None
        return _dt.date(d.year(), d.month(), d.day()).isoformat()

    def _show(self, value):
        if not value:
            self.edit.setDate(self.edit.minimumDate())
        else:
            from PySide6.QtCore import QDate

            d = QDate.fromString(str(value)[:10], Qt.DateFormat.ISODate)
            self.edit.setDate(d if d.isValid() else self.edit.minimumDate())


class CalculatedEditor(FieldEditor):
    def __init__(self, field, parent=None):
        super().__init__(field, parent)
        self.label = QLabel("—")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setObjectName("calculated")
        self.label.setToolTip(_("Calculated from other answers; updates as you type."))
        self.lay.addWidget(self.label)
        self.lay.addStretch(1)
        self._value = None

    def value(self):
        return self._value

    def _show(self, value):
        self._value = value
        self.label.setText(_fmt_value(value, self.field.unit))

    def show_problem(self, text: str) -> None:
        self._value = None
        self.label.setText(text)


def _fmt_value(value, unit=None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (int, float)):
        s = fmt_num(value, 4 if abs(value) < 1 else 2)
        return f"{s} {unit}" if unit else s
    return str(value)


class EvidenceFieldEditor(FieldEditor):
    """An evidence field: files are attached in the evidence list of the indicator (right panel)."""

    attach_requested = Signal(str)

    def __init__(self, field, parent=None):
        super().__init__(field, parent)
        self.info = QLabel()
        b = QPushButton(_("Attach file…"))
        b.clicked.connect(lambda: self.attach_requested.emit(self.field.id))
        self.lay.addWidget(b)
        self.lay.addWidget(self.info, 1)
        self._value = None

    def value(self):
        return self._value

    def _show(self, value):
        self._value = value
        if isinstance(value, list) and value:
            self.info.setText(", ".join(str(v) for v in value))
        else:
            self.info.setText(_("No file yet: drop files on the evidence list on the right."))


class RowsEditor(FieldEditor):
    """Repeated rows (e.g. a per-product table) as an editable table."""

    def __init__(self, field, parent=None):
        from PySide6.QtWidgets import QTableWidget  # (loaded when used)

        super().__init__(field, parent)
        self.columns = list(field.columns)
        box = QVBoxLayout()
        self.table = QTableWidget(0, len(self.columns))
        self.table.setHorizontalHeaderLabels([_col_title(c) for c in self.columns])
        for i, c in enumerate(self.columns):
            item = self.table.horizontalHeaderItem(i)
            item.setToolTip(label(c.guidance) or label(c.label))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(140)
        self.table.itemChanged.connect(self._cell_changed)
        box.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add = QPushButton(_("Add row"))
        self.remove = QPushButton(_("Remove row"))
        self.add.clicked.connect(self._add_row)
        self.remove.clicked.connect(self._remove_row)
        buttons.addWidget(self.add)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.lay.addLayout(box)
        self.problem = ""

    def _add_row(self):
        if self.field.max_rows and self.table.rowCount() >= self.field.max_rows:
            return
        self._setting = True
        self.table.insertRow(self.table.rowCount())
        self._decorate_row(self.table.rowCount() - 1)
        self._setting = False
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.table.editItem(self.table.item(self.table.rowCount() - 1, 0))

    def _remove_row(self):
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            self._user_changed()

    def _decorate_row(self, r: int):
        from PySide6.QtWidgets import QTableWidgetItem

        for ci, c in enumerate(self.columns):
            it = self.table.item(r, ci)
            if it is None:
                it = QTableWidgetItem("")
                self.table.setItem(r, ci, it)
            if c.type == "calculated":
                it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
                it.setForeground(Qt.GlobalColor.darkGray)
            if c.type in ("number", "integer", "percent", "calculated"):
                it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _cell_changed(self, item):
        if self._setting:
            return
        self._user_changed()

    def value(self):
        rows = []
        self.problem = ""
        for r in range(self.table.rowCount()):
            row = {}
            for ci, c in enumerate(self.columns):
                if c.type == "calculated":
                    continue
                it = self.table.item(r, ci)
                text = it.text().strip() if it else ""
                if not text:
                    continue
                if c.type in ("number", "integer", "percent"):
                    from greendesk.core.numbers import parse_field

                    try:
                        row[c.id] = parse_field(text, c, where="")
                    except UserError as e:
                        # Report the text as typed: the core refuses it, so nothing is stored and the
                        # stored figure is not lost (dropping the cell would delete it; 7.5 is never 7).
                        self.problem = _("Row {r}, {col}: not a number.").format(r=r + 1, col=_col_title(c))
                        self.problem = f"{self.problem} {e.message(language())}"
                        row[c.id] = text
                else:
                    row[c.id] = text
            if row:
                rows.append(row)
        return rows or None

    def _show(self, value):
        from PySide6.QtWidgets import QTableWidgetItem

        rows = value if isinstance(value, list) else []
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for ci, c in enumerate(self.columns):
                v = row.get(c.id) if isinstance(row, dict) else None
                text = "" if v is None else (QLocale().toString(v, "g", 12) if isinstance(v, float) else str(v))
                it = QTableWidgetItem(text)
                self.table.setItem(r, ci, it)
            self._decorate_row(r)

    def show_calculated(self, col_values: dict[str, list]) -> None:
        """Fill calculated columns: {column id: [value per row]}."""
        from PySide6.QtWidgets import QTableWidgetItem

        self._setting = True
        try:
            for ci, c in enumerate(self.columns):
                if c.type != "calculated" or c.id not in col_values:
                    continue
                for r, v in enumerate(col_values[c.id]):
                    if r < self.table.rowCount():
                        it = self.table.item(r, ci)
                        if it is None:
                            it = QTableWidgetItem()
                            self.table.setItem(r, ci, it)
                        it.setText(_fmt_value(v))
                        self._decorate_row(r)
        finally:
            self._setting = False


def _col_title(c) -> str:
    t = label(c.label)
    return f"{t} ({c.unit})" if c.unit else t


EDITORS = {
    "yesno": YesNoEditor, "choice": ChoiceEditor, "multi": MultiEditor, "number": NumberEditor,
    "percent": NumberEditor, "integer": NumberEditor, "text": TextEditor, "date": DateEditor,
    "evidence": EvidenceFieldEditor, "rows": RowsEditor, "calculated": CalculatedEditor,
}


def make_editor(field, parent=None) -> FieldEditor:
    return EDITORS.get(field.type, TextEditor)(field, parent)
