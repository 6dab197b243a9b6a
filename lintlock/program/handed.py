"""Locks handed over and stored: `Worker(self._lock)` with `self._lock = lock` in Worker.__init__.

What Worker's `self._lock` is depends on who builds the Worker. When every call that reaches the
store passes the same class-level lock (`Owner._lock`), Worker._lock *is* that lock for lock
order and wakers (one id for both classes) and has its kind (for every rule). When callers pass
different locks, or anything not known to be a lock, nothing is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Optional, Set, Tuple

from ..model import Acquire, Call, FunctionSummary, LockPath, Site, Value
from .index import Index

if TYPE_CHECKING:
    from .calls import Calls
    from .locks import LockInfo, Locks

_MAX_DEPTH = 4  # constructors passing the lock on to constructors
_MAX_OPEN = 24  # questions open at once (each asks its callers' locks): keeps the stack short


@dataclass(frozen=True)
class Handed:
    """The lock every caller passes, by class-level id, and its kind as the callers see it."""

    lock_id: str
    info: LockInfo
    passed_at: Site  # one call that hands the lock over (the same on every run), for messages
    to: str = ""  # the name that call uses (`Worker` in `Worker(self._lock)`), for messages


class HandedLocks:
    def __init__(self, index: Index, locks: Locks, calls: Calls) -> None:
        self.index = index
        self.locks = locks
        self.calls = calls
        self._attributes: Dict[Tuple[str, str], Optional[Handed]] = {}
        self._params: Dict[Tuple[str, LockPath], Optional[Handed]] = {}
        self._calls_by_name: Optional[Dict[str, List[Tuple[FunctionSummary, Call]]]] = None
        self._open: Set[object] = set()  # questions being answered (a cycle answers None)
        self._acquired_by_class: Dict[str, FrozenSet[str]] = {}
        self._builds: Optional[Dict[str, Set[str]]] = None  # constructor -> the short names of the classes it builds
        self._passes: Dict[Tuple[str, str], bool] = {}

    def attribute(self, cls: str, attr: str) -> Optional[Handed]:
        """The lock an instance attribute holds when each assignment stores a parameter and every call passes the same lock."""
        question = (cls, attr)
        if question in self._attributes:
            return self._attributes[question]
        if question in self._open or len(self._open) > _MAX_OPEN:
            return None  # a cycle, or a chain of objects handing a lock on deeper than followed
        self._open.add(question)
        found = self._attribute(cls, attr)
        self._open.discard(question)
        self._attributes[question] = found
        return found

    def _attribute(self, cls: str, attr: str) -> Optional[Handed]:
        if attr not in self._acquired(cls):
            return None  # never taken by its class: not asked about as a lock (most `self.x = x` are not locks)
        instance, class_values, _ = self.index.attr_values(cls, attr)
        assigned = [v for v in instance if not _is_none(v)]
        if class_values or not assigned or any(v.callee is not None or v.arg0 is None or v.arg0.scope != "local" for v in assigned):
            return None  # made here, or from something other than a name: not a handed lock
        stores = self._stores(cls, attr)
        if len(stores) < len(assigned):
            return None  # an assignment whose source is not a parameter
        return _agreed([self.parameter(fn, source, 0) for fn, source in stores])

    def _acquired(self, cls: str) -> FrozenSet[str]:
        """The attributes of its own instances that cls's methods (along its MRO) take or wrap in a Condition."""
        found = self._acquired_by_class.get(cls)
        if found is None:
            names: Set[str] = set()
            for klass in self.index.mro(cls):
                summary = self.index.classes[klass]
                names.update(v.arg0.attrs[0] for _, v in summary.instance_attrs if v.arg0 is not None and v.arg0.attrs and v.callee is not None)
                for _, qualname in summary.methods:
                    fn = self.index.functions.get(qualname)
                    me = self.index.self_param(fn) if fn is not None else None
                    if fn is not None and me is not None:
                        names.update(e.lock.attrs[0] for e in fn.events if isinstance(e, Acquire) and e.lock.base == me and len(e.lock.attrs) == 1)
            found = self._acquired_by_class[cls] = frozenset(names)
        return found

    def _stores(self, cls: str, attr: str) -> List[Tuple[FunctionSummary, LockPath]]:
        """`self.attr = param` (or a path through a parameter) in the methods of cls's MRO."""
        found: List[Tuple[FunctionSummary, LockPath]] = []
        for fn, me in self.index.bound_methods(cls):
            for flow in fn.flows:
                if flow.kind == "store" and flow.dest == LockPath(me, (attr,)) and flow.source is not None:
                    if flow.source.scope != "local" or flow.source.base not in fn.params or flow.source.base == me:
                        return []  # stored from something else: not only handed locks
                    found.append((fn, flow.source))
        return found

    def kept_argument(self, value: Value, attr: str) -> Optional[LockPath]:
        """`Flusher(self._lock)` (value) where Flusher keeps the argument as `attr` (`self._lock = lock`
        in its constructor, and nothing else assigns it): that argument, as the builder's instance path."""
        cls = self.index.class_of_value(value)
        if cls is None or value.arg0 is None or value.arg0.scope != "instance":
            return None
        kept = self.kept_parameter(cls, attr)
        return value.arg0 if kept is not None and kept[1] == kept[0][1] else None  # the parameter the first argument binds

    def kept_parameter(self, cls: str, attr: str) -> Optional[Tuple[Tuple[str, ...], str]]:
        """(cls's __init__ parameters, the one kept) when every assignment of `attr` is `self.attr = param`
        in __init__ from that one parameter: an object of cls keeps there what its builder passed."""
        init = self.index.lookup(cls, "__init__")
        init_fn = self.index.functions.get(init) if init is not None else None
        if init_fn is None or len(init_fn.params) < 2:
            return None
        instance, class_values, _ = self.index.attr_values(cls, attr)
        stores = self._stores(cls, attr)
        if class_values or not stores or len(stores) != len(instance):
            return None  # assigned otherwise too
        sources = {source for _, source in stores}
        source = sources.pop() if len(sources) == 1 else None
        if source is None or source.attrs or any(fn.qualname != init for fn, _ in stores):
            return None
        return init_fn.params, source.base

    def passed(self, function: str, param: str) -> bool:
        """Whether some call that may run `function` passes `param` (a star argument may)."""
        question = (function, param)
        if question not in self._passes:
            fn = self.index.functions.get(function)
            self._passes[question] = fn is None or any(self._passes_param(caller, call, fn, param) for caller, call in self._calls_of(fn))
        return self._passes[question]

    def _passes_param(self, caller: FunctionSummary, call: Call, fn: FunctionSummary, param: str) -> bool:
        edges = [e for e in self.calls.callees(caller, call) if e.callee == fn.qualname]
        if not edges:
            return False  # runs something else (or nothing lintlock can tell: as for handed locks)
        return call.args.starred or any(param in dict(e.binding) for e in edges)

    def parameter(self, fn: FunctionSummary, path: LockPath, depth: int) -> Optional[Handed]:
        """The lock a path through a parameter of fn names, when every call of fn passes the same one."""
        question = (fn.qualname, path)
        if question in self._params:
            return self._params[question]
        if question in self._open or depth > _MAX_DEPTH or len(self._open) > _MAX_OPEN:
            return None
        self._open.add(question)
        found = _agreed([self._passed(caller, call, fn, path, depth) for caller, call in self._calls_of(fn) if self._may_run(caller, call, fn)])
        self._open.discard(question)
        self._params[question] = found
        return found

    def _may_run(self, caller: FunctionSummary, call: Call, fn: FunctionSummary) -> bool:
        """A call of fn's name runs fn, or may (its receiver unknown); not when it runs something else."""
        edges = self.calls.callees(caller, call)
        if edges:
            return any(e.callee == fn.qualname for e in edges)
        return call.target.kind in ("method", "local") and fn.kind == "method" and fn.name != "__init__"

    def _passed(self, caller: FunctionSummary, call: Call, fn: FunctionSummary, path: LockPath, depth: int) -> Optional[Handed]:
        """What one call of fn passes for `path` (None: not known, or not a lock)."""
        edges = [e for e in self.calls.callees(caller, call) if e.callee == fn.qualname]
        obj = dict(edges[0].binding).get(path.base) if len(edges) == 1 else None
        if obj is None:
            return None
        passed = LockPath(obj.base, obj.attrs + path.attrs, obj.scope)
        if passed.scope == "local" and passed.base in caller.params and passed.base != self.index.self_param(caller):
            return self.parameter(caller, passed, depth + 1)  # handed on again: ask its callers
        info = self.locks.lock_info(caller, self.locks.key_of(caller, passed))
        lock_id = self.locks.class_id(caller, info.key) if info.kind is not None else None
        site = Site(self.index.path_of[caller.qualname], call.site)
        return Handed(lock_id, info, site, call.target.name.rsplit(".", 1)[-1]) if lock_id is not None else None

    def _calls_of(self, fn: FunctionSummary) -> List[Tuple[FunctionSummary, Call]]:
        """The calls that may run fn (by the name they use: the class's for a constructor)."""
        if self._calls_by_name is None:
            by_name: Dict[str, List[Tuple[FunctionSummary, Call]]] = {}
            for _, caller, _ in self.index.each_function():
                for call in self.index.calls_of(caller):
                    by_name.setdefault(call.target.name.rsplit(".", 1)[-1], []).append((caller, call))
            self._calls_by_name = by_name
        if fn.name != "__init__":
            return list(self._calls_by_name.get(fn.name, []))
        # a constructor: calls of every class it builds (subclasses that inherit it), and super().__init__(lock)
        if self._builds is None:
            builds: Dict[str, Set[str]] = {}
            for cls in self.index.classes:
                init = self.index.lookup(cls, "__init__")
                if init is not None:
                    builds.setdefault(init, set()).add(cls.rsplit(".", 1)[-1])
            self._builds = builds
        built = sorted(self._builds.get(fn.qualname, ()))
        return [found for name in built + ["__init__"] for found in self._calls_by_name.get(name, [])]


def _is_none(value: Value) -> bool:
    return value.callee is None and value.arg0 is None and value.annotation is None


def _agreed(found: List[Optional[Handed]]) -> Optional[Handed]:
    """The one lock all of them name; None when any is unknown, or they differ, or there are none."""
    if not found or any(h is None for h in found):
        return None
    ids = {h.lock_id for h in found if h is not None}
    kinds = {(h.info.kind, h.info.reentrant) for h in found if h is not None}
    return found[0] if len(ids) == 1 and len(kinds) == 1 else None
