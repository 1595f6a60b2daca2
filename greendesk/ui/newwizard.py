"""The new-workspace wizard: start (new or continue from last year) -> factory profile -> scheme and year -> file."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWizard,
    QWizardPage,
)

from greendesk.core import uscc
from greendesk.ui import schemeview
from greendesk.ui.factory import FIELDS as PROFILE_FIELDS
from greendesk.ui.fit import fit_to_screen, scroll_layout
from greendesk.ui.i18n import _, language

OK_STYLE = "color: #1b7f3b;"
ERR_STYLE = "color: #b3261e;"


class StartPage(QWizardPage):
    def __init__(self, wizard: NewWorkspaceWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("Start"))
        self.setSubTitle(_("Start from scratch, or continue from last year's workspace (answers are copied "
                           "and marked for review)."))
        lay = scroll_layout(self)[0]  # a page scrolls on a small screen; the wizard's buttons stay put
        self.fresh = QRadioButton(_("A new factory profile"))
        self.cont = QRadioButton(_("Continue from last year's workspace"))
        self.fresh.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.fresh)
        group.addButton(self.cont)
        lay.addWidget(self.fresh)
        lay.addWidget(self.cont)
        row = QHBoxLayout()
        self.prev_path = QLineEdit()
        self.prev_path.setObjectName("previous")
        self.prev_path.setPlaceholderText(_("Last year's .greendesk file"))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.prev_path, 1)
        row.addWidget(browse)
        lay.addLayout(row)
        self.prev_info = QLabel()
        self.prev_info.setWordWrap(True)
        lay.addWidget(self.prev_info)
        lay.addStretch(1)
        for w in (self.prev_path, browse):
            w.setEnabled(False)
            self.cont.toggled.connect(w.setEnabled)
        self.cont.toggled.connect(self.completeChanged)
        self.prev_path.textChanged.connect(self._check_prev)

    def _browse(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Last year's workspace"), "",
                                               _("GreenDesk workspaces (*.greendesk)"))
        if path:
            self.prev_path.setText(path)

    def _check_prev(self) -> None:
        self.wiz.previous = None
        text = self.prev_path.text().strip()
        if text:
            try:
                self.wiz.previous = schemeview.read_previous(Path(text))
            except Exception as e:  # noqa: BLE001 - shown inline
                from greendesk.ui.errors import error_text

                self.prev_info.setText(error_text(e)[0])
                self.prev_info.setStyleSheet(ERR_STYLE)
            else:
                p = self.wiz.previous
                self.prev_info.setText(_("{name}: {n} answers from {year} will be carried over.").format(
                    name=p["factory"].get("name"), n=len(p["answers"]), year=p["year"]))
                self.prev_info.setStyleSheet(OK_STYLE)
        else:
            self.prev_info.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.fresh.isChecked() or self.wiz.previous is not None

    def validatePage(self) -> bool:  # noqa: N802
        if self.cont.isChecked() and self.wiz.previous:
            self.wiz.profile_page.fill(self.wiz.previous["factory"])
            self.wiz.scheme_page.preselect(self.wiz.previous["scheme_id"], self.wiz.previous["year"] + 1)
        return True


class ProfilePage(QWizardPage):
    # The profile dialog's fields, less the two the wizard leaves for later (ownership, e-mail).
    FIELDS = [f for f in PROFILE_FIELDS if f[0] not in ("ownership", "contact_email")]

    def __init__(self, wizard: NewWorkspaceWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("Factory profile"))
        self.setSubTitle(_("As on the business licence. Fields marked * are required; the rest can be "
                           "completed later."))
        form = QFormLayout()
        scroll_layout(self)[0].addLayout(form)
        self.edits: dict[str, QLineEdit] = {}
        for key, text, required in self.FIELDS:
            e = QLineEdit()
            e.setObjectName(key)
            self.edits[key] = e
            form.addRow(_(text) + (" *" if required else ""), e)
            if key == "uscc":
                e.setMaxLength(18)
                e.setPlaceholderText(_("18 characters, e.g. 91500113MA61RYP3XX"))
                self.uscc_msg = QLabel()
                self.uscc_msg.setObjectName("uscc_message")
                self.uscc_msg.setWordWrap(True)
                form.addRow("", self.uscc_msg)
                e.textChanged.connect(self._check_uscc)
        self.land = QDoubleSpinBox()
        self.land.setObjectName("land_area_m2")
        self.land.setRange(0, 1e9)
        self.land.setDecimals(0)
        self.land.setSuffix(" m²")
        self.land.setSpecialValueText("—")
        form.addRow(_("Land area"), self.land)
        self.edits["name"].textChanged.connect(self.completeChanged)

    def _check_uscc(self, text: str) -> None:
        text = text.strip().upper()
        if not text:
            self.uscc_msg.clear()
        else:
            err = uscc.problem(text)
            if err:
                self.uscc_msg.setText(err.message(language()))
                self.uscc_msg.setStyleSheet(ERR_STYLE)
            else:
                self.uscc_msg.setText("✓ " + _("Valid code (check digit correct)."))
                self.uscc_msg.setStyleSheet(OK_STYLE)
        self.completeChanged.emit()

    def fill(self, factory: dict) -> None:
        """Fill from last year's workspace. A field still holding what an earlier fill put there is replaced
        (the user went back and chose another workspace); what the user typed is kept."""
        filled = getattr(self, "_filled", {})
        for key, e in self.edits.items():
            if e.text() and e.text() != filled.get(key):
                continue  # typed by the user
            e.setText(str(factory[key]) if factory.get(key) else "")
        if factory.get("land_area_m2"):
            self.land.setValue(float(factory["land_area_m2"]))
        elif self.land.value() == filled.get("land_area_m2"):
            self.land.setValue(0)
        self._filled = {k: e.text() for k, e in self.edits.items()} | {"land_area_m2": self.land.value()}

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.edits["name"].text().strip()) and uscc.is_valid(self.edits["uscc"].text())

    def profile(self) -> dict:
        out = {k: e.text().strip() for k, e in self.edits.items() if e.text().strip()}
        out["uscc"] = out.get("uscc", "").upper()
        if self.land.value() > 0:
            out["land_area_m2"] = self.land.value()
        return out


class SchemePage(QWizardPage):
    def __init__(self, wizard: NewWorkspaceWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("Evaluation scheme and year"))
        self.setSubTitle(_("Choose the edition of the standard (and the local profile, if your province "
                           "or district has one) that your evaluator will use."))
        lay = scroll_layout(self)[0]  # a page scrolls on a small screen; the wizard's buttons stay put
        self.list = QListWidget()
        self.list.setObjectName("schemes")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        schemes = schemeview.available_schemes()
        for s in schemes:
            it = QListWidgetItem(f"{s['title']}\n{s['description']}")
            it.setData(Qt.ItemDataRole.UserRole, s["id"])
            # the whole description: a line with Chinese terms can be cut short ("…") in the list
            it.setToolTip(f"{s['title']}\n{s['description']}\n({s['id']} v{s['version']})")
            self.list.addItem(it)
        if self.list.count():
            self.list.setCurrentRow(schemeview.default_scheme_index(schemes))
        lay.addWidget(self.list, 1)
        row = QFormLayout()
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setGroupSeparatorShown(False)
        self.year.setValue(_dt.date.today().year - 1)
        self.year.setToolTip(_("The year whose data is assessed (usually last year)."))
        row.addRow(_("Assessment year"), self.year)
        lay.addLayout(row)
        self.list.currentRowChanged.connect(self.completeChanged)

    def preselect(self, scheme_id: str, year: int) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == scheme_id:
                self.list.setCurrentRow(i)
        self.year.setValue(year)

    def scheme_id(self) -> str | None:
        it = self.list.currentItem()
        return it.data(Qt.ItemDataRole.UserRole) if it else None

    def isComplete(self) -> bool:  # noqa: N802
        return self.scheme_id() is not None


class FilePage(QWizardPage):
    def __init__(self, wizard: NewWorkspaceWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(_("Where to save"))
        self.setSubTitle(_("The workspace is one file holding answers, evidence and ledgers. "
                           "Keep it with your other records and back it up."))
        lay = scroll_layout(self)[0]  # a page scrolls on a small screen; the wizard's buttons stay put
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("path")
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        lay.addLayout(row)
        self.msg = QLabel()
        self.msg.setWordWrap(True)
        lay.addWidget(self.msg)
        lay.addStretch(1)
        self.path.textChanged.connect(self._check)

    def initializePage(self) -> None:  # noqa: N802
        if not self.path.text():
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
            name = self.wiz.profile_page.profile().get("name") or "factory"
            safe = "".join(c for c in name if c not in '\\/:*?"<>|').strip() or "factory"
            self.path.setText(str(Path(folder) / f"{safe}-{self.wiz.scheme_page.year.value()}.greendesk"))

    def _browse(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Save workspace as"), self.path.text(),
                                               _("GreenDesk workspaces (*.greendesk)"))
        if path:
            if not path.endswith(".greendesk"):
                path += ".greendesk"
            self.path.setText(path)

    def _check(self) -> None:
        p = Path(self.path.text().strip())
        if self.path.text().strip() and p.exists():
            self.msg.setText(_("A file with this name exists already. Choose another name."))
            self.msg.setStyleSheet(ERR_STYLE)
        elif self.path.text().strip() and not p.parent.is_dir():
            self.msg.setText(_("This folder does not exist."))
            self.msg.setStyleSheet(ERR_STYLE)
        else:
            self.msg.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        p = Path(self.path.text().strip())
        return bool(self.path.text().strip()) and not p.exists() and p.parent.is_dir()

    def validatePage(self) -> bool:  # noqa: N802
        try:
            self.wiz.created_path = schemeview.create_workspace(
                Path(self.path.text().strip()), self.wiz.profile_page.profile(), self.wiz.scheme_page.scheme_id(),
                self.wiz.scheme_page.year.value(), previous=self.wiz.previous if self.wiz.start_page.cont.isChecked()
                else None)
        except Exception as e:  # noqa: BLE001 - one error dialog
            from greendesk.ui.errors import show_error

            show_error(self, e)
            return False
        return True


class NewWorkspaceWizard(QWizard):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("new_wizard")
        self.setWindowTitle(_("New workspace"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Create"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.previous: dict | None = None
        self.created_path: Path | None = None
        self.start_page = StartPage(self)
        self.profile_page = ProfilePage(self)
        self.scheme_page = SchemePage(self)
        self.file_page = FilePage(self)
        for p in (self.start_page, self.profile_page, self.scheme_page, self.file_page):
            self.addPage(p)
        self.resize(720, 600)
        fit_to_screen(self)  # 1024×768 at 150 % leaves 683×512: Next and Cancel stay on the screen
