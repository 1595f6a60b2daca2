"""Text from files is data, not terminal commands.

A value read from a file or typed on a command line may carry control characters: an ESC that
starts a terminal escape sequence (``\\x1b[31m`` turns the terminal red, others move the cursor,
retitle the window or rewrite what was printed before), a carriage return that overwrites a line,
C1 controls (``\\x9b`` is a one-byte CSI) and bidirectional overrides that make a viewer show text in
another order than it is stored ("Trojan source").

* :func:`control_char` finds one (core refuses such text when it is stored: answers, scheme texts);
* :func:`escape_controls` makes each visible as ``\\u001b`` (the JSON spelling, so JSON output that
  passes through stays valid and means the same);
* :class:`EscapingWriter` wraps ``sys.stdout``/``sys.stderr`` so that every human-readable line the
  command line prints is escaped, whichever module prints it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, TextIO

# C0 controls but tab and line feed; DEL; C1; bidi embeddings, overrides and isolates; the line and
# paragraph separators (a terminal may break lines there).
_ESCAPE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
# What may not be stored in a text: the same, but carriage return is allowed (Windows line ends).
_FORBIDDEN = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


@cache
def _compiled(pattern: str) -> re.Pattern:
    """Compiled when first used: the two character classes cost about 2 ms to compile, every start of every
    command (the app's start-up needs neither)."""
    return re.compile(pattern)


# html.escape's table (quote=True), without the html module and its 2,000 entities (2 ms of start-up)
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape_html(text: str) -> str:
    """``html.escape(text)``: the text shown as itself inside rich text (Qt labels, tooltips, guidance)."""
    return str(text).translate(_HTML)


def control_char(text: str) -> str | None:
    """The first character of ``text`` that may not be stored, as ``U+XXXX``, or None."""
    m = _compiled(_FORBIDDEN).search(text)
    return f"U+{ord(m.group()):04X}" if m else None


def escape_controls(text: str) -> str:
    r"""``text`` with every control character, bidi override and line separator written as ``\uXXXX``."""
    pattern = _compiled(_ESCAPE)
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class EscapingWriter:
    """A text stream proxy whose ``write`` escapes control characters (see :func:`escape_controls`).

    A carriage return at the very start of one write is kept: that is how a progress line on a
    terminal redraws itself (``greendesk import-meters``); anywhere else it is escaped.
    """

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, s: str) -> int:
        if s.startswith("\r"):
            self._stream.write("\r" + escape_controls(s[1:]))
        else:
            self._stream.write(escape_controls(s))
        return len(s)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


__all__ = ["EscapingWriter", "control_char", "escape_controls", "escape_html"]
