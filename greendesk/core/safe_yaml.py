"""YAML from files a user is handed, read so that no file can hang or crash GreenDesk.

``load_yaml_text(text, file_name)`` builds the data from PyYAML's event stream with its own
composer (no recursion, no alias expansion by PyYAML) and refuses, with ``file:line`` and the
key, everything that made the old loaders hang or crash:

* more than a few hundred aliases, and aliases that would expand to more than a limit of values
  (each alias counts as a full copy of what it names): "billion laughs" is refused from the
  sizes alone, before anything is copied; documents of more values or characters than a limit;
* an alias to a node that is not finished yet (a recursive structure);
* nesting deeper than a limit;
* a mapping or list used as a key (PyYAML would raise ``TypeError: unhashable``);
* integers with more digits than a limit (Python's 4300-digit ``ValueError``), ``.inf`` and
  ``.nan`` (not JSON, not a measurement), dates that do not exist, and every explicit tag other
  than the plain ``!!str``/``!!int``/``!!float``/``!!bool``/``!!null``;
* YAML merge keys (``<<``), more than one document, and (optionally) control characters and
  terminal escape sequences inside texts;
* duplicate keys (always, or only with different values: ``duplicates="differ"``).

The result is made of :class:`LMap` (a dict that knows its file, its line and the line of each
key) and :class:`LList` (a list that knows the line of each item), so callers can name the line
of anything they refuse later. Every error is ``error_cls(file, line, key, en, zh)`` with a line
of at least 1; the default is :class:`YamlError`, a :class:`~greendesk.core.errors.UserError`.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from greendesk.core.errors import UserError
from greendesk.core.frozen import frozen
from greendesk.core.textsafety import control_char


@frozen
class Limits:
    max_depth: int = 50                 # nested mappings/lists
    max_nodes: int = 50_000             # values written in the file (the 2018 scheme has about 3,400)
    max_alias_nodes: int = 50_000       # values added by expanding aliases
    max_aliases: int = 200
    max_int_digits: int = 40
    max_chars: int = 5_000_000          # the whole text


DEFAULT_LIMITS = Limits()

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_MAP_TAG, _SEQ_TAG = _TAG + "map", _TAG + "seq"


class YamlError(UserError):
    """A YAML file refused by :func:`load_yaml_text`; ``file``, ``line`` (>= 1) and ``key`` say where."""

    def __init__(self, file: str, line: int, key: str, en: str, zh: str):
        self.file, self.line, self.key = file, max(1, int(line or 1)), key
        where = f"{file}:{self.line}"
        super().__init__(f"{key}：{zh}" if key else zh, f"{key}: {en}" if key else en, where=where)


class LMap(dict):
    """A mapping that remembers its file and the line of itself and of each key."""

    file: str = ""
    line: int = 0
    key_lines: dict
    key_files: dict | None = None

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line) if hasattr(self, "key_lines") else self.line

    def file_of(self, key: Any) -> str:
        if key and self.key_files:
            return self.key_files.get(key, self.file)
        return self.file


class LList(list):
    """A list that remembers its file, its line and the line of each item."""

    file: str = ""
    line: int = 0
    item_lines: list


def line_of_offset(text: str, offset: int) -> int:
    """1-based line of a character offset in ``text``."""
    return text.count("\n", 0, max(0, offset)) + 1


def decode_utf8(data: bytes, file: str, error_cls: type = YamlError) -> str:
    """``data`` as text (a UTF-8 BOM is dropped); invalid UTF-8 is refused with its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise error_cls(file, line, "", f"the file is not UTF-8 text (byte 0x{data[e.start]:02x} at offset "
                        f"{e.start}); save it as UTF-8",
                        f"文件不是 UTF-8 文本（偏移 {e.start} 处的字节 0x{data[e.start]:02x}）；请另存为 UTF-8") from None


class _Frame:
    __slots__ = ("obj", "is_map", "anchor", "key", "key_line", "size", "depth")

    def __init__(self, obj: Any, is_map: bool, anchor: str | None, depth: int):
        self.obj, self.is_map, self.anchor, self.depth = obj, is_map, anchor, depth
        self.key: Any = _NO_KEY
        self.key_line = 0
        self.size = 1


