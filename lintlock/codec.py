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
from typing import Any, Callable, Dict, Iterable, List, Tuple

_TAG = "!"
_VALUE = "="
_UNION = typing.Union


class Malformed(ValueError):
    """The data is not something this codec writes."""


class Codec:
    def __init__(self, classes: Iterable[type]) -> None:
        self._classes: Dict[str, type] = {}
        for cls in classes:
            if not (dataclasses.is_dataclass(cls) or issubclass(cls, enum.Enum)):
                raise TypeError(f"{cls!r} is neither a dataclass nor an enum")
            self._classes[cls.__name__] = cls
        self._decoders: Dict[Any, Callable[[Any], Any]] = {}
        self._fields: Dict[type, Tuple[Tuple[str, Any], ...]] = {}

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
        for name, default in self._defaults(cls):
            item = getattr(value, name)
            if default is not dataclasses.MISSING and type(item) is type(default) and item == default:
                continue  # left out: decoding restores the default
            encoded[name] = self.encode(item)
        return encoded

    def _defaults(self, cls: type) -> Tuple[Tuple[str, Any], ...]:
        if cls not in self._fields:
            self._fields[cls] = tuple((f.name, f.default) for f in dataclasses.fields(cls))
        return self._fields[cls]

    # -- reading -----------------------------------------------------------
    # Each type hint is compiled once into a function that checks and builds a
    # value (summaries hold hundreds of thousands of values: no per-value
    # dispatch on typing objects).

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
        return self._decoder(hint)(data)

    def _decoder(self, hint: Any) -> Callable[[Any], Any]:
        try:
            return self._decoders[hint]
        except KeyError:
            pass
        except TypeError:  # an unhashable hint
            return self._compile(hint)
        self._decoders[hint] = self._late(hint)  # recursive classes: compiled on first use
        decoder = self._compile(hint)
        self._decoders[hint] = decoder
        return decoder

    def _late(self, hint: Any) -> Callable[[Any], Any]:
        return lambda data: self._decoders[hint](data)

    def _compile(self, hint: Any) -> Callable[[Any], Any]:
        if hint is object or hint is Any:
            return self._untyped
        origin = typing.get_origin(hint)
        if origin is _UNION:
            return self._union(typing.get_args(hint))
        if origin is tuple:
            return self._tuple(typing.get_args(hint))
        if origin is frozenset:
            (item_hint,) = typing.get_args(hint) or (object,)
            item = self._decoder(item_hint)
            return lambda data: frozenset(item(x) for x in self._tagged_items(data, "frozenset"))
        if origin is typing.Literal:
            return _literal(typing.get_args(hint))
        if isinstance(hint, type):
            return self._of_type(hint)
        return self._untyped  # a hint this codec does not know: still only registered types

    def _of_type(self, hint: type) -> Callable[[Any], Any]:
        if hint in _SCALARS:
            return _SCALARS[hint]
        if self._classes.get(hint.__name__) is hint:
            return self._class_decoder(hint)

        def checked(data: Any) -> Any:
            value = self._untyped(data)
            if not isinstance(value, hint):
                raise Malformed(f"a {type(value).__name__} where a {hint.__name__} belongs")
            return value

        return checked

    def _union(self, options: Tuple[Any, ...]) -> Callable[[Any], Any]:
        nullable = type(None) in options
        members = [o for o in options if o is not type(None)]
        if all(isinstance(o, type) and self._classes.get(o.__name__) is o for o in members):
            return self._tagged_union(members, nullable)
        decoders = [self._decoder(o) for o in members]
        if len(decoders) == 1:
            (only,) = decoders
            return (lambda data: None if data is None else only(data)) if nullable else only

        def union(data: Any) -> Any:
            if data is None and nullable:
                return None
            for decoder in decoders:
                try:
                    return decoder(data)
                except Malformed:
                    continue
            raise Malformed(f"{data!r} fits none of {options}")

        return union

    def _tagged_union(self, members: List[type], nullable: bool) -> Callable[[Any], Any]:
        """A union of registered classes (FunctionSummary.events): the tag says which, no trial decoding."""
        if len(members) == 1 and not nullable:
            return self._decoder(members[0])
        by_tag = {cls.__name__: self._decoder(cls) for cls in members}

        def tagged(data: Any) -> Any:
            if data is None and nullable:
                return None
            tag = data.get(_TAG) if type(data) is dict else None
            decoder = by_tag.get(tag) if type(tag) is str else None
            if decoder is None:
                raise Malformed(f"{str(data)[:80]} is none of {sorted(by_tag)}")
            return decoder(data)

        return tagged

    def _tuple(self, items: Tuple[Any, ...]) -> Callable[[Any], Any]:
        if len(items) == 2 and items[1] is Ellipsis:
            item = self._decoder(items[0])
            if items[0] is str:
                return _strings

            def homogeneous(data: Any) -> tuple:
                if type(data) is not list:
                    raise Malformed(f"{data!r} is not a list")
                return tuple([item(x) for x in data])

            return homogeneous
        if not items:  # bare Tuple
            return lambda data: tuple(self._untyped(x) for x in _list(data))
        decoders = [self._decoder(i) for i in items]

        def fixed(data: Any) -> tuple:
            if type(data) is not list or len(data) != len(decoders):
                raise Malformed(f"{data!r} is not a list of {len(decoders)}")
            return tuple([decoder(x) for decoder, x in zip(decoders, data)])

        return fixed

    def _tagged_items(self, data: Any, tag: str) -> list:
        if not isinstance(data, dict) or data.get(_TAG) != tag or set(data) != {_TAG, _VALUE} or not isinstance(data[_VALUE], list):
            raise Malformed(f"{data!r} is not a {tag}")
        return data[_VALUE]

    def _untyped(self, data: Any) -> Any:
        kind = type(data)
        if data is None or kind in _PLAIN:
            return data
        if kind is list:
            return tuple([self._untyped(item) for item in data])
        if kind is not dict:
            raise Malformed(f"unexpected {kind.__name__}")
        tag = data.get(_TAG)
        if tag == "frozenset":
            return frozenset(self._untyped(item) for item in self._tagged_items(data, tag))
        cls = self._classes.get(tag) if isinstance(tag, str) else None
        if cls is None:
            raise Malformed(f"unknown type {tag!r}")
        return self._decoder(cls)(data)

    def _class_decoder(self, cls: type) -> Callable[[Any], Any]:
        name = cls.__name__
        if issubclass(cls, enum.Enum):

            def member(data: Any) -> Any:
                if type(data) is not dict or data.get(_TAG) != name or set(data) != {_TAG, _VALUE}:
                    raise Malformed(f"{data!r} is not a {name}")
                try:
                    return cls(data[_VALUE])
                except ValueError:
                    raise Malformed(f"{data[_VALUE]!r} is not a {name}") from None

            return member
        hints = typing.get_type_hints(cls)
        init_fields = [f for f in dataclasses.fields(cls) if f.init]  # type: ignore[arg-type]
        decoders = {f.name: self._decoder(hints.get(f.name, object)) for f in init_fields}
        defaults = {f.name: f.default for f in init_fields if f.default is not dataclasses.MISSING}
        optional = {f.name for f in init_fields if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING}
        # plain frozen dataclasses are filled directly (their __init__ would only set the
        # same fields, one frozen __setattr__ at a time); anything with its own init logic is called
        direct = not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__") and len(defaults) == len(optional)
        count = len(init_fields)

        def instance(data: Any) -> Any:
            if type(data) is not dict or data.get(_TAG) != name:
                raise Malformed(f"{str(data)[:80]} is not a {name}")
            values = dict(defaults)
            for key, raw in data.items():
                decoder = decoders.get(key)
                if decoder is not None:
                    values[key] = decoder(raw)
                elif key != _TAG:
                    raise Malformed(f"{name} has no field {key!r}")
            if not direct:
                if not optional.union(values).issuperset(decoders):
                    raise Malformed(f"{name} lacks a field")
                try:
                    return cls(**values)
                except (TypeError, ValueError) as error:  # a __post_init__ that validates
                    raise Malformed(f"{name}: {error}") from None
            if len(values) != count:
                raise Malformed(f"{name} lacks {sorted(set(decoders) - set(values))[0]!r}")
            made = cls.__new__(cls)
            made.__dict__.update(values)
            return made

        return instance


