"""``greendesk verify`` exit codes and signer lines, ``greendesk trust``, ``greendesk countersign`` (issues 13, 14)."""

from __future__ import annotations

import json
import shutil

import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing")

ORG = "重庆渝锐精密压铸有限公司"


@pytest.fixture(scope="module")
def pk(tmp_path_factory):
    from greendesk.core.demo import build_demo
    from greendesk.core.package import export_package
    from greendesk.core.package.certs import new_identity, write_p12
    from greendesk.core.workspace import Workspace

    d = tmp_path_factory.mktemp("signers-cli")
    ws = build_demo(d / "demo.greendesk")
    with Workspace.open(ws, readonly=True) as w:
        uscc = w.factory()["uscc"]
    ident = new_identity(ORG, uscc=uscc)
    p12 = write_p12(ident, d / "org.p12", "pw")
    (d / "org.pem").write_bytes(ident.cert_pem())
    pkg = d / "pkg.pdf"
    export_package(ws, pkg, p12_path=p12, passphrase="pw")
    ev = write_p12(new_identity("某某绿色制造评价机构"), d / "evaluator.p12", "ev pw")
    impostor = d / "impostor.pdf"
    export_package(ws, impostor, generate_cert=True)          # a new key, same organisation name and USCC
    return {"dir": d, "ws": ws, "uscc": uscc, "ident": ident, "pem": d / "org.pem", "pkg": pkg, "ev": ev,
            "impostor": impostor}


@pytest.fixture
def store(tmp_path):
    return {"GREENDESK_SETTINGS_DIR": str(tmp_path / "settings")}


def test_unknown_then_pinned_signer_exit_codes_and_json(pk, run_cli, store):
    r = run_cli("verify", pk["pkg"], "--json", env=store)
    assert r.returncode == 3, r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert doc["valid"] and doc["signer_status"] == "new" and doc["signer_uscc"] == pk["uscc"]
    assert len(doc["signer_fingerprint"]) == 64
    [sig] = doc["signatures"]
    assert set(sig) >= {"issuer", "fingerprint", "self_issued", "timestamp", "pades_level", "signer", "signed_at",
                        "covers", "valid"}
    r = run_cli("verify", pk["pkg"], env=store)
    assert r.returncode == 3
    fp_display = ":".join(doc["signer_fingerprint"][i:i + 2] for i in range(0, 64, 2)).upper()
    assert fp_display in r.stdout and "new signer" in r.stdout and "claimed by the signer" in r.stdout
    assert "trust add" in r.stdout
    # pin it from the certificate file, then the package verifies with exit 0
    r = run_cli("trust", "add", pk["pem"], env=store)
    assert r.returncode == 0 and "remembered" in r.stdout, r.stderr
    r = run_cli("verify", pk["pkg"], env=store, lang="zh")
    assert r.returncode == 0 and "已知签名人" in r.stdout, r.stdout
    r = run_cli("trust", "list", "--json", env=store)
    rows = json.loads(r.stdout)
    assert [x["fingerprint"] for x in rows] == [doc["signer_fingerprint"]] and rows[0]["uscc"] == pk["uscc"]
    assert "certificate_pem" not in rows[0]
    r = run_cli("trust", "remove", doc["signer_fingerprint"][:12], env=store)
    assert r.returncode == 0
    assert json.loads(run_cli("trust", "list", "--json", env=store).stdout) == []
    r = run_cli("trust", "remove", doc["signer_fingerprint"][:12], env=store)
    assert r.returncode == 1 and "Traceback" not in r.stderr


def test_trust_given_decides_and_a_wrong_anchor_exits_1(pk, run_cli, store, tmp_path):
    from greendesk.core.package.certs import new_identity

    assert run_cli("verify", pk["pkg"], "--trust", pk["pem"], env=store).returncode == 0
    other = tmp_path / "other.pem"
    other.write_bytes(new_identity("别的单位").cert_pem())
    assert run_cli("verify", pk["pkg"], "--trust", other, env=store).returncode == 1


def test_an_impostor_copy_is_reported_as_a_different_key(pk, run_cli, store):
    assert run_cli("trust", "add", pk["pkg"], env=store).returncode == 0           # pinned from the package
    r = run_cli("verify", pk["impostor"], "--json", env=store)
    assert r.returncode == 3
    doc = json.loads(r.stdout)
    assert doc["valid"] and doc["signer_status"] == "different_key" and doc["signer_organization"] == ORG
    assert doc["signer_uscc"] == pk["uscc"] and doc["uscc_match"] is True      # --generate-cert carries the USCC
    r = run_cli("verify", pk["impostor"], env=store)
    assert "DIFFERENT KEY" in r.stdout
    r = run_cli("verify", pk["impostor"], env=store, lang="zh")
    assert "与该工厂以前使用的密钥不同" in r.stdout


