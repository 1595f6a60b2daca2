"""The factory profile dialog (name, 统一社会信用代码 with a live check, address, contacts, and the MIIT
template's registration and contact fields of workspace schema 4)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

from greendesk.core import uscc
from greendesk.ui.errors import show_error
from greendesk.ui.i18n import N_, _, language

FIELDS = [
    ("name", N_("Factory name"), True),
    ("uscc", N_("Unified social credit code"), True),
    ("registration_authority", N_("Registration authority"), False),
    ("established_on", N_("Date of establishment"), False),
    ("registered_capital", N_("Registered capital"), False),
    ("business_term", N_("Business term"), False),
    ("industry_code", N_("Industry code (GB/T 4754)"), False),
    ("industry_name", N_("Industry"), False),
    ("ownership", N_("Ownership"), False),
    ("province", N_("Province"), False),
    ("city", N_("City"), False),
    ("district", N_("District / county"), False),
    ("address", N_("Address"), False),
    ("postcode", N_("Postcode"), False),
    ("legal_rep", N_("Legal representative"), False),
    ("contact_department", N_("Department handling the application"), False),
    ("contact_name", N_("Contact person"), False),
    ("contact_phone", N_("Contact phone"), False),
    ("contact_mobile", N_("Mobile phone"), False),
    ("contact_fax", N_("Fax"), False),
    ("contact_email", N_("Contact e-mail"), False),
]

# what a field expects, shown in the empty field (the core checks it when saved: core/factory_fields.py)
HINTS = {
    "established_on": N_("YYYY-MM-DD, as on the business licence"),
    "registered_capital": N_("as on the business licence, e.g. 5000 万元"),
    "business_term": N_("as on the business licence, e.g. 2005-03-01 至 长期"),
    "postcode": N_("6 digits"),
    "contact_mobile": N_("11 digits"),
}


class FactoryDialog(QDialog):
    """Edit the profile; stored with ``ws.update_factory`` when OK is pressed (one transaction)."""

    def __init__(self, ws, parent=None):
        super().__init__(parent)
        self.setObjectName("factory_dialog")
        self.ws = ws
        self.setWindowTitle(_("Factory profile"))
        self.resize(640, 640)
        from greendesk.ui.fit import fit_to_screen, scroll_layout

        lay, footer = scroll_layout(self)  # the fields scroll on a small screen; Save stays in view
        form = QFormLayout()
        lay.addLayout(form)
        data = ws.factory()
        self.edits: dict[str, QLineEdit] = {}
        for key, text, required in FIELDS:
            e = QLineEdit(str(data.get(key) or ""))
            e.setObjectName(key)
            if key in HINTS:
                e.setPlaceholderText(_(HINTS[key]))
            e.setReadOnly(ws.readonly)
            self.edits[key] = e
            form.addRow(_(text) + (" *" if required else ""), e)
            if key == "uscc":
                self.uscc_msg = QLabel()
                self.uscc_msg.setWordWrap(True)
                form.addRow("", self.uscc_msg)
                e.textChanged.connect(self._check)
        self.land = QDoubleSpinBox()
        self.land.setRange(0, 1e9)
        self.land.setDecimals(0)
        self.land.setSuffix(" m²")
        self.land.setSpecialValueText("—")
        self.land.setValue(float(data.get("land_area_m2") or 0))
        form.addRow(_("Land area"), self.land)
        self.description = QPlainTextEdit(str(data.get("description") or ""))
        self.description.setTabChangesFocus(True)
        form.addRow(_("Brief description"), self.description)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        footer.addWidget(self.buttons)
        self._check()
        fit_to_screen(self)

    def _check(self) -> None:
        err = uscc.problem(self.edits["uscc"].text())
        self.uscc_msg.setText(err.message(language()) if err else "✓ " + _("Valid code (check digit correct)."))
        self.uscc_msg.setStyleSheet("color: #b3261e;" if err else "color: #1b7f3b;")
        ok = err is None and bool(self.edits["name"].text().strip()) and not self.ws.readonly
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> dict:
        out = {k: e.text().strip() or None for k, e in self.edits.items()}
        out["land_area_m2"] = self.land.value() or None
        out["description"] = self.description.toPlainText().strip() or None
        return out

    def save(self) -> None:
        try:
            self.ws.update_factory(**self.values())
        except Exception as e:  # noqa: BLE001 - one error dialog
            show_error(self, e)
            return
        self.accept()
