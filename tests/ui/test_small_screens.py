"""The main window and every dialog fit small screens: 1024×768, 1366×768, and both at 150 % scaling
(683×512 and 910×512 logical). Each size runs in a child process on an offscreen screen of that size
(tests/ui/fit_probe.py): each window's frame must lie inside the available geometry, with its action buttons
(mapToGlobal of their rectangles) inside it too, and no layout squeezed below its minimum size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

PROBE = Path(__file__).with_name("fit_probe.py")
# (screen width, height, QT_SCALE_FACTOR, UI language)
CASES = [
    (1024, 768, None, "zh"), (1366, 768, None, "zh"),
    (683, 512, None, "zh"), (910, 512, None, "zh"),  # 1024×768 and 1366×768 at 150 %, as logical sizes
    (683, 512, None, "en"),
    (1024, 768, "1.5", "zh"), (1366, 768, "1.5", "en"),  # the same through Qt's own scaling
]
WINDOWS = {"welcome", "main", "main_dashboard", "main_settings", "quota", "finalize", "reopen", "export", "import_wizard", "factory",
           "new_wizard_0", "new_wizard_1", "new_wizard_2", "new_wizard_3"}


@pytest.mark.parametrize(("width", "height", "scale", "lang"), CASES,
                         ids=[f"{w}x{h}{'@' + s if s else ''}-{lang}" for w, h, s, lang in CASES])
def test_every_window_fits_the_screen(width, height, scale, lang, demo_path, tmp_path):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", GREENDESK_UI_LANG=lang,
               GREENDESK_SETTINGS_DIR=str(tmp_path / "settings"))
    env.pop("QT_SCALE_FACTOR", None)
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    r = subprocess.run([sys.executable, str(PROBE), str(demo_path)], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    warnings = [ln for ln in r.stderr.splitlines() if ln.strip() and "propagateSizeHints" not in ln]
    assert warnings == []
    report = json.loads(r.stdout)
    sx, sy, sw, sh = report["screen"]
    expect = (round(width / float(scale)), round(height / float(scale))) if scale else (width, height)
    assert (sw, sh) == pytest.approx(expect, abs=1)
    assert set(report["windows"]) == WINDOWS
    for name, w in report["windows"].items():
        assert w["inside"], (name, w["frame"], report["screen"])
        assert not w["squeezed"], (name, w["size"], w["layout_min"])
        for button, b in w["buttons"].items():
            assert b["inside"], (name, button, b["rect"], report["screen"])
    assert report["windows"]["export"]["buttons"]["export"]["inside"]
    assert report["windows"]["new_wizard_0"]["buttons"]["next"]["inside"]
