"""User-facing texts and maintainers' notes are separate fields in the shipped data (issue 15.7).

Every text that is shown or printed (labels, guidance, evidence, sources, notes) is free of what
only the maintainers of the data need: internal table names (T25-A, S-GEN), repository file ids,
"mock", file names, configuration keys. Those live in ``maintainer_note``, which is never shown.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FORMS = sorted((ROOT / "forms").glob("*.yaml"))
RESOURCES = [ROOT / "resources" / "factors.yaml", ROOT / "resources" / "carriers.yaml"]

MAINTAINER_WORDS = [
    (r"\bT25-[A-Z]", "an internal name of a public table"),
    (r"repo-file", "a repository file id"),
    (r"\bS-[A-Z0-9]{3,}\b", "an internal source id"),
    (r"\bmock\b", "'mock'"),
    (r"not official", "'not official'"),
    (r"\.(md|py|yaml|yml|json|csv)\b", "a file name"),
    (r"§", "a section of a notes file"),
    (r"凭记忆|recalled", "'from memory'"),
    (r"(?<![\w/.])[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\b", "a configuration key"),
    (r"有工具引用|a public tool", "a remark about another tool"),
]
# Keys whose values are not texts for people: ids, expressions, enums, units, settings.
NOT_SHOWN = {"maintainer_note", "id", "field", "rows", "value", "calculation", "relevant", "constraint", "applicable",
             "band_by", "when", "row_value", "row_baseline", "row_leading", "row_weight", "auto", "base", "kind",
             "direction", "certainty", "type", "level", "mode", "renamed", "removed", "format", "version", "components",
             "formula", "scale", "to", "aliases", "synonyms", "units", "ignore", "roles", "default", "unit",
             "density_certainty", "kind_of", "values", "notes"}
_URL = re.compile(r"https?://\S+")


def _shown_texts(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            if str(k) not in NOT_SHOWN:
                yield from _shown_texts(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _shown_texts(v, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def _problems(texts):
    out = []
    for where, text in texts:
        plain = _URL.sub("", text)
        for pattern, what in MAINTAINER_WORDS:
            if re.search(pattern, plain):
                out.append(f"{where}: {what}: {text!r}")
    return out


@pytest.mark.parametrize("path", FORMS + RESOURCES, ids=lambda p: p.name)
def test_no_shown_text_in_shipped_data_carries_maintainer_words(path):
    from greendesk.core.safe_yaml import load_yaml_text

    data = load_yaml_text(path.read_text(encoding="utf-8"), path.name)
    texts = list(_shown_texts(data))
    assert len(texts) > 20                       # the walk really reaches the texts
    problems = _problems(texts)
    assert not problems, "\n".join(problems)


def test_the_check_catches_what_it_is_for():
    samples = [("a", "none published (T25-A mock 100 / 80 is not official)"), ("b", "T25-C; repo-file-58505489573"),
               ("c", "有实测低位发热量时请设置 ncv.natural_gas.measured"), ("d", "S-GEN; green-factory-facts.md §1.2"),
               ("e", "GB/T 2589-2020 附录 A（凭记忆，请核对）")]
    assert {p.split(":")[0] for p in _problems(samples)} == {"a", "b", "c", "d", "e"}
    assert not _problems([("f", "GB/T 36132-2018 5.1 (clause number uncertain)"),
                          ("g", "原文：http://www.cnnbsa.com/index.php?m=content&c=index&a=show&catid=13&id=24030")])


def test_maintainer_notes_are_kept_but_never_shown_or_printed():
    from greendesk.cli import main
    from greendesk.cli.scheme_cmds import scheme_json
    from greendesk.core.schemes.registry import get_scheme

    s = get_scheme("gbt36132-2025")
    rules = [i.rule for i in s.indicators()]
    kept = [r.maintainer_note for r in rules if r.maintainer_note]
    assert any("T25-A mock 100 / 80" in m for m in kept)          # moved, not lost
    band = next(b for r in rules for b in r.bands if b.id == "ge10000")
    assert band.maintainer_note.startswith("T25-A mock") and band.display_note() == ""
    assert s.source.display_note("zh").startswith("版本和日期已确认")
    assert s.source.display_note("en").startswith("Edition and date confirmed")
    printed = []
    for args in (["outline", "gbt36132-2025"], ["scheme-show", "gbt36132-2025", "--json"],
                 ["outline", "gbt36132-2018"], ["scheme-show", "ningbo-2023", "--json"]):
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(args) == 0
        printed.append(out.getvalue())
    printed.append(repr(scheme_json(s)))
    for text in printed:
        assert "maintainer_note" not in text
        assert not _problems([("printed", _URL.sub("", text))]), _problems([("printed", text)])[:3]


def test_a_plain_text_note_in_an_older_profile_is_shown_in_both_languages(tmp_path):
    from greendesk.core.schemes.registry import load_scheme_file

    text = (ROOT / "forms" / "ningbo-2023.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  note: .*$", '  note: "见宁波市经信局网站"\n  maintainer_note: "checked 2026-11"', text)
    p = tmp_path / "p.yaml"
    p.write_text(text.replace("id: ningbo-2023", "id: ningbo-copy"), encoding="utf-8")
    s = load_scheme_file(p)
    assert s.source.display_note("zh") == s.source.display_note("en") == "见宁波市经信局网站"
    assert s.source.maintainer_note == "checked 2026-11"


def test_factor_notes_are_shown_and_grid_regions_have_names():
    from greendesk.core import energy
    from greendesk.core.i18n import using_language

    with using_language("zh"):
        table = energy.factor_table()
        public = {e["id"]: energy._public(e) for e in table.values()}
        assert "全国平均" in table["co2.grid"]["zh"] and "national" not in table["co2.grid"]["zh"]
    assert public["sce.natural_gas"]["note"].startswith("有供气方化验单")
    assert "ncv.natural_gas.measured" not in public["sce.natural_gas"]["source"] + public["sce.natural_gas"]["note"]
    assert all("maintainer_note" not in p for p in public.values())
    assert public["sce.natural_gas"]["value"] == 1.2143                # numbers unchanged
    assert table["sce.natural_gas"]["maintainer_note"]                  # kept in the data
