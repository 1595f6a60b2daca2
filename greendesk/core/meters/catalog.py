"""The carrier and unit catalogue (resources/carriers.yaml) and header-word matching."""

from __future__ import annotations

import re
from dataclasses import field
from functools import cache

from greendesk.core import datacache
from greendesk.core.frozen import frozen
from greendesk.core.paths import resources_dir

CARRIER_IDS = ("electricity", "natural_gas", "steam", "heat", "diesel", "gasoline", "fuel_oil", "coal", "lpg",
               "water", "pv_self_use", "pv_export", "green_power")

_FW = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９．，－＋（）／：％ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"}
_FW[0x3000] = 0x20  # ideographic space
_FW.update({ord("³"): ord("3"), ord("⁴"): ord("4"), ord("²"): ord("2"), ord("【"): ord("("), ord("】"): ord(")"),
            ord("["): ord("("), ord("]"): ord(")"), ord("—"): ord("-"), ord("–"): ord("-"), ord("\u00a0"): 0x20})


def fold(text: str) -> str:
    """Full-width to half-width, superscripts to digits."""
    return text.translate(_FW)


def norm(text: str) -> str:
    """Normalise a header word or unit for comparison."""
    s = fold(str(text)).strip().lower()
    s = s.replace("^3", "3").replace("·", "").replace("•", "").replace("*", "")
    return " ".join(s.split())  # (each run of whitespace one space: str.split's whitespace is re's \s)


def norm_unit(text: str) -> str:
    s = norm(text).replace(" ", "")
    s = s.replace("kw.h", "kwh").replace("kw-h", "kwh")
    return s


@frozen
class Unit:
    name: str      # canonical spelling of this unit, e.g. "万kWh"
    to: str        # base unit, e.g. "kWh"
    factor: float  # value in this unit × factor = value in base unit


@frozen
class Carrier:
    id: str
    zh: str
    en: str
    units: tuple[str, ...]
    kind: str
    density_kg_per_l: float | None
    accepts: dict
    density_source: dict = field(default_factory=dict)     # {"zh": ..., "en": ...}
    density_certainty: str = "uncertain"

    @property
    def unit(self) -> str:
        return self.units[0]


class Catalog:
    def __init__(self, data: dict):
        self.units: dict[str, Unit] = {}
        for name, u in data["units"].items():
            unit = Unit(name, u["to"], float(u["factor"]))
            for alias in [name, *u.get("aliases", [])]:
                self.units[norm_unit(alias)] = unit
        self.carriers: dict[str, Carrier] = {}
        syn: list[tuple[str, str]] = []
        for cid, c in data["carriers"].items():
            self.carriers[cid] = Carrier(cid, c["zh"], c["en"], tuple(c["units"]), c.get("kind", "energy"),
                                         c.get("density_kg_per_l"), dict(c.get("accepts") or {}),
                                         dict(c.get("density_source") or {}), c.get("density_certainty") or "uncertain")
            for s in [cid, c["zh"], c["en"], *c.get("synonyms", [])]:
                syn.append((norm(s), cid))
        # longest first, so that 光伏发电 wins over 电
        self._synonyms = sorted(set(syn), key=lambda p: -len(p[0]))
        self._exact = {s: cid for s, cid in self._synonyms}
        self.roles: dict[str, str] = {}
        for role, words in data.get("roles", {}).items():
            for w in words:
                self.roles.setdefault(norm(w), role)

    # -- units -----------------------------------------------------------------------
    def unit(self, text) -> Unit | None:
        if text is None:
            return None
        return self.units.get(norm_unit(str(text)))

    def accepted_units(self, carrier_id: str | None = None) -> list[str]:
        """Unit spellings accepted for a carrier (or all), for messages."""
        out = []
        if carrier_id is None:
            return sorted({u.name for u in self.units.values()})
        c = self.carriers[carrier_id]
        bases = set(c.units) | set(c.accepts)
        if c.density_kg_per_l:
            bases.add("L")
        for u in self.units.values():
            if u.to in bases and u.name not in out:
                out.append(u.name)
        return out

    def convert(self, carrier_id: str, unit: Unit) -> tuple[str, float] | None:
        """(base unit for this carrier, factor) for a value in ``unit``; None when not convertible."""
        c = self.carriers[carrier_id]
        if unit.to in c.units:
            return unit.to, unit.factor
        if unit.to in c.accepts:
            return c.units[0], unit.factor * float(c.accepts[unit.to])
        if unit.to == "L" and c.density_kg_per_l:
            return "t", unit.factor * c.density_kg_per_l / 1000.0
        return None

    def carriers_for_unit(self, unit: Unit) -> list[str]:
        return [cid for cid in self.carriers if self.convert(cid, unit) is not None]

    # -- header words --------------------------------------------------------------------
    def role(self, text: str) -> str | None:
        return self.roles.get(norm(text))

    def carrier(self, text: str) -> str | None:
        """The carrier named by a header word: exact synonym, else the longest synonym contained in it."""
        s = norm(text)
        if not s:
            return None
        if s in self._exact:
            return self._exact[s]
        for word, cid in self._synonyms:
            if len(word) >= 2 or not word.isascii():
                if word in s:
                    # an ASCII word must stand alone ("gas" in "gasoline" is not natural gas)
                    if word.isascii() and re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", s) is None:
                        continue
                    return cid
        return None

    def carriers_in(self, text: str) -> set[str]:
        """Every carrier a text names (longest words first; a shorter word inside a longer one does not count)."""
        s = norm(text)
        covered = [False] * len(s)
        found: set[str] = set()
        for word, cid in self._synonyms:
            if word.isascii():
                continue
            start = s.find(word)
            while start >= 0:
                end = start + len(word)
                if not any(covered[start:end]):
                    found.add(cid)
                    for i in range(start, end):
                        covered[i] = True
                start = s.find(word, end)
        return found

    def label(self, carrier_id: str, lang: str) -> str:
        c = self.carriers[carrier_id]
        return c.zh if lang == "zh" else c.en


