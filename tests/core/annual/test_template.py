"""Annual-return templates: the shipped one and the strict loader's errors (file, line and key)."""

from __future__ import annotations

import pytest

from greendesk.core.annual.template import load_template, parse_template, template_ids
from greendesk.core.errors import UserError

GOOD = """\
id: province_x
title: {zh: 某省动态管理表, en: Province X return}
source_notes: {zh: 某省表样, en: Province X form}
rows:
  - id: energy
    label: {zh: 综合能耗, en: Energy}
    unit: tce
    direction: lower_better
    key: true
    from: {energy: total_tce_calorific}
  - id: output
    label: {zh: 产值, en: Output}
    unit: 万元
    direction: none
    from: [{answer: common.output_value_wan_yuan}, {production: output_value_wan_yuan}]
  - id: intensity
    label: {zh: 强度, en: Intensity}
    unit: kgce/万元
    direction: lower_better
    from: {formula: "${energy} * 1000 / ${output}"}
"""


def test_shipped_template_has_the_rows_of_the_return():
    assert "national" in template_ids()
    t = load_template("national")
    labels = {r.label["zh"] for r in t.rows if r.show}
    for want in ("综合能源消费量（当量值）", "综合能源消费量（等价值）", "单位产品综合能耗（当量值）", "单位产值综合能耗（当量值）",
                 "碳排放总量（二氧化碳）", "碳排放强度（单位产值碳排放量）", "可再生能源利用率", "新鲜水取水量",
                 "取水强度（单位产值取水量）", "工业用水重复利用率", "一般工业固体废物产生量", "一般工业固体废物综合利用率",
                 "工业总产值（当年价）", "主要产品产量"):
        assert want in labels, want
    assert any(lbl.startswith("主要污染物排放") for lbl in labels)
    assert "不是官方表样" in t.source_notes["zh"] and "not the" in t.source_notes["en"]
    assert t.certainty == "uncertain"
    # every formula's inputs come before it in the computing order
    pos = {rid: i for i, rid in enumerate(t.order)}
    for r in t.rows:
        for s in r.sources:
            if s.formula is not None:
                assert all(pos[d] < pos[r.id] for d in s.formula.refs)


def test_a_province_template_is_a_file():
    t = parse_template(GOOD, "province_x.yaml")
    assert t.id == "province_x" and [r.id for r in t.rows] == ["energy", "output", "intensity"]
    assert t.order.index("intensity") > t.order.index("output")
    assert [s.kind for s in t.row("output").sources] == ["answer", "production"]


@pytest.mark.parametrize("old, new, where, words", [
    ("    key: true\n", "    key: true\n    colour: red\n", "x.yaml:10", "rows[1].colour: unknown key"),
    ("direction: lower_better\n    key", "direction: down\n    key", "x.yaml:8", "rows.energy.direction: must be one of"),
    ("from: {energy: total_tce_calorific}", "from: {ledger: total_tce_calorific}", "x.yaml:10",
     "rows.energy.from[1].ledger: unknown source"),
    ('"${energy} * 1000 / ${output}"', '"${energy} * 1000 / ${outptu}"', "x.yaml:20",
     "rows.intensity.from: the formula names an unknown row 'outptu'"),
    ('"${energy} * 1000 / ${output}"', '"${energy} * 1000 / (${output}"', "x.yaml:20",
     "rows.intensity.from[1].formula: not a valid formula"),
    ("  - id: output\n", "  - id: energy\n", "x.yaml:11", "rows[2].id: 'energy' is already used by rows[1]"),
    ("title: {zh: 某省动态管理表, en: Province X return}\n", "", "x.yaml:1", "title: is required"),
    ("    unit: tce\n", "", "x.yaml:5", "rows[1].unit: is required"),
    ("{production: output_value_wan_yuan}", "{production: turnover}", "x.yaml:15",
     "rows.output.from[2].production: must be one of quantity, output_value_wan_yuan"),
    ("    direction: none\n", "    direction: none\n    key: true\n", "x.yaml:15",
     "rows.output.key: a key indicator needs a direction"),
    ("{energy: total_tce_calorific}", '{formula: "${intensity}"}', "x.yaml:",
     "formulas refer to each other in a circle"),
])
def test_loader_errors_name_file_line_and_key(old, new, where, words):
    assert old in GOOD
    with pytest.raises(UserError) as e:
        parse_template(GOOD.replace(old, new, 1), "x.yaml")
    msg = e.value.message("en")
    assert msg.startswith(where), msg
    assert words in msg, msg


def test_loader_refuses_yaml_tricks_and_unknown_names(tmp_path):
    with pytest.raises(UserError) as e:
        parse_template(GOOD + "id: again\n", "x.yaml")
    assert "x.yaml:" in e.value.message("en")
    with pytest.raises(UserError) as e:
        load_template("no_such_form")
    assert "national" in e.value.message("en")
    with pytest.raises(UserError):
        load_template("../../etc/passwd")
    p = tmp_path / "mine.yaml"
    p.write_text(GOOD, encoding="utf-8")
    assert load_template(str(p)).id == "province_x"
    p.write_bytes(b"id: \xff\n")
    with pytest.raises(UserError) as e:
        load_template(str(p))
    assert "mine.yaml:1" in e.value.message("en")
