"""Scoring: hand-computed worked examples for every rule type and for the 12 performance formulas of
GB/T 36132-2018, live evaluation for the GUI, and property tests."""

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greendesk.core.schemes import registry
from greendesk.core.schemes.scoring import evaluate, score

RULES_YAML = """\
format: 1
id: rules-test
version: "1"
title: {zh: 规则测试, en: Rules test}
source: {standard: "TEST"}
grades:
  - {id: pass, min: 60, label: {zh: 合格, en: Pass}}
common:
  - {id: common.energy, type: number, unit: tce, label: {zh: 能耗, en: Energy}, auto: energy.total_tce}
sections:
  - id: gate
    title: {zh: 否决, en: Gate}
    indicators:
      - id: v
        title: {zh: 否决项, en: Veto}
        points: 0
        certainty: confirmed
        rule: {kind: veto, certainty: confirmed}
        fields:
          - {id: v.a, type: yesno, label: {zh: 甲, en: A}}
          - {id: v.b, type: yesno, label: {zh: 乙, en: B}}
  - id: main
    title: {zh: 主要, en: Main}
    indicators:
      - id: c
        title: {zh: 检查, en: Checklist}
        points: 10
        certainty: confirmed
        rule:
          kind: checklist
          certainty: confirmed
          items: [{field: c.req, points: 6}, {field: c.opt, points: 4, level: optional}]
        fields:
          - {id: c.req, type: yesno, label: {zh: 必选, en: Required}}
          - id: c.opt
            type: choice
            label: {zh: 可选, en: Optional}
            choices:
              - {value: none, degree: 0, label: {zh: 无, en: None}}
              - {value: half, degree: 0.5, label: {zh: 部分, en: Partly}}
              - {value: full, degree: 1, label: {zh: 完全, en: Fully}}
      - id: q_hi
        title: {zh: 正向, en: Higher}
        points: 8
        certainty: confirmed
        rule: {kind: quantitative, direction: higher_better, value: "${q_hi.x}", baseline: 0.6, leading: 1.0,
               source: test, certainty: confirmed}
        fields: [{id: q_hi.x, type: number, label: {zh: x, en: x}}]
      - id: q_lo
        title: {zh: 逆向, en: Lower}
        points: 10
        rule: {kind: quantitative, direction: lower_better, value: "${q_lo.x}", baseline: 100, leading: 60,
               source: test}
        fields: [{id: q_lo.x, type: number, label: {zh: x, en: x}}]
      - id: b
        title: {zh: 分档, en: Banded}
        points: 8
        rule:
          kind: quantitative
          direction: higher_better
          value: "${b.x}"
          band_by: "${common.energy}"
          bands:
            - {id: small, max: 3000, baseline: 0, leading: 30, label: {zh: 小, en: Small}, source: test}
            - {id: large, min: 3000, baseline: 0, leading: 10, label: {zh: 大, en: Large}, source: test}
        fields: [{id: b.x, type: percent, label: {zh: x, en: x}}]
      - id: n
        title: {zh: 计数, en: Count}
        points: 4
        rule: {kind: count, value: "count(${n.funcs})", baseline: 0, leading: 8, source: test}
        fields:
          - id: n.funcs
            type: multi
            label: {zh: 功能, en: Functions}
            choices:
              - {value: f1, label: {zh: 一, en: One}}
              - {value: f2, label: {zh: 二, en: Two}}
              - {value: f3, label: {zh: 三, en: Three}}
              - {value: f4, label: {zh: 四, en: Four}}
              - {value: f5, label: {zh: 五, en: Five}}
      - id: t
        title: {zh: 门槛, en: Threshold}
        points: 5
        rule: {kind: threshold, value: "${t.x}", threshold: 30, source: test}
        fields: [{id: t.x, type: percent, label: {zh: x, en: x}}]
      - id: m
        title: {zh: 多产品, en: Multi-product}
        points: 10
        rule:
          kind: multi_product
          direction: lower_better
          rows: m.products
          row_value: "${energy} * 1000 / ${quantity}"
          row_baseline: "${grade2}"
          row_leading: "${grade1}"
          row_weight: "${energy}"
          max_products: 3
        fields:
          - id: m.products
            type: rows
            label: {zh: 产品, en: Products}
            columns:
              - {id: name, type: text, label: {zh: 名称, en: Name}}
              - {id: quantity, type: number, label: {zh: 产量, en: Quantity}}
              - {id: energy, type: number, label: {zh: 能耗, en: Energy}}
              - {id: intensity, type: calculated, calculation: "${energy} * 1000 / ${quantity}", label: {zh: 单耗, en: Intensity}}
              - {id: grade1, type: number, label: {zh: 一级, en: Grade 1}}
              - {id: grade2, type: number, label: {zh: 二级, en: Grade 2}}
      - id: k
        title: {zh: 分情形, en: Cases}
        points: 6
        rule:
          kind: cases
          cases:
            - when: '${k.mode} = "a"'
              rule: {kind: quantitative, direction: higher_better, value: "${k.x}", baseline: 0, leading: 10}
            - when: '${k.mode} = "b"'
              rule: {kind: threshold, value: "${k.x}", threshold: 5}
        fields:
          - id: k.mode
            type: choice
            label: {zh: 情形, en: Mode}
            choices: [{value: a, label: {zh: 甲, en: A}}, {value: b, label: {zh: 乙, en: B}}]
          - {id: k.x, type: number, label: {zh: x, en: x}}
      - id: w
        title: {zh: 可不适用, en: Maybe not applicable}
        points: 4
        applicable: '${w.applies} = "yes"'
        rule: {kind: quantitative, direction: higher_better, value: "${w.x}", baseline: 0, leading: 1}
        fields:
          - {id: w.applies, type: yesno, label: {zh: 适用, en: Applies}}
          - {id: w.x, type: number, label: {zh: x, en: x}, relevant: '${w.applies} = "yes"'}
      - id: nb
        title: {zh: 缺基准, en: No benchmark}
        points: 5
        rule: {kind: quantitative, direction: lower_better, value: "${nb.a} / ${nb.b}"}
        fields:
          - {id: nb.a, type: number, label: {zh: a, en: a}}
          - id: nb.b
            type: number
            label: {zh: b, en: b}
            constraint: "${nb.b} > 0"
            constraint_message: {zh: 必须大于 0, en: must be above 0}
          - {id: nb.ratio, type: calculated, calculation: "${nb.a} / ${nb.b}", label: {zh: 比值, en: Ratio}}
  - id: weighted
    title: {zh: 加权, en: Weighted}
    weight: 50
    indicators:
      - id: s1
        title: {zh: 一, en: One}
        points: 10
        rule: {kind: quantitative, direction: higher_better, value: "${s1.x}", baseline: 0, leading: 10}
        fields: [{id: s1.x, type: number, label: {zh: x, en: x}}]
      - id: s2
        title: {zh: 二, en: Two}
        points: 10
        rule: {kind: quantitative, direction: higher_better, value: "${s2.x}", baseline: 0, leading: 10}
        fields: [{id: s2.x, type: number, label: {zh: x, en: x}}]
"""


