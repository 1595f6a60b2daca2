"""One indicator of one package against its peer group, for the review window's chart.

The group is the one ``v_indicator_peers`` compares within (same year, scheme, industry class and province);
its quartiles and median are the view's own (``quantile_cont``, the factory included), so the chart shows
exactly the figures of the table beside it.
"""

from __future__ import annotations


def peer_distribution(con, package_id: int, indicator_id: str) -> dict | None:
    """{"indicator_id", "title", "unit", "year", "industry_class", "province", "value", "q1", "median", "q3",
    "others_median", "rank", "n", "peers": [(factory_name, package_id, value), …] by value} or None when the
    package has no comparable value for the indicator (not accepted, or no value)."""
    keys = ["year", "scheme_id", "industry_class", "province", "title", "unit", "value", "q1", "median", "q3",
            "others_median", "rank_by_value", "peer_n"]
    row = con.execute(f"SELECT {', '.join(keys)} FROM v_indicator_peers WHERE package_id = ? AND indicator_id = ?",
                      [package_id, indicator_id]).fetchone()
    if row is None:
        return None
    me = dict(zip(keys, row, strict=True))
    peers = con.execute(
        "SELECT factory_name, package_id, value FROM v_indicator_peers WHERE indicator_id = ? "
        "AND year IS NOT DISTINCT FROM ? AND scheme_id IS NOT DISTINCT FROM ? "
        "AND industry_class IS NOT DISTINCT FROM ? AND province IS NOT DISTINCT FROM ? ORDER BY value, package_id",
        [indicator_id, me["year"], me["scheme_id"], me["industry_class"], me["province"]]).fetchall()
    return {"indicator_id": indicator_id, "title": me["title"], "unit": me["unit"], "year": me["year"],
            "industry_class": me["industry_class"], "province": me["province"], "value": me["value"],
            "q1": me["q1"], "median": me["median"], "q3": me["q3"], "others_median": me["others_median"],
            "rank": me["rank_by_value"], "n": me["peer_n"], "package_id": package_id,
            "peers": [tuple(p) for p in peers]}
