"""The 申报表 in the declaration package: the same rows as ``declaration-table``, built from the
report's data (the score the report prints, with its 计算过程, and the evidence it embeds), as an
.xlsx embedded in the PDF (``/AF``, AFRelationship /Data, listed in the manifest) and as a report part.
"""

from __future__ import annotations

import hashlib

from greendesk.core.i18n import using_language

DECLARATION_NAME = "declaration-table.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def doc_from_report_data(data) -> dict | None:
    """The 申报表 document (as :func:`~greendesk.core.declaration.table.declaration_table`) of a report's
    data; None when the scheme is unknown or there is no score."""
    from greendesk.core.declaration.table import COLUMNS, rows_for
    from greendesk.core.errors import UserError
    from greendesk.core.schemes.registry import get_scheme

    score = data.raw_score
    if not score:
        return None
    try:
        scheme = get_scheme(data.assessment.get("scheme_id"))
    except UserError:
        return None
    from greendesk.core.declaration.table import missing_evidence

    with using_language(data.lang):
        rows = rows_for(scheme, score, data.evidence, data.lang)
    return {
        "scheme": scheme.id, "scheme_version": scheme.version, "scheme_title": scheme.name(data.lang),
        "factory": data.factory.get("name"), "uscc": data.factory.get("uscc"),
        "year": data.assessment.get("year"), "assessment": data.assessment.get("id"),
        "status": data.assessment.get("status"), "total": score.get("total"), "max": score.get("max"),
        "columns": [{"key": k, "zh": zh, "en": en} for k, zh, en in COLUMNS], "rows": rows,
        "general_evidence": [{"id": e["id"], "name": e["name"]} for e in data.evidence if not e.get("item_id")],
        "missing_evidence": [r["id"] for r in missing_evidence(rows)],
    }


def package_file(data, modified=None) -> dict | None:
    """The embedded-file entry of the 申报表 .xlsx (for ``export.plan_files``); None when there is no table."""
    from greendesk.core.declaration.workbook import workbook_bytes

    doc = doc_from_report_data(data)
    if doc is None:
        return None
    with using_language(data.lang):
        blob = workbook_bytes(doc, lang=data.lang)
    return {"name": DECLARATION_NAME, "original_name": DECLARATION_NAME, "data": blob, "mime": XLSX_MIME,
            "size": len(blob), "sha256": hashlib.sha256(blob).hexdigest(), "kind": "data", "item_id": None,
            "description": "申报表（逐行，含计算过程，.xlsx）" if data.lang == "zh"
            else "Declaration table, row by row with the calculations (.xlsx)",
            "modified": modified}
