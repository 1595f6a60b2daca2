import json


def test_demo_then_info_json_from_any_directory(run_cli, tmp_path):
    p = tmp_path / "x.greendesk"
    r = run_cli("demo", p)
    assert r.returncode == 0, r.stderr
    r = run_cli("info", p, "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["factory"]["name"] == "重庆渝锐精密压铸有限公司"
    assert d["factory"]["province"] == "重庆市"
    assert d["assessments"][0]["year"] == 2025 and d["assessments"][0]["scheme_id"] == "gbt36132-2025"
    assert d["counts"]["evidence"] >= 3
    assert d["schema_version"] >= 2


def test_info_text_in_chinese(run_cli, demo_path):
    r = run_cli("info", demo_path, lang="zh")
    assert r.returncode == 0 and "工厂" in r.stdout and "评价" in r.stdout


def test_init_valid_and_invalid(run_cli, tmp_path):
    p = tmp_path / "n.greendesk"
    args = ["init", p, "--name", "新厂", "--industry", "C3392", "--year", "2026", "--scheme", "gbt36132-2025"]
    r = run_cli(*args, "--uscc", "91350100M000100Y44")
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr and "Check digit" in r.stderr
    assert not p.exists()
    r = run_cli(*args, "--uscc", "91350100M000100Y44", lang="zh")
    assert r.returncode == 1 and "校验位" in r.stderr
    r = run_cli(*args, "--uscc", "91350100M000100Y43", "--city", "宁波市")
    assert r.returncode == 0, r.stderr
    d = json.loads(run_cli("info", p, "--json").stdout)
    assert d["factory"]["city"] == "宁波市" and d["assessments"][0]["year"] == 2026


def test_init_refused_leaves_no_file(run_cli, tmp_path):
    p = tmp_path / "n.greendesk"
    r = run_cli("init", p, "--name", "新厂", "--uscc", "91350100M000100Y43", "--industry", "C3392", "--year", "1800",
                "--scheme", "gbt36132-2025")
    assert r.returncode == 1 and "1800" in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_a_one_line_user_error(run_cli, tmp_path, demo_path):
    gone = tmp_path / "no" / "such" / "folder"
    for args in (("init", gone / "n.greendesk", "--name", "x", "--uscc", "91350100M000100Y43", "--industry", "C3392",
                  "--year", "2026", "--scheme", "gbt36132-2025"),
                 ("demo", gone / "d.greendesk"),
                 ("meter-template", gone / "t.xlsx"),
                 ("assess-new", gone / "y.greendesk", "--year", "2026", "--from-workspace", demo_path)):
        r = run_cli(*args)
        assert r.returncode == 1, (args, r.stderr)
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert f"folder {gone} does not exist" in r.stderr, r.stderr


def test_init_unknown_scheme(run_cli, tmp_path):
    r = run_cli("init", tmp_path / "n.greendesk", "--name", "x", "--uscc", "91350100M000100Y43", "--industry", "C",
                "--year", "2026", "--scheme", "no-such-scheme")
    assert r.returncode == 1 and "no-such-scheme" in r.stderr and "Traceback" not in r.stderr


def test_user_errors_exit_1_one_line(run_cli, tmp_path):
    junk = tmp_path / "junk.greendesk"
    junk.write_text("not a workspace")
    for args in (("info", junk), ("info", tmp_path / "missing.greendesk")):
        r = run_cli(*args)
        assert r.returncode == 1, r
        assert r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr
    assert junk.read_text() == "not a workspace"


def test_usage_errors_exit_2(run_cli):
    assert run_cli("no-such-command").returncode == 2
    assert run_cli("info").returncode == 2
    assert run_cli("init", "x.greendesk", "--name", "x").returncode == 2


def test_demo_refuses_to_overwrite(run_cli, demo_path):
    r = run_cli("demo", demo_path)
    assert r.returncode == 1 and "exists" in r.stderr
    assert run_cli("demo", demo_path, "--force").returncode == 0
