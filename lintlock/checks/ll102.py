"""LL102: two locks taken in opposite orders on two paths (lock-order inversion)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterator, List, NamedTuple, Optional, Set, Tuple

from ..link import HeldLock, Hop, Program
from ..model import Acquire, Call, Diagnostic, FunctionSummary, LockPath, RuleCode, Site
from ..program.locks import LockScope
from .common import Locate, short_lock, where


@dataclass(frozen=True)
class OrderWitness:
    """One path: `function` holds `first` and, at `site`, takes `second` (maybe through calls)."""

    function: str
    held: HeldLock
    first: str
    second: str
    site: Site  # the inner acquire, or the call that leads to it
    acquire_site: Site  # where `second` is finally taken
    acquire_text: str
    chain: Tuple[str, ...]  # callee names when taken through calls
    gates: Tuple[str, ...]  # other locks held on this path
    flow: Optional[Site] = None  # value flow found the first callee: where it was stored or passed

    def describe(self, here: str, locate: Locate) -> str:
        handed = self.held.handed
        came = f"; handed to {handed.to}() at {where(handed.passed_at, here, locate)}" if handed is not None else ""
        text = f"{self.function} holds {short_lock(self.first)} ({where(self.held.site, here, locate)}{came}) and takes {short_lock(self.second)}"
        if self.chain:
            text += f" through {locate(self.site).text} -> " + " -> ".join(self.chain)
        if self.flow is not None:
            text += f" ({self.chain[0]} stored at {where(self.flow, here, locate)})"
        return text + f" at {where(self.acquire_site, here, locate)}"


class Taken(NamedTuple):
    """A lock an event takes: right there, or at the end of a chain of calls."""

    lock_id: str
    acquire_site: Site
    text: str  # the lock as written where it is taken
    chain: Tuple[str, ...] = ()
    flow: Optional[Site] = None


@dataclass(frozen=True)
class LockOrderMessage:
    here: OrderWitness
    other: OrderWitness

    def render(self, here: str, locate: Locate) -> str:
        a, b = short_lock(self.here.first), short_lock(self.here.second)
        return (
            f"lock-order inversion between {a} and {b} (taken in the other order at {where(self.other.site, here, locate)}): "
            f"path 1: {self.here.describe(here, locate)}; "
            f"path 2: {self.other.describe(here, locate)}. Two threads on these paths each hold one lock "
            f"and wait forever for the other"
        )


class LockOrderInversion:
    code: RuleCode = "LL102"

    def check(self, program: Program) -> Iterator[Diagnostic]:
        for here, other in inversions(order_witnesses(program)):
            report, partner = sorted((here, other), key=lambda w: (w.site.path, w.site.site))
            first, second = short_lock(report.first), short_lock(report.second)
            related: Tuple[Tuple[Site, str], ...] = (
                (report.held.site, f"{first} acquired here"),
                (report.acquire_site, f"{second} acquired while holding {first}"),
                (partner.held.site, f"{second} acquired here (path 2)"),
                (partner.site, f"path 2 takes {first} from here"),
                (partner.acquire_site, f"{first} acquired while holding {second}"),
            )
            related += tuple((w.flow, f"{w.chain[0]} stored here") for w in (report, partner) if w.flow is not None)
            related += tuple((w.held.handed.passed_at, f"{short_lock(w.first)} handed over here") for w in (report, partner) if w.held.handed is not None)
            yield Diagnostic(self.code, report.site, LockOrderMessage(report, partner), related, lock=first, chain=report.chain)


def inversions(witnesses: Dict[Tuple[str, str], OrderWitness]) -> List[Tuple[OrderWitness, OrderWitness]]:
    """Pairs of paths that take two locks in opposite orders and can interleave."""
    found = []
    for (first, second), here in sorted(witnesses.items()):
        other = witnesses.get((second, first))
        if first >= second or other is None:
            continue
        if set(here.gates) & set(other.gates):
            continue  # both paths hold a common outer lock: they never interleave
        found.append((here, other))
    return found


def order_witnesses(program: Program) -> Dict[Tuple[str, str], OrderWitness]:
    """The earliest path in the tree for every ordered pair of locks (held A, then took B)."""
    found: Dict[Tuple[str, str], OrderWitness] = {}
    for name, fn, path in program.each_function():
        for event in fn.events:
            if not (isinstance(event, Acquire) and event.blocking) and not isinstance(event, Call):
                continue
            held = program.held_ids(fn, event.held) if event.held or fn.decorators else {}  # most events: nothing held
            site = Site(path, event.site)
            if isinstance(event, Call):
                _record_passed(found, program, name, fn, event, held, site)
            if not held:
                continue
            built = _built_here(program, fn, event, held) or _constructed(program, event)
            fresh = _built_with(program, built) if built is not None else set()
            for taken in _taken(program, fn, event, path):
                if taken.lock_id not in held and not _owned_by(program, taken.lock_id, fresh):
                    # taken again while already held: an RLock's re-entry orders nothing, and a
                    # non-reentrant lock taken again is LL101's self-deadlock, not an inversion
                    _record(found, program.short_name(name), held, taken, site)
    return found


def _built_here(program: Program, fn: FunctionSummary, event, held: Dict[str, HeldLock]) -> Optional[str]:
    """The class of the object `event` acts on when that object was built in this function while
    the held locks were already held (`with self._lock: ch = Channel(self); ch.open()`): no other
    thread can hold its locks yet, so taking them orders nothing."""
    path = _acted_on(event)
    if path is None or path.scope != "local" or not held:
        return None
    value = dict(fn.local_values).get(path.base)
    if value is None or value.callee is None or value.callee not in program.classes:
        return None
    held_sites = {lock.site.site for lock in held.values()}  # all in this function's file
    for other in fn.events:
        built = isinstance(other, Call) and other.target.kind == "global" and other.target.name == value.callee
        if built and held_sites <= {h.site for h in other.held}:
            return value.callee
    return None


def _constructed(program: Program, event) -> Optional[str]:
    """The class a call builds (`Server(host)`): its __init__ takes the new object's locks, which no
    other thread can hold while it is being built (as for _built_here)."""
    if not isinstance(event, Call) or event.target.kind != "global":
        return None
    cls = program.resolve(event.target.name)
    return cls if cls in program.classes else None


def _acted_on(event) -> Optional[LockPath]:
    """The object an acquisition takes, or a method call is made on."""
    if isinstance(event, Acquire):
        return event.lock
    if event.target.kind == "method":
        return event.target.receiver
    return None


def _owned_by(program: Program, lock_id: str, fresh: Set[str]) -> bool:
    """`lock_id` is an instance lock of one of the `fresh` classes (see _built_with)."""
    if not fresh:
        return False
    ref = program.lock_ref_by_id(lock_id)
    return ref is not None and ref.scope is LockScope.INSTANCE and ref.owner in fresh


def _built_with(program: Program, cls: str) -> Set[str]:
    """`cls`, its bases, and the classes of the objects its instances build for their attributes, transitively."""
    found: Set[str] = set()
    todo = [cls]
    while todo:
        current = todo.pop()
        for base in program.mro(current):
            if base in found:
                continue
            found.add(base)
            summary = program.classes.get(base)
            for _, value in summary.instance_attrs if summary is not None else ():
                if value.callee is not None and value.callee in program.classes:
                    todo.append(value.callee)
    return found


def _taken(program: Program, fn: FunctionSummary, event, path: str) -> List[Taken]:
    """The locks an acquisition takes, or a call takes on its way (by class-level identity)."""
    if isinstance(event, Acquire):
        info = program.canonical(fn, event.lock)
        lock_id = program.class_id(fn, info.key) if info.kind is not None else None
        if lock_id is not None:
            return [Taken(lock_id, Site(path, event.site), event.lock.text())]
    # a call, or the acquire() of an in-tree lock wrapper (`self._gate.acquire()`): what it takes on its way
    edges = program.acquire_callees(fn, event) if isinstance(event, Acquire) else program.callees(fn, event)
    taken = []
    for edge in edges:
        flow = edge.origin if edge.why == "value flow" else None
        for lock_id in program.class_reach_of(edge.callee):
            hops = program.class_chain(edge.callee, lock_id)
            if _taken_while_built(program, hops, lock_id):
                continue
            last_fn, last_hop = hops[-1]
            names = tuple(program.short_name(f) for f, _ in hops)
            taken.append(Taken(lock_id, Site(program.path_of[last_fn], last_hop.site), last_hop.text, names, flow))
        # locks it takes through what it is passed (`transfer(self._a, self._b)`)
        taken.extend(Taken(t.lock, t.site, t.text, t.chain, flow) for t in program.taken_through(fn, edge))
    return taken


def _taken_while_built(program: Program, hops: List[Tuple[str, Hop]], lock_id: str) -> bool:
    """The lock is the new object's own, taken while it is being built: a hop is __init__ of a class
    owning it, and every hop from there is on self (`Server(host)` -> __init__ -> self.load() -> `with
    self._lock:`, however deep the constructor call is). No other thread can hold it yet."""
    ref = program.lock_ref_by_id(lock_id)
    if ref is None or ref.scope is not LockScope.INSTANCE:
        return False
    for index, (name, _) in enumerate(hops):
        fn = program.functions[name]
        if fn.name == "__init__" and fn.cls is not None and ref.owner in program.mro(fn.cls):
            if all(_on_self(program, program.functions[f], hop) for f, hop in hops[index:]):
                return True
    return False


def _on_self(program: Program, fn: FunctionSummary, hop: Hop) -> bool:
    """The call or acquisition at a hop acts on fn's own object (`self.load()`, `with self._lock:`)."""
    me = program.self_param(fn)
    if me is None:
        return False
    at = [e for e in fn.events if e.site == hop.site]
    if hop.callee is None:  # the acquisition itself (a `with` also records its __enter__ call there)
        return any(isinstance(e, Acquire) and e.lock.scope == "local" and e.lock.base == me and len(e.lock.attrs) == 1 for e in at)
    return any(isinstance(e, Call) and (e.target.kind == "super" or (e.target.kind == "method" and e.target.receiver == LockPath(me))) for e in at)


