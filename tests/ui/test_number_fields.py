"""Number fields never change what was typed: taken as meant, or refused at the field saying why."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent

pytestmark = pytest.mark.gui


COUNT = ("upgrade_projects", "upgrade_projects.count_3y")     # integer, min 0, unit 项
TONNES = ("solid_waste_use", "solid_waste_use.utilised_t")    # number, min 0, unit t


def _editor(view, where):
    item, fid = where
    view.jump_to(item)
    return view.pages[item].editors[fid]


def _type(qtbot, ed, text):
    """Type as a person does: ASCII as key presses; other characters (full-width digits, 。) as a Chinese
    input method delivers them, a committed string (QTest.keyClicks cannot send non-ASCII keys)."""
    ed.edit.selectAll()
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(ed.edit, ch)
        else:
            ev = QInputMethodEvent()
            ev.setCommitString(ch)
            QCoreApplication.sendEvent(ed.edit, ev)
    ed.flush()


def _stored(view, where):
    return view.ws.answers(view.aid).get(where[1])


@pytest.mark.parametrize(("where", "typed", "stored"), [
    (TONNES, "2350", 2350),
    (TONNES, " 2350", 2350),
    (TONNES, "2,350", 2350),
    (TONNES, "2,350 t", 2350),
    (TONNES, "２３５０", 2350),          # full-width digits (a Chinese input method in full-width mode)
    (TONNES, "23。5", 23.5),            # Chinese punctuation: 。 is the decimal point
    (TONNES, "23．5", 23.5),
    (TONNES, "1e3", 1000),
    (COUNT, "7", 7),
    (COUNT, "１２", 12),
    (COUNT, "3 项", 3),
    (COUNT, "1e3", 1000),
])
def test_typed_numbers_are_taken_as_meant(view, qtbot, where, typed, stored):
    ed = _editor(view, where)
    _type(qtbot, ed, typed)
    assert _stored(view, where) == stored
    assert not ed.refusal_label.isVisibleTo(ed) and ed.refusal == ""


@pytest.mark.parametrize(("where", "typed", "reason"), [
    (COUNT, "7.5", "不是整数"),          # was stored as 75
    (COUNT, "1e-3", "不是整数"),         # 1e3 was stored as 13
    (COUNT, "-3", "不能为负"),           # was stored as 3
    (TONNES, "-3", "不能为负"),
    (TONNES, "2,350 kg", "单位 kg"),
    (TONNES, "2,35", "千位分隔符"),
    (TONNES, "1e308", "超出"),
    (TONNES, "nan", "有限"),
    (TONNES, "abc", "不是数值"),
])
def test_refused_at_the_field_with_the_text_kept_and_nothing_stored(view, qtbot, where, typed, reason):
    ed = _editor(view, where)
    _type(qtbot, ed, "5")
    assert _stored(view, where) == 5
    _type(qtbot, ed, typed)
    assert _stored(view, where) == 5                      # the stored figure is untouched
    assert ed.edit.text() == typed                        # what the user typed stays to be corrected
    assert ed.refusal_label.isVisibleTo(ed) and reason in ed.refusal_label.text()
    view.reevaluate()                                     # a refresh of the page does not wipe it
    assert ed.edit.text() == typed and ed.refusal_label.isVisibleTo(ed)
    _type(qtbot, ed, "6")                                 # fixing it stores it and clears the message
    assert _stored(view, where) == 6
    assert not ed.refusal_label.isVisibleTo(ed)


def test_refusal_in_english(view, qtbot, isolated_ui):
    from greendesk.ui import i18n

    view.window().set_language("en")
    view = view.window().view
    ed = _editor(view, COUNT)
    _type(qtbot, ed, "7.5")
    assert "'7.5' is not a whole number" in ed.refusal_label.text()
    i18n.set_language("zh")


@pytest.mark.parametrize(("clip", "stored"), [("2350\r\n", 2350), ("2350\n", 2350), ("\t2,350 t\r\n", 2350),
                                              ("２，３５０", 2350)])
def test_pasted_excel_cells(view, qtbot, clip, stored):
    ed = _editor(view, TONNES)
    QGuiApplication.clipboard().setText(clip)
    ed.edit.setFocus()
    ed.edit.selectAll()
    qtbot.keyClick(ed.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    ed.flush()
    assert _stored(view, TONNES) == stored


def test_undo_after_a_refusal_shows_the_stored_value(view, qtbot):
    ed = _editor(view, COUNT)
    _type(qtbot, ed, "4")
    _type(qtbot, ed, "5")
    _type(qtbot, ed, "5.5")
    assert ed.refusal
    view.undo_stack.undo()                                # back to 4: the box shows it, the refusal goes
    assert _stored(view, COUNT) == 4
    assert ed.edit.text() == "4" and not ed.refusal_label.isVisibleTo(ed)


def test_rows_cell_with_a_decimal_in_an_integer_column_is_refused(view, qtbot):
    view.jump_to("energy_intensity")
    page = view.pages["energy_intensity"]
    qtbot.mouseClick(page.editors["energy_intensity.quota_applies"].buttons["yes"], Qt.MouseButton.LeftButton)
    rows = page.editors["energy_intensity.products"]
    rows.add.click()
    col = {c.id: i for i, c in enumerate(rows.columns)}
    rows.table.item(0, col["quantity"]).setText("2,000")
    assert view.ws.answers(view.aid)["energy_intensity.products"][0]["quantity"] == 2000
    rows.table.item(0, col["quantity"]).setText("2,00")
    assert view.ws.answers(view.aid)["energy_intensity.products"][0]["quantity"] == 2000
    assert "千位分隔符" in page.messages["energy_intensity.products"].text()


@pytest.mark.parametrize(("typed", "stored"), [("nan", None), ("inf", None), ("0,5", None), ("1e308", None),
                                              ("０。５", 0.5), (" 0.5\r\n", 0.5)])
def test_factor_cells_on_the_settings_page(view, isolated_ui, typed, stored):
    view.show_page("settings")
    table = view.settings_page.factors
    row = next(r for r in range(table.rowCount()) if table.item(r, 3).data(Qt.ItemDataRole.UserRole) == "co2.grid")
    table.item(row, 3).setText(typed)
    got = view.ws.factor_overrides().get("co2.grid")
    if stored is None:
        assert got is None and len(isolated_ui) == 1        # refused with one message, nothing stored
    else:
        assert got["value"] == stored and isolated_ui == []
