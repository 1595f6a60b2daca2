"""With GREENDESK_LANG=zh every option of the core commands is explained in Chinese."""

import re

import pytest

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("command", ["init", "info", "answers", "benchmark", "score", "assess-new", "import-meters",
                                     "energy", "production", "factors", "factor", "meter-template", "scheme-check"])
def test_every_option_has_chinese_help(run_cli, command):
    r = run_cli(command, "--help", lang="zh")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    start = next(i for i, x in enumerate(lines) if x.strip().startswith("-h, --help"))
    missing = []
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if not line.startswith("  -"):
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        text = line + (nxt if nxt.startswith(" " * 10) and not nxt.strip().startswith("-") else "")
        if not CJK.search(text):
            missing.append(line.strip())
    assert not missing, missing
