"""core/finalize.py: finalizing is refused with the blocking problems; reopening needs a reason."""

from __future__ import annotations

import pytest

from greendesk.core import finalize
from greendesk.core.errors import UserError
from greendesk.core.workspace import AssessmentFinal, Workspace


@pytest.fixture
def demo(demo_path):
    ws = Workspace.open(demo_path)
    yield ws, ws.assessment()["id"]
    ws.close()


def test_demo_finalizes_with_warnings_only_and_is_logged(demo):
    ws, aid = demo
    result = finalize.finalize(ws, aid, by="王经理")
    assert result["blocking"] == [] and result["assessment"]["status"] == "final"
    assert {w["kind"] for w in result["warnings"]} == {"benchmark", "evidence"}   # no row has its evidence attached
    assert ws.assessment(aid)["status"] == "final"
    assert [(e["action"], e["by"]) for e in ws.assessment_events(aid)] == [("finalize", "王经理")]
    with pytest.raises(UserError, match="already final"):
        finalize.finalize(ws, aid)


def test_unmet_commitment_blocks_finalize(demo):
    ws, aid = demo
    ws.set_answer(aid, "negative_list.not_defaulter", "no")
    with pytest.raises(finalize.FinalizeRefused) as e:
        finalize.finalize(ws, aid)
    assert [p["kind"] for p in e.value.problems] == ["commitment"]
    assert e.value.problems[0]["field"] == "negative_list.not_defaulter"
    assert e.value.problems[0]["item"] == "negative_list"
    assert "未被列入严重失信主体名单" in e.value.zh and "未被列为失信被执行人" in e.value.zh
    assert "seriously untrustworthy" in e.value.en
    assert ws.assessment(aid)["status"] == "draft" and ws.assessment_events(aid) == []


def test_other_failed_veto_only_warns(demo):
    ws, aid = demo
    ws.set_answer(aid, "basic_requirements.qms", "no")  # not part of the commitment letter
    p = finalize.problems(ws, aid, lang="en")
    assert p["blocking"] == []
    assert any(w["kind"] == "veto_failed" and w["item"] == "basic_requirements" for w in p["warnings"])


def test_unanswered_required_blocks(demo):
    ws, aid = demo
    ws.set_answer(aid, "negative_list.operating", None)
    with pytest.raises(finalize.FinalizeRefused) as e:
        finalize.finalize(ws, aid)
    kinds = {p["kind"] for p in e.value.problems}
    assert kinds <= {"required", "veto_unanswered"} and kinds
    assert any(p["field"] == "negative_list.operating" for p in e.value.problems)


def test_reopen_requires_reason_and_logs_it(demo):
    ws, aid = demo
    with pytest.raises(UserError, match="draft already"):
        finalize.reopen(ws, aid, "x")
    finalize.finalize(ws, aid, by="a")
    with pytest.raises(AssessmentFinal):
        ws.set_answer(aid, "common.site_area_m2", 1)
    for empty in ("", "   "):
        with pytest.raises(UserError, match="reason"):
            finalize.reopen(ws, aid, empty)
    assert ws.is_final(aid)
    ev = finalize.reopen(ws, aid, " 更正用地面积 ", by="b")
    assert (ev["action"], ev["reason"], ev["by"]) == ("reopen", "更正用地面积", "b")
    assert not ws.is_final(aid)
    assert ws.set_answer(aid, "common.site_area_m2", 1)


def test_commitment_data_names_real_fields():
    """Every field the commitment data lists exists in at least one bundled scheme, as a yes/no field."""
    from greendesk.core.schemes.registry import list_schemes

    fields = {}
    for s in list_schemes():
        fields.update(s.fields_by_id)
    for claim in finalize.commitment_claims():
        assert claim["statement"]["zh"] and claim["statement"]["en"]
        for fid in claim["fields"]:
            assert fid in fields and fields[fid].type == "yesno", fid
