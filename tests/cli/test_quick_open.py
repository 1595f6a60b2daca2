"""A plain ``greendesk open`` is read without building the argparse parser (greendesk.cli.gui_cmds.quick_args):
what it reads is exactly what argparse reads, and anything else is left to argparse."""

from __future__ import annotations

import pytest

from greendesk.cli import build_parser
from greendesk.cli.gui_cmds import quick_args


@pytest.mark.parametrize("args", [
    [],
    ["f.greendesk"],
    ["--exit-when-ready"],
    ["f.greendesk", "--exit-when-ready"],
    ["--exit-when-ready", "工作区/重庆 工厂.greendesk"],
])
def test_what_it_reads_is_what_argparse_reads(args):
    ours = vars(quick_args(args))
    theirs = vars(build_parser(["gui_cmds"]).parse_args(["open", *args]))
    assert ours == theirs


@pytest.mark.parametrize("args", [
    ["--lang", "en"], ["--screenshot", "a.png"], ["--help"], ["-h"], ["a", "b"], ["--exit-when-ready"] * 2,
    ["--exit-when-ready=1"], ["--"], ["-x"], ["--bogus", "f.greendesk"],
])
def test_anything_else_is_left_to_argparse(args):
    assert quick_args(args) is None


def test_a_wrong_option_still_gets_argparse_message(run_cli):
    p = run_cli("open", "--bogus")
    assert p.returncode == 2 and "unrecognized arguments: --bogus" in p.stderr
