"""UI language: a QTranslator backed by a JSON catalogue, Qt's own translations, and the locale.

UI strings are written in English in the code and wrapped in :func:`_`, which goes
through ``QCoreApplication.translate`` so that Qt's translator machinery applies.
Chinese (the default) comes from ``resources/i18n/zh_CN.json`` (English -> Chinese);
``tests/test_ui_i18n.py`` checks that every wrapped string has an entry.
Scheme labels are not translated here: they come from the schemes in both languages
(:func:`label`). Qt's own dialog texts come from PySide6's ``qtbase_*.qm``.
"""

from __future__ import annotations

import json
from functools import cache

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from greendesk.core import i18n as core_i18n

CONTEXT = "GreenDesk"
LANGUAGES = {"zh": "中文", "en": "English"}

_state = {"lang": "zh", "translators": []}


@cache
def catalogue(lang: str) -> dict[str, str]:
    from greendesk.core.paths import resources_dir

    name = {"zh": "zh_CN.json"}.get(lang)
    if not name:
        return {}
    path = resources_dir() / "i18n" / name
    return json.loads(path.read_text(encoding="utf-8"))


class CatalogueTranslator(QTranslator):
    """A QTranslator whose messages come from a ``{source: translation}`` JSON catalogue."""

    def __init__(self, lang: str, parent=None):
        super().__init__(parent)
        self.lang = lang
        self.messages = catalogue(lang)

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D401 (Qt override)
        # Only our own strings: Qt asks every translator for its own texts too (context "QPlatformTheme",
        # "QWizard" …), and our "OK" (a state: 正常) made every message box's OK button read 正常.
        if not source_text or context != CONTEXT:
            return None
        return self.messages.get(source_text)

    def isEmpty(self) -> bool:  # noqa: N802 (Qt override)
        return not self.messages


def _(text: str) -> str:
    """Translate a UI string (English source) into the current UI language."""
    return QCoreApplication.translate(CONTEXT, text)


def N_(text: str) -> str:  # noqa: N802
    """Mark a string for the catalogue without translating it yet (translate later with ``_``)."""
    return text


def language() -> str:
    return _state["lang"]


def label(labels, lang: str | None = None) -> str:
    """A scheme label (``{"zh":..., "en":...}`` or an object with zh/en attributes) in the UI language."""
    lang = lang or _state["lang"]
    if labels is None:
        return ""
    if isinstance(labels, str):
        return labels
    if not isinstance(labels, dict):
        zh, en = getattr(labels, "zh", None), getattr(labels, "en", None)
        if zh is None and en is None:
            return str(labels)
        labels = {"zh": zh, "en": en}
    return core_i18n.pick(labels, lang)


def set_language(lang: str) -> None:
    """Switch UI, core messages, Qt's own texts and the default locale. Widgets get LanguageChange."""
    lang = "zh" if str(lang).lower().startswith("zh") else "en"
    app = QCoreApplication.instance()
    _state["lang"] = lang
    core_i18n.set_language(lang)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if lang == "zh"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if app is None:
        return
    for tr in _state["translators"]:
        app.removeTranslator(tr)
    _state["translators"] = []
    if lang == "zh":
        qt = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load("qtbase_zh_CN", folder):
            app.installTranslator(qt)
            _state["translators"].append(qt)
        ours = CatalogueTranslator("zh", app)
        app.installTranslator(ours)
        _state["translators"].append(ours)


def locale() -> QLocale:
    return QLocale()


def fmt_num(value, decimals: int = 1) -> str:
    """A number in the UI locale; integers without decimals; None as a dash."""
    if value is None:
        return "—"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if v == int(v) and abs(v) < 1e15:
        return QLocale().toString(int(v))
    return QLocale().toString(v, "f", decimals)


def fmt_figure(value) -> str:
    """A factor or benchmark as written (0.1229, not 0.122900), in the UI locale; None as a dash."""
    if value is None:
        return "—"
    try:
        return QLocale().toString(float(value), "g", 10)
    except (TypeError, ValueError):
        return str(value)


def fmt_datetime(iso: str | None) -> str:
    if not iso:
        return ""
    from PySide6.QtCore import QDateTime, Qt

    dt = QDateTime.fromString(iso[:19], Qt.DateFormat.ISODate)
    if not dt.isValid():
        return iso
    return QLocale().toString(dt, QLocale.FormatType.ShortFormat)
