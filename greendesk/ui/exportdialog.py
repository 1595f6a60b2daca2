"""The export dialog: language, certificate (a .p12 or a new self-issued one), seal image, output path
-> progress (off the GUI thread, cancellable) -> the verification result of the written package."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from greendesk.ui import settings as app_settings
from greendesk.ui.errors import show_error
from greendesk.ui.fit import fit_to_screen, scroll_layout
from greendesk.ui.i18n import LANGUAGES, _, fmt_datetime, language
from greendesk.ui.tasks import Task

OK_STYLE = "color: #1b7f3b; font-weight: bold;"
ERR_STYLE = "color: #b3261e; font-weight: bold;"


def _path_row(edit: QLineEdit, browse) -> QWidget:
    """A path box with its Browse button; the row is enabled and disabled as a whole."""
    w = QWidget()
    row = QHBoxLayout(w)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    b = QPushButton(_("Browse…"))
    b.clicked.connect(browse)
    row.addWidget(b)
    edit.row = w
    return w


class ExportDialog(QDialog):
    def __init__(self, ws, parent=None):
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.ws = ws
        self.aid = getattr(ws, "view_assessment_id", None)   # the year picked in the window (default: latest)
        self.task: Task | None = None
        self.result: dict | None = None
        self.verification: dict | None = None
        self.setWindowTitle(_("Export the signed declaration package"))
        self.resize(760, 620)
        lay, footer = scroll_layout(self)  # the options scroll on a small screen; the buttons stay in view
        intro = QLabel(_("One PDF: the self-evaluation report with every evidence file and ledger inside, signed so "
                         "that any later change is detected. Nothing is written until the package is complete."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.draft_note = QLabel()
        self.draft_note.setObjectName("draft_note")
        self.draft_note.setWordWrap(True)
        self.draft_note.setStyleSheet("color: #8a5a00;")
        lay.addWidget(self.draft_note)
        self._show_draft_state(parent if hasattr(parent, "live") else getattr(parent, "view", None))

        form = QFormLayout()
        self.lang = QComboBox()
        self.lang.setObjectName("lang")
        for code, name in LANGUAGES.items():
            self.lang.addItem(name, code)
        self.lang.setCurrentIndex(self.lang.findData(language()))
        form.addRow(_("Report language"), self.lang)
        lay.addLayout(form)

        box = QGroupBox(_("Signing certificate"))
        v = QVBoxLayout(box)
        self.use_p12 = QRadioButton(_("Use our certificate file (.p12 / .pfx, e.g. from a CA)"))
        self.generate = QRadioButton(_("Create a self-issued certificate for the factory"))
        group = QButtonGroup(self)
        group.addButton(self.use_p12)
        group.addButton(self.generate)
        self.generate.setChecked(True)
        v.addWidget(self.generate)
        self.gen_note = QLabel(_("Marked as self-issued in the package. Recipients see who signed and that nothing "
                                 "changed, but the certificate is not from a CA."))
        self.gen_note.setWordWrap(True)
        self.gen_note.setStyleSheet("color: palette(dark); margin-left: 22px;")
        v.addWidget(self.gen_note)
        self.save_cert = QCheckBox(_("Keep the new certificate for later exports (stored encrypted):"))
        self.save_cert.setObjectName("save_cert")
        self.save_path = QLineEdit()
        self.save_path.setObjectName("save_path")
        v.addWidget(self.save_cert)
        v.addWidget(_path_row(self.save_path, self._browse_save_cert))
        v.addWidget(self.use_p12)
        self.p12 = QLineEdit()
        self.p12.setObjectName("p12")
        self.p12.setPlaceholderText(_("Certificate file (.p12 / .pfx)"))
        v.addWidget(_path_row(self.p12, self._browse_p12))
        pf = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setToolTip(_("Never stored by GreenDesk."))
        pf.addRow(_("Passphrase"), self.passphrase)
        v.addLayout(pf)
        lay.addWidget(box)

        form2 = QFormLayout()
        self.seal = QLineEdit()
        self.seal.setObjectName("seal")
        self.seal.setPlaceholderText(_("Optional: a PNG of the company seal"))
        self.seal.textChanged.connect(self._show_seal)
        seal_row = QWidget()
        sr = QHBoxLayout(seal_row)
        sr.setContentsMargins(0, 0, 0, 0)
        sr.addWidget(_path_row(self.seal, self._browse_seal), 1)
        self.seal_preview = QLabel()
        self.seal_preview.setFixedSize(48, 48)
        sr.addWidget(self.seal_preview)
        form2.addRow(_("Seal image"), seal_row)
        self.out = QLineEdit()
        self.out.setObjectName("out")
        self.out.setText(str(self._default_out()))
        self._suggested = self.out.text()
        self.lang.currentIndexChanged.connect(self._lang_changed)
        self.p12.setText(app_settings.remembered("export/p12"))
        self.seal.setText(app_settings.remembered("export/seal"))
        if self.p12.text() and Path(self.p12.text()).is_file():
            self.use_p12.setChecked(True)
        form2.addRow(_("Save as"), _path_row(self.out, self._browse_out))
        self.zip = QCheckBox(_("Also write an upload bundle (.zip: the PDF and the evidence files side by side)"))
        self.zip.setObjectName("zip")
        form2.addRow("", self.zip)
        lay.addLayout(form2)

        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.hide()
        self.step = QLabel()
        self.step.hide()
        lay.addWidget(self.step)
        lay.addWidget(self.bar)
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.outcome)
        lay.addStretch(1)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(_("Export and sign"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("export")
        self.export_button.setDefault(True)
        self.open_button = self.buttons.addButton(_("Open the PDF"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.hide()
        self.cancel_button = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self._cancel_or_close)
        self.open_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.out.text())))
        footer.addWidget(self.buttons)
        for w in (self.use_p12, self.generate, self.save_cert):
            w.toggled.connect(self._update)
        self._update()
        fit_to_screen(self)

    def _show_draft_state(self, view) -> None:
        """A package can be made from a draft; say what is still open so that it is a choice."""
        try:
            status = self.ws.assessment(self.aid).get("status")
        except Exception:  # noqa: BLE001
            return
        text = ""
        if status != "final" and hasattr(view, "live"):
            from greendesk.ui.finalize import problems

            blocking, _warnings = problems(view)
            text = (_("This assessment is still a draft with {n} problems to fix (see Finalize); the package "
                      "will show it as it is now.").format(n=len(blocking)) if blocking else
                    _("This assessment is still a draft; mark it final in Finalize when it is complete."))
        self.draft_note.setText(text)
        self.draft_note.setVisible(bool(text))

    # -- inputs ---------------------------------------------------------------------------

    def _lang_changed(self) -> None:
        """The suggested name follows the report language (a name the user chose is kept)."""
        if self.out.text() == self._suggested:
            self.out.setText(str(Path(self._suggested).with_name(self._default_out().name)))
            self._suggested = self.out.text()

    def _default_out(self) -> Path:
        folder = (app_settings.remembered("export/folder")
                  or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
                  or str(Path.home()))
        name = (self.ws.factory().get("name") or "factory").strip()
        safe = "".join(c for c in name if c not in '\\/:*?"<>|') or "factory"
        year = self.ws.assessment(self.aid).get("year")
        lang = self.lang.currentData() if hasattr(self, "lang") else language()  # the report's language
        suffix = "绿色工厂自评价报告" if lang == "zh" else "green-factory-self-evaluation"
        return Path(folder) / f"{safe}-{year}-{suffix}.pdf"

    def _update(self) -> None:
        gen = self.generate.isChecked()
        self.p12.row.setEnabled(not gen)
        self.save_cert.setEnabled(gen)
        self.save_path.row.setEnabled(gen and self.save_cert.isChecked())
        self.passphrase.setEnabled(not gen or self.save_cert.isChecked())
        if gen and self.save_cert.isChecked() and not self.save_path.text():
            self.save_path.setText(str(self._default_out().with_name("greendesk-signing.p12")))

    def _browse_p12(self) -> None:
        p, _f = QFileDialog.getOpenFileName(self, _("Certificate file"), "", _("Certificates (*.p12 *.pfx)"))
        if p:
            self.p12.setText(p)
            self.use_p12.setChecked(True)

    def _browse_save_cert(self) -> None:
        p, _f = QFileDialog.getSaveFileName(self, _("Keep the certificate as"), self.save_path.text(),
                                            _("Certificates (*.p12 *.pfx)"))
        if p:
            self.save_path.setText(p)

    def _browse_seal(self) -> None:
        p, _f = QFileDialog.getOpenFileName(self, _("Seal image"), "", _("Images (*.png)"))
        if p:
            self.seal.setText(p)

    def _browse_out(self) -> None:
        p, _f = QFileDialog.getSaveFileName(self, _("Save the package as"), self.out.text(), _("PDF (*.pdf)"))
        if p:
            self.out.setText(p if p.lower().endswith(".pdf") else p + ".pdf")

    def _show_seal(self, path: str) -> None:
        pm = QPixmap(path) if path and Path(path).is_file() else QPixmap()
        self.seal_preview.setPixmap(pm.scaled(48, 48, Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation) if not pm.isNull() else pm)

    def options(self) -> dict:
        gen = self.generate.isChecked()
        keep = gen and self.save_cert.isChecked() and self.save_path.text().strip()
        return {
            "lang": self.lang.currentData(),
            "generate_cert": gen,
            "p12_path": (self.save_path.text().strip() if keep else None) if gen else (self.p12.text().strip() or None),
            "passphrase": self.passphrase.text() or None,
            "seal_png": self.seal.text().strip() or None,
            "zip_bundle": self.zip.isChecked(),
        }

    # -- running --------------------------------------------------------------------------

    def start(self) -> None:
        if self.task is not None:
            return
        if self.result is not None:  # the button says Close after a finished export
            self.accept()
            return
        out = Path(self.out.text().strip())
        if out.is_file():
            from greendesk.ui.errors import ask

            if not ask(self, _("“{name}” exists already (perhaps a package handed in before).").format(name=out.name),
                       _("Replace it with the new package?")):
                return
        opts = self.options()
        ws_path = self.ws.path
        aid = self.aid
        verifying = _("Verifying the package")  # translated here, on the GUI thread

        def work(progress, cancel):
            from greendesk.core.package import export_package, verify_package

            result = export_package(ws_path, out, progress=lambda f, msg="": progress(int(float(f) * 1000), 1000, msg),
                                    cancel=cancel, assessment_id=aid, **opts)
            progress(1000, 1000, verifying)
            return result, verify_package(result["path"])

        self.task = Task(self, work, success=self._done, failure=self._failed)
        self.task.progressed.connect(self._progress)
        for w in (self.bar, self.step):
            w.show()
        self.outcome.clear()
        self.bar.setValue(0)
        self.export_button.setEnabled(False)
        self._set_inputs_enabled(False)
        self.task.start()

    def _set_inputs_enabled(self, on: bool) -> None:
        for w in [e.row for e in (self.p12, self.save_path, self.seal, self.out)] + [self.passphrase]:
            w.setEnabled(on)
        for w in self.findChildren(QRadioButton) + [self.lang, self.zip, self.save_cert]:
            w.setEnabled(on)
        if on:
            self._update()

    def _progress(self, done, total, text) -> None:
        self.bar.setValue(done)
        if text:
            self.step.setText(text)

    def _failed(self, exc) -> None:
        from greendesk.core.errors import Cancelled

        self.task = None
        self.bar.hide()
        self.step.hide()
        self.export_button.setEnabled(True)
        self._set_inputs_enabled(True)
        if isinstance(exc, Cancelled):
            self.outcome.setText(_("Cancelled. No file was written."))
            self.outcome.setStyleSheet("")
            return
        self.outcome.setText(_("The package was not written."))
        self.outcome.setStyleSheet(ERR_STYLE)
        show_error(self, exc)

    def _done(self, pair) -> None:
        self.task = None
        self.result, self.verification = pair
        # remembered for next time (the passphrase never is)
        app_settings.remember("export/folder", str(Path(self.result["path"]).parent))
        app_settings.remember("export/seal", self.seal.text().strip())
        p12 = self.result.get("stored_certificate") or (self.p12.text().strip() if self.use_p12.isChecked() else "")
        if p12:
            app_settings.remember("export/p12", p12)
        self.bar.hide()
        self.step.hide()
        self.outcome.setStyleSheet("")
        self.outcome.setText(self.describe())
        self.export_button.setText(_("Close"))
        self.export_button.setEnabled(True)
        self.cancel_button.hide()
        self.open_button.show()

    def describe(self) -> str:
        import html

        from greendesk.core.package.verify import signer_summary, when_note

        r, v = self.result or {}, self.verification or {}
        ok = bool(v.get("valid"))
        head = (f"<span style='{OK_STYLE}'>✓ {html.escape(_('Signed and verified'))}</span>" if ok else
                f"<span style='{ERR_STYLE}'>✕ {html.escape(_('Verification failed'))}</span>")
        files = v.get("files") or []
        good = sum(1 for f in files if f.get("ok"))
        signed_at = v.get("signed_at")
        lines = [head,
                 html.escape(_("File: {path}").format(path=r.get("path"))),
                 html.escape(_("{pages} pages; {files} embedded files, {good} match the manifest.").format(
                     pages=r.get("pages"), files=len(files), good=good)),
                 html.escape(_("Signed by {signer} at {when}.").format(
                     signer=v.get("signer") or r.get("signer"),
                     when=(fmt_datetime(str(signed_at)) + when_note(v.get("signed_at_source"))) if signed_at
                     else _dt.date.today().isoformat()))]
        # Who signed, in the same words as `greendesk verify` (fingerprint, credit code, on record or not).
        for line in signer_summary(v):
            warn = v.get("signer_status") == "different_key" and line.startswith(("警告", "Warning"))
            lines.append(f"<span style='{ERR_STYLE}'>{html.escape(line)}</span>" if warn else html.escape(line))
        if r.get("self_issued"):
            lines.append(html.escape(_("The certificate is self-issued: the signature proves the file is unchanged; "
                                       "recipients may ask for a certificate from a CA.")))
        elif not v.get("trusted"):
            lines.append(html.escape(_("The certificate is not in a trust list on this computer.")))
        if r.get("zip"):
            lines.append(html.escape(_("Upload bundle: {zip}").format(zip=r["zip"])))
        if r.get("stored_certificate"):
            lines.append(html.escape(_("Certificate kept at {p}; keep the passphrase safe, GreenDesk does not store "
                                       "it.").format(p=r["stored_certificate"])))
        for p in (v.get("problems") or [])[:5]:
            lines.append(f"<span style='color:#b3261e'>{html.escape(str(p))}</span>")
        for n in (r.get("notes") or [])[:5]:
            lines.append(f"<span style='color:gray'>{html.escape(str(n))}</span>")
        return "<br>".join(lines)

    def _cancel_or_close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.step.setText(_("Cancelling…"))
            return
        self.reject()

    def reject(self) -> None:
        if self.task is not None:  # Escape while exporting: cancel, keep the dialog until it stops
            self.task.cancel()
            self.step.setText(_("Cancelling…"))
            return
        super().reject()

    def closeEvent(self, e):  # noqa: N802
        if self.task is not None:
            self.task.cancel()
            e.ignore()
            return
        super().closeEvent(e)