@pytest.fixture(scope="module")
def rs(tmp_path_factory):
    p = tmp_path_factory.mktemp("rules") / "rules.yaml"
    p.write_text(RULES_YAML, encoding="utf-8")
    return registry.load_scheme_file(p)


def ind(result, iid):
    return next(i for i in result["indicators"] if i["id"] == iid)


def test_veto(rs):
    r = score(rs, {"v.a": "yes", "v.b": "na"}, lang="en")
    assert r["qualified"] is True and r["vetoes_failed"] == []
    assert ind(r, "v")["explain"] == "all 2 requirements met"
    r = score(rs, {"v.a": "yes", "v.b": "no", "q_hi.x": 1.0}, lang="en")
    assert r["qualified"] is False and r["vetoes_failed"] == ["v"]
    assert ind(r, "v")["explain"] == "not met: B"
    assert r["total"] == 8                           # the score is still shown
    r = score(rs, {"v.a": "yes"}, lang="en")
    assert r["qualified"] is False and r["vetoes_failed"] == [] and r["vetoes_unanswered"] == ["v"]
    assert "v.b" in r["missing_answers"]
    r = score(rs, {"v": "no"}, lang="en")            # met as a whole
    assert r["vetoes_failed"] == ["v"] and ind(r, "v")["value_source"] == "entered"


