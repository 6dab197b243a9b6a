"""Locks passed as arguments: `def transfer(a, b): with a: with b: ...` has no lock of its own
(its locks are its parameters), so what it takes, and in which order, is known only where
it is called: `transfer(self._checking, self._savings)`. Lock order (LL102) asks here.

Only locks with no identity inside the callee are added (a parameter, or a path through one,
whose class-level id is unknown there): the ones that have one are in `Reach.class_reach`
already, and counting them twice would change which path a report shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from ..model import Acquire, Args, Call, FunctionSummary, Site
from .calls import Calls, Edge
from .index import Index
from .locks import Key, Locks
from .reach import HeldLock, Reach, components


@dataclass(frozen=True)
class PassedLock:
    """A lock a call takes through what it passes, by class-level identity in the caller."""

    lock: str  # class-level id (`pkg.mod.Bank._checking`)
    site: Site  # where it is finally taken
    text: str  # as written there
    chain: Tuple[str, ...]  # the functions on the way, callee first


@dataclass(frozen=True)
class PassedOrder:
    """Inside a call: the callee holds one lock it was passed and then takes another."""

    first: str  # class-level ids in the caller
    second: str
    held: HeldLock  # the first, as the caller's key, taken where the callee takes it
    taken: PassedLock  # the second


@dataclass(frozen=True)
class _Order:
    """In a function's own frame: holds `first` (a key relative to a parameter), then takes `second`."""

    first: Key
    first_text: str
    first_site: Site
    second: Key
    second_text: str
    second_site: Site
    chain: Tuple[str, ...]  # the functions on the way to the second, this one first


