"""Give every series of a sheet its role before anything is summed.

The layout finders produce series; this stage decides which of them add to the factory's
totals, using (in this order) what the user decided (a mapping entry or the workspace's
meter register), what the labels say (:mod:`greendesk.core.meters.roles`) and what the
numbers say:

* on-site PV: generation is a cross-check; self-use = generation − export when only those
  two are written; generation alone is a question;
* two columns for one year (用电量（2025年）| 用电量（2024年）): the other year is a comparison;
* time-of-use components of one meter (尖峰/高峰/平段/低谷) are summed into that meter;
* the same flow in two units (蒸汽 t and GJ): the carrier's reporting unit counts, the other
  is a cross-check;
* cumulative readings that only grow: a cross-check of the usage beside them, or a question;
* hierarchy: two equal series are one flow; a boundary meter (总表) with sub-meters beside it,
  or a series equal to the sum of the others, counts alone and the others are checked against
  it (the difference is 线损/未计量); a series slightly above the sum of several others is a
  question.

A question is an ``error`` issue whose fix names the choice (a role in the import wizard, or
the mapping key ``columns: {KEY: {role: …}}`` on the command line); nothing is summed on a guess.
"""

from __future__ import annotations

import re

from greendesk.core.meters.catalog import catalog
from greendesk.core.meters.model import Series
from greendesk.core.meters.roles import SERIES_ROLES, hierarchy_hint, pv_role, tou_component, year_in_label

# a label that names a usage (用电量, 耗气量, consumption) is never taken for a reading on its numbers alone
_USAGE = re.compile(r"量|消耗|耗用|使用|用电|用水|用气|usage|consum|\buse\b", re.I)

_TOU_ZH = {"sharp": "尖峰", "peak": "高峰", "flat": "平段", "valley": "低谷"}


def _close(a: float, b: float, rel: float = 0.005, floor: float = 0.5) -> bool:
    return abs(a - b) <= max(floor, rel * max(abs(a), abs(b)))


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


