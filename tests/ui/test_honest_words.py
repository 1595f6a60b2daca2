"""What the app says is true: an item short of its points is not a green "complete"; implausible values
are warned about at the field; no GUI text names a command-line option."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot, qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("GREENDESK_SETTINGS_DIR", str(tmp_path / "settings"))
    from greendesk.core import uscc
    from greendesk.ui import errors, i18n
    from greendesk.ui.app import create_app
    from greendesk.ui.mainwindow import MainWindow
    from greendesk.ui.schemeview import create_workspace

    monkeypatch.setattr(errors, "_sink", [])
    create_app()
    i18n.set_language("zh")
    path = create_workspace(tmp_path / "f.greendesk", {"name": "测试工厂", "uscc": uscc.complete("91500113MA61RYP3X")},
                            "gbt36132-2025", 2025)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert win.open_workspace(path)
    yield win.view
    win.close_workspace()


def _state_text(view, iid) -> str:
    return view.nav.items[iid].toolTip(0).split("\n")[1]


def test_answered_item_without_points_is_not_complete(view):
    from greendesk.ui.nav import display_state

    for value, state, text in (("none", "no_points", "已填写：不得分"), ("described", "partial", "已填写：部分得分"),
                               ("quantified", "complete", "已完成：得满分")):
        view.on_edited("material_saving.case", value)
        assert view.live.indicator_state("material_saving") == "complete"  # the core: every field filled
        assert display_state(view.live, "material_saving", False) == state
        assert _state_text(view, "material_saving") == text


def test_failed_basic_requirement_is_not_complete(view):
    for f in view.scheme.indicators_by_id["negative_list"].fields:
        view.on_edited(f.id, "yes")
    assert _state_text(view, "negative_list") == "已完成：得满分"
    view.on_edited("negative_list.operating", "no")
    assert _state_text(view, "negative_list") == "基本要求不符合"


def test_implausible_values_warn_at_the_field(view):
    view.jump_to("solid_waste_use")
    page = view.pages["solid_waste_use"]
    warn = page.warnings["solid_waste_use.utilised_t"]
    view.on_edited("solid_waste_use.generated_t", 2350)
    view.on_edited("solid_waste_use.utilised_t", 999999)
    assert warn.isVisibleTo(page) and "42,553" in warn.text() and "2,350 t" in warn.text()
    assert view.live.answer("solid_waste_use.utilised_t") == 999999  # kept as typed: a warning, not a refusal
    view.on_edited("solid_waste_use.utilised_t", 2000)
    assert not warn.isVisibleTo(page) and warn.text() == ""
    view.jump_to("renewable_share")
    view.on_edited("renewable_share", 150)
    w = view.pages["renewable_share"].warnings["renewable_share"]
    assert w.isVisibleTo(view.pages["renewable_share"]) and "150 %" in w.text()


def test_no_gui_text_names_a_command_line_option():
    from greendesk.ui.i18n import catalogue
    from greendesk.ui.i18n_check import ui_strings

    option = re.compile(r"(?<![\w-])--[a-z]")
    assert [s for s in ui_strings() if option.search(s)] == []
    assert [v for v in catalogue("zh").values() if option.search(v)] == []
