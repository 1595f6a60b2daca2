"""A small, safe expression language for scheme files (relevance, constraints, calculations).

Expressions are parsed once (when a scheme is loaded) into an AST and compiled into
Python closures; nothing is ever passed to ``eval``. The language:

* numbers (``12``, ``0.5``, ``1e3``), strings (``"yes"`` or ``'yes'``), ``true``/``false``;
* field references ``${field.id}``; inside a per-row expression (see ``sum``/``count``),
  ``${column}`` names a column of the current row first, then a field;
* arithmetic ``+ - * /`` and unary minus, comparisons ``= == != < <= > >=``,
  ``and``, ``or``, ``not`` (lowest to highest: or, and, not, comparison, + -, * /, unary minus);
* functions: ``if(c, a, b)``, ``min(...)``, ``max(...)``, ``abs(x)``, ``round(x[, n])``,
  ``sum(rows, expr)`` / ``sum(list)``, ``count(rows_or_list[, condition])``,
  ``min_over(rows, expr)``, ``max_over(rows, expr)``,
  ``selected(multi, "value")``, ``answered(${x})``, ``coalesce(a, b, ...)``.

A reference to a value that has not been entered raises :class:`Missing`; a division by
zero raises :class:`ComputeError`. Both are reported as "cannot compute: ...".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import field
from typing import Any

from greendesk.core.frozen import frozen

__all__ = ["Expr", "ExprError", "ComputeError", "Missing", "parse", "FUNCTIONS"]


class ExprError(ValueError):
    """The text is not a valid expression (raised at load time)."""

    def __init__(self, message: str, pos: int | None = None):
        self.pos = pos
        super().__init__(message if pos is None else f"{message} (at column {pos + 1})")


class ComputeError(Exception):
    """An expression could not be computed (division by zero, wrong types)."""

    def __init__(self, en: str, zh: str | None = None):
        self.en = en
        self.zh = zh or en
        super().__init__(en)

    def describe(self, lang: str = "en") -> str:
        reason = self.zh if lang == "zh" else self.en
        return ("无法计算：" if lang == "zh" else "cannot compute: ") + reason


class Missing(ComputeError):
    """A referenced value is missing (not entered, not relevant, or not computable)."""

    def __init__(self, ref: str):
        self.ref = ref
        super().__init__(f"missing {ref}", f"缺少 {ref}")


_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<str>"[^"]*"|'[^']*')
  | (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][\w.\-]*)\s*\})
  | (?P<name>[A-Za-z_]\w*)
  | (?P<op><=|>=|!=|==|[-+*/(),=<>])
""", re.VERBOSE)


@frozen
class _Tok:
    kind: str
    text: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    i = 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if not m:
            ch = text[i]
            if ch == "$":
                raise ExprError("a field reference must look like ${field.id}", i)
            if ch in "\"'":
                raise ExprError("unterminated string", i)
            raise ExprError(f"unexpected character {ch!r}", i)
        kind = m.lastgroup
        if kind == "refname":
            kind = "ref"
        if kind != "ws":
            value = m.group("refname") if kind == "ref" else m.group(0)
            if kind == "name" and value in ("and", "or", "not", "true", "false"):
                kind = value
            out.append(_Tok(kind, value, m.start()))
        i = m.end()
    out.append(_Tok("end", "", len(text)))
    return out


# --- AST -------------------------------------------------------------------------------

@frozen
class Node:
    op: str                   # num, str, bool, ref, neg, not, and, or, bin, cmp, call
    value: Any = None         # literal value, ref name, operator or function name
    args: tuple = ()
    pos: int = 0


