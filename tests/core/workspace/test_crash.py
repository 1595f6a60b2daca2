"""Durability: a process killed with SIGKILL mid-edit loses nothing it had reported as saved."""

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from greendesk.core.workspace import Workspace

CHILD = r"""
import sys
from greendesk.core.workspace import Workspace
ws = Workspace.open(sys.argv[1])
aid = ws.assessment()["id"]
i = int(sys.argv[2])
print("ready", flush=True)
while True:
    i += 1
    ws.set_answer(aid, f"field{i % 37}", {"edit": i, "text": "测试" * (i % 5)})
    if i % 11 == 0:
        ws.add_evidence(aid, f"evidence {i}".encode(), name=f"e{i}.txt", item_id="x")
    print(i, flush=True)  # reported only after the commit returned
"""

ROUNDS = int(os.environ.get("GREENDESK_CRASH_ROUNDS", "30"))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_never_loses_a_reported_edit(tmp_path):
    path = tmp_path / "crash.greendesk"
    with Workspace.create(path, {"name": "Crash", "uscc": "91350100M000100Y43"}) as ws:
        ws.create_assessment("s", "1", 2025)
    rng = random.Random(1234)
    reported_total: list[int] = []
    last = 0
    for _ in range(ROUNDS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(last)],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        reported = [int(x) for x in out.split()]
        reported_total += reported
        with Workspace.open(path) as ws:  # reopening must work after every kill
            assert ws.integrity_ok()
            aid = ws.assessment()["id"]
            stored = {json.loads(r[0])["edit"] for r in ws.conn.execute(
                "SELECT new_value FROM answer_history WHERE assessment_id = ?", [aid])}
            missing = [i for i in reported if i not in stored]
            assert not missing, f"edits reported as saved but lost: {missing[:10]}"
            answers = ws.answers(aid)
            for i in reported[-37:]:
                assert answers[f"field{i % 37}"]["edit"] >= i
            ev = {e["name"] for e in ws.evidence(aid)}
            assert all(f"e{i}.txt" in ev for i in reported if i % 11 == 0)
            last = max(stored) if stored else last
    assert len(reported_total) > ROUNDS  # the loop really ran and was killed mid-way
