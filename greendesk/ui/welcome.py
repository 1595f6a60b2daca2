"""The welcome screen: new workspace, open, recent files, demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from greendesk.ui import settings as app_settings
from greendesk.ui.i18n import _


class WelcomePage(QScrollArea):
    """Start screen. Emits the user's choice; the main window does the work. It scrolls on a small screen."""

    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        outer = QHBoxLayout(body)
        outer.setContentsMargins(48, 40, 48, 40)
        outer.setSpacing(40)

        left = QVBoxLayout()
        title = QLabel(_("GreenDesk"))
        f = QFont(title.font())
        f.setPointSizeF(f.pointSizeF() * 2.2)
        f.setBold(True)
        title.setFont(f)
        subtitle = QLabel(_("Green factory self-assessment (GB/T 36132): fill in, attach evidence, "
                            "import meter ledgers, watch the score and export the signed declaration."))
        subtitle.setWordWrap(True)
        left.addWidget(title)
        left.addWidget(subtitle)
        left.addSpacing(24)

        def button(text, tip, signal, name):
            b = QPushButton(text)
            b.setObjectName(name)
            b.setToolTip(tip)
            b.setMinimumHeight(44)
            b.setStyleSheet("text-align: left; padding-left: 14px;")
            b.clicked.connect(signal.emit)
            left.addWidget(b)
            return b

        self.new_button = button(_("New workspace…"), _("Set up a factory and start an assessment"),
                                 self.new_requested, "new")
        self.open_button = button(_("Open workspace…"), _("Open a .greendesk file"), self.open_requested, "open")
        self.demo_button = button(_("Try the demo factory"), _("Create and open a demo workspace to explore"),
                                  self.demo_requested, "demo")
        self.new_button.setDefault(True)
        left.addSpacing(20)
        steps = QLabel("<b>{}</b><ol style='margin-left:-20px'>{}</ol>".format(
            _("How it goes"), "".join(f"<li>{t}</li>" for t in (
                _("Set up the factory and choose the scheme (new workspace)."),
                _("Go through the items on the left: answer, read the guidance, attach evidence."),
                _("Import the monthly energy and water ledgers (File › Import meter ledger)."),
                _("Check the dashboard for gaps and data problems, then run Finalize."),
                _("Export the signed declaration package (File › Export signed package).")))))
        steps.setObjectName("steps")
        steps.setWordWrap(True)
        left.addWidget(steps)
        left.addStretch(1)
        hint = QLabel(_("Everything stays on this computer. Every change is saved as you type."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        left.addWidget(hint)

        right = QVBoxLayout()
        rlabel = QLabel(_("Recent workspaces"))
        rf = QFont(rlabel.font())
        rf.setBold(True)
        rlabel.setFont(rf)
        right.addWidget(rlabel)
        self.recent = QListWidget()
        self.recent.setObjectName("recent")
        self.recent.setFrameShape(QFrame.Shape.StyledPanel)
        self.recent.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        self.recent.itemActivated.connect(lambda it: self.recent_requested.emit(it.data(Qt.ItemDataRole.UserRole)))
        right.addWidget(self.recent, 1)
        self.empty = QLabel(_("No recent workspaces yet. Create a new one or try the demo."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(mid); padding: 24px;")
        right.addWidget(self.empty)

        lw, rw = QWidget(), QWidget()
        lw.setLayout(left)
        rw.setLayout(right)
        lw.setMaximumWidth(460)
        outer.addWidget(lw, 2)
        outer.addWidget(rw, 3)
        self.setWidget(body)
        self.refresh()

    def _two_line_height(self, text: str) -> int:
        """Room for both lines (title, path) with the item padding. The view's own estimate uses the Latin
        font's line height, so a Chinese title pushed the path out and the title ended in "…"."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setDefaultFont(self.recent.font())
        doc.setDocumentMargin(0)
        doc.setPlainText(text)
        return int(doc.size().height()) + 2 * 6 + 8  # the 6 px paddings of the style sheet, the frame

    def refresh(self) -> None:
        self.recent.clear()
        files = app_settings.recent_files()
        for p in files:
            path = Path(p)
            title = app_settings.recent_title(p) or path.stem
            it = QListWidgetItem(f"{title}\n{path}")
            it.setData(Qt.ItemDataRole.UserRole, p)
            it.setToolTip(p)
            if not path.exists():
                it.setText(f"{title}  ({_('missing')})\n{path}")
                it.setForeground(Qt.GlobalColor.gray)
            it.setSizeHint(QSize(0, self._two_line_height(it.text())))
            self.recent.addItem(it)
        self.recent.setVisible(bool(files))
        self.empty.setVisible(not files)