_CMP = {"=": "=", "==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def next(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> _Tok:
        tok = self.next()
        if tok.text != text or tok.kind in ("str", "ref"):
            got = "end of expression" if tok.kind == "end" else repr(tok.text)
            raise ExprError(f"expected {text!r} but found {got}", tok.pos)
        return tok

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ExprError("empty expression", 0)
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise ExprError(f"unexpected {tok.text!r}", tok.pos)
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.peek().kind == "or":
            pos = self.next().pos
            node = Node("or", None, (node, self.and_()), pos)
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.peek().kind == "and":
            pos = self.next().pos
            node = Node("and", None, (node, self.not_()), pos)
        return node

    def not_(self) -> Node:
        if self.peek().kind == "not":
            pos = self.next().pos
            return Node("not", None, (self.not_(),), pos)
        return self.cmp()

    def cmp(self) -> Node:
        node = self.add()
        tok = self.peek()
        if tok.kind == "op" and tok.text in _CMP:
            self.next()
            node = Node("cmp", _CMP[tok.text], (node, self.add()), tok.pos)
            nxt = self.peek()
            if nxt.kind == "op" and nxt.text in _CMP:
                raise ExprError("comparisons cannot be chained; use 'and'", nxt.pos)
        return node

    def add(self) -> Node:
        node = self.mul()
        while self.peek().kind == "op" and self.peek().text in "+-":
            tok = self.next()
            node = Node("bin", tok.text, (node, self.mul()), tok.pos)
        return node

    def mul(self) -> Node:
        node = self.unary()
        while self.peek().kind == "op" and self.peek().text in "*/":
            tok = self.next()
            node = Node("bin", tok.text, (node, self.unary()), tok.pos)
        return node

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind == "op" and tok.text == "-":
            self.next()
            return Node("neg", None, (self.unary(),), tok.pos)
        if tok.kind == "op" and tok.text == "+":
            self.next()
            return self.unary()
        return self.atom()

    def atom(self) -> Node:
        tok = self.next()
        if tok.kind == "num":
            value = float(tok.text)
            if value != value or value in (float("inf"), float("-inf")):
                raise ExprError(f"number {tok.text} is too large", tok.pos)
            return Node("num", value, (), tok.pos)
        if tok.kind == "str":
            return Node("str", tok.text[1:-1], (), tok.pos)
        if tok.kind in ("true", "false"):
            return Node("bool", tok.kind == "true", (), tok.pos)
        if tok.kind == "ref":
            return Node("ref", tok.text, (), tok.pos)
        if tok.kind == "op" and tok.text == "(":
            node = self.or_()
            self.expect(")")
            return node
        if tok.kind == "name":
            name = tok.text
            if name not in FUNCTIONS:
                known = ", ".join(sorted(FUNCTIONS))
                raise ExprError(f"unknown function {name!r} (known: {known})", tok.pos)
            self.expect("(")
            args: list[Node] = []
            if not (self.peek().kind == "op" and self.peek().text == ")"):
                args.append(self.or_())
                while self.peek().kind == "op" and self.peek().text == ",":
                    self.next()
                    args.append(self.or_())
            self.expect(")")
            lo, hi = FUNCTIONS[name]
            if len(args) < lo or (hi is not None and len(args) > hi):
                want = str(lo) if lo == hi else (f"at least {lo}" if hi is None else f"{lo} to {hi}")
                raise ExprError(f"{name}() takes {want} argument(s), got {len(args)}", tok.pos)
            if name in _ROW_FUNCS and len(args) == 2 and args[0].op != "ref":
                raise ExprError(f"the first argument of {name}(rows, ...) must be a ${{rows}} reference", tok.pos)
            return Node("call", name, tuple(args), tok.pos)
        if tok.kind == "end":
            raise ExprError("unexpected end of expression", tok.pos)
        raise ExprError(f"unexpected {tok.text!r}", tok.pos)


# name -> (min args, max args or None)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "if": (3, 3), "min": (1, None), "max": (1, None), "abs": (1, 1), "round": (1, 2),
    "sum": (1, 2), "count": (1, 2), "selected": (2, 2), "answered": (1, 1), "coalesce": (1, None),
    "min_over": (2, 2), "max_over": (2, 2),
}
_ROW_FUNCS = ("sum", "count", "min_over", "max_over")


# --- evaluation ------------------------------------------------------------------------

