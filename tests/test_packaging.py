"""`pip install .` carries forms/, resources/ and templates/, and the installed command works anywhere."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_pip_install_carries_data_and_command_works(tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    pkg = target / "greendesk"
    for folder in ("forms", "resources", "templates"):
        src = {p.relative_to(ROOT / folder) for p in (ROOT / folder).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
        dst = {p.relative_to(pkg / folder) for p in (pkg / folder).rglob("*") if p.is_file()} if (pkg / folder).is_dir() else set()
        assert src <= dst, f"{folder}: not installed: {sorted(map(str, src - dst))[:5]}"
    env = {**os.environ, "PYTHONPATH": str(target), "GREENDESK_LANG": "en"}
    ws = tmp_path / "x.greendesk"
    code = ("import greendesk, greendesk.core.paths as p, sys; assert greendesk.__file__.startswith(sys.argv[1]), "
            "greendesk.__file__; print(p.forms_dir())")
    out = subprocess.run([sys.executable, "-c", code, str(target)], env=env, cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip().startswith(str(target))
    r = subprocess.run([sys.executable, "-m", "greendesk", "demo", str(ws)], env=env, cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-m", "greendesk", "info", str(ws), "--json"], env=env, cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["factory"]["name"]
