"""Value-flow facts (lintlock.model.Flow), recorded by the handlers that meet
the syntax: assignments, calls, `for` loops and returns. Plain data only; the
points-to fixpoint over them runs at link time (lintlock.program.valueflow)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Tuple

import libcst as cst

from ..model import Flow, FlowKind, LockPath
from .literals import is_none
from .names import Names
from .scope import Frame
from .sites import Sites
from .spawned import makes_task, seen_through

if TYPE_CHECKING:
    from .module import ModuleWalker

# container methods that store their last positional argument among the elements
_INSERTS = frozenset({"append", "appendleft", "add", "insert", "setdefault", "put", "put_nowait"})
_EXTENDS = frozenset({"extend", "update"})
_PARTIALS = frozenset({"functools.partial", "functools.partialmethod"})

# what flows: (object path, lambda/def qualname, constructor name, a partial)
Source = Tuple[Optional[LockPath], str, str, bool]


class Facts:
    def __init__(self, names: Names, sites: Sites) -> None:
        self.names = names
        self.sites = sites
        self.definitions: Optional[ModuleWalker] = None  # set by the walker: inline lambdas become functions

    def source(self, node: cst.BaseExpression, frame: Frame) -> Optional[Source]:
        """What an expression hands on, when it is a path, a lambda, a new object or a partial."""
        if isinstance(node, cst.Lambda) and self.definitions is not None:
            return None, self.definitions.lambda_(node, f"<lambda>{self.sites.next_site}", frame), "", False
        if isinstance(node, cst.Call):
            return self._call_source(node, frame)
        if is_none(node) or (isinstance(node, cst.Name) and node.value in ("True", "False")):
            return None
        path = self.names.path(node, frame)
        return None if path is None else (path, "", "", False)

    def _call_source(self, node: cst.Call, frame: Frame) -> Optional[Source]:
        callee = self.names.qualify(node.func, frame)
        if callee in _PARTIALS and node.args and node.args[0].keyword is None:
            inner = self.source(node.args[0].value, frame)
            return None if inner is None else (inner[0], inner[1], inner[2], True)
        task = _task_of(node, callee)
        if task is not None:  # `asyncio.create_task(self._run())`: the task runs self._run when awaited
            coroutine = self.names.path(task.func, frame)
            return None if coroutine is None else (coroutine, "", "", True)
        # maybe a new object (`HttpBackend(...)`, `backends.tcp(...)`): linking keeps the calls of classes
        if callee is None or callee.startswith("builtins."):
            return None
        return None, "", callee, False

    def _add(self, frame: Frame, kind: FlowKind, dest: Optional[LockPath], found: Optional[Source], site: int, slot: str = "", element: bool = False) -> None:
        if found is None:
            return
        path, function, callee, partial = found
        frame.flows.append(Flow(kind, dest, path, function, callee, slot, partial, site, element))

    def store(self, target: cst.Attribute, value: Optional[cst.BaseExpression], frame: Frame) -> None:
        """`obj.attr = value`; a literal container's elements go into obj.attr's elements."""
        dest = self.names.path(target, frame)
        if value is not None and dest is not None and dest.scope == "local":
            for element in _literal_elements(value):
                self._add(frame, "insert", dest, self.source(element, frame), self.sites.number(element))
            for spread in _spread_elements(value):  # `[*others]`, `{**defaults}`: their elements too
                frame.flows.append(Flow("extend", dest, self.names.path(spread, frame), site=self.sites.number(spread)))
            found = self.source(value, frame)
            if found is not None:
                self._add(frame, "store", dest, found, self.sites.number(value))

    def store_item(self, target: cst.Subscript, value: Optional[cst.BaseExpression], frame: Frame) -> None:
        """`obj[key] = value`: value among obj's elements."""
        dest = self.names.path(target.value, frame)
        if value is not None and dest is not None:
            found = self.source(value, frame)
            if found is not None:
                self._add(frame, "insert", dest, found, self.sites.number(value))

    def call(self, node: cst.Call, site: int, frame: Frame) -> None:
        """Inserts into containers, and lambdas or new objects passed as arguments."""
        func = node.func
        positional = [a for a in node.args if a.keyword is None and not a.star]
        if isinstance(func, cst.Attribute) and positional and func.attr.value in _INSERTS | _EXTENDS:
            dest = self.names.path(func.value, frame)
            if dest is not None:
                kind: FlowKind = "insert" if func.attr.value in _INSERTS else "extend"
                self._add(frame, kind, dest, self.source(positional[-1].value, frame), site)
                return
        for index, arg in enumerate(node.args):
            if not arg.star:
                self._argument(arg, index, site, frame)

    def _argument(self, arg: cst.Arg, index: int, site: int, frame: Frame) -> None:
        """What an argument no path names passes: a lambda, a new object, partial(self.m, ...)
        (its path, marked), or an element of a container (`Thread(target=self._jobs[name])`)."""
        value = arg.value
        slot = arg.keyword.value if arg.keyword is not None else str(index)
        if isinstance(value, (cst.Lambda, cst.Call)):
            found = self.source(value, frame)
            if found is not None:
                self._add(frame, "argument", found[0], found, site, slot)
        elif isinstance(value, cst.Subscript):
            container = self.names.path(value.value, frame)
            if container is not None and container.scope == "local":
                self._add(frame, "argument", container, (container, "", "", False), site, slot, element=True)

    def iterate(self, stmt: cst.For, frame: Frame) -> None:
        """`for fn in self._listeners:` (or over a copy, or `.items()` into `key, fn`)."""
        source, target = _iterated(stmt.iter, stmt.target)
        if source is None or not isinstance(target, cst.Name):
            return
        path = self.names.path(source, frame)
        if path is not None:
            frame.flows.append(Flow("iterate", LockPath(target.value), path, site=self.sites.number(source)))

    def returns(self, value: cst.BaseExpression, frame: Frame) -> None:
        found = self.source(value, frame) if not isinstance(value, cst.Lambda) else None
        if found is not None:
            self._add(frame, "return", None, found, self.sites.number(value))


