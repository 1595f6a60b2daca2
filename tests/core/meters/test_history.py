"""core/meters/history.py: the imports of an assessment, removal, and an exact undo."""

from __future__ import annotations

import pytest

from greendesk.core.errors import UserError
from greendesk.core.meters import history
from greendesk.core.workspace import AssessmentFinal, Workspace


def _dump(ws):
    q = ws.conn.execute
    return (q("SELECT * FROM meter_imports ORDER BY id").fetchall(),
            q("SELECT * FROM meter_readings ORDER BY id").fetchall(),
            q("SELECT sha256, size, data FROM blobs ORDER BY sha256").fetchall())


@pytest.fixture
def demo(demo_path):
    ws = Workspace.open(demo_path)
    yield ws, ws.assessment()["id"]
    ws.close()


def test_lists_what_each_import_added(demo):
    ws, aid = demo
    rows = history.imports(ws, aid, lang="en")
    assert len(rows) == 1
    r = rows[0]
    assert r["file"] == "2025年能源月报.xlsx" and r["readings"] == 48
    assert r["months"] == ["2025-01", "2025-12"] and r["month_count"] == 12
    elec = next(c for c in r["carriers"] if c["carrier"] == "electricity")
    assert (elec["unit"], elec["months"], elec["total"]) == ("kWh", 12, 18_900_000.0)
    assert elec["label"] and elec["label"] != "electricity"


def test_remove_then_restore_is_exact(demo):
    ws, aid = demo
    before = _dump(ws)
    iid = history.imports(ws, aid)[0]["id"]
    snap = history.remove(ws, iid)
    assert history.imports(ws, aid) == []
    assert ws.conn.execute("SELECT COUNT(*) FROM meter_readings").fetchone()[0] == 0
    assert len(snap["readings"]) == 48
    assert _dump(ws) != before
    assert history.restore(ws, snap) == iid
    assert _dump(ws) == before
    assert ws.integrity_ok()


def test_restore_refused_after_reimport(demo):
    ws, aid = demo
    iid = history.imports(ws, aid)[0]["id"]
    snap = history.remove(ws, iid)
    history.restore(ws, snap)
    with pytest.raises(UserError, match="imported again"):
        history.restore(ws, snap)
    assert len(history.imports(ws, aid)) == 1


def test_final_assessment_refuses_removal_and_restore(demo):
    ws, aid = demo
    iid = history.imports(ws, aid)[0]["id"]
    snap = history.remove(ws, iid)
    history.restore(ws, snap)
    ws.set_status(aid, "final")
    before = _dump(ws)
    with pytest.raises(AssessmentFinal):
        history.remove(ws, iid)
    assert _dump(ws) == before


def test_unknown_import(demo):
    ws, _aid = demo
    with pytest.raises(UserError, match="No meter import"):
        history.remove(ws, 999)
