"""A workspace on a read-only medium (a real read-only tmpfs, as a write-protected USB stick is): the app says
so, offers "open read-only" (只读打开), and then every edit is off, a banner says why, and the package can still
be exported to another folder. Needs root to mount the tmpfs (skipped otherwise)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def usb(tmp_path, demo_path):
    """The demo workspace on a tmpfs remounted read-only; unmounted afterwards."""
    mnt = tmp_path / "usb"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        target = mnt / "演示工厂.greendesk"
        shutil.copyfile(demo_path, target)
        r = subprocess.run(["mount", "-o", "remount,ro", str(mnt)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        yield target
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_the_core_tells_a_read_only_medium_apart_and_opens_it_read_only(usb):
    from greendesk.core.workspace import Workspace, WorkspaceReadOnly

    with pytest.raises(WorkspaceReadOnly) as e:
        Workspace.open(usb)
    assert e.value.reason == "medium"
    assert "read-only medium" in e.value.message("en") and "not damaged" in e.value.message("en")
    with Workspace.open(usb, readonly=True) as ws:
        assert ws.readonly and ws.assessment()["year"] == 2025


def test_a_file_marked_read_only_is_told_apart_from_a_read_only_medium(tmp_path, monkeypatch):
    """(As root the file's mode does not stop writing, so SQLite's "read-only database" is given here.)"""
    import sqlite3

    from greendesk.core import workspace as W

    f = tmp_path / "a.greendesk"
    f.write_bytes(b"x")
    e = sqlite3.OperationalError("attempt to write a readonly database")
    e.sqlite_errorcode = 8
    monkeypatch.setattr(W, "_readable_not_writable", lambda p: True)
    err = W.fault_error(f, e)
    assert isinstance(err, W.WorkspaceReadOnly) and err.reason == "file"
    assert "marked read-only" in err.message("en")
    monkeypatch.setattr(W, "_readable_not_writable", lambda p: False)
    assert W.fault_error(f, e).reason == "medium"


def test_the_app_offers_open_read_only_and_then_nothing_can_be_changed(window, usb, qtbot, tmp_path, monkeypatch,
                                                                      isolated_ui):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel

    from greendesk.ui import errors

    offered = []
    monkeypatch.setattr(errors, "offer", lambda parent, text, question, action: offered.append(
        (text, question, action)) or True)
    assert window.open_workspace(usb)
    assert len(offered) == 1
    text, question, action = offered[0]
    assert action == "只读打开"
    assert "只读的位置" in text and "损坏；" in text  # "not damaged", never "damaged … use a backup"
    assert window.ws.readonly and isolated_ui == []

    view = window.view
    banner = view.findChild(QLabel, "readonly_banner")
    assert banner is not None and banner.isVisible()
    assert "只读的介质" in banner.text() and "导出" in banner.text()
    assert not view.editable
    page = view.pages[view.current_id]
    assert page.editors and not any(ed.isEnabled() for ed in page.editors.values())
    assert not window.findChild(QAction, "import").isEnabled()
    assert not view.score_bar.finalize.isEnabled()
    # an edit that reaches the core anyway is refused there, and the file is unchanged
    before = usb.read_bytes()
    from greendesk.core.errors import UserError

    field = next(iter(page.editors))
    with pytest.raises(UserError) as refused:
        view.ws.set_answer(view.aid, field, "x")
    assert "只读" in refused.value.message("zh")
    assert usb.read_bytes() == before

    # a language switch keeps the banner (in the new language)
    window.set_language("en")
    banner = window.view.findChild(QLabel, "readonly_banner")
    assert banner is not None and "read-only medium" in banner.text()
    window.set_language("zh")

    # the package can still be exported to another folder
    from greendesk.ui.exportdialog import ExportDialog

    dlg = ExportDialog(window.view.ws, window.view)
    qtbot.addWidget(dlg)
    dlg.show()
    out = tmp_path / "out" / "申报包.pdf"
    out.parent.mkdir()
    dlg.out.setText(str(out))
    dlg.export_button.click()
    qtbot.waitUntil(lambda: dlg.task is None, timeout=180000)
    assert dlg.verification is not None and dlg.verification["valid"], dlg.outcome.text()
    assert out.read_bytes().startswith(b"%PDF")
    assert usb.read_bytes() == before
    shot = os.environ.get("GREENDESK_SHOT_DIR")
    if shot:
        window.grab().save(str(Path(shot) / "readonly-medium.png"))


def test_declining_the_offer_opens_nothing(window, usb, monkeypatch, isolated_ui):
    from greendesk.ui import errors

    monkeypatch.setattr(errors, "offer", lambda *a: False)
    assert not window.open_workspace(usb)
    assert window.ws is None and window.view is None and isolated_ui == []
