"""Re-benchmarking a 2018 workspace against GB/T 36132-2025 (issue 10.7), figures worked by hand.

The 2018 workspace (``make_2018``): every yes/no line "yes" except 建筑 — 节能评估 (a 必选 line worth 2 of the
7 points of 建筑); site 20,000 m2, floor area 18,000 m2 (plot ratio 0.9), building footprint 9,000 m2,
solid waste 100 t generated / 90 t used; workspace benchmarks: 2018 容积率 0.6–1.2, 2025 容积率 0.5–1.3 and
2025 固废综合利用率 80–100 %.

2018 by hand (section weights equal their points, so no scaling): 基础设施 5 + 5 + 8 = 18, 管理体系 15,
能源与资源投入 15, 产品 10, 环境排放 10, 绩效 容积率 2.5 × (0.9 − 0.6)/(1.2 − 0.6) = 1.25 (the other
绩效 rows have no benchmark): 69.25 of 100, not qualified (one 必选 line unmet).
2025 by hand: 容积率 2 × (0.9 − 0.5)/(1.3 − 0.5) = 1; 固废 90/(100 + 0) = 90 % → 4 × (90 − 80)/(100 − 80) = 2;
everything else unanswered or without benchmark: 3 of 100; vetoes unanswered.
"""

from __future__ import annotations

import pytest

from greendesk.core.errors import UserError
from greendesk.core.schemes.compare import compare, compare_workspace, load_crosswalk, map_answers
from greendesk.core.schemes.registry import get_scheme

OLD, NEW = "gbt36132-2018", "gbt36132-2025"


def make_2018(path):
    from greendesk.core.workspace import Workspace

    s = get_scheme(OLD)
    answers = {fid: "yes" for fid, f in s.fields_by_id.items() if f.type == "yesno"}
    answers.update({"building.energy_review": "no", "common.site_area_m2": 20000, "plot_ratio.floor_area_m2": 18000,
                    "building_density.footprint_m2": 9000, "solid_waste_utilisation.generated_t": 100,
                    "solid_waste_utilisation.utilised_t": 90, "solid_waste_utilisation.stored_used_t": 0,
                    "wastewater_reuse_rate.reused_m3": 5000, "wastewater_reuse_rate.treated_m3": 8000})
    ws = Workspace.create(path, {"name": "旧版工厂", "uscc": "91500113MA61RYP3XR", "industry_code": "C3392",
                                 "province": "重庆市"})
    try:
        aid = ws.create_assessment(OLD, s.version, 2025)
        ws.set_answers(aid, answers, scheme_version=s.version)
        ws.set_benchmark(OLD, "plot_ratio", 0.6, 1.2, source="test", set_by="t")
        ws.set_benchmark(NEW, "plot_ratio", 0.5, 1.3, source="test", set_by="t")
        ws.set_benchmark(NEW, "solid_waste_use", 80, 100, source="test", set_by="t")
    finally:
        ws.close()
    return path


@pytest.fixture
def ws2018(tmp_path):
    return make_2018(tmp_path / "old.greendesk")


def _open(path):
    from greendesk.core.workspace import Workspace

    return Workspace.open(path, readonly=True)


def topic(r, tid):
    return next(x for x in r["topics"] if x["id"] == tid)


