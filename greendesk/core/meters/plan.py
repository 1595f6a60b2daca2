"""Two-phase import: :func:`analyse` files into an :class:`ImportPlan`, then :func:`commit` it.

Both run off the GUI thread. ``progress(fraction, message)`` is called now and
then; ``cancel`` (a callable or a ``threading.Event``) is polled, and a
cancelled run raises :class:`~greendesk.core.errors.Cancelled` having written nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from greendesk.core.errors import Cancelled, UserError
from greendesk.core.gcpause import gc_paused
from greendesk.core.i18n import t
from greendesk.core.meters import layouts, quality, register
from greendesk.core.meters.catalog import catalog
from greendesk.core.meters.cells import DUP_FIX_EN, DUP_FIX_ZH
from greendesk.core.meters.detect import Context, SheetResult, analyse_sheet
from greendesk.core.meters.model import Issue, Series, finite
from greendesk.core.meters.reader import Sheet, check_size, read_file
from greendesk.core.meters.roles import SERIES_ROLES
from greendesk.core.meters.values import parse_period


def _is_cancelled(cancel) -> bool:
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return bool(cancel.is_set())
    return bool(cancel())


def _check(cancel) -> None:
    if _is_cancelled(cancel):
        raise Cancelled()


def _progress(progress, f: float, msg: str) -> None:
    if progress is not None:
        progress(max(0.0, min(1.0, f)), msg)


@dataclass
class FilePlan:
    path: str
    name: str
    sha256: str
    size: int
    encoding: str | None = None
    sheets: list[SheetResult] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)     # merged across sheets
    issues: list[Issue] = field(default_factory=list)      # file-level (duplicates across sheets, quality)
    _grids: list[Sheet] = field(default_factory=list, repr=False)
    layout_key: str | None = None
    saved_layout: dict | None = None          # what the user settled for this layout in an earlier import
    assessment_years: frozenset = frozenset()  # years with an assessment (a known layout's other year goes there)
    # series index -> months already counted from an earlier file (the same meter, equal wherever they overlap)
    cross_duplicates: dict[int, set[str]] = field(default_factory=dict, repr=False)

    def all_issues(self) -> list[Issue]:
        return [i for s in self.sheets for i in s.issues] + self.issues

    def totals(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for s in self.series:
            if not s.counted:
                continue
            key = s.carrier if s.unit == catalog().carriers[s.carrier].unit else f"{s.carrier}:{s.unit}"
            d = out.setdefault(key, {"carrier": s.carrier, "unit": s.unit, "total": 0.0, "meters": 0})
            d["total"] += s.total
            d["meters"] += 1
        for d in out.values():
            d["total"] = finite(d["total"])
        return out

    def to_dict(self, *, preview: bool = True) -> dict:
        sheets = []
        for s in self.sheets:
            d = s.to_dict()
            d.pop("series", None)
            if not preview:
                d.pop("preview", None)
            sheets.append(d)
        return {"file": self.name, "path": self.path, "sha256": self.sha256, "size": self.size,
                "encoding": self.encoding, "sheets": sheets, "series": [s.to_dict() for s in self.series],
                "totals": self.totals(), "issues": [i.to_dict() for i in self.all_issues()],
                "checks": quality.summarize(self.all_issues())}


@dataclass
class ImportPlan:
    files: list[FilePlan]
    year: int | None = None
    mapping: dict = field(default_factory=dict)
    register: dict = field(default_factory=dict, repr=False)   # the workspace's meter register at analysis

    @property
    def issues(self) -> list[Issue]:
        return [i for f in self.files for i in f.all_issues()]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def records(self) -> list[tuple[str, str, str, str, float, str]]:
        """(meter, carrier, unit, period, value, source_ref) for every stored monthly value."""
        out = []
        for f in self.files:
            for s in f.series:
                if not s.stored:
                    continue
                for k in sorted(s.months):
                    out.append((s.meter, s.carrier, s.unit, k, s.months[k], s.ref(k)))
        return out

    def totals(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for f in self.files:
            for k, d in f.totals().items():
                o = out.setdefault(k, {"carrier": d["carrier"], "unit": d["unit"], "total": 0.0, "meters": 0})
                o["total"] = finite((o["total"] or 0.0) + (d["total"] or 0.0))
                o["meters"] += d["meters"]
            for i, months in f.cross_duplicates.items():    # counted once, in the earlier file
                sr = f.series[i]
                if not sr.counted:
                    continue
                k = sr.carrier if sr.unit == catalog().carriers[sr.carrier].unit else f"{sr.carrier}:{sr.unit}"
                out[k]["total"] = finite((out[k]["total"] or 0.0) - sum(sr.months[m] for m in months))
        return out

    # -- editing (the wizard) ------------------------------------------------------------------
    def set_column(self, key: str, *, carrier: str | None = None, unit: str | None = None,
                   meter: str | None = None, ignore: bool = False, file: str | None = None,
                   role: str | None = None, parent: str | None = None) -> None:
        """Change what a column (``"Sheet!C"``) or row (``"Sheet!5"``) holds, then re-derive the plan."""
        if carrier is not None and carrier != "ignore" and carrier not in catalog().carriers:
            raise UserError(f"未知的能源品种：{carrier}", f"Unknown carrier: {carrier}")
        if unit is not None and catalog().unit(unit) is None:
            raise UserError(f"未知的单位：{unit}。可用单位：{'、'.join(catalog().accepted_units())}",
                            f"Unknown unit: {unit}. Accepted units: {', '.join(catalog().accepted_units())}")
        cols = self.mapping.setdefault("columns", {})
        k = f"{file}:{key}" if file else key
        entry = dict(cols.get(k) or {})
        if ignore:
            entry = {"ignore": True}
        else:
            entry.pop("ignore", None)
            if role is not None and role not in _MAPPING_ROLES:
                raise UserError(f"未知的角色：{role}", f"Unknown role: {role}")
            for name, v in (("carrier", carrier), ("unit", unit), ("meter", meter), ("role", role),
                            ("parent", parent)):
                if v is not None:
                    entry[name] = v
        cols[k] = entry
        self.rederive()

    def set_sheet(self, sheet: str, *, skip: bool | None = None, header_row: int | None = None,
                  units_row: int | None = None) -> None:
        """Skip a sheet, or say which 1-based rows hold its header and units; then re-derive."""
        entry = self.mapping.setdefault("sheets", {}).setdefault(sheet, {})
        for name, v in (("skip", skip), ("header_row", header_row), ("units_row", units_row)):
            if v is not None:
                entry[name] = v
        self.rederive()

    def set_year(self, year: int | None) -> None:
        self.year = year
        self.rederive()

    def rederive(self, progress=None, cancel=None) -> None:
        for i, f in enumerate(self.files):
            _check(cancel)
            _analyse_grids(f, self.year, self.mapping, cancel, register=self.register)
            _progress(progress, (i + 1) / len(self.files), f.name)
        _cross_file(self.files)

    def to_dict(self, *, preview: bool = True) -> dict:
        return {"year": self.year, "ok": self.ok, "mapping": self.mapping,
                "files": [f.to_dict(preview=preview) for f in self.files],
                "totals": self.totals(), "records": len(self.records()),
                "issues": [i.to_dict() for i in self.issues],
                "checks": quality.summarize(self.issues)}


@dataclass
class ImportSummary:
    imports: list[dict]          # {"id", "file", "sha256", "readings", "replaced"}
    readings: int
    totals: dict
    issues: list[Issue]

    def to_dict(self) -> dict:
        return {"imports": self.imports, "readings": self.readings, "totals": self.totals,
                "issues": [i.to_dict() for i in self.issues]}


# -- analyse -----------------------------------------------------------------------------------

def load_mapping(path: str | Path | None) -> dict:
    if path is None:
        return {}
    p = Path(path)
    from greendesk.core.safe_yaml import YamlError, decode_utf8, load_json_text, load_yaml_text

    try:
        if p.stat().st_size > 5 * 1024 * 1024:      # a mapping is a few lines; a huge file is not one
            raise UserError(f"映射文件 {p.name} 过大（超过 5 MB），不是映射文件。",
                            f"Mapping file {p.name} is too large (over 5 MB) to be a mapping.")
        raw = p.read_bytes()
    except OSError as e:
        raise UserError(f"无法读取映射文件 {p}：{e.strerror}", f"Cannot read mapping file {p}: {e.strerror}") from e
    try:
        # one hostile-proof reader for every YAML/JSON file (aliases, nesting, huge numbers, control characters)
        text = decode_utf8(raw, p.name)
        data = load_json_text(text, p.name) if p.suffix.lower() == ".json" else load_yaml_text(text, p.name,
                                                                                                 empty_ok=True)
    except YamlError as e:
        raise UserError(f"映射文件 {e.where}：{e.zh}", f"Mapping file {e.where}: {e.en}") from None
    if not isinstance(data, dict):
        raise UserError(f"映射文件 {p.name} 应为键值结构。", f"Mapping file {p.name} must be a mapping.")
    _check_mapping(p.name, data)
    return data


_MAPPING_KEYS = {"year", "columns", "series", "sheets"}
_MAPPING_COLUMN_KEYS = {"carrier", "unit", "meter", "ignore", "role", "parent", "level"}
_MAPPING_SHEET_KEYS = {"skip", "header_row", "units_row", "summary", "include_hidden"}
# column roles (what a column holds) and series roles (whether a series counts: boundary, sub, …)
_MAPPING_ROLES = {"period", "year", "meter", "carrier", "unit", "value", "previous", "current", "multiplier",
                  "ignore", *SERIES_ROLES}


def _check_mapping(name: str, data: dict) -> None:
    """Refuse keys the importer does not read: a misspelt override would otherwise be silently ignored."""
    def fail(path: str, zh: str, en: str):
        raise UserError(f"映射文件 {name}：{path}：{zh}", f"Mapping file {name}: {path}: {en}")

    def keys(path: str, d, allowed: set[str]) -> None:
        if not isinstance(d, dict):
            fail(path, "此处应为键值结构", "expected a mapping (key: value)")
        for k in d:
            if str(k) not in allowed:
                fail(f"{path}.{k}" if path else str(k), f"未知的键；可用：{', '.join(sorted(allowed))}",
                     f"unknown key; allowed keys: {', '.join(sorted(allowed))}")

    keys("", data, _MAPPING_KEYS)
    for top in ("columns", "series"):
        cols = data.get(top)
        if cols is None:
            continue
        keys(top, cols, set(map(str, cols)) if isinstance(cols, dict) else set())
        for col, entry in cols.items():
            keys(f"{top}.{col}", entry or {}, _MAPPING_COLUMN_KEYS)
            role = (entry or {}).get("role")
            if role is not None and role not in _MAPPING_ROLES:
                fail(f"{top}.{col}.role", f"“{role}”不是可用的列角色；可用：{', '.join(sorted(_MAPPING_ROLES))}",
                     f"'{role}' is not a column role; use one of: {', '.join(sorted(_MAPPING_ROLES))}")
    sheets = data.get("sheets")
    if sheets is not None:
        keys("sheets", sheets, set(map(str, sheets)) if isinstance(sheets, dict) else set())
        for sheet, entry in sheets.items():
            keys(f"sheets.{sheet}", entry or {}, _MAPPING_SHEET_KEYS)


@gc_paused  # (read_child: the objects made here stay alive until the end)
def analyse(paths, *, year: int | None = None, mapping: dict | str | Path | None = None,
            progress: Callable[[float, str], None] | None = None, cancel=None, ws=None) -> ImportPlan:
    """Read and understand ledger files; nothing is written anywhere.

    With ``ws`` the workspace's meter register decides the roles of known meters, and a layout
    settled in an earlier import is applied again (said in an info issue).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    seen_paths: set[Path] = set()
    unique = []
    for p in paths:         # the same file named twice (a.xlsx ./a.xlsx) is read once
        r = Path(p).resolve()
        if r not in seen_paths:
            seen_paths.add(r)
            unique.append(p)
    paths = unique
    if not isinstance(mapping, dict):
        mapping = load_mapping(mapping)
    if mapping.get("year") and year is None:
        year = int(mapping["year"])
    reg = register.lookup(ws)
    files = []
    n = len(paths)
    for i, p in enumerate(paths):
        _check(cancel)
        p = Path(p)
        _progress(progress, i / n, t("读取 {f}", "Reading {f}", f=p.name))
        try:
            check_size(p)           # an oversized file is refused by its size, before its bytes are read
            data = p.read_bytes()
        except FileNotFoundError:
            raise UserError(f"找不到文件：{p}", f"File not found: {p}") from None
        except OSError as e:
            raise UserError(f"无法读取 {p}：{e.strerror}", f"Cannot read {p}: {e.strerror}") from e
        # the file's SHA-256 is worked out while the child process reads the sheets (this one waits then)
        hashed: dict = {}
        grids = read_file(p, data, beside=lambda d=data, h=hashed: h.setdefault("sha", hashlib.sha256(d).hexdigest()))
        sha = hashed.get("sha") or hashlib.sha256(data).hexdigest()
        del data
        fp = FilePlan(str(p.resolve()), p.name, sha, p.stat().st_size, getattr(grids[0], "encoding", None) if grids else None,
                      _grids=grids)
        _check(cancel)
        _progress(progress, (i + 0.5) / n, t("识别 {f}", "Analysing {f}", f=p.name))
        _analyse_grids(fp, year, mapping, cancel,
                       lambda f, msg, i=i: _progress(progress, (i + 0.5 + 0.5 * f) / n, msg), register=reg)
        fp.layout_key = layouts.layout_key(fp.sheets)
        known = layouts.saved(ws, fp.layout_key)
        if known is not None:
            fp.saved_layout = known
            fp.assessment_years = frozenset(int(a["year"]) for a in ws.assessments())
            _analyse_grids(fp, year, mapping, cancel, register=reg)
        files.append(fp)
    # the same meter in two files
    _cross_file(files)
    _progress(progress, 1.0, t("完成", "Done"))
    return ImportPlan(files, year, mapping, reg)