def test_countersign_then_verify(pk, run_cli, store, tmp_path):
    out = tmp_path / "countersigned.pdf"
    env = {**store, "EV_PW": "ev pw"}
    r = run_cli("countersign", pk["pkg"], "--p12", pk["ev"], "--passphrase-env", "EV_PW", "--role", "评价机构",
                "--out", out, env=env)
    assert r.returncode == 0, r.stderr
    assert run_cli("trust", "add", pk["pem"], env=store).returncode == 0
    r = run_cli("verify", out, "--json", env=store)
    assert r.returncode == 0, r.stdout
    doc = json.loads(r.stdout)
    assert [s["kind"] for s in doc["signatures"]] == ["author", "countersignature"]
    assert doc["signatures"][1]["role"] == "评价机构" and doc["signatures"][1]["status"] == "new"
    r = run_cli("verify", out, env=store)
    assert "countersignature (评价机构)" in r.stdout and "Signatures in the file (2)" in r.stdout
    # refused: an existing --out, a wrong passphrase, a damaged package
    r = run_cli("countersign", pk["pkg"], "--p12", pk["ev"], "--passphrase-env", "EV_PW", "--role", "评价机构",
                "--out", out, env=env)
    assert r.returncode == 1 and "exists" in r.stderr
    r = run_cli("countersign", pk["pkg"], "--p12", pk["ev"], "--passphrase-env", "EV_PW", "--role", "评价机构",
                "--out", tmp_path / "x.pdf", env={**store, "EV_PW": "nope"})
    assert r.returncode == 1 and "passphrase" in r.stderr and not (tmp_path / "x.pdf").exists()
    bad = tmp_path / "bad.pdf"
    raw = bytearray(pk["pkg"].read_bytes())
    raw[len(raw) // 3] ^= 1
    bad.write_bytes(bytes(raw))
    r = run_cli("countersign", bad, "--p12", pk["ev"], "--passphrase-env", "EV_PW", "--role", "评价机构",
                "--out", tmp_path / "y.pdf", env=env)
    assert r.returncode == 1 and "does not verify" in r.stderr and not (tmp_path / "y.pdf").exists()


def test_trust_add_refuses_junk_and_a_damaged_package(pk, run_cli, store, tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
    r = run_cli("trust", "add", junk, env=store)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    bad = tmp_path / "bad.pdf"
    raw = bytearray(pk["pkg"].read_bytes())
    raw[len(raw) // 2] ^= 1
    bad.write_bytes(bytes(raw))
    r = run_cli("trust", "add", bad, env=store)
    assert r.returncode == 1 and "does not verify" in r.stderr
    assert json.loads(run_cli("trust", "list", "--json", env=store).stdout) == []


def test_control_characters_in_a_certificate_name_are_escaped(pk, run_cli, store, tmp_path, monkeypatch):
    from greendesk.core.package import export, export_package
    from tests.core.package.signing_helpers import make_cert

    fake = make_cert("Evil\x1b[31m Corp")
    monkeypatch.setattr(export, "_identity", lambda *a, **k: fake)
    out = tmp_path / "evil.pdf"
    export_package(pk["ws"], out, p12_path="unused")
    r = run_cli("verify", out, env=store)
    assert r.returncode == 3 and "\x1b" not in r.stdout and "Evil\\x1b[31m Corp" in r.stdout


@pytest.mark.parametrize("command", [["verify"], ["countersign"], ["trust", "add"], ["trust", "list"],
                                     ["trust", "remove"]])
def test_every_option_has_chinese_help(run_cli, command):
    import re

    r = run_cli(*command, "--help", lang="zh")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("  --"):
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            text = line + (nxt if nxt.startswith(" " * 10) and not nxt.strip().startswith("-") else "")
            assert re.search(r"[\u4e00-\u9fff]", text), line


def test_pin_on_first_use_remembers_a_new_signer_but_never_a_different_key(pk, run_cli, store):
    r = run_cli("verify", pk["pkg"], "--pin", "--json", env=store)
    assert r.returncode == 0, r.stdout
    doc = json.loads(r.stdout)
    assert doc["pinned"] is True and doc["signer_status"] == "known"
    assert run_cli("verify", pk["pkg"], env=store).returncode == 0                 # remembered
    r = run_cli("verify", pk["impostor"], "--pin", "--json", env=store)
    assert r.returncode == 3
    doc = json.loads(r.stdout)
    assert doc["pinned"] is False and doc["signer_status"] == "different_key"
    rows = json.loads(run_cli("trust", "list", "--json", env=store).stdout)
    assert len(rows) == 1 and rows[0]["factory_uscc"] == pk["uscc"]
