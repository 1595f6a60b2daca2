"""Energy-consumption quota standards (单位产品能源消耗限额): the data pack and the workspace's own entries.

``resources/quotas/*.yaml`` lists products with their quota standard, grade 1/2/3 values, unit,
source and certainty, read strictly (``file:line`` errors through :mod:`greendesk.core.safe_yaml`).
A grade the public record does not give is absent and the entry is ``uncertain``; a user or an
evaluator adds a product's values to the workspace (schema 4 table ``quotas``, with who, when and
the source), and an entry of the workspace with the id of a pack entry completes it.

How the grades reach the score (引领值 = grade 1, 基准值 = grade 2): :mod:`greendesk.core.quota_apply`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from greendesk.core.datacheck import check_id, check_keys, fail
from greendesk.core.errors import UserError
from greendesk.core.i18n import pick
from greendesk.core.paths import resources_dir
from greendesk.core.safe_yaml import LMap, load_yaml_text
from greendesk.core.textsafety import control_char

CERTAINTIES = ("confirmed", "secondary", "uncertain")
GRADES = ("grade1", "grade2", "grade3")
SETTING_USED = "quota.products"     # quota ids the factory's products fall under (chosen by the user)
_ID = re.compile(r"^[a-z][a-z0-9_\-]{0,62}$")
_TOP = {"source_notes", "targets", "quotas"}
_ENTRY = {"id", "product", "aliases", "standard", "unit", "source", "certainty", "note", "maintainer_note", *GRADES}
_ENTRY_REQUIRED = {"id", "product", "standard", "unit", "source", "certainty"}
_TARGET = {"scheme", "indicator", "rows", "name_column", "standard_column", "grade1_column", "grade2_column"}


@dataclass(frozen=True)
class Quota:
    id: str
    product: dict                      # {zh, en}
    standard: str | None
    unit: str
    source: str
    certainty: str                     # confirmed | secondary | uncertain | user
    grade1: float | None = None
    grade2: float | None = None
    grade3: float | None = None
    aliases: tuple[str, ...] = ()
    note: dict | None = None
    origin: str = "data"               # data (the pack) | workspace
    file: str = ""
    set_by: str | None = None
    set_at: str | None = None

    def name(self, lang: str | None = None) -> str:
        return pick(self.product, lang)

    @property
    def usable(self) -> bool:
        """Both grades the score needs are known."""
        return self.grade1 is not None and self.grade2 is not None

    def names(self) -> set[str]:
        return {_norm(x) for x in (self.product.get("zh"), self.product.get("en"), *self.aliases) if x}

    def public(self, lang: str | None = None) -> dict:
        return {"id": self.id, "product": self.name(lang), "standard": self.standard, "unit": self.unit,
                "grade1": self.grade1, "grade2": self.grade2, "grade3": self.grade3, "source": self.source,
                "certainty": self.certainty, "origin": self.origin, "aliases": list(self.aliases),
                "note": pick(self.note, lang) if self.note else None, "set_by": self.set_by, "set_at": self.set_at,
                "usable": self.usable}


@dataclass(frozen=True)
class Target:
    scheme: str
    indicator: str | None = None
    rows: str | None = None
    columns: dict = field(default_factory=dict)   # name, standard, grade1, grade2 -> column id


@dataclass(frozen=True)
class Pack:
    quotas: tuple[Quota, ...]
    targets: tuple[Target, ...]


def _norm(s: str) -> str:
    return re.sub(r"[\s（）()]", "", str(s)).lower()


def _pair(file: str, node: LMap, k: str, where: str) -> dict:
    v = node[k]
    if not isinstance(v, dict) or set(v) - {"zh", "en"} or not all(isinstance(v.get(x), str) and v[x].strip()
                                                                    for x in ("zh", "en")):
        raise fail(file, node, f"{where}.{k}", "must be {zh: text, en: text}, both given",
                    "应为 {zh: 中文, en: 英文}，两者都要填写", k)
    return {"zh": v["zh"].strip(), "en": v["en"].strip()}


def _text(file: str, node: LMap, k: str, where: str) -> str:
    v = node[k]
    if not isinstance(v, str) or not v.strip():
        raise fail(file, node, f"{where}.{k}", "must be text", "应为文本", k)
    return v.strip()


def check_grades(g1, g2, g3, *, where: str = "") -> None:
    """Grades are non-negative and ordered (a quota is an upper limit: grade 1 is the strictest)."""
    pre_zh, pre_en = (f"{where}：", f"{where}: ") if where else ("", "")
    vals = [("1", g1), ("2", g2), ("3", g3)]
    for n, v in vals:
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v < 0
                              or v in (float("inf"),)):
            raise UserError(f"{pre_zh}{n} 级限额应为非负数值。", f"{pre_en}grade {n} must be a non-negative number.")
    given = [(n, float(v)) for n, v in vals if v is not None]
    for (n1, v1), (n2, v2) in zip(given, given[1:], strict=False):
        if v1 > v2:
            raise UserError(f"{pre_zh}{n1} 级（{v1:g}）不能大于 {n2} 级（{v2:g}）：能耗限额越低越严格，1 级最严。",
                            f"{pre_en}grade {n1} ({v1:g}) cannot exceed grade {n2} ({v2:g}): a quota is an upper "
                            "limit and grade 1 is the strictest.")


def parse_pack(text: str, file: str) -> Pack:
    """One pack file from its YAML text; ``file`` names it in errors."""
    data = load_yaml_text(text, file)
    check_keys(file, data, _TOP, {"source_notes", "quotas"}, "")
    _pair(file, data, "source_notes", "")
    out: list[Quota] = []
    seen: dict[str, int] = {}
    items = data["quotas"]
    if not isinstance(items, list):
        raise fail(file, data, "quotas", "must be a list", "应为列表", "quotas")
    for i, q in enumerate(items):
        where = f"quotas[{i + 1}]"
        check_keys(file, q, _ENTRY, _ENTRY_REQUIRED, where)
        qid = check_id(file, q, where, seen, i + 1, _ID, ("a-z", "0-9", "_", "-"))
        where = f"quotas.{qid}"
        cert = q["certainty"]
        if cert not in CERTAINTIES:
            raise fail(file, q, f"{where}.certainty", f"must be one of {', '.join(CERTAINTIES)}",
                        f"应为 {', '.join(CERTAINTIES)} 之一", "certainty")
        grades = {}
        for g in GRADES:
            v = q.get(g)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                raise fail(file, q, f"{where}.{g}", "must be a number (or left out when not known)",
                            "应为数值（未知时不写）", g)
            grades[g] = None if v is None else float(v)
        if cert != "uncertain" and (grades["grade1"] is None or grades["grade2"] is None):
            raise fail(file, q, f"{where}.certainty", "an entry without grade 1 and grade 2 values must be uncertain",
                        "缺少 1 级和 2 级数值的条目必须标为 uncertain", "certainty")
        try:
            check_grades(*grades.values())
        except UserError as e:
            raise fail(file, q, f"{where}.grade1", e.en, e.zh, "grade1") from None
        aliases = q.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise fail(file, q, f"{where}.aliases", "must be a list of product names", "应为产品名称列表", "aliases")
        standard = q["standard"]
        if standard is not None and (not isinstance(standard, str) or not standard.strip()):
            raise fail(file, q, f"{where}.standard", "must be the standard's number", "应为标准编号", "standard")
        out.append(Quota(id=qid, product=_pair(file, q, "product", where), standard=standard, unit=_text(file, q, "unit", where),
                         source=_text(file, q, "source", where), certainty=cert, aliases=tuple(a.strip() for a in aliases),
                         note=_pair(file, q, "note", where) if "note" in q else None, file=file, **grades))
    targets = []
    for i, tn in enumerate(data.get("targets") or []):
        where = f"targets[{i + 1}]"
        check_keys(file, tn, _TARGET, {"scheme"}, where)
        if ("indicator" in tn) == ("rows" in tn):
            raise fail(file, tn, where, "give either indicator or rows", "请给出 indicator 或 rows 之一", "scheme")
        cols = {k[:-7]: tn[k] for k in ("name_column", "standard_column", "grade1_column", "grade2_column") if k in tn}
        if "rows" in tn and not {"grade1", "grade2"} <= set(cols):
            raise fail(file, tn, f"{where}.grade1_column", "rows targets need grade1_column and grade2_column",
                        "rows 目标需要 grade1_column 和 grade2_column", "rows")
        targets.append(Target(scheme=str(tn["scheme"]), indicator=tn.get("indicator"), rows=tn.get("rows"), columns=cols))
    return Pack(tuple(out), tuple(targets))


def load_pack(folder: Path | None = None) -> Pack:
    """Every ``*.yaml`` of the folder (default ``resources/quotas``), in file-name order; ids are unique across files."""
    folder = folder or resources_dir() / "quotas"
    quotas: list[Quota] = []
    targets: list[Target] = []
    where: dict[str, str] = {}
    for p in sorted(folder.glob("*.yaml")):
        pack = parse_pack(p.read_text(encoding="utf-8"), p.name)
        for q in pack.quotas:
            if q.id in where:
                raise UserError(f"{p.name}：能耗限额“{q.id}”已在 {where[q.id]} 中定义。",
                                f"{p.name}: quota '{q.id}' is already defined in {where[q.id]}.", where=p.name)
            where[q.id] = p.name
            quotas.append(q)
        targets.extend(pack.targets)
    return Pack(tuple(quotas), tuple(targets))


@cache
def bundled() -> Pack:
    return load_pack()


# -- the workspace's entries ---------------------------------------------------------------------------

def all_quotas(ws=None, pack: Pack | None = None) -> list[Quota]:
    """The pack's entries, each completed or replaced by the workspace's entry of the same id, then the
    workspace's own products."""
    pack = pack or bundled()
    mine = {r["id"]: r for r in (ws.quotas() if ws is not None else [])}
    out = []
    for q in pack.quotas:
        r = mine.pop(q.id, None)
        out.append(q if r is None else _from_row(r, base=q))
    out.extend(_from_row(r) for r in mine.values())
    return out


