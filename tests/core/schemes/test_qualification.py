"""Qualification, the not-applicable policy and the points table as sourced scheme data (issue 10.4/10.5).

Totals are worked by hand from the test scheme in test_scoring (RULES_YAML): the nominal maximum is
10 + 8 + 10 + 8 + 4 + 5 + 10 + 6 + 4 + 5 = 70 in "main" plus the weighted section's 50 = 120.
"""

from __future__ import annotations

import textwrap

import pytest

from greendesk.core.errors import UserError
from greendesk.core.schemes import registry
from greendesk.core.schemes.registry import get_scheme
from greendesk.core.schemes.scoring import score
from tests.core.schemes.test_scoring import RULES_YAML


def _load(tmp_path, text: str, name: str = "s.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return registry.load_scheme_file(p)


def _variant(tmp_path, extra: str):
    """RULES_YAML with extra top-level keys after ``source``."""
    text = RULES_YAML.replace('source: {standard: "TEST"}\n', 'source: {standard: "TEST"}\n' + extra)
    return _load(tmp_path, text)


def ind(r, iid):
    return next(i for i in r["indicators"] if i["id"] == iid)


ANSWERS = {"c.req": "yes", "c.opt": "full", "q_hi.x": 1.0, "w.applies": "no"}   # 10 + 8 earned; w (4) n/a


def test_rescale_is_the_default_and_shown(tmp_path):
    s = _load(tmp_path, RULES_YAML)
    assert s.na_policy == "rescale" and s.max_points == 120
    r = score(s, ANSWERS, lang="en")
    # 18 points on 120 − 4 = 116 applicable points, rescaled to 120: 18 × 120 / 116 = 18.6207
    assert (r["raw_total"], r["applicable_max"], r["total"], r["max"]) == (18, 116, 18.62, 120)
    assert r["rescaled"] is True and r["percent"] == 15.5
    assert r["na_excluded"] == [{"id": "w", "kind": "indicator", "points": 4.0}]
    assert r["na_policy"]["mode"] == "rescale"
    assert next(x for x in r["sections"] if x["id"] == "main")["max"] == 66    # sections stay unrescaled


@pytest.mark.parametrize("mode, total, mx", [("full", 22, 120), ("exclude", 18, 116)])
def test_other_not_applicable_modes(tmp_path, mode, total, mx):
    s = _variant(tmp_path, f"na_policy: {{mode: {mode}, source: test, certainty: confirmed}}\n")
    r = score(s, ANSWERS, lang="en")
    assert (r["total"], r["max"], r["rescaled"]) == (total, mx, False)
    assert r["na_policy"] == {"mode": mode, "source": "test", "certainty": "confirmed", "note": ""}
    assert (r["na_excluded"] == []) is (mode == "full")


def test_weighted_section_all_not_applicable_leaves_the_maximum(tmp_path):
    text = RULES_YAML.replace(
        "        rule: {kind: quantitative, direction: higher_better, value: \"${s1.x}\", baseline: 0, leading: 10}",
        "        applicable: 'false'\n"
        "        rule: {kind: quantitative, direction: higher_better, value: \"${s1.x}\", baseline: 0, leading: 10}").replace(
        "        rule: {kind: quantitative, direction: higher_better, value: \"${s2.x}\", baseline: 0, leading: 10}",
        "        applicable: 'false'\n"
        "        rule: {kind: quantitative, direction: higher_better, value: \"${s2.x}\", baseline: 0, leading: 10}")
    s = _load(tmp_path, text)
    r = score(s, {"c.req": "yes", "c.opt": "full", "q_hi.x": 1.0, "w.applies": "yes", "w.x": 1})
    # 22 of the 70 points of "main"; the weighted 50 left out: 22 × 120 / 70 = 37.714
    assert (r["raw_total"], r["applicable_max"], r["total"]) == (22, 70, 37.71)
    assert next(x for x in r["sections"] if x["id"] == "weighted")["max"] == 0


def test_required_lines_disqualify_when_the_scheme_says_so(tmp_path):
    plain = _load(tmp_path, RULES_YAML)
    base = {"v.a": "yes", "v.b": "yes", "c.opt": "full"}
    r = score(plain, {**base, "c.req": "no"}, lang="en")
    assert r["qualified"] is True                       # default: an unmet 必选 line only loses points
    assert r["required_failed"][0]["field"] == "c.req" and r["qualification"]["required_lines"] == "score"
    s = _variant(tmp_path, "qualification: {required_lines: disqualify, source: test rule, certainty: confirmed}\n")
    r = score(s, {**base, "c.req": "no"}, lang="en")
    assert r["qualified"] is False
    assert r["required_failed"] == [{"indicator": "c", "field": "c.req", "title": "Required",
                                     "indicator_title": "Checklist"}]
    assert r["qualified_reason"] == "required (必选) lines not met (1): Checklist — Required"
    assert r["grade"] is None                           # the 60-point grade needs a qualified factory
    r = score(s, base, lang="en")
    assert r["qualified"] is False and r["required_unanswered"][0]["field"] == "c.req"
    assert r["qualified_reason"] == "required (必选) lines not yet answered (1)"
    r = score(s, {**base, "c": "no"}, lang="en")        # entered as a whole: every line unmet
    assert r["qualified"] is False and [x["field"] for x in r["required_failed"]] == ["c.req"]
    r = score(s, {**base, "c.req": "na"}, lang="en")    # not applicable is not a failure
    assert r["qualified"] is True and r["qualified_reason"] == "all veto items and required (必选) lines met"
    assert r["qualification"]["source"] == "test rule"


def test_pass_mark_only_from_the_scheme(tmp_path):
    s = _variant(tmp_path, "qualification: {required_lines: score, pass_mark: 20, source: test notice}\n")
    base = {"v.a": "yes", "v.b": "yes"}
    r = score(s, {**base, **ANSWERS}, lang="en")        # 18.62 < 20
    assert r["qualified"] is False and r["qualification"]["pass_mark_reached"] is False
    assert r["qualified_reason"] == "the total is below the pass mark 20"
    r = score(s, {**base, **ANSWERS, "w.applies": "yes", "w.x": 1}, lang="en")   # 22 of 120
    assert r["qualified"] is True and r["qualification"]["statement"] == "pass mark 20 (test notice): reached"
    plain = score(_load(tmp_path, RULES_YAML, "p.yaml"), {**base, **ANSWERS}, lang="en")
    assert plain["qualification"]["pass_mark"] is None
    assert plain["qualification"]["thresholds"] == []   # the test grade has no source: not reported as sourced
    assert plain["qualification"]["statement"].startswith("this scheme sets no pass mark")
    assert plain["grades"][0]["sourced"] is False


def _all_yes(s):
    return {fid: "yes" for fid, f in s.fields_by_id.items() if f.type == "yesno"}


def test_gbt2018_unmet_required_line_is_named():
    s = get_scheme("gbt36132-2018")
    assert s.qualification.required_lines == "disqualify" and s.qualification.certainty == "secondary"
    answers = _all_yes(s)
    r = score(s, answers, lang="en")
    assert r["qualified"] is True and r["required_failed"] == [] and r["required_unanswered"] == []
    answers["building.energy_review"] = "no"
    r = score(s, answers, lang="en")
    assert r["qualified"] is False and r["vetoes_failed"] == []
    assert [x["field"] for x in r["required_failed"]] == ["building.energy_review"]
    assert r["qualified_reason"].startswith("required (必选) lines not met (1): ")
    answers["building.energy_review"] = "yes"
    answers["building.four_savings"] = "no"              # an optional (可选) line only loses points
    assert score(s, answers)["qualified"] is True


def test_ningbo_grade_blocked_by_a_required_line():
    s = get_scheme("ningbo-2023")
    assert s.qualification.required_lines == "disqualify"          # inherited from the 2018 base
    r = score(s, {**_all_yes(s), "building.energy_review": "no"})
    assert r["qualified"] is False and r["grade"] is None
    assert [g["sourced"] for g in r["grades"]] == [True, True]
    assert [g["min"] for g in r["qualification"]["thresholds"]] == [75, 85]


def test_gbt2025_reports_the_veto_result_and_no_pass_mark():
    s = get_scheme("gbt36132-2025")
    r = score(s, _all_yes(s), lang="en")
    assert r["qualified"] is True and r["qualification"]["vetoes"] == "met"
    assert r["qualification"]["required_lines"] == "score" and r["qualification"]["pass_mark"] is None
    assert r["qualification"]["statement"] == ("this scheme sets no pass mark: the total alone does not say whether "
                                               "the factory qualifies")
    assert "企业绿码" in r["qualification"]["source"]
    r = score(s, {**_all_yes(s), "negative_list.operating": "no"}, lang="en")
    assert r["qualified"] is False and r["qualification"]["vetoes"] == "failed"


def test_points_tables_of_the_2025_scheme():
    s = get_scheme("gbt36132-2025")
    assert s.points_table == "t25a" and [p.id for p in s.points_tables] == ["t25a", "miit60"]
    secs = {x.id: x.max_points for x in s.sections}
    assert (secs["energy"], secs["resources"]) == (34, 22)       # 56: the table in use, as written
    miit = s.points_tables[1]
    assert miit.certainty == "uncertain" and "60" in miit.source
    energy = [i.id for i in s.sections[1].indicators]
    resources = [i.id for i in s.sections[2].indicators]
    assert sum(miit.points[i] for i in energy) == 30 and sum(miit.points[i] for i in resources) == 30
    assert sum(miit.points.values()) == 100


PROFILE = """\
format: 1
id: t60
version: "1"
base: gbt36132-2025
title: {zh: 六成, en: Sixty}
source: {standard: "GB/T 36132-2025"}
points_table: miit60
"""


def test_a_profile_chooses_the_60_percent_table(tmp_path):
    s = _load(tmp_path, PROFILE, "t60.yaml")
    secs = {x.id: x.max_points for x in s.sections}
    assert (secs["energy"], secs["resources"], secs["cleaner_production"], secs["products"], secs["land"]) == \
        (30, 30, 16, 16, 8)
    gd = s.indicator("green_design")
    assert gd.points == 8 and gd.certainty == "uncertain" and "60" in gd.source
    assert sum(i.points for i in gd.rule.items) == 8              # the checklist lines scale with the points
    r = score(s, {"green_design.case": "quantified"}, lang="en")
    g = ind(r, "green_design")
    choice = s.fields_by_id["green_design.case"].choice("quantified")
    assert g["max"] == 8 and g["score"] == pytest.approx(8 * choice.degree)
    assert r["points_table"]["id"] == "miit60"
    with pytest.raises(UserError) as e:
        _load(tmp_path, PROFILE.replace("points_table: miit60", "points_table: nope"), "bad.yaml")
    assert "bad.yaml:7" in str(e.value) and "no points table 'nope'" in str(e.value)
    bad = PROFILE.replace("points_table: miit60\n", "points_tables:\n  - {id: x, label: {zh: x, en: x}, source: s, "
                          "points: {no_such_row: 3}}\n")
    with pytest.raises(UserError) as e:
        _load(tmp_path, bad, "bad2.yaml")
    assert "the scheme has no indicator 'no_such_row'" in str(e.value)


def test_outline_names_the_policies():
    from greendesk.core.i18n import using_language
    from greendesk.core.schemes.describe import outline_text

    with using_language("en"):
        text = outline_text(get_scheme("gbt36132-2025"))
    assert "Points table: A provincial platform's public table" in text and "also offered: miit60" in text
    assert "Not-applicable rows: their points leave the maximum and the total is rescaled" in text
    assert "no pass mark" in text
    with using_language("en"):
        text = outline_text(get_scheme("gbt36132-2018"))
    assert "every veto item and every required (必选) line must be met" in text


def test_profile_text_is_dedented():   # guards the fixtures above against an indented PROFILE
    assert textwrap.dedent(PROFILE) == PROFILE
