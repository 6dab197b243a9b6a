"""LL105's list of what cannot raise in practice: statements between acquire()
and the try (or the release) that leave no window worth a report.

Deliberately short (rules/LL105.md lists it for users): attribute loads and
stores on names, constants, counters and their comparisons with numbers, a few
container appends, notify() of a condition, another lock's acquire()/release(),
predicates of events and locks, and calls that only read the clock or the
thread's identity. Anything else may raise.
"""

from __future__ import annotations

from typing import Callable, Optional

import libcst as cst

Qualify = Callable[[cst.BaseExpression], Optional[str]]  # the qualified name an expression names

# calls that only read the clock or the thread's identity
CANNOT_RAISE = frozenset(
    {
        "threading.current_thread",
        "threading.currentThread",
        "threading.get_ident",
        "threading.get_native_id",
        "_thread.get_ident",
        "os.getpid",
        "time.monotonic",
        "time.monotonic_ns",
        "time.perf_counter",
        "time.time",
        "time.time_ns",
    }
)
_NOTIFY = frozenset({"notify", "notify_all", "notifyAll"})  # raise only without the lock: a bug every run hits
_PREDICATES = frozenset({"is_set", "isSet", "locked"})  # of events and locks: they read a flag
_CONTAINER_METHODS = frozenset({"append", "appendleft", "clear"})  # of list/deque/dict/set: fail only when memory does
_LOCKING = frozenset({"acquire", "release"})  # of another lock, without arguments: block, or raise only when not held
_ORDER = (cst.Equal, cst.NotEqual, cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual)


def attribute_of_name(node: cst.BaseExpression) -> bool:
    """`x`, `self._state`, `conn.owner.name`: a name or attributes of one."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def simple(node: cst.BaseExpression, qualify: Qualify) -> bool:
    """An expression that cannot raise in practice."""
    if isinstance(node, (cst.UnaryOperation, cst.BooleanOperation, cst.Comparison)):
        return _simple_test(node, qualify)
    if isinstance(node, (cst.Name, cst.Integer, cst.Float, cst.SimpleString, cst.Attribute)):
        return attribute_of_name(node) or not isinstance(node, cst.Attribute)
    if isinstance(node, cst.Tuple):
        return all(not isinstance(e, cst.StarredElement) and simple(e.value, qualify) for e in node.elements)
    if isinstance(node, cst.Call) and not node.args:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in _PREDICATES:
            return attribute_of_name(node.func.value)  # event.is_set(), lock.locked()
        return qualify(node.func) in CANNOT_RAISE
    return False


def _simple_test(node: cst.BaseExpression, qualify: Qualify) -> bool:
    """`not x`, `a and b`, `x is None` of simple values."""
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.operator, cst.Not) and simple(node.expression, qualify)
    if isinstance(node, cst.BooleanOperation):
        return simple(node.left, qualify) and simple(node.right, qualify)
    if isinstance(node, cst.Comparison):
        return simple(node.left, qualify) and all(_simple_comparison(node.left, c) and simple(c.comparator, qualify) for c in node.comparisons)
    return False


def _simple_comparison(left: cst.BaseExpression, comparison: cst.ComparisonTarget) -> bool:
    """`x is None`; a counter against a number (`0 == self.count`, `n > 1`)."""
    if isinstance(comparison.operator, (cst.Is, cst.IsNot)):
        return True
    number = (cst.Integer, cst.Float)
    return isinstance(comparison.operator, _ORDER) and (isinstance(left, number) or isinstance(comparison.comparator, number))


def simple_line(stmt: cst.CSTNode, qualify: Qualify) -> bool:
    """A line of statements that cannot raise in practice."""
    return isinstance(stmt, cst.SimpleStatementLine) and all(_simple_statement(small, qualify) for small in stmt.body)


def _simple_statement(small: cst.BaseSmallStatement, qualify: Qualify) -> bool:
    """`pass`; simple values assigned to names and attributes of names; `n += 1`; a call of
    CANNOT_RAISE; `x.append(v)`/`x.appendleft(v)`/`x.clear()`; notify() of a condition."""
    if isinstance(small, cst.Pass):
        return True
    if isinstance(small, cst.Assign):
        return all(attribute_of_name(t.target) for t in small.targets) and simple(small.value, qualify)
    if isinstance(small, cst.AnnAssign):
        return small.value is not None and attribute_of_name(small.target) and simple(small.value, qualify)
    if isinstance(small, cst.AugAssign):
        return attribute_of_name(small.target) and isinstance(small.value, cst.Integer)
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        return _harmless_call(small.value, qualify)
    return False


def _harmless_call(call: cst.Call, qualify: Qualify) -> bool:
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in _NOTIFY:
        return not call.args and attribute_of_name(func.value)
    if isinstance(func, cst.Attribute) and func.attr.value in _LOCKING:
        return not call.args and attribute_of_name(func.value)
    if isinstance(func, cst.Attribute) and func.attr.value in _CONTAINER_METHODS:
        return attribute_of_name(func.value) and all(not a.star and a.keyword is None and simple(a.value, qualify) for a in call.args)
    return simple(call, qualify)