def test_checklist(rs):
    r = score(rs, {"c.req": "yes", "c.opt": "half"}, lang="en")
    c = ind(r, "c")
    assert (c["score"], c["max"]) == (8, 10)
    assert c["explain"] == "required 1 of 1 met; 1 optional line(s) by degree → 8 of 10 points"
    assert ind(score(rs, {"c.req": "no", "c.opt": "full"}), "c")["score"] == 4
    c = ind(score(rs, {"c.req": "na", "c.opt": "none"}), "c")   # an n/a line leaves the maximum (default: rescale)
    assert (c["score"], c["max"], c["na_lines"]) == (0, 4, ["c.req"])
    assert ind(score(rs, {"c": "yes"}), "c")["score"] == 10
    assert ind(score(rs, {"c": "no"}), "c")["score"] == 0


@pytest.mark.parametrize("x, expected", [(0.82, 4.4), (0.6, 0), (0.5, 0), (1.0, 8), (1.3, 8), (0.7, 2)])
def test_quantitative_higher_is_better(rs, x, expected):
    assert ind(score(rs, {"q_hi.x": x}), "q_hi")["score"] == pytest.approx(expected)


def test_explain_in_words(rs):
    r = score(rs, {"q_hi.x": 0.82}, lang="en")
    assert ind(r, "q_hi")["explain"] == "x=0.82, 基准值 0.6, 引领值 1 → 55% of 8 points = 4.4"
    r = score(rs, {"q_hi.x": 0.82}, lang="zh")
    assert ind(r, "q_hi")["explain"] == "x=0.82，基准值 0.6，引领值 1 → 8 分的 55% = 4.4 分"
    # uncertain figures are marked where they are shown
    assert ind(score(rs, {"q_lo.x": 90}, lang="en"), "q_lo")["explain"].endswith("⚠ uncertain: points, benchmarks")


@pytest.mark.parametrize("x, expected", [(90, 2.5), (100, 0), (120, 0), (60, 10), (50, 10), (80, 5)])
def test_quantitative_lower_is_better(rs, x, expected):
    assert ind(score(rs, {"q_lo.x": x}), "q_lo")["score"] == pytest.approx(expected)


def test_entered_value_wins_and_is_flagged(rs):
    r = score(rs, {"q_lo.x": 100, "q_lo": 80}, lang="en")
    q = ind(r, "q_lo")
    assert q["score"] == 5 and q["value"] == 80 and q["value_source"] == "entered"
    assert q["explain"].startswith("x=80 (entered), 基准值 100, 引领值 60")


def test_banded_benchmarks(rs):
    big = score(rs, {"b.x": 4, "common.energy": 5000})
    assert ind(big, "b")["band"] == "large" and ind(big, "b")["score"] == pytest.approx(3.2)
    small = score(rs, {"b.x": 4, "common.energy": 1000})
    assert ind(small, "b")["band"] == "small" and ind(small, "b")["score"] == pytest.approx(4 / 30 * 8, abs=0.01)
    edge = score(rs, {"b.x": 4, "common.energy": 3000})          # bands are [min, max)
    assert ind(edge, "b")["band"] == "large"
    # the banding attribute can come from meter data (auto values), a user answer wins
    auto = score(rs, {"b.x": 4}, auto_values={"energy.total_tce": 5000})
    assert ind(auto, "b")["band"] == "large"
    user = score(rs, {"b.x": 4, "common.energy": 1000}, auto_values={"energy.total_tce": 5000})
    assert ind(user, "b")["band"] == "small"


