"""Locks passed as arguments: `def transfer(a, b): with a: with b: ...` has no lock of its own
(its locks are its parameters), so what it takes, and in which order, is known only where
it is called: `transfer(self._checking, self._savings)`. Lock order (LL102) asks here.

Only locks with no identity inside the callee are added (a parameter, or a path through one,
whose class-level id is unknown there): the ones that have one are in `Reach.class_reach`
already, and counting them twice would change which path a report shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Set, Tuple

from ..model import Acquire, Call, FunctionSummary, Site
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

    def taken_through(self, fn: FunctionSummary, edge: Edge) -> List[PassedLock]:
        """The locks the call `edge` of fn takes through the objects fn passes it."""
        callee = self.index.functions[edge.callee]
        found: List[PassedLock] = []
        for key in sorted(self.reach.reach.get(edge.callee, {})):
            if not self._passed_in(callee, key):
                continue
            lock_id = self._id_in_caller(fn, edge, key)
            if lock_id is not None:
                found.append(self._taken(lock_id, edge.callee, key))
        return found

    def orders_through(self, fn: FunctionSummary, edge: Edge) -> List[PassedOrder]:
        """The pairs of locks the call `edge` of fn takes one inside the other, through what fn passes it."""
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
        fn = self.index.functions[name]
        return sum(1 for key in self.reach.reach.get(name, {}) if self._passed_in(fn, key)) >= 2

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
        for key in sorted(self.reach.reach.get(edge.callee, {})) if held else ():
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
