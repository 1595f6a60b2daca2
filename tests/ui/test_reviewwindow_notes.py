"""The review window's note panel, peer chart, 'trust this signer' and signed review sheet."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from tests.core.review.builders import build_peer_pair

pytestmark = [pytest.mark.gui, pytest.mark.slow]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    from greendesk.core.review.load import review_packages

    d = tmp_path_factory.mktemp("ui-notes")
    folder = build_peer_pair(d)
    review_packages([folder], d / "review.duckdb", workers=1)
    return {"db": d / "review.duckdb", "folder": folder}


@pytest.fixture
def win(qtbot, loaded, tmp_path):
    from greendesk.ui import i18n
    from greendesk.ui.app import create_app
    from greendesk.ui.reviewwindow import ReviewWindow

    create_app()
    i18n.set_language("en")
    db = tmp_path / "review.duckdb"
    shutil.copy(loaded["db"], db)
    w = ReviewWindow(db)
    qtbot.addWidget(w)
    w.show()
    return w


def _declared(con, pid, ind):
    return con.execute("SELECT value FROM indicators WHERE package_id = ? AND indicator_id = ?", [pid, ind]).fetchone()[0]


def _cell(model, row, col):
    return model.index(row, col).data()


def test_chart_and_note_on_a_row(win, qtbot, isolated_ui):
    from greendesk.core.review.notes import note_text
    from greendesk.core.review.store import connect

    con = connect(win.db_path)
    a, b = _declared(con, 1, "energy_intensity"), _declared(con, 2, "energy_intensity")
    con.close()
    win.select_package(2)
    win.select_indicator("energy_intensity")
    d = win.chart.dist
    assert (d["package_id"], d["n"], d["value"]) == (2, 2, pytest.approx(b))
    assert sorted(p[2] for p in d["peers"]) == pytest.approx(sorted([a, b]))
    assert d["median"] == pytest.approx((a + b) / 2)
    assert win.chart.title().startswith("能源消耗强度 (kgce/万元): 2 factories, industry class 3392, 重庆市, 2025")
    assert win.notes.heading.text().startswith("能源消耗强度 (energy_intensity): declared ")

    # a corrected value and a reason: the preview says what will be stored, Save stores it
    win.notes.value_edit.setText("48.5")
    win.notes.reason_edit.setPlainText("与电费单核对")
    win.notes.reviewer_edit.setText("张审核")
    expected = note_text(b, 48.5, "与电费单核对", "kgce/万元", "en")
    assert win.notes.preview.text() == expected
    qtbot.mouseClick(win.notes.save_button, Qt.MouseButton.LeftButton)
    assert isolated_ui == []
    con = connect(win.db_path)
    rows = con.execute("SELECT package_id, indicator_id, old_value, new_value, reason, reviewer FROM v_notes").fetchall()
    con.close()
    assert rows == [(2, "energy_intensity", pytest.approx(b), 48.5, "与电费单核对", "张审核")]
    # the window follows: the row's note column, the package's note count, the history; the row stays selected
    assert win.notes.row["indicator_id"] == "energy_intensity" and win.selected_package() == 2
    r = win.peers.currentIndex().row()
    assert _cell(win.peers_model, r, 11) == expected
    assert win.notes.history.toPlainText().startswith("#1 (current) 张审核")
    pkg_row = next(i for i in range(win.proxy.rowCount()) if win.proxy.index(i, 0).data(Qt.ItemDataRole.UserRole) == 2)
    assert _cell(win.proxy, pkg_row, 10) == "1"
    # a second note replaces the first visibly
    win.notes.reason_edit.setPlainText("复核后无误")
    assert win.notes.save()
    assert win.notes.history.toPlainText().splitlines()[0].startswith("#2 (current)")
    assert "#1 (replaced)" in win.notes.history.toPlainText()
    assert _cell(win.peers_model, win.peers.currentIndex().row(), 11) == "Reviewer's remark: 复核后无误"


def test_note_errors_are_shown_and_nothing_stored(win, isolated_ui):
    from greendesk.core.review.store import connect

    win.select_package(1)
    win.select_indicator("energy_intensity")
    win.notes.value_edit.setText("abc")
    win.notes.reason_edit.setPlainText("x")
    win.notes.reviewer_edit.setText("张")
    assert "abc" in win.notes.preview.text()
    assert not win.notes.save()
    win.notes.value_edit.setText("")
    win.notes.reason_edit.setPlainText("  ")
    assert not win.notes.save()
    assert [m for m, _a, _e in isolated_ui][-1] == "Give the reason."
    con = connect(win.db_path)
    assert con.execute("SELECT count(*) FROM review_notes").fetchone()[0] == 0
    con.close()


def test_trust_a_signer_from_the_window(win):
    def signer_texts():
        return {win.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole): _cell(win.proxy, r, 9)
                for r in range(win.proxy.rowCount())}

    assert signer_texts() == {1: "not on record", 2: "not on record", 3: "not on record"}
    win.state_box.setCurrentIndex(win.state_box.findData("unconfirmed"))
    assert win.proxy.rowCount() == 3
    win.state_box.setCurrentIndex(win.state_box.findData("all"))
    win.select_package(2)
    r = win.trust_selected()
    assert r["added"] and r["restated"] == 1
    assert signer_texts() == {1: "not on record", 2: "known", 3: "not on record"}
    assert win.selected_package() == 2
    win.state_box.setCurrentIndex(win.state_box.findData("unconfirmed"))
    assert sorted(win.proxy.index(i, 0).data(Qt.ItemDataRole.UserRole) for i in range(win.proxy.rowCount())) == [1, 3]
    win.state_box.setCurrentIndex(win.state_box.findData("all"))
    # a window opened later states the packages against the store as it is now
    from greendesk.core.package import trust

    trust.remove(r["entry"]["fingerprint"])
    from greendesk.ui.reviewwindow import ReviewWindow

    again = ReviewWindow(win.db_path)
    assert again.model.item(1, 9).text() == "not on record"
    again.close()


def test_trust_refused_for_a_rejected_package(win, isolated_ui):
    win.select_package(3)
    assert win.trust_selected() is None
    assert "did not pass verification" in isolated_ui[-1][0]


def test_signed_review_sheet_from_the_window(win, qtbot, tmp_path):
    from greendesk.core.package.certs import new_identity, write_p12
    from greendesk.core.package.verify import verify_package

    write_p12(new_identity("某区工业和信息化局"), tmp_path / "r.p12", "pw")
    win.select_package(1)
    dlg = win.open_sheet_dialog()
    assert dlg.out_edit.text().endswith("审核意见-甲压铸有限公司.pdf")
    dlg.p12_edit.setText(str(tmp_path / "r.p12"))
    dlg.pass_edit.setText("pw")
    dlg.out_edit.setText(str(tmp_path / "sheet.pdf"))
    dlg.sign()
    qtbot.waitUntil(lambda: dlg.result_info is not None, timeout=60_000)
    v = verify_package(tmp_path / "sheet.pdf", known_signers=[])
    assert v["valid"] and v["signer_organization"] == "某区工业和信息化局"
    assert dlg.result_info["package_sha256"] == win._query("SELECT sha256 FROM packages WHERE package_id = 1")[0][0]


def test_wrong_passphrase_is_an_error(win, qtbot, tmp_path, isolated_ui):
    from greendesk.core.package.certs import new_identity, write_p12

    write_p12(new_identity("某区工业和信息化局"), tmp_path / "r.p12", "pw")
    win.select_package(1)
    dlg = win.open_sheet_dialog()
    dlg.p12_edit.setText(str(tmp_path / "r.p12"))
    dlg.pass_edit.setText("wrong")
    dlg.out_edit.setText(str(tmp_path / "sheet.pdf"))
    dlg.sign()
    qtbot.waitUntil(lambda: not dlg.task.running, timeout=60_000)
    qtbot.waitUntil(lambda: bool(isolated_ui), timeout=5_000)
    assert dlg.result_info is None and not (tmp_path / "sheet.pdf").exists()


def test_in_chinese(win):
    from greendesk.ui import i18n
    from greendesk.ui.reviewwindow import ReviewWindow

    i18n.set_language("zh")
    w = ReviewWindow(win.db_path)
    try:
        w.select_package(2)
        w.select_indicator("energy_intensity")
        assert w.chart.title().startswith("能源消耗强度（kgce/万元）：2 家工厂，行业小类 3392，重庆市，2025 年")
        assert w.notes.heading.text().startswith("能源消耗强度（energy_intensity）：申报值 ")
        assert w.model.item(0, 9).text() == "本机未记录"
        assert w.trust_button.text() == "信任此签名人" and w.sheet_button.text() == "签名的审核意见…"
    finally:
        w.close()
        i18n.set_language("en")


def test_window_with_trusted_certificates(win, qtbot, tmp_path):
    """--trust in the window: the packages already loaded are checked again against the certificates given."""
    from greendesk.ui.reviewwindow import ReviewWindow

    pem = tmp_path / "丙.pem"
    pem.write_text(win._query("SELECT certificate_pem FROM package_certificates WHERE package_id = 2")[0][0])
    w = ReviewWindow(win.db_path, trust=[str(pem)])
    qtbot.addWidget(w)
    assert w.model.item(1, 9).text() == "not on record"
    loaded = []
    w.recheck_trust(then=lambda: loaded.append(True))
    qtbot.waitUntil(lambda: bool(loaded), timeout=60_000)
    assert [w.model.item(r, 9).text() for r in range(3)] == ["not on record", "not on record · trusted certificate",
                                                             "not on record"]
    assert w.statusBar().currentMessage() == ("Checked against the trusted certificates: 3 packages, 1 trusted, "
                                              "0 files no longer there")
    w.select_package(1)
    assert "is not trusted" in w.details.toPlainText()
