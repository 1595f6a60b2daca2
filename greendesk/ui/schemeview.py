"""What the window needs from the core, in one place: schemes, workspace creation, carry-over.

The window adds no rules: everything here reads the core's data or calls its functions.
"""

from __future__ import annotations

from pathlib import Path

from greendesk.ui.i18n import label

_FALLBACK_DESCRIPTIONS = {
    "gbt36132-2018": {
        "zh": "2018 版：基本要求（否决项）+ 基础设施、管理体系、能源与资源投入、产品、环境排放、绩效六个方面。",
        "en": "2018 edition: basic requirements (vetoes) plus six areas from infrastructure to performance.",
    },
    "gbt36132-2025": {
        "zh": "2025 版（2025-12-31 起实施）：“新五化”通则，18 项定量指标按基准值/引领值计分。",
        "en": "2025 edition (from 2025-12-31): the 'new five' areas, 18 quantitative indicators scored "
              "between baseline and leading values.",
    },
}


def _registry():
    from greendesk.core.schemes import registry

    return registry


def scheme_titles(s) -> dict:
    t = getattr(s, "title", None) or getattr(s, "titles", None)
    return t if t is not None else {"zh": s.id, "en": s.id}


def available_schemes() -> list[dict]:
    """[{id, version, title, description}] in the UI language, from the registry."""
    reg = _registry()
    items = []
    if hasattr(reg, "list_schemes"):
        schemes = list(reg.list_schemes())
    else:  # the placeholder registry: ids only
        schemes = [reg.get_scheme(i) for i in getattr(reg, "_KNOWN", {})]
    for s in schemes:
        if isinstance(s, str):
            s = reg.get_scheme(s)
        if isinstance(s, dict):
            sid, version = s.get("id"), s.get("version")
            title = s.get("title") or sid
            desc = s.get("description") or s.get("summary")
        else:
            sid, version = s.id, s.version
            title = scheme_titles(s)
            desc = getattr(s, "description", None) or getattr(s, "summary", None)
        if not desc:
            desc = _FALLBACK_DESCRIPTIONS.get(sid) or _source_text(s)
        items.append({"id": sid, "version": str(version), "title": label(title) or sid,
                      "description": label(desc) if desc else ""})
    return items


def _source_text(s) -> str:
    src = s.get("source") if isinstance(s, dict) else getattr(s, "source", None)
    if not src:
        return ""
    if isinstance(src, dict):
        return " ".join(str(v) for v in src.values() if isinstance(v, (str, int)))
    return label(src)


def default_scheme_index(count: int) -> int:
    ids = [s["id"] for s in available_schemes()]
    for i, sid in enumerate(ids):
        if sid == "gbt36132-2025":
            return i
    return 0


def read_previous(path: Path) -> dict:
    """Factory, latest assessment and answers of last year's workspace (opened read-only)."""
    from greendesk.core.workspace import Workspace

    with Workspace.open(path, readonly=True) as ws:
        a = ws.assessment()
        return {"path": str(path), "factory": ws.factory(), "scheme_id": a["scheme_id"], "year": a["year"],
                "answers": ws.answers(a["id"]),
                "benchmarks": ws.benchmarks(a["scheme_id"]),
                "factors": ws.factor_overrides()}


def create_workspace(path: Path, profile: dict, scheme_id: str, year: int, *, previous: dict | None = None) -> Path:
    """Create the workspace and its first assessment; carry last year's answers over when given."""
    from greendesk.core.workspace import FACTORY_FIELDS, Workspace

    scheme = _registry().get_scheme(scheme_id)
    version = str(scheme.version)
    if previous:
        merged = {k: v for k, v in previous["factory"].items() if k in FACTORY_FIELDS and v not in (None, "")}
        merged.update(profile)
        profile = merged
    ws = Workspace.create(path, profile)
    try:
        created_from = f"workspace:{previous['path']}:{previous['year']}" if previous else None
        aid = ws.create_assessment(scheme.id, version, year, created_from=created_from)
        if previous:
            if previous["answers"]:
                ws.set_answers(aid, previous["answers"], source="carried", scheme_version=version)
            for b in previous.get("benchmarks") or []:
                if b["scheme_id"] == scheme.id:
                    ws.set_benchmark(scheme.id, b["indicator_id"], b["baseline"], b["leading"], band=b["band"],
                                     source=b["source"], set_by=b["set_by"])
            for f in (previous.get("factors") or {}).values():
                ws.set_factor(f["factor_id"], f["value"], unit=f["unit"], source=f["source"], set_by=f["set_by"])
    finally:
        ws.close()
    return path