@cache
def catalog() -> Catalog:
    return Catalog(datacache.load_yaml(resources_dir() / "carriers.yaml", "carriers"))


_UNITISH = re.compile(r"(瓦|焦|方|升|吨|克|度|米|wh|j$|m3|^t$|^l$|kg|nm)", re.I)
_MAX_UNIT_TAIL = 32  # characters; the longest unit spelling in carriers.yaml is 10
_UNIT_IN_PARENS = re.compile(r"[(（]\s*([^()（）]*?)\s*[)）]")


def split_label(text: str) -> tuple[str, str | None]:
    """Split a header like ``电（万kWh）`` or ``用电量/kWh`` or ``电 kWh`` into (name, unit text or None)."""
    cat = catalog()
    s = fold(str(text)).strip()
    found = list(_UNIT_IN_PARENS.finditer(s))
    m = found[-1] if found else None
    if m is not None:
        inner = m.group(1)
        inner2 = re.sub(r"^(单位|unit)\s*[:：]?\s*", "", inner, flags=re.I)
        name = (s[:m.start()] + s[m.end():]).strip()
        if cat.unit(inner2):
            return name, inner2
        if inner2 and len(inner2) <= 8 and _UNITISH.search(inner2) and not re.search(r"[#\d号区车间线]", inner2):
            return name, inner2  # looks like a unit but is not one we know: reported as unknown
        return s, None
    for sep in ("/", "|", ",", " ", ":", "："):
        if sep in s:
            head, _, tail = s.rpartition(sep)
            if cat.unit(tail) and head.strip():
                return head.strip(), tail.strip()
    # unit glued to the end: 电kWh, 天然气m3 (only the last few characters can be a unit:
    # trying every split of a long text made this quadratic, 27 s for a 40,000-character header)
    for i in range(max(1, len(s) - _MAX_UNIT_TAIL), len(s)):
        tail = s[i:]
        if cat.unit(tail) and not (tail.isascii() and s[i - 1].isascii() and s[i - 1].isalpha()):
            head = s[:i].strip()
            if head and (cat.carrier(head) or cat.role(head)):
                return head, tail
    return s, None


def carrier_choices() -> list[dict]:
    """Carriers for pick lists (the import wizard): id, names, reporting unit and accepted unit spellings."""
    cat = catalog()
    return [{"id": c.id, "zh": c.zh, "en": c.en, "unit": c.unit, "kind": c.kind,
             "units": cat.accepted_units(c.id)} for c in cat.carriers.values()]
