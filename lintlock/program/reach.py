"""Reachability: which locks a function may acquire when called (bottom-up over the
strongly connected components of the call graph), how (the chain of calls), and which
locks are held at an event (`with`, acquire(), context-manager helpers, decorators).

Worked out on demand, for the functions asked about and all they reach: the rules ask about
the callees of calls made under a lock (and of calls passing locks), so the calls of the rest
of the program are never resolved. A function's tables depend only on the call graph below
it, so they are the same whichever function was asked about first."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from ..model import Acquire, Args, Call, FunctionSummary, Held, LockPath, Site
from .calls import Calls, Edge, Receiver
from .handed import Handed
from .index import Index
from .locks import Key, Locks


@dataclass(frozen=True)
class Hop:
    """How a function reaches an acquisition: directly, or through a call."""

    site: int  # the acquire or the call, in this function's file
    callee: Optional[str] = None  # None: acquired right here
    callee_key: object = None  # the lock in the callee's frame (a Key, or a class-level id)
    text: str = ""  # the lock as written at a direct acquisition


@dataclass(frozen=True)
class HeldLock:
    """A lock held at an event, in the frame of the function holding it."""

    key: Key
    text: str
    site: Site  # where it was acquired
    how: str = ""  # "acquire" for an explicit acquire(); else how it came to be held ("by its decorator @x")
    handed: Optional[Handed] = None  # an attribute stored from a parameter: the lock every builder hands over (program.handed)


_ENTER = ("__enter__", "__aenter__")  # what `with obj:` runs
_ENTER_ACQUIRE = _ENTER + ("acquire",)  # what `obj.acquire()` may run (__enter__ first: as it always was)

ReachTable = Dict[str, Dict[Key, Hop]]
ClassReachTable = Dict[str, Dict[str, Hop]]
_NOTHING: Mapping = MappingProxyType({})  # what a name that is no function reaches


class Reach:
    def __init__(self, index: Index, locks: Locks, calls: Calls) -> None:
        self.index = index
        self.locks = locks
        self.calls = calls
        self._reach: ReachTable = {}  # the functions worked out so far, and all they reach
        self._class_reach: ClassReachTable = {}
        self._acquire_edges: Dict[str, List[Edge]] = {}

    def locks_of(self, name: str) -> Mapping[Key, Hop]:
        """The locks a function may acquire when called, by key in its own frame (same object,
        for LL101), each with its first hop; nothing for a name that is no function."""
        self._ensure(name)
        return self._reach.get(name, _NOTHING)

    def class_locks_of(self, name: str) -> Mapping[str, Hop]:
        """The locks a function may acquire when called, by class-level identity (LL102, LL103)."""
        self._ensure(name)
        return self._class_reach.get(name, _NOTHING)

    @property
    def reach(self) -> ReachTable:
        """`locks_of` of every function (works out the whole program: for tools and tests)."""
        self._ensure_all(sorted(self.index.functions))
        return self._reach

    @property
    def class_reach(self) -> ClassReachTable:
        """`class_locks_of` of every function (works out the whole program)."""
        self._ensure_all(sorted(self.index.functions))
        return self._class_reach

    def _ensure(self, name: str) -> None:
        if name not in self._reach and name in self.index.functions:
            self._ensure_all([name])

    def _ensure_all(self, names: List[str]) -> None:
        """Work out names and all they reach, bottom-up over the components of the call graph
        below them. What is worked out already reaches only what is worked out already, so it is
        left out of the graph walked (it is in no component with what is not)."""
        roots = [name for name in names if name not in self._reach]
        for component in components(roots, self._successors):
            self._component_reach(component, self._reach)

    def _successors(self, name: str) -> List[str]:
        return [edge.callee for edge in self.edges(name) if edge.callee not in self._reach]

    def _component_reach(self, component: List[str], reach: ReachTable) -> None:
        for name in component:
            reach[name], self._class_reach[name] = self._direct(self.index.functions[name])
        changed = True
        while changed:
            changed = False
            for name in component:
                for edge in self.edges(name):
                    changed |= self._through(self.index.functions[name], edge, reach)

    def edges(self, name: str) -> List[Edge]:
        """The calls of a function, and `obj.acquire()` where obj's class is in the tree: a
        wrapper whose acquire() takes an inner lock (`with obj:` calls __enter__, a call already)."""
        edges = self._acquire_edges.get(name)
        if edges is None:
            fn = self.index.functions[name]
            edges = self._acquire_edges[name] = [e for e in (self.acquire_edge(fn, event) for event in fn.events) if e is not None]
        return self.calls.edges_of(name) + edges if edges else self.calls.edges_of(name)

    def acquire_edge(self, fn: FunctionSummary, event: object) -> Optional[Edge]:
        """`obj.acquire()` where obj's in-tree class defines acquire(): the call it is."""
        if not isinstance(event, Acquire) or event.how != "acquire":
            return None
        method = self._lock_method(fn, event.lock, ("acquire",))
        if method is None:
            return None
        return Edge(method, self.calls.bind(self.index.functions[method], Receiver(event.lock), Args()), event.site)

    def _lock_method(self, fn: FunctionSummary, lock: LockPath, names: Sequence[str]) -> Optional[str]:
        """The first of `names` that the in-tree class of the object `lock` names defines."""
        cls = self.calls.types.class_of_path(fn, lock)
        if cls is None:
            return None
        for name in names:
            found = self.index.lookup(cls, name)
            if found is not None:
                return found
        return None

    def _direct(self, fn: FunctionSummary) -> Tuple[Dict[Key, Hop], Dict[str, Hop]]:
        """The locks fn acquires itself, by key and by class-level identity."""
        direct: Dict[Key, Hop] = {}
        by_class: Dict[str, Hop] = {}
        for event in fn.events:
            if not (isinstance(event, Acquire) and event.blocking):
                continue
            info = self.locks.canonical(fn, event.lock)
            if event.free and info.key in self.locks.free_keys(fn, event):
                continue  # after a try-acquire of this lock succeeded: no holder of it gets here
            hop = Hop(event.site, text=event.lock.text())
            direct.setdefault(info.key, hop)
            lock_id = self.locks.class_id(fn, info.key) if info.kind is not None else None
            if lock_id is not None:
                by_class.setdefault(lock_id, hop)
        return direct, by_class

    def _through(self, fn: FunctionSummary, edge: Edge, reach: ReachTable) -> bool:
        """Add what the callee of edge reaches to fn's tables; True if they grew."""
        changed = False
        mine = reach[fn.qualname]
        free = self.locks.free_keys(fn, self.index.event_at(fn, edge.site))
        for key in list(reach.get(edge.callee, {})):  # the callee is in this component or below it: worked out
            mapped = self.calls.map_key(fn, edge, key)
            if mapped is not None and mapped not in mine and mapped not in free:
                mine[mapped] = Hop(edge.site, edge.callee, key)
                changed = True
        mine_by_class = self._class_reach[fn.qualname]
        for lock_id in list(self._class_reach.get(edge.callee, {})):
            if lock_id not in mine_by_class:
                mine_by_class[lock_id] = Hop(edge.site, edge.callee, lock_id)
                changed = True
        return changed

    def chain(self, fn_name: str, key: Key) -> List[Tuple[str, Hop]]:
        """The hops from fn to the acquisition of key: [(function, hop), ...]."""
        self._ensure(fn_name)  # and so every function on the way
        return _hops(self._reach, fn_name, key)

    def class_chain(self, fn_name: str, lock_id: str) -> List[Tuple[str, Hop]]:
        """The hops from fn to an acquisition of the class-level lock (LL102, LL103)."""
        self._ensure(fn_name)
        return _hops(self._class_reach, fn_name, lock_id)

    # -- held locks -------------------------------------------------------

    def held_locks(self, fn: FunctionSummary, held: Sequence[Held]) -> List[HeldLock]:
        """The locks (by key in fn's frame) that the held entries of an event stand for."""
        result: List[HeldLock] = []
        for entry in held:
            if entry.how == "acquire" and entry.lock not in fn.released and not _takes_for_caller(fn):
                # acquire() with no release() in this function: the lock is handed
                # to another thread, which releases it (a signal, not a mutex)
                continue
            if entry.lock is not None:
                result.extend(self._held_named(fn, entry, entry.lock))
            elif entry.via_call is not None:
                result.extend(self._held_by_helper(fn, entry, entry.via_call))
        return result

    def _held_named(self, fn: FunctionSummary, entry: Held, lock: LockPath) -> List[HeldLock]:
        """`with obj:` / `obj.acquire()`: a lock, or an object whose class acquires in __enter__."""
        enter = self._lock_method(fn, lock, _ENTER_ACQUIRE if entry.how == "acquire" else _ENTER)
        if enter is not None:
            edge = Edge(enter, self.calls.bind(self.index.functions[enter], Receiver(lock), Args()), entry.site)
            return self._held_through(fn, edge, self.index.functions[enter].exit_held, entry)
        # a lock, or an object whose kind only a caller's frame may know
        how = "acquire" if entry.how == "acquire" else ""
        key = self.locks.canonical(fn, lock).key
        return [HeldLock(key, lock.text(), Site(self.index.path_of[fn.qualname], entry.site), how, self.locks.handed_lock(fn, key))]

    def _held_by_helper(self, fn: FunctionSummary, entry: Held, site: int) -> List[HeldLock]:
        """`with helper():` where helper is a @contextmanager: what it holds at its yield."""
        call = self.index.event_at(fn, site)
        if not isinstance(call, Call):
            return []
        result: List[HeldLock] = []
        for edge in self.calls.callees(fn, call):
            callee = self.index.functions[edge.callee]
            if self.index.is_context_manager(callee):
                result.extend(self._held_through(fn, edge, callee.yield_held, entry))
        return result

    def _held_through(self, fn: FunctionSummary, edge: Edge, held: Sequence[Held], entry: Held) -> List[HeldLock]:
        callee = self.index.functions[edge.callee]
        path = self.index.path_of[fn.qualname]
        result = []
        for inner in self.held_locks(callee, held) if callee is not fn else ():
            mapped = self.calls.map_key(fn, edge, inner.key)
            if mapped is not None:
                result.append(HeldLock(mapped, inner.text, Site(path, entry.site), how=f"through {callee.name}()"))
        return result

    def entry_held(self, fn: FunctionSummary) -> List[HeldLock]:
        """Locks a decorator's wrapper holds while it runs the decorated body."""
        result: List[HeldLock] = []
        if not fn.decorators:
            return result  # most functions: the rules ask at every event
        for deco, wrapper_name in zip(fn.decorators, map(self.index.wrapper_of, fn.decorators)):
            wrapper = self.index.functions[wrapper_name] if wrapper_name is not None else None
            decorator = self.index.functions.get(wrapper.parent or "") if wrapper is not None else None
            if wrapper is None or decorator is None:
                continue
            how = f"by its decorator @{(deco.name or '').rsplit('.', 1)[-1]}"
            for event in wrapper.events:
                if isinstance(event, Call) and event.target.kind == "local" and event.target.name in decorator.params:
                    result.extend(self._held_around(fn, wrapper, event, how))
        return result

    def _held_around(self, fn: FunctionSummary, wrapper: FunctionSummary, event: Call, how: str) -> List[HeldLock]:
        """wrapper(self, ...) calls fn(self, ...): the locks held at that call, mapped onto fn's frame."""
        reverse: Dict[str, str] = {}
        for param, obj in zip([p for p in fn.params if not p.startswith("*")], event.args.positional):
            if obj is not None and obj.scope == "local" and not obj.attrs:
                reverse[obj.base] = param
        site = Site(self.index.path_of[fn.qualname], fn.site)
        result: List[HeldLock] = []
        for inner in self.held_locks(wrapper, event.held):
            scope, base, attrs = inner.key
            if scope == "g":
                mapped: Optional[Key] = inner.key
            elif base in reverse:
                mapped = self.locks.key_of(fn, LockPath(reverse[base], attrs))
            else:
                mapped = None
            if mapped is not None:
                result.append(HeldLock(mapped, inner.text, site, how=how))
        return result

    def held_ids(self, fn: FunctionSummary, held: Sequence[Held]) -> Dict[str, HeldLock]:
        """Known locks held, by class-level identity."""
        result: Dict[str, HeldLock] = {}
        if not held and not fn.decorators:
            return result  # nothing held, and no decorator's wrapper holds anything around fn
        for lock in self.entry_held(fn) + self.held_locks(fn, held):
            info = self.locks.lock_info(fn, lock.key)
            if info.kind is None:
                continue
            lock_id = self.locks.class_id(fn, info.key)
            if lock_id is not None:
                result.setdefault(lock_id, lock)
        return result


