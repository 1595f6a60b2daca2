"""Soak: an afternoon of work in one process, so that a reference leak in PySide6 fails CI.

PySide6 6.12.0 on Python 3.11 dropped a reference to ``True`` on every ``Signal.emit()`` and to ``None``
on every ``processEvents()``; the app died after ~40 edits with ``Fatal Python error: none_dealloc``.
No short test noticed. This one drives thousands of edits through the real form widgets (typing into
number fields, choices, yes/no buttons), item changes in the navigation, ``processEvents`` and
language switches in ONE child process (a fatal error there fails this test instead of killing the
test run), and checks that the reference counts of ``None``, ``True`` and ``False`` do not drift.

``GREENDESK_SOAK_EDITS`` sets the number of measured edits (default 1500; the whole test takes about 40 s
on 2 cores). The drift is measured over the edits, item changes and processEvents calls on pages already
built (with the undo history dropped), where nothing may keep a reference; the language switches come
after it and must be survived.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.soak]

EDITS = int(os.environ.get("GREENDESK_SOAK_EDITS", "1500"))
SWITCHES = 8
# The leak this guards against LOSES a reference per call (thousands over the run, then a fatal error).
# References gained are retention: about one None per stored edit is kept today (not in a gc-tracked
# container; see the note in issue 15), so gains are bounded loosely and losses tightly.
LOSS_ALLOWED = 50
GAIN_PER_EDIT_ALLOWED = 2


def soak(edits: int, workdir: Path) -> dict:
    """Run in the child: returns counts and reference-count drifts."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["GREENDESK_SETTINGS_DIR"] = str(workdir / "settings")
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from greendesk.core import uscc
    from greendesk.ui import errors, i18n
    from greendesk.ui.app import create_app
    from greendesk.ui.editors import ChoiceEditor, NumberEditor, YesNoEditor
    from greendesk.ui.mainwindow import MainWindow
    from greendesk.ui.schemeview import create_workspace

    qt_warnings: list[str] = []

    def on_message(mode, _ctx, text):
        if mode != QtMsgType.QtDebugMsg and "propagateSizeHints" not in text:
            qt_warnings.append(text)

    qInstallMessageHandler(on_message)
    error_dialogs: list = []
    errors._sink = error_dialogs
    app = create_app()
    i18n.set_language("zh")
    path = create_workspace(workdir / "soak.greendesk",
                            {"name": "耐久测试厂", "uscc": uscc.complete("91500113MA61RYP3X")}, "gbt36132-2025", 2025)
    win = MainWindow()
    win.show()
    assert win.open_workspace(path)

    counts = {"edits": 0, "number": 0, "choice": 0, "yesno": 0, "item_changes": 0, "process_events": 0,
              "language_switches": 0}
    last_typed: dict[str, int] = {}

    def refs():
        return {"None": sys.getrefcount(None), "True": sys.getrefcount(True), "False": sys.getrefcount(False)}

    def one_pass(budget: int) -> None:
        view = win.view
        for _ in range(len(view.nav.items)):
            if counts["edits"] >= budget:
                return
            view.step_item(1)  # as Ctrl+PgDown does
            counts["item_changes"] += 1
            page = view.pages[view.current_id]
            for fid, ed in list(page.editors.items()):
                if counts["edits"] >= budget:
                    return
                if isinstance(ed, NumberEditor):
                    value = 1 + counts["edits"] % 7
                    ed.edit.selectAll()
                    QTest.keyClicks(ed.edit, str(value))
                    ed.flush()
                    last_typed[fid] = value
                    counts["number"] += 1
                elif isinstance(ed, ChoiceEditor):
                    ed.combo.setCurrentIndex(1 + counts["edits"] % (ed.combo.count() - 1))
                    counts["choice"] += 1
                elif isinstance(ed, YesNoEditor):
                    ed.buttons["yes" if counts["edits"] % 2 else "no"].click()
                    counts["yesno"] += 1
                else:
                    continue
                counts["edits"] += 1
                app.processEvents()
                counts["process_events"] += 1

    def settle():
        """Let Qt delete what it was asked to delete, drop the undo history, collect garbage."""
        from PySide6.QtCore import QCoreApplication, QEvent

        win.view.undo_stack.clear()
        for _ in range(3):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
            gc.collect()

    # warm up: every page built once, caches filled
    one_pass(len(win.view.nav.items) * 3)
    settle()
    # measured: edits, item changes and processEvents on built pages; nothing should keep a reference
    before = refs()
    start_edits = counts["edits"]
    while counts["edits"] - start_edits < edits:
        one_pass(start_edits + edits)
    for _ in range(2000):
        app.processEvents()
    counts["process_events"] += 2000
    settle()
    after = refs()
    measured = counts["edits"] - start_edits
    # language switches (each rebuilds the window), with edits in between: the process must survive
    for k in range(SWITCHES):
        win.set_language("en" if i18n.language() == "zh" else "zh")
        counts["language_switches"] += 1
        one_pass(counts["edits"] + 40 + k)
    if i18n.language() != "zh":
        win.set_language("zh")
        counts["language_switches"] += 1
    app.processEvents()
    stored = win.view.ws.answers(win.view.aid)
    lost = sorted(f for f, v in last_typed.items() if stored.get(f) != v)
    win.close_workspace()
    win.close()
    QApplication.processEvents()
    counts["measured_edits"] = measured
    print(json.dumps({"counts": counts, "drift": {k: after[k] - before[k] for k in before}}), file=sys.stderr)
    return {"counts": counts, "drift": {k: after[k] - before[k] for k in before}, "lost": lost,
            "error_dialogs": [str(e) for e in error_dialogs][:5], "qt_warnings": qt_warnings[:5]}


def test_thousands_of_edits_in_one_process_leak_no_reference(tmp_path):
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("GREENDESK_LANG", None)
    env.pop("GREENDESK_UI_LANG", None)
    out = tmp_path / "result.json"
    code = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import test_soak; "
            f"from pathlib import Path; r = test_soak.soak({EDITS}, Path({str(tmp_path)!r})); "
            f"Path({str(out)!r}).write_text(json.dumps(r))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, f"the app process died (exit {p.returncode}):\n{p.stderr[-3000:]}"
    r = json.loads(out.read_text())
    c = r["counts"]
    assert c["measured_edits"] >= EDITS and c["number"] > EDITS / 4 and c["choice"] and c["yesno"], c
    assert c["item_changes"] > 100 and c["language_switches"] >= SWITCHES, c
    assert r["lost"] == [], f"typed values not stored: {r['lost'][:10]}"
    assert r["error_dialogs"] == [] and r["qt_warnings"] == [], r
    drift = r["drift"]
    assert all(d >= -LOSS_ALLOWED for d in drift.values()), (
        f"references lost over {c['measured_edits']} edits: {drift} (a PySide6 leak, see pyproject.toml)")
    assert all(d <= GAIN_PER_EDIT_ALLOWED * c["measured_edits"] for d in drift.values()), (
        f"references kept over {c['measured_edits']} edits: {drift}")