def test_workspace_benchmarks_override_scheme_figures(rs):
    bench = [{"indicator_id": "b", "band": "large", "baseline": 2, "leading": 6, "source": "sector table",
              "set_by": "evaluator", "set_at": "2026-01-05T10:00:00"},
             {"indicator_id": "q_hi", "band": "", "baseline": 0.8, "leading": 0.9, "source": None,
              "set_by": "me", "set_at": "2026-01-05"}]
    r = score(rs, {"b.x": 4, "common.energy": 5000, "q_hi.x": 0.85}, benchmarks=bench, lang="en")
    assert ind(r, "b")["score"] == pytest.approx(4)               # (4-2)/(6-2) = 50 % of 8
    assert ind(r, "b")["benchmark_certainty"] == "user"
    assert "set in this workspace (evaluator, 2026-01-05; sector table)" == ind(r, "b")["benchmark_source"]
    assert ind(r, "q_hi")["score"] == pytest.approx(4)


def test_count(rs):
    r = score(rs, {"n.funcs": ["f1", "f2", "f3", "f4", "f5"]}, lang="en")
    assert ind(r, "n")["score"] == pytest.approx(2.5)
    assert ind(r, "n")["explain"].startswith("x=5, 基准值 0, 引领值 8 → 62% of 4 points = 2.5")


@pytest.mark.parametrize("x, expected", [(35, 5), (30, 5), (29.9, 0)])
def test_threshold(rs, x, expected):
    assert ind(score(rs, {"t.x": x}), "t")["score"] == expected


def test_multi_product_weighted_by_energy(rs):
    products = [
        {"name": "A", "quantity": 1000, "energy": 500, "grade1": 400, "grade2": 600},   # x=500 → 50 %
        {"name": "B", "quantity": 2000, "energy": 300, "grade1": 140, "grade2": 200},   # x=150 → 83.3 %
        {"name": "C", "quantity": 100, "energy": 50, "grade1": 400, "grade2": 600},     # x=500 → 50 %
        {"name": "D", "quantity": 10, "energy": 10, "grade1": 400, "grade2": 600},      # 4th: left out
    ]
    r = score(rs, {"m.products": products}, lang="en")
    m = ind(r, "m")
    # (500 × 0.5 + 300 × 0.8333 + 50 × 0.5) / 850 = 0.6176 of 10 points
    assert m["score"] == pytest.approx(6.18, abs=0.005)
    assert [p["name"] for p in m["products"]] == ["A", "B", "C"]
    assert "A: x=500, 基准值 600, 引领值 400 → 50% (weight 59%)" in m["explain"]
    r = score(rs, {"m.products": [{"name": "A", "quantity": 1000, "energy": 500, "grade1": 400}]}, lang="en")
    assert ind(r, "m")["score"] == 0 and ind(r, "m")["missing"] == ["m.products[1].grade2"]


def test_multi_product_swapped_quota_grades_are_not_scored_backwards(rs):
    # lower is better: grade 1 (引领值) must be below grade 2 (基准值); swapped, the score would run backwards
    products = [{"name": "A", "quantity": 1000, "energy": 450, "grade1": 600, "grade2": 400}]
    m = ind(score(rs, {"m.products": products}, lang="en"), "m")
    assert m["score"] == 0
    assert "A: 引领值 600 is worse than 基准值 400" in m["explain"] and "swapped" in m["explain"]


def test_cases(rs):
    assert ind(score(rs, {"k.mode": "a", "k.x": 4}), "k")["score"] == pytest.approx(2.4)
    assert ind(score(rs, {"k.mode": "b", "k.x": 4}), "k")["score"] == 0
    assert ind(score(rs, {"k.mode": "b", "k.x": 5}), "k")["score"] == 6
    r = score(rs, {"k.x": 5})
    assert ind(r, "k")["score"] == 0 and "k.mode" in ind(r, "k")["missing"]


def test_not_applicable_and_relevance(rs):
    r = score(rs, {"w.applies": "no", "w.x": 0.5}, lang="en")
    assert (ind(r, "w")["score"], ind(r, "w")["max"], ind(r, "w")["applicable"]) == (0, 0, False)
    assert ind(r, "w")["explain"].startswith("not applicable → its 4 points leave the maximum; the total is rescaled")
    r = score(rs, {"w.applies": "yes", "w.x": 0.5})
    assert ind(r, "w")["score"] == 2
    ev = evaluate(rs, {"w.applies": "no", "w.x": 0.5})
    assert ev["fields"]["w.x"]["relevant"] is False and ev["fields"]["w.x"]["value"] is None


