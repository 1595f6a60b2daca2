"""Scheme files: every shipped scheme loads and validates; broken files are pointed at precisely."""

import json
import textwrap

import pytest

from greendesk.core.errors import UserError
from greendesk.core.paths import forms_dir
from greendesk.core.schemes import registry
from greendesk.core.schemes.loader import SchemeError
from greendesk.core.schemes.model import CERTAINTIES
from greendesk.core.schemes.schema_doc import schema_text
from greendesk.core.schemes.values import validate_answer, validate_value

SHIPPED = ["gbt36132-2018", "gbt36132-2025", "ningbo-2023"]


def test_every_shipped_scheme_loads():
    assert set(SHIPPED) <= set(registry.scheme_ids())
    for sid in SHIPPED:
        s = registry.get_scheme(sid)
        assert s.id == sid and s.version
        assert s.title["zh"] and s.title["en"]
        assert s.max_points == pytest.approx(100)
        # strict loading of the file itself gives the same scheme
        again = registry.load_scheme_file(registry.scheme_path(sid))
        assert [i.id for i in again.indicators()] == [i.id for i in s.indicators()]


def test_list_schemes_and_unknown_id():
    assert [s.id for s in registry.list_schemes()] == registry.scheme_ids()
    with pytest.raises(UserError) as e:
        registry.get_scheme("gbt-9999")
    assert "gbt-9999" in e.value.message("en") and "gbt36132-2025" in e.value.message("en")


@pytest.mark.parametrize("sid", SHIPPED)
def test_every_default_and_every_figure_is_sourced(sid):
    s = registry.get_scheme(sid)
    for f in s.fields_by_id.values():
        assert f.label.get("zh") and f.label.get("en"), f.id
        if f.default is not None:
            assert validate_value(f, f.default) == f.default
        for c in f.columns:
            assert c.label.get("zh") and c.label.get("en")
    for ind in s.indicators():
        assert ind.certainty in CERTAINTIES
        assert ind.rule.certainty in CERTAINTIES
        if ind.points:
            assert ind.source, f"{ind.id}: points without a source"
        rules = [ind.rule] + [c.rule for c in ind.rule.cases]
        for r in rules:
            if r.baseline is not None or r.leading is not None or r.threshold is not None:
                assert r.source, f"{ind.id}: a figure without a source"
            for b in r.bands:
                if b.baseline is not None or b.leading is not None:
                    assert b.source or r.source


def test_2025_general_profile_structure():
    s = registry.get_scheme("gbt36132-2025")
    assert [sec.id for sec in s.sections] == ["prerequisites", "energy", "resources", "cleaner_production",
                                              "products", "land"]
    assert {i.rule.kind for i in s.sections[0].indicators} == {"veto"}
    assert len([i for sec in s.sections[1:] for i in sec.indicators]) == 20   # T25-A rows (18 + 2 split rows)
    # no official benchmark is invented: only the platform-function count carries one (marked uncertain)
    with_bench = [i.id for i in s.indicators() if i.rule.baseline is not None or i.rule.leading is not None]
    assert with_bench == ["platform_functions"]
    assert s.indicator("platform_functions").rule.certainty == "uncertain"
    renewable = s.indicator("renewable_share").rule
    assert [b.id for b in renewable.bands] == ["ge10000", "ge5000", "ge3000", "lt3000"]
    assert all(b.baseline is None and b.leading is None for b in renewable.bands)
    assert sum(sec.max_points for sec in s.sections if sec.id in ("energy", "resources")) == 56


def test_2018_structure():
    s = registry.get_scheme("gbt36132-2018")
    assert [sec.id for sec in s.sections] == ["basic", "infrastructure", "management", "energy_resources",
                                              "product", "emissions", "performance"]
    assert [sec.max_points for sec in s.sections] == [0, 20, 15, 15, 10, 10, 30]
    assert len(s.sections[-1].indicators) == 12
    checklists = [i for sec in s.sections[1:-1] for i in sec.indicators]
    assert all(i.rule.kind == "checklist" for i in checklists)
    levels = {it.level for i in checklists for it in i.rule.items}
    assert levels == {"required", "optional"}


