"""What a ledger label says a series is, from the word lists in ``resources/meter_roles.yaml``.

Only labels are read here; what the numbers say (one series the sum of others, readings
that only grow) is :mod:`greendesk.core.meters.series_roles`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from greendesk.core import datacache
from greendesk.core.frozen import frozen
from greendesk.core.meters.catalog import norm
from greendesk.core.paths import resources_dir

# the roles a series can have once classified; only COUNTING ones add to the factory's totals
COUNTING = frozenset({"boundary", "standalone", "self_use"})
SERIES_ROLES = ("boundary", "standalone", "sub", "self_use", "generation", "export", "derived", "comparison",
                "cross_check", "excluded")

# a 4-digit year in a label that is a year, not a meter number (2019#变压器, 2020号线)
_YEAR_IN_LABEL = re.compile(r"(?<!\d)(19[9]\d|20\d\d)(?!\d)(?!\s*[#＃号线台])")


@frozen
class Vocab:
    derived: tuple[str, ...]
    derived_units: frozenset[str]
    comparison: tuple[str, ...]
    comparison_whole: frozenset[str]
    previous: tuple[str, ...]
    current: tuple[str, ...]
    tou: dict[str, tuple[str, ...]]
    tou_strip: tuple[str, ...]
    boundary: tuple[str, ...]
    sub: tuple[str, ...]
    generation: tuple[str, ...]
    self_use: tuple[str, ...]
    export: tuple[str, ...]


def _words(xs) -> tuple[str, ...]:
    # longer words first, so that 上月读数 is found before 读数
    return tuple(sorted({norm(str(x)) for x in xs or []}, key=len, reverse=True))


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    d = datacache.load_yaml(resources_dir() / "meter_roles.yaml", "meter_roles")
    tou = dict(d.get("tou") or {})
    strip = tou.pop("strip", [])
    return Vocab(
        derived=_words(d["derived"]["words"]), derived_units=frozenset(norm(str(u)).replace(" ", "")
                                                                         for u in d["derived"]["units"]),
        comparison=_words(d["comparison"]["words"]), comparison_whole=frozenset(_words(d["comparison"].get("whole"))),
        previous=_words(d["previous"]), current=_words(d["current"]),
        tou={k: _words(v) for k, v in tou.items()}, tou_strip=_words(strip),
        boundary=_words(d["boundary"]), sub=_words(d["sub"]),
        generation=_words(d["generation"]), self_use=_words(d["self_use"]), export=_words(d["export"]),
    )


def _has(text: str, words: tuple[str, ...]) -> str | None:
    for w in words:
        if w and w in text:
            if w.isascii() and w.isalpha() and len(w) <= 4:
                # short Latin words match as words only ("line" is not in "baseline")
                if not re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text):
                    continue
            return w
    return None


def label_role(label: str, unit: str | None = None) -> tuple[str, str] | None:
    """("derived" | "comparison" | "previous" | "current", the word that decided) for a label, or None."""
    v = vocab()
    s = norm(label)
    if unit:
        u = norm(unit).replace(" ", "")
        if u in v.derived_units or "/" in u:
            return "derived", unit
    if not s:
        return None
    if s in v.comparison_whole:
        return "comparison", s
    w = _has(s, tuple(x for x in v.comparison if x not in v.comparison_whole))
    if w:
        return "comparison", w
    w = _has(s, v.derived)
    if w:
        return "derived", w
    w = _has(s, v.previous)
    if w:
        return "previous", w
    w = _has(s, v.current)
    if w:
        return "current", w
    return None


def year_in_label(label: str) -> int | None:
    """A year written in a series label (用电量（2024年）), never a meter number (2019#变压器)."""
    m = _YEAR_IN_LABEL.search(norm(label))
    return int(m.group(1)) if m else None


def tou_component(label: str) -> tuple[str, str] | None:
    """(component id, the label without it) for a time-of-use label: "1#变 峰段电量" -> ("peak", "1#变")."""
    v = vocab()
    s = norm(label)
    rest = s
    for w in v.tou_strip:
        rest = rest.replace(w, " ")
    rest = re.sub(r"[()（）\s]+", " ", rest).strip()
    for comp, words in v.tou.items():
        for w in words:
            if len(w) == 1:
                # a lone character is a component only when nothing but a meter name is left beside it
                if rest == w or rest.endswith(" " + w) or rest.startswith(w + " "):
                    base = rest[:-1] if rest.endswith(w) else rest[1:]
                    return comp, base.strip()
                continue
            if w in rest:
                return comp, rest.replace(w, " ").strip()
    return None


def tou_values(values: list) -> bool:
    """A column of time-of-use names (尖/峰/平/谷, perhaps with a 合计 row): at least two different parts."""
    from greendesk.core.meters.cells import _txt, is_total

    texts = [_txt(v) for v in values if _txt(v)]
    if not texts:
        return False
    comps = [tou_component(x) for x in texts if not is_total(x)]
    found = {c[0] for c in comps if c is not None and not c[1]}
    return len(found) >= 2 and sum(c is not None and not c[1] for c in comps) >= 0.8 * len(comps)


def hierarchy_hint(name: str) -> str | None:
    """"boundary" or "sub" from a meter's name, or None when the name says neither."""
    v = vocab()
    s = norm(name)
    if _has(s, v.boundary) or (s.startswith("总") and len(s) > 1):
        return "boundary"
    if _has(s, v.sub):
        return "sub"
    return None


def pv_role(label: str) -> str | None:
    """"self_use", "export" or "generation" for an on-site PV label, or None."""
    v = vocab()
    s = norm(label)
    if _has(s, v.self_use):
        return "self_use"
    if _has(s, v.export):
        return "export"
    if _has(s, v.generation):
        return "generation"
    return None
