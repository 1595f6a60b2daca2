"""``greendesk review-note``, ``review-notes`` and ``review-sheet`` as subprocesses; the sheet checked by ``verify``."""

from __future__ import annotations

import json

import pytest

from tests.core.review.builders import build_peer_pair

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from greendesk.core.review.load import review_packages

    d = tmp_path_factory.mktemp("cli-notes")
    folder = build_peer_pair(d)
    review_packages([folder], d / "review.duckdb", workers=1)
    return {"db": d / "review.duckdb", "folder": folder, "dir": d}


def test_review_note_and_notes(db, run_cli, tmp_path):
    import shutil

    dbf = tmp_path / "r.duckdb"
    shutil.copy(db["db"], dbf)
    r = run_cli("review-note", dbf, db["folder"] / "pkg0.pdf", "energy_intensity", "--reason", "6 月电量少计",
                "--value", "1,234.5", "--reviewer", "张审核", "--json")
    assert r.returncode == 0, r.stderr
    n = json.loads(r.stdout)
    assert (n["note_id"], n["new_value"], n["reviewer"], n["replaces"], n["factory_name"]) == (1, 1234.5, "张审核", None,
                                                                                               "甲压铸有限公司")
    r = run_cli("review-note", dbf, n["package_sha256"][:10], "energy_intensity", "--reason", "复核后", "--value", "48.5",
                lang="zh", env={"GREENDESK_REVIEWER": "李审核"})
    assert r.returncode == 0, r.stderr
    assert "已保存审核备注：#2" in r.stdout and "（替换 #1）" in r.stdout and "李审核" in r.stdout
    assert "修改为48.5 kgce/万元，理由是复核后" in r.stdout
    r = run_cli("review-note", dbf, "2", "renewable_share", "--reason", "请补充绿电交易凭证", "--reviewer", "王")
    assert r.returncode == 0 and "Reviewer's remark: 请补充绿电交易凭证" in r.stdout

    current = json.loads(run_cli("review-notes", dbf, "--json").stdout)
    assert [(x["note_id"], x["indicator_id"], x["current"]) for x in current] == [(2, "energy_intensity", True),
                                                                                   (3, "renewable_share", True)]
    every = json.loads(run_cli("review-notes", dbf, "--history", "--package", "1", "--json").stdout)
    assert [(x["note_id"], x["current"], x["replaces"]) for x in every] == [(1, False, None), (2, True, 1)]
    text = run_cli("review-notes", dbf, "--history").stdout
    assert "#1  甲压铸有限公司" in text and "(replaced)" in text and "(replaces #1)" in text


@pytest.mark.parametrize("args, code, message", [
    (("1", "energy_intensity", "--reason", "x", "--value", "abc"), 2, "--value"),
    (("1", "energy_intensity", "--reason", "x", "--value", "nan"), 2, "--value"),
    (("1", "nope", "--reason", "x", "--reviewer", "a"), 1, "has no indicator nope"),
    (("99", "energy_intensity", "--reason", "x", "--reviewer", "a"), 1, "has no package 99"),
])
def test_review_note_errors(db, run_cli, args, code, message):
    r = run_cli("review-note", db["db"], *args)
    assert r.returncode == code and message in r.stderr


def test_review_notes_needs_an_existing_database(run_cli, tmp_path):
    r = run_cli("review-notes", tmp_path / "missing.duckdb")
    assert r.returncode == 1 and "was not found" in r.stderr
    assert not (tmp_path / "missing.duckdb").exists()


def test_review_sheet_signed_and_verified(db, run_cli, tmp_path):
    import shutil

    dbf = tmp_path / "r.duckdb"
    shutil.copy(db["db"], dbf)
    env = {"RV_PASS": "审核口令", "GREENDESK_SETTINGS_DIR": str(tmp_path / "settings")}
    r = run_cli("cert", "new", "--org", "某区工业和信息化局", "--out", tmp_path / "reviewer.p12",
                "--passphrase-env", "RV_PASS", env=env)
    assert r.returncode == 0, r.stderr
    assert run_cli("review-note", dbf, "1", "energy_intensity", "--reason", "少计", "--value", "50",
                   "--reviewer", "张", env=env).returncode == 0
    out = tmp_path / "审核意见.pdf"
    args = ("review-sheet", dbf, "--package", db["folder"] / "pkg0.pdf", "--out", out, "--p12", tmp_path / "reviewer.p12",
            "--passphrase-env", "RV_PASS")
    r = run_cli(*args, "--json", env=env)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["notes"] == 1 and info["verification"]["valid"] and info["reviewer"].startswith("某区工业和信息化局")
    v = run_cli("verify", out, "--json", env=env)
    assert v.returncode == 3                                  # valid; the reviewer's key not on record here
    res = json.loads(v.stdout)
    assert res["valid"] and res["problems"] == [] and res["signer_organization"] == "某区工业和信息化局"
    # trusted by its certificate: verify --trust accepts it with exit code 0
    pem = tmp_path / "reviewer.pem"
    pem.write_text(res["signer_certificate_pem"])
    assert run_cli("verify", out, "--trust", pem, env=env).returncode == 0
    # written once: a second run refuses to overwrite, --force replaces it
    r = run_cli(*args, env=env)
    assert r.returncode == 1 and "not overwritten" in r.stderr
    assert run_cli(*args, "--force", env=env).returncode == 0
    r = run_cli(*args[:-1], "NO_SUCH_VAR", "--force", env=env)
    assert r.returncode == 1 and "NO_SUCH_VAR" in r.stderr


def test_review_window_options(run_cli, tmp_path):
    r = run_cli("review", "--db", tmp_path / "r.duckdb")
    assert r.returncode == 2 and "give the packages or folders to review (PATH)" in r.stderr
    r = run_cli("review", "--window", "--out", tmp_path / "x.xlsx")
    assert r.returncode == 2 and "--window cannot be used with --out" in r.stderr
    assert not (tmp_path / "r.duckdb").exists()
