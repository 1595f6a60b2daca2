"""The package's data contract: what a signed package embeds for machines to read, and its versions.

Two embedded JSON files carry the data (names in :mod:`greendesk.core.package.sign`):

* ``greendesk-answers-scores.json``: ``"format": "greendesk-answers-scores/<major>[.<minor>]"``,
  the factory, the assessment, the answers, the score (per indicator: value, unit, points, max)
  and the energy balance (per carrier and month);
* ``greendesk-manifest.json``: ``"format": "greendesk-manifest/<major>[.<minor>]"``, every embedded
  file with its size and SHA-256.

A minor version adds fields and stays readable; a new major version changes or removes what a
reader relies on, and :func:`check` refuses it with a message naming both versions. The current
layout is major version 1 of both (data 1.1 added the factory's MIIT template fields). :data:`SCHEMAS` is the published JSON Schema
(draft 2020-12) of each, limited to what a reader may rely on; ``greendesk package-schema`` prints
them. :func:`validate` checks a document against that schema (the subset of JSON Schema used
here: type, required, properties, items, enum, minimum) and names the first path that does not fit.
"""

from __future__ import annotations

import re
from typing import Any

from greendesk.core.errors import UserError

DATA_FORMAT = "greendesk-answers-scores"
MANIFEST_FORMAT = "greendesk-manifest"
SUPPORTED_MAJOR = {DATA_FORMAT: 1, MANIFEST_FORMAT: 1}

_NUM = {"type": ["number", "null"]}
_STR = {"type": ["string", "null"]}

_INDICATOR = {
    "type": "object",
    "required": ["id", "score", "max"],
    "properties": {
        "id": {"type": "string"}, "section": _STR, "title": _STR, "kind": _STR, "value": _NUM, "unit": _STR,
        "score": _NUM, "max": _NUM, "state": _STR, "applicable": {"type": ["boolean", "null"]},
    },
}

_CARRIER = {
    "type": "object",
    "required": ["unit", "months"],
    "properties": {
        "unit": _STR, "name": _STR, "kind": _STR, "total": _NUM, "tce": _NUM, "co2_t": _NUM,
        "renewable": {"type": ["boolean", "null"]},
        "months": {"type": "object", "additionalProperties": _NUM},
        "tce_months": {"type": "object", "additionalProperties": _NUM},
        "co2_months": {"type": "object", "additionalProperties": _NUM},
    },
}

DATA_SCHEMA_V1: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://greendesk.example/schemas/greendesk-answers-scores-1.json",
    "title": "GreenDesk package data: answers, scores and energy (major version 1)",
    "type": "object",
    "required": ["format", "factory", "assessment", "scheme", "answers", "score"],
    "properties": {
        "format": {"type": "string", "pattern": r"^greendesk-answers-scores/1(\.\d+)?$"},
        "generated_at": _STR,
        "app_version": _STR,
        "factory": {
            "type": "object",
            "required": ["name", "uscc"],
            "properties": {"name": {"type": "string"}, "uscc": _STR, "industry_code": _STR, "industry_name": _STR,
                           "province": _STR, "city": _STR, "district": _STR,
                           # 1.1: the MIIT template's basic-information fields (workspace schema 4), optional
                           "registration_authority": _STR, "established_on": _STR, "registered_capital": _STR,
                           "business_term": _STR, "postcode": _STR, "contact_department": _STR,
                           "contact_mobile": _STR, "contact_fax": _STR},
        },
        "assessment": {
            "type": "object",
            "required": ["year", "scheme_id"],
            "properties": {"year": {"type": "integer"}, "scheme_id": {"type": "string"}, "scheme_version": _STR,
                           "status": _STR},
        },
        "scheme": {"type": "object", "properties": {"id": _STR, "version": _STR, "title": _STR}},
        "answers": {
            "type": "array",
            "items": {"type": "object", "required": ["field_id"],
                      "properties": {"field_id": {"type": "string"}, "value_type": _STR, "provenance": _STR}},
        },
        "score": {
            "type": "object",
            "required": ["total", "max", "indicators"],
            "properties": {"total": _NUM, "max": _NUM, "percent": _NUM, "qualified": {"type": ["boolean", "null"]},
                           "grade": _STR, "grade_label": _STR, "indicators": {"type": "array", "items": _INDICATOR}},
        },
        "energy": {
            "type": ["object", "null"],
            "properties": {"year": {"type": ["integer", "null"]}, "total_tce": _NUM, "total_co2_t": _NUM,
                           "renewable_share_pct": _NUM,
                           "carriers": {"type": "object", "additionalProperties": _CARRIER}},
        },
        "indicator_values": {
            "type": "array",
            "items": {"type": "object", "required": ["id"],
                      "properties": {"id": {"type": "string"}, "value": _NUM, "unit": _STR, "provenance": _STR}},
        },
    },
}

