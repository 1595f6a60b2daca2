"""Explanations for people: answer ids in a score's explanation replaced by the inputs' labels.

The scoring explains what is missing by id ("cannot compute: missing energy_intensity.quota_applies");
the window and the report show the input's label instead. Light: no heavy imports (used at start-up).
"""

from __future__ import annotations

import re
from typing import Any

from greendesk.core.i18n import pick


def answer_names(scheme: Any, lang: str) -> dict[str, str]:
    """{answer id: label in ``lang``} for every field of the scheme."""
    out = {}
    for fid, f in (getattr(scheme, "fields_by_id", None) or {}).items():
        lab = getattr(f, "label", None)
        out[fid] = (pick(lab, lang) if isinstance(lab, dict) else str(lab or "")) or fid
    return out


def readable(text: str, names: dict[str, str], lang: str) -> str:
    """``text`` with each dotted answer id of ``names`` replaced by its label in corner quotes."""
    if not text or not names or "." not in text:
        return text
    ids = sorted((i for i in names if "." in i and i in text), key=len, reverse=True)
    if not ids:
        return text
    q = ("「", "」") if lang == "zh" else ("“", "”")
    pattern = re.compile("|".join(r"(?<![\w.])" + re.escape(i) + r"(?![\w.])" for i in ids))
    return pattern.sub(lambda m: f"{q[0]}{names[m.group(0)]}{q[1]}", text)
