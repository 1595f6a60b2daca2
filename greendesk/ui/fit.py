"""Windows and dialogs that fit a small screen (1024×768, 1366×768, and both at 150 % scaling).

* :func:`scroll_layout` gives a dialog (or a wizard page) a scrolling body, with a fixed footer for its
  buttons, so the content can shrink to any height and the action buttons stay reachable;
* :func:`fit_to_screen` clamps a window's size and minimum size to the screen's available geometry
  (leaving room for the window manager's frame) and places it inside it;
* :func:`inside_screen` tells whether a widget (e.g. a button) is wholly on the available screen area.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

# Room for the frame and the title bar the window manager adds (not known before the window is shown).
FRAME_W = 16
FRAME_H = 40


def available(widget: QWidget | None = None) -> QRect:
    """The available geometry (without task bars) of the screen the widget (or its parent) is on."""
    screen = widget.window().screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def scroll_layout(owner: QWidget, *, margins: tuple[int, int, int, int] | None = None
                  ) -> tuple[QVBoxLayout, QVBoxLayout]:
    """Give ``owner`` a scrolling body: returns (body layout to fill, outer layout for a fixed footer).

    Add the content to the body layout and the buttons to the outer layout (after the scroll area): the
    content scrolls on a small screen, the buttons never leave the window.
    """
    outer = QVBoxLayout(owner)
    area = QScrollArea(owner)
    area.setObjectName("fit_scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    body = QWidget()
    body.setObjectName("fit_body")
    inner = QVBoxLayout(body)
    inner.setContentsMargins(*(margins or (0, 0, 0, 0)))
    area.setWidget(body)
    outer.addWidget(area, 1)
    owner._fit_area = area  # noqa: SLF001 - read by fit_to_screen for the natural size
    return inner, outer


def _natural_size(w: QWidget) -> QSize:
    """The size the window would like: what it was resized to, or its size hint, and room for a scroll body."""
    size = QSize(w.size()) if w.testAttribute(Qt.WidgetAttribute.WA_Resized) else w.sizeHint()
    area = getattr(w, "_fit_area", None)
    if area is not None and area.widget() is not None:
        body = area.widget().sizeHint()
        rest_h = max(0, w.sizeHint().height() - area.sizeHint().height())
        bar = area.verticalScrollBar().sizeHint().width()
        size = size.expandedTo(QSize(body.width() + bar + 24, body.height() + rest_h + 8))
    return size


def fit_to_screen(w: QWidget, *, center: bool = True) -> None:
    """Clamp ``w`` (a top-level window or dialog) to the available screen area and place it inside it."""
    avail = available(w)
    max_w = max(200, avail.width() - FRAME_W)
    max_h = max(150, avail.height() - FRAME_H)
    w.setMinimumSize(min(w.minimumWidth(), max_w), min(w.minimumHeight(), max_h))
    want = _natural_size(w)
    w.resize(min(want.width(), max_w), min(want.height(), max_h))
    if center:
        place_inside(w, avail)


def place_inside(w: QWidget, avail: QRect | None = None) -> None:
    """Move ``w`` so that it is inside ``avail``: over its parent window's centre when there is one."""
    avail = avail or available(w)
    parent = w.parentWidget().window() if w.parentWidget() is not None else None
    if parent is not None and parent.isVisible():
        c = parent.frameGeometry().center()
    else:
        c = avail.center()
    x = c.x() - w.width() // 2
    y = c.y() - w.height() // 2
    x = max(avail.left(), min(x, avail.right() - w.width() - FRAME_W + 1))
    y = max(avail.top(), min(y, avail.bottom() - w.height() - FRAME_H + 1))
    w.move(QPoint(x, y))


def clamp_window(w: QWidget) -> None:
    """For a window whose geometry was restored from another screen: keep it within this one."""
    avail = available(w)
    max_w, max_h = avail.width() - FRAME_W, avail.height() - FRAME_H
    w.setMinimumSize(min(w.minimumWidth(), max_w), min(w.minimumHeight(), max_h))
    if w.width() > max_w or w.height() > max_h:
        w.resize(min(w.width(), max_w), min(w.height(), max_h))
    g = w.geometry()
    if not avail.contains(g):
        place_inside(w, avail)


def global_rect(widget: QWidget) -> QRect:
    """The widget's rectangle in screen coordinates."""
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def inside_screen(widget: QWidget, avail: QRect | None = None) -> bool:
    """Whether the widget is visible and wholly inside the available screen area."""
    avail = avail or available(widget)
    return widget.isVisible() and avail.contains(global_rect(widget))
