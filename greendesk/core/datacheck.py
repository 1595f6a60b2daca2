"""Strict checks shared by the small data-file loaders (quota packs, annual-return templates): each
failure is a :class:`~greendesk.core.safe_yaml.YamlError` naming the file, the line and the key."""

from __future__ import annotations

import re

from greendesk.core.safe_yaml import LList, LMap, YamlError


def fail(file: str, node, key: str, en: str, zh: str, item_key=None) -> YamlError:
    """The error for ``key`` of ``node`` (at the line of ``item_key`` in it when given)."""
    line = 1
    if isinstance(node, LMap):
        line = node.line_of(item_key) if item_key is not None else node.line
    elif isinstance(node, LList):
        line = node.line
    return YamlError(file, line, key, en, zh)


def check_keys(file: str, node, allowed: set, required: set, where: str) -> None:
    """``node`` is a mapping with no key outside ``allowed`` and every key of ``required``."""
    def at(k: str) -> str:
        return f"{where}.{k}" if where else k

    if not isinstance(node, dict):
        raise fail(file, node, where, "must be a mapping", "应为映射（键: 值）")
    unknown = sorted(set(map(str, node)) - allowed)
    if unknown:
        raise fail(file, node, at(unknown[0]), f"unknown key; allowed keys: {', '.join(sorted(allowed))}",
                   f"未知的键；允许的键：{', '.join(sorted(allowed))}", unknown[0])
    missing = sorted(required - set(node))
    if missing:
        raise fail(file, node, at(missing[0]), "is required", "必须填写")


def check_id(file: str, node: LMap, where: str, seen: dict[str, int], index: int, pattern: re.Pattern,
             allowed_chars: tuple[str, ...]) -> str:
    """``node["id"]`` matches ``pattern`` and is not yet in ``seen`` (id → 1-based index), where it is then
    recorded as ``index``; ``where`` is e.g. ``rows[3]`` and ``allowed_chars`` e.g. ``("a-z", "0-9", "_")``."""
    ident = node["id"]
    if not isinstance(ident, str) or not pattern.match(ident):
        raise fail(file, node, f"{where}.id", f"must be a lower-case id ([{''.join(allowed_chars)}])",
                   f"应为小写标识（{'、'.join(allowed_chars)}）", "id")
    list_name = where.split("[", 1)[0]
    if ident in seen:
        raise fail(file, node, f"{where}.id", f"'{ident}' is already used by {list_name}[{seen[ident]}]",
                   f"“{ident}”已被 {list_name}[{seen[ident]}] 使用", "id")
    seen[ident] = index
    return ident
