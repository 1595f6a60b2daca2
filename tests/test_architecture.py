"""Rules of the code base that a test can hold."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_never_imports_qt():
    offenders = []
    for f in (ROOT / "greendesk" / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6") for n in names):
                offenders.append(f"{f.relative_to(ROOT)}:{node.lineno}")
    assert not offenders


def test_importing_core_and_cli_loads_no_qt_and_no_heavy_libraries():
    code = ("import sys, greendesk.cli, greendesk.core.workspace; greendesk.cli.build_parser();"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6','reportlab','pyhanko','python_calamine','openpyxl')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