def test_missing_benchmark_and_division_by_zero(rs):
    r = score(rs, {"nb.a": 5, "nb.b": 2}, lang="en")
    assert r["missing_benchmarks"] == ["nb"]
    assert ind(r, "nb")["explain"].startswith("x=2.5; benchmark needed (基准值/引领值 not set)")
    r = score(rs, {"nb.a": 5, "nb.b": 0}, lang="en")
    assert ind(r, "nb")["explain"].startswith("cannot compute: division by zero")
    r = score(rs, {"nb.a": 5}, lang="en")
    assert ind(r, "nb")["explain"].startswith("cannot compute: missing nb.b") and "nb.b" in r["missing_answers"]


def test_section_weights_and_grade(rs):
    r = score(rs, {"s1.x": 5, "s2.x": 10})
    sec = next(s for s in r["sections"] if s["id"] == "weighted")
    assert (sec["score"], sec["max"], sec["raw_score"], sec["raw_max"]) == (37.5, 50, 15, 20)
    full = {"v.a": "yes", "v.b": "yes", "c": "yes", "q_hi.x": 1, "q_lo.x": 60, "b.x": 50, "common.energy": 1,
            "n.funcs": ["f1"], "t.x": 50, "k.mode": "b", "k.x": 9, "w.applies": "no", "s1.x": 10, "s2.x": 10}
    r = score(rs, full)
    assert r["max"] == 70 + 50
    assert r["grade"] == "pass" and r["qualified"]
    r = score(rs, {**full, "v.b": "no"})
    assert r["grade"] is None                        # a failed veto blocks the grade


def test_gaps_are_ranked_by_points_to_gain(rs):
    r = score(rs, {"q_hi.x": 0.82, "q_lo.x": 90})
    gains = [g["points_to_gain"] for g in r["gaps"]]
    assert gains == sorted(gains, reverse=True)
    assert {"id": "q_hi", "points_to_gain": 3.6} .items() <= next(g for g in r["gaps"] if g["id"] == "q_hi").items()


def test_evaluate_for_the_gui(rs):
    ev = evaluate(rs, {"nb.b": 0, "m.products": [{"name": "A", "quantity": 1000, "energy": 500}]}, lang="en")
    assert ev["fields"]["nb.b"]["error"] == "must be above 0"
    assert ev["indicators"]["nb"]["state"] == "has_errors"
    assert ev["fields"]["m.products"]["value"][0]["intensity"] == 500           # calculated row column
    assert ev["indicators"]["m"]["state"] == "in_progress"
    assert ev["indicators"]["q_hi"]["state"] == "not_started"
    assert evaluate(rs, {"q_hi.x": 1})["indicators"]["q_hi"]["state"] == "complete"
    assert ev["fields"]["common.energy"]["source"] == "none"
    ev = evaluate(rs, {}, auto_values={"energy.total_tce": 12})
    assert ev["fields"]["common.energy"] == {"relevant": True, "value": 12, "source": "auto", "error": None,
                                             "indicator": None}
    assert set(ev["score"]) >= {"total", "max", "qualified", "vetoes_failed", "grade", "sections", "indicators",
                                "missing_answers", "missing_benchmarks"}


def test_orphans_are_listed_not_dropped(rs):
    r = score(rs, {"q_hi.x": 1, "old.field": 3})
    assert r["orphans"] == ["old.field"]


# --- GB/T 36132-2018: the 12 performance indicators, computed from their inputs -------------------