def _analyse_grids(fp: FilePlan, year: int | None, mapping: dict, cancel=None, progress=None,
                   register: dict | None = None) -> None:
    if fp.saved_layout is not None:
        mapping = layouts.merge(mapping, fp.saved_layout["mapping"])
    ctx = Context(fp.name, year, mapping, register=register or {})
    fp.sheets = []
    for k, sheet in enumerate(fp._grids):
        _check(cancel)
        if progress is not None:
            progress(k / len(fp._grids), t("识别 {f}：{s}", "Analysing {f}: {s}", f=fp.name, s=sheet.name))
        fp.sheets.append(analyse_sheet(sheet, ctx))
    fp.issues = []
    fp.cross_duplicates = {}
    if fp.saved_layout is not None:
        k = fp.saved_layout
        fp.issues.append(Issue("info", "layout_recognised",
                               f"表格格式与 {k['saved_at'][:10]} 导入的 {k['file']} 相同，沿用当时确认的设置。",
                               f"Layout recognised from an earlier import ({k['file']}, {k['saved_at'][:10]}); the "
                               "settings confirmed then are used again.", fp.name))
    hidden = getattr(fp._grids[0], "hidden", None) if fp._grids else None
    if hidden:
        fp.issues.append(Issue("info", "hidden_sheets", f"隐藏的工作表未读取：{'、'.join(hidden)}。",
                               f"Hidden sheets were not read: {', '.join(hidden)}.", fp.name))
    _summary_sheets(fp, mapping)
    fp.series = _merge(fp, [s for r in fp.sheets for s in r.series])
    _check_summaries(fp)
    if not fp.series and not any(i.level == "error" for i in fp.all_issues()):
        fp.issues.append(Issue("error", "nothing_found", "文件中没有识别到任何能源或水的数据。",
                               "No energy or water data was recognised in the file.", fp.name,
                               "检查表头（能源名称、单位、月份），或在导入向导中指定（或写入映射文件）列。",
                               "Check the headers (carrier names, units, months), or map the columns in the import wizard (or a mapping file)."))
    if year is not None and fp.series and not any(k.startswith(f"{year}-") for s in fp.series for k in s.months):
        found = sorted({k[:4] for s in fp.series for k in s.months})
        if fp.saved_layout is not None and all(int(y) in fp.assessment_years for y in found):
            # a new year's ledger of a known layout: its months go to that year's assessment (meters.routing)
            fp.issues.append(Issue("info", "other_year_routed",
                                   f"格式已知的 {'、'.join(found)} 年台账：导入到 {'、'.join(found)} 年的评价。",
                                   f"A {', '.join(found)} ledger of a known layout: it goes to the "
                                   f"{', '.join(found)} assessment.", fp.name))
            found = []
        # a question, not a warning: the ledger's figures would land in another year than the assessment's
        if found:
            fp.issues.append(Issue("error", "other_year", f"文件中没有 {year} 年（评价年度）的数据，只有 {'、'.join(found)} 年。",
                               f"The file has no data for {year} (the assessment year), only for {', '.join(found)}.",
                               fp.name, f"确认文件和年度：这是 {'、'.join(found)} 年的台账就导入到该年的评价；"
                               f"若月份没有写年份而实为 {year} 年，请在导入向导中把年份改为 {year}（映射 year: {year}）。",
                               f"Check the file and the year: a ledger of {', '.join(found)} goes into that year's "
                               f"assessment; if its months carry no year and are really {year}, set the year to {year} in "
                               f"the import wizard (mapping year: {year})."))
    target = year
    if target is None:
        years = [r.year for r in fp.sheets if r.year]
        target = years[0] if years else None
    for s in fp.series:
        if s.stored:
            fp.issues.extend(quality.check_series(s, year=target))


