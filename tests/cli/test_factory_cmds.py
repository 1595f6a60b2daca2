"""greendesk init --set / factory --set / info: the MIIT template's basic-information fields (schema 4)."""

import json


def test_init_factory_and_info(tmp_path, run_cli):
    p = tmp_path / "f.greendesk"
    r = run_cli("init", p, "--name", "测试厂", "--uscc", "91350100M000100Y43", "--industry", "C3392", "--year", "2025",
                "--scheme", "gbt36132-2025", "--set", "postcode=401320", "--set", "established_on=2009/06/18")
    assert r.returncode == 0, r.stderr
    r = run_cli("factory", p, "--set", "registration_authority=重庆市市场监督管理局", "--set", "contact_mobile=139 0000 1234",
                "--set", "contact_fax=023-66881235", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["changed"] == ["contact_fax", "contact_mobile", "registration_authority"]
    f = d["factory"]
    assert (f["postcode"], f["established_on"], f["contact_mobile"]) == ("401320", "2009-06-18", "13900001234")
    assert d["labels"]["registration_authority"] == "Registration authority"
    assert json.loads(run_cli("factory", p, "--json", lang="zh").stdout)["labels"]["contact_fax"] == "传真"
    info = run_cli("info", p).stdout
    assert "Registration authority: 重庆市市场监督管理局" in info and "Postcode: 401320" in info
    r = run_cli("factory", p, "--set", "postcode=", "--json")
    assert json.loads(r.stdout)["factory"]["postcode"] is None


def test_bad_values_are_refused_and_nothing_changes(tmp_path, run_cli):
    p = tmp_path / "f.greendesk"
    run_cli("init", p, "--name", "测试厂", "--uscc", "91350100M000100Y43", "--industry", "C3392", "--year", "2025",
            "--scheme", "gbt36132-2025")
    for arg, msg in (("postcode=4013", "6 digits"), ("colour=red", "KEY=VALUE"), ("uscc=91350100M000100Y43", "cannot be changed"),
                     ("name=", "cannot be empty"), ("established_on=yesterday", "YYYY-MM-DD")):
        r = run_cli("factory", p, "--set", "contact_department=环保部", "--set", arg)
        assert r.returncode == 1 and msg in r.stderr, (arg, r.stderr)
    assert json.loads(run_cli("factory", p, "--json").stdout)["factory"]["contact_department"] is None
    r = run_cli("init", tmp_path / "g.greendesk", "--name", "x", "--uscc", "91350100M000100Y43", "--industry", "C1",
                "--year", "2025", "--scheme", "gbt36132-2025", "--set", "postcode=1")
    assert r.returncode == 1 and not (tmp_path / "g.greendesk").exists()
