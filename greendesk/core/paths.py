"""Where the bundled data folders (forms/, resources/, templates/) are.

In a source checkout they sit at the repository root; in an installed wheel they
are installed as ``greendesk/forms`` etc.; in a PyInstaller bundle they are under
``sys._MEIPASS/greendesk``.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent.parent


@cache
def data_dir(name: str) -> Path:
    """Return the directory of a bundled data folder: "forms", "resources" or "templates"."""
    candidates = [_PKG / name, _PKG.parent / name]
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        candidates.insert(0, Path(meipass) / "greendesk" / name)
    for c in candidates:
        if c.is_dir():
            return c
    raise FileNotFoundError(f"bundled data folder {name!r} not found (looked in {', '.join(map(str, candidates))})")


def forms_dir() -> Path:
    return data_dir("forms")


def resources_dir() -> Path:
    return data_dir("resources")


def templates_dir() -> Path:
    return data_dir("templates")