_SUMMARY = re.compile(r"汇总|全年|年度|合计|年报|总览|summary|total|annual", re.I)
_PART_OF_YEAR = re.compile(r"季|quarter|\bq[1-4]\b|上半年|下半年", re.I)


def _summary_sheets(fp: FilePlan, mapping: dict) -> None:
    """One sheet per month (or quarter) plus a yearly summary sheet: the summary is a cross-check, never added."""
    with_series = [r for r in fp.sheets if r.series]
    period = [r for r in with_series if parse_period(r.name) is not None or _PART_OF_YEAR.search(r.name)
              or r.layout == "sheet_period"]
    for r in with_series:
        cfg = ((mapping or {}).get("sheets") or {}).get(r.name) or {}
        if not (cfg.get("summary") or (len(period) >= 2 and r not in period and _SUMMARY.search(r.name))):
            continue
        for s in r.series:
            if s.counted or s.role == "sub":
                s.role, s.why, s.made = "cross_check", "汇总表 / summary sheet", "summary"
        fp.issues.append(Issue("info", "summary_sheet",
                               f"工作表“{r.name}”是各期工作表的汇总，只作核对，不重复计入。",
                               f"Sheet '{r.name}' sums up the period sheets; it is a cross-check and not added again.",
                               f"{fp.name}, {r.name}", "如它不是汇总表，请在导入向导中把该表设为“计入”。",
                               "If it is not a summary, set the sheet to 'counted' in the import wizard."))


