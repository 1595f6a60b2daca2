"""The ledger's SHA-256 is worked out while the child process reads it, and is the file's own; the import
stores the file under it without hashing it a third time."""

from __future__ import annotations

import hashlib
import shutil

from greendesk.core.meters import analyse, commit
from greendesk.core.meters import reader as reader_mod
from greendesk.core.workspace import Workspace
from tests.conftest import SHARED

SAMPLE = SHARED / "samples" / "meters" / "a_months_down.xlsx"


def test_beside_runs_while_reading_and_the_plan_has_the_files_hash(tmp_path, monkeypatch):
    ran = []
    real = reader_mod.read_workbook

    def spy(path, data, while_reading=None):
        def wrapped():
            while_reading()
            ran.append("scan and beside done")
        return real(path, data, wrapped)

    monkeypatch.setattr(reader_mod, "read_workbook", spy)
    seen = []
    sheets = reader_mod.read_file(SAMPLE, SAMPLE.read_bytes(), beside=lambda: seen.append(len(ran)))
    assert sheets and seen == [0] and ran  # called once, inside the reading (before it returned)
    plan = analyse([str(SAMPLE)], year=2025)
    assert plan.files[0].sha256 == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()


def test_a_csv_without_a_child_is_hashed_all_the_same(tmp_path):
    csv = tmp_path / "ledger.csv"
    csv.write_text("月份,电 (kWh)\n2025-01,100\n2025-02,120\n", encoding="utf-8")
    plan = analyse([str(csv)], year=2025)
    assert plan.files[0].sha256 == hashlib.sha256(csv.read_bytes()).hexdigest()


def test_the_stored_ledger_is_found_under_its_hash(tmp_path):
    ledger = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, ledger)
    ws = Workspace.create(tmp_path / "w.greendesk", {"name": "t", "uscc": "91350100M000100Y43"})
    aid = ws.create_assessment("gbt36132-2025", "1", 2025)
    plan = analyse([str(ledger)], year=2025)
    assert plan.ok
    commit(ws, aid, plan)
    sha = hashlib.sha256(ledger.read_bytes()).hexdigest()
    assert ws.blob(sha) == ledger.read_bytes()  # blob() checks the content against the key
    ws.close()