def _from_row(r: dict, base: Quota | None = None) -> Quota:
    kw = {"grade1": r["grade1"], "grade2": r["grade2"], "grade3": r["grade3"], "source": r["source"],
          "certainty": "user", "origin": "workspace", "set_by": r["set_by"], "set_at": r["set_at"], "file": "",
          "unit": r["unit"], "standard": r["standard"] or (base.standard if base else None)}
    if r.get("note"):
        kw["note"] = {"zh": r["note"], "en": r["note"]}
    if base is not None:
        return replace(base, **kw)
    return Quota(id=r["id"], product={"zh": r["product"], "en": r["product"]}, **kw)


def get(ws, quota_id: str) -> Quota:
    for q in all_quotas(ws):
        if q.id == quota_id:
            return q
    raise UserError(f"没有能耗限额条目“{quota_id}”；请按能耗限额列表中的条目标识填写。",
                    f"No quota entry '{quota_id}'; use an id from the list of energy quotas.")


def add(ws, quota_id: str, *, source: str, grade1: float, grade2: float, grade3: float | None = None,
        product: str | None = None, unit: str | None = None, standard: str | None = None, note: str | None = None,
        set_by: str | None = None) -> Quota:
    """Store a product's grades in the workspace (a pack entry's id completes it). Checked before anything is stored."""
    if not isinstance(quota_id, str) or not _ID.match(quota_id):
        raise UserError(f"标识“{quota_id}”应为小写字母开头的 a-z、0-9、_、-。",
                        f"The id '{quota_id}' must start with a lower-case letter and use a-z, 0-9, _ and - only.")
    base = next((q for q in bundled().quotas if q.id == quota_id), None)
    for zh, en, text in (("来源", "source", source), ("产品名称", "product", product), ("单位", "unit", unit),
                         ("标准编号", "standard", standard), ("备注", "note", note), ("填写人", "set by", set_by)):
        if text and (bad := control_char(text)):
            raise UserError(f"{zh}：文本含控制字符 {bad}；请删除后再试。", f"{en}: the text contains {bad}; remove it.")
    if not (source or "").strip():
        raise UserError("请写明限额数值的来源（标准编号与条款，或评价机构）。",
                        "Give the source of the values (the standard and clause, or the evaluator).")
    if grade1 is None or grade2 is None:
        raise UserError("请给出 1 级和 2 级限额值（引领值 = 1 级，基准值 = 2 级）。",
                        "Give the grade 1 and grade 2 values (引领值 = grade 1, 基准值 = grade 2).")
    check_grades(grade1, grade2, grade3)
    product = (product or "").strip() or (base.name("zh") if base else "")
    unit = (unit or "").strip() or (base.unit if base else "")
    if not product:
        raise UserError("请写明产品名称。", "Give the product's name.")
    if not unit:
        raise UserError("请写明限额的单位，如 kgce/t。", "Give the quota's unit, e.g. kgce/t.")
    if base is not None and unit.replace(" ", "") != base.unit.replace(" ", ""):
        raise UserError(f"{quota_id} 的单位是 {base.unit}，请换算后再填写（不能用 {unit}）。",
                        f"{quota_id} is in {base.unit}; convert the values (not {unit}).")
    ws.set_quota(quota_id, product=product, unit=unit, source=source.strip(), standard=(standard or "").strip() or None,
                 grade1=float(grade1), grade2=float(grade2), grade3=None if grade3 is None else float(grade3),
                 note=(note or "").strip() or None, set_by=set_by)
    return get(ws, quota_id)


