"""Ledger continuity: each month of a ledger goes to its year's assessment; a year without one is refused
naming the months (nothing written); a new year's ledger of a known layout goes to that year."""

from __future__ import annotations

import pytest

from greendesk.core import uscc
from greendesk.core.errors import UserError
from greendesk.core.meters import analyse, commit, history
from greendesk.core.meters.routing import months_by_year

SCHEME = ("gbt36132-2025", "2025.1")


def _ws(path, years):
    from greendesk.core.workspace import Workspace

    ws = Workspace.create(path, {"name": "跨年台账厂", "uscc": uscc.complete("91350100M000100Y4")})
    ids = {y: ws.create_assessment(*SCHEME, y) for y in years}
    return ws, ids


def _fiscal_ledger(folder, name="2024-2025财年能源台账.csv"):
    """2024-07 … 2025-06: electricity 1000 + 10·i kWh in the i-th month (i = 0 … 11)."""
    p = folder / name
    lines = ["月份,电（外购）", ",kWh"]
    months = [(2024, m) for m in range(7, 13)] + [(2025, m) for m in range(1, 7)]
    lines += [f"{y}年{m}月,{1000 + 10 * i}" for i, (y, m) in enumerate(months)]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _year_ledger(folder, year, kwh):
    p = folder / f"{year}年能源月报.csv"
    p.write_text("\n".join(["月份,电（外购）", ",kWh"] + [f"{m}月,{kwh}" for m in range(1, 13)]) + "\n",
                 encoding="utf-8")
    return p


def _kwh(ws, aid):
    rows = ws.conn.execute("SELECT r.period, r.value FROM meter_readings r JOIN meter_imports i ON r.import_id = i.id "
                           "WHERE i.assessment_id = ? ORDER BY r.period", [aid]).fetchall()
    return dict(rows)


def test_a_ledger_spanning_two_years_is_split_by_month(tmp_path):
    ws, ids = _ws(tmp_path / "w.greendesk", (2024, 2025))
    plan = analyse([_fiscal_ledger(tmp_path)], year=2025, ws=ws)
    assert not plan.errors, plan.errors
    assert {y: len(m) for y, m in months_by_year(plan).items()} == {2024: 6, 2025: 6}
    summary = commit(ws, ids[2025], plan)
    assert sorted((i["year"], i["assessment_id"], i["readings"]) for i in summary.imports) == [
        (2024, ids[2024], 6), (2025, ids[2025], 6)]
    k24, k25 = _kwh(ws, ids[2024]), _kwh(ws, ids[2025])
    assert list(k24) == [f"2024-{m:02d}" for m in range(7, 13)] and list(k25) == [f"2025-{m:02d}" for m in range(1, 7)]
    # 1000..1050 in 2024, 1060..1110 in 2025
    assert sum(k24.values()) == 6 * 1000 + 10 * (0 + 1 + 2 + 3 + 4 + 5) == 6150
    assert sum(k25.values()) == 6 * 1000 + 10 * (6 + 7 + 8 + 9 + 10 + 11) == 6510
    # each year lists its own part of the file
    (h24,), (h25,) = history.imports(ws, ids[2024], lang="en"), history.imports(ws, ids[2025], lang="en")
    assert h24["months"] == ["2024-07", "2024-12"] and h25["months"] == ["2025-01", "2025-06"]
    assert h24["file"] == h25["file"] == "2024-2025财年能源台账.csv"
    # importing the same file again replaces both parts (no month counted twice)
    commit(ws, ids[2025], analyse([_fiscal_ledger(tmp_path)], year=2025, ws=ws))
    assert sum(_kwh(ws, ids[2024]).values()) == 6150 and len(history.imports(ws, ids[2024])) == 1
    assert ws.conn.execute("SELECT COUNT(*) FROM meter_readings").fetchone()[0] == 12
    # the energy figures of 2024 count the 2024 months (energy_summary reads by month)
    from greendesk.core.energy import energy_summary

    e = energy_summary(ws, 2024)
    assert e["carriers"]["electricity"]["total"] == 6150
    ws.close()


def test_a_year_without_an_assessment_is_refused_naming_the_months(tmp_path):
    ws, ids = _ws(tmp_path / "w.greendesk", (2025,))
    plan = analyse([_fiscal_ledger(tmp_path)], year=2025, ws=ws)
    with pytest.raises(UserError) as e:
        commit(ws, ids[2025], plan)
    en, zh = e.value.message("en"), e.value.message("zh")
    assert "2024 (2024-07 … 2024-12, 6 months)" in en and "no assessment for 2024" in en
    assert "2024 年（2024-07 … 2024-12，6 个月）" in zh and "未导入任何数据" in zh
    assert "greendesk assess-new FILE --year 2024" in (e.value.hint_en or "")
    assert ws.conn.execute("SELECT COUNT(*) FROM meter_imports").fetchone()[0] == 0
    ws.close()


def test_a_final_year_is_not_changed_by_a_later_import(tmp_path):
    ws, ids = _ws(tmp_path / "w.greendesk", (2024, 2025))
    ws.set_status(ids[2024], "final")
    plan = analyse([_fiscal_ledger(tmp_path)], year=2025, ws=ws)
    with pytest.raises(UserError) as e:
        commit(ws, ids[2025], plan)
    assert "the 2024 assessment is final" in e.value.message("en")
    assert ws.conn.execute("SELECT COUNT(*) FROM meter_readings").fetchone()[0] == 0
    ws.close()


def test_next_years_ledger_of_a_known_layout_goes_to_next_year(tmp_path):
    ws, ids = _ws(tmp_path / "w.greendesk", (2025, 2026, 2027))
    first = analyse([_year_ledger(tmp_path, 2025, 100)], year=2025, ws=ws)
    first.set_column(f"{first.files[0].sheets[0].name}!B", carrier="electricity", unit="kWh")  # settled: a known layout
    commit(ws, ids[2025], first)
    # an unknown layout of another year stays a question (the year may be misread)
    other = analyse([_year_ledger(tmp_path, 2026, 120)], year=2025)
    assert [e.code for e in other.errors] == ["other_year"]
    plan = analyse([_year_ledger(tmp_path, 2026, 120)], year=2025, ws=ws)   # opened on 2025 by mistake
    assert plan.ok and "other_year_routed" in [i.code for i in plan.issues]
    assert list(months_by_year(plan)) == [2026]
    (imp,) = commit(ws, ids[2025], plan).imports
    assert (imp["year"], imp["assessment_id"]) == (2026, ids[2026])
    assert sum(_kwh(ws, ids[2026]).values()) == 12 * 120 and sum(_kwh(ws, ids[2025]).values()) == 12 * 100
    # a known layout of a year without an assessment is still asked about
    p28 = analyse([_year_ledger(tmp_path, 2028, 130)], year=2025, ws=ws)
    assert [e.code for e in p28.errors] == ["other_year"]
    ws.close()