def _takes_for_caller(fn: FunctionSummary) -> bool:
    """A lock wrapper's __enter__ or acquire(): the lock it takes stays held for its caller."""
    return fn.name in _ENTER or (fn.name == "acquire" and fn.cls is not None)


def _hops(table: Dict[str, Dict], fn_name: str, key: object) -> List[Tuple[str, Hop]]:
    hops: List[Tuple[str, Hop]] = []
    seen = set()
    while (fn_name, key) not in seen:
        seen.add((fn_name, key))
        hop = table.get(fn_name, {}).get(key)
        if hop is None:
            break
        hops.append((fn_name, hop))
        if hop.callee is None:
            break
        fn_name, key = hop.callee, hop.callee_key
    return hops


def components(roots: List[str], successors_of: Callable[[str], List[str]]) -> List[List[str]]:
    """Strongly connected components, callees before callers (iterative Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    on_stack: Dict[str, bool] = {}
    stack: List[str] = []
    result: List[List[str]] = []
    successors: Dict[str, List[str]] = {}
    for root in roots:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack[node] = True
            succ = successors.get(node)
            if succ is None:
                succ = successors[node] = successors_of(node)
            if i < len(succ):
                work.append((node, i + 1))
                nxt = succ[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif on_stack.get(nxt):
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                result.append(_pop_component(stack, on_stack, node))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return result


def _pop_component(stack: List[str], on_stack: Dict[str, bool], node: str) -> List[str]:
    component = []
    while True:
        top = stack.pop()
        on_stack[top] = False
        component.append(top)
        if top == node:
            return sorted(component)