def remove(ws, quota_id: str) -> None:
    """Remove the workspace's entry (a pack entry goes back to its data-file state)."""
    if not ws.remove_quota(quota_id):
        if any(q.id == quota_id for q in bundled().quotas):
            raise UserError(f"“{quota_id}”是随程序提供的条目，本工作区没有为它填写数值，无需删除。",
                            f"'{quota_id}' is a bundled entry with no values of this workspace: nothing to remove.")
        raise UserError(f"本工作区没有能耗限额条目“{quota_id}”。", f"This workspace has no quota entry '{quota_id}'.")


USED_MAX = 3


def use(ws, ids: list[str]) -> list[str]:
    """Store which entries the factory's products fall under (at most 3: the top 3 products by energy use);
    [] goes back to matching by product name. An unknown id is refused before anything is stored."""
    ids = list(dict.fromkeys(ids))
    if len(ids) > USED_MAX:
        raise UserError(f"最多 {USED_MAX} 种产品（按综合能耗取前 {USED_MAX} 种）。",
                        f"{USED_MAX} products at most (the top {USED_MAX} by energy use).")
    for i in ids:
        get(ws, i)
    ws.set_setting(SETTING_USED, ids)
    return ids


def used(ws) -> list[str]:
    v = ws.setting(SETTING_USED) or []
    return [x for x in v if isinstance(x, str)] if isinstance(v, list) else []


def matching(ws, quotas: list[Quota] | None = None) -> dict[str, list[str]]:
    """Quota id -> the factory's production products whose names match its product or aliases."""
    quotas = quotas if quotas is not None else all_quotas(ws)
    products = {r[0] for r in ws.conn.execute("SELECT DISTINCT product FROM production WHERE product != ''")}
    out: dict[str, list[str]] = {}
    for q in quotas:
        hit = sorted(p for p in products if _norm(p) in q.names())
        if hit:
            out[q.id] = hit
    return out
