"""First run on X11: the app starts on Qt's xcb platform (a real X server, Xvfb) and a screenshot of what
the display shows is written. Catches missing xcb runtime libraries (scripts/sysdeps.sh installs them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

XVFB = shutil.which("Xvfb")


@pytest.fixture
def x_display():
    """A private Xvfb on a free display number (Xvfb picks it: -displayfd), stopped afterwards."""
    if XVFB is None:
        pytest.skip("Xvfb is not installed (scripts/sysdeps.sh test installs it)")
    r, w = os.pipe()
    proc = subprocess.Popen([XVFB, "-displayfd", str(w), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(w)
    number = b""
    with os.fdopen(r, "rb") as f:
        while not number.endswith(b"\n"):
            chunk = f.read(1)
            if not chunk:
                break
            number += chunk
    if not number.strip():
        proc.kill()
        pytest.fail(f"Xvfb did not start: {proc.stderr.read().decode(errors='replace')[-500:]}")
    try:
        yield f":{number.decode().strip()}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _distinct_colours(path: Path) -> tuple[int, int, int]:
    from PySide6.QtGui import QImage

    img = QImage(str(path))
    assert not img.isNull(), "not a readable PNG"
    colours = {img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)}
    return img.width(), img.height(), len(colours)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_app_starts_on_x11_and_takes_a_real_screenshot(x_display, demo_path, tmp_path, lang):
    shot = tmp_path / "shot.png"
    env = dict(os.environ, DISPLAY=x_display, QT_QPA_PLATFORM="xcb", GREENDESK_SETTINGS_DIR=str(tmp_path / "s"),
               GREENDESK_LANG=lang)
    env.pop("WAYLAND_DISPLAY", None)
    p = subprocess.run([sys.executable, "-m", "greendesk", "open", str(demo_path), "--screenshot", str(shot),
                        "--lang", lang], env=env, capture_output=True, text=True, timeout=120, cwd="/")
    assert p.returncode == 0, f"exit {p.returncode}:\n{p.stderr[-3000:]}"
    assert "Could not load the Qt platform plugin" not in p.stderr and "xcb-cursor0" not in p.stderr
    assert shot.stat().st_size > 10_000
    width, height, colours = _distinct_colours(shot)
    assert width >= 640 and height >= 400, (width, height)
    assert colours > 20, f"the screenshot looks blank ({colours} colours)"


def test_screenshot_option_offscreen(demo_path, tmp_path):
    """The same option without a display (offscreen platform): the widget's own rendering is saved."""
    shot = tmp_path / "off.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GREENDESK_SETTINGS_DIR=str(tmp_path / "s"))
    p = subprocess.run([sys.executable, "-m", "greendesk", "open", str(demo_path), "--screenshot", str(shot)],
                       env=env, capture_output=True, text=True, timeout=120, cwd="/")
    assert p.returncode == 0, p.stderr[-2000:]
    assert _distinct_colours(shot)[2] > 20