def test_ningbo_profile_layers_on_its_base():
    base = registry.get_scheme("gbt36132-2018")
    nb = registry.get_scheme("ningbo-2023")
    assert nb.base == "gbt36132-2018"
    assert [(g.id, g.min) for g in nb.grades] == [("three_star", 75), ("four_star_candidate", 85)]
    assert [s.id for s in nb.sections] == [s.id for s in base.sections] + ["ningbo_local"]
    assert nb.indicator("land_output").guidance["zh"].startswith("宁波")
    assert base.indicator("land_output").guidance["zh"].startswith("按")     # the base is untouched
    assert nb.indicator("building").points == base.indicator("building").points


def test_published_json_schema_is_current():
    published = (forms_dir() / "scheme.schema.json").read_text(encoding="utf-8")
    assert published == schema_text(), "regenerate: python -m greendesk.core.schemes.schema_doc"
    schema = json.loads(published)
    assert set(schema["properties"]) >= {"id", "version", "title", "source", "sections", "grades", "base"}
    assert schema["$defs"]["rule"]["properties"]["kind"]["enum"][:3] == ["veto", "checklist", "quantitative"]


def test_answers_are_validated_and_normalised():
    s = registry.get_scheme("gbt36132-2025")
    assert validate_answer(s, "negative_list.operating", "是") == "yes"
    assert validate_answer(s, "negative_list.operating", "不适用") == "na"
    assert validate_answer(s, "negative_list.operating", "NO") == "no"
    assert validate_answer(s, "common.site_area_m2", "86,000") == 86000.0
    assert validate_answer(s, "upgrade_projects.count_3y", "７") == 7
    assert validate_answer(s, "platform_functions.functions", "query, 能流分析") == ["query", "flow"]
    assert validate_answer(s, "carbon_intensity", "420.5") == 420.5          # whole-indicator value
    assert validate_answer(s, "negative_list", "yes") == "yes"
    with pytest.raises(UserError, match="is below the minimum 0"):
        validate_answer(s, "common.site_area_m2", -1)
    with pytest.raises(UserError, match="not a yes/no answer"):
        validate_answer(s, "negative_list.operating", "maybe")
    with pytest.raises(UserError, match="did you mean common.site_area_m2"):
        validate_answer(s, "common.site_area", 1)
    with pytest.raises(UserError, match="row 1: unknown column 'nam'"):
        validate_answer(s, "advanced_equipment.items", [{"nam": "x"}])
    with pytest.raises(UserError, match="at most 3 rows"):
        validate_answer(s, "energy_intensity.products", [{}, {}, {}, {}])


# --- strict loader errors (inline YAML, exact messages) -------------------------------------------

BASE = """\
format: 1
id: t-scheme
version: "1"
title: {zh: 测试, en: Test}
source: {standard: "TEST 1"}
common:
  - {id: common.area, type: number, label: {zh: 面积, en: Area}}
sections:
  - id: sec
    title: {zh: 节, en: Section}
    indicators:
      - id: ind
        title: {zh: 指标, en: Indicator}
        points: 10
        rule:
          kind: quantitative
          direction: higher_better
          value: "${ind.x} / ${common.area}"
          baseline: 0
          leading: 1
        fields:
          - {id: ind.x, type: number, label: {zh: 数, en: X}}
"""


def test_multi_choice_accepts_the_chinese_enumeration_comma():
    s = registry.get_scheme("gbt36132-2025")
    assert validate_answer(s, "platform_functions.functions", "能耗查询、碳排放核算") == ["query", "carbon_accounting"]
    assert validate_answer(s, "platform_functions.functions", "query、flow") == ["query", "flow"]