def _task_of(node: cst.Call, callee: Optional[str]) -> Optional[cst.Call]:
    """The coroutine call a task is made of (`asyncio.create_task(self._run())` -> `self._run()`)."""
    made = makes_task(node, callee)
    positional = [a.value for a in node.args if a.keyword is None and not a.star]
    return positional[0] if made and len(positional) == 1 and isinstance(positional[0], cst.Call) else None


def _literal_elements(node: cst.BaseExpression) -> Tuple[cst.BaseExpression, ...]:
    """The values of a literal list, tuple, set or dict (`{"a": threading.Lock()}`)."""
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return tuple(e.value for e in node.elements if isinstance(e, cst.Element))
    if isinstance(node, cst.Dict):
        return tuple(e.value for e in node.elements if isinstance(e, cst.DictElement))
    return ()


def _spread_elements(node: cst.BaseExpression) -> Tuple[cst.BaseExpression, ...]:
    """What `*x` / `**x` spread into a literal list, tuple, set or dict."""
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return tuple(e.value for e in node.elements if isinstance(e, cst.StarredElement))
    if isinstance(node, cst.Dict):
        return tuple(e.value for e in node.elements if isinstance(e, cst.StarredDictElement))
    return ()


def _iterated(source: cst.BaseExpression, target: cst.BaseExpression) -> Tuple[Optional[cst.BaseExpression], cst.BaseExpression]:
    """The container a loop reads its elements from, seeing through copies and views; and the
    name that gets them (the value of `key, value` over `.items()`)."""
    source = seen_through(source)
    if isinstance(source, cst.Call) and not source.args and isinstance(target, cst.Tuple) and len(target.elements) == 2:
        func = source.func
        if isinstance(func, cst.Attribute) and func.attr.value == "items":
            source, target = seen_through(func.value), target.elements[1].value
    return (None, target) if isinstance(source, cst.Call) else (source, target)
