import threading

from greendesk.core import i18n
from greendesk.core.i18n import language, pick, t, using_language


def test_env_and_locale(monkeypatch):
    monkeypatch.delenv("GREENDESK_LANG", raising=False)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    assert language() == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert language() == "zh" and t("中", "en") == "中"
    monkeypatch.setenv("GREENDESK_LANG", "en")
    assert language() == "en"


def test_scoped_language_wins_in_its_thread_only(monkeypatch):
    monkeypatch.setenv("GREENDESK_LANG", "zh")
    i18n.set_language("zh")
    seen = {}
    with using_language("en"):
        assert t("中", "en") == "en"
        th = threading.Thread(target=lambda: seen.setdefault("other", language()))
        th.start()
        th.join()
    assert seen["other"] == "zh" and language() == "zh"


def test_pick_falls_back():
    assert pick({"zh": "中"}, "en") == "中" and pick({"zh": "中", "en": "E"}, "en") == "E" and pick(None) == ""


def test_english_report_data_from_a_chinese_session(demo_path):
    from greendesk.core.package.data import collect_report_data
    from greendesk.core.workspace import Workspace

    i18n.set_language("zh")
    with Workspace.open(demo_path, readonly=True) as ws:
        data = collect_report_data(ws, lang="en")
    explains = [i["explain"] for i in data.raw_score["indicators"]]
    assert any("benchmark needed" in e for e in explains)
    assert not any("需要基准值" in e for e in explains)
