import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from greendesk.core import workspace as wsmod
from greendesk.core.errors import UserError, WorkspaceError, WorkspaceLocked
from greendesk.core.workspace import SCHEMA_VERSION, Workspace

ROOT = Path(__file__).resolve().parents[3]

FIXTURES = ROOT / "tests" / "fixtures"
PROFILE = {"name": "测试工厂", "uscc": "91350100M000100Y43", "industry_code": "C3392", "land_area_m2": "5000"}


@pytest.fixture
def ws(tmp_path):
    w = Workspace.create(tmp_path / "f.greendesk", PROFILE)
    yield w
    w.close()


def test_round_trip_profile_assessment_answers(tmp_path):
    p = tmp_path / "a.greendesk"
    with Workspace.create(p, PROFILE) as w:
        aid = w.create_assessment("gbt36132-2025", "2025.1", 2025)
        w.set_answer(aid, "yn", True)
        w.set_answer(aid, "num", 12.5)
        w.set_answer(aid, "txt", "中文 answer")
        w.set_answer(aid, "rows", [{"product": "壳体", "tce": 1200}])
        w.update_factory(city="重庆市", legal_rep="张三")
    with Workspace.open(p, readonly=True) as w:
        f = w.factory()
        assert f["name"] == "测试工厂" and f["city"] == "重庆市" and f["legal_rep"] == "张三"
        assert f["land_area_m2"] == 5000.0
        a = w.assessment()
        assert (a["scheme_id"], a["scheme_version"], a["year"], a["status"]) == ("gbt36132-2025", "2025.1", 2025, "draft")
        assert w.answers(aid) == {"yn": True, "num": 12.5, "txt": "中文 answer",
                                  "rows": [{"product": "壳体", "tce": 1200}]}
        types = {r["field_id"]: r["value_type"] for r in w.answer_rows(aid)}
        assert types == {"yn": "bool", "num": "number", "txt": "text", "rows": "list"}


def test_pragmas(ws):
    c = ws.conn
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert c.execute("PRAGMA application_id").fetchone()[0] == wsmod.APPLICATION_ID


def test_history_records_every_change(ws):
    aid = ws.create_assessment("s", "1", 2025)
    assert ws.set_answer(aid, "x", 1)
    assert ws.set_answer(aid, "x", 2)
    assert not ws.set_answer(aid, "x", 2)  # unchanged: no history row
    assert ws.set_answer(aid, "x", None)  # cleared
    h = ws.history(aid, "x")
    assert [(r["old_value"], r["new_value"]) for r in h] == [(None, 1), (1, 2), (2, None)]
    assert "x" not in ws.answers(aid)


def test_set_answers_is_all_or_nothing(ws):
    aid = ws.create_assessment("s", "1", 2025)
    ws.set_answer(aid, "a", 1)
    with pytest.raises(TypeError):
        ws.set_answers(aid, {"a": 5, "b": object()})
    assert ws.answers(aid) == {"a": 1}
    assert len(ws.history(aid)) == 1


def test_draft_can_always_be_saved_and_finalized(ws):
    aid = ws.create_assessment("s", "1", 2025)
    ws.set_answer(aid, "half", "")
    ws.set_status(aid, "final")
    assert ws.assessment(aid)["status"] == "final" and ws.assessment(aid)["finalized_at"]


def test_copy_assessment_marks_carried(ws):
    a1 = ws.create_assessment("s", "1", 2024)
    ws.set_answers(a1, {"a": 1, "b": "x"})
    a2 = ws.copy_assessment(a1, "s", "2", 2025)
    assert ws.answers(a2) == {"a": 1, "b": "x"}
    assert {r["source"] for r in ws.answer_rows(a2)} == {"carried:2024"}
    assert ws.assessment(a2)["created_from"].startswith("assessment:")
    assert ws.assessment()["id"] == a2  # the latest year


def test_evidence_deduplicated_by_sha256(ws, tmp_path):
    aid = ws.create_assessment("s", "1", 2025)
    f = tmp_path / "证书.pdf"
    f.write_bytes(b"%PDF-1.4 certificate" * 100)
    e1 = ws.add_evidence(aid, f, item_id="ems")
    e2 = ws.add_evidence(aid, f, item_id="enms")  # same content, other item
    e3 = ws.add_evidence(aid, f, item_id="ems")  # exact same attachment again
    assert e1["sha256"] == hashlib.sha256(f.read_bytes()).hexdigest()
    assert e1["id"] == e3["id"] and e1["id"] != e2["id"]
    assert e1["name"] == "证书.pdf" and e1["mime"] == "application/pdf" and e1["size"] == 2000
    assert ws.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1
    assert ws.blob(e1["sha256"]) == f.read_bytes()
    ws.remove_evidence(e1["id"])
    assert ws.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1  # still used by e2
    ws.remove_evidence(e2["id"])
    assert ws.conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 0


def test_evidence_unreadable_file_is_a_user_error(ws, tmp_path):
    aid = ws.create_assessment("s", "1", 2025)
    with pytest.raises(UserError):
        ws.add_evidence(aid, tmp_path / "missing.pdf")


