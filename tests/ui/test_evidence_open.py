"""Opening evidence from the app writes it only into the private folder, whatever name a workspace stores."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("GREENDESK_SETTINGS_DIR", str(tmp_path / "settings"))
    monkeypatch.setenv("GREENDESK_CACHE_DIR", str(tmp_path / "cache"))
    from greendesk.core import evidence_files
    from greendesk.ui import errors
    from greendesk.ui.app import create_app
    from greendesk.ui.mainwindow import MainWindow

    monkeypatch.setattr(evidence_files, "_folder", None)
    monkeypatch.setattr(errors, "_sink", [])
    create_app()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close_workspace()


def test_crafted_names_open_inside_the_private_folder(window, demo_path, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from greendesk.core import evidence_files
    from greendesk.core.workspace import Workspace

    crafted = ["../../escaped.txt", str(tmp_path / "absolute.txt"), ".."]
    with Workspace.open(demo_path) as ws:
        ids = [r["id"] for r in ws.evidence(ws.assessments()[0]["id"]) if not r["item_id"]][:len(crafted)]
        assert len(ids) == len(crafted)
        with ws.transaction() as c:
            for i, name in zip(ids, crafted, strict=True):
                c.execute("UPDATE evidence SET name = ? WHERE id = ?", [name, i])
    opened: list[Path] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())) or True)
    assert window.open_workspace(demo_path)
    window.view.jump_to("__common__")
    ev = window.view.right.evidence
    for i in range(ev.list.count()):
        if ev.list.item(i).data(0x0100)["id"] in ids:  # Qt.UserRole
            ev.list.item(i).setSelected(True)
    ev.open_selected()
    assert len(opened) == len(crafted)
    folder = evidence_files.private_folder().resolve()
    for p in opened:
        assert p.resolve().parent.parent == folder and p.is_file()
    assert not (tmp_path / "absolute.txt").exists()
    assert not (demo_path.parent.parent / "escaped.txt").exists()
    assert not list(tmp_path.parent.glob("escaped.txt"))
