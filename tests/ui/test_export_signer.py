"""The export dialog's verification says who signed in the same words as ``greendesk verify`` (issue 13)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("GREENDESK_SETTINGS_DIR", str(tmp_path / "settings"))
    monkeypatch.setenv("GREENDESK_CACHE_DIR", str(tmp_path / "cache"))
    from greendesk.ui import errors
    from greendesk.ui.app import create_app
    from greendesk.ui.mainwindow import MainWindow

    monkeypatch.setattr(errors, "_sink", [])
    create_app()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close_workspace()


def _plain(html_text: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "\n", html_text))


def test_the_dialog_names_fingerprint_claimed_time_and_a_different_key(window, demo_path, qtbot, tmp_path):
    from greendesk.core.package import export_package, trust
    from greendesk.core.package.certs import fingerprint_display, new_identity, write_p12
    from greendesk.core.package.verify import verify_package
    from greendesk.ui import i18n
    from greendesk.ui.exportdialog import ExportDialog

    real = new_identity("重庆渝锐精密压铸有限公司", uscc="91500113MA61RYP3XR")
    p12 = write_p12(real, tmp_path / "org.p12", "pw")
    pkg, impostor = tmp_path / "pkg.pdf", tmp_path / "impostor.pdf"
    r_real = export_package(demo_path, pkg, p12_path=p12, passphrase="pw")
    r_fake = export_package(demo_path, impostor, generate_cert=True)
    assert window.open_workspace(demo_path)
    dlg = ExportDialog(window.view.ws, window.view)
    qtbot.addWidget(dlg)

    i18n.set_language("zh")
    dlg.result, dlg.verification = r_real, verify_package(pkg)
    text = _plain(dlg.describe())
    fp = fingerprint_display(dlg.verification["signer_fingerprint"])
    assert fp in text and "签名人自称，未经证明" in text
    assert "91500113MA61RYP3XR" in text and "本机未记录此签名人" in text

    trust.add(real.cert)
    dlg.result, dlg.verification = r_fake, verify_package(impostor)
    html_text = dlg.describe()
    text = _plain(html_text)
    assert "警告：该工厂以前在本机使用的是另一把密钥" in text and fp[:23] in text
    i18n.set_language("en")
    try:
        text = _plain(dlg.describe())
        assert "Warning: this factory used a different key before" in text
        assert "claimed by the signer, not proven" in text
        assert "Signing certificate fingerprint (SHA-256)" in text and "警告" not in text
    finally:
        i18n.set_language("zh")
