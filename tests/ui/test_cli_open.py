"""`greendesk open --exit-when-ready` and `greendesk screenshots` as subprocesses."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def env(tmp_path):
    return {"GREENDESK_SETTINGS_DIR": str(tmp_path / "settings"), "QT_QPA_PLATFORM": "offscreen"}


def test_open_exit_when_ready(run_cli, demo_path, env):
    r = run_cli("open", demo_path, "--exit-when-ready", env=env)
    assert r.returncode == 0, r.stderr


def test_open_welcome_exit_when_ready(run_cli, env):
    r = run_cli("open", "--exit-when-ready", env=env)
    assert r.returncode == 0, r.stderr


def test_open_bad_file_exits_1(run_cli, tmp_path, env):
    bad = tmp_path / "x.greendesk"
    bad.write_text("nope")
    r = run_cli("open", bad, "--exit-when-ready", env=env)
    assert r.returncode == 1
    assert "not a GreenDesk workspace" in r.stderr


def test_screenshots_in_both_languages(run_cli, demo_path, env, tmp_path):
    out = tmp_path / "shots"
    r = run_cli("screenshots", demo_path, out, env=env)
    assert r.returncode == 0, r.stderr
    names = {p.name for p in out.glob("*.png")}
    for screen in ("welcome", "form", "guidance", "dashboard", "import-preview", "export"):
        for lang in ("zh", "en"):
            assert f"{screen}-{lang}.png" in names, (screen, lang, sorted(names))
    assert all(p.stat().st_size > 5000 for p in out.glob("*.png"))


def test_open_without_a_display_says_so(run_cli, env):
    e = {k: v for k, v in env.items() if k != "QT_QPA_PLATFORM"}
    e.update({"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""})
    r = run_cli("open", env=e)
    assert r.returncode == 1
    assert "No graphical display" in r.stderr