_NO_KEY = object()


def load_yaml_text(text: str, file: str, *, limits: Limits = DEFAULT_LIMITS, error_cls: type = YamlError,
                   duplicates: str = "error", forbid_control: bool = True, empty_ok: bool = False) -> Any:
    """Parse one YAML document into :class:`LMap`/:class:`LList`/scalars, refusing hostile input.

    ``duplicates``: "error" refuses any key given twice; "differ" refuses it only with a different
    value. ``forbid_control``: refuse control characters and bidi overrides in texts. An empty
    document is an error unless ``empty_ok`` (then None is returned).
    """
    import yaml

    def fail(line: int, key: str, en: str, zh: str) -> Exception:
        return error_cls(file, max(1, line), key, en, zh)

    if len(text) > limits.max_chars:
        raise fail(1, "", f"the file is too large ({len(text):,} characters; at most {limits.max_chars:,})",
                   f"文件过大（{len(text):,} 个字符；最多 {limits.max_chars:,}）")
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    nodes = expanded = aliases = documents = 0
    root: Any = None
    have_root = False

    def path() -> str:
        parts = []
        for fr in stack:
            if fr.is_map and fr.key is not _NO_KEY:
                parts.append(str(fr.key))
            elif not fr.is_map:
                parts.append(f"[{len(fr.obj)}]")
        return ".".join(parts).replace(".[", "[")

    def scalar(ev: Any, line: int) -> Any:
        tag = ev.tag
        if tag is None or tag == "!":
            tag = loader.resolve(yaml.ScalarNode, ev.value, ev.implicit)
        elif tag not in _SCALAR_TAGS:
            raise fail(line, path(), f"YAML tag '{tag}' is not supported; write a plain value",
                       f"不支持 YAML 标签 '{tag}'，请直接写值")
        value = ev.value
        if tag == _TAG + "str":
            if forbid_control and (bad := control_char(value)):
                raise fail(line, path(), f"the text contains the control character {bad} (a terminal escape or an "
                           "invisible character); remove it", f"文本含控制字符 {bad}（终端转义或不可见字符），请删除")
            return value
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "int" and sum(c.isdigit() for c in value) > limits.max_int_digits:
            raise fail(line, path(), f"the number has more than {limits.max_int_digits} digits",
                       f"数字超过 {limits.max_int_digits} 位")
        if tag not in loader.yaml_constructors or tag == _TAG + "merge":
            raise fail(line, path(), f"the value {value[:40]!r} is not supported here", f"此处不支持值 {value[:40]!r}")
        node = yaml.ScalarNode(tag, value, ev.start_mark, ev.end_mark, ev.style)
        try:
            out = loader.yaml_constructors[tag](loader, node)
        except (ValueError, OverflowError, TypeError, yaml.YAMLError):
            raise fail(line, path(), f"{value[:40]!r} is not a valid {tag.rsplit(':', 1)[-1]}",
                       f"{value[:40]!r} 不是有效的 {tag.rsplit(':', 1)[-1]}") from None
        if isinstance(out, float) and not math.isfinite(out):
            raise fail(line, path(), f"{value[:40]!r} is not a finite number; write a real value",
                       f"{value[:40]!r} 不是有限的数值，请写一个实际的数")
        return out

    def add(value: Any, size: int, line: int, is_collection: bool) -> None:
        nonlocal root, have_root
        if not stack:
            root, have_root = value, True
            return
        fr = stack[-1]
        fr.size += size
        if not fr.is_map:
            fr.obj.append(value)
            fr.obj.item_lines.append(line)
            return
        if fr.key is _NO_KEY:
            if is_collection:
                raise fail(line, path(), "a mapping or a list cannot be a key; use a text key",
                           "映射或列表不能作为键，请用文本键")
            fr.key = value if isinstance(value, str) else str(value)
            fr.key_line = line
            return
        key, m = fr.key, fr.obj
        if key in m:
            first = m.key_lines[key]
            if duplicates == "error":
                raise fail(fr.key_line, key,
                           f"duplicate key (first defined at line {first}); remove one of them",
                           f"重复的键（第一次出现在第 {first} 行）；请删除其中一个")
            if m[key] != value:
                raise fail(fr.key_line, key, f"given twice with different values (first at {file}:{first}); "
                           "keep one", f"出现了两次且数值不同（第一次在 {file}:{first}）；请只保留一个")
        else:
            m[key] = value
            m.key_lines[key] = fr.key_line
        fr.key = _NO_KEY

    def count(n: int, line: int) -> None:
        nonlocal nodes
        nodes += n
        if nodes > limits.max_nodes:
            raise fail(line, path(), f"the document is too large (more than {limits.max_nodes:,} values)",
                       f"文档过大（超过 {limits.max_nodes:,} 个值）")

    def expand(n: int, line: int) -> None:
        nonlocal expanded
        expanded += n
        if expanded > limits.max_alias_nodes:
            raise fail(line, path(), f"the aliases (*) expand to more than {limits.max_alias_nodes:,} values "
                       "(an alias bomb?); write the values out without anchors (&) and aliases (*)",
                       f"别名（*）展开后超过 {limits.max_alias_nodes:,} 个值；请不用锚点（&）和别名（*）直接写出")

    try:
        while True:
            ev = loader.get_event()
            if ev is None:
                break
            line = ev.start_mark.line + 1 if ev.start_mark is not None else 1
            if isinstance(ev, yaml.ScalarEvent):
                count(1, line)
                if stack and stack[-1].is_map and stack[-1].key is _NO_KEY and ev.value == "<<" and (
                        ev.tag is None and ev.implicit[0]):
                    raise fail(line, "<<", "YAML merge keys are not supported; write the keys out",
                               "不支持 YAML 合并键（<<），请写出各个键")
                value = scalar(ev, line)
                if ev.anchor is not None:
                    anchors[ev.anchor] = (value, 1)
                add(value, 1, line, False)
            elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                count(1, line)
                is_map = isinstance(ev, yaml.MappingStartEvent)
                if ev.tag not in (None, "!", _MAP_TAG if is_map else _SEQ_TAG):
                    raise fail(line, path(), f"YAML tag '{ev.tag}' is not supported; write a plain "
                               f"{'mapping' if is_map else 'list'}", f"不支持 YAML 标签 '{ev.tag}'")
                depth = len(stack) + 1
                if depth > limits.max_depth:
                    raise fail(line, path(), f"nested more than {limits.max_depth} levels deep",
                               f"嵌套超过 {limits.max_depth} 层")
                if is_map:
                    obj: Any = LMap()
                    obj.key_lines = {}
                else:
                    obj = LList()
                    obj.item_lines = []
                obj.file, obj.line = file, line
                if ev.anchor is not None:
                    open_anchors.add(ev.anchor)
                stack.append(_Frame(obj, is_map, ev.anchor, depth))
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                fr = stack.pop()
                if fr.anchor is not None:
                    open_anchors.discard(fr.anchor)
                    anchors[fr.anchor] = (fr.obj, fr.size)
                add(fr.obj, fr.size, fr.obj.line, True)
            elif isinstance(ev, yaml.AliasEvent):
                aliases += 1
                if aliases > limits.max_aliases:
                    raise fail(line, path(), f"more than {limits.max_aliases} aliases (*); write the values out",
                               f"别名（*）超过 {limits.max_aliases} 个，请直接写出各值")
                if ev.anchor in open_anchors:
                    raise fail(line, path(), f"the alias *{ev.anchor} refers to a value that contains it "
                               "(a recursive structure)", f"别名 *{ev.anchor} 引用了包含它自身的值（递归结构）")
                if ev.anchor not in anchors:
                    raise fail(line, path(), f"the alias *{ev.anchor} has no anchor &{ev.anchor} before it",
                               f"别名 *{ev.anchor} 之前没有对应的锚点 &{ev.anchor}")
                value, size = anchors[ev.anchor]
                expand(size, line)
                is_collection = isinstance(value, (dict, list))
                add(copy.deepcopy(value) if is_collection else value, size, line, is_collection)
            elif isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail(line, "", "the file holds more than one YAML document (a second '---'); keep one",
                               "文件含多个 YAML 文档（第二个 '---'）；请只保留一个")
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "syntax error"
        raise fail(mark.line + 1 if mark else 1, "", f"not valid YAML: {problem}",
                   f"不是有效的 YAML：{problem}") from None
    except yaml.reader.ReaderError as e:
        offset = e.position if isinstance(e.position, int) else 0
        if isinstance(e.character, int):
            what = f"U+{e.character:04X}"
        else:
            what = repr(e.character)
        line = text.encode("utf-8", "surrogatepass")[:offset].count(b"\n") + 1
        raise fail(line, "", f"not valid YAML: {e.reason} ({what})",
                   f"不是有效的 YAML：含不允许的字符（{what}）") from None
    except yaml.YAMLError as e:
        raise fail(1, "", f"not valid YAML: {str(e).splitlines()[0] if str(e) else type(e).__name__}",
                   f"不是有效的 YAML：{str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
    finally:
        loader.dispose()
    if not have_root:
        if empty_ok:
            return None
        raise fail(1, "", "the file is empty", "文件为空")
    return root


def load_json_text(text: str, file: str, *, limits: Limits = DEFAULT_LIMITS, error_cls: type = YamlError,
                   duplicates: str = "error", forbid_control: bool = True) -> Any:
    """JSON with the refusals of :func:`load_yaml_text`: duplicate keys ("error", or "differ": only with
    different values), NaN/Infinity and numbers beyond a float, integers longer than the digit limit,
    nesting deeper than the limit (checked before parsing: the json module recurses), control characters
    in texts. Errors name ``file:line``. Returns plain dicts and lists."""
    import json

    def fail(line: int, key: str, en: str, zh: str) -> Exception:
        return error_cls(file, max(1, line), key, en, zh)

    if len(text) > limits.max_chars:
        raise fail(1, "", f"the file is too large ({len(text):,} characters; at most {limits.max_chars:,})",
                   f"文件过大（{len(text):,} 个字符；最多 {limits.max_chars:,}）")
    cur = 0
    in_str = esc = False
    line = 1
    for ch in text:
        if ch == "\n":
            line += 1
        if in_str:
            esc, in_str = (False, True) if esc else (ch == "\\", ch != '"')
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            cur += 1
            if cur > limits.max_depth:
                raise fail(line, "", f"nested more than {limits.max_depth} levels deep",
                           f"嵌套超过 {limits.max_depth} 层")
        elif ch in "]}":
            cur -= 1

    class _Refused(ValueError):
        def __init__(self, msg: str, needle: str, last: bool = False):
            super().__init__(msg)
            at = text.rfind(needle) if last else text.find(needle)
            self.line = text.count("\n", 0, at) + 1 if at >= 0 else 1

    def constant(word: str):
        raise _Refused(f"{word} is not a finite number", word)

    def integer(digits: str) -> int:
        if sum(c.isdigit() for c in digits) > limits.max_int_digits:
            raise _Refused(f"a number has more than {limits.max_int_digits} digits", digits)
        return int(digits)

    def real(digits: str) -> float:
        value = float(digits)
        if not math.isfinite(value):
            raise _Refused(f"{digits[:40]} is not a finite number", digits)
        return value

    def pairs(kv: list) -> dict:
        out: dict = {}
        for k, v in kv:
            if forbid_control and (bad := control_char(k) or (control_char(v) if isinstance(v, str) else None)):
                raise _Refused(f"'{k}': the text contains the control character {bad}", json.dumps(k)[1:-1])
            if k in out and (duplicates == "error" or out[k] != v):
                raise _Refused(f"'{k}' is given twice" + (" with different values" if duplicates != "error" else ""),
                               f'"{k}"', last=True)
            out[k] = v
        return out

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant, parse_int=integer,
                          parse_float=real)
    except json.JSONDecodeError as e:
        raise fail(e.lineno, "", f"not valid JSON: {e.msg}", f"不是有效的 JSON：{e.msg}") from None
    except _Refused as e:
        raise fail(e.line, "", f"{e}; fix the file", f"{e}；请修改文件") from None
    except RecursionError:
        raise fail(1, "", "nested too deep", "嵌套过深") from None


__all__ = ["DEFAULT_LIMITS", "load_json_text", "LList", "LMap", "Limits", "YamlError", "control_char",
           "decode_utf8", "line_of_offset", "load_yaml_text"]