PERF_INPUTS = {
    "common.site_area_m2": 10000, "common.output_quantity": 10000, "common.output_value_wan_yuan": 30000,
    "common.energy_tce": 5000, "common.co2_t": 12000,
    "plot_ratio.floor_area_m2": 12000, "building_density.footprint_m2": 4500,
    "green_material_rate.green_t": 40, "green_material_rate.total_t": 100,
    "pollutant_per_product.name": "COD", "pollutant_per_product.amount_kg": 500,
    "waste_gas_per_product.volume_nm3": 2.0e7, "wastewater_per_product.volume_m3": 30000,
    "raw_material_per_product.consumption_t": 12000,
    "solid_waste_utilisation.generated_t": 1000, "solid_waste_utilisation.utilised_t": 900,
    "solid_waste_utilisation.stored_used_t": 200,
    "wastewater_reuse_rate.treated_m3": 800, "wastewater_reuse_rate.reused_m3": 600,
}


@pytest.mark.parametrize("iid, expected", [
    ("plot_ratio", 1.2),                      # 12000 m² floor area / 10000 m² site
    ("building_density", 45.0),               # 4500 / 10000 × 100 %
    ("land_output", 2000.0),                  # 30000 万元 / (10000 m² / 666.667 m² per 亩) = 15 亩
    ("green_material_rate", 40.0),            # 40 t / 100 t × 100 %
    ("pollutant_per_product", 0.05),          # 500 kg / 10000 units
    ("waste_gas_per_product", 2000.0),        # 2×10⁷ Nm³ / 10000
    ("wastewater_per_product", 3.0),          # 30000 m³ / 10000
    ("raw_material_per_product", 1.2),        # 12000 t / 10000
    ("solid_waste_utilisation", 75.0),        # 900 / (1000 + 200) × 100 %
    ("wastewater_reuse_rate", 75.0),          # 600 / 800 × 100 %
    ("energy_per_product", 500.0),            # 5000 tce × 1000 / 10000 → kgce per unit
    ("carbon_per_product", 1200.0),           # 12000 t × 1000 / 10000 → kgCO2 per unit
])
def test_2018_performance_formulas(iid, expected):
    s = registry.get_scheme("gbt36132-2018")
    r = ind(score(s, PERF_INPUTS), iid)
    assert r["value"] == pytest.approx(expected, rel=1e-4)


def test_2018_performance_scores():
    s = registry.get_scheme("gbt36132-2018")
    r = score(s, PERF_INPUTS, lang="en")
    assert ind(r, "green_material_rate")["score"] == 2.5            # ≥ 30 %: threshold met
    assert ind(score(s, {**PERF_INPUTS, "green_material_rate.green_t": 20}), "green_material_rate")["score"] == 0
    # every other performance indicator waits for the sector benchmarks
    assert len([m for m in r["missing_benchmarks"]]) == 11
    bench = {("energy_per_product", ""): {"baseline": 600, "leading": 400}}
    assert ind(score(s, PERF_INPUTS, benchmarks=bench), "energy_per_product")["score"] == pytest.approx(1.25)


def test_2018_checklist_and_vetoes():
    s = registry.get_scheme("gbt36132-2018")
    answers = {f.id: "yes" for f in s.fields_by_id.values() if f.type == "yesno"}
    r = score(s, answers)
    assert r["qualified"]
    assert [x["score"] for x in r["sections"][1:6]] == [20, 15, 15, 10, 10]
    answers["building.multi_storey"] = "no"
    answers["compliance.no_accidents"] = "no"
    r = score(s, answers)
    assert r["sections"][1]["score"] == 19.5 and r["vetoes_failed"] == ["compliance"]


def test_grade_follows_the_total_as_shown():
    # 74.9999 is shown as 75: the grade must agree with the total the user sees
    s = registry.get_scheme("ningbo-2023")
    answers = {f.id: "yes" for f in s.fields_by_id.values() if f.type == "yesno"}
    bench = {("plot_ratio", ""): {"baseline": 0, "leading": 1}, ("building_density", ""): {"baseline": 0, "leading": 1}}
    r = score(s, {**answers, "plot_ratio": 1, "building_density": 0.99996}, benchmarks=bench, lang="en")
    assert r["total"] == 75 and r["grade"] == "three_star"


