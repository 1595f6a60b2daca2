"""Fuzz: mutated copies of the shipped schemes through ``greendesk scheme-check`` (in process).

Every mutation must end in "ok" or in one message naming ``file:line`` (line >= 1): no traceback,
no hang (a per-file time limit), and a loaded scheme must write as strict JSON. The mutations:
byte flips, line deletions/duplications/swaps/re-indents, truncation, alias bombs ("billion
laughs") in notes and unknown keys, recursive aliases, deep nesting, mappings and lists as keys,
huge integers, .inf/.nan, duplicated keys, wrong types, control characters and YAML tags.

``GREENDESK_FUZZ_N`` sets the count (``make fuzz`` sets it large); the default is a few hundred.
``mutations()`` and ``classify()`` are also used to measure old code (see the issue note).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import signal
import time
import tracemalloc
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

FORMS = Path(__file__).resolve().parents[3] / "forms"
N = int(os.environ.get("GREENDESK_FUZZ_N", "300"))
TIME_LIMIT = 5.0      # seconds per file; a refused hostile file takes well under 1 s

_VALUE_LINE = re.compile(r"^(\s*(?:- )?)([a-z_]+): (.+)$")


def _bomb(depth: int, width: int, where: str) -> str:
    lines = [f"{where}:", f"  l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, depth):
        lines.append(f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def _nest(depth: int, flow: bool) -> str:
    if flow:
        return "[" * depth + "1" + "]" * depth
    return "".join("\n" + "  " * (i + 1) + f"k{i}:" for i in range(depth)) + " 1"


def _mutate(rng: random.Random, text: str) -> tuple[str, bytes]:
    lines = text.split("\n")
    kind = rng.choice(["flip", "flip", "delete", "dup", "swap", "indent", "truncate", "bomb_note", "bomb_key",
                       "recursive", "deep_flow", "deep_block", "map_key", "list_key", "huge_int", "inf", "dup_key",
                       "wrong_type", "wrong_type", "control", "tag", "bad_date", "merge", "two_docs"])
    value_lines = [i for i, ln in enumerate(lines) if _VALUE_LINE.match(ln)]
    i = rng.choice(value_lines)
    m = _VALUE_LINE.match(lines[i])
    indent, key = m.group(1), m.group(2)
    pad = " " * len(indent)
    if kind == "flip":
        data = bytearray(text.encode("utf-8"))
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return kind, bytes(data)
    if kind == "delete":
        del lines[i]
    elif kind == "dup":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        lines[i] = " " * rng.choice([1, 2, 3, 4]) + lines[i] if rng.random() < 0.5 else lines[i].lstrip()
    elif kind == "truncate":
        return kind, text.encode("utf-8")[: rng.randrange(len(text))]
    elif kind == "bomb_note":
        bomb = _bomb(rng.randint(6, 9), rng.randint(8, 10), "notes")
        return kind, (text.rstrip("\n") + "\n" + bomb).encode("utf-8")
    elif kind == "bomb_key":
        body = _bomb(rng.randint(6, 9), rng.randint(8, 10), f"{pad}unknown_{key}").split("\n")
        lines[i + 1:i + 1] = [pad + b if n else b for n, b in enumerate(body) if b]
    elif kind == "recursive":
        lines[i] = f"{indent}{key}: &r [1, *r]"
    elif kind == "deep_flow":
        lines[i] = f"{indent}{key}: {_nest(rng.choice([60, 500, 990, 5000]), True)}"
    elif kind == "deep_block":
        lines[i] = f"{indent}{key}:" + _nest(rng.choice([60, 300]), False).replace("\n", "\n" + pad)
    elif kind == "map_key":
        lines.insert(i, f"{pad}? {{a: 1}}\n{pad}: x" if rng.random() < 0.5 else f"{pad}{{a: 1}}: x")
    elif kind == "list_key":
        lines.insert(i, f"{pad}[a, b]: x")
    elif kind == "huge_int":
        lines[i] = f"{indent}{key}: {rng.choice(['1', '-9', '0x1'])}{'7' * rng.choice([50, 5000, 50000])}"
    elif kind == "inf":
        lines[i] = f"{indent}{key}: {rng.choice(['.inf', '-.inf', '.nan', '.NaN', '1.0e+999'])}"
    elif kind == "dup_key":
        lines.insert(i + 1, f"{pad}{key}: {m.group(3)}")
    elif kind == "wrong_type":
        other = rng.choice(["[1, 2]", "{a: b}", "null", "true", "12", '"text"', "[]", "{}"])
        lines[i] = f"{indent}{key}: {other}"
    elif kind == "control":
        lines[i] = f'{indent}{key}: "a\\x01b\\e[31m{rng.choice(["", "red", chr(0x202e)])}"'
    elif kind == "tag":
        tag = rng.choice(["!!python/object/apply:os.system ['true']", "!!binary aGk=", "!!set {a: null}",
                          "!custom x", "!!omap [a: 1]", "!!timestamp 2025-13-45"])
        lines[i] = f"{indent}{key}: {tag}"
    elif kind == "bad_date":
        lines[i] = f"{indent}{key}: 2025-02-30"
    elif kind == "merge":
        lines.insert(i, f"{pad}<<: {{x: 1}}")
    elif kind == "two_docs":
        lines.append("---\nid: again")
    return kind, "\n".join(lines).encode("utf-8")


def mutations(n: int, seed: int = 36132) -> list[tuple[str, str, bytes]]:
    """``n`` (name, kind, bytes) mutations of the shipped schemes, deterministic for a seed."""
    rng = random.Random(seed)
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(FORMS.glob("*.yaml"))}
    names = sorted(sources)
    out = []
    for k in range(n):
        name = names[k % len(names)]
        kind, data = _mutate(rng, sources[name])
        out.append((f"m{k:05d}-{name}", kind, data))
    return out


class _Timeout(Exception):
    pass


def _alarm(_sig, _frame):
    raise _Timeout


_WHERE = re.compile(r"(?m)^(?:greendesk: )?(?P<file>[^\n]+?\.yaml):(?P<line>-?\d+): ")


def classify(path: Path, main, time_limit: float = TIME_LIMIT) -> tuple[str, str]:
    """Run ``scheme-check --json`` on ``path``: ("ok"|"message"|"no_line"|"traceback"|"hang"|"json", detail)."""
    out, err = io.StringIO(), io.StringIO()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            rc = main(["scheme-check", "--json", str(path)])
    except _Timeout:
        return "hang", f"more than {time_limit:g} s"
    except BaseException as e:  # noqa: BLE001 - a traceback is what we count
        return "traceback", f"{type(e).__name__}: {str(e)[:200]}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    try:
        results = json.loads(out.getvalue())
    except ValueError:
        return "traceback", f"no JSON (rc {rc}): {err.getvalue()[:200]}"
    r = results[0]
    if r["ok"]:
        if rc != 0:
            return "traceback", f"ok with rc {rc}"
        return "ok", ""
    msg = r["error"]
    m = _WHERE.search(msg)
    if rc != 1 or not m or int(m.group("line")) < 1 or "?" == m.group("file"):
        return "no_line", msg
    return "message", msg


def _strict_json(path: Path) -> str | None:
    """None when a loaded scheme writes as strict JSON (no inf/nan), else the error."""
    from greendesk.cli.scheme_cmds import scheme_json
    from greendesk.core.schemes import registry

    try:
        json.dumps(scheme_json(registry.load_scheme_file(path)), allow_nan=False)
    except ValueError as e:
        return str(e)
    return None


@pytest.fixture
def no_cache(monkeypatch):
    monkeypatch.setenv("GREENDESK_CACHE_DIR", "")


@pytest.mark.fuzz
def test_mutated_schemes_never_crash_hang_or_lose_the_line(tmp_path, no_cache):
    from greendesk.cli import main

    counts: dict[str, int] = {}
    bad: list[str] = []
    slowest = 0.0
    for name, kind, data in mutations(N):
        p = tmp_path / name
        p.write_bytes(data)
        t0 = time.perf_counter()
        outcome, detail = classify(p, main)
        slowest = max(slowest, time.perf_counter() - t0)
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome == "ok" and (problem := _strict_json(p)):
            outcome, detail = "json", problem
        if outcome not in ("ok", "message"):
            bad.append(f"{name} [{kind}] {outcome}: {detail}")
        p.unlink()
    assert not bad, f"{len(bad)} of {N} mutations failed ({counts}):\n" + "\n".join(bad[:20])
    assert counts.get("message", 0) > N // 2, counts      # the mutations really are mostly broken files
    assert slowest < TIME_LIMIT


def _bomb_text(depth: int = 9, width: int = 10) -> str:
    base = (FORMS / "gbt36132-2018.yaml").read_text(encoding="utf-8")
    return base.rstrip("\n") + "\n" + _bomb(depth, width, "notes")


@pytest.mark.parametrize("text, line", [
    (_bomb_text(), 863),                                             # 10**9 'lol's through aliases
    ("a: &r [1, *r]\n", 1),                                          # recursive alias
    ("a:\n  b: " + "[" * 900 + "]" * 900 + "\n", 2),                 # deep flow nesting
    ("a: 1" + "0" * 100_000 + "\n", 1),                              # 100,001 digits
], ids=["billion-laughs", "recursive", "deep", "huge-int"])
def test_hostile_yaml_refused_within_a_second_and_100_mb(text, line):
    from greendesk.core.safe_yaml import YamlError, load_yaml_text

    t0 = time.perf_counter()
    with pytest.raises(YamlError) as info:
        load_yaml_text(text, "hostile.yaml")
    assert time.perf_counter() - t0 < 1.0
    tracemalloc.start()          # memory measured in a second run: tracemalloc slows Python down
    try:
        with pytest.raises(YamlError):
            load_yaml_text(text, "hostile.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20
    assert info.value.where.startswith("hostile.yaml:")
    assert info.value.line >= line


@pytest.mark.parametrize("text, line, words", [
    ("points: .inf\n", 1, "points: '.inf' is not a finite number"),
    ("a: 1\nb:\n  c: .NaN\n", 3, "b.c: '.NaN' is not a finite number"),
    ("a:\n  ? {x: 1}\n  : y\n", 2, "a mapping or a list cannot be a key"),
    ("a:\n  [1, 2]: y\n", 2, "a mapping or a list cannot be a key"),
    ("x: 1\nn: " + "9" * 5000 + "\n", 2, "n: the number has more than 40 digits"),
    ("a: 1\na: 2\n", 2, "a: duplicate key (first defined at line 1)"),
    ("a: !!python/object/apply:os.system [true]\n", 1, "YAML tag"),
    ("d: 2025-02-30\n", 1, "d: '2025-02-30' is not a valid timestamp"),
    ('t: "red\\e[31m"\n', 1, "t: the text contains the control character U+001B"),
    ("a: 1\n<<: {b: 2}\n", 2, "YAML merge keys are not supported"),
    ("a: 1\n---\nb: 2\n", 2, "more than one YAML document"),
    ("a: [1, 2\n", 2, "not valid YAML"),
    ("a: b\x01\n", 1, "not valid YAML"),
    ("# only a comment\n", 1, "the file is empty"),
])
def test_each_refusal_names_file_line_and_key(text, line, words):
    from greendesk.core.safe_yaml import YamlError, load_yaml_text

    with pytest.raises(YamlError) as info:
        load_yaml_text(text, "f.yaml")
    assert info.value.line == line
    assert info.value.message("en").startswith(f"f.yaml:{line}: ")
    assert words in info.value.message("en")
    assert info.value.message("zh").startswith(f"f.yaml:{line}: ")


def test_limited_aliases_still_load_with_lines():
    from greendesk.core.safe_yaml import load_yaml_text

    data = load_yaml_text("base: &b {x: 1, y: [2, 3]}\ncopy: *b\nn: 1.5\n", "f.yaml")
    assert data == {"base": {"x": 1, "y": [2, 3]}, "copy": {"x": 1, "y": [2, 3]}, "n": 1.5}
    assert data["copy"] is not data["base"]          # a copy: changing one never changes the other
    assert data.key_lines == {"base": 1, "copy": 2, "n": 3}
    assert data["base"]["y"].item_lines == [1, 1]


def test_a_scalar_where_a_mapping_belongs_names_its_line(tmp_path, no_cache):
    from greendesk.core.schemes import registry
    from greendesk.core.schemes.loader import SchemeError

    text = (FORMS / "gbt36132-2018.yaml").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("source:"))
    end = next(i for i in range(at + 1, len(lines)) if lines[i] and not lines[i].startswith(" "))
    lines[at:end] = ['source: "GB/T 36132-2018"']
    p = tmp_path / "s.yaml"
    p.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SchemeError) as info:
        registry.load_scheme_file(p)
    assert info.value.line == at + 1
    assert info.value.message("en").startswith(f"{p}:{at + 1}: source: expected a mapping")


def test_not_utf8_names_the_line(tmp_path, no_cache):
    from greendesk.core.schemes import registry
    from greendesk.core.schemes.loader import SchemeError

    p = tmp_path / "s.yaml"
    p.write_bytes(b"format: 1\nid: x\ntitle: \xff\xfe\n")
    with pytest.raises(SchemeError) as info:
        registry.load_scheme_file(p)
    assert info.value.line == 3
    assert "not UTF-8" in info.value.message("en")


@pytest.mark.fuzz
def test_mutated_profiles_on_the_scheme_path_are_named_and_left_out(tmp_path, monkeypatch, no_cache):
    """A broken profile on GREENDESK_SCHEME_PATH: ``schemes`` still lists the others and names the file:line."""
    from greendesk.cli import main
    from greendesk.core.schemes import registry

    monkeypatch.setenv("GREENDESK_SCHEME_PATH", str(tmp_path))
    rng = random.Random(2023)
    text = (FORMS / "ningbo-2023.yaml").read_text(encoding="utf-8").replace("id: ningbo-2023", "id: ningbo-fuzz")
    bad = []
    named = 0
    for k in range(max(20, N // 10)):
        kind, data = _mutate(rng, text)
        p = tmp_path / "profile.yaml"
        p.write_bytes(data)
        registry.clear_cache()
        out, err = io.StringIO(), io.StringIO()
        try:
            with redirect_stdout(out), redirect_stderr(err):
                rc = main(["schemes", "--json"])
        except Exception as e:  # noqa: BLE001 - counted
            bad.append(f"{k} [{kind}] traceback {type(e).__name__}: {e}")
            continue
        ids = {s["id"] for s in json.loads(out.getvalue())}
        if rc != 0 or not {"gbt36132-2018", "gbt36132-2025", "ningbo-2023"} <= ids:
            bad.append(f"{k} [{kind}] rc {rc}, listed {sorted(ids)}")
        if "ningbo-fuzz" not in ids and "profile.yaml:" not in err.getvalue():
            bad.append(f"{k} [{kind}] left out without a word")
        for line in err.getvalue().splitlines():
            named += 1
            m = _WHERE.search(line.split(": ", 2)[-1]) or _WHERE.search(line.split("：", 1)[-1])
            if not m or int(m.group("line")) < 1:
                bad.append(f"{k} [{kind}] no file:line: {line}")
    registry.clear_cache()
    assert not bad, "\n".join(bad[:20])
    assert named > max(20, N // 10) // 2       # most mutated profiles were refused, each with file:line


def test_a_huge_file_on_the_scheme_path_is_refused_without_reading_it(tmp_path, monkeypatch, no_cache):
    from greendesk.core.schemes import registry
    from greendesk.core.schemes.loader import SchemeError

    p = tmp_path / "huge.yaml"
    with p.open("wb") as f:           # 4 GB, sparse: reading it would take the memory
        f.write(b"format: 1\nid: huge\n")
        f.truncate(4 * 2**30)
    t0 = time.perf_counter()
    with pytest.raises(SchemeError) as info:
        registry.load_scheme_file(p)
    assert info.value.message("en").startswith(f"{p}:1: the file is too large")
    monkeypatch.setenv("GREENDESK_SCHEME_PATH", str(tmp_path))
    registry.clear_cache()
    problems: list = []
    try:
        assert "gbt36132-2025" in {s.id for s in registry.list_schemes(problems)}
    finally:
        registry.clear_cache()
    assert [e.where for e in problems] == [f"{p}:1"]
    assert time.perf_counter() - t0 < 5


@pytest.mark.parametrize("text, line, words", [
    ('{"a": 1,\n "b": NaN}', 2, "NaN is not a finite number"),
    ('{"a": 1,\n "b": 1e999}', 2, "1e999 is not a finite number"),
    ('{"a": 1,\n"a": 2}', 2, "'a' is given twice"),
    ('{"n":\n ' + "1" * 5000 + "}", 2, "more than 40 digits"),
    ('{"t": "red\\u001b[31m"}', 1, "control character U+001B"),
    ("[" * 5000 + "]" * 5000, 1, "nested more than 50 levels"),
    ('{"a": 1,\n "b": }', 2, "not valid JSON"),
])
def test_json_refusals_name_file_and_line(text, line, words):
    from greendesk.core.safe_yaml import YamlError, load_json_text

    with pytest.raises(YamlError) as info:
        load_json_text(text, "f.json")
    assert info.value.message("en").startswith(f"f.json:{line}: ")
    assert words in info.value.message("en")
    assert load_json_text('{"a": [1, {"b": "\\u00e9"}], "a": [1, {"b": "é"}]}', "f.json", duplicates="differ") == {
        "a": [1, {"b": "é"}]}


def test_profiles_based_on_each_other_are_named_at_their_base_line(tmp_path, monkeypatch, no_cache):
    from greendesk.core.schemes import registry

    text = (FORMS / "ningbo-2023.yaml").read_text(encoding="utf-8")
    base_line = text.split("\n").index("base: gbt36132-2018") + 1
    for me, other in (("loop-a", "loop-b"), ("loop-b", "loop-a")):
        (tmp_path / f"{me}.yaml").write_text(text.replace("id: ningbo-2023", f"id: {me}").replace(
            "base: gbt36132-2018", f"base: {other}"), encoding="utf-8")
    monkeypatch.setenv("GREENDESK_SCHEME_PATH", str(tmp_path))
    registry.clear_cache()
    problems: list = []
    try:
        ids = {s.id for s in registry.list_schemes(problems)}
    finally:
        registry.clear_cache()
    assert "gbt36132-2018" in ids and not ids & {"loop-a", "loop-b"}
    assert len(problems) == 2
    for e in problems:
        assert re.match(rf".*loop-[ab]\.yaml:{base_line}$", e.where), e.where
        assert "scheme bases form a cycle" in e.message("en")


def test_a_file_without_an_id_line_on_the_scheme_path_is_named(tmp_path, monkeypatch, no_cache):
    from greendesk.cli import main
    from greendesk.core.schemes import registry

    (tmp_path / "cut.yaml").write_text("format: 1\n# the rest was lost\n", encoding="utf-8")
    monkeypatch.setenv("GREENDESK_SCHEME_PATH", str(tmp_path))
    registry.clear_cache()
    err = io.StringIO()
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(err):
            assert main(["schemes"]) == 0
    finally:
        registry.clear_cache()
    assert f"{tmp_path / 'cut.yaml'}:1: no top-level 'id:' line" in err.getvalue()