def load_text(tmp_path, text, name="t.yaml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return registry.load_scheme_file(p)


def error_of(tmp_path, text) -> str:
    with pytest.raises(SchemeError) as e:
        load_text(tmp_path, text)
    return e.value.message("en").replace(str(tmp_path) + "/", "")


def test_base_snippet_loads(tmp_path):
    s = load_text(tmp_path, BASE)
    assert s.indicator("ind").rule.leading == 1


@pytest.mark.parametrize("old, new, expected", [
    ("          baseline: 0\n", "          basline: 0\n",
     "t.yaml:19: sections[sec].indicators[ind].rule.basline: unknown key 'basline' (did you mean 'baseline'?); "
     "allowed keys: band_by, bands, baseline, certainty, direction, kind, leading, maintainer_note, note, source, unit, value"),
    ("      - id: ind\n", "      - id: sec\n",
     "t.yaml:12: sections[sec].indicators[sec].id: duplicate id 'sec' (already used at t.yaml:9); "
     "ids must be unique in a scheme"),
    ('          value: "${ind.x} / ${common.area}"\n', '          value: "${ind.y} / ${common.area}"\n',
     "t.yaml:18: sections[sec].indicators[ind].rule.value: ${ind.y} refers to no field (did you mean 'ind.x'?); "
     "define the field or fix the name"),
    ('          value: "${ind.x} / ${common.area}"\n', '          value: "${ind.x} / "\n',
     "t.yaml:18: sections[sec].indicators[ind].rule.value: bad expression '${ind.x} / ': "
     "unexpected end of expression (at column 12)"),
    ("          kind: quantitative\n", "          kind: quantitativ\n",
     "t.yaml:16: sections[sec].indicators[ind].rule.kind: 'quantitativ' is not allowed (did you mean "
     "'quantitative'?); use one of: veto, checklist, quantitative, count, threshold, multi_product, cases, info"),
    ("          direction: higher_better\n", "",
     "t.yaml:16: sections[sec].indicators[ind].rule: missing required key 'direction' (higher_better or "
     "lower_better)"),
    ("        points: 10\n", "        points: ten\n",
     "t.yaml:14: sections[sec].indicators[ind].points: expected a number, got 'ten'"),
    ("title: {zh: 测试, en: Test}\n", "title: {zh: 测试}\n", "t.yaml:4: title: missing required key 'en'; add it"),
    ("          - {id: ind.x, type: number, label: {zh: 数, en: X}}\n",
     "          - {id: x, type: number, label: {zh: 数, en: X}}\n",
     "t.yaml:22: sections[sec].indicators[ind].fields[x].id: field id 'x' must start with 'ind.' "
     "(the id of its indicator)"),
    ("          leading: 1\n", "          leading: 0\n",
     "t.yaml:20: sections[sec].indicators[ind].rule.leading: 基准值 (baseline) and 引领值 (leading) must differ"),
    ("format: 1\n", "format: 2\n", "t.yaml:1: format: unsupported format 2; this GreenDesk reads format 1"),
    ("          leading: 1\n", "          leading: 1\n          leading: 2\n",
     "t.yaml:21: leading: duplicate key (first defined at line 20); remove one of them"),
    ("          - {id: ind.x, type: number, label: {zh: 数, en: X}}\n",
     "          - {id: ind.x, type: choice, label: {zh: 数, en: X}}\n",
     "t.yaml:22: sections[sec].indicators[ind].fields[ind.x].type: a 'choice' field needs 'choices'"),
    ("          - {id: ind.x, type: number, label: {zh: 数, en: X}}\n",
     "          - {id: ind.x, type: calculated, calculation: \"${ind.x} + 1\", label: {zh: 数, en: X}}\n",
     "t.yaml:22: ind.x: calculations form a cycle: ind.x -> ind.x; break it"),
    ("          - {id: ind.x, type: number, label: {zh: 数, en: X}}\n",
     "          - {id: ind.x, type: number, label: {zh: 数, en: X}, auto: energy.total}\n",
     "t.yaml:22: sections[sec].indicators[ind].fields[ind.x].auto: unknown automatic value 'energy.total'; "
     "known: energy.total_tce, energy.co2_t, energy.renewable_tce, energy.electricity_kwh, water.intake_m3, "
     "production.output_value_wan_yuan, production.quantity"),
    ("          - {id: ind.x, type: number, label: {zh: 数, en: X}}\n",
     "          - {id: ind.x, type: number, label: {zh: 数, en: X}, constraint: \"${ind.x} > 0\"}\n",
     "t.yaml:22: sections[sec].indicators[ind].fields[ind.x].constraint: a constraint needs a "
     "'constraint_message' (zh and en) telling the user what is wrong"),
])
def test_loader_errors_name_file_line_and_key(tmp_path, old, new, expected):
    assert old in BASE
    assert error_of(tmp_path, BASE.replace(old, new, 1)) == expected


def test_checklist_points_must_add_up(tmp_path):
    text = BASE.replace("""        rule:
          kind: quantitative
          direction: higher_better
          value: "${ind.x} / ${common.area}"
          baseline: 0
          leading: 1
        fields:
          - {id: ind.x, type: number, label: {zh: 数, en: X}}
""", """        rule:
          kind: checklist
          items:
            - {field: ind.a, points: 6}
            - {field: ind.b, points: 3, level: optional}
        fields:
          - {id: ind.a, type: yesno, label: {zh: 甲, en: A}}
          - {id: ind.b, type: yesno, label: {zh: 乙, en: B}}
""")
    assert error_of(tmp_path, text) == ("t.yaml:14: sections[sec].indicators[ind].points: points 10 differ from the "
                                        "sum of the checklist items (9)")
    assert error_of(tmp_path, text.replace("{field: ind.b,", "{field: ind.c,")) == (
        "t.yaml:19: sections[sec].indicators[ind].rule.items[1].field: 'ind.c' is not a field of indicator 'ind'")


def test_not_yaml_and_empty(tmp_path):
    assert error_of(tmp_path, "a: [1, 2\n") .startswith("t.yaml:2: not valid YAML:")
    assert error_of(tmp_path, "") == "t.yaml:1: the file is empty"


def test_profile_errors_point_at_the_profile(tmp_path):
    profile = """\
        format: 1
        id: local-x
        version: "1"
        base: gbt36132-2025
        title: {zh: 本地, en: Local}
        source: {standard: "LOCAL"}
        overrides:
          indicators:
            carbon_intensity:
              points: 12
              rule: {baseline: 900, leading: 300, source: "local notice", certainty: confirmed}
        grades:
          - {id: pass, min: 60, label: {zh: 合格, en: Pass}}
        """
    s = load_text(tmp_path, profile)
    ci = s.indicator("carbon_intensity")
    assert (ci.points, ci.rule.baseline, ci.rule.leading, ci.rule.certainty) == (12, 900, 300, "confirmed")
    assert ci.rule.direction == "lower_better"          # inherited
    assert s.max_points == pytest.approx(101)
    assert error_of(tmp_path, profile.replace("carbon_intensity:", "carbon_intensty:")) == (
        "t.yaml:9: overrides.indicators.carbon_intensty: the base scheme has no indicator 'carbon_intensty' "
        "(did you mean 'carbon_intensity'?)")
    assert error_of(tmp_path, profile.replace("baseline: 900", "baseline: high")) == (
        "t.yaml:11: sections[energy].indicators[carbon_intensity].rule.baseline: expected a number, got 'high'")
    assert error_of(tmp_path, profile.replace("grades:", "grads:")) == (
        "t.yaml:12: grads: unknown key 'grads' (did you mean 'grades'?); allowed keys: base, description, "
        "extra_indicators, extra_sections, format, grades, id, maintainer_note, migrations, na_policy, notes, "
        "overrides, points_table, points_tables, qualification, source, title, version")
    assert error_of(tmp_path, profile.replace("base: gbt36132-2025", "base: nope")) == (
        "t.yaml:4: base: unknown base scheme 'nope'; use the id of a bundled scheme (see 'greendesk schemes')")


def test_duplicate_grade_ids_are_refused(tmp_path):
    text = BASE + ("grades:\n"
                   "  - {id: gold, min: 60, label: {zh: 金, en: Gold}}\n"
                   "  - {id: gold, min: 80, label: {zh: 金, en: Gold}}\n")
    assert error_of(tmp_path, text) == (
        "t.yaml:25: grades[gold].id: duplicate grade id 'gold' (already used at t.yaml:24); "
        "grade ids must be unique")


def test_leading_worse_than_baseline_is_refused(tmp_path):
    # higher_better with 引领值 below 基准值 would score backwards
    assert error_of(tmp_path, BASE.replace("          leading: 1\n", "          leading: -1\n")) == (
        "t.yaml:20: sections[sec].indicators[ind].rule.leading: 引领值 (leading) -1 is worse than 基准值 (baseline) 0 "
        "for a higher_better indicator; swap them")
    profile = """\
        format: 1
        id: local-x
        version: "1"
        base: gbt36132-2025
        title: {zh: 本地, en: Local}
        source: {standard: "LOCAL"}
        overrides:
          indicators:
            carbon_intensity:
              rule: {baseline: 300, leading: 900}
        """
    assert error_of(tmp_path, profile) == (
        "t.yaml:10: sections[energy].indicators[carbon_intensity].rule.leading: 引领值 (leading) 900 is worse than "
        "基准值 (baseline) 300 for a lower_better indicator; swap them")


def test_grade_above_the_maximum_is_refused(tmp_path):
    text = BASE + "grades:\n  - {id: gold, min: 160, label: {zh: 金, en: Gold}}\n"
    assert error_of(tmp_path, text).startswith(
        "t.yaml:24: grades[gold].min: 160 is above the scheme's maximum")


def test_migrations_are_checked(tmp_path):
    text = BASE + "migrations:\n  renamed: {ind.old: ind.x}\n  removed: [ind.gone]\n"
    s = load_text(tmp_path, text)
    assert s.renamed == {"ind.old": "ind.x"} and s.removed == ("ind.gone",)
    assert error_of(tmp_path, text.replace("{ind.old: ind.x}", "{ind.old: ind.nope}")) == (
        "t.yaml:24: migrations.renamed.ind.old: rename target 'ind.nope' does not exist in this scheme")
    assert error_of(tmp_path, text.replace("[ind.gone]", "[ind.x]")) == (
        "t.yaml:25: migrations.removed[0]: 'ind.x' is declared removed but still exists")


def test_error_messages_are_bilingual(tmp_path):
    with pytest.raises(SchemeError) as e:
        load_text(tmp_path, BASE.replace("        points: 10\n", "        points: ten\n"))
    assert e.value.message("zh").endswith("sections[sec].indicators[ind].points：此处应为数值，而不是 'ten'")
    assert (e.value.file, e.value.line, e.value.key) == (str(tmp_path / "t.yaml"), 14,
                                                         "sections[sec].indicators[ind].points")


def test_rules_in_plain_words():
    from greendesk.core.i18n import set_language
    from greendesk.core.schemes.describe import indicator_rule_text

    s = registry.get_scheme("gbt36132-2025")
    set_language("en")
    try:
        text = indicator_rule_text(s, s.indicator("carbon_intensity"))
        assert text.startswith("lower is better, x = 「CO2 emissions」 * 1000 / 「Industrial output value")
        assert "基准值 benchmark needed, 引领值 benchmark needed [⚠ uncertain]" in text
        s18 = registry.get_scheme("gbt36132-2018")
        assert indicator_rule_text(s18, s18.indicator("green_material_rate")).startswith(
            "2.5 points when x ≥ 30 %, otherwise 0")
        set_language("zh")
        assert indicator_rule_text(s, s.indicator("negative_list")).startswith("否决项：每一项都必须符合")
    finally:
        set_language(None)
