"""The date editor (its Qt date class is loaded when the first one is made): shows, clears and returns ISO dates."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_date_editor_round_trip(qtbot, qapp):
    from greendesk.core.schemes.model import Field
    from greendesk.ui.editors import DateEditor, make_editor

    ed = make_editor(Field("cert.valid_until", "date", {"zh": "有效期至", "en": "Valid until"}))
    qtbot.addWidget(ed)
    assert isinstance(ed, DateEditor)
    ed.set_value(None)
    assert ed.value() is None                       # unanswered: the "not answered" minimum
    ed.set_value("2026-03-31")
    assert ed.value() == "2026-03-31"
    ed.set_value("2026-02-30")                          # not a date: shown as unanswered, never another day
    assert ed.value() is None
    ed.set_value("2025-12-31T08:00:00")
    assert ed.value() == "2025-12-31"
    ed.set_value(None)
    assert ed.value() is None
