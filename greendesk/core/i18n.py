"""Language choice for messages produced by the core and the command line.

Messages are written as pairs: ``t("中文", "English")``. The language is Chinese
when ``GREENDESK_LANG`` starts with ``zh`` (or, when it is unset, when the locale
is Chinese), English otherwise. The GUI sets the language explicitly with
:func:`set_language`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_override: str | None = None
_local = threading.local()  # per-thread scoped language (using_language)


def set_language(lang: str | None) -> None:
    global _override
    _override = lang


@contextmanager
def using_language(lang: str | None) -> Iterator[None]:
    """Use ``lang`` for messages made in this thread inside the block (e.g. an English report
    exported from a Chinese session, off the GUI thread)."""
    previous = getattr(_local, "lang", None)
    _local.lang = lang
    try:
        yield
    finally:
        _local.lang = previous


def language() -> str:
    scoped = getattr(_local, "lang", None)
    if scoped:
        return "zh" if scoped.lower().startswith("zh") else "en"
    if _override:
        return "zh" if _override.lower().startswith("zh") else "en"
    env = os.environ.get("GREENDESK_LANG")
    if env:
        return "zh" if env.lower().startswith("zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        v = os.environ.get(var)
        if v:
            return "zh" if v.lower().startswith("zh") else "en"
    return "en"


def t(zh: str, en: str, **kw) -> str:
    """Pick the message for the current language and format it with ``kw``."""
    s = zh if language() == "zh" else en
    return s.format(**kw) if kw else s


def pick(labels: dict | str | None, lang: str | None = None) -> str:
    """Pick a label from a ``{"zh": ..., "en": ...}`` mapping, falling back to the other language."""
    if labels is None:
        return ""
    if isinstance(labels, str):
        return labels
    lang = lang or language()
    other = "en" if lang == "zh" else "zh"
    return labels.get(lang) or labels.get(other) or ""
