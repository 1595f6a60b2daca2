"""Errors that reach the user.

``UserError`` is for anything the user can fix (bad input, wrong file, refused
value). It carries the message in Chinese and English; the command line prints it
on one line and exits 1, the GUI shows it in its one error dialog.
"""

from __future__ import annotations

from greendesk.core.i18n import language


class UserError(Exception):
    """An error caused by input the user can correct. Never a bug."""

    def __init__(self, zh: str, en: str | None = None, *, where: str | None = None, hint_zh: str = "",
                 hint_en: str = ""):
        self.zh = zh
        self.en = en or zh
        self.where = where
        self.hint_zh = hint_zh
        self.hint_en = hint_en or hint_zh
        super().__init__(self.en)

    def message(self, lang: str | None = None) -> str:
        lang = lang or language()
        msg = self.zh if lang == "zh" else self.en
        hint = self.hint_zh if lang == "zh" else self.hint_en
        if self.where:
            msg = f"{self.where}: {msg}"
        if hint:
            msg = f"{msg} {hint}" if lang == "en" else f"{msg}{hint}"
        return msg

    def __str__(self) -> str:
        return self.message()


class WorkspaceError(UserError):
    """The workspace file cannot be used (missing, not a workspace, corrupt, too new, locked)."""


class WorkspaceLocked(WorkspaceError):
    """Another process has the workspace open for writing."""


class Cancelled(Exception):
    """Long work was cancelled by the user; nothing was written."""


def yaml_error(name: str, e: Exception) -> UserError:
    """A YAML parse error as one line naming the file and line (PyYAML's own text spans several lines)."""
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    where = f"{name}:{mark.line + 1}" if mark is not None else name
    return UserError(f"{where}：不是有效的 YAML：{problem}", f"{where}: not valid YAML: {problem}")
