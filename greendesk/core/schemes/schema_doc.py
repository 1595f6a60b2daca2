"""The published JSON Schema of scheme files (forms/scheme.schema.json), built from the loader's key
tables so that the two cannot drift apart. Regenerate with
``python -m greendesk.core.schemes.schema_doc > forms/scheme.schema.json``.

The schema describes structure and types; the loader additionally checks what a JSON Schema
cannot (unique ids, references, expressions, point sums) and says where and how to fix it.
"""

from __future__ import annotations

import json

from greendesk.core.schemes import loader as L
from greendesk.core.schemes import policies as P
from greendesk.core.schemes.model import CERTAINTIES, DIRECTIONS, FIELD_TYPES, RULE_KINDS

_TEXT = {"$ref": "#/$defs/text"}
_NUM = {"type": "number"}
_STR = {"type": "string"}
_EXPR = {"$ref": "#/$defs/expression"}
_CERT = {"enum": list(CERTAINTIES)}
_NOTE = {"description": "shown to users (app, outline, report): zh and en, or one text for both",
         "oneOf": [{"$ref": "#/$defs/text"}, {"type": "string"}]}
_MNOTE = {"type": "string", "description": "for the maintainers of the data (where a figure was found, what is left "
                                           "to check); never shown or printed"}
_ID = {"type": "string", "pattern": L._ID.pattern}
_COL = {"type": "string", "pattern": L._COL_ID.pattern}


def _obj(keys: set[str], props: dict, required: list[str]) -> dict:
    missing = keys - set(props)
    extra = set(props) - keys
    assert not missing and not extra, (missing, extra)
    return {"type": "object", "additionalProperties": False, "required": required,
            "properties": {k: props[k] for k in sorted(props)}}


