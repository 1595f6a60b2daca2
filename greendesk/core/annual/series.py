"""Years side by side: each carrier's months and each key indicator's yearly figure across the years of the
annual return, as plain data for the charts (app, report, .xlsx). A month or year without data is None,
never 0."""

from __future__ import annotations

from greendesk.core.i18n import language


def monthly(energies: dict[int, dict], lang: str | None = None) -> list[dict]:
    """``energies``: ``{year: energy_summary(ws, year)}``. One entry per carrier that has data in any year:
    ``{"carrier", "label", "unit", "years": {"2024": [12 values or None]}, "totals": {"2024": total|None}}``."""
    from greendesk.core.meters.catalog import catalog

    lang = lang or language()
    cat = catalog()
    order: list[str] = []
    units: dict[str, str] = {}
    for e in energies.values():
        for cid, d in (e.get("carriers") or {}).items():
            if cid not in units:
                order.append(cid)
                units[cid] = d.get("unit") or ""
    out = []
    for cid in order:
        years, totals = {}, {}
        for y in sorted(energies):
            d = (energies[y].get("carriers") or {}).get(cid)
            if d is None or d.get("unit", units[cid]) != units[cid]:
                years[str(y)] = [None] * 12
                totals[str(y)] = None
                continue
            ms = d.get("months") or {}
            years[str(y)] = [ms.get(f"{y}-{m:02d}") for m in range(1, 13)]
            totals[str(y)] = d.get("total")
        try:
            label = cat.label(cid, lang) or cid
        except Exception:  # noqa: BLE001 - a carrier the catalogue does not know is named by its id
            label = cid
        out.append({"carrier": cid, "label": label, "unit": units[cid], "years": years, "totals": totals})
    return out


def indicators(doc: dict) -> list[dict]:
    """The key rows of an annual return (:func:`greendesk.core.annual.returns.build_return`) across its
    years: ``{"id", "label", "unit", "direction", "values": {"2024": v|None}}`` (the listing year too)."""
    ys = [str(c["year"]) for c in doc["columns"]]
    return [{"id": r["id"], "label": r["label"], "unit": r["unit"], "direction": r["direction"],
             "values": {y: r["values"][y]["value"] for y in ys}}
            for r in doc["rows"] if r.get("key")]


def years_with_data(doc: dict) -> list[int]:
    """The return's years that have any ledger month or key figure."""
    out = set()
    for c in doc.get("monthly") or []:
        out |= {int(y) for y, vs in c["years"].items() if any(v is not None for v in vs)}
    for r in indicators(doc):
        out |= {int(y) for y, v in r["values"].items() if v is not None}
    return sorted(out)