def test_bad_uscc_refused_and_no_file_written(tmp_path):
    with pytest.raises(UserError, match="Check digit"):
        Workspace.create(tmp_path / "x.greendesk", {**PROFILE, "uscc": "91350100M000100Y44"})
    assert not (tmp_path / "x.greendesk").exists()


def test_create_refuses_to_overwrite(tmp_path, ws):
    with pytest.raises(WorkspaceError, match="exists"):
        Workspace.create(ws.path, PROFILE)


@pytest.mark.parametrize("version", [1, 2])
def test_upgrade_from_released_fixture(tmp_path, version):
    src = FIXTURES / f"workspace-v{version}.greendesk"
    p = tmp_path / src.name
    shutil.copy(src, p)
    with Workspace.open(p) as w:
        assert w.schema_version == SCHEMA_VERSION
        aid = w.assessment()["id"]
        assert w.answers(aid) == {"fixture.text": "第一版的答案", "fixture.number": 43.5}
        assert len(w.history(aid)) == 3
        assert [e["name"] for e in w.evidence(aid)] == ["证书.txt"]
        w.set_benchmark("gbt36132-2025", "x", 1, 2)  # tables of newer versions exist
        assert w.integrity_ok()
    if version < SCHEMA_VERSION:
        backup = p.with_name(f"{p.name}.v{version}.bak")
        assert backup.exists()
        con = sqlite3.connect(backup)
        assert con.execute("PRAGMA user_version").fetchone()[0] == version
        con.close()


def test_every_schema_version_has_a_fixture():
    for v in range(1, SCHEMA_VERSION + 1):
        assert (FIXTURES / f"workspace-v{v}.greendesk").exists(), f"add tests/fixtures/workspace-v{v}.greendesk"


def test_newer_version_refused_unchanged(tmp_path):
    p = tmp_path / "new.greendesk"
    Workspace.create(p, PROFILE).close()
    con = sqlite3.connect(p)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    before = p.read_bytes()
    with pytest.raises(WorkspaceError, match="newer GreenDesk"):
        Workspace.open(p)
    assert p.read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"hello world", b"PK\x03\x04" + b"\0" * 500, b"SQLite format 3\x00" + b"\x01" * 80])
def test_junk_files_refused_unchanged(tmp_path, content):
    p = tmp_path / "junk.greendesk"
    p.write_bytes(content)
    with pytest.raises(WorkspaceError, match="not changed"):
        Workspace.open(p)
    assert p.read_bytes() == content
    assert not p.with_name(p.name + "-wal").exists()


def test_other_sqlite_database_refused(tmp_path):
    p = tmp_path / "other.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = p.read_bytes()
    with pytest.raises(WorkspaceError, match="not a GreenDesk workspace"):
        Workspace.open(p)
    assert p.read_bytes() == before


def test_truncated_workspace_refused_unchanged(tmp_path):
    p = tmp_path / "t.greendesk"
    with Workspace.create(p, PROFILE) as w:
        aid = w.create_assessment("s", "1", 2025)
        w.add_evidence(aid, b"x" * 200_000, name="big.bin")
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    before = p.read_bytes()
    with pytest.raises(WorkspaceError):
        Workspace.open(p)
    assert p.read_bytes() == before


def test_missing_file(tmp_path):
    with pytest.raises(WorkspaceError, match="not found"):
        Workspace.open(tmp_path / "nope.greendesk")


def test_second_writer_detected(ws):
    with pytest.raises(WorkspaceLocked, match="already open"):
        Workspace.open(ws.path)
    with Workspace.open(ws.path, readonly=True) as r:  # readers are fine
        assert r.factory()["name"] == "测试工厂"
    ws.close()
    Workspace.open(ws.path).close()  # lock released on close


def test_lock_in_other_process_detected_and_released_when_killed(tmp_path):
    import subprocess
    import sys

    p = tmp_path / "l.greendesk"
    Workspace.create(p, PROFILE).close()
    child = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from greendesk.core.workspace import Workspace; w=Workspace.open(sys.argv[1]);"
         "print('ready', flush=True); time.sleep(60)", str(p)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        with pytest.raises(WorkspaceLocked, match=f"pid {child.pid}"):
            Workspace.open(p)
    finally:
        child.kill()
        child.wait()
    Workspace.open(p).close()


def test_readonly_refuses_writes(ws):
    ws.close()
    with Workspace.open(ws.path, readonly=True) as r:
        with pytest.raises(WorkspaceError):
            r.set_answer(1, "x", 1)


def test_overrides_and_settings(ws):
    ws.set_benchmark("gbt36132-2025", "energy_intensity", 0.6, 0.4, source="行业协会 2025", set_by="评审员")
    ws.set_factor("grid.national.2023", 0.5306, unit="kgCO2/kWh", source="MEE 2026")
    ws.set_setting("grid_year", 2023)
    b = ws.benchmarks("gbt36132-2025")
    assert (b[0]["baseline"], b[0]["leading"], b[0]["set_by"]) == (0.6, 0.4, "评审员") and b[0]["set_at"]
    assert ws.factor_overrides()["grid.national.2023"]["value"] == 0.5306
    assert ws.setting("grid_year") == 2023 and ws.setting("nope", "d") == "d"
