"""A final assessment is read-only in core until it is reopened as a draft."""

from __future__ import annotations

import pytest

from greendesk.core.workspace import AssessmentFinal, Workspace

PROFILE = {"name": "测试工厂", "uscc": "91350100M000100Y43"}


@pytest.fixture
def ws(tmp_path):
    w = Workspace.create(tmp_path / "t.greendesk", PROFILE)
    yield w
    w.close()


def test_final_assessment_refuses_answers_and_evidence(ws):
    aid = ws.create_assessment("s", "1", 2025)
    ws.set_answer(aid, "a", 1)
    ev = ws.add_evidence(aid, b"%PDF-1.4 x", name="x.pdf", item_id="ems")
    ws.set_status(aid, "final")
    for call in (lambda: ws.set_answer(aid, "a", 2), lambda: ws.set_answer(aid, "a", None),
                 lambda: ws.set_answers(aid, {"a": 3, "b": 4}),
                 lambda: ws.add_evidence(aid, b"other", name="y.pdf"),
                 lambda: ws.remove_evidence(ev["id"]), lambda: ws.rename_answer(aid, "a", "c"),
                 lambda: ws.require_draft(aid)):
        with pytest.raises(AssessmentFinal) as e:
            call()
        assert "已定稿" in e.value.zh and "reopen" in e.value.en
    assert ws.answers(aid) == {"a": 1}
    assert [e["id"] for e in ws.evidence(aid)] == [ev["id"]]
    assert len(ws.history(aid)) == 1


def test_other_assessment_stays_editable(ws):
    old = ws.create_assessment("s", "1", 2024)
    new = ws.create_assessment("s", "1", 2025)
    ws.set_status(old, "final")
    assert ws.set_answer(new, "a", 1)
    ws.require_draft(new)


def test_status_changes_are_logged_with_who_and_why(ws):
    aid = ws.create_assessment("s", "1", 2025)
    ws.set_status(aid, "final", by="张三")
    ws.set_status(aid, "final", by="张三")  # no change: no second row
    ws.set_status(aid, "draft", reason="补充证书", by="李四")
    ev = ws.assessment_events(aid)
    assert [(e["action"], e["reason"], e["by"]) for e in ev] == [("finalize", None, "张三"),
                                                                 ("reopen", "补充证书", "李四")]
    assert all(e["at"] for e in ev)
    assert ws.assessment(aid)["finalized_at"] is None
    assert ws.set_answer(aid, "a", 5)


def test_removed_evidence_is_restored_exactly(ws):
    aid = ws.create_assessment("s", "1", 2025)
    e1 = ws.add_evidence(aid, b"%PDF-1.4 cert", name="证书.pdf", item_id="ems", note="n")
    ws.add_evidence(aid, b"other", name="b.pdf", item_id="ems")
    dump = lambda: (ws.conn.execute("SELECT * FROM evidence ORDER BY id").fetchall(),  # noqa: E731
                    ws.conn.execute("SELECT * FROM blobs ORDER BY sha256").fetchall())
    before = dump()
    removed = ws.remove_evidence(e1["id"])
    assert removed["row"]["id"] == e1["id"] and removed["data"] == b"%PDF-1.4 cert"
    assert ws.conn.execute("SELECT COUNT(*) FROM blobs WHERE sha256 = ?", [e1["sha256"]]).fetchone()[0] == 0
    assert ws.remove_evidence(e1["id"]) is None
    assert ws.restore_evidence(removed) == e1
    assert dump() == before
    ws.remove_evidence(e1["id"])
    ws.set_status(aid, "final")
    with pytest.raises(AssessmentFinal):
        ws.restore_evidence(removed)
