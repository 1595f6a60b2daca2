"""Continuity between years: carry-over, declared renames, orphans kept and listed."""

import pytest

from greendesk.core.errors import UserError
from greendesk.core.schemes import registry
from greendesk.core.schemes.continuity import (
    carried_fields,
    carry_over,
    carry_over_workspace,
    confirm_carried,
    migrate_answers,
)
from greendesk.core.schemes.scoring import score, score_assessment
from greendesk.core.workspace import Workspace

RENAMED = """\
format: 1
id: renamed-test
version: "2"
title: {zh: 改名, en: Renamed}
source: {standard: "TEST"}
migrations:
  renamed: {ind.old_x: ind.x}
  removed: [ind.gone]
sections:
  - id: sec
    title: {zh: 节, en: Section}
    indicators:
      - id: ind
        title: {zh: 指标, en: Indicator}
        points: 10
        rule: {kind: quantitative, direction: higher_better, value: "${ind.x}", baseline: 0, leading: 10}
        fields:
          - {id: ind.x, type: number, label: {zh: 数, en: X}}
"""


@pytest.fixture
def renamed_scheme(tmp_path):
    p = tmp_path / "renamed.yaml"
    p.write_text(RENAMED, encoding="utf-8")
    return registry.load_scheme_file(p)


def test_migrate_answers_renames_and_keeps_orphans(renamed_scheme):
    out, renamed, orphans = migrate_answers(renamed_scheme, {"ind.old_x": 5, "ind.gone": "a", "misc": 1})
    assert out == {"ind.x": 5, "ind.gone": "a", "misc": 1}
    assert renamed == {"ind.old_x": "ind.x"}
    assert orphans == ["ind.gone", "misc"]
    # a current answer wins over a renamed old one, and the old one is kept as an orphan
    out, renamed, orphans = migrate_answers(renamed_scheme, {"ind.old_x": 5, "ind.x": 7})
    assert out == {"ind.x": 7, "ind.old_x": 5} and orphans == ["ind.old_x"]


def test_score_reads_renamed_answers(renamed_scheme):
    r = score(renamed_scheme, {"ind.old_x": 5})
    assert r["total"] == 5 and r["orphans"] == []


def test_carry_over_within_a_workspace(demo_path):
    with Workspace.open(demo_path) as ws:
        before = ws.answers(ws.assessment()["id"])
        res = carry_over(ws, 2026)
        new_id = res["assessment_id"]
        assert ws.assessment()["id"] == new_id and ws.assessment()["year"] == 2026
        assert ws.answers(new_id) == before
        assert sorted(carried_fields(ws, new_id)) == sorted(before)
        assert ws.assessment(new_id)["created_from"].startswith("assessment:")
        # editing a carried answer makes it the user's; confirming keeps the value
        ws.set_answer(new_id, "common.site_area_m2", 90000.0)
        assert "common.site_area_m2" not in carried_fields(ws, new_id)
        assert confirm_carried(ws, new_id, ["negative_list.operating"]) == 1
        assert "negative_list.operating" not in carried_fields(ws, new_id)
        assert ws.answers(new_id)["negative_list.operating"] == "yes"
        r = score_assessment(ws)
        assert r["assessment"]["year"] == 2026
        assert len(r["carried_over"]) == len(before) - 2


def test_carry_over_workspace(demo_path, tmp_path):
    new = tmp_path / "2026.greendesk"
    with Workspace.open(demo_path) as ws:
        aid = ws.assessment()["id"]
        ws.set_answer(aid, "retired.field", "kept")          # an answer the scheme does not know
        ws.set_benchmark("gbt36132-2025", "carbon_intensity", 800, 300, source="sector", set_by="evaluator")
        answers = ws.answers(aid)
        factory = ws.factory()
    res = carry_over_workspace(demo_path, new, 2026)
    assert res["orphans"] == ["retired.field"] and res["carried"] == len(answers)
    with Workspace.open(new, readonly=True) as ws:
        assert ws.factory()["name"] == factory["name"] and ws.factory()["uscc"] == factory["uscc"]
        a = ws.assessment()
        assert (a["year"], a["scheme_id"]) == (2026, "gbt36132-2025")
        assert ws.answers(a["id"]) == answers
        assert all(r["source"] == "carried:2025" for r in ws.answer_rows(a["id"]))
        assert ws.benchmarks("gbt36132-2025")[0]["baseline"] == 800
        assert ws.counts()["evidence"] == 0
        r = score_assessment(ws)
        assert r["orphans"] == ["retired.field"]
    with pytest.raises(UserError):
        carry_over_workspace(demo_path, demo_path, 2026)
    with pytest.raises(UserError):                              # never overwrites by accident
        carry_over_workspace(demo_path, new, 2026)


def test_carry_over_to_another_scheme_keeps_everything(demo_path):
    with Workspace.open(demo_path) as ws:
        before = ws.answers(ws.assessment()["id"])
        res = carry_over(ws, 2026, scheme_id="gbt36132-2018")
        # 2018 shares only the common ids; the rest are kept as orphans, never dropped
        assert set(ws.answers(res["assessment_id"])) == set(before)
        assert "negative_list.operating" in res["orphans"]
        assert "common.site_area_m2" not in res["orphans"]


def test_migrate_assessment_in_place(tmp_path, monkeypatch):
    from greendesk.core.schemes.continuity import migrate_assessment

    d = tmp_path / "profiles"
    d.mkdir()
    (d / "renamed.yaml").write_text(RENAMED, encoding="utf-8")
    monkeypatch.setenv("GREENDESK_SCHEME_PATH", str(d))
    registry.clear_cache()
    try:
        from greendesk.core import uscc

        with Workspace.create(tmp_path / "w.greendesk", {"name": "X", "uscc": uscc.complete("91500113MA61RYP3X")}) as ws:
            aid = ws.create_assessment("renamed-test", "1", 2025)
            ws.set_answers(aid, {"ind.old_x": 4, "ind.gone": "x"}, scheme_version="1")
            res = migrate_assessment(ws, aid)
            assert res == {"renamed": {"ind.old_x": "ind.x"}, "orphans": ["ind.gone"], "scheme_version": "2"}
            assert ws.answers(aid) == {"ind.x": 4, "ind.gone": "x"}
            assert ws.assessment(aid)["scheme_version"] == "2"
            assert [h["field_id"] for h in ws.history(aid, "ind.x")] == ["ind.x"]    # history moved along
            assert score_assessment(ws)["total"] == 4
    finally:
        registry.clear_cache()


def test_entered_value_without_a_case_uses_workspace_benchmarks():
    s = registry.get_scheme("gbt36132-2025")
    r = score(s, {"energy_intensity": 70}, benchmarks={("energy_intensity", ""): {"baseline": 100, "leading": 50}})
    ei = next(i for i in r["indicators"] if i["id"] == "energy_intensity")
    assert ei["value_source"] == "entered" and ei["score"] == 11 * 0.6
