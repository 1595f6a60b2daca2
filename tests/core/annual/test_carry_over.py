"""Carried-over answers: marked with the year they come from until confirmed, listed, counted, and a
finalize blocker (last year's figure filed unchecked would be declared as this year's)."""

from __future__ import annotations

import json

import pytest

from greendesk.core.finalize import problems
from greendesk.core.schemes import continuity as C
from tests.core.annual import threeyears as T


@pytest.fixture
def carried(tmp_path):
    """The three-year workspace where 2025 has only what 2024 carried over (nobody filled it in yet)."""
    path = tmp_path / "three.greendesk"
    ws, ids = T.build(path, skip_data=(2025,))
    yield ws, ids, path
    ws.close()


def test_source_names_the_year_and_old_marks_still_read():
    assert C.carried_source(2024) == "carried:2024"
    assert C.is_carried("carried:2024") and C.is_carried("carried") and not C.is_carried("user")
    assert not C.is_carried(None) and not C.is_carried("carriedx")
    assert C.carried_from("carried:2024") == 2024
    assert C.carried_from("carried") is None and C.carried_from("user") is None


def test_carry_over_marks_every_answer_with_last_years_year(carried):
    ws, ids, _ = carried
    rows = C.unconfirmed(ws, ids[2025])
    assert {r["field_id"] for r in rows} == set(T.year_answers(2024))
    assert {r["from_year"] for r in rows} == {2024}
    by_id = {r["field_id"]: r["value"] for r in rows}
    assert by_id["solid_waste_use.utilised_t"] == T.UTILISED[2024]     # last year's value, unchanged
    # 2024 was filled in (every carried answer was entered again): nothing left to confirm
    assert C.unconfirmed(ws, ids[2024]) == []


def test_unconfirmed_answers_block_finalizing_until_confirmed(carried):
    ws, ids, _ = carried
    aid = ids[2025]
    blocking = [p for p in problems(ws, aid, lang="en")["blocking"] if p["kind"] == "carried"]
    assert len(blocking) == len(T.year_answers(2024))
    assert all(p["text"].startswith("From 2024, not yet confirmed: ") for p in blocking)
    zh = [p for p in problems(ws, aid, lang="zh")["blocking"] if p["kind"] == "carried"]
    assert zh[0]["text"].startswith("来自2024年，尚未确认：")
    # editing a value confirms it; the other carried answers stay to confirm
    ws.set_answer(aid, "solid_waste_use.utilised_t", 425.0)
    left = {r["field_id"] for r in C.unconfirmed(ws, aid)}
    assert "solid_waste_use.utilised_t" not in left and len(left) == len(T.year_answers(2024)) - 1
    assert C.confirm_carried(ws, aid) == len(left)
    assert not [p for p in problems(ws, aid, lang="en")["blocking"] if p["kind"] == "carried"]
    assert ws.answers(aid)["water_reuse.reused_m3"] == T.REUSED_M3        # confirming keeps the value


def test_confirm_all_in_a_section_confirms_that_section_only(carried):
    from greendesk.core.schemes.registry import get_scheme

    ws, ids, _ = carried
    aid = ids[2025]
    scheme = get_scheme(T.SCHEME)
    # the resources section: water_intensity, water_reuse, solid_waste_use (5 of the 8 answers)
    n = C.confirm_section(ws, aid, scheme, "water_reuse")
    assert n == 4          # water_intensity.quota_applies, water_reuse.reused_m3, solid_waste_use x2
    left = {r["field_id"] for r in C.unconfirmed(ws, aid)}
    assert left == {"energy_intensity.quota_applies", "wastewater_concentration.discharges",
                    "wastewater_concentration.pollutants", "waste_gas_concentration.emits"}
    assert C.confirm_section(ws, aid, scheme, "water_reuse") == 0


def test_the_return_notes_a_carried_figure(carried):
    from greendesk.core.annual.returns import build_return

    ws, ids, _ = carried
    rows = {r["id"]: r for r in build_return(ws, 2025, lang="en")["rows"]}
    sw = rows["solid_waste_t"]["values"]["2025"]
    assert sw["value"] == T.GENERATED_T and "carried over" in sw["note"]


def test_cli_lists_and_confirms(carried, run_cli):
    ws, ids, path = carried
    ws.close()
    p = run_cli("answers", path, "--unconfirmed", "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["assessment"]["year"] == 2025 and len(d["unconfirmed"]) == 8 and d["confirmed"] == 0
    text = run_cli("answers", path, "--unconfirmed").stdout
    assert "water_reuse.reused_m3 = 96000.0  (from 2024, please confirm)" in text and "To confirm: 8" in text
    assert "（来自2024年，请确认）" in run_cli("answers", path, "--unconfirmed", lang="zh").stdout
    bad = run_cli("answers", path, "--confirm", "common.site_area_m2")
    assert bad.returncode != 0 and "common.site_area_m2" in bad.stderr and "--unconfirmed" in bad.stderr
    d = json.loads(run_cli("answers", path, "--confirm", "water_reuse.reused_m3", "--json").stdout)
    assert d["confirmed"] == 1 and len(d["unconfirmed"]) == 7
    fin = run_cli("finalize", path)
    assert fin.returncode != 0 and "From 2024, not yet confirmed" in fin.stdout + fin.stderr
    d = json.loads(run_cli("answers", path, "--confirm", "all", "--json").stdout)
    assert d["confirmed"] == 7 and d["unconfirmed"] == []
    assert "No carried-over answer to confirm." in run_cli("answers", path, "--unconfirmed").stdout
