"""The held-lock set: the locks held at a program point, and how statements change it.

A set is a tuple of Held entries in acquisition order. `None` stands for a
path that does not continue (after return/raise/break). Branches join by
intersection: a lock counts as held only if it is held on every path.
"""

from __future__ import annotations

from typing import Collection, Optional, Tuple

import libcst as cst

from ..model import Held, LockPath
from .literals import int_literal, is_none

HeldSet = Tuple[Held, ...]

ACQUIRE = frozenset({"acquire", "acquire_lock"})
RELEASE = frozenset({"release", "release_lock"})
LOCK_METHODS = ACQUIRE | RELEASE


def join(a: Optional[HeldSet], b: Optional[HeldSet]) -> Optional[HeldSet]:
    """Held on both paths; None is a path that does not continue."""
    if a is None:
        return b
    if b is None:
        return a
    return intersect(a, b)


def intersect(a: HeldSet, b: HeldSet) -> HeldSet:
    """Held on both paths, in the order of `a`."""
    return tuple(h for h in a if h in b)


def without(held: HeldSet, lock: LockPath) -> HeldSet:
    """Release the most recent acquisition of `lock`."""
    for i in range(len(held) - 1, -1, -1):
        if held[i].lock == lock:
            return held[:i] + held[i + 1 :]
    return held


def minus(held: HeldSet, removed: Collection[Held]) -> HeldSet:
    """The entries of `held` that are not in `removed`, in order."""
    return tuple(h for h in held if h not in removed)


def after_finally(after: HeldSet, start: HeldSet, finished: HeldSet) -> HeldSet:
    """Held after a try statement: what its finally block released is released
    after the try too; what it acquired stays held."""
    return tuple(h for h in after if h in finished) + minus(finished, start)


def acquired_object(node: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """`x` of `x.acquire(...)` or `await x.acquire(...)`; None for anything else."""
    if isinstance(node, cst.Await):
        node = node.expression
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ACQUIRE:
        return node.func.value
    return None


def is_acquire_call(node: cst.BaseExpression) -> bool:
    """`x.acquire(...)` or `await x.acquire(...)`."""
    return acquired_object(node) is not None


def acquire_blocks(call: cst.Call) -> bool:
    """acquire() blocks forever only without a timeout and with blocking true.

    An argument we cannot read counts as non-blocking: when unsure, stay quiet.
    """
    blocking: Optional[int] = 1
    timeout_forever = True
    positional = 0
    for arg in call.args:
        if arg.star:
            return False
        name = arg.keyword.value if arg.keyword is not None else None
        if name is None:
            name = ("blocking", "timeout")[positional] if positional < 2 else None
            positional += 1
        if name == "blocking":
            blocking = int_literal(arg.value)
        elif name == "timeout":
            value = int_literal(arg.value)
            timeout_forever = is_none(arg.value) or (value is not None and value < 0)
    return blocking == 1 and timeout_forever
