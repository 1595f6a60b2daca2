"""``greendesk.core.frozen``: each class it builds behaves as ``@dataclass(frozen=True)`` builds it."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import field
from typing import ClassVar

import pytest

from greendesk.core.frozen import frozen


def _pair(body: dict, bases: tuple = ()) -> tuple[type, type]:
    """The same class body made twice: once by dataclasses, once by ``frozen``."""
    def make(deco):
        ns = {k: (copy.copy(v) if isinstance(v, dataclasses.Field) else v) for k, v in body.items()}
        return deco(type("Thing", bases, ns))
    return make(dataclasses.dataclass(frozen=True)), make(frozen)


BODY = {
    "__annotations__": {"id": "str", "points": "float", "label": "dict", "kids": "tuple", "cache": "dict"},
    "points": 1.5,
    "label": field(default_factory=dict),
    "kids": (),
    "cache": field(default_factory=dict, repr=False, compare=False),
    "title": lambda self: self.label.get("zh", self.id),
}


def test_same_behaviour_as_dataclasses():
    ref, fast = _pair(BODY)
    assert fast.__dataclass_fields__ is not ref.__dataclass_fields__
    for cls in (ref, fast):
        a = cls("x")
        b = cls("x", 1.5, {}, (), {"other": 1})
        assert (a.id, a.points, a.label, a.kids, a.cache) == ("x", 1.5, {}, (), {})
        assert a == b  # cache is not compared
        assert a != cls("y")
        assert cls("x", label={"zh": "甲"}).title() == "甲"
        assert cls("x").label is not cls("x").label  # a fresh value per instance
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'id'"):
            a.id = "z"
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'points'"):
            del a.points
        with pytest.raises(TypeError):
            cls()  # id has no default
        with pytest.raises(TypeError):
            cls("x", nope=1)
    assert repr(fast("x", 2, {"zh": "甲"})) == repr(ref("x", 2, {"zh": "甲"}))
    assert "cache" not in repr(fast("x"))
    assert fast.__match_args__ == ref.__match_args__
    assert fast.points == 1.5 and "label" not in fast.__dict__  # a class default stays; a factory field has none


def test_hash_follows_the_compared_fields():
    ref, fast = _pair({"__annotations__": {"a": "int", "b": "str", "c": "int"}, "c": field(default=0, compare=False)})
    assert hash(fast(1, "x", 5)) == hash(fast(1, "x", 9)) == hash(ref(1, "x", 7))
    assert len({fast(1, "x"), fast(1, "x"), fast(2, "x")}) == 2
    with pytest.raises(TypeError):
        hash(frozen(type("D", (), {"__annotations__": {"d": "dict"}}))({}))


def test_class_methods_of_its_own_are_kept():
    def eq(self, other):
        return True

    cls = frozen(type("E", (), {"__annotations__": {"a": "int"}, "__eq__": eq, "__repr__": lambda self: "E!"}))
    assert cls(1) == cls(2) and repr(cls(1)) == "E!"
    assert hash(cls(1)) == hash(cls(1))  # Python's None (from the body's __eq__) is replaced, as in dataclasses
    own_hash = frozen(type("H", (), {"__annotations__": {"a": "int"}, "__hash__": lambda self: 7}))
    assert hash(own_hash(1)) == 7
    with pytest.raises(TypeError, match="__setattr__"):
        frozen(type("S", (), {"__annotations__": {"a": "int"}, "__setattr__": lambda *a: None}))


def test_dataclasses_functions_work_on_it():
    _, fast = _pair(BODY)
    a = fast("x", 2.0, {"zh": "甲"})
    assert dataclasses.is_dataclass(fast) and dataclasses.is_dataclass(a)
    assert [f.name for f in dataclasses.fields(a)] == ["id", "points", "label", "kids", "cache"]
    b = dataclasses.replace(a, points=3.0)
    assert (b.id, b.points, b.label) == ("x", 3.0, {"zh": "甲"}) and a.points == 2.0
    assert dataclasses.asdict(a) == {"id": "x", "points": 2.0, "label": {"zh": "甲"}, "kids": (), "cache": {}}
    assert copy.deepcopy(a) == a
    assert a.__replace__(points=4.0) == fast("x", 4.0, {"zh": "甲"})  # what copy.replace calls (Python 3.13)


def test_pickles_when_importable():
    from greendesk.core.meters.catalog import Unit

    u = Unit("万kWh", "kWh", 10000.0)
    assert pickle.loads(pickle.dumps(u)) == u


def test_inherits_fields_of_a_frozen_base():
    base = frozen(type("B", (), {"__annotations__": {"a": "int", "b": "int"}, "b": 2}))
    sub = frozen(type("C", (base,), {"__annotations__": {"c": "int"}, "c": 3}))
    assert repr(sub(1)) == "C(a=1, b=2, c=3)"
    assert sub(1) != base(1, 2)  # another class is never equal


def test_refusals_match_dataclasses():
    with pytest.raises(ValueError, match="mutable default"):
        frozen(type("M", (), {"__annotations__": {"a": "list"}, "a": []}))
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        frozen(type("O", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 1}))


def test_what_it_does_not_do_goes_to_dataclasses():
    class WithClassVar:
        __annotations__ = {"a": "int", "seen": ClassVar[int]}
        seen = 0

    cls = frozen(WithClassVar)
    assert [f.name for f in dataclasses.fields(cls)] == ["a"]
    assert cls.seen == 0

    class FactoryThenClassVar:  # refused at its second field: the first reaches dataclasses as written
        __annotations__ = {"tags": "dict", "seen": ClassVar[int]}
        tags = field(default_factory=dict)
        seen = 0

    made = frozen(FactoryThenClassVar)()
    assert made.tags == {} and "__dataclass_params__" in FactoryThenClassVar.__dict__

    calls = []

    class Post:
        __annotations__ = {"a": "int"}

        def __post_init__(self):
            calls.append(self.a)

    frozen(Post)(5)
    assert calls == [5]
    assert "__dataclass_params__" in Post.__dict__  # made by dataclasses itself