def test_a_2018_workspace_rebenchmarked(ws2018):
    with _open(ws2018) as ws:
        r = compare_workspace(ws, [OLD, NEW], lang="en")
    old, new = r["schemes"]
    assert (old["id"], old["total"], old["qualified"]) == (OLD, 69.25, False)
    assert [x["field"] for x in old["required_failed"]] == ["building.energy_review"]
    assert (new["id"], new["total"], new["max"], new["qualified"]) == (NEW, 3, 100, False)
    assert new["qualification"]["vetoes"] == "unanswered"
    assert r["delta"] == pytest.approx(3 - 69.25)
    # rows on the scale of the total
    rows_old = {x["id"]: x for x in r["rows"][0]}
    rows_new = {x["id"]: x for x in r["rows"][1]}
    assert (rows_old["building"]["points"], rows_old["building"]["points_max"]) == (5, 7)
    assert rows_old["plot_ratio"]["points"] == 1.25 and rows_new["plot_ratio"]["points"] == 1
    assert rows_new["solid_waste_use"]["points"] == 2
    # topics: facilities 18 → 0, land 1.25 → 1, solid waste 2 (checklist) + 0 → 2
    fac = topic(r, "facilities")
    assert (fac["points"], fac["max"], fac["delta"], fac["change"]) == ([18, 0], [20, 14], -18, "loses")
    land = topic(r, "land")
    assert (land["points"], land["delta"], land["change"]) == ([1.25, 1], -0.25, "loses")
    sw = topic(r, "solid_waste")
    assert (sw["points"], sw["change"]) == ([2, 2], "same")
    assert r["losses"][0]["id"] in ("facilities", "systems")            # the largest losses come first
    assert all(x["delta"] < 0 for x in r["losses"]) and r["gains"] == []
    # topics cover every row of both schemes exactly once
    assert sorted(i for x in r["topics"] for i in x["rows"][0]) == sorted(rows_old)
    assert sorted(i for x in r["topics"] for i in x["rows"][1]) == sorted(rows_new)


def test_what_the_new_edition_needs(ws2018):
    with _open(ws2018) as ws:
        r = compare_workspace(ws, [OLD, NEW], lang="en")
    nd = {x["field"]: x for x in r["new_data"]}
    assert "plot_ratio.floor_area_m2" not in nd and "common.site_area_m2" not in nd         # same id: reused
    assert "solid_waste_use.generated_t" not in nd                                          # crosswalk: reused
    assert nd["negative_list.operating"]["new"] is True
    assert nd["building_coefficient.footprint_m2"]["related"]["field"] == "building_density.footprint_m2"
    assert nd["building_coefficient.footprint_m2"]["related"]["value"] == 9000
    assert "structures and open yards" in nd["building_coefficient.footprint_m2"]["related"]["note"]
    assert nd["water_reuse.reused_m3"]["related"]["value"] == 5000
    assert nd["common.output_value_wan_yuan"]["new"] is False                              # asked for by both
    new = r["schemes"][1]
    assert {x["to"] for x in new["answers_reused_by_crosswalk"]} == {"solid_waste_use.generated_t",
                                                                      "solid_waste_use.utilised_t",
                                                                      "solid_waste_use.stored_used_t"}
    assert "building.energy_review" in new["answers_not_used"]


def test_the_order_of_the_schemes_turns_the_comparison_round(ws2018):
    with _open(ws2018) as ws:
        r = compare_workspace(ws, [NEW, OLD], lang="en")
    assert [s["id"] for s in r["schemes"]] == [NEW, OLD]
    fac = topic(r, "facilities")
    assert (fac["points"], fac["delta"], fac["change"]) == ([0, 18], 18, "gains")
    assert r["new_data"] == [] or all(x["field"] in get_scheme(OLD).fields_by_id for x in r["new_data"])


def test_whole_indicator_values_cross_editions_only_when_listed():
    old, new = get_scheme(OLD), get_scheme(NEW)
    cw = load_crosswalk(OLD, NEW)
    mapped, reused, unused = map_answers({"land_output": 30, "plot_ratio": 0.9, "common.site_area_m2": 1}, old, new, cw)
    assert mapped == {"plot_ratio": 0.9, "common.site_area_m2": 1}    # 万元/亩 (2018) is not 万元/m2 (2025)
    assert unused == ["land_output"]
    assert load_crosswalk(NEW, OLD).old == OLD                        # found in either order


def test_two_different_schemes_are_needed():
    s = get_scheme(OLD)
    with pytest.raises(UserError):
        compare({}, s, [s, s])
    with pytest.raises(UserError):
        compare({}, s, [s])


def test_without_a_crosswalk_rows_pair_by_id():
    s, n = get_scheme(OLD), get_scheme("ningbo-2023")
    r = compare({"common.site_area_m2": 1}, s, [s, n], lang="en")
    ids = {x["id"] for x in r["topics"]}
    assert "building" in ids and r["crosswalk"] is None
    other = topic(r, "other")
    assert other["rows"] == [[], ["ningbo_direct_recognition"]]
