"""Frozen dataclasses <-> JSON, for the cache: data only, validated on the way in.

The cache lives on disk where anyone who can write the analysed tree (or the
cache folder) can plant a file, so loading must never run code: no pickle.
Only the classes given to a Codec can be built, each field is checked against
the dataclass's type hints, and anything else raises Malformed (the cache
treats it as a miss). Driven by `dataclasses.fields` and the hints, so classes
that gain fields need no change here.

Encoding: JSON scalars as themselves, tuples as lists, a dataclass as
{"!": "ClassName", field: value...} without the fields equal to their default,
an enum as {"!": "EnumName", "=": value}, a frozenset as {"!": "frozenset", "=": [...]}.
"""
from __future__ import annotations

import dataclasses
import enum
import json
import typing
from typing import Any, Dict, Iterable, Tuple

_TAG = "!"
_VALUE = "="
_UNION = getattr(typing, "Union")


class Malformed(ValueError):
    """The data is not something this codec writes."""


class Codec:
    def __init__(self, classes: Iterable[type]) -> None:
        self._classes: Dict[str, type] = {}
        for cls in classes:
            if not (dataclasses.is_dataclass(cls) or issubclass(cls, enum.Enum)):
                raise TypeError(f"{cls!r} is neither a dataclass nor an enum")
            self._classes[cls.__name__] = cls
        self._hints: Dict[type, Dict[str, Any]] = {}

    # -- writing -----------------------------------------------------------

    def dumps(self, value: Any) -> bytes:
        return json.dumps(self.encode(value), separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def encode(self, value: Any) -> Any:
        if value is None or isinstance(value, (bool, int, float, str)) and not isinstance(value, enum.Enum):
            return value
        if isinstance(value, tuple):
            return [self.encode(item) for item in value]
        if isinstance(value, frozenset):
            return {_TAG: "frozenset", _VALUE: [self.encode(item) for item in value]}
        cls = type(value)
        if self._classes.get(cls.__name__) is not cls:
            raise TypeError(f"{cls.__name__} is not registered with this codec")
        if isinstance(value, enum.Enum):
            return {_TAG: cls.__name__, _VALUE: self.encode(value.value)}
        encoded: Dict[str, Any] = {_TAG: cls.__name__}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if field.default is not dataclasses.MISSING and item == field.default and type(item) is type(field.default):
                continue
            encoded[field.name] = self.encode(item)
        return encoded

    # -- reading -----------------------------------------------------------

    def loads(self, data: bytes, hint: Any = object) -> Any:
        try:
            document = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError) as error:
            raise Malformed(f"not JSON: {error}") from None
        try:
            return self.decode(document, hint)
        except RecursionError:
            raise Malformed("nested too deeply") from None

    def decode(self, data: Any, hint: Any = object) -> Any:
        """`data` as a value of type `hint` (object/Any: whatever registered type it names)."""
        if hint is object or hint is Any:
            return self._untyped(data)
        origin = typing.get_origin(hint)
        if origin is _UNION:
            return self._union(data, typing.get_args(hint))
        if origin is tuple:
            return self._tuple(data, typing.get_args(hint))
        if origin is frozenset:
            items = self._tagged_items(data, "frozenset")
            (item_hint,) = typing.get_args(hint) or (object,)
            return frozenset(self.decode(item, item_hint) for item in items)
        if origin is typing.Literal:
            if data not in typing.get_args(hint) or isinstance(data, (list, dict)):
                raise Malformed(f"{data!r} is not one of {typing.get_args(hint)}")
            return data
        if isinstance(hint, type):
            return self._of_type(data, hint)
        return self._untyped(data)  # a hint this codec does not know: still only registered types

    def _of_type(self, data: Any, hint: type) -> Any:
        if hint is bool or hint is str:
            if type(data) is not hint:
                raise Malformed(f"{data!r} is not a {hint.__name__}")
            return data
        if hint is int:
            if type(data) is not int:
                raise Malformed(f"{data!r} is not an int")
            return data
        if hint is float:
            if type(data) not in (int, float):
                raise Malformed(f"{data!r} is not a number")
            return float(data)
        if hint is type(None):
            if data is not None:
                raise Malformed(f"{data!r} is not None")
            return None
        value = self._untyped(data)
        if not isinstance(value, hint):
            raise Malformed(f"a {type(value).__name__} where a {hint.__name__} belongs")
        return value

    def _union(self, data: Any, options: Tuple[Any, ...]) -> Any:
        if data is None and type(None) in options:
            return None
        for option in options:
            if option is type(None):
                continue
            try:
                return self.decode(data, option)
            except Malformed:
                continue
        raise Malformed(f"{data!r} fits none of {options}")

    def _tuple(self, data: Any, items: Tuple[Any, ...]) -> tuple:
        if not isinstance(data, list):
            raise Malformed(f"{data!r} is not a list")
        if len(items) == 2 and items[1] is Ellipsis:
            return tuple(self.decode(item, items[0]) for item in data)
        if not items:  # bare Tuple
            return tuple(self._untyped(item) for item in data)
        if len(items) != len(data):
            raise Malformed(f"{len(data)} items where {len(items)} belong")
        return tuple(self.decode(item, item_hint) for item, item_hint in zip(data, items))

    def _tagged_items(self, data: Any, tag: str) -> list:
        if not isinstance(data, dict) or data.get(_TAG) != tag or set(data) != {_TAG, _VALUE} or not isinstance(data[_VALUE], list):
            raise Malformed(f"{data!r} is not a {tag}")
        return data[_VALUE]

    def _untyped(self, data: Any) -> Any:
        if data is None or type(data) in (bool, int, float, str):
            return data
        if isinstance(data, list):
            return tuple(self._untyped(item) for item in data)
        if not isinstance(data, dict):
            raise Malformed(f"unexpected {type(data).__name__}")
        tag = data.get(_TAG)
        if tag == "frozenset":
            return frozenset(self._untyped(item) for item in self._tagged_items(data, tag))
        cls = self._classes.get(tag) if isinstance(tag, str) else None
        if cls is None:
            raise Malformed(f"unknown type {tag!r}")
        if issubclass(cls, enum.Enum):
            if set(data) != {_TAG, _VALUE}:
                raise Malformed(f"bad {tag}")
            try:
                return cls(data[_VALUE])
            except ValueError:
                raise Malformed(f"{data[_VALUE]!r} is not a {tag}") from None
        return self._dataclass(cls, data)

    def _dataclass(self, cls: type, data: Dict[str, Any]) -> Any:
        hints = self._hints_of(cls)
        known = {f.name: f for f in dataclasses.fields(cls) if f.init}
        extra = set(data) - set(known) - {_TAG}
        if extra:
            raise Malformed(f"{cls.__name__} has no field {sorted(extra)[0]!r}")
        values = {}
        for name, field in known.items():
            if name in data:
                values[name] = self.decode(data[name], hints.get(name, object))
            elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:  # type: ignore[misc]
                raise Malformed(f"{cls.__name__} lacks {name!r}")
        try:
            return cls(**values)
        except (TypeError, ValueError) as error:  # a __post_init__ that validates
            raise Malformed(f"{cls.__name__}: {error}") from None

    def _hints_of(self, cls: type) -> Dict[str, Any]:
        if cls not in self._hints:
            self._hints[cls] = typing.get_type_hints(cls)
        return self._hints[cls]


def dataclasses_and_enums(module: Any) -> Tuple[type, ...]:
    """Every dataclass and enum a module defines (its own, not the ones it imports)."""
    found = []
    for value in vars(module).values():
        if isinstance(value, type) and value.__module__ == module.__name__ and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum)):
            found.append(value)
    return tuple(found)
