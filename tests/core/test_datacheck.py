"""The strict checks shared by the quota-pack and annual-template loaders name file, line and key."""

import re

import pytest

from greendesk.core.datacheck import check_id, check_keys
from greendesk.core.safe_yaml import YamlError, load_yaml_text

TEXT = "rows:\n  - id: a\n    unit: t\n  - id: a\n    unit: t\n  - id: B\n    colour: red\n"


def test_unknown_and_missing_keys_name_the_key_and_line():
    data = load_yaml_text(TEXT, "x.yaml")
    with pytest.raises(YamlError) as e:
        check_keys("x.yaml", data["rows"][2], {"id", "unit"}, {"id"}, "rows[3]")
    assert "x.yaml:7" in str(e.value) and "rows[3].colour" in str(e.value) and "allowed keys: id, unit" in str(e.value)
    with pytest.raises(YamlError) as e:
        check_keys("x.yaml", data["rows"][0], {"id", "unit", "label"}, {"id", "label"}, "")
    assert "label" in str(e.value) and "required" in str(e.value) and "x.yaml:2" in str(e.value)


def test_ids_must_match_and_be_unique():
    data = load_yaml_text(TEXT, "x.yaml")
    seen: dict[str, int] = {}
    pat = re.compile(r"^[a-z][a-z0-9_]*$")
    assert check_id("x.yaml", data["rows"][0], "rows[1]", seen, 1, pat, ("a-z", "0-9", "_")) == "a"
    with pytest.raises(YamlError) as e:
        check_id("x.yaml", data["rows"][1], "rows[2]", seen, 2, pat, ("a-z", "0-9", "_"))
    assert "x.yaml:4" in str(e.value) and "'a' is already used by rows[1]" in str(e.value)
    with pytest.raises(YamlError) as e:
        check_id("x.yaml", data["rows"][2], "rows[3]", seen, 3, pat, ("a-z", "0-9", "_"))
    assert "lower-case id ([a-z0-9_])" in str(e.value) and "x.yaml:6" in str(e.value)
    assert seen == {"a": 1}
