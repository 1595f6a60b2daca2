"""The meter and energy commands, run as subprocesses: output, JSON shape, exit codes."""

import json

import pytest
from conftest import SHARED
from fixtures.meters.ledgers import workspace, xlsx

SAMPLES = SHARED / "samples" / "meters"


@pytest.fixture
def ws_path(tmp_path):
    ws, _ = workspace(tmp_path / "w.greendesk", year=2024)
    ws.close()
    return tmp_path / "w.greendesk"


def _one_line_error(r):
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    return r.stderr


def test_import_energy_production_factors(run_cli, ws_path):
    r = run_cli("import-meters", ws_path, SAMPLES / "a_months_down.xlsx", SAMPLES / "b_quarter_sheets.xlsx")
    assert r.returncode == 0, r.stderr
    assert "Electricity" in r.stdout and "months_down" in r.stdout and "Quality checks" in r.stdout
    r = run_cli("energy", ws_path, "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["year"] == 2024
    assert set(d) >= {"year", "carriers", "issues", "factors"}
    e = d["carriers"]["electricity"]
    assert set(e) >= {"unit", "total", "months", "tce", "co2_t"}
    assert e["unit"] == "kWh" and e["total"] == pytest.approx(2646103.5 + 2964400.0)
    assert sorted(e["months"]) == [f"2024-{m:02d}" for m in range(1, 13)]
    assert d["carriers"]["steam"]["unit"] == "GJ" and d["carriers"]["natural_gas"]["unit"] == "m3"
    for i in d["issues"]:
        assert set(i) >= {"level", "code", "message", "where"}
    assert all({"id", "value", "unit", "source", "certainty"} <= set(f) for f in d["factors"])
    # the same files again: replaced, not doubled
    assert run_cli("import-meters", ws_path, SAMPLES / "a_months_down.xlsx").returncode == 0
    d2 = json.loads(run_cli("energy", ws_path, "--json").stdout)
    assert d2["carriers"]["electricity"]["total"] == pytest.approx(e["total"])
    # production and intensities
    r = run_cli("production", ws_path, "--year", "2024", "--output", "800", "--unit", "t", "--value", "4000")
    assert r.returncode == 0, r.stderr
    d3 = json.loads(run_cli("energy", ws_path, "--json").stdout)
    assert d3["intensity"]["kgce_per_wan_yuan"] == pytest.approx(d3["total_tce"] * 1000 / 4000)
    # factors: choose a grid factor, override one with its source
    r = run_cli("factors", ws_path, "--grid-year", "2022", "--grid-region", "华东", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["grid_factor"]["value"] == 0.5617
    r = run_cli("factor", ws_path, "sce.natural_gas", "1.33", "--source", "油田气化验")
    assert r.returncode == 0, r.stderr
    d4 = json.loads(run_cli("energy", ws_path, "--json").stdout)
    f = {x["id"]: x for x in d4["factors"]}
    assert f["sce.natural_gas"]["value"] == 1.33 and f["co2.grid"]["value"] == 0.5617
    assert "sce.natural_gas" in run_cli("factors", ws_path).stdout


def test_dry_run_and_json_write_nothing(run_cli, ws_path):
    r = run_cli("import-meters", ws_path, SAMPLES / "c_readings_with_usage.xlsx", "--dry-run", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["ok"] and d["dry_run"] and d["totals"]["electricity"]["total"] == pytest.approx(399525.0)
    sheet = d["files"][0]["sheets"][0]
    assert sheet["layout"] == "readings" and sheet["header_rows"] == [1]
    e = json.loads(run_cli("energy", ws_path, "--json").stdout)
    assert e["carriers"] == {}


def test_reimport_says_it_replaced_the_earlier_import(run_cli, ws_path):
    sample = SAMPLES / "c_readings_with_usage.xlsx"
    first = run_cli("import-meters", ws_path, sample)
    assert first.returncode == 0, first.stderr
    assert "replaces" not in first.stdout
    again = run_cli("import-meters", ws_path, sample)
    assert again.returncode == 0, again.stderr
    assert "replaces the earlier import of c_readings_with_usage.xlsx; nothing is counted twice" in again.stdout
    e = json.loads(run_cli("energy", ws_path, "--year", "2024", "--json").stdout)
    assert e["carriers"]["electricity"]["total"] == pytest.approx(399525.0)


def test_user_errors_exit_1_with_one_line(run_cli, ws_path, tmp_path):
    bad = xlsx(tmp_path / "bad.xlsx", {"S": [["月份", "电（千瓦）"], ["2024-01", 1.0]]})
    r = run_cli("import-meters", ws_path, bad)
    err = _one_line_error(r)
    assert "bad.xlsx" in err and "S!B1" in err and "kWh" in err
    assert "Nothing was imported." in err and "give it in the import wizard (or a mapping file)" in err  # what to do
    err = _one_line_error(run_cli("import-meters", ws_path, tmp_path / "nope.xlsx"))
    assert "nope.xlsx" in err
    _one_line_error(run_cli("energy", tmp_path / "missing.greendesk"))
    _one_line_error(run_cli("production", ws_path, "--year", "2024"))
    _one_line_error(run_cli("production", ws_path, "--year", "2031", "--value", "1"))
    _one_line_error(run_cli("factor", ws_path, "no.such", "1", "--source", "x"))
    _one_line_error(run_cli("factor", ws_path, "sce.coal", "0.7"))
    _one_line_error(run_cli("factors", ws_path, "--grid-year", "2019"))
    e = json.loads(run_cli("energy", ws_path, "--json").stdout)
    assert e["carriers"] == {}


def test_factor_override_in_another_unit_is_refused(run_cli, ws_path):
    # the value is used in the factor's own unit: another --unit would only relabel it (550 g read as 550 kg)
    err = _one_line_error(run_cli("factor", ws_path, "co2.grid", "550", "--unit", "gCO2/kWh", "--source", "x"))
    assert "kgCO2/kWh" in err and "gCO2/kWh" in err
    err = _one_line_error(run_cli("factor", ws_path, "sce.natural_gas", "12143", "--unit", "kgce/万m3",
                                  "--source", "x"))
    assert "kgce/m3" in err
    d = json.loads(run_cli("factors", ws_path, "--json").stdout)
    assert not any(f["overridden"] for f in d["factors"])
    # the factor's own unit, spelt the same way, is fine
    r = run_cli("factor", ws_path, "co2.grid", "0.55", "--unit", "kgCO2/kWh", "--source", "x")
    assert r.returncode == 0, r.stderr


def test_broken_yaml_mapping_is_one_line_with_its_line(run_cli, ws_path, tmp_path):
    m = tmp_path / "map.yaml"
    m.write_text("year: 2024\n columns: {}\n", encoding="utf-8")
    err = _one_line_error(run_cli("import-meters", ws_path, SAMPLES / "a_months_down.xlsx", "--mapping", m))
    assert "map.yaml:2" in err


def test_usage_errors_exit_2(run_cli, ws_path):
    assert run_cli("import-meters", ws_path).returncode == 2
    assert run_cli("energy").returncode == 2
    assert run_cli("production", ws_path, "--output", "x", "--year", "2024").returncode == 2
    assert run_cli("factors", ws_path, "--basis", "neither").returncode == 2


def test_meter_template_command_round_trips(run_cli, tmp_path, ws_path):
    out = tmp_path / "tpl.xlsx"
    r = run_cli("meter-template", out)
    assert r.returncode == 0 and out.exists()
    _one_line_error(run_cli("meter-template", out))
    from openpyxl import load_workbook

    wb = load_workbook(out)
    ws = wb["能源台账"]
    for m in range(1, 13):
        ws.append([f"2024-{m:02d}", "总表", "电力（外购电）", 1.5, "万kWh"])
    wb.save(out)
    r = run_cli("import-meters", ws_path, out, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["totals"]["electricity"]["total"] == pytest.approx(180000.0)


def test_chinese_messages(run_cli, ws_path, tmp_path):
    bad = xlsx(tmp_path / "bad.xlsx", {"S": [["月份", "压缩空气"], ["2024-01", 1.0]]})
    r = run_cli("import-meters", ws_path, bad, lang="zh")
    assert r.returncode == 1 and "无法识别" in r.stderr