_PLAIN = frozenset({bool, int, float, str})


def _scalar(kind: type) -> Callable[[Any], Any]:
    def exact(data: Any) -> Any:
        if type(data) is not kind:
            raise Malformed(f"{data!r} is not a {kind.__name__}")
        return data

    return exact


def _number(data: Any) -> float:
    if type(data) not in (int, float):
        raise Malformed(f"{data!r} is not a number")
    return float(data)


def _none(data: Any) -> None:
    if data is not None:
        raise Malformed(f"{data!r} is not None")
    return None


_SCALARS: Dict[type, Callable[[Any], Any]] = {bool: _scalar(bool), int: _scalar(int), str: _scalar(str), float: _number, type(None): _none}


def _list(data: Any) -> list:
    if type(data) is not list:
        raise Malformed(f"{data!r} is not a list")
    return data


def _strings(data: Any) -> tuple:
    if type(data) is not list or not all(type(x) is str for x in data):
        raise Malformed(f"{data!r} is not a list of strings")
    return tuple(data)


def _literal(options: Tuple[Any, ...]) -> Callable[[Any], Any]:
    def literal(data: Any) -> Any:
        if isinstance(data, (list, dict)) or data not in options:
            raise Malformed(f"{data!r} is not one of {options}")
        return data

    return literal


def dataclasses_and_enums(module: Any) -> Tuple[type, ...]:
    """Every dataclass and enum a module defines (its own, not the ones it imports)."""
    found = []
    for value in vars(module).values():
        if isinstance(value, type) and value.__module__ == module.__name__ and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum)):
            found.append(value)
    return tuple(found)