def _check_summaries(fp: FilePlan) -> None:
    counted = {(s.meter, s.carrier, s.unit): s for s in fp.series if s.counted}
    for s in fp.series:
        if s.made != "summary":
            continue
        m = counted.get((s.meter, s.carrier, s.unit))
        if m is None:
            continue
        common = [k for k in s.months if k in m.months]
        a, b = sum(s.months[k] for k in common), sum(m.months[k] for k in common)
        if common and abs(a - b) > max(0.011, abs(b) * 1e-4):
            fp.issues.append(Issue("warning", "total_mismatch",
                                   f"汇总表中 {s.meter} 的合计 {a:,.2f} 与各期工作表之和 {b:,.2f} {s.unit} 不符。",
                                   f"The summary sheet's {s.meter} total {a:,.2f} differs from the period sheets' sum "
                                   f"{b:,.2f} {s.unit}.", f"{fp.name}, {s.sheet}", "核对汇总表的公式或各期数据。",
                                   "Check the summary's formulas or the period sheets."))


def _merge(fp: FilePlan, series: list[Series]) -> list[Series]:
    """Merge the series of one meter across sheets (per quarter, per month); report duplicate months."""
    out: dict[tuple[str, str, str, str], Series] = {}
    for s in series:
        key = (s.meter, s.carrier, s.unit, s.role)
        m = out.get(key)
        if m is None:
            out[key] = dataclasses.replace(s, months=dict(s.months), refs={k: list(v) for k, v in s.refs.items()},
                                           counts=dict(s.counts), missing=dict(s.missing))
            continue
        if m.sheet != s.sheet and s.sheet not in m.sheet.split(", "):
            m.sheet = f"{m.sheet}, {s.sheet}"
        for k, v in s.months.items():
            if k in m.months:
                if abs(m.months[k] - v) <= 1e-9 * max(1.0, abs(v)):
                    fp.issues.append(Issue("info", "duplicate_exact",
                                           f"{s.meter} 在 {k} 的数据在 {m.ref(k)} 与 {s.ref(k)} 重复出现，只计一次。",
                                           f"{s.meter} {k} appears in {m.ref(k)} and again in {s.ref(k)}; counted once.",
                                           f"{fp.name}, {s.ref(k)}"))
                else:
                    fp.issues.append(Issue("error", "duplicate_conflict",
                                           f"{s.meter} 在 {k} 有两个不同的数值：{m.ref(k)}（{m.months[k]:g}）与 {s.ref(k)}（{v:g}）。",
                                           f"{s.meter} has two different values for {k}: {m.ref(k)} ({m.months[k]:g}) "
                                           f"and {s.ref(k)} ({v:g}).", f"{fp.name}, {m.ref(k)} / {s.ref(k)}",
                                           DUP_FIX_ZH, DUP_FIX_EN))
                continue
            m.months[k] = v
            m.refs[k] = list(s.refs.get(k, []))
            m.counts[k] = s.counts.get(k, 1)
        for k, ref in s.missing.items():
            m.missing.setdefault(k, ref)
    for m in out.values():
        for k in m.months:
            m.missing.pop(k, None)
    return list(out.values())


