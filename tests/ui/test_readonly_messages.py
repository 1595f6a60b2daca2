"""What the app says when nothing can be changed: the status bar never claims 所有修改已保存 for a workspace
opened read-only or a final assessment, and a ledger dropped on it is refused with the reason that applies
(locked by another program, read-only medium, file, folder, or simply opened read-only)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def _saved_label(window) -> str:
    return window.saved_label.text()


@pytest.mark.parametrize("why, zh_part, en_part", [
    ("locked", "另一个窗口或程序关闭", "other window or program has closed it"),
    ("medium", "只读介质", "read-only medium"),
    ("file", "标记为只读", "marked read-only"),
    ("folder", "没有写入该文件夹的权限", "no right to write in its folder"),
    (None, "以可编辑方式重新打开", "Open the workspace again for editing"),
])
def test_read_only_workspace_says_so_and_refuses_a_ledger_with_its_reason(window, demo_path, isolated_ui, why,
                                                                            zh_part, en_part):
    before = demo_path.read_bytes()
    assert window.open_workspace(demo_path, readonly=True, why=why)
    view = window.view
    assert not view.editable
    assert _saved_label(window) == "只读打开：不会保存修改"
    assert "所有修改已保存" not in _saved_label(window)
    view.import_ledger([demo_path])
    (message, advice, exc), = isolated_ui
    assert "不能导入台账" in message and zh_part in message
    assert en_part in exc.message("en")
    if why != "locked":
        assert "other program has closed" not in exc.message("en")
    window.close_workspace()
    assert demo_path.read_bytes() == before  # nothing written


def test_editable_workspace_says_saved_and_a_final_one_says_final(window, demo_path):
    assert window.open_workspace(demo_path)
    assert _saved_label(window) == "所有修改已保存"
    window.ws.set_status(window.view.aid, "final", by="测试")
    window.view.status_changed.emit()
    assert window.view.final
    assert _saved_label(window) == "定稿：重新打开为草稿之前为只读"