def _record_passed(
    found: Dict[Tuple[str, str], OrderWitness], program: Program, name: str, fn: FunctionSummary, event: Call, held: Dict[str, HeldLock], site: Site
) -> None:
    """The callee holds one lock it was passed and takes another (`transfer(self._a, self._b)`): an
    order at this call, whatever the caller holds. Only calls that can pass an object are resolved."""
    if not program.may_pass(event):
        return
    for edge in program.callees(fn, event):
        for order in program.orders_through(fn, edge):
            if order.first in held or order.second in held:
                continue  # the caller holds one already: taken again, not ordered here
            taken = Taken(order.second, order.taken.site, order.taken.text, order.taken.chain)
            _record(found, program.short_name(name), dict(held, **{order.first: order.held}), taken, site)


def _record(found: Dict[Tuple[str, str], OrderWitness], function: str, held: Dict[str, HeldLock], taken: Taken, site: Site) -> None:
    """Each held lock, then the one taken: kept when it is the earliest such path in the tree (stable reports)."""
    for first, lock in held.items():
        known = found.get((first, taken.lock_id))
        if known is not None and (known.site.path, known.site.site) <= (site.path, site.site):
            continue
        gates = tuple(sorted(set(held) - {first, taken.lock_id}))
        found[(first, taken.lock_id)] = OrderWitness(function, lock, first, taken.lock_id, site, taken.acquire_site, taken.text, taken.chain, gates, taken.flow)
