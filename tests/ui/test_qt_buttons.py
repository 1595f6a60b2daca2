"""Qt's own standard buttons speak correct Chinese (确定, not 正常) and English after a switch."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

pytestmark = pytest.mark.gui


def _plain(text: str) -> str:
    """Without the keyboard mnemonic: '&Yes' -> 'Yes', '是(&Y)' -> '是'."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "")


@pytest.fixture
def ui_language(qapp):
    from greendesk.ui import i18n

    yield i18n.set_language
    i18n.set_language("zh")


@pytest.mark.parametrize(("lang", "texts"), [
    ("zh", {QMessageBox.StandardButton.Ok: "确定", QMessageBox.StandardButton.Cancel: "取消",
            QMessageBox.StandardButton.Yes: "是", QMessageBox.StandardButton.No: "否"}),
    ("en", {QMessageBox.StandardButton.Ok: "OK", QMessageBox.StandardButton.Cancel: "Cancel",
            QMessageBox.StandardButton.Yes: "Yes", QMessageBox.StandardButton.No: "No"}),
])
def test_message_box_buttons(qtbot, ui_language, lang, texts):
    ui_language(lang)
    box = QMessageBox(QMessageBox.Icon.Information, "t", "x")
    qtbot.addWidget(box)
    for b in texts:
        box.addButton(b)
    got = {b: _plain(box.button(b).text()) for b in texts}
    assert got == texts


def test_switching_back_and_forth_keeps_ok_right(qtbot, ui_language):
    for lang, ok in (("zh", "确定"), ("en", "OK"), ("zh", "确定")):
        ui_language(lang)
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        qtbot.addWidget(bb)
        assert _plain(bb.button(QDialogButtonBox.StandardButton.Ok).text()) == ok


def test_our_own_ok_state_still_translates(qapp, ui_language):
    from greendesk.ui.i18n import _

    ui_language("zh")
    assert _("OK") == "正常"  # the dashboard's state word, in our own context
