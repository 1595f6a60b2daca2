"""The scheme and scoring subcommands as subprocesses: output shapes and exit codes."""

import json

import pytest

from greendesk.core.paths import forms_dir
from greendesk.core.workspace import Workspace


def one_line_error(p):
    assert p.returncode == 1, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in p.stderr, p.stderr
    return lines[0]


def test_schemes_json(run_cli):
    p = run_cli("schemes", "--json")
    assert p.returncode == 0, p.stderr
    items = json.loads(p.stdout)
    assert {"gbt36132-2018", "gbt36132-2025", "ningbo-2023"} <= {x["id"] for x in items}
    for x in items:
        assert x["version"] and x["title"]


def test_scheme_show_json_contract(run_cli):
    p = run_cli("scheme-show", "gbt36132-2025", "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["id"] == "gbt36132-2025" and d["version"] == "2025.1"
    inds = [i for s in d["sections"] for i in s["indicators"]]
    for i in inds:
        assert set(i) >= {"id", "title", "points", "rule", "fields"}
        assert set(i["rule"]) >= {"kind", "direction", "baseline", "leading"}
        for f in i["fields"]:
            assert set(f) >= {"id", "type", "unit"}
    by_id = {i["id"]: i for i in inds}
    assert by_id["negative_list"]["rule"]["kind"] == "veto"
    assert by_id["carbon_intensity"]["rule"]["direction"] == "lower_better"
    assert by_id["renewable_share"]["rule"]["direction"] == "higher_better"
    assert by_id["energy_intensity"]["rule"]["kind"] == "quantitative"
    assert by_id["energy_intensity"]["rule"]["direction"] == "lower_better"
    assert by_id["carbon_intensity"]["rule"]["baseline"] is None           # benchmark needed
    assert by_id["carbon_intensity"]["rule"]["benchmark_needed"] is True


def test_unknown_scheme_is_a_one_line_error(run_cli):
    line = one_line_error(run_cli("scheme-show", "gbt-1999"))
    assert line.startswith("greendesk: Unknown scheme: gbt-1999")
    assert one_line_error(run_cli("scheme-show", "gbt-1999", lang="zh")).startswith("greendesk: 未知的评价方案")


def test_scheme_export_prints_the_source(run_cli):
    p = run_cli("scheme-export", "gbt36132-2018")
    assert p.returncode == 0
    assert p.stdout == (forms_dir() / "gbt36132-2018.yaml").read_text(encoding="utf-8")


def test_scheme_check(run_cli, tmp_path):
    good = tmp_path / "custom.yaml"
    good.write_text((forms_dir() / "ningbo-2023.yaml").read_text(encoding="utf-8").replace(
        "id: ningbo-2023", "id: custom-1"), encoding="utf-8")
    p = run_cli("scheme-check", good, forms_dir() / "gbt36132-2025.yaml")
    assert p.returncode == 0, p.stderr
    assert "ok (custom-1 2023.1" in p.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace("    min: 75\n", "    minimum: 75\n"), encoding="utf-8")
    p = run_cli("scheme-check", good, bad)
    assert p.returncode == 1
    assert p.stderr.strip() == (f"{bad}:19: grades[three_star].minimum: unknown key 'minimum' (did you mean 'min'?); "
                                "allowed keys: certainty, id, label, maintainer_note, min, note, requires_qualified, source")


def test_outline_is_a_paper_view(run_cli):
    p = run_cli("outline", "gbt36132-2025")
    assert p.returncode == 0
    out = p.stdout
    assert "Carbon intensity (CO2 per output value) (carbon_intensity) — 11 points [⚠ uncertain]" in out
    assert "基准值 benchmark needed, 引领值 benchmark needed" in out
    assert "Evidence: " in out
    zh = run_cli("outline", "gbt36132-2018", lang="zh").stdout
    assert "【基本要求】" in zh and "必选" in zh and "可选" in zh


def test_usage_errors_exit_2(run_cli):
    assert run_cli("score").returncode == 2
    assert run_cli("benchmark", "x.greendesk", "carbon_intensity", "--baseline", "1").returncode == 2


@pytest.fixture
def demo(run_cli, tmp_path):
    path = tmp_path / "demo.greendesk"
    assert run_cli("demo", path).returncode == 0
    return path