MANIFEST_SCHEMA_V1: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://greendesk.example/schemas/greendesk-manifest-1.json",
    "title": "GreenDesk package manifest (major version 1)",
    "type": "object",
    "required": ["format", "files"],
    "properties": {
        "format": {"type": "string", "pattern": r"^greendesk-manifest/1(\.\d+)?$"},
        "factory": _STR, "uscc": _STR,
        "files": {
            "type": "array",
            "items": {"type": "object", "required": ["name", "sha256", "size"],
                      "properties": {"name": {"type": "string"}, "original_name": _STR, "kind": _STR,
                                     "item_id": _STR, "size": {"type": "integer", "minimum": 0},
                                     "sha256": {"type": "string"}}},
        },
    },
}

SCHEMAS = {DATA_FORMAT: {1: DATA_SCHEMA_V1}, MANIFEST_FORMAT: {1: MANIFEST_SCHEMA_V1}}

_FORMAT_RE = re.compile(r"^(?P<name>[a-z-]+)/(?P<major>\d{1,6})(?:\.(?P<minor>\d{1,6}))?$")


def version_of(doc: Any, expected: str) -> tuple[int, int]:
    """(major, minor) of a document's ``format`` string; UserError when it is not one of ours."""
    fmt = doc.get("format") if isinstance(doc, dict) else None
    m = _FORMAT_RE.match(fmt) if isinstance(fmt, str) else None
    if not m or m["name"] != expected:
        raise UserError(f"内嵌数据不是 GreenDesk 的格式（应为 {expected}/…，实际为 {fmt!r}）。",
                        f"The embedded data is not in GreenDesk's format (expected {expected}/…, found {fmt!r}).")
    return int(m["major"]), int(m["minor"] or 0)


def check(doc: Any, expected: str) -> int:
    """The document's major version, after checking this GreenDesk reads it and it fits the schema."""
    major, minor = version_of(doc, expected)
    ours = SUPPORTED_MAJOR[expected]
    if major != ours:
        newer = major > ours
        raise UserError(
            f"材料包的数据格式为 {expected} 第 {major} 版，本版本 GreenDesk 只能读取第 {ours} 版。"
            + ("请升级 GreenDesk 后再审核此材料包。" if newer else "请用生成该材料包的 GreenDesk 版本重新导出。"),
            f"The package's data format is {expected} version {major}; this GreenDesk reads version {ours} only. "
            + ("Update GreenDesk to review this package." if newer
               else "Export the package again with a current GreenDesk."))
    problem = validate(doc, SCHEMAS[expected][major])
    if problem:
        raise UserError(f"内嵌数据（{expected}/{major}.{minor}）不符合其格式说明：{problem}",
                        f"The embedded data ({expected}/{major}.{minor}) does not fit its schema: {problem}")
    return major


_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _is(value: Any, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def validate(doc: Any, schema: dict, path: str = "$") -> str | None:
    """The first place where ``doc`` does not fit ``schema`` ("$.score.indicators[3].max: …"), else None."""
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(doc, k) for k in kinds):
            return f"{path}: {' / '.join(kinds)} expected, found {type(doc).__name__}"
    if "enum" in schema and doc not in schema["enum"]:
        return f"{path}: one of {schema['enum']} expected"
    if "pattern" in schema and isinstance(doc, str) and not re.search(schema["pattern"], doc):
        return f"{path}: {doc!r} does not match {schema['pattern']}"
    if "minimum" in schema and _is(doc, "number") and doc < schema["minimum"]:
        return f"{path}: at least {schema['minimum']} expected"
    if isinstance(doc, dict):
        for key in schema.get("required", []):
            if key not in doc:
                return f"{path}: '{key}' is missing"
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, value in doc.items():
            sub = props.get(key, extra if isinstance(extra, dict) else None)
            if sub is not None:
                problem = validate(value, sub, f"{path}.{key}")
                if problem:
                    return problem
    if isinstance(doc, list) and "items" in schema:
        for i, value in enumerate(doc):
            problem = validate(value, schema["items"], f"{path}[{i}]")
            if problem:
                return problem
    return None
