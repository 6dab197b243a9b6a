"""What a call names (its Target) and which objects and constants it passes (its Args)."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from ..model import Args, LockPath, Target
from .literals import literal
from .names import Names
from .scope import Frame

# builtins that call a dunder method of their single argument
_DUNDER_BUILTINS = {
    "len": "__len__",
    "iter": "__iter__",
    "next": "__next__",
    "str": "__str__",
    "repr": "__repr__",
    "hash": "__hash__",
    "bool": "__bool__",
    "reversed": "__reversed__",
}


def call_target(node: cst.Call, frame: Frame, names: Names) -> Optional[Target]:
    """What `node` calls, as far as this file tells; None: nothing we can follow."""
    func = node.func
    if isinstance(func, cst.Name):
        return _name_target(node, func.value, frame, names)
    if isinstance(func, cst.Attribute):
        value = func.value
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "super":
            return Target("super", func.attr.value)
        obj = names.path(value, frame)
        if obj is None:
            return None
        return Target("method", func.attr.value, obj)
    if isinstance(func, cst.Subscript):  # self._handlers[name](...): an element, found by value flow
        obj = names.path(func.value, frame)
        return Target("element", "__call__", obj) if obj is not None and obj.scope == "local" else None
    path = names.path(func, frame)
    if path is not None and path.scope == "local" and not path.attrs:
        return Target("dunder", "__call__", path)
    return None


def _name_target(node: cst.Call, name: str, frame: Frame, names: Names) -> Optional[Target]:
    """`f(...)`: a builtin that calls a dunder, a local function, or a global."""
    if name in _DUNDER_BUILTINS and not frame.is_local(name) and name not in names.table and len(node.args) == 1:
        obj = names.path(node.args[0].value, frame)
        if obj is not None and obj.scope == "local":
            return Target("dunder", _DUNDER_BUILTINS[name], obj)
        return None
    if frame.is_local(name):
        local = frame.local_def(name)
        return Target("local", local or name)
    qualified = names.qualify(node.func, frame)
    return Target("global", qualified) if qualified else None


def call_args(node: cst.Call, frame: Frame, names: Names) -> Args:
    positional: List[Optional[LockPath]] = []
    keywords: List[Tuple[str, Optional[LockPath]]] = []
    literals: List[Optional[str]] = []
    keyword_literals: List[Tuple[str, Optional[str]]] = []
    starred = False
    for arg in node.args:
        if arg.star:
            starred = True
            continue
        path = names.path(arg.value, frame)
        if arg.keyword is not None:
            keywords.append((arg.keyword.value, path))
            keyword_literals.append((arg.keyword.value, literal(arg.value)))
        elif not starred:
            positional.append(path)
            literals.append(literal(arg.value))
    return Args(tuple(positional), tuple(keywords), starred, tuple(literals), tuple(keyword_literals))
