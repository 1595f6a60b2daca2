"""``catalog.norm``: header words and units compared after folding full-width forms, lower-casing and making
each run of whitespace (every kind Unicode knows) one space."""

from __future__ import annotations

import re

import pytest

from greendesk.core.meters.catalog import catalog, fold, norm

WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]


def _reference(text: str) -> str:  # the regular-expression spelling it replaced
    s = fold(str(text)).strip().lower()
    s = s.replace("^3", "3").replace("·", "").replace("•", "").replace("*", "")
    return re.sub(r"\s+", " ", s)


@pytest.mark.parametrize("ws", WHITESPACE, ids=[f"U+{ord(w):04X}" for w in WHITESPACE])
def test_every_whitespace_collapses_as_before(ws):
    text = f" 天然气{ws}{ws}（ｍ³）{ws}用量 "
    assert norm(text) == _reference(text)
    assert "  " not in norm(text)


def test_words_and_units_as_written_in_ledgers():
    assert norm("  电力\u3000（ｋＷｈ） ") == "电力 (kwh)"
    assert norm("蒸汽 · t") == "蒸汽 t"
    assert catalog().unit("万 kW·h") is catalog().unit("万kWh")
