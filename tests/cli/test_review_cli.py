"""``greendesk review`` and ``greendesk package-schema`` as subprocesses."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.core.review.builders import FACTORIES, build_workspace

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Two genuine packages of one peer group and a tampered copy, in one folder (with a sub-folder)."""
    from greendesk.core.package import export_package

    d = tmp_path_factory.mktemp("cli-review")
    pk = d / "packages"
    (pk / "sub").mkdir(parents=True)
    for i, row in enumerate(FACTORIES[:2]):
        ws = build_workspace(d / f"ws{i}.greendesk", *row)
        export_package(ws, (pk / "sub" if i else pk) / f"pkg{i}.pdf", generate_cert=True)
    raw = bytearray((pk / "pkg0.pdf").read_bytes())
    raw[len(raw) // 3] ^= 0x01
    (pk / "篡改.PDF").write_bytes(bytes(raw))
    raw[len(raw) // 2] ^= 0x01
    (d / "篡改2.pdf").write_bytes(bytes(raw))          # outside the folder: named on its own
    (pk / "notes.txt").write_text("not a package")
    return d


def test_review_json_rerun_and_exit_codes(folder, run_cli, tmp_path):
    db = tmp_path / "review.duckdb"
    r = run_cli("review", folder / "packages", "--db", db, "--json")
    assert r.returncode == 1, r.stderr                  # the tampered copy is rejected
    out = json.loads(r.stdout)
    assert out["counts"] == {"loaded": 3, "skipped": 0, "refused": 0, "rejected": 1, "accepted": 2}
    states = {p["file"].rsplit("/", 1)[1]: p["status"] for p in out["packages"]}
    assert states == {"pkg0.pdf": "accepted", "pkg1.pdf": "accepted", "篡改.PDF": "rejected"}
    ok = next(p for p in out["packages"] if p["file"].endswith("pkg0.pdf"))
    assert (ok["year"], ok["flags"], ok["max"]) == (2025, 0, 100.0)
    assert out["outliers"] == []                        # two plausible factories
    # again: everything is known by its hash; only the genuine ones named: exit 0
    r = run_cli("review", folder / "packages" / "pkg0.pdf", folder / "packages" / "sub", "--db", db, "--json")
    assert r.returncode == 0, r.stderr
    again = json.loads(r.stdout)
    assert again["counts"]["skipped"] == 2 and again["counts"]["loaded"] == 0


def test_review_text_and_workbook_in_chinese(folder, run_cli, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "汇总.xlsx"
    r = run_cli("review", folder / "packages", "--out", out, lang="zh")     # no --db: an in-memory database
    assert r.returncode == 1
    assert "载入 3 个材料包（通过 2 个，拒绝 1 个）" in r.stdout
    assert "拒绝  篡改.PDF" in r.stdout and "签名后文件内容被改动（摘要不符）。" in r.stdout
    assert f"汇总表：{out}" in r.stdout
    assert load_workbook(out).sheetnames == ["材料包", "指标对比", "异常", "审核备注", "月度用能"]


def test_review_errors(folder, run_cli, tmp_path):
    r = run_cli("review", tmp_path / "missing", "--db", tmp_path / "r.duckdb")
    assert r.returncode == 1 and r.stderr.strip() == f"greendesk: {tmp_path / 'missing'} was not found."
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    r = run_cli("review", folder / "packages" / "pkg0.pdf", "--db", junk)
    assert r.returncode == 1 and "is not a review database" in r.stderr
    assert junk.read_text() == "not a database"
    r = run_cli("review", folder / "packages", "--db", tmp_path / "r.duckdb", "--workers", "0")
    assert r.returncode == 2


def test_package_schema(run_cli):
    r = run_cli("package-schema")
    assert r.returncode == 0
    s = json.loads(r.stdout)
    assert s["properties"]["format"]["pattern"] == r"^greendesk-answers-scores/1(\.\d+)?$"
    assert {"factory", "score", "answers"} <= set(s["required"])
    m = json.loads(run_cli("package-schema", "--format", "manifest").stdout)
    assert m["title"].startswith("GreenDesk package manifest")


def test_copy_of_a_known_package_is_skipped(folder, run_cli, tmp_path):
    db = tmp_path / "r.duckdb"
    assert run_cli("review", folder / "packages" / "pkg0.pdf", "--db", db).returncode == 0
    copy = tmp_path / "重命名.pdf"
    shutil.copyfile(folder / "packages" / "pkg0.pdf", copy)
    r = run_cli("review", copy, "--db", db, "--json")
    assert json.loads(r.stdout)["packages"][0]["action"] == "skipped"


def test_review_without_outputs_needs_a_display(folder, tmp_path):
    """No --db and no --out opens the window; without a display that is one line saying what to do."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["GREENDESK_LANG"] = "en"
    r = subprocess.run([sys.executable, "-m", "greendesk", "review", str(folder / "packages")], env=env,
                       capture_output=True, text=True, cwd="/", timeout=120)
    assert r.returncode == 1
    assert r.stderr.strip() == ("greendesk: No graphical display found for the review window. Give --db or --out "
                                "to review on the command line.")


def test_review_in_worker_processes(folder, run_cli, tmp_path):
    """Four packages or more are verified in worker processes (also under `python -m greendesk`)."""
    r = run_cli("review", folder / "packages", folder / "篡改2.pdf", "--db", tmp_path / "r.duckdb", "--workers", "2",
                "--json")
    assert r.returncode == 1, r.stderr
    out = json.loads(r.stdout)
    assert out["counts"] == {"loaded": 4, "skipped": 0, "refused": 0, "rejected": 2, "accepted": 2}
    assert [p["file"].rsplit("/", 1)[1] for p in out["packages"]] == ["pkg0.pdf", "pkg1.pdf", "篡改.PDF", "篡改2.pdf"]