def same_values(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _cross_file(files: list[FilePlan]) -> None:
    """The same meter name in two files: one meter when the values agree wherever both have a month (the overlap
    counts once), otherwise two meters that share a name (everything counts, reported). Never half and half."""
    seen: dict[tuple[str, str], list[tuple[FilePlan, Series]]] = {}
    for f in files:
        for idx, s in enumerate(f.series):
            if not s.stored:
                continue
            for of, os_ in seen.get((s.meter, s.carrier), []):
                common = sorted(set(s.months) & set(os_.months))
                if not common:
                    continue
                differ = [k for k in common if s.unit != os_.unit or not same_values(os_.months[k], s.months[k])]
                if not differ:
                    f.cross_duplicates.setdefault(idx, set()).update(common)
                    for k in common:
                        f.issues.append(Issue("info", "duplicate_exact",
                                              f"{s.meter} {k} 已在 {of.name} 中出现（数值相同），只计一次。",
                                              f"{s.meter} {k} is already in {of.name} with the same value; counted once.",
                                              f"{f.name}, {s.ref(k)}"))
                else:
                    k = differ[0]
                    f.issues.append(Issue("warning", "same_meter_other_file",
                                          f"表“{s.meter}”在 {k} 也出现在 {of.name}（{os_.ref(k)}）且数值不同：两者都计入。",
                                          f"Meter '{s.meter}' {k} also appears in {of.name} ({os_.ref(k)}) with a "
                                          "different value: both are counted.",
                                          f"{of.name}, {os_.ref(k)} / {f.name}, {s.ref(k)}",
                                          "如果是同一块表，请只导入一个文件，或在表头写明不同的计量点名称。",
                                          "If it is the same meter, import only one file, or name the meters apart."))
            seen.setdefault((s.meter, s.carrier), []).append((f, s))


# -- commit ------------------------------------------------------------------------------------

@gc_paused
def commit(ws, assessment_id: int, plan: ImportPlan, *, progress=None, cancel=None) -> ImportSummary:
    """Store the plan all-or-nothing. Re-importing a file replaces what it imported before."""
    if plan.errors:
        e = plan.errors[0]
        more = len(plan.errors) - 1
        raise UserError(
            e.zh + (f"（另有 {more} 个错误）" if more else "") + " 未导入任何数据。",
            e.en + (f" ({more} more errors.)" if more else "") + " Nothing was imported.",
            where=e.where, hint_zh=e.fix_zh, hint_en=e.fix_en)
    ws.assessment(assessment_id)  # raises for a missing assessment
    if hasattr(ws, "require_draft"):
        ws.require_draft(assessment_id)
    from greendesk.core.meters.routing import route

    routes = route(ws, assessment_id, plan)   # each month to its year's assessment; refuses a year without one
    _check(cancel)
    _progress(progress, 0.0, t("写入工作区", "Writing to the workspace"))
    blobs = []
    for f in plan.files:
        _check(cancel)
        data = Path(f.path).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if sha != f.sha256:
            raise UserError(f"{f.name} 在分析后被修改，请重新分析。", f"{f.name} changed after it was analysed; analyse it again.")
        blobs.append(data)
    imports = []
    total = 0
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    with ws.transaction() as c:
        for i, (f, data) in enumerate(zip(plan.files, blobs, strict=True)):
            _check(cancel)
            # each year's months go to that year's assessment (meters.routing): one import per year
            by_year: dict[int, list] = {}
            for s in f.series:
                if s.stored:
                    for k in sorted(s.months):
                        by_year.setdefault(int(k[:4]), []).append((s.meter, s.carrier, s.unit, k, s.months[k], s.ref(k)))
            parts = [(routes[y], y, by_year[y]) for y in sorted(by_year)] or [(assessment_id, plan.year, [])]
            # the same file again: the same content, or the same name from the same place (a corrected version)
            old = []
            for target in sorted({assessment_id, *routes.values()}):
                for oid, osha, orep in c.execute(
                        "SELECT id, sha256, report FROM meter_imports WHERE assessment_id = ? AND (file_name = ? OR sha256 = ?)",
                        [target, f.name, f.sha256]).fetchall():
                    try:
                        opath = json.loads(orep or "{}").get("path")
                    except ValueError:
                        opath = None
                    if osha == f.sha256 or opath in (None, f.path):
                        old.append((oid, osha))
            for oid, _ in old:
                c.execute("DELETE FROM meter_readings WHERE import_id = ?", [oid])
                c.execute("DELETE FROM meter_imports WHERE id = ?", [oid])
            ws.store_blob(data, c, sha256=f.sha256)  # (the SHA-256 of these very bytes, checked above)
            for _, osha in old:
                if osha and osha != f.sha256:
                    used = c.execute("SELECT (SELECT COUNT(*) FROM evidence WHERE sha256 = ?) + "
                                     "(SELECT COUNT(*) FROM meter_imports WHERE sha256 = ?)", [osha, osha]).fetchone()[0]
                    if not used:
                        c.execute("DELETE FROM blobs WHERE sha256 = ?", [osha])
            report = f.to_dict(preview=False)
            for target, year, recs in parts:
                report["year"] = year
                if len(parts) > 1:
                    report["split_years"] = sorted(by_year)
                iid = c.execute("INSERT INTO meter_imports (assessment_id, file_name, sha256, imported_at, report) "
                                "VALUES (?, ?, ?, ?, ?)",
                                [target, f.name, f.sha256, stamp, json.dumps(report, ensure_ascii=False, default=str)]
                                ).lastrowid
                rows = [(iid, *r) for r in recs]
                c.executemany("INSERT INTO meter_readings (import_id, meter, carrier, unit, period, value, source_ref) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                total += len(rows)
                imports.append({"id": iid, "file": f.name, "sha256": f.sha256, "readings": len(rows),
                                "replaced": [o[0] for o in old], "assessment_id": target, "year": year})
            register.record(c, f.series, stamp)
            settled = layouts.merge(plan.mapping, (f.saved_layout or {}).get("mapping"))
            layouts.save(c, f.layout_key, layouts.portable(settled, f.sheets), f.name, layouts.describe(f.sheets),
                         stamp)
            _progress(progress, (i + 1) / len(plan.files), f.name)
        _check(cancel)
    return ImportSummary(imports, total, plan.totals(), plan.issues)


def imports(ws, assessment_id: int) -> list[dict]:
    rows = ws.conn.execute("SELECT id, file_name, sha256, imported_at, "
                           "(SELECT COUNT(*) FROM meter_readings r WHERE r.import_id = i.id) "
                           "FROM meter_imports i WHERE assessment_id = ? ORDER BY id", [assessment_id]).fetchall()
    return [{"id": r[0], "file": r[1], "sha256": r[2], "imported_at": r[3], "readings": r[4]} for r in rows]


def remove_import(ws, import_id: int) -> None:
    with ws.transaction() as c:
        row = c.execute("SELECT sha256 FROM meter_imports WHERE id = ?", [import_id]).fetchone()
        if row is None:
            return
        c.execute("DELETE FROM meter_readings WHERE import_id = ?", [import_id])
        c.execute("DELETE FROM meter_imports WHERE id = ?", [import_id])
        used = c.execute("SELECT (SELECT COUNT(*) FROM evidence WHERE sha256 = ?) + "
                         "(SELECT COUNT(*) FROM meter_imports WHERE sha256 = ?)", [row[0], row[0]]).fetchone()[0]
        if not used:
            c.execute("DELETE FROM blobs WHERE sha256 = ?", [row[0]])
