"""Developer tool: list UI strings (``_("...")`` in greendesk/ui) missing from the Chinese catalogue.

``python -m greendesk.ui.i18n_check`` prints them as JSON; ``--unused`` lists stale entries.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

UI = Path(__file__).resolve().parent


def ui_strings() -> dict[str, str]:
    """{string: "file:line"} for every literal passed to ``_``."""
    found: dict[str, str] = {}
    for py in sorted(UI.glob("*.py")):
        tree = ast.parse(py.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{py.name}:{node.lineno}")
    return found


def missing(lang: str = "zh") -> dict[str, str]:
    from greendesk.ui.i18n import catalogue

    cat = catalogue(lang)
    return {s: where for s, where in ui_strings().items() if not cat.get(s)}


def unused(lang: str = "zh") -> list[str]:
    from greendesk.ui.i18n import catalogue

    used = ui_strings()
    return [s for s in catalogue(lang) if s not in used]


if __name__ == "__main__":
    if "--unused" in sys.argv:
        print(json.dumps(unused(), ensure_ascii=False, indent=1))
    else:
        print(json.dumps({s: "" for s in missing()}, ensure_ascii=False, indent=1))
