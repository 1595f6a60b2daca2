"""Placeholder until the schemes area lands: knows scheme ids but not their content."""

from __future__ import annotations

from dataclasses import dataclass

from greendesk.core.errors import UserError

_KNOWN = {"gbt36132-2018": "2018.1", "gbt36132-2025": "2025.1"}


@dataclass
class _Stub:
    id: str
    version: str


def get_scheme(scheme_id: str) -> _Stub:
    if scheme_id not in _KNOWN:
        raise UserError(f"未知的评价方案：{scheme_id}（可用：{', '.join(_KNOWN)}）",
                        f"Unknown scheme: {scheme_id} (available: {', '.join(_KNOWN)})")
    return _Stub(scheme_id, _KNOWN[scheme_id])
