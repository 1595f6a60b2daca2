"""Application settings (QSettings): language, window geometry, recent workspaces.

``GREENDESK_SETTINGS_DIR`` puts them in an INI file in that folder (tests use it to
stay away from the user's real settings).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORG = "GreenDesk"
APP = "GreenDesk"
MAX_RECENT = 8


def settings() -> QSettings:
    folder = os.environ.get("GREENDESK_SETTINGS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(folder) / "greendesk.ini"), QSettings.Format.IniFormat)
    return QSettings(ORG, APP)


def _list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]


def recent_files() -> list[str]:
    return [p for p in _list(settings().value("recent")) if p]


def _key(path: str) -> str:
    from greendesk.core.digest import sha1

    return "recent_titles/" + sha1(path.encode("utf-8")).hexdigest()[:16]


def add_recent(path: str | Path, title: str | None = None) -> None:
    """``path`` first in the recent list (with its title). Nothing is written when it is first already with
    the same title: reopening the last workspace does not rewrite (and sync) the settings file."""
    path = str(Path(path).resolve())
    recent = recent_files()
    s = settings()
    if recent[:1] == [path] and (not title or s.value(_key(path)) == title):
        return
    items = [p for p in recent if p != path]
    s.setValue("recent", [path, *items][:MAX_RECENT])
    if title:
        s.setValue(_key(path), title)
    s.sync()


def recent_title(path: str) -> str | None:
    value = settings().value(_key(path))
    return str(value) if value else None


def remember(key: str, value: str | None) -> None:
    """Remember a path or choice between sessions (never a passphrase)."""
    s = settings()
    s.setValue(f"remember/{key}", value or "")
    s.sync()


def remembered(key: str, default: str = "") -> str:
    return str(settings().value(f"remember/{key}") or default)


def remove_recent(path: str) -> None:
    s = settings()
    s.setValue("recent", [p for p in recent_files() if p != path])
    s.sync()


def language() -> str:
    """GREENDESK_UI_LANG (``open --lang``), then the saved choice, then GREENDESK_LANG, then Chinese."""
    forced = os.environ.get("GREENDESK_UI_LANG")
    if forced:
        return "zh" if forced.lower().startswith("zh") else "en"
    env = os.environ.get("GREENDESK_LANG")
    value = settings().value("language")
    if value:
        return str(value)
    if env:
        return "zh" if env.lower().startswith("zh") else "en"
    return "zh"


def set_language(lang: str) -> None:
    s = settings()
    s.setValue("language", lang)
    s.sync()
