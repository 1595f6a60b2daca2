"""Hostile answer files and values through ``greendesk answers`` (subprocesses): one line naming the file
and line, no traceback, nothing stored; control characters are refused when stored and escaped when printed."""

from __future__ import annotations

import json

import pytest

from greendesk.core.workspace import Workspace

ESC_VALUE = "a\x01b\x1b[31m"


@pytest.fixture
def ws2018(tmp_path, run_cli):
    p = tmp_path / "f.greendesk"
    r = run_cli("init", p, "--name", "某某厂", "--uscc", "91350100M000100Y43", "--industry", "C3392",
                "--year", "2025", "--scheme", "gbt36132-2018")
    assert r.returncode == 0, r.stderr
    return p


def answers_of(path):
    with Workspace.open(path, readonly=True) as ws:
        return ws.answers(ws.assessment()["id"])


def one_line_error(p):
    assert p.returncode == 1, (p.stdout, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in p.stderr, p.stderr
    return lines[0]


@pytest.mark.parametrize("name, text, where, words", [
    ("bomb.yaml", "common.output_unit: t\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
     + "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 9)), "bomb.yaml:", "aliases"),
    ("deep.yaml", "common.output_unit: " + "[" * 200 + "]" * 200 + "\n", "deep.yaml:1:", "nested more than"),
    ("key.yaml", "common.output_unit: t\n[a, b]: x\n", "key.yaml:2:", "cannot be a key"),
    ("inf.yaml", "common.output_unit: t\ncommon.site_area_m2: .inf\n", "inf.yaml:2:", "not a finite number"),
    ("int.yaml", "common.site_area_m2: 1" + "0" * 5000 + "\n", "int.yaml:1:", "more than 40 digits"),
    ("tag.yaml", "common.output_unit: !!python/object/apply:os.system [id]\n", "tag.yaml:1:", "YAML tag"),
    ("esc.yaml", 'common.output_unit: "a\\x01b\\e[31m"\n', "esc.yaml:1:", "control character U+0001"),
    ("nan.json", '{"common.output_unit": "t",\n "common.site_area_m2": NaN}', "nan.json:2:", "not a finite"),
    ("deep.json", '{"a": ' + "[" * 5000 + "]" * 5000 + "}", "deep.json:1:", "nested more than"),
    ("bad.json", '{"a": 1,\n "b": }', "bad.json:2:", "not valid JSON"),
    ("bytes.yaml", b"common.output_unit: t\ncommon.site_area_m2: \xff\n", "bytes.yaml:2:", "not UTF-8"),
])
def test_hostile_answer_files_are_one_line_with_file_and_line(run_cli, ws2018, tmp_path, name, text, where, words):
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    before = answers_of(ws2018)
    line = one_line_error(run_cli("answers", ws2018, "--from", p))
    assert line.startswith(f"greendesk: {where}"), line
    assert words in line, line
    assert answers_of(ws2018) == before


def test_a_workbook_with_only_a_chart_sheet_says_so(run_cli, ws2018, tmp_path):
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.Workbook()
    data = wb.active
    data.append([1])
    data.append([2])
    chart = BarChart()
    chart.add_data(Reference(data, min_col=1, min_row=1, max_row=2))
    wb.create_chartsheet().add_chart(chart)
    wb.remove(data)
    x = tmp_path / "chart.xlsx"
    wb.save(x)
    line = one_line_error(run_cli("answers", ws2018, "--from", x))
    assert "chart.xlsx" in line and "no worksheet (only chart sheets)" in line, line
    assert "attribute" not in line and "index" not in line


def test_csv_answers_with_a_header_row(run_cli, ws2018, tmp_path):
    c = tmp_path / "a.csv"
    c.write_text("字段 ID,值\ncommon.output_unit,吨\ncommon.site_area_m2,88000\n", encoding="gb18030")
    r = run_cli("answers", ws2018, "--from", c)
    assert r.returncode == 0, r.stderr
    a = answers_of(ws2018)
    assert a["common.output_unit"] == "吨" and a["common.site_area_m2"] == 88000
    c.write_text("common.site_area_m2,-5\n", encoding="utf-8")
    assert one_line_error(run_cli("answers", ws2018, "--from", c)).startswith("greendesk: a.csv:1: ")


def test_control_characters_are_refused_when_stored(run_cli, ws2018, tmp_path):
    before = answers_of(ws2018)
    r = run_cli("answers", ws2018, "--set", f"common.output_unit={ESC_VALUE}")
    line = one_line_error(r)
    assert "common.output_unit" in line and "control character U+0001" in line
    assert "\x1b" not in r.stderr and "\x01" not in r.stderr      # the refusal itself is printed escaped
    x = tmp_path / "a.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["common.output_unit", "t\u202eevil"])       # a bidi override from a spreadsheet cell
    wb.save(x)
    line = one_line_error(run_cli("answers", ws2018, "--from", x))
    assert line.startswith("greendesk: a.xlsx!A1: common.output_unit: ") and "U+202E" in line
    assert answers_of(ws2018) == before


def test_stored_control_characters_are_escaped_when_printed(run_cli, ws2018):
    # A value stored by an older GreenDesk (or written to the file by another program) is printed escaped.
    with Workspace.open(ws2018) as ws:
        ws.set_answers(ws.assessment()["id"], {"common.output_unit": ESC_VALUE + "\x9b2J"})
    r = run_cli("answers", ws2018)
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\x01" not in r.stdout and "\x9b" not in r.stdout
    assert "\\u001b[31m" in r.stdout and "\\u009b2J" in r.stdout
    j = run_cli("answers", ws2018, "--json")
    rows = json.loads(j.stdout)                                    # JSON stays valid and means the same
    assert {"field_id": "common.output_unit", "value": ESC_VALUE + "\x9b2J"}.items() <= next(
        x for x in rows if x["field_id"] == "common.output_unit").items()
    assert "\x9b" not in j.stdout


def test_an_unknown_id_with_an_escape_is_printed_escaped(run_cli, ws2018):
    r = run_cli("answers", ws2018, "--set", "\x1b]0;owned\x07x=1")
    line = one_line_error(r)
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr
    assert "\\u001b]0;owned\\u0007x" in line


def test_a_huge_answers_file_is_refused_without_reading_it(run_cli, ws2018, tmp_path):
    p = tmp_path / "huge.yaml"
    with p.open("wb") as f:
        f.write(b"common.output_unit: t\n")
        f.truncate(3 * 2**30)
    line = one_line_error(run_cli("answers", ws2018, "--from", p))
    assert "huge.yaml: the file is too large" in line and "at most 5 MB" in line


def test_benchmark_source_with_an_escape_is_refused(run_cli, tmp_path):
    p = tmp_path / "g.greendesk"
    assert run_cli("init", p, "--name", "某某厂", "--uscc", "91350100M000100Y43", "--industry", "C3392",
                   "--year", "2025", "--scheme", "gbt36132-2025").returncode == 0
    r = run_cli("benchmark", p, "water_reuse", "--baseline", "80", "--leading", "95", "--source", "行业\x1b[2J")
    line = one_line_error(r)
    assert line.startswith("greendesk: --source: the text contains the control character U+001B"), line
    ok = run_cli("benchmark", p, "water_reuse", "--baseline", "80", "--leading", "95", "--source", "行业评价要求")
    assert ok.returncode == 0, ok.stderr
