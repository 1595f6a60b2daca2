"""Helpers shared by the subcommand modules."""

from __future__ import annotations

import argparse
import json
import math
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
    from greendesk.core.i18n import t

    p.add_argument("--json", action="store_true", help=t("输出机器可读的 JSON", "machine-readable JSON output"))


def finite_float(text: str) -> float:
    """argparse type: a float that is neither nan nor infinite (those would be stored as no value or break JSON)."""
    from greendesk.core.i18n import t

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t(f"'{text}' 不是数字", f"'{text}' is not a number")) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(t(f"'{text}' 不是有限的数字", f"'{text}' is not a finite number"))
    return value
