"""The review window: packages loaded off the GUI thread, states, filter, sorting, one package beside its peers."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.core.review.builders import FACTORIES, build_workspace

pytestmark = [pytest.mark.gui, pytest.mark.slow]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Two factories of one peer group (the second with odd figures) and a tampered copy of the first."""
    from greendesk.core.package import export_package

    d = tmp_path_factory.mktemp("ui-review")
    (d / "packages").mkdir()
    for i, row in enumerate((FACTORIES[0], FACTORIES[2])):
        ws = build_workspace(d / f"ws{i}.greendesk", *row)
        export_package(ws, d / "packages" / f"pkg{i}.pdf", generate_cert=True)
    raw = bytearray((d / "packages" / "pkg0.pdf").read_bytes())
    raw[len(raw) // 3] ^= 0x01
    (d / "packages" / "tampered.pdf").write_bytes(bytes(raw))
    return d / "packages"


def _rows(win) -> list[list[str]]:
    m = win.proxy
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_review_window(qtbot, folder, tmp_path):
    from greendesk.ui import i18n
    from greendesk.ui.reviewwindow import ReviewWindow

    i18n.set_language("en")
    win = ReviewWindow(tmp_path / "review.duckdb")
    qtbot.addWidget(win)
    win.show()
    assert win.model.rowCount() == 0
    win.add_paths([folder])
    qtbot.waitUntil(lambda: win.task is not None and not win.task.running, timeout=120_000)
    assert win.last_result["counts"]["loaded"] == 3
    rows = _rows(win)
    assert [(r[0], r[1], r[2]) for r in rows] == [("Accepted", "pkg0.pdf", "甲压铸有限公司"),
                                                   ("Accepted", "pkg1.pdf", "丙压铸有限公司"),
                                                   ("Rejected", "tampered.pdf", "甲压铸有限公司")]
    assert rows[0][8] == "0" and int(rows[1][8]) > 0 and rows[2][8] == ""
    assert win.summary.text() == "3 packages: 2 accepted, 1 rejected, 1 with flags"

    # filters: the state box and the text
    win.state_box.setCurrentIndex(win.state_box.findData("rejected"))
    assert [r[1] for r in _rows(win)] == ["tampered.pdf"]
    win.state_box.setCurrentIndex(win.state_box.findData("flagged"))
    assert [r[1] for r in _rows(win)] == ["pkg1.pdf"]
    win.state_box.setCurrentIndex(win.state_box.findData("all"))
    win.filter_edit.setText("丙")
    assert [r[1] for r in _rows(win)] == ["pkg1.pdf"]
    win.filter_edit.setText("")
    # sorting by the number of flags, most first
    win.table.sortByColumn(8, Qt.SortOrder.DescendingOrder)
    assert _rows(win)[0][1] == "pkg1.pdf"

    # the flagged package beside its peer: the energy intensity row is marked, with the other's value as reference
    win.table.selectRow(0)
    peers = win.peers_model
    texts = {peers.item(r, 0).text(): [peers.item(r, c).text() for c in range(peers.columnCount())]
             for r in range(peers.rowCount())}
    ei = next(v for k, v in texts.items() if k.endswith("(energy_intensity)"))
    assert ei[4] == "2" and ei[10] == "check"
    assert "Figures to check:" in win.details.toPlainText()

    # the rejected package: reasons shown, no peers
    win.state_box.setCurrentIndex(win.state_box.findData("rejected"))
    win.table.selectRow(0)
    assert win.peers_model.rowCount() == 0
    text = win.details.toPlainText()
    assert "The file was changed after signing (digest mismatch)." in text
    assert "Not compared with other factories: the verification failed." in text

    # loading the same folder again adds nothing
    win.add_paths([folder])
    qtbot.waitUntil(lambda: not win.task.running, timeout=60_000)
    assert win.last_result["counts"]["skipped"] == 3 and win.model.rowCount() == 3


def test_review_window_in_chinese(qtbot, folder, tmp_path):
    from greendesk.core.review.load import review_packages
    from greendesk.ui import i18n
    from greendesk.ui.app import create_app
    from greendesk.ui.reviewwindow import ReviewWindow

    review_packages([folder], tmp_path / "r.duckdb")
    create_app()
    i18n.set_language("zh")
    try:
        win = ReviewWindow(tmp_path / "r.duckdb")
        qtbot.addWidget(win)
        assert win.model.horizontalHeaderItem(0).text() == "审核状态"
        assert [r[0] for r in _rows(win)] == ["通过", "通过", "拒绝"]
        assert win.summary.text() == "共 3 个材料包：通过 2 个，拒绝 1 个，有异常 1 个"
    finally:
        i18n.set_language("en")
