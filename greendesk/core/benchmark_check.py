"""Checks on figures entered for one workspace: a 基准值/引领值 pair, a conversion/emission factor."""

from __future__ import annotations

from typing import Any

from greendesk.core.errors import UserError


def direction_of(indicator: Any) -> str | None:
    """'higher_better' / 'lower_better' of a quantitative indicator (or of its first case that has one)."""
    rule = indicator.rule
    return rule.direction or next((c.rule.direction for c in rule.cases if c.rule.direction), None)


def check_benchmark(indicator: Any, baseline: float | None, leading: float | None) -> None:
    """UserError when the pair would make the scoring run backwards or divide by zero; a pair with one value
    still missing passes (the user is typing it)."""
    if baseline is None or leading is None:
        return
    if baseline == leading:
        raise UserError("基准值与引领值不能相等", "基准值 (baseline) and 引领值 (leading) must differ")
    direction = direction_of(indicator)
    if direction == "higher_better" and leading < baseline or direction == "lower_better" and leading > baseline:
        raise UserError(
            "引领值应优于基准值（" + ("越高越好" if direction == "higher_better" else "越低越好") + "）",
            f"the leading value (引领值) must be better than the baseline (基准值) ({direction.replace('_', ' ')})")


def check_factor_value(value: float) -> None:
    """A conversion or emission factor cannot be negative (it would subtract energy or CO2)."""
    if value < 0:
        raise UserError("系数不能为负数。", "A factor cannot be negative.")
