"""answers --set stores an implausible value as typed and warns on stderr (as the app warns at the field)."""

from __future__ import annotations

from greendesk.core.workspace import Workspace


def test_part_larger_than_whole_is_stored_with_a_warning(demo_path, run_cli):
    r = run_cli("answers", demo_path, "--set", "solid_waste_use.utilised_t=999999",
                "--set", "solid_waste_use.generated_t=2350", lang="zh")
    assert r.returncode == 0, r.stderr
    assert "注意：" in r.stderr and "42,553" in r.stderr and "2,350 t" in r.stderr
    with Workspace.open(demo_path, readonly=True) as ws:
        assert ws.answers(ws.assessment()["id"])["solid_waste_use.utilised_t"] == 999999
    r = run_cli("answers", demo_path, "--set", "solid_waste_use.utilised_t=2000")
    assert r.returncode == 0 and "warning" not in r.stderr
