"""Assignment and `del` targets: what a name now means in the function, the
attributes a method declares on its instance, and the dunder calls that
assigning to (or deleting) an item or attribute of a local object makes."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Tuple

import libcst as cst

from ..model import Args, LockPath, Target, Value
from .expressions import Expressions
from .held import HeldSet, acquire_blocks, acquired_object
from .names import Names
from .scope import Frame, bind
from .values import value_of

if TYPE_CHECKING:
    from .module import ModuleWalker

# (target, value, annotation, frame, held) -> held; each handler takes one target type
TargetHandler = Callable[..., HeldSet]


class Assignments:
    def __init__(self, expressions: Expressions, names: Names, definitions: ModuleWalker, globals_: List[Tuple[str, Value]]) -> None:
        self.expressions = expressions
        self.names = names
        self.definitions = definitions
        self.globals = globals_  # module-level assignments, in order
        self._targets: Dict[type, TargetHandler] = {
            cst.Name: self._to_name,
            cst.Attribute: self._to_attribute,
            cst.Subscript: self._to_subscript,
            cst.Tuple: self._to_elements,
            cst.List: self._to_elements,
        }

    def assign(
        self,
        target: cst.BaseExpression,
        value: Optional[cst.BaseExpression],
        annotation: Optional[cst.Annotation],
        frame: Frame,
        held: HeldSet,
    ) -> HeldSet:
        """`target = value` (value None: unknown, as in `a, b = ...` or `x += 1`)."""
        handler = self._targets.get(type(target))
        if handler is None:
            return held
        return handler(target, value, annotation, frame, held)

    def delete(self, target: cst.BaseExpression, frame: Frame, held: HeldSet) -> HeldSet:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                held = self.delete(element.value, frame, held)
            return held
        if isinstance(target, cst.Subscript):
            held = self.expressions.children(target, frame, held)
            self.expressions.syntax_call(target, target.value, "dunder", "__delitem__", frame, held)
        return held

    def _value(self, node: Optional[cst.BaseExpression], frame: Frame, annotation: Optional[cst.Annotation]) -> Value:
        return value_of(node, frame, self.names, self.expressions.sites, annotation)

    # -- one handler per target type ---------------------------------------

    def _to_name(self, target: cst.Name, value, annotation, frame: Frame, held: HeldSet) -> HeldSet:
        if frame.is_module:
            if value is not None or annotation is not None:
                self.globals.append((target.value, self._value(value, frame, annotation)))
            return held
        path = self.names.path(value, frame) if value is not None else None
        bind(target, frame)
        self._bind_local(target.value, value, annotation, path, frame)
        if value is not None:
            self.expressions.spawned.bind(frame, target.value, value)
        if isinstance(value, cst.Call) and frame.last_call is not None and frame.last_call[0] == id(value):
            frame.pending[target.value] = frame.last_call[1]  # `it = self.rows()`: iterating `it` runs rows() if it is a generator
        return held

    def _bind_local(self, name: str, value, annotation, path: Optional[LockPath], frame: Frame) -> None:
        """Remember what a local name now means: a lambda, an alias of an object,
        the result of an acquire(), or a value."""
        acquired = acquired_object(value) if value is not None else None
        if isinstance(value, cst.Lambda):
            frame.local_defs[name] = self.definitions.lambda_(value, name, frame)
        elif path is not None and path.scope == "local" and path.base != name:
            frame.aliases[name] = path  # `lock = self._lock`
        elif path is not None and path.scope == "global":
            frame.aliases[name] = path
        elif acquired is not None:  # `ok = lock.acquire(False)`: `if ok:` tells whether it is held
            # a try-acquire (non-blocking or timed): its success proves the lock was free
            call = value.expression if isinstance(value, cst.Await) else value
            blocks = acquire_blocks(call) if isinstance(call, cst.Call) else True
            frame.local_values[name] = Value(arg0=self.names.path(acquired, frame), acquired="blocking" if blocks else "try")
        elif value is not None or annotation is not None:
            frame.local_values[name] = self._value(value, frame, annotation)

    def _to_attribute(self, target: cst.Attribute, value, annotation, frame: Frame, held: HeldSet) -> HeldSet:
        obj = self.names.path(target.value, frame)
        if obj is None:
            return self.expressions.walk(target.value, frame, held)
        if frame.cls is not None and obj.scope == "local" and obj.base == frame.self_name and not obj.attrs:
            self._declare_instance_attribute(target.attr.value, value, annotation, frame)
        if obj.scope == "local":
            made = self.expressions.spawned.kept(value, frame) if value is not None else -1  # `self._futures = [pool.submit(f) ...]`
            self.expressions.emit_call(target, Target("attr", target.attr.value, obj, writes=True), Args(), frame, held, made=made)
        self.expressions.facts.store(target, value, frame)
        return held

    def _declare_instance_attribute(self, name: str, value, annotation, frame: Frame) -> None:
        """`self.name = value` in a method declares an attribute of the class."""
        assert frame.cls is not None
        decl = self._value(value, frame, annotation)
        if decl.annotation is None and isinstance(value, cst.Name) and value.value in frame.param_types:
            decl = replace(decl, annotation=frame.param_types[value.value])  # self._x = x, with x: Class
        if decl.arg0 is not None and decl.arg0.scope == "local" and decl.arg0.base == frame.self_name:
            # Condition(self._lock): name the wrapped lock relative to the instance
            decl = replace(decl, arg0=LockPath("", decl.arg0.attrs, "instance"))
        frame.cls.instance_attrs.append((name, decl))

    def _to_subscript(self, target: cst.Subscript, value, annotation, frame: Frame, held: HeldSet) -> HeldSet:
        held = self.expressions.children(target, frame, held)
        obj = self.names.path(target.value, frame)
        if obj is not None and obj.scope == "local":  # as syntax_call, with the future it keeps
            made = self.expressions.spawned.kept(value, frame) if value is not None and obj.attrs else -1  # `self._futures[key] = pool.submit(f)`
            self.expressions.emit_call(target, Target("dunder", "__setitem__", obj), Args(), frame, held, made=made)
        self.expressions.facts.store_item(target, value, frame)
        return held

    def _to_elements(self, target, value, annotation, frame: Frame, held: HeldSet) -> HeldSet:
        for element in target.elements:
            inner = element.value
            held = self.assign(inner.value if isinstance(inner, cst.StarredElement) else inner, None, None, frame, held)
        return held
