import os
import sys
from pathlib import Path

# Must be set before any Qt import; a pytest ini option does not work for this.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("GREENDESK_LANG", None)
# Nothing a test (or a `greendesk` subprocess it starts) remembers may reach the real
# ~/.config/GreenDesk: recent files and window geometry go to a throw-away folder.
import tempfile  # noqa: E402

os.environ["GREENDESK_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="greendesk-test-settings-")
os.environ["GREENDESK_CACHE_DIR"] = tempfile.mkdtemp(prefix="greendesk-test-cache-")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def demo_path(tmp_path):
    from greendesk.core.demo import build_demo

    return build_demo(tmp_path / "demo.greendesk")


@pytest.fixture
def run_cli():
    """Run ``greendesk`` as a subprocess from a neutral directory; returns CompletedProcess."""
    import subprocess

    def run(*args, lang="en", cwd=None, env=None, input=None):
        e = dict(os.environ)
        e["GREENDESK_LANG"] = lang
        if env:
            e.update(env)
        return subprocess.run([sys.executable, "-m", "greendesk", *map(str, args)], capture_output=True,
                              text=True, cwd=cwd or "/", env=e, input=input, timeout=300)

    return run


@pytest.fixture(autouse=True)
def _reset_language():
    """Tests must not leak a language choice (the GUI sets it process-wide) into each other."""
    from greendesk.core import i18n

    i18n.set_language(None)
    yield
    i18n.set_language(None)
