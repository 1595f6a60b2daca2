"""The report's layout and fixed texts, read from ``templates/report/*.yaml`` (no reportlab here)."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from greendesk.core.i18n import pick
from greendesk.core.paths import templates_dir


@cache
def layout() -> dict:
    return yaml.safe_load((templates_dir() / "report" / "layout.yaml").read_text(encoding="utf-8"))


@cache
def texts() -> dict:
    return yaml.safe_load((templates_dir() / "report" / "texts.yaml").read_text(encoding="utf-8"))


def raw(key: str) -> Any:
    """The node at a dotted key of texts.yaml."""
    node: Any = texts()
    for part in key.split("."):
        node = node[part]
    return node


def text(key: str, lang: str, **kw) -> str:
    """A fixed text in ``lang``, formatted with ``kw``."""
    s = pick(raw(key), lang)
    return s.format(**kw) if kw else s
