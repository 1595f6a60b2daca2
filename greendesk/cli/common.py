"""Helpers shared by the subcommand modules."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from typing import Any


def _finite(obj: Any) -> Any:
    """``obj`` with every NaN or infinity replaced by None (JSON has no such numbers: Python would print
    ``NaN``/``Infinity``, which no JSON reader accepts)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def dumps(obj: Any, **kw) -> str:
    """The one JSON writer of the command line: always valid JSON (no NaN/Infinity), UTF-8 text as is."""
    kw.setdefault("ensure_ascii", False)
    return json.dumps(_finite(obj), allow_nan=False, default=str, **kw)


def print_json(obj: Any) -> None:
    sys.stdout.write(dumps(obj, indent=2) + "\n")


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
    """argparse type: a number as typed (greendesk.core.numbers: 2,350, full-width digits, 23。5 …); NaN,
    infinity, anything beyond ±1e15 and text that is not a number are usage errors saying why."""
    from greendesk.core.errors import UserError
    from greendesk.core.i18n import t
    from greendesk.core.numbers import parse_number

    try:
        value = parse_number(text)
    except UserError as e:
        raise argparse.ArgumentTypeError(e.message()) from None
    if value is None:
        raise argparse.ArgumentTypeError(t("缺少数值", "a number is missing"))
    return float(value)
