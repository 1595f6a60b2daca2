"""``@frozen``: the class ``@dataclass(frozen=True)`` makes, built for less.

The 22 frozen dataclasses that opening the app creates (the scheme model, the expression parser, the meter
catalogue ...) took 21 ms of its start-up: for each class ``dataclasses`` compiles six small functions one by
one and, for a class without a docstring, asks ``inspect.signature`` for one. This decorator compiles only
``__init__`` (one small text per class) and makes the other methods from closures over the field names:

* ``__init__`` with the fields in order (its compiled code kept between runs by :mod:`greendesk.core.codecache`), their defaults and default factories (a fresh value per instance);
* ``__repr__`` of the fields with ``repr=True`` (without dataclasses' guard against an instance that contains
  itself, which a frozen value built in one call cannot); ``__eq__`` (same class only) and ``__hash__`` over the fields
  with ``compare=True``; a method the class defines itself is kept, as dataclasses does;
* assignment and deletion raise ``dataclasses.FrozenInstanceError``;
* ``__dataclass_fields__`` holds real ``dataclasses.Field`` objects and ``__match_args__`` the field names, so
  ``dataclasses.replace``, ``fields``, ``asdict``, ``is_dataclass`` (and Python 3.13's ``copy.replace``) work
  on these classes unchanged.

Anything else (``ClassVar``/``InitVar`` fields, keyword-only fields, ``__post_init__``, slots, a field hidden
by a property, a Python whose dataclasses lack what is used here) goes to ``dataclasses.dataclass(frozen=True)``
itself, so the result is never a different kind of class, only a slower-built one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import MISSING, FrozenInstanceError
from operator import attrgetter

from greendesk.core.codecache import compile_cached

_FIELD = getattr(dataclasses, "_FIELD", None)  # the marker dataclasses gives an ordinary field


class _Unsupported(Exception):
    """This class needs something only dataclasses itself does."""


def frozen(cls: type) -> type:
    """``@dataclass(frozen=True)``, built with one small compile instead of six (see the module text)."""
    try:
        return _build(cls)
    except _Unsupported:
        return dataclasses.dataclass(frozen=True)(cls)


def _fields_of(cls: type) -> dict[str, dataclasses.Field]:
    if _FIELD is None or "__post_init__" in _all_names(cls) or "__slots__" in cls.__dict__:
        raise _Unsupported
    fields: dict[str, dataclasses.Field] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited = base.__dict__.get("__dataclass_fields__")
        if inherited is not None:
            if not getattr(base.__dict__.get("__dataclass_params__"), "frozen", True):
                raise _Unsupported  # dataclasses refuses a frozen class over a mutable one: let it say so
            fields.update(inherited)
    for name, kind in cls.__dict__.get("__annotations__", {}).items():
        text = kind if isinstance(kind, str) else repr(kind)
        if "ClassVar" in text or "InitVar" in text or "KW_ONLY" in text:
            raise _Unsupported
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, dataclasses.Field):
            f = value
        else:
            if isinstance(value, (property, classmethod, staticmethod)):
                raise _Unsupported
            f = dataclasses.field(default=value)
        if getattr(f, "kw_only", MISSING) is True or not f.init:
            raise _Unsupported
        if f.default is not MISSING and type(f.default).__hash__ is None:
            raise ValueError(f"mutable default {type(f.default)} for field {name} is not allowed: use "
                             f"default_factory")
        f.name, f.type, f._field_type = name, kind, _FIELD
        fields[name] = f  # (a field a base class has too keeps its place, as in dataclasses)
    for name in fields:
        if any(hasattr(type(c.__dict__.get(name)), "__set__") for c in cls.__mro__[1:-1]):
            raise _Unsupported  # a base's property or descriptor of that name: assignment must go through it
    # only now, with nothing left to refuse, is the class changed (a refused class goes to dataclasses as written)
    for name in cls.__dict__.get("__annotations__", {}):
        f = fields[name]
        if f.default is not MISSING:
            setattr(cls, name, f.default)
        elif name in cls.__dict__:
            delattr(cls, name)
    return fields


def _all_names(cls: type) -> set[str]:
    return {n for c in cls.__mro__[:-1] for n in c.__dict__}


def _methods(cls: type, shown: list[str], compared: list[str], names: frozenset[str]) -> dict:
    """The methods that need no compiling: they read the fields through one attrgetter."""
    values = attrgetter(*compared) if compared else (lambda obj: ())
    if len(compared) == 1:
        one = values
        values = lambda obj: (one(obj),)  # noqa: E731

    def __repr__(self):  # noqa: N807
        return f"{self.__class__.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in shown)})"

    def __eq__(self, other):  # noqa: N807
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    def __hash__(self):  # noqa: N807
        return hash(values(self))

    def __setattr__(self, name, value):  # noqa: N807
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):  # noqa: N807
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    def __replace__(self, /, **changes):  # noqa: N807  (copy.replace, Python 3.13)
        return dataclasses.replace(self, **changes)

    return {"__repr__": __repr__, "__eq__": __eq__, "__hash__": __hash__, "__setattr__": __setattr__,
            "__delattr__": __delattr__, "__replace__": __replace__}


def _build(cls: type) -> type:
    fields = _fields_of(cls)
    names = list(fields)
    ns: dict = {"MISSING": MISSING, "__builtins__": __builtins__}
    params, body, seen_default = [], [], False
    for name in names:
        f = fields[name]
        if f.default is not MISSING:
            ns[f"_dflt_{name}"] = f.default
            params.append(f"{name}=_dflt_{name}")
            body.append(f"    d[{name!r}] = {name}")
            seen_default = True
        elif f.default_factory is not MISSING:
            ns[f"_fact_{name}"] = f.default_factory
            params.append(f"{name}=MISSING")
            body.append(f"    d[{name!r}] = _fact_{name}() if {name} is MISSING else {name}")
            seen_default = True
        else:
            if seen_default:
                raise TypeError(f"non-default argument {name!r} follows default argument")
            params.append(name)
            body.append(f"    d[{name!r}] = {name}")
    src = [f"def __init__(self, {', '.join(params)}):" if params else "def __init__(self):",
           "    d = self.__dict__", *body, "    pass"]
    exec(compile_cached("\n".join(src), f"<frozen {cls.__module__}.{cls.__qualname__}>"), ns)  # noqa: S102
    ns.update(_methods(cls, [n for n in names if fields[n].repr], [n for n in names if fields[n].compare],
                       frozenset(names)))
    own = cls.__dict__
    for method in ("__setattr__", "__delattr__"):
        if method in own:
            raise TypeError(f"Cannot overwrite attribute {method} in class {cls.__name__}")
    # the class's own __hash__ stays; None set by Python because the body defines __eq__ is not its own
    class_hash = own.get("__hash__", MISSING)
    add = ["__hash__"] if class_hash is MISSING or (class_hash is None and "__eq__" in own) else []
    for method in ("__init__", "__repr__", "__eq__", "__setattr__", "__delattr__", "__replace__"):
        if method not in own:
            add.append(method)
    for method in add:
        fn = ns[method]
        fn.__qualname__ = f"{cls.__qualname__}.{method}"
        setattr(cls, method, fn)
    cls.__dataclass_fields__ = fields
    if "__match_args__" not in own:
        cls.__match_args__ = tuple(names)
    return cls