class SeriesRoles:
    def __init__(self, an):
        self.an = an
        self.cat = catalog()
        ctx = an.ctx
        self.register: dict = getattr(ctx, "register", None) or {}

    # -- helpers -----------------------------------------------------------------------------
    def where(self, s: Series) -> str:
        col = next((c for c in self.an.res.columns if c.key == s.column), None)
        cell = col.header_cell if col is not None else s.sheet
        return f"{self.an.ctx.file}, {cell}"

    def key_hint(self, s: Series) -> str:
        return s.column or f"{s.sheet}!{s.meter}"

    def question(self, code: str, s: Series, zh: str, en: str, roles: tuple[str, ...]) -> None:
        choices_zh = "、".join(roles)
        key = self.key_hint(s)
        s.asked = True
        self.an.issue("error", code, zh, en, self.where(s),
                      f"在导入向导中为“{s.label or s.meter}”选择角色（{choices_zh}）；命令行下在映射文件中写 "
                      f"columns: {{\"{key}\": {{role: {roles[0]}}}}}。",
                      f"Choose the role of '{s.label or s.meter}' in the import wizard ({', '.join(roles)}); on the "
                      f"command line put columns: {{\"{key}\": {{role: {roles[0]}}}}} in the mapping file.")

    def note(self, code: str, s: Series | None, zh: str, en: str, level: str = "info") -> None:
        self.an.issue(level, code, zh, en, self.where(s) if s is not None else self.an.where())

    # -- entry ----------------------------------------------------------------------------------
    def run(self) -> None:
        series = self.an.res.series
        if not series:
            return
        for s in series:
            if not s.label:
                s.label = s.meter
        self.decided(series)
        free = [s for s in series if s.decided_by == "detected"]
        self.pv(free)
        for s in free:
            if s.carrier == "pv_self_use" and s.role == "boundary":
                s.role = "self_use"      # on-site PV used on site: counted, and named for what it is
        self.other_years(free)
        self.tou(free)
        free = [s for s in self.an.res.series if s.decided_by == "detected" and s.role in ("boundary", "standalone")]
        self.two_units(free)
        self.cumulative(free)
        self.hierarchy([s for s in free if s.role in ("boundary", "standalone")],
                       [s for s in self.an.res.series if s.decided_by != "detected" and s.role == "boundary"])
        self.check_subs()

    def decided(self, series: list[Series]) -> None:
        """Roles the user gave: a mapping entry on the column, or the workspace's meter register."""
        for s in series:
            m = self.an.mapped(s.column.split("!", 1)[-1], s.label) if s.column else None
            role = (m or {}).get("role")
            if role in SERIES_ROLES:
                s.role, s.decided_by = role, "mapping"
                s.parent = (m or {}).get("parent") or s.parent
                s.level = int((m or {}).get("level") or (2 if role == "sub" else 1))
                s.why = "映射文件 / mapping"
                continue
            reg = self.register.get((s.meter, s.carrier))
            if reg and reg.get("set_by") != "import":      # what the import itself recorded is found again
                s.role, s.level, s.parent = reg["role"], int(reg.get("level") or 1), reg.get("parent")
                s.decided_by, s.why = "register", "表计台账 / meter register"

    # -- on-site PV ----------------------------------------------------------------------------
    def pv(self, series: list[Series]) -> None:
        for s in series:
            # 光伏总发电量 reads as "electricity" by its words; PV generation is never grid electricity
            low = s.label.lower()
            if s.carrier == "electricity" and ("光伏" in s.label or "solar" in low or "pv" in low.split()) \
                    and pv_role(s.label) == "generation":
                s.carrier = "pv_self_use"
        gen = [s for s in series if s.carrier == "pv_self_use" and pv_role(s.label) == "generation"]
        if not gen:
            return
        exp = [s for s in self.an.res.series if s.carrier == "pv_export"]
        self_use = [s for s in self.an.res.series if s.carrier == "pv_self_use" and s not in gen]
        for g in gen:
            g.role, g.why = "generation", "光伏发电量只作核对 / PV generation is a cross-check"
        if self_use:
            for g in gen:
                tot = sum(s.total for s in self_use) + sum(s.total for s in exp)
                self.an.check_total(g.total, tot, g.column or g.sheet, g.unit)
                self.note("pv_generation_checked", g,
                          f"“{g.label}”是光伏发电量，只作核对：自用 + 上网 = {_fmt(tot)} kWh，发电量 {_fmt(g.total)} kWh。",
                          f"'{g.label}' is PV generation, a cross-check only: self-use + export = {_fmt(tot)} kWh, "
                          f"generation {_fmt(g.total)} kWh.")
            return
        if len(gen) == 1 and len(exp) == 1:
            g, e = gen[0], exp[0]
            su = Series(g.file, g.sheet, f"{g.meter}（自用=发电−上网）", "pv_self_use", g.unit, g.unit_written, g.factor, g.column,
                        label=f"{g.label} − {e.label}", why="发电量 − 上网电量 / generation − export", role="self_use",
                        made="pv_self_use")
            bad = []
            for k in sorted(g.months):
                x = g.months[k] - e.months.get(k, 0.0)
                if x < -max(0.5, 0.005 * g.months[k]):
                    bad.append(k)
                su.months[k] = max(x, 0.0)
                su.refs[k] = [g.ref(k)] + ([e.ref(k)] if k in e.months else [])
                su.counts[k] = 1
            if bad:
                self.an.issue("error", "pv_export_exceeds", f"{bad[0]} 的光伏上网电量大于发电量。",
                              f"In {bad[0]} PV export is larger than PV generation.",
                              f"{self.an.ctx.file}, {g.ref(bad[0])} / {e.ref(bad[0])}",
                              "核对两列的数据与单位。", "Check both columns and their units.")
            self.an.res.series.append(su)
            self.note("pv_self_use_computed", g,
                      f"光伏自用电量按 发电量 − 上网电量 计算：{_fmt(g.total)} − {_fmt(e.total)} = {_fmt(su.total)} kWh。",
                      f"PV self-use computed as generation − export: {_fmt(g.total)} − {_fmt(e.total)} = "
                      f"{_fmt(su.total)} kWh.")
            return
        for g in gen:
            self.question("pv_generation_only", g,
                          f"“{g.label}”是光伏发电量，表中没有自用电量或上网电量，无法确定自发自用多少。",
                          f"'{g.label}' is PV generation and the sheet has neither self-use nor export: how much "
                          "was used on site cannot be told.", ("self_use", "generation"))

    # -- other years ---------------------------------------------------------------------------
    def other_years(self, series: list[Series]) -> None:
        by_carrier: dict[str, list[tuple[Series, int]]] = {}
        for s in series:
            y = year_in_label(s.label)
            if y:
                by_carrier.setdefault(s.carrier, []).append((s, y))
        for items in by_carrier.values():
            years = {y for _, y in items}
            if len(years) < 2:
                continue
            target = self.an.ctx.year if self.an.ctx.year in years else max(years)
            for s, y in items:
                if y != target:
                    s.role, s.why = "comparison", f"{y} 年的对比数据 / figures of {y}"
                    self.note("skipped_comparison", s,
                              f"“{s.label}”是 {y} 年的数据，本表按 {target} 年导入：不并入，只列出。",
                              f"'{s.label}' holds {y} figures; this sheet is imported as {target}: not merged, "
                              "listed only.")

    # -- time of use ---------------------------------------------------------------------------
    def tou(self, series: list[Series]) -> None:
        groups: dict[tuple, list[tuple[Series, str]]] = {}
        for s in series:
            if s.carrier != "electricity" or s.role not in ("boundary", "standalone"):
                continue
            t = tou_component(s.label)
            if t is not None:
                groups.setdefault((t[1], s.unit, s.factor), []).append((s, t[0]))
        for (base, unit, factor), items in groups.items():
            if len({c for _, c in items}) < 2:
                continue
            first = items[0][0]
            name = base or self.cat.label("electricity", "zh")
            merged = Series(first.file, first.sheet, name, "electricity", unit, first.unit_written, factor,
                            first.column, label=f"{name}（{'+'.join(_TOU_ZH.get(c, c) for _, c in items)}）",
                            why="分时电量之和 / sum of time-of-use components", made="tou_sum")
            for s, _ in items:
                for k, v in s.months.items():
                    merged.months[k] = merged.months.get(k, 0.0) + v
                    merged.refs.setdefault(k, []).extend(s.refs.get(k, []))
                    merged.counts[k] = merged.counts.get(k, 0) + s.counts.get(k, 1)
                s.role, s.why = "cross_check", "分时电量，已并入合计 / time-of-use part, summed"
            for k, r in merged.refs.items():
                if len(r) > 4:
                    merged.refs[k] = r[:3] + ["…"]
            self.an.res.series.append(merged)
            self.note("tou_summed", first,
                      f"分时电量（{'、'.join(s.label for s, _ in items)}）按月相加为“{merged.label}”：{_fmt(merged.total)} kWh。",
                      f"Time-of-use parts ({', '.join(s.label for s, _ in items)}) are summed per month into "
                      f"'{merged.label}': {_fmt(merged.total)} kWh.")

    # -- one flow in two units -----------------------------------------------------------------
    def two_units(self, series: list[Series]) -> None:
        by: dict[str, list[Series]] = {}
        for s in series:
            # 蒸汽热量 (GJ) beside 蒸汽耗量 (t) names the steam's heat: one flow, the same as the steam
            same = "steam" if s.carrier == "heat" and ("蒸汽" in s.label or "steam" in s.label.lower()) else s.carrier
            by.setdefault(same, []).append(s)
        for carrier, items in by.items():
            if len({s.unit for s in items}) < 2:
                continue
            main_unit = self.cat.carriers[carrier].unit
            mains = [s for s in items if s.unit == main_unit] or [items[0]]
            for s in items:
                if s.unit == mains[0].unit:
                    continue
                # one flow written twice (蒸汽 t and GJ): the same meter name, or a steady ratio month by month
                keep = next((m for m in mains if m.meter == s.meter), None)
                if keep is None and carrier == "steam" and s.unit == "GJ":
                    # a steam meter's heat: GJ per tonne steady and within the specific enthalpy of process steam
                    # (about 2.0–3.9 GJ/t); anything else is another meter, counted on its own
                    keep = next((m for m in mains if m.unit == "t" and _steady_ratio(s, m, STEAM_GJ_PER_T)), None)
                if keep is None:
                    continue
                s.role, s.why = "cross_check", f"同一流量的另一单位（{s.unit}）/ the same flow in {s.unit}"
                ratio = s.total / keep.total if keep.total else 0.0
                self.note("same_flow_two_units", s,
                          f"“{s.label}”与“{keep.label}”是同一{self.cat.label(carrier, 'zh')}的两种单位：按 {keep.unit} "
                          f"计入，{s.unit} 只作核对（{ratio:.3g} {s.unit}/{keep.unit}）。",
                          f"'{s.label}' and '{keep.label}' are one {self.cat.label(carrier, 'en')} flow in two units: "
                          f"counted in {keep.unit}, the {s.unit} figure is a cross-check ({ratio:.3g} {s.unit}/"
                          f"{keep.unit}).")

    # -- cumulative readings --------------------------------------------------------------------
    def cumulative(self, series: list[Series]) -> None:
        for s in series:
            keys = sorted(s.months)
            vals = [s.months[k] for k in keys]
            if len(vals) < 6 or vals[-1] <= 0:
                continue
            if not all(b > a for a, b in zip(vals, vals[1:], strict=False)):
                continue
            if (vals[-1] - vals[0]) / vals[-1] >= 0.5:
                continue
            diffs = {keys[i]: vals[i] - vals[i - 1] for i in range(1, len(keys))}
            usage_word = bool(_USAGE.search(s.label))
            sib = None
            for o in series:
                if o is s or o.carrier != s.carrier or o.role not in ("boundary", "standalone"):
                    continue
                common = [k for k in diffs if k in o.months]
                hits = sum(1 for k in common if _close(diffs[k], o.months[k], 0.03))
                if common and hits >= 0.6 * len(common):
                    sib = o
                    break
            if sib is not None:
                s.role, s.why = "cross_check", "表计累计读数 / cumulative meter readings"
                self.note("skipped_reading", s,
                          f"“{s.label}”逐月递增，是表计累计读数（其差值与“{sib.label}”相符），只作核对，不计为用量。",
                          f"'{s.label}' only grows and is a cumulative meter reading (its differences match "
                          f"'{sib.label}'); a cross-check, not counted as usage.")
            elif not usage_word and sorted(diffs.values())[len(diffs) // 2] / vals[-1] < 0.02:
                # numbers alone do not make a question (steady growth exists); said aloud, never silent
                self.an.issue("warning", "looks_cumulative",
                              f"“{s.label}”每月都在增长且变化很小（{_fmt(vals[0])} → {_fmt(vals[-1])}），可能是表计累计读数"
                              "而不是当月用量。", f"'{s.label}' grows every month by little ({_fmt(vals[0])} → "
                              f"{_fmt(vals[-1])}): it may be cumulative meter readings rather than monthly usage.",
                              self.where(s), "如是读数，请在导入向导中把该列设为“读数”（映射 role: current）。",
                              "If these are readings, set the column's role to 'reading' in the import wizard "
                              "(mapping role: current).")

    # -- hierarchy -----------------------------------------------------------------------------
    def hierarchy(self, series: list[Series], chosen: list[Series]) -> None:
        by: dict[tuple[str, str], list[Series]] = {}
        for s in series:
            by.setdefault((s.carrier, s.unit), []).append(s)
        for (carrier, unit), items in by.items():
            mine = [c for c in chosen if c.carrier == carrier and c.unit == unit]
            if len(mine) == 1:
                # the user named this carrier's boundary meter: the other meters beside it are its sub-meters
                self._make_subs(mine[0], items, "user")
                continue
            if len(items) < 2 or carrier in ("pv_export",):
                continue
            items = self._drop_equal(items)
            if len(items) < 2:
                continue
            hints = {id(s): hierarchy_hint(s.meter) or hierarchy_hint(s.label) for s in items}
            bounds = [s for s in items if hints[id(s)] == "boundary"]
            if len(bounds) == 1:
                self._make_subs(bounds[0], [s for s in items if s is not bounds[0]], "name")
                continue
            if bounds:
                continue
            parent = self._sum_parent(items)
            if parent is not None:
                self._make_subs(parent, [s for s in items if s is not parent], "sum")
                continue
            near = self._near_parent(items)
            if near is not None:
                p, share = near
                self.question("ask_parent", p,
                              f"“{p.label}”每月都略大于其余 {len(items) - 1} 块{self.cat.label(carrier, 'zh')}表之和"
                              f"（其余合计为它的 {share:.0%}），像是它们的总表：只计总表，还是各表都计入？",
                              f"'{p.label}' is slightly above the sum of the other {len(items) - 1} "
                              f"{self.cat.label(carrier, 'en')} meters every month (they add up to {share:.0%} of it): "
                              "it looks like their boundary meter. Count it alone, or all of them?",
                              ("boundary", "standalone"))

    def _drop_equal(self, items: list[Series]) -> list[Series]:
        keep: list[Series] = []
        months = {id(s): frozenset(s.months) for s in items}  # (once per series, not once per pair)
        for s in items:
            mine = months[id(s)]
            twin = None
            if mine:
                m0 = min(mine)
                v0 = s.months[m0]
                for k in keep:
                    if months[id(k)] != mine:
                        continue
                    w0 = k.months[m0]  # the first month alone first (most pairs differ there): _close inline
                    if abs(w0 - v0) > max(1e-6, 1e-6 * max(abs(w0), abs(v0))):
                        continue
                    if all(_close(k.months[m], s.months[m], 1e-6, 1e-6) for m in s.months):
                        twin = k
                        break
            if twin is None:
                keep.append(s)
                continue
            merged = [x for x in (s, twin) if x.made == "tou_sum"]
            hinted = [x for x in (s, twin) if hierarchy_hint(x.meter) == "boundary"]
            if s.meter != twin.meter and not merged and len(hinted) != 1:
                # two named meters that read the same every month: likely a copied row, but both are meters
                keep.append(s)
                self.an.issue("warning", "identical_meters",
                              f"“{s.label}”与“{twin.label}”逐月数值完全相同：是否重复录入？两者都已计入。",
                              f"'{s.label}' and '{twin.label}' have the same value in every month: entered twice? "
                              "Both are counted.", self.where(s),
                              "如是同一块表，请删去重复的一行或在导入向导中把其中一个设为“核对”。",
                              "If they are one meter, set one of them to 'cross-check' in the import wizard.")
                continue
            a, b = (s, twin) if hierarchy_hint(s.meter) == "boundary" and hierarchy_hint(twin.meter) != "boundary" \
                else (twin, s)
            if a is s:
                keep[keep.index(twin)] = s
            b.role, b.why = "cross_check", f"与“{a.label}”逐月相同 / equal to '{a.label}'"
            self.note("same_flow_twice", b,
                      f"“{b.label}”与“{a.label}”逐月相同，是同一数据：只计一次（{_fmt(a.total)} {a.unit}）。",
                      f"'{b.label}' equals '{a.label}' in every month: one flow, counted once ({_fmt(a.total)} "
                      f"{a.unit}).")
        return keep

    @staticmethod
    def _month_sums(items: list[Series]) -> tuple[dict[str, float], dict[str, int]]:
        sums: dict[str, float] = {}
        seen: dict[str, int] = {}
        for o in items:
            for k, v in o.months.items():
                sums[k] = sums.get(k, 0.0) + v
                seen[k] = seen.get(k, 0) + 1
        return sums, seen

    def _sum_parent(self, items: list[Series]) -> Series | None:
        """A series equal to the sum of all the others in every month they share (one pass: sum − itself)."""
        if len(items) < 3:
            return None
        sums, seen = self._month_sums(items)
        n = len(items)
        for p in items:
            common = [k for k in p.months if seen.get(k) == n]
            if len(common) < min(3, len(p.months)) or not common:
                continue
            if all(_close(p.months[k], sums[k] - p.months[k]) for k in common):
                return p
        return None

    def _near_parent(self, items: list[Series]) -> tuple[Series, float] | None:
        if len(items) < 3:
            return None
        sums, seen = self._month_sums(items)
        n = len(items)
        for p in sorted(items, key=lambda s: -s.total):
            common = [k for k in p.months if seen.get(k) == n and p.months[k] > 0]
            if len(common) < 3:
                continue
            shares = [(sums[k] - p.months[k]) / p.months[k] for k in common]
            if all(0.85 <= x < 1.0 for x in shares):
                return p, sum(shares) / len(shares)
        return None

    def _make_subs(self, parent: Series, subs: list[Series], by: str) -> None:
        if by != "user":
            parent.role, parent.level = "boundary", 1
            parent.why = ("总表（名称）/ boundary meter (name)" if by == "name"
                          else "等于其余各表之和 / equals the sum of the others")
        for s in subs:
            s.role, s.level, s.parent = "sub", 2, parent.meter
            s.why = f"“{parent.meter}”的分表 / sub-meter of '{parent.meter}'"
        names = "、".join(s.label for s in subs)
        if by in ("name", "user"):
            zh = f"“{parent.label}”是一级总表，{names} 作为它的分表只作核对，不重复计入。"
            en = (f"'{parent.label}' is the boundary meter; {', '.join(s.label for s in subs)} are its sub-meters, "
                  "checked against it and not added on top.")
        else:
            zh = f"“{parent.label}”逐月等于 {names} 之和：只计“{parent.label}”，其余作为分表核对。"
            en = (f"'{parent.label}' equals the sum of {', '.join(s.label for s in subs)} in every month: it is counted "
                  "and the others are checked against it as sub-meters.")
        self.note("sub_meters", parent, zh, en)

    def check_subs(self) -> None:
        """Sub-meters against their parent in the same sheet: the difference is 线损/未计量."""
        series = self.an.res.series
        for p in series:
            subs = [s for s in series if s.role == "sub" and s.parent == p.meter and s.carrier == p.carrier
                    and s.unit == p.unit]
            if not subs or not p.counted or not p.total:
                continue
            sub_total = sum(s.total for s in subs)
            loss = p.total - sub_total
            share = loss / p.total
            over = [k for k in p.months if sum(s.months.get(k, 0.0) for s in subs) > p.months[k] * 1.02 + 0.5]
            self.an.res.totals.append({"where": p.column or p.sheet, "file_total": p.total, "rows_total": sub_total,
                                       "unit": p.unit, "ok": not over, "kind": "sub_meters"})
            if over:
                self.an.issue("warning", "subs_exceed_parent",
                              f"{over[0]} 分表之和大于总表“{p.label}”：分表或总表有误。",
                              f"In {over[0]} the sub-meters add up to more than the boundary meter '{p.label}': one of "
                              "them is wrong.", self.where(p), "核对分表与总表的读数和倍率。",
                              "Check the readings and multipliers of the sub-meters and the boundary meter.")
            else:
                self.note("line_loss", p,
                          f"“{p.label}”与分表之和的差（线损/未计量）：{_fmt(loss)} {p.unit}（{share:.1%}）。",
                          f"Difference between '{p.label}' and its sub-meters (line loss / unmetered): {_fmt(loss)} "
                          f"{p.unit} ({share:.1%}).")


# specific enthalpy of industrial steam, saturated to superheated: a physical range, not a standard's figure
STEAM_GJ_PER_T = (2.0, 3.9)


def _steady_ratio(a: Series, b: Series, band: tuple[float, float]) -> bool:
    common = [k for k in a.months if k in b.months and b.months[k] > 0 and a.months[k] > 0]
    if len(common) < 3:
        return False
    r = [a.months[k] / b.months[k] for k in common]
    mean = sum(r) / len(r)
    return band[0] <= mean <= band[1] and max(abs(x - mean) for x in r) <= 0.05 * mean


def assign(an) -> None:
    SeriesRoles(an).run()
