"""What a name is bound to, as plain data: the Value of an assignment, a class
attribute or a return (`threading.Lock()`, `Condition(self._lock)`, `other`)."""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from ..model import LockPath, Value
from .literals import int_literal, is_none
from .names import Names
from .scope import Frame
from .sites import Sites

# keywords that name what the constructor wraps or counts: Condition(lock=...), Semaphore(value=...)
_FIRST_ARGUMENT_KEYWORDS = ("lock", "value", "maxsize")


def value_of(
    node: Optional[cst.BaseExpression],
    frame: Frame,
    names: Names,
    sites: Sites,
    annotation: Optional[cst.Annotation] = None,
) -> Value:
    ann = names.annotation(annotation.annotation, frame) if annotation is not None else None
    site = sites.number(node) if node is not None else -1
    if isinstance(node, cst.Call):
        return _call_value(node, frame, names, ann, site)
    if node is None or is_none(node):
        return Value(annotation=ann, site=site)
    return Value(arg0=names.path(node, frame), annotation=ann, site=site)


def _call_value(node: cst.Call, frame: Frame, names: Names, ann: Optional[str], site: int) -> Value:
    callee = names.qualify(node.func, frame)
    default_of = None
    if callee is None and isinstance(node.func, cst.Name) and node.func.value in frame.param_defaults:
        callee, default_of = frame.param_defaults[node.func.value], (frame.qualname, node.func.value)  # `lock_cls()`
    method = callee is None and isinstance(node.func, cst.Attribute)
    if method and isinstance(node.func, cst.Attribute):
        callee = node.func.attr.value  # pool.submit(fn): a method of a local object
    if callee == "dataclasses.field":
        factory = _keyword(node, "default_factory")
        if factory is not None:
            return Value(callee=names.qualify(factory, frame), annotation=ann, site=site)
    arg0, int0 = _first_argument(node, frame, names)
    keywords = tuple((arg.keyword.value, path) for arg in node.args if arg.keyword is not None for path in [names.path(arg.value, frame)] if path is not None)
    return Value(callee=callee, arg0=arg0, int0=int0, nargs=len(node.args), keywords=keywords, annotation=ann, site=site, default_of=default_of, method=method)


def _keyword(node: cst.Call, keyword: str) -> Optional[cst.BaseExpression]:
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


def _first_argument(node: cst.Call, frame: Frame, names: Names) -> Tuple[Optional[LockPath], Optional[int]]:
    """The object and the integer the first argument names (or its keyword form)."""
    positional = [a for a in node.args if a.keyword is None and not a.star]
    arg0 = names.path(positional[0].value, frame) if positional else None
    int0 = int_literal(positional[0].value) if positional else None
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value in _FIRST_ARGUMENT_KEYWORDS and arg0 is None and int0 is None:
            arg0 = names.path(arg.value, frame)
            int0 = int_literal(arg.value)
    return arg0, int0
