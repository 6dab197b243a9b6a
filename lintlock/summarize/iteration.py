"""Where a call's result is iterated right away, so that a generator's body runs there.

Calling a generator function runs none of its body; iterating the generator
runs it. The walk marks the expressions whose value is iterated where it is
evaluated (`consumed`, by node identity): the iterable of a `for` or of a
list/set/dict comprehension, the argument of a builtin that iterates
(`list(f())`, `sum(x for x in f())`) or of a method that does
(`", ".join(f())`), and the argument of a lazy wrapper that is itself iterated
(`for i, x in enumerate(f())`). lintlock.link follows a call into a generator
only when it is consumed.
"""

from __future__ import annotations

from typing import Optional, Set

import libcst as cst

from .names import Names
from .scope import Frame

_CONSUMERS = frozenset({"list", "tuple", "set", "frozenset", "dict", "sorted", "sum", "min", "max", "any", "all", "next"})
_CONSUMING_METHODS = frozenset({"join", "extend", "update", "writelines"})
_WRAPPERS = frozenset({"enumerate", "zip", "map", "filter", "iter", "reversed"})  # iterate only when iterated
COMPREHENSIONS = frozenset({cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp})


def mark_arguments(node: cst.Call, frame: Frame, names: Names, consumed: Set[int]) -> None:
    """The arguments `node` iterates right away: list(f()), sum(x for x in f()), ", ".join(f())."""
    func = node.func
    builtin = func.value if isinstance(func, cst.Name) and not frame.is_local(func.value) and func.value not in names.table else None
    eager = builtin in _CONSUMERS or (isinstance(func, cst.Attribute) and func.attr.value in _CONSUMING_METHODS)
    if eager or (builtin in _WRAPPERS and id(node) in consumed):
        for arg in node.args:
            consumed.add(id(arg.value))


def mark_comprehension(node: cst.BaseComp, consumed: Set[int]) -> None:
    """A list/set/dict comprehension iterates its iterables right away; a generator
    expression only when it is consumed itself."""
    if type(node) is cst.GeneratorExp and id(node) not in consumed:
        return
    for_in: Optional[cst.CompFor] = node.for_in
    while for_in is not None:
        consumed.add(id(for_in.iter))
        for_in = for_in.inner_for_in