class PassedLocks:
    def __init__(self, index: Index, locks: Locks, calls: Calls, reach: Reach) -> None:
        self.index = index
        self.locks = locks
        self.calls = calls
        self.reach = reach
        self._orders: Dict[str, List[_Order]] = {}
        self._computing: Set[str] = set()
        self._may: Dict[str, bool] = {}
        self._roots: Dict[str, FrozenSet[str]] = {}
        self._quiet: Set[Tuple[str, str]] = set()  # (function, name): what that name holds there leads to no acquisition

    def may_pass(self, call: Call) -> bool:
        """Whether a call can hand its callee one of the caller's objects other than as its receiver
        (all that taken_through and orders_through follow), decided without resolving the call: it
        passes one, or its receiver may become the first argument of a decorator's wrapper (a
        decorated method) or the first plain parameter of a method whose first one is starred."""
        args = call.args
        if (args.positional or args.keywords) and _passes_objects(args):
            return True
        members = self._receiver_takers
        if members is None:
            return True
        target = call.target
        if target.receiver is None and target.kind != "super":
            return False
        # a dunder may run another (object.__format__ runs __str__): any decorated dunder
        return target.name in members or (target.kind == "dunder" and any(m.startswith("__") for m in members))

    @cached_property
    def _receiver_takers(self) -> Optional[FrozenSet[str]]:
        """The member names of the decorated methods and properties (their wrappers take the
        receiver as an argument); None when a method's first parameter is starred (`def m(*args,
        key)`: the receiver is bound to `key`), which a call of any name may run."""
        members: Set[str] = set()
        for cls in self.index.classes.values():
            for member, qualname in cls.methods:
                fn = self.index.functions.get(qualname)
                if fn is None or self.index.self_param(fn) is None:
                    continue
                if fn.params[0].startswith("*") and any(not p.startswith("*") for p in fn.params):
                    return None
                if fn.kind in ("method", "property", "setter") and self.index.wrappers(fn):
                    members.add(member.split(".", 1)[0])
        return frozenset(members)

    def _passes_argument(self, edge: Edge) -> bool:
        """The call binds one of the caller's objects to a parameter other than the receiver's:
        what taken_through and orders_through map a callee's lock through (else they find nothing)."""
        me = self.index.self_param(self.index.functions[edge.callee])
        return any(obj is not None and param != me for param, obj in edge.binding)

    def taken_through(self, fn: FunctionSummary, edge: Edge) -> List[PassedLock]:
        """The locks the call `edge` of fn takes through the objects fn passes it."""
        if not self._passes_argument(edge):
            return []
        callee = self.index.functions[edge.callee]
        found: List[PassedLock] = []
        for key in sorted(self.reach.locks_of(edge.callee)):
            if not self._passed_in(callee, key):
                continue
            lock_id = self._id_in_caller(fn, edge, key)
            if lock_id is not None:
                found.append(self._taken(lock_id, edge.callee, key))
        return found

    def orders_through(self, fn: FunctionSummary, edge: Edge) -> List[PassedOrder]:
        """The pairs of locks the call `edge` of fn takes one inside the other, through what fn passes it."""
        if not self._passes_argument(edge):
            return []
        found: List[PassedOrder] = []
        for order in self._orders_of(edge.callee):
            first = self._id_in_caller(fn, edge, order.first)
            second = self._id_in_caller(fn, edge, order.second)
            mapped = self.calls.map_key(fn, edge, order.first)
            if first is None or second is None or first == second or mapped is None:
                continue
            held = HeldLock(mapped, order.first_text, order.first_site)
            names = tuple(self.index.short_name(f) for f in order.chain)
            found.append(PassedOrder(first, second, held, PassedLock(second, order.second_site, order.second_text, names)))
        return found

    # -- in the callee's frame ------------------------------------------------

    def _passed_in(self, fn: FunctionSummary, key: Key) -> bool:
        """A key relative to a parameter (not the receiver) that has no class-level id in fn."""
        scope, base, _ = key
        return scope == "l" and base in fn.params and base != self.index.self_param(fn) and self.locks.class_id(fn, key) is None

    def _id_in_caller(self, fn: FunctionSummary, edge: Edge, key: Key) -> Optional[str]:
        """The class-level id of the known lock a callee key names in the caller's frame."""
        mapped = self.calls.map_key(fn, edge, key)
        if mapped is None:
            return None
        info = self.locks.lock_info(fn, mapped)
        return self.locks.class_id(fn, info.key) if info.kind is not None else None

    def _taken(self, lock_id: str, callee: str, key: Key) -> PassedLock:
        hops = self.reach.chain(callee, key)
        last_fn, last_hop = hops[-1]
        names = tuple(self.index.short_name(f) for f, _ in hops)
        return PassedLock(lock_id, Site(self.index.path_of[last_fn], last_hop.site), last_hop.text, names)

    def _orders_of(self, name: str) -> List[_Order]:
        """fn holds a lock it was passed and takes another it was passed (directly, or through calls).
        Worked out callees first over the call graph's components (no recursion: chains are deep)."""
        cached = self._orders.get(name)
        if cached is not None:
            return cached
        if name in self._computing:
            return []  # the same component: its orders through the cycle are not followed
        if not self._may_order(name):
            self._orders[name] = []
            return []
        for component in components([name], self._successors):
            pending = [member for member in component if member not in self._orders]
            self._computing.update(pending)
            for member in pending:
                fn = self.index.functions[member]
                self._orders[member] = [order for event in fn.events if isinstance(event, (Acquire, Call)) for order in self._orders_at(fn, event)]
            self._computing.difference_update(pending)
        return self._orders[name]

    def _may_order(self, name: str) -> bool:
        """Two of the locks fn reaches are passed to it: the only way it can order two of them."""
        known = self._may.get(name)
        if known is None:
            fn = self.index.functions[name]
            known = self._may[name] = self._reaches_a_parameter(fn) and sum(1 for key in self.reach.locks_of(name) if self._passed_in(fn, key)) >= 2
        return known

    def _reaches_a_parameter(self, fn: FunctionSummary) -> bool:
        """Some lock fn may acquire is named through a parameter other than its receiver (what
        `_may_order` counts, without working out all fn reaches). A callee's lock is named in the
        caller through the object bound to the callee's parameter, or the free name a closure shares:
        only those calls are followed, so what functions passed none of them call is not resolved."""
        me = self.index.self_param(fn)
        todo = [(fn.qualname, p) for p in fn.params if p != me and not p.startswith("*") and (fn.qualname, p) not in self._quiet]
        seen = set(todo)
        while todo:
            name, holder = todo.pop()
            if holder in self._acquired_roots(name):
                return True
            here = self.index.functions[name]
            for edge in self._edges_passing(here, holder):
                fresh = [pair for pair in self._handed_on(here, edge, holder) if pair not in seen and pair not in self._quiet]
                seen.update(fresh)
                todo.extend(fresh)
        self._quiet |= seen  # all they lead to was followed: nothing
        return False

    def _handed_on(self, fn: FunctionSummary, edge: Edge, holder: str) -> List[Tuple[str, str]]:
        """(callee, name) for each name the callee knows what `holder` names in fn by: a parameter
        bound to it (or to a path through it), or the free name of a closure sharing fn's frame."""
        pairs = [(edge.callee, param) for param, obj in edge.binding if obj is not None and obj.scope == "local" and obj.base == holder]
        callee = self.index.functions[edge.callee]
        if callee.parent is not None and self.index.shares_closure(fn, callee):
            pairs.append((edge.callee, holder))
        return pairs

    def _edges_passing(self, fn: FunctionSummary, holder: str) -> List[Edge]:
        """The calls of fn that may hand on what `holder` names (a superset of those that do): it is
        an argument or the receiver (which a decorator's wrapper takes as an argument), a name value
        flow resolves may be a method bound to it (`run = holder.step; run()`), and a closure
        shares it (any call of a function that is nested or nests others may run one)."""
        if fn.parent is not None or fn.qualname in self._nesting:
            return self.reach.edges(fn.qualname)
        edges: List[Edge] = []
        for event in fn.events:
            if isinstance(event, Call) and (_names(event, holder) or event.target.kind in ("local", "element")):
                edges.extend(self.calls.callees(fn, event))
            elif isinstance(event, Acquire) and event.lock.base == holder and event.lock.scope == "local":
                edge = self.reach.acquire_edge(fn, event)
                edges.extend([edge] if edge is not None else [])
        return edges

    @cached_property
    def _nesting(self) -> FrozenSet[str]:
        """The functions with functions nested in them."""
        return frozenset(fn.parent for fn in self.index.functions.values() if fn.parent is not None)

    def _acquired_roots(self, name: str) -> FrozenSet[str]:
        """The names a function's own blocking acquisitions start from, in its frame (`a` of `with a.lock:`)."""
        roots = self._roots.get(name)
        if roots is None:
            fn = self.index.functions[name]
            keys = [self.locks.canonical(fn, e.lock).key for e in fn.events if isinstance(e, Acquire) and e.blocking]
            roots = self._roots[name] = frozenset(base for scope, base, _ in keys if scope == "l")
        return roots

    def _successors(self, name: str) -> List[str]:
        return [edge.callee for edge in self.calls.edges_of(name) if self._may_order(edge.callee)]

    def _orders_at(self, fn: FunctionSummary, event: object) -> List[_Order]:
        held = [h for h in self.reach.held_locks(fn, getattr(event, "held", ())) if self._passed_in(fn, h.key)]
        path = self.index.path_of[fn.qualname]
        orders: List[_Order] = []
        if isinstance(event, Acquire) and event.blocking:
            key = self.locks.canonical(fn, event.lock).key
            if self._passed_in(fn, key):
                orders.extend(_Order(h.key, h.text, h.site, key, event.lock.text(), Site(path, event.site), (fn.qualname,)) for h in held if h.key != key)
        elif isinstance(event, Call):
            for edge in self.calls.callees(fn, event):
                orders.extend(self._orders_in_call(fn, edge, held))
        return orders

    def _orders_in_call(self, fn: FunctionSummary, edge: Edge, held: List[HeldLock]) -> List[_Order]:
        """Held here, then taken by the callee; and the callee's own orders, in fn's frame."""
        orders: List[_Order] = []
        for key in sorted(self.reach.locks_of(edge.callee)) if held else ():
            mapped = self.calls.map_key(fn, edge, key)
            if mapped is None or not self._passed_in(fn, mapped):
                continue
            taken = self._taken("", edge.callee, key)
            chain = (fn.qualname,) + tuple(f for f, _ in self.reach.chain(edge.callee, key))
            orders.extend(_Order(h.key, h.text, h.site, mapped, taken.text, taken.site, chain) for h in held if h.key != mapped)
        for inner in self._orders_of(edge.callee):
            first = self.calls.map_key(fn, edge, inner.first)
            second = self.calls.map_key(fn, edge, inner.second)
            if first is not None and second is not None and self._passed_in(fn, first) and self._passed_in(fn, second):
                orders.append(_Order(first, inner.first_text, inner.first_site, second, inner.second_text, inner.second_site, (fn.qualname,) + inner.chain))
        return orders


def _names(call: Call, holder: str) -> bool:
    """The call's receiver or one of its arguments is named through `holder` (a local name);
    `super()` binds the receiver: the function's own first parameter, whatever holder is."""
    target = call.target
    if target.kind == "super" or (target.receiver is not None and target.receiver.scope == "local" and target.receiver.base == holder):
        return True
    objects = list(call.args.positional) + [obj for _, obj in call.args.keywords]
    return any(obj is not None and obj.scope == "local" and obj.base == holder for obj in objects)


def _passes_objects(args: Args) -> bool:
    """An argument names an object (a constant, `None` or `0.5`, names none: it holds no lock)."""
    constants = args.literals
    for position, obj in enumerate(args.positional):
        if obj is not None and (position >= len(constants) or constants[position] is None):
            return True
    if not args.keywords:
        return False
    constant_keywords = dict(args.keyword_literals)
    return any(obj is not None and constant_keywords.get(name) is None for name, obj in args.keywords)