def answers_of(path):
    with Workspace.open(path, readonly=True) as ws:
        return ws.answers(ws.assessment()["id"])


def test_answers_set_and_all_or_nothing(run_cli, demo):
    before = answers_of(demo)
    p = run_cli("answers", demo, "--set", "common.site_area_m2=90000", "--set", "negative_list.operating=否",
                "--set", "wastewater_concentration.discharges=不适用", "--set", "carbon_intensity=420")
    assert p.returncode == 0, p.stderr
    after = answers_of(demo)
    assert after["common.site_area_m2"] == 90000 and after["negative_list.operating"] == "no"
    assert after["wastewater_concentration.discharges"] == "na" and after["carbon_intensity"] == 420
    assert "carbon_intensity = 420.0  (indicator value entered directly)" in run_cli("answers", demo).stdout
    # one refused value: nothing changes, the reason is given on one line
    line = one_line_error(run_cli("answers", demo, "--set", "common.site_area_m2=1", "--set",
                                  "negative_list.operating=maybe"))
    assert "negative_list.operating" in line and "nothing was changed" in line
    assert answers_of(demo) == after
    line = one_line_error(run_cli("answers", demo, "--set", "no_such_field=1"))
    assert "has no field or indicator 'no_such_field'" in line
    assert answers_of(demo) != before


def test_answers_from_files(run_cli, demo, tmp_path):
    y = tmp_path / "a.yaml"
    y.write_text("plot_ratio.floor_area_m2: 80000\nnegative_list.operating: yes\n"
                 "platform_functions.functions: [query, flow]\n", encoding="utf-8")
    assert run_cli("answers", demo, "--from", y).returncode == 0, "yaml"
    j = tmp_path / "a.json"
    j.write_text(json.dumps({"answers": {"green_design.case": "quantified", "upgrade_projects.count_3y": 9}}),
                 encoding="utf-8")
    assert run_cli("answers", demo, "--from", j).returncode == 0, "json"
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "value"])
    ws.append(["common.site_area_m2", 88000])
    ws.append(["energy_intensity.quota_applies", "是"])
    x = tmp_path / "a.xlsx"
    wb.save(x)
    assert run_cli("answers", demo, "--from", x).returncode == 0, "xlsx"
    a = answers_of(demo)
    assert a["plot_ratio.floor_area_m2"] == 80000 and a["platform_functions.functions"] == ["query", "flow"]
    assert a["green_design.case"] == "quantified" and a["upgrade_projects.count_3y"] == 9
    assert a["common.site_area_m2"] == 88000 and a["energy_intensity.quota_applies"] == "yes"
    ws.append(["upgrade_projects.count_3y", 2.5])
    wb.save(x)
    line = one_line_error(run_cli("answers", demo, "--from", x))
    assert line.startswith("greendesk: a.xlsx!A4: upgrade_projects.count_3y: '2.5' is not a whole number")
    assert answers_of(demo)["upgrade_projects.count_3y"] == 9


def test_answers_given_twice_with_different_values_are_refused(run_cli, demo, tmp_path):
    before = answers_of(demo)
    y = tmp_path / "twice.yaml"
    y.write_text("plot_ratio.floor_area_m2: 80000\nupgrade_projects.count_3y: 4\nplot_ratio.floor_area_m2: 60000\n",
                 encoding="utf-8")
    line = one_line_error(run_cli("answers", demo, "--from", y))
    assert "twice.yaml:3" in line and "twice.yaml:1" in line and "plot_ratio.floor_area_m2" in line
    j = tmp_path / "twice.json"
    j.write_text('{"upgrade_projects.count_3y": 4, "upgrade_projects.count_3y": 5}', encoding="utf-8")
    line = one_line_error(run_cli("answers", demo, "--from", j))
    assert "upgrade_projects.count_3y" in line and "twice" in line
    line = one_line_error(run_cli("answers", demo, "--set", "upgrade_projects.count_3y=4",
                                  "--set", "upgrade_projects.count_3y=5"))
    assert "upgrade_projects.count_3y" in line and "nothing was changed" in line
    assert answers_of(demo) == before
    # the same value twice is harmless
    p = run_cli("answers", demo, "--set", "upgrade_projects.count_3y=4", "--set", "upgrade_projects.count_3y=4")
    assert p.returncode == 0, p.stderr
    assert answers_of(demo)["upgrade_projects.count_3y"] == 4