class Env:
    """Values an expression reads: ``values`` (field id -> value) and the current row, if any."""

    __slots__ = ("values", "row", "row_ref")

    def __init__(self, values: Mapping[str, Any], row: Mapping[str, Any] | None = None, row_ref: str = ""):
        self.values = values
        self.row = row
        self.row_ref = row_ref


def _num(v: Any, what: Node) -> float:
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            pass
    raise ComputeError(f"{_show(v)} is not a number", f"{_show(v)} 不是数值")


def _show(v: Any) -> str:
    return repr(v) if isinstance(v, str) else str(v)


def _truth(v: Any) -> bool:
    if isinstance(v, str):
        return v.lower() in ("yes", "true", "1", "是")
    if isinstance(v, (list, tuple)):
        return bool(v)
    return bool(v)


def _eq(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return _truth(a) == _truth(b)
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        try:
            return float(a) == float(b)
        except (TypeError, ValueError):
            return False
    return a == b


Fn = Callable[[Env], Any]


def _compile(node: Node) -> Fn:  # noqa: C901 - one dispatch table
    op = node.op
    if op in ("num", "str", "bool"):
        value = node.value
        return lambda env: value
    if op == "ref":
        name = node.value

        def ref(env: Env) -> Any:
            row = env.row
            if row is not None and name in row:
                v = row[name]
                if v is None or v == "":
                    raise Missing(f"{env.row_ref}.{name}")
                return v
            v = env.values.get(name)
            if v is None or v == "" or v == []:
                if row is not None and "." not in name:
                    raise Missing(f"{env.row_ref}.{name}")   # an empty cell of the current row
                raise Missing(name)
            return v
        return ref
    if op == "neg":
        f = _compile(node.args[0])
        return lambda env: -_num(f(env), node)
    if op == "not":
        f = _compile(node.args[0])
        return lambda env: not _truth(f(env))
    if op == "and":
        fa, fb = map(_compile, node.args)
        return lambda env: _truth(fa(env)) and _truth(fb(env))
    if op == "or":
        fa, fb = map(_compile, node.args)
        return lambda env: _truth(fa(env)) or _truth(fb(env))
    if op == "bin":
        fa, fb = map(_compile, node.args)
        sym = node.value
        if sym == "+":
            return lambda env: _num(fa(env), node) + _num(fb(env), node)
        if sym == "-":
            return lambda env: _num(fa(env), node) - _num(fb(env), node)
        if sym == "*":
            return lambda env: _num(fa(env), node) * _num(fb(env), node)

        def div(env: Env) -> float:
            a = _num(fa(env), node)
            b = _num(fb(env), node)
            if b == 0:
                raise ComputeError("division by zero", "除数为零")
            return a / b
        return div
    if op == "cmp":
        fa, fb = map(_compile, node.args)
        sym = node.value
        if sym == "=":
            return lambda env: _eq(fa(env), fb(env))
        if sym == "!=":
            return lambda env: not _eq(fa(env), fb(env))
        import operator
        pyop = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}[sym]
        return lambda env: pyop(_num(fa(env), node), _num(fb(env), node))
    if op == "call":
        return _compile_call(node)
    raise AssertionError(op)


def _rows_of(env: Env, name: str) -> list:
    v = env.values.get(name)
    if v is None:
        return []
    if not isinstance(v, list):
        raise ComputeError(f"{name} is not a list", f"{name} 不是列表")
    return v