def test_ningbo_grades():
    s = registry.get_scheme("ningbo-2023")
    answers = {f.id: "yes" for f in s.fields_by_id.values() if f.type == "yesno"}
    r = score(s, answers, lang="zh")         # 70 checklist points + 2.5 (no green-material data)
    assert r["total"] == 70 and r["grade"] is None
    bench = {(i.id, ""): ({"baseline": 0, "leading": 1} if i.rule.direction == "higher_better"
                          else {"baseline": 1, "leading": 0}) for i in s.sections[6].indicators}
    perf = {**PERF_INPUTS, "pollutant_per_product.amount_kg": 0, "waste_gas_per_product.volume_nm3": 0,
            "wastewater_per_product.volume_m3": 0, "raw_material_per_product.consumption_t": 0,
            "common.energy_tce": 0, "common.co2_t": 0}
    r = score(s, {**answers, **perf}, benchmarks=bench, lang="zh")
    # higher-better rows reach their leading value 1 and lower-better rows reach theirs (0): all full
    assert r["total"] == 100 and r["grade"] == "four_star_candidate" and r["grade_label"] == "可推荐申报四星级"
    r = score(s, {**answers, **perf, "green_material_rate.green_t": 0, "plot_ratio.floor_area_m2": 0,
                  "building_density.footprint_m2": 0, "common.output_value_wan_yuan": 0,
                  "solid_waste_utilisation.utilised_t": 0, "wastewater_reuse_rate.reused_m3": 0},
              benchmarks=bench)
    assert r["total"] == 85 and r["grade"] == "four_star_candidate"
    r = score(s, {**answers, "building.energy_review": "no", "lighting.lpd": "no", "equipment.special": "no",
                  "procurement.criteria": "no"})
    assert r["total"] == 70 - 2 - 3 - 1.5 - 2


# --- properties -----------------------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@given(x=finite, B=finite, L=finite)
def test_quantitative_score_bounded_and_monotone(rs, x, B, L):
    if abs(L - B) < 1e-9:
        return
    bench = {("q_hi", ""): {"baseline": B, "leading": L}}
    s1 = ind(score(rs, {"q_hi.x": x}, benchmarks=bench), "q_hi")["score"]
    s2 = ind(score(rs, {"q_hi.x": x + 1}, benchmarks=bench), "q_hi")["score"]
    assert 0 <= s1 <= 8 and 0 <= s2 <= 8
    if L > B:       # leading above baseline: more is better
        assert s2 >= s1
    else:           # leading below baseline: less is better
        assert s2 <= s1


answer_values = st.one_of(st.none(), st.floats(0, 1e5, allow_nan=False), st.sampled_from(["yes", "no", "na"]))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_2025_total_within_bounds_for_any_answers(data):
    s = registry.get_scheme("gbt36132-2025")
    answers = {}
    for f in s.fields_by_id.values():
        if f.type in ("number", "percent", "integer"):
            answers[f.id] = data.draw(st.one_of(st.none(), st.floats(0, 1e5, allow_nan=False)), label=f.id)
        elif f.type == "yesno":
            answers[f.id] = data.draw(st.sampled_from([None, "yes", "no", "na"]), label=f.id)
        elif f.type == "choice":
            answers[f.id] = data.draw(st.sampled_from([None] + [c.value for c in f.choices]), label=f.id)
    bench = {(i.id, b.id if b else ""): {"baseline": 10.0, "leading": 50.0}
             for i in s.indicators() for b in (i.rule.bands or (None,))}
    r = score(s, answers, benchmarks=bench)
    assert 0 <= r["total"] <= r["max"] == 100
    for i in r["indicators"]:
        assert 0 <= i["score"] <= i["max"]


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0, 1e6, allow_nan=False), b=st.floats(0, 1e6, allow_nan=False))
def test_2025_scores_move_the_right_way(a, b):
    """More reused water never lowers the reuse score; more CO2 never raises the carbon score."""
    s = registry.get_scheme("gbt36132-2025")
    lo, hi = sorted((a, b))
    bench = {("water_reuse", ""): {"baseline": 50, "leading": 90},
             ("carbon_intensity", ""): {"baseline": 800, "leading": 300}}
    base = {"common.water_intake_m3": 1000.0, "common.output_value_wan_yuan": 10000.0}

    def pts(extra, iid):
        return ind(score(s, {**base, **extra}, benchmarks=bench), iid)["score"]

    assert pts({"water_reuse.reused_m3": hi}, "water_reuse") >= pts({"water_reuse.reused_m3": lo}, "water_reuse")
    assert pts({"common.co2_t": hi}, "carbon_intensity") <= pts({"common.co2_t": lo}, "carbon_intensity")


