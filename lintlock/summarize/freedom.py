"""Try-acquires as "is it free?" tests.

`if lock.acquire(False):` (or a timed acquire, or `if ok:` after
`ok = lock.acquire(timeout=1)`) succeeds only if no thread held the lock, the
walking one included. Events on the path where it succeeded carry it in
`free`, so lintlock.link knows a thread that already held that lock never gets
there: `if self._lk.acquire(False): self._lk.release(); self.flush()` does not
flush under a caller holding `_lk`.
"""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from ..model import Acquire, Held, LockPath
from .held import acquire_blocks, acquired_object
from .names import Names
from .scope import Frame
from .syntax import exits


def try_acquired(test: cst.BaseExpression, frame: Frame, names: Names) -> Tuple[Optional[Held], bool]:
    """(the try-acquire, negated) when `test` is `[not] lock.acquire(False)` (or timed), or
    `[not] ok` for `ok = lock.acquire(timeout=...)`, or an `and` of tests one of which is a
    try-acquire (the branch runs only where every one held); (None, False) for any other test."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _either_tried(test, frame, names), False
    negated = isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)
    inner = test.expression if isinstance(test, cst.UnaryOperation) and negated else test
    lock = _tried_lock(inner, frame, names)
    if lock is None:
        return None, False
    site = next((e.site for e in reversed(frame.events) if isinstance(e, Acquire) and e.lock == lock), -1)
    return Held(site=site, lock=lock, how="free"), negated


def _either_tried(test: cst.BooleanOperation, frame: Frame, names: Names) -> Optional[Held]:
    """`a and b`: the first operand that is a (not negated) try-acquire."""
    for operand in (test.left, test.right):
        tried, negated = try_acquired(operand, frame, names)
        if tried is not None and not negated:
            return tried
    return None


def _tried_lock(inner: cst.BaseExpression, frame: Frame, names: Names) -> Optional[LockPath]:
    """The lock of `lock.acquire(False)` (or timed), or of the flag `ok` a try-acquire set."""
    if isinstance(inner, cst.Call):
        acquired = acquired_object(inner)
        return names.path(acquired, frame) if acquired is not None and not acquire_blocks(inner) else None
    if isinstance(inner, cst.Name) and inner.value in frame.local_values:
        flag = frame.local_values[inner.value]
        return flag.arg0 if flag.acquired == "try" else None
    return None


def frees_the_rest(stmt: cst.CSTNode, frame: Frame, names: Names) -> Optional[Held]:
    """`if not lock.acquire(False): return`: what follows runs only where it succeeded."""
    if not (isinstance(stmt, cst.If) and stmt.orelse is None and exits(stmt.body.body)):
        return None
    tried, negated = try_acquired(stmt.test, frame, names)
    return tried if negated else None
