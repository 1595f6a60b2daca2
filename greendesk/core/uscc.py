"""统一社会信用代码 (unified social credit code) check per GB 32100-2015."""

from __future__ import annotations

import unicodedata

from greendesk.core.errors import UserError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28


def check_char(body17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(body17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> UserError | None:
    """Return why ``code`` is not a valid USCC, or None when it is valid."""
    code = _fold(code)
    if len(code) != 18:
        return UserError(
            f"统一社会信用代码应为 18 位，实际为 {len(code)} 位。",
            f"A unified social credit code has 18 characters; this one has {len(code)}.",
        )
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        return UserError(
            f"统一社会信用代码含有不允许的字符：{''.join(bad)}（不使用 I、O、Z、S、V 及小写以外的符号）。",
            f"The code contains characters that are not allowed: {''.join(bad)} "
            "(GB 32100 uses digits and capital letters except I, O, Z, S, V).",
        )
    expected = check_char(code[:17])
    if code[17] != expected:
        return UserError(
            f"统一社会信用代码校验位错误：第 18 位应为 {expected}，实际为 {code[17]}，请核对营业执照。",
            f"Check digit wrong: the 18th character should be {expected}, not {code[17]}. "
            "Please compare with the business licence.",
        )
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def normalize(code: str) -> str:
    """Return the upper-cased code or raise UserError with the reason."""
    err = problem(code)
    if err:
        raise err
    return _fold(code)


def _fold(code: str) -> str:
    """Full-width characters (a Chinese input method in full-width mode) become ASCII; upper case."""
    return unicodedata.normalize("NFKC", code or "").strip().upper()


def complete(body17: str) -> str:
    """Append the check character to a 17-character body (used for demo and test data)."""
    return body17 + check_char(body17)