def test_rules_yaml_is_valid_text():
    assert textwrap.dedent(RULES_YAML) == RULES_YAML


def test_required_when_finalizing():
    s = registry.get_scheme("gbt36132-2025")
    r = score(s, {"energy_intensity.quota_applies": "no"})
    assert "common.site_area_m2" in r["required_missing"] and "negative_list.operating" in r["required_missing"]
    assert "energy_intensity.quota_applies" not in r["required_missing"]
    assert "water_reuse.reused_m3" not in r["required_missing"]          # optional for finalizing


def test_calculated_fields_in_live_evaluation(rs):
    ev = evaluate(rs, {"nb.a": 6, "nb.b": 4}, lang="en")
    assert ev["fields"]["nb.ratio"]["value"] == 1.5 and ev["fields"]["nb.ratio"]["source"] == "calculated"
    ev = evaluate(rs, {"nb.a": 6, "nb.b": 0}, lang="en")
    assert ev["fields"]["nb.ratio"]["value"] is None
    assert ev["fields"]["nb.ratio"]["error"] == "cannot compute: division by zero"
    ev = evaluate(rs, {"nb.a": 6}, lang="zh")
    assert ev["fields"]["nb.ratio"]["error"] == "无法计算：缺少 nb.b"


row = st.fixed_dictionaries({"name": st.text(max_size=3), "quantity": st.floats(0.01, 1e6),
                             "energy": st.floats(0, 1e6), "grade1": st.floats(0, 1e4), "grade2": st.floats(0, 1e4)})


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(row, min_size=1, max_size=5), factor=st.floats(0.5, 0.99))
def test_multi_product_bounded_and_monotone(rs, rows, factor):
    """Within [0, points]; using less energy for the same output never lowers the score."""
    m1 = ind(score(rs, {"m.products": rows}), "m")["score"]
    assert 0 <= m1 <= 10
    # lower every product's intensity by the same factor while keeping the weights' order
    better = [{**r, "quantity": r["quantity"] / factor} for r in rows]
    m2 = ind(score(rs, {"m.products": better}), "m")["score"]
    assert m2 + 1e-9 >= m1 or any(r["grade1"] > r["grade2"] for r in rows)


def test_state_counts_shared_inputs():
    s = registry.get_scheme("gbt36132-2025")
    ev = evaluate(s, {"common.output_value_wan_yuan": 1000})
    assert ev["indicators"]["carbon_intensity"]["state"] == "in_progress"
    assert ev["indicators"]["water_reuse"]["state"] == "not_started"
    ev = evaluate(s, {"common.output_value_wan_yuan": 1000, "common.co2_t": 500})
    assert ev["indicators"]["carbon_intensity"]["state"] == "complete"


junk = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5)),
                    lambda inner: st.one_of(st.lists(inner, max_size=3),
                                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                    max_leaves=8)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_scoring_never_crashes_on_junk_answers(rs, data):
    """Whatever a workspace holds (older versions, hand edits), scoring explains instead of crashing."""
    ids = sorted(rs.fields_by_id) + sorted(rs.indicators_by_id)
    answers = data.draw(st.dictionaries(st.sampled_from(ids), junk, max_size=12))
    r = score(rs, answers)
    assert 0 <= r["total"] <= r["max"]
    evaluate(rs, answers)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_2025_scoring_never_crashes_on_junk_answers(data):
    s = registry.get_scheme("gbt36132-2025")
    ids = sorted(s.fields_by_id) + sorted(s.indicators_by_id)
    answers = data.draw(st.dictionaries(st.sampled_from(ids), junk, max_size=15))
    r = evaluate(s, answers)["score"]
    assert 0 <= r["total"] <= r["max"]