def build_json_schema() -> dict:
    field_props = {
        "id": _STR, "type": {"enum": list(FIELD_TYPES)}, "label": _TEXT, "guidance": _TEXT,
        "unit": {"type": ["string", "null"]}, "min": _NUM, "max": _NUM,
        "choices": {"type": "array", "items": {"$ref": "#/$defs/choice"}}, "required": {"type": "boolean"},
        "relevant": _EXPR, "constraint": _EXPR, "constraint_message": _TEXT, "calculation": _EXPR,
        "columns": {"type": "array", "items": {"$ref": "#/$defs/field"}}, "max_rows": {"type": "integer", "minimum": 1},
        "auto": {"enum": list(L.AUTO_KEYS)}, "default": {},
    }
    rule_props = {
        "kind": {"enum": list(RULE_KINDS)}, "source": _STR, "certainty": _CERT, "note": _NOTE, "maintainer_note": _MNOTE,
        "direction": {"enum": list(DIRECTIONS)}, "value": _EXPR, "unit": {"type": ["string", "null"]},
        "baseline": {"type": ["number", "null"], "description": "基准值 B; null = benchmark needed"},
        "leading": {"type": ["number", "null"], "description": "引领值 L; null = benchmark needed"},
        "band_by": _EXPR, "bands": {"type": "array", "items": {"$ref": "#/$defs/band"}},
        "threshold": _NUM, "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        "rows": _ID, "row_value": _EXPR, "row_baseline": _EXPR, "row_leading": _EXPR, "row_weight": _EXPR,
        "max_products": {"type": "integer", "minimum": 1},
        "cases": {"type": "array", "items": {"$ref": "#/$defs/case"}},
    }
    all_rule_keys = L.RULE_COMMON_KEYS.union(*L.RULE_KEYS.values())
    rule = _obj(all_rule_keys, rule_props, ["kind"])
    rule["description"] = "Keys allowed per kind: " + "; ".join(
        f"{k}: {', '.join(sorted(v)) or '-'}" for k, v in L.RULE_KEYS.items())
    indicator = _obj(L.INDICATOR_KEYS, {
        "id": _ID, "title": _TEXT, "points": {"type": "number", "minimum": 0}, "rule": {"$ref": "#/$defs/rule"},
        "fields": {"type": "array", "items": {"$ref": "#/$defs/field"}}, "guidance": _TEXT,
        "evidence": {"type": "array", "items": _TEXT}, "evidence_source": _STR, "evidence_certainty": _CERT,
        "applicable": _EXPR, "code": {"type": ["string", "number"]},
        "source": _STR, "certainty": _CERT, "note": _NOTE, "maintainer_note": _MNOTE,
    }, ["id", "title", "points", "rule"])
    section = _obj(L.SECTION_KEYS, {
        "id": _ID, "title": _TEXT, "weight": {"type": ["number", "null"], "minimum": 0},
        "indicators": {"type": "array", "items": {"$ref": "#/$defs/indicator"}}, "source": _STR, "certainty": _CERT,
        "note": _NOTE, "maintainer_note": _MNOTE,
    }, ["id", "title", "indicators"])
    scheme_props = {
        "format": {"const": L.FORMAT}, "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9\\-]*$"},
        "version": {"type": ["string", "number"]}, "title": _TEXT, "description": _TEXT,
        "source": _obj(L.SOURCE_KEYS, {"standard": _STR, "clause": _STR, "date": {"type": ["string", "number"]},
                                       "certainty": _CERT, "note": _NOTE, "maintainer_note": _MNOTE}, ["standard"]),
        "base": {"type": "string", "description": "a local profile: the id of the scheme it builds on"},
        "grades": {"type": "array", "items": _obj(L.GRADE_KEYS, {
            "id": _STR, "min": {"type": "number", "minimum": 0}, "label": _TEXT, "requires_qualified": {"type": "boolean"},
            "source": _STR, "certainty": _CERT, "note": _NOTE, "maintainer_note": _MNOTE}, ["id", "min", "label"])},
        "common": {"type": "array", "items": {"$ref": "#/$defs/field"}},
        "sections": {"type": "array", "items": {"$ref": "#/$defs/section"}},
        "migrations": _obj(L.MIGRATION_KEYS, {
            "renamed": {"type": "object", "additionalProperties": _STR},
            "removed": {"type": "array", "items": _STR}}, []),
        "na_policy": _obj(L.NA_POLICY_KEYS, {"mode": {"enum": ["rescale", "exclude", "full"]}, "source": _STR,
                                             "certainty": _CERT, "note": _NOTE, "maintainer_note": _MNOTE}, ["mode"]),
        "qualification": _obj(P.QUALIFICATION_KEYS, {
            "required_lines": {"enum": ["disqualify", "score"]}, "pass_mark": {"type": ["number", "null"], "minimum": 0},
            "source": _STR, "certainty": _CERT, "note": _NOTE, "maintainer_note": _MNOTE}, ["required_lines", "source"]),
        "points_tables": {"type": "array", "items": _obj(P.POINTS_TABLE_KEYS, {
            "id": _STR, "label": _TEXT, "points": {"type": "object", "additionalProperties": {"type": "number",
                                                                                              "minimum": 0}},
            "source": _STR, "certainty": _CERT, "note": _NOTE, "maintainer_note": _MNOTE}, ["id", "label", "source"])},
        "points_table": {"type": "string", "description": "the id of the points table in use (default: the first)"},
        "overrides": _obj(L.OVERRIDE_KEYS, {
            "indicators": {"type": "object", "additionalProperties": {"type": "object"}},
            "sections": {"type": "object", "additionalProperties": {"type": "object"}}}, []),
        "extra_sections": {"type": "array", "items": {"$ref": "#/$defs/section"}},
        "extra_indicators": {"type": "object", "additionalProperties": {"type": "array",
                                                                         "items": {"$ref": "#/$defs/indicator"}}},
        "notes": _STR, "maintainer_note": _MNOTE,
    }
    scheme = _obj(L.SCHEME_KEYS, scheme_props, ["format", "id", "version", "title", "source"])
    scheme["anyOf"] = [{"required": ["sections"]}, {"required": ["base"]}]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://greendesk.example/forms/scheme.schema.json",
        "title": "GreenDesk evaluation scheme (format 1)",
        "description": "Scheme and local-profile files in forms/. Generated by "
                       "greendesk.core.schemes.schema_doc from the loader's key tables; do not edit by hand.",
        **scheme,
        "$defs": {
            "text": {"type": "object", "additionalProperties": False, "required": ["zh", "en"],
                     "properties": {"zh": _STR, "en": _STR}},
            "expression": {"type": ["string", "number", "boolean"],
                           "description": "safe expression: arithmetic, comparisons, and/or/not, if(), min/max, "
                                          "sum/count/min_over/max_over over rows, ${field.id} references"},
            "choice": _obj(L.CHOICE_KEYS, {"value": _STR, "label": _TEXT,
                                           "degree": {"type": "number", "minimum": 0, "maximum": 1}},
                           ["value", "label"]),
            "field": _obj(L.FIELD_KEYS, field_props, ["id", "type", "label"]),
            "item": _obj(L.ITEM_KEYS, {"field": _ID, "points": {"type": "number", "minimum": 0},
                                       "level": {"enum": ["required", "optional"]}}, ["field", "points"]),
            "band": _obj(L.BAND_KEYS, {"id": _COL, "label": _TEXT, "min": _NUM, "max": _NUM,
                                       "baseline": {"type": ["number", "null"]}, "leading": {"type": ["number", "null"]},
                                       "source": _STR, "certainty": _CERT, "note": _NOTE, "maintainer_note": _MNOTE}, ["id", "label"]),
            "case": _obj(L.CASE_KEYS, {"when": _EXPR, "label": _TEXT, "rule": {"$ref": "#/$defs/rule"}},
                         ["when", "rule"]),
            "rule": rule,
            "indicator": indicator,
            "section": section,
        },
    }


def schema_text() -> str:
    return json.dumps(build_json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(schema_text())
