"""The score bar says what the total means: an unmet 必选 line, no pass mark, a rescaled total (issue 10.4)."""

from __future__ import annotations

import pytest

from tests.core.schemes.test_compare import make_2018

pytestmark = pytest.mark.gui


def test_required_line_and_no_pass_mark(window, tmp_path):
    assert window.open_workspace(make_2018(tmp_path / "old.greendesk"))
    bar = window.view.score_bar
    assert bar.veto.text() == "✕ 不合格：1 项必选要求不符合"
    assert "建筑 — 【基本要求】新建、改建和扩建建筑" in bar.veto.toolTip()
    assert bar.grade.text() == "未设合格分数线"
    assert bar.total.text() == "得分 69.3 / 100" and bar.rescaled.text() == ""   # nothing rescaled here


def test_demo_total_is_shown_rescaled(demo_view):
    bar = demo_view.score_bar
    # 10.5 points on the 94 applicable, rescaled to 100: 11.17 (shown with one decimal)
    assert bar.total.text() == "得分 11.2 / 100" and bar.rescaled.text() == "（已折算）"
    assert bar.total.toolTip() == "不适用项不计入满分：适用项得分 10.50 / 94 分，折算到满分 100"
    assert bar.grade.text() == "未设合格分数线"
