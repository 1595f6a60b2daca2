"""A stored text with control characters (from an older workspace) is flagged visibly, never changed silently."""

from __future__ import annotations

from types import SimpleNamespace


def test_control_characters_are_shown_and_the_text_is_left_as_stored(qtbot):
    from greendesk.ui.editors import TextEditor

    ed = TextEditor(SimpleNamespace(id="t", type="text"))
    qtbot.addWidget(ed)
    emitted = []
    ed.edited.connect(lambda *a: emitted.append(a))
    ed.set_value("重庆\x1b[31m路\u202e1号")
    assert "\\u001b[31m" in ed.edit.toolTip() and "\\u202e" in ed.edit.toolTip()
    assert "控制字符" in ed.edit.toolTip() and "#b3261e" in ed.edit.styleSheet()
    assert ed.edit.toPlainText() == "重庆\x1b[31m路\u202e1号" and not emitted
    ed.set_value("重庆路1号")
    assert ed.edit.toolTip() == "" and ed.edit.styleSheet() == ""
