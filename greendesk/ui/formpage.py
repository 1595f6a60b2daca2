"""The centre form page of one indicator (or of the scheme's common inputs), generated from the scheme."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from greendesk.core.textsafety import escape_html
from greendesk.ui.editors import (
    CalculatedEditor,
    EvidenceFieldEditor,
    FieldEditor,
    NumberEditor,
    RowsEditor,
    make_editor,
)
from greendesk.ui.i18n import _, fmt_num, label

ERR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #8a5a00;"
CARRIED_STYLE = "color: #8a5a00; background: #fff4d6; border: 1px solid #e0b050; padding: 4px;"


class _Labels(dict):
    """field id -> QLabel, made (and put in its place under the field) the first time it is asked for: most
    fields never show a message, a note or a warning, and three hidden labels with their own style sheets per
    field cost a page of six fields up to 15 M instructions (8 M on the demo's first page, where five notes
    show). ``get`` does not make one."""

    def __init__(self, make):
        super().__init__()
        self._make = make

    def __missing__(self, fid: str) -> QLabel:
        lab = self[fid] = self._make(fid)
        return lab


# under each field's editor, in this order
_KINDS = ("message", "note", "warning")
_STYLES = {"message": ERR_STYLE, "note": NOTE_STYLE, "warning": NOTE_STYLE}


class FormPage(QScrollArea):
    """Editors for a list of fields. Emits ``edited(field_id, value)``; :meth:`refresh` shows live state."""

    edited = Signal(str, object)
    attach_requested = Signal(str)
    confirm_requested = Signal(str)
    confirm_section_requested = Signal(str)   # item id: confirm every carried answer of its section

    def __init__(self, item_id: str, title: str, subtitle: str, fields, parent=None, *, direct_field=None):
        super().__init__(parent)
        self.item_id = item_id
        self.setObjectName(f"form:{item_id}")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(20, 16, 20, 16)
        head = QLabel(title)
        head.setObjectName("form_title")
        head.setWordWrap(True)
        f = QFont(head.font())
        f.setPointSizeF(f.pointSizeF() * 1.35)
        f.setBold(True)
        head.setFont(f)
        outer.addWidget(head)
        if subtitle:
            sub = QLabel(subtitle)
            sub.setWordWrap(True)
            sub.setStyleSheet("color: palette(dark);")
            outer.addWidget(sub)
        self.result = QLabel()
        self.result.setObjectName("item_result")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.result)
        self.carried_bar = QLabel()   # "3 answers here are from 2024, please confirm · Confirm all in this section"
        self.carried_bar.setObjectName("carried_bar")
        self.carried_bar.setWordWrap(True)
        self.carried_bar.setTextFormat(Qt.TextFormat.RichText)
        self.carried_bar.setStyleSheet(CARRIED_STYLE)
        self.carried_bar.linkActivated.connect(lambda _l: self.confirm_section_requested.emit(self.item_id))
        self.carried_bar.hide()
        outer.addWidget(self.carried_bar)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        outer.addWidget(line)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setVerticalSpacing(10)
        outer.addLayout(self.form)
        self.editors: dict[str, FieldEditor] = {}
        self._boxes: dict[str, QVBoxLayout] = {}
        self.messages: dict[str, QLabel] = _Labels(lambda fid: self._make_label(fid, "message"))
        self.notes: dict[str, QLabel] = _Labels(lambda fid: self._make_label(fid, "note"))
        self.warnings: dict[str, QLabel] = _Labels(lambda fid: self._make_label(fid, "warning"))
        self.spanning: set[str] = set()
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}
        all_fields = list(fields) + ([direct_field] if direct_field is not None else [])
        if not all_fields:
            empty = QLabel(_("This item has no fields to fill in. Attach the evidence on the right."))
            empty.setWordWrap(True)
            outer.addWidget(empty)
        for field in all_fields:
            self._add_field(field, direct=field is direct_field)
        outer.addStretch(1)
        self.setWidget(body)

    def _add_field(self, field, direct: bool = False) -> None:
        text = label(field.label)
        if getattr(field, "required", False):
            text += " *"
        lab = QLabel(text)
        lab.setWordWrap(True)
        lab.setMinimumWidth(160)
        lab.setMaximumWidth(320)
        guidance = label(getattr(field, "guidance", None))
        if guidance:
            lab.setToolTip(guidance)
        ed = make_editor(field)
        ed.edited.connect(self.edited)
        if guidance:
            ed.setToolTip(guidance)
        if isinstance(ed, EvidenceFieldEditor):
            ed.attach_requested.connect(lambda _f: self.attach_requested.emit(self.item_id))
        lab.setBuddy(ed)
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(ed)
        self._boxes[field.id] = v  # the message, note and warning labels go here when first needed
        if direct:
            hint = QLabel(_("Only if the figure comes from elsewhere (e.g. an energy audit): it replaces the "
                            "value computed from the fields above."))
            hint.setWordWrap(True)
            hint.setStyleSheet("color: palette(dark);")
            v.addWidget(hint)
        if isinstance(ed, RowsEditor):  # a table gets the full width, its label above it
            lab.setMaximumWidth(16777215)
            self.form.addRow(lab)
            self.form.addRow(box)
            self.spanning.add(field.id)
        else:
            self.form.addRow(lab, box)
        self.editors[field.id] = ed
        self.rows[field.id] = (lab, box)

    def _make_label(self, fid: str, kind: str) -> QLabel:
        """The field's message (a refused value), note (where a value comes from) or warning (plausibility: a
        share over 100 %, a part larger than its whole), hidden, in its place under the editor."""
        lab = QLabel()
        lab.setObjectName(f"{kind}:{fid}")
        lab.setWordWrap(True)
        lab.setStyleSheet(_STYLES[kind])
        if kind == "note":
            lab.setTextFormat(Qt.TextFormat.RichText)
            lab.linkActivated.connect(lambda _l: self.confirm_requested.emit(fid))
        lab.hide()
        made = {"message": self.messages, "note": self.notes, "warning": self.warnings}
        before = sum(1 for k in _KINDS[:_KINDS.index(kind)] if fid in made[k])
        self._boxes[fid].insertWidget(1 + before, lab)  # after the editor and the labels above this one
        return lab

    def _show_label(self, labels: dict, fid: str, text: str, visible: bool) -> None:
        lab = labels.get(fid)
        if lab is None:
            if not text:
                return  # nothing to say: no label is made
            lab = labels[fid]
        lab.setText(text)
        lab.setVisible(bool(text) and visible)

    def _note(self, fid: str, ed: FieldEditor, live, visible: bool) -> None:
        """Where a value comes from when the user did not type it: last year, the ledgers, a default."""
        source = live.source(fid)
        text = ""
        if source == "carried":
            year = (getattr(live, "carried_years", None) or {}).get(fid)
            text = escape_html(_("From {year}, please confirm.").format(year=year) if year else
                               _("Carried over from last year: please review."))
            text = f"⟲ {text}"
            if ed.isEnabled():  # a read-only (final) page offers no change
                text += f" <a href='keep'>{escape_html(_('Confirm'))}</a>"
        elif source in ("auto", "default") and live.answer(fid) is None and live.value(fid) is not None:
            what = _("from the imported ledgers") if source == "auto" else _("default value")
            text = escape_html(f"{fmt_num(live.value(fid), 2)} ({what})")
            if isinstance(ed, NumberEditor):
                ed.edit.setPlaceholderText(f"{fmt_num(live.value(fid), 2)}")
        self._show_label(self.notes, fid, text, visible)

    def _carried_bar(self, live) -> None:
        """How many answers of this page's section are last year's, with one link to confirm them all."""
        years = getattr(live, "carried_years", None) or {}
        scheme = getattr(live, "scheme", None)
        n = 0
        if years and scheme is not None:
            from greendesk.core.finalize import item_of
            from greendesk.core.schemes.continuity import section_items

            items = section_items(scheme, self.item_id)
            mine = [fid for fid in years if item_of(scheme, fid) in items]
            n = len(mine)
            ys = sorted({years[f] for f in mine if years[f]})
        if not n:
            self.carried_bar.hide()
            return
        text = escape_html(_("{n} answers in this section are from {year}, please confirm them (or change them).")
                           .format(n=n, year="/".join(map(str, ys)) or _("last year")))
        if any(ed.isEnabled() for ed in self.editors.values()):
            text += f" <a href='section'>{escape_html(_('Confirm all in this section'))}</a>"
        self.carried_bar.setText(f"⟲ {text}")
        self.carried_bar.show()

    def flush(self) -> None:
        for ed in self.editors.values():
            ed.flush()

    def focus_field(self, field_id: str) -> None:
        ed = self.editors.get(field_id)
        if ed is not None:
            self.ensureWidgetVisible(ed)
            ed.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self, live, warnings: dict | None = None) -> None:
        """Show answers, calculated values, relevance and constraint messages from the live evaluation, and
        the plausibility warnings (``{field id: [texts]}``, from core.plausibility)."""
        warnings = warnings or {}
        for fid, ed in self.editors.items():
            lab, box = self.rows[fid]
            visible = live.relevant(fid)
            self.form.setRowVisible(box, visible)
            if fid in self.spanning:
                self.form.setRowVisible(lab, visible)
            if isinstance(ed, CalculatedEditor):
                problem = live.problem(fid)
                if problem:
                    ed.show_problem(problem)
                else:
                    ed.set_value(live.value(fid))
            else:
                ed.set_value(live.answer(fid))
                if isinstance(ed, RowsEditor):
                    ed.show_calculated(live.row_calculations(fid))
            msg = live.message(fid)
            if isinstance(ed, RowsEditor) and ed.problem:
                msg = ed.problem
            self._show_label(self.messages, fid, msg or "", visible)
            self._note(fid, ed, live, visible)
            self._show_label(self.warnings, fid, "\n".join("⚠ " + t for t in warnings.get(fid, ())), visible)
        self._carried_bar(live)
        r = live.indicator_result(self.item_id)
        if r:
            self.result.setText(_("Points: {score} of {max}. {explain}").format(
                score=fmt_num(r.get("score"), 2), max=fmt_num(r.get("max"), 2), explain=r.get("explain") or ""))
            self.result.show()
        else:
            self.result.hide()