def _compile_call(node: Node) -> Fn:
    name = node.value
    args = [_compile(a) for a in node.args]
    if name == "if":
        c, a, b = args
        return lambda env: a(env) if _truth(c(env)) else b(env)
    if name in ("min", "max"):
        agg = min if name == "min" else max

        def minmax(env: Env) -> float:
            vals: list[float] = []
            for f in args:
                v = f(env)
                if isinstance(v, list):
                    vals.extend(_num(x, node) for x in v)
                else:
                    vals.append(_num(v, node))
            if not vals:
                raise ComputeError(f"{name}() of nothing", f"{name}() 没有数值")
            return agg(vals)
        return minmax
    if name == "abs":
        return lambda env: abs(_num(args[0](env), node))
    if name == "round":
        if len(args) == 1:
            return lambda env: float(round(_num(args[0](env), node)))
        return lambda env: round(_num(args[0](env), node), int(_num(args[1](env), node)))
    if name == "answered":
        f = args[0]

        def answered(env: Env) -> bool:
            try:
                f(env)
            except Missing:
                return False
            return True
        return answered
    if name == "coalesce":
        def coalesce(env: Env) -> Any:
            last: Missing | None = None
            for f in args:
                try:
                    return f(env)
                except Missing as e:
                    last = e
            raise last  # type: ignore[misc]
        return coalesce
    if name == "selected":
        fa, fb = args

        def selected(env: Env) -> bool:
            try:
                v = fa(env)
            except Missing:
                return False
            want = fb(env)
            return want in v if isinstance(v, list) else _eq(v, want)
        return selected
    if name in _ROW_FUNCS and len(args) == 2:
        rows_name = node.args[0].value
        per_row = args[1]

        def over_rows(env: Env) -> float:
            total = 0.0
            vals: list[float] = []
            rows = _rows_of(env, rows_name)
            for i, row in enumerate(rows):
                sub = Env(env.values, row, f"{rows_name}[{i + 1}]")
                v = per_row(sub)
                if name == "sum":
                    total += _num(v, node)
                elif name == "count":
                    total += 1 if _truth(v) else 0
                else:
                    vals.append(_num(v, node))
            if name in ("min_over", "max_over"):
                if not vals:
                    raise Missing(rows_name)
                return min(vals) if name == "min_over" else max(vals)
            return total
        return over_rows
    if name == "sum":
        f = args[0]

        def sum1(env: Env) -> float:
            v = f(env)
            if isinstance(v, list):
                return float(sum(_num(x, node) for x in v))
            return _num(v, node)
        return sum1
    if name == "count":
        f = args[0]

        def count1(env: Env) -> float:
            v = f(env)
            if isinstance(v, (list, tuple)):
                return float(len(v))
            raise ComputeError("count() needs a list", "count() 需要列表")
        return count1
    raise AssertionError(name)


@frozen
class Expr:
    """A parsed expression. ``refs`` are the ``${...}`` names it reads (outside row scope too)."""

    text: str
    tree: Node = field(repr=False, compare=False)
    refs: frozenset[str] = field(repr=False, compare=False, default=frozenset())
    _fn: Fn = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    def evaluate(self, values: Mapping[str, Any], row: Mapping[str, Any] | None = None, row_ref: str = "") -> Any:
        return self._fn(Env(values, row, row_ref))

    def __str__(self) -> str:
        return self.text

    def __reduce__(self):
        # pickled as its text (the compiled function cannot be): parsed again when read (schemes.built)
        return parse, (self.text,)


def _collect_refs(node: Node, out: set[str]) -> None:
    if node.op == "ref":
        out.add(node.value)
    for a in node.args:
        _collect_refs(a, out)


def parse(text: str | int | float) -> Expr:
    """Parse and compile ``text``; raise :class:`ExprError` with the column on any error."""
    if isinstance(text, bool):
        text = "true" if text else "false"
    elif isinstance(text, (int, float)):
        text = repr(text)
    if not isinstance(text, str):
        raise ExprError("an expression must be text")
    try:
        tree = _Parser(text).parse()
        refs: set[str] = set()
        _collect_refs(tree, refs)
        return Expr(text, tree, frozenset(refs), _compile(tree))
    except RecursionError:
        raise ExprError("the expression is nested too deeply") from None


def row_scoped_refs(expr: Expr) -> set[str]:
    """Names referenced inside the per-row argument of sum()/count() (may be row columns)."""
    out: set[str] = set()

    def walk(node: Node, inside: bool) -> None:
        if node.op == "ref" and inside:
            out.add(node.value)
        if node.op == "call" and node.value in _ROW_FUNCS and len(node.args) == 2:
            walk(node.args[0], inside)
            walk(node.args[1], True)
            return
        for a in node.args:
            walk(a, inside)
    walk(expr.tree, False)
    return out
