"""LL105's fact: is an acquire() released on every path, exceptions included?

The summarizer records the answer on the Acquire event (`guarded`). It is
asked when the walk emits the acquire, and only for the acquire that heads the
statement being walked (`lock.acquire()`, `ok = lock.acquire(...)`,
`if [not] lock.acquire(...):`); the enclosing statements come from
Frame.statements. Any other acquire counts as unguarded.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

import libcst as cst

from ..model import LockPath
from .harmless import Qualify, simple, simple_line
from .held import ACQUIRE, RELEASE
from .names import Names
from .scope import Frame, StatementContext
from .syntax import exits


def guarded(call: cst.Call, lock: LockPath, frame: Frame, names: Names) -> bool:
    """Is `call`, which acquires `lock`, released on every path?"""
    if not frame.statements:
        return False
    body, index, released_by = frame.statements[-1]
    if _head_acquire(body[index]) is not call:
        return False
    parent = frame.statements[-2] if len(frame.statements) > 1 else None
    return _guarded(body, index, parent, lock, frame, names) or (index == 0 and releases(released_by, lock, frame, names))


def _head_acquire(stmt: cst.CSTNode) -> Optional[cst.Call]:
    """The acquire() call a statement is about, if any."""
    value: Optional[cst.BaseExpression] = None
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, (cst.Expr, cst.Assign)):
            value = small.value
    elif isinstance(stmt, cst.If):
        value = stmt.test
    while isinstance(value, (cst.Await, cst.UnaryOperation)):
        value = value.expression
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in ACQUIRE:
        return value
    return None


def _guarded(body: Sequence[cst.CSTNode], index: int, parent: Optional[StatementContext], lock: LockPath, frame: Frame, names: Names) -> bool:
    """Is the lock acquired by body[index] released on every path?"""
    if any(entry.lock == lock for entry in frame.scoped):
        return True  # inside `with lock:`, which releases it whatever happens
    if any(releases(final, lock, frame, names) for final in frame.finals):
        return True  # inside a `try` whose `finally` releases it
    stmt = body[index]
    if isinstance(stmt, cst.If):
        verdict = _if_acquire_guarded(stmt, lock, frame, names)
        if verdict is not None:
            return verdict
    following = _following(body, index, parent)
    verdict = _result_tested(stmt, following, lock, frame, names)
    if verdict is not None:
        return verdict
    return _protected(following, lock, frame, names)


def _if_acquire_guarded(stmt: cst.If, lock: LockPath, frame: Frame, names: Names) -> Optional[bool]:
    """`if [not] lock.acquire(...):` decided by its branches; None: look at what follows."""
    negated = isinstance(stmt.test, cst.UnaryOperation) and isinstance(stmt.test.operator, cst.Not)
    held_branch = stmt.body.body if not negated else (stmt.orelse.body.body if isinstance(stmt.orelse, cst.Else) else None)
    if held_branch is not None:  # if lock.acquire(False): try: ... finally: lock.release()
        return _protected(held_branch, lock, frame, names)
    if not exits(stmt.body.body):
        return False
    return None


def _following(body: Sequence[cst.CSTNode], index: int, parent: Optional[StatementContext]) -> List[cst.CSTNode]:
    """The statements that run after body[index] while the lock is held."""
    following = list(body[index + 1 :])
    if not following and parent is not None:
        # `if cond: lock.acquire()` then, after the if, `try: ... finally: if cond: lock.release()`
        parent_body, parent_index, _ = parent
        enclosing = parent_body[parent_index]
        if isinstance(enclosing, cst.If) and enclosing.orelse is None:
            following = list(parent_body[parent_index + 1 :])
    return following


def _result_tested(stmt: cst.CSTNode, following: List[cst.CSTNode], lock: LockPath, frame: Frame, names: Names) -> Optional[bool]:
    """`ok = lock.acquire(timeout=1)`, then `if ok:` (its branch holds the lock) or `if not ok:
    return` (the failed acquire's exit: dropped from `following`). Only a test of the acquire's
    own result counts; any other early exit skips the release. None: look at what follows."""
    flag = _result_flag(stmt)
    first = following[0] if following else None
    if flag is None or not isinstance(first, cst.If):
        return None
    negated = tests_flag(first.test, flag)
    if negated is None:
        return None
    if not negated:
        return _protected(first.body.body, lock, frame, names)
    if isinstance(first.orelse, cst.Else):
        return _protected(first.orelse.body.body, lock, frame, names)
    if first.orelse is None and exits(first.body.body):
        following.pop(0)
    return None


def _result_flag(stmt: cst.CSTNode) -> Optional[str]:
    """`ok` in `ok = lock.acquire(...)`."""
    if isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Assign):
        targets = stmt.body[0].targets
        if len(targets) == 1 and isinstance(targets[0].target, cst.Name):
            return targets[0].target.value
    return None


def tests_flag(test: cst.BaseExpression, name: str) -> Optional[bool]:
    """`name` -> False, `not name` -> True (negated); any other test -> None."""
    negated = isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)
    inner = test.expression if isinstance(test, cst.UnaryOperation) and negated else test
    return negated if isinstance(inner, cst.Name) and inner.value == name else None


def _protected(following: Sequence[cst.CSTNode], lock: LockPath, frame: Frame, names: Names) -> bool:
    """What follows an acquire releases it whatever happens: after simple assignments,
    a try whose finally (or catch-all handler) releases it, or a release nothing can skip."""
    index = 0
    while index < len(following) and simple_line(following[index], _qualifier(names, frame)):
        index += 1
    return _starts_with_try_release(following[index:], lock, frame, names) or _released_safely(following, lock, frame, names)


def _released_safely(body: Sequence[cst.CSTNode], lock: LockPath, frame: Frame, names: Names) -> bool:
    """Every path reaches lock.release() through statements that cannot raise."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine) and releases([stmt], lock, frame, names):
            return True
        if isinstance(stmt, cst.If) and stmt.orelse is None and simple(stmt.test, _qualifier(names, frame)):
            branch = stmt.body.body
            if all(simple_line(s, _qualifier(names, frame)) for s in branch):
                continue  # nothing in it can raise: it falls through to what follows
            if not (_released_safely(branch, lock, frame, names) and exits(branch)) and not _breaks_to_release(branch, lock, frame, names):
                return False
            continue
        if simple_line(stmt, _qualifier(names, frame)):
            continue
        return False
    return False


def _qualifier(names: Names, frame: Frame) -> Qualify:
    return lambda node: names.qualify(node, frame)


def _breaks_to_release(branch: Sequence[cst.CSTNode], lock: LockPath, frame: Frame, names: Names) -> bool:
    """`if ready: break` out of the loop, to code after it that releases the lock whatever happens."""
    last = branch[-1] if branch else None
    if not (isinstance(last, cst.SimpleStatementLine) and len(last.body) == 1 and isinstance(last.body[0], cst.Break)):
        return False
    if not all(simple_line(stmt, _qualifier(names, frame)) for stmt in branch[:-1]):
        return False
    for body, index, _ in reversed(frame.statements):
        if isinstance(body[index], (cst.While, cst.For)):
            return _protected(list(body[index + 1 :]), lock, frame, names)
    return False


def _starts_with_try_release(body: Sequence[cst.CSTNode], lock: LockPath, frame: Frame, names: Names) -> bool:
    if not body or not isinstance(body[0], (cst.Try, cst.TryStar)):
        return False
    attempt = body[0]
    if attempt.finalbody is not None and releases(attempt.finalbody.body.body, lock, frame, names):
        return True
    # `except BaseException: lock.release(); raise` guards the exceptional paths too
    return any(
        (handler.type is None or names.qualify(handler.type, frame) == "builtins.BaseException") and releases(handler.body.body, lock, frame, names)
        for handler in attempt.handlers
    )


def releases(body: Sequence[cst.CSTNode], lock: LockPath, frame: Frame, names: Names) -> bool:
    """Some statement in body (or nested in its if/try blocks) calls lock.release()."""
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            if any(_is_release_of(small, lock, frame, names) for small in stmt.body):
                return True
        elif any(releases(block, lock, frame, names) for block in _nested_blocks(stmt)):
            return True
    return False


def _nested_blocks(stmt: cst.CSTNode) -> Sequence[Sequence[cst.CSTNode]]:
    """The blocks of an if (not its elifs) or a try."""
    if isinstance(stmt, cst.If):
        return [stmt.body.body] + ([stmt.orelse.body.body] if isinstance(stmt.orelse, cst.Else) else [])
    if isinstance(stmt, (cst.Try, cst.TryStar)):
        blocks = [stmt.body.body] + [h.body.body for h in stmt.handlers]
        return blocks + [b.body.body for b in (stmt.orelse, stmt.finalbody) if b is not None]
    return []


def _is_release_of(small: cst.BaseSmallStatement, lock: LockPath, frame: Frame, names: Names) -> bool:
    value = small.value if isinstance(small, cst.Expr) else None
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in RELEASE:
        return names.path(value.func.value, frame) == lock
    return False
