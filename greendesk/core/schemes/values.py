"""Answer values: parse text typed by a user, validate against a field, normalise.

Stored forms: yesno -> "yes" | "no" | "na"; choice -> the choice value; multi -> list of
values; number/percent -> float; integer -> int; text/evidence -> str; date -> "YYYY-MM-DD";
rows -> list of {column id: value}. A whole-indicator answer (stored under the indicator id)
is a float for quantitative indicators and "yes"/"no" for veto/checklist ones.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Any

from greendesk.core.errors import UserError
from greendesk.core.schemes.model import NA, NO, YES, Field, Indicator, Scheme

_YESNO = {
    "yes": YES, "y": YES, "true": YES, "1": YES, "是": YES, "符合": YES, "满足": YES,
    "no": NO, "n": NO, "false": NO, "0": NO, "否": NO, "不符合": NO, "不满足": NO,
    "na": NA, "n/a": NA, "not applicable": NA, "不适用": NA,
}


def _refuse(field_id: str, zh: str, en: str) -> UserError:
    return UserError(f"{field_id}：{zh}", f"{field_id}: {en}")


def parse_yesno(value: Any, field_id: str = "", *, allow_na: bool = True) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    key = str(value).strip().lower()
    out = _YESNO.get(key)
    if out is None or (out == NA and not allow_na):
        allowed = "yes/no/na、是/否/不适用" if allow_na else "yes/no、是/否"
        raise _refuse(field_id, f"'{value}' 不是有效的是/否答案（可用：{allowed}）",
                      f"'{value}' is not a yes/no answer (use {allowed.replace('、', ' or ')})")
    return out


def parse_number(value: Any, field_id: str = "") -> float:
    """A number as typed or pasted (one parser for the app and the CLI: greendesk.core.numbers)."""
    from greendesk.core.numbers import parse_number as _parse

    v = _parse(value, where=field_id)
    if v is None:
        raise _refuse(field_id, "应为数值", "expected a number")
    return float(v)


def validate_value(field: Field, value: Any) -> Any:
    """Return the normalised value or raise UserError saying why it is refused. None clears."""
    fid = field.id
    if value is None or value == "":
        return None
    t = field.type
    if t == "yesno":
        return parse_yesno(value, fid)
    if t == "choice":
        v = str(value).strip()
        if field.choice(v) is None:
            by_label = [c.value for c in field.choices if v in (c.label.get("zh"), c.label.get("en"))]
            if not by_label:
                allowed = ", ".join(c.value for c in field.choices)
                raise _refuse(fid, f"'{value}' 不是可选项（可选：{allowed}）", f"'{value}' is not a choice (use one of: {allowed})")
            v = by_label[0]
        return v
    if t == "multi":
        if isinstance(value, str):
            whole = value.strip()
            if field.choice(whole) is not None or any(whole in (c.label.get("zh"), c.label.get("en"))
                                                      for c in field.choices):
                items = [whole]         # one choice whose label has a separator in it
            else:
                items = [x.strip() for x in re.split(r"[,，;；|、]", value) if x.strip()]
        elif isinstance(value, (list, tuple)):
            items = [str(x).strip() for x in value]
        else:
            raise _refuse(fid, "应为选项列表", "expected a list of choices")
        out = []
        for item in items:
            c = field.choice(item)
            if c is None:
                c = next((c for c in field.choices if item in (c.label.get("zh"), c.label.get("en"))), None)
            if c is None:
                allowed = ", ".join(c.value for c in field.choices)
                raise _refuse(fid, f"'{item}' 不是可选项（可选：{allowed}）", f"'{item}' is not a choice (use: {allowed})")
            if c.value not in out:
                out.append(c.value)
        return out
    if t in ("number", "percent", "integer"):
        from greendesk.core.numbers import parse_field

        v = parse_field(value, field)  # unit, bounds, whole numbers, finite: greendesk.core.numbers
        return None if v is None else int(v) if t == "integer" else float(v)
    if t in ("text", "evidence"):
        if not isinstance(value, (str, int, float)):
            raise _refuse(fid, "应为文本", "expected text")
        from greendesk.core.textsafety import control_char

        if bad := control_char(str(value)):   # text from files is data: no terminal escapes are stored
            raise _refuse(fid, f"文本含控制字符 {bad}（终端转义序列或不可见字符）；请删除后再填写",
                          f"the text contains the control character {bad} (a terminal escape sequence or an "
                          "invisible character); remove it")
        return str(value)
    if t == "date":
        if isinstance(value, _dt.datetime):
            return value.date().isoformat()
        if isinstance(value, _dt.date):
            return value.isoformat()
        text = str(value).strip().replace("/", "-").replace(".", "-")
        try:
            return _dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise _refuse(fid, f"'{value}' 不是日期（格式 YYYY-MM-DD）", f"'{value}' is not a date (use YYYY-MM-DD)") from None
    if t == "rows":
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise _refuse(fid, "行表应为 JSON 列表", "rows must be a JSON list of objects") from None
        if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
            raise _refuse(fid, "行表应为对象列表", "rows must be a list of objects (one per row)")
        if field.max_rows and len(value) > field.max_rows:
            raise _refuse(fid, f"最多 {field.max_rows} 行", f"at most {field.max_rows} rows")
        cols = {c.id: c for c in field.columns}
        out_rows = []
        for i, row in enumerate(value, 1):
            clean = {}
            for k, v in row.items():
                col = cols.get(k)
                if col is None:
                    raise _refuse(fid, f"第 {i} 行：未知的列 '{k}'（可用：{', '.join(cols)}）",
                                  f"row {i}: unknown column '{k}' (columns: {', '.join(cols)})")
                if col.type == "calculated":
                    continue
                try:
                    clean[k] = validate_value(col, v)
                except UserError as e:
                    raise _refuse(fid, f"第 {i} 行：{e.zh}", f"row {i}: {e.en}") from None
            out_rows.append(clean)
        return out_rows
    if t == "calculated":
        raise _refuse(fid, "这是计算字段，不能直接填写", "this field is calculated; it cannot be entered")
    raise AssertionError(t)


def validate_indicator_value(ind: Indicator, value: Any) -> Any:
    """A whole-indicator answer: x for quantitative-like rules, yes/no for veto/checklist."""
    if value is None or value == "":
        return None
    kind = ind.rule.kind
    if kind in ("veto", "checklist"):
        return parse_yesno(value, ind.id, allow_na=True)
    if kind in ("quantitative", "count", "threshold", "multi_product", "cases"):
        return parse_number(value, ind.id)
    raise _refuse(ind.id, "该指标不能整体填写", "this indicator cannot be answered as a whole")


def validate_answer(scheme: Scheme, answer_id: str, value: Any) -> Any:
    """Validate one answer for a field or an indicator of ``scheme``; unknown ids are refused."""
    f = scheme.fields_by_id.get(answer_id)
    if f is not None:
        return validate_value(f, value)
    ind = scheme.indicators_by_id.get(answer_id)
    if ind is not None:
        return validate_indicator_value(ind, value)
    import difflib
    close = difflib.get_close_matches(answer_id, list(scheme.fields_by_id) + list(scheme.indicators_by_id), n=1)
    hint_zh = f"（是否应为 {close[0]}？）" if close else ""
    hint_en = f" (did you mean {close[0]}?)" if close else ""
    raise UserError(f"方案 {scheme.id} 中没有字段或指标 '{answer_id}'{hint_zh}",
                    f"scheme {scheme.id} has no field or indicator '{answer_id}'{hint_en}")