def test_set_without_equals_is_a_usage_error(run_cli, demo):
    r = run_cli("answers", demo, "--set", "negative_list.operating")
    assert r.returncode == 2 and "ID=VALUE" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("header", [["Field ID", "Value"], ["字段 ID", "值"], ["指标/字段", "答案"]])
def test_answers_xlsx_header_row_is_recognised(run_cli, demo, tmp_path, header):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    ws.append(["upgrade_projects.count_3y", 6])
    x = tmp_path / "h.xlsx"
    wb.save(x)
    p = run_cli("answers", demo, "--from", x)
    assert p.returncode == 0, p.stderr
    assert answers_of(demo)["upgrade_projects.count_3y"] == 6


def test_broken_yaml_answer_file_is_one_line_with_its_line(run_cli, demo, tmp_path):
    y = tmp_path / "broken.yaml"
    y.write_text("plot_ratio.floor_area_m2: 80000\nx: [1, 2\n", encoding="utf-8")
    line = one_line_error(run_cli("answers", demo, "--from", y))
    assert line.startswith("greendesk: broken.yaml:") and "not valid YAML" in line


def test_benchmark_and_score(run_cli, demo):
    p = run_cli("score", demo, "--json")
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert set(r) >= {"total", "max", "qualified", "vetoes_failed", "grade", "sections", "indicators",
                      "missing_answers", "missing_benchmarks"}
    for s in r["sections"]:
        assert set(s) >= {"id", "score", "max"}
    for i in r["indicators"]:
        assert set(i) >= {"id", "score", "max", "explain"} and i["explain"]
    assert "water_reuse" in r["missing_benchmarks"]
    assert r["qualified"] is True and r["max"] == 100
    p = run_cli("benchmark", demo, "water_reuse", "--baseline", "50", "--leading", "90", "--source", "行业先进值",
                "--by", "evaluator")
    assert p.returncode == 0, p.stderr
    r2 = json.loads(run_cli("score", demo, "--json").stdout)
    wr = next(i for i in r2["indicators"] if i["id"] == "water_reuse")
    assert "water_reuse" not in r2["missing_benchmarks"]
    assert wr["explain"].startswith("x=") and "基准值 50, 引领值 90" in wr["explain"]
    assert r2["total"] > r["total"]
    with Workspace.open(demo, readonly=True) as ws:
        b = ws.benchmarks("gbt36132-2025")[0]
        assert (b["indicator_id"], b["baseline"], b["leading"], b["set_by"]) == ("water_reuse", 50, 90, "evaluator")
    # banded indicators need the band; a leading value worse than the baseline is refused
    assert "--band" in one_line_error(run_cli("benchmark", demo, "renewable_share", "--baseline", "0",
                                              "--leading", "10"))
    assert run_cli("benchmark", demo, "renewable_share", "--band", "ge3000", "--baseline", "0",
                   "--leading", "10").returncode == 0
    assert "better than the baseline" in one_line_error(
        run_cli("benchmark", demo, "carbon_intensity", "--baseline", "300", "--leading", "800"))
    assert "not a quantitative indicator" in one_line_error(
        run_cli("benchmark", demo, "green_design", "--baseline", "0", "--leading", "1"))
    text = run_cli("score", demo, lang="zh").stdout
    # 2025 sets no pass mark: the text says the veto result, and that there is no pass mark
    assert "总分" in text and "否决项：全部符合" in text and "合格：是" not in text
    assert "本方案未设合格分数线" in text and "不适用：6 分不计入满分（energy_saving_products）" in text


