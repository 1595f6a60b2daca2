"""Start-up stays light: opening the app on a workspace imports none of the libraries only other work needs.

PyYAML is parsed-data-cache only (greendesk.core.datacache): with a warm cache, start-up must not import it
(about 40 ms). reportlab, pyHanko, cryptography, python-calamine and openpyxl belong to export and import.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.gui

LAZY = ("yaml", "reportlab", "pyhanko", "cryptography", "python_calamine", "openpyxl")

CODE = """
import sys
from greendesk.cli import main
rc = main(["open", sys.argv[1], "--exit-when-ready"])
print(",".join(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2].split(",")))))
sys.exit(rc)
"""


def test_opening_a_workspace_imports_no_lazy_library(demo_path, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GREENDESK_SETTINGS_DIR=str(tmp_path / "s"),
               GREENDESK_CACHE_DIR=str(tmp_path / "cache"))
    for _run in range(2):  # the first run fills the parsed-data cache
        p = subprocess.run([sys.executable, "-c", CODE, str(demo_path), ",".join(LAZY)], env=env,
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr[-2000:]
    assert p.stdout.strip().splitlines()[-1:] in ([], [""]), f"imported at start-up: {p.stdout.strip()}"
