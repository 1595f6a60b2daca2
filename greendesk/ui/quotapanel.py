"""The energy-quota (能耗限额) entries on the settings page: the bundled ones and the workspace's own,
with a small form to add a product's grade 1/2/3 values (or complete a bundled entry) and to remove an
entry of this workspace. Saving goes through :func:`greendesk.core.quotas.add` (checked before anything
is stored) and then :func:`greendesk.core.quota_apply.apply`, which brings the grades into the score."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from greendesk.core.errors import UserError
from greendesk.ui.errors import show_error
from greendesk.ui.guidance import certainty_short, certainty_text
from greendesk.ui.i18n import _, fmt_figure, language

MISSING = QBrush(QColor("#b26a00"))
COLUMNS = ("used", "id", "product", "standard", "unit", "grade1", "grade2", "grade3", "source", "certainty",
           "origin", "matches")
USED = COLUMNS.index("used")


def _number_text(v) -> str:
    """A stored grade as text to edit (no group separators, no lost digits)."""
    return "" if v is None else f"{v:.15g}"


class QuotaDialog(QDialog):
    """Add or edit one entry. ``save`` gets the typed values; when it raises, the form stays open with the
    text as typed (the error is shown) and nothing is stored."""

    def __init__(self, save, quota=None, *, bundled: bool = False, parent=None):
        super().__init__(parent)
        self.setObjectName("quota_dialog")
        self.save = save
        self.quota = quota
        self.setWindowTitle(_("Edit energy quota") if quota is not None else _("Add energy quota"))
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        hint = QLabel(_("Grade 1 is the strictest (引领值), grade 2 is the 基准值. Give where the values come "
                        "from: the standard and clause, or the evaluator."))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        form = QFormLayout()
        lay.addLayout(form)
        self.fields: dict[str, QLineEdit] = {}
        specs = [
            ("id", _("Entry id"), _("lower-case letters, digits, _ and -, e.g. cement_clinker")),
            ("product", _("Product"), _("e.g. 水泥熟料")),
            ("standard", _("Standard number"), _("e.g. GB 16780-2021")),
            ("unit", _("Unit"), _("e.g. kgce/t")),
            ("grade1", _("Grade 1 (引领值)"), _("number")),
            ("grade2", _("Grade 2 (基准值)"), _("number")),
            ("grade3", _("Grade 3 (optional)"), _("number, may be left empty")),
            ("source", _("Source of the values"), _("required: standard and clause, or the evaluator")),
            ("note", _("Remarks"), _("optional")),
        ]
        for key, text, placeholder in specs:
            e = QLineEdit()
            e.setObjectName(f"quota_{key}")
            e.setPlaceholderText(placeholder)
            if key.startswith("grade"):
                e.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.fields[key] = e
            form.addRow(text, e)
        if quota is not None:
            self.fields["id"].setText(quota.id)
            self.fields["id"].setReadOnly(True)     # the id names the entry: editing never renames it
            self.fields["product"].setText(quota.name("zh" if language() == "zh" else "en"))
            self.fields["standard"].setText(quota.standard or "")
            self.fields["unit"].setText(quota.unit)
            for g in ("grade1", "grade2", "grade3"):
                self.fields[g].setText(_number_text(getattr(quota, g)))
            if quota.origin == "workspace":       # a bundled entry's source describes the pack, not the values
                self.fields["source"].setText(quota.source)
                note = quota.note.get("zh") if quota.note else ""
                self.fields["note"].setText(note or "")
        if bundled:
            # a bundled entry keeps its product and unit (the values must be in its unit)
            for key in ("product", "unit"):
                self.fields[key].setReadOnly(True)
                self.fields[key].setToolTip(_("Given by the bundled entry"))
        for e in self.fields.values():
            if e.isReadOnly():
                e.setStyleSheet("background: palette(window);")   # fixed: it does not look like a field to type in
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def set_values(self, **values) -> None:
        for k, v in values.items():
            self.fields[k].setText("" if v is None else str(v))

    def values(self) -> dict:
        """The typed values for quotas.add; raises a UserError (e.g. a number that is not one)."""
        from greendesk.core.numbers import parse_number

        out = {k: self.fields[k].text().strip() for k in ("id", "product", "standard", "unit", "source", "note")}
        labels = {"grade1": _("Grade 1"), "grade2": _("Grade 2"), "grade3": _("Grade 3")}
        for g, where in labels.items():
            v = parse_number(self.fields[g].text(), minimum=0, where=where)
            out[g] = None if v is None else float(v)
        return out

    def accept(self) -> None:
        try:
            self.save(self.values())
        except UserError as e:
            show_error(self, e)
            return
        super().accept()


class QuotaPanel(QWidget):
    """The table of quota entries with 添加 / 修改 / 删除 (off when the view cannot be changed)."""

    changed = Signal()

    def __init__(self, view, parent=None):
        super().__init__(parent)
        self.setObjectName("quota_panel")
        self.view = view
        self.ws = view.ws
        self.locked = not getattr(view, "editable", not getattr(self.ws, "readonly", False))
        self.entries: list = []
        self.bundled_ids: set[str] = set()   # the ids of the data file's entries (set by reload)
        self.dialog: QuotaDialog | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        intro = QLabel(_("Energy-consumption quotas (单位产品能源消耗限额): grade 1 = 引领值, grade 2 = 基准值 for the "
                         "products of the factory. Add the values from the current standard where they are missing."))
        intro.setWordWrap(True)
        row.addWidget(intro, 1)
        self.add_button = QPushButton(_("Add…"))
        self.add_button.setObjectName("quota_add")
        self.edit_button = QPushButton(_("Edit…"))
        self.edit_button.setObjectName("quota_edit")
        self.remove_button = QPushButton(_("Delete"))
        self.remove_button.setObjectName("quota_remove")
        self.add_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(self._edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        for b in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(b)
        lay.addLayout(row)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("quotas")
        self.table.setHorizontalHeaderLabels([_("Used"), _("Id"), _("Product"), _("Standard"), _("Unit"), _("Grade 1"),
                                              _("Grade 2"), _("Grade 3"), _("Source"), _("Certainty"),
                                              _("Origin"), _("Matched products")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeaderItem(USED).setToolTip(
            _("The entries the factory's products fall under (at most 3, the top 3 by energy use). Unless chosen "
              "here, the entries whose product matches a product of the factory by name are used."))
        self._loading = False
        self.table.itemChanged.connect(self._used_toggled)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        # a source can be a long citation with its address: a fixed width (the whole text in the tooltip),
        # so that certainty, origin and the matched products stay in view
        src = COLUMNS.index("source")
        self.table.horizontalHeader().setSectionResizeMode(src, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().resizeSection(src, 260)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda *_a: self._edit_selected())
        lay.addWidget(self.table)
        self._update_buttons()

    # -- showing ----------------------------------------------------------------------------

    def reload(self) -> None:
        from greendesk.core import quota_apply, quotas

        current = self.selected()
        self.entries = quotas.all_quotas(self.ws)
        matches = quotas.matching(self.ws, self.entries)
        self.used_ids = [q.id for q in quota_apply.chosen(self.ws, self.entries)]
        chosen_by_hand = bool(quotas.used(self.ws))
        self._loading = True
        self.bundled_ids = bundled = {q.id for q in quotas.bundled().quotas}
        self.table.setRowCount(len(self.entries))
        for r, q in enumerate(self.entries):
            origin = (_("bundled data") if q.origin == "data" else
                      _("this workspace (completes the bundled entry)") if q.id in bundled else _("this workspace"))
            if q.set_by:
                origin_tip = _("Set by {who} at {when}").format(who=q.set_by, when=str(q.set_at or "")[:19])
            else:
                origin_tip = q.file
            note = q.note.get("zh" if language() == "zh" else "en") if q.note else ""
            cells = [("", None), (q.id, note), (q.name(language()), ", ".join(q.aliases)), (q.standard or "—", None),
                     (q.unit, None)]
            for g in ("grade1", "grade2", "grade3"):
                v = getattr(q, g)
                if v is None and g != "grade3":
                    cells.append((_("⚠ missing value"), _("Grade 1 and grade 2 are needed for the score: add "
                                                         "them from the current standard.")))
                else:
                    cells.append((fmt_figure(v) if v is not None else "—", None))
            cells += [(q.source, q.source), (certainty_short(q.certainty), certainty_text(q.certainty)),
                      (origin, origin_tip), (", ".join(matches.get(q.id, [])), None)]
            for c, (text, tip) in enumerate(cells):
                it = QTableWidgetItem(text)
                if tip:
                    it.setToolTip(tip)
                if c == COLUMNS.index("id"):
                    it.setData(Qt.ItemDataRole.UserRole, q.id)
                if COLUMNS[c] in ("grade1", "grade2") and getattr(q, COLUMNS[c]) is None:
                    it.setForeground(MISSING)
                if c == USED:
                    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                    if not self.locked:
                        flags |= Qt.ItemFlag.ItemIsUserCheckable
                    it.setFlags(flags)
                    on = q.id in self.used_ids
                    it.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                    it.setToolTip(_("Chosen for this factory") if on and chosen_by_hand else
                                  _("Used: its product matches a product of the factory") if on else
                                  _("Not used for this factory"))
                self.table.setItem(r, c, it)
        self._loading = False
        if current is not None:
            self.select(current.id)
        self._update_buttons()

    def selected(self):
        rows = {i.row() for i in self.table.selectedItems()}
        if len(rows) != 1:
            return None
        r = rows.pop()
        return self.entries[r] if r < len(self.entries) else None

    def select(self, quota_id: str) -> None:
        for r, q in enumerate(self.entries):
            if q.id == quota_id:
                self.table.selectRow(r)
                return

    def _update_buttons(self) -> None:
        q = self.selected()
        self.add_button.setEnabled(not self.locked)
        self.edit_button.setEnabled(not self.locked and q is not None)
        self.remove_button.setEnabled(not self.locked and q is not None and q.origin == "workspace")
        why = self._locked_reason()
        for b in (self.add_button, self.edit_button, self.remove_button):
            b.setToolTip(why)

    def _locked_reason(self) -> str:
        if not self.locked:
            return ""
        saved_text = getattr(self.view, "saved_text", None)   # "Final: read-only …" / "Opened read-only …"
        return (saved_text() if callable(saved_text) else "") or _("This workspace cannot be changed here.")

    # -- changing ---------------------------------------------------------------------------

    def _edit_selected(self) -> None:
        q = self.selected()
        if q is not None:
            self.open_dialog(q)

    def open_dialog(self, quota=None) -> QuotaDialog | None:
        """The add/edit form, shown without blocking (``self.dialog``); None when nothing may change."""
        if self.locked:
            return None
        bundled = quota is not None and quota.id in self.bundled_ids
        self.dialog = QuotaDialog(self.save, quota, bundled=bundled, parent=self)
        self.dialog.open()
        return self.dialog

    def _used_toggled(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != USED or self.locked:
            return
        from greendesk.core import quotas

        qid = self.entries[item.row()].id
        on = item.checkState() == Qt.CheckState.Checked
        ids = [i for i in self.used_ids if i != qid] + ([qid] if on else [])
        try:
            quotas.use(self.ws, ids)
            self._apply()
        except UserError as e:
            show_error(self, e)
        self.reload()           # the check marks as stored (a refused choice is unticked again)
        self.changed.emit()

    def save(self, values: dict) -> None:
        """Store one entry (the core checks it first) and bring the grades into the score."""
        from greendesk.core import quotas

        if self.locked:
            raise UserError("本工作区在此处不能修改。", "This workspace cannot be changed here.")
        quotas.add(self.ws, values["id"], source=values["source"], grade1=values["grade1"], grade2=values["grade2"],
                   grade3=values["grade3"], product=values["product"], unit=values["unit"],
                   standard=values["standard"], note=values["note"])
        self._apply()
        self.reload()
        self.select(values["id"])
        self.changed.emit()

    def remove_selected(self) -> bool:
        from greendesk.core import quotas

        q = self.selected()
        if self.locked or q is None or q.origin != "workspace":
            return False
        bundled = q.id in self.bundled_ids
        text = (_("Remove the values this workspace gave for “{id}”? The bundled entry stays, without them.")
                if bundled else _("Remove the energy quota “{id}” from this workspace?")).format(id=q.id)
        from greendesk.ui import errors

        if not errors.ask(self, text, _("The benchmarks computed from it are recomputed.")):
            return False
        try:
            quotas.remove(self.ws, q.id)
            self._apply()
        except UserError as e:
            show_error(self, e)
            return False
        self.reload()
        self.changed.emit()
        return True

    def _apply(self) -> None:
        from greendesk.core import quota_apply

        if self.ws.assessments():
            quota_apply.apply(self.ws, getattr(self.view, "aid", None))