def test_benchmark_can_be_cleared(run_cli, demo):
    assert run_cli("benchmark", demo, "water_reuse", "--baseline", "50", "--leading", "90").returncode == 0
    r = run_cli("benchmark", demo, "water_reuse", "--clear")
    assert r.returncode == 0, r.stderr
    assert "water_reuse" in json.loads(run_cli("score", demo, "--json").stdout)["missing_benchmarks"]
    with Workspace.open(demo, readonly=True) as ws:
        assert ws.benchmarks("gbt36132-2025") == []
    # values or --clear, not both and not neither
    assert run_cli("benchmark", demo, "water_reuse").returncode == 2
    assert run_cli("benchmark", demo, "water_reuse", "--clear", "--baseline", "1", "--leading", "2").returncode == 2
    assert run_cli("benchmark", demo, "water_reuse", "--baseline", "1").returncode == 2


def test_assess_new_with_carry_over(run_cli, demo, tmp_path):
    p = run_cli("assess-new", demo, "--year", "2026", "--carry-over", "--json")
    assert p.returncode == 0, p.stderr
    res = json.loads(p.stdout)
    assert res["carried"] > 10 and res["scheme"] == "gbt36132-2025"
    listing = run_cli("answers", demo).stdout
    assert "(from 2025, please confirm)" in listing
    r = json.loads(run_cli("score", demo, "--json").stdout)
    assert r["assessment"]["year"] == 2026 and len(r["carried_over"]) == res["carried"]
    new = tmp_path / "next.greendesk"
    p = run_cli("assess-new", new, "--year", "2027", "--from-workspace", demo)
    assert p.returncode == 0, p.stderr
    assert "carried over" in p.stdout
    assert one_line_error(run_cli("assess-new", demo, "--year", "2026", "--scheme", "nope")).startswith(
        "greendesk: Unknown scheme: nope")


def test_assess_new_refuses_a_second_assessment_for_the_same_year_and_scheme(run_cli, demo):
    assert run_cli("assess-new", demo, "--year", "2026", "--carry-over").returncode == 0
    with Workspace.open(demo, readonly=True) as ws:
        before = ws.assessments()
    for extra in ([], ["--carry-over"]):
        line = one_line_error(run_cli("assess-new", demo, "--year", "2026", *extra))
        assert "already has an assessment for 2026" in line and "#2" in line
    with Workspace.open(demo, readonly=True) as ws:
        assert ws.assessments() == before
    # another scheme for the same year is a different assessment (e.g. moving from the 2018 edition)
    assert run_cli("assess-new", demo, "--year", "2026", "--scheme", "gbt36132-2018").returncode == 0


def test_init_validates_the_scheme(run_cli, tmp_path):
    line = one_line_error(run_cli("init", tmp_path / "w.greendesk", "--name", "X", "--uscc", "91500113MA61RYP3X0",
                                  "--industry", "C3392", "--year", "2025", "--scheme", "gbt36132-2030"))
    assert "Unknown scheme: gbt36132-2030" in line


def test_user_profiles_from_scheme_path(run_cli, tmp_path):
    d = tmp_path / "profiles"
    d.mkdir()
    (d / "local.yaml").write_text((forms_dir() / "ningbo-2023.yaml").read_text(encoding="utf-8").replace(
        "id: ningbo-2023", "id: local-2026"), encoding="utf-8")
    p = run_cli("schemes", "--json", env={"GREENDESK_SCHEME_PATH": str(d)})
    assert "local-2026" in {x["id"] for x in json.loads(p.stdout)}
    p = run_cli("scheme-show", "local-2026", "--json", env={"GREENDESK_SCHEME_PATH": str(d)})
    assert p.returncode == 0 and json.loads(p.stdout)["base"] == "gbt36132-2018"


def test_a_broken_custom_profile_does_not_hide_the_others(run_cli, tmp_path):
    from greendesk.core.schemes import registry

    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "broken.yaml").write_text("id: broken-profile\nbase: gbt36132-2018\nversion: 1\nbasline: 3\n",
                                        encoding="utf-8")
    r = run_cli("schemes", "--json", env={"GREENDESK_SCHEME_PATH": str(folder)})
    assert r.returncode == 0, r.stderr
    ids = [s["id"] for s in json.loads(r.stdout)]
    assert {"gbt36132-2018", "gbt36132-2025", "ningbo-2023"} <= set(ids) and "broken-profile" not in ids
    assert "broken.yaml" in r.stderr and "not listed" in r.stderr
    # the bundled schemes themselves must never be skipped silently
    problems: list = []
    assert len(registry.list_schemes(problems)) >= 3 and problems == []
