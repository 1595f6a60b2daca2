"""Helpers shared by the subcommand modules."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def emit(obj: Any, as_json: bool, text: Callable[[Any], str]) -> None:
    """Print ``obj`` as JSON or as the human text ``text(obj)``."""
    if as_json:
        print_json(obj)
    else:
        sys.stdout.write(text(obj).rstrip("\n") + "\n")


def add_json_flag(p) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable JSON output")
