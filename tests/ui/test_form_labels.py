"""A form page makes a field's message, note and warning label only when there is something to say, and puts
it in its place under the editor (editor, message, note, warning), whichever comes first."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui

FID = "energy_saving_products.share_pct"


def _under(page, fid):
    lay = page._boxes[fid]
    return [lay.itemAt(i).widget() for i in range(lay.count())]


def test_no_label_until_needed_then_in_order(view):
    view.jump_to("energy_saving_products")
    page = view.pages["energy_saving_products"]
    body = page.widget()
    assert not [w for w in body.findChildren(QLabel) if w.objectName().startswith(("message:", "warning:"))]
    assert FID not in page.messages and FID not in page.warnings
    view.reevaluate()  # a refresh with nothing to say makes none
    assert FID not in page.messages and FID not in page.warnings

    view.on_edited(FID, 150)  # refused: the message label is made now, shown, under the editor
    msg = page.messages[FID]
    assert msg.text() and not msg.isHidden()
    assert _under(page, FID) == [page.editors[FID], msg]

    warn = page.warnings[FID]   # asked for (as a test may): made hidden, after the message
    note = page.notes[FID]      # made last, but placed between the two
    assert warn.isHidden() and note.isHidden()
    assert _under(page, FID) == [page.editors[FID], msg, note, warn]
    assert [w.objectName() for w in _under(page, FID)[1:]] == [f"message:{FID}", f"note:{FID}", f"warning:{FID}"]

    view.on_edited(FID, 40)  # accepted: the refresh clears the message
    assert not page.messages[FID].text() and page.messages[FID].isHidden()
