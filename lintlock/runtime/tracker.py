"""The lock-order tracker (lockdep for Python): held locks per thread, the order graph, waits.

Its own bookkeeping is guarded by one raw `_thread.RLock` allocated before
anything is patched, held only for a few dictionary operations and never
while calling code that could take a tracked lock, so the tracker cannot
deadlock itself (reentrant: a finalizer or signal handler that runs in the
middle of the bookkeeping and takes a tracked lock gets back in). Per-thread records are touched only by their thread (or,
for a lock released by another thread, under that raw lock).
"""

from __future__ import annotations

import _thread
import functools
import itertools
import threading
import time
import weakref
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import findings as report
from .findings import RuntimeFinding
from .frames import capture
from .state import (
    MAX_WAITS,
    Edge,
    LockClass,
    Producer,
    Rendezvous,
    ThreadState,
    Wait,
)

MAX_FINDINGS = 1000
MAX_CYCLES = 100


def _never_fails(method: Callable) -> Callable:
    """A bug in the tracker must not become an exception in the program's acquire(): count it and go on."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 (the program comes first)
            self.internal_errors.append(f"{method.__name__}: {error.__class__.__name__}: {error}")
            del self.internal_errors[:-10]
            return None

    return guarded


class DeadlockError(RuntimeError):
    """Raised in a thread that asked for a non-reentrant lock it already holds (instead of hanging)."""


@dataclass(frozen=True)
class Settings:
    on_self_deadlock: str = "raise"  # "raise" DeadlockError, or "block": report, then wait as the program asked
    grace: float = 1.0  # seconds a self-deadlock waits for another thread to hand the lock over first
    stack_limit: int = 12  # frames kept for an order edge, a wait, a finding (rare: once per edge)
    held_frames: int = 4  # frames kept for every acquisition (each frame costs ~100 ns)


class Tracker:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._mutex = _thread.RLock()
        self._local = _thread._local()
        self._states: Dict[int, weakref.ref[ThreadState]] = {}
        self._producers: weakref.WeakKeyDictionary[threading.Thread, Producer] = weakref.WeakKeyDictionary()
        self._by_id: Dict[tuple, Any] = {}  # (id(Event/Queue/Condition/Future), channel) -> Rendezvous or Producer
        self._classes: Dict[tuple, LockClass] = {}
        self._edges: Dict[Tuple[LockClass, LockClass], Edge] = {}
        self._findings: Dict[tuple, RuntimeFinding] = {}
        self._serials = itertools.count(1)
        self.internal_errors: List[str] = []  # the last few, shown with the findings
        self.context = ""  # what is running now (the pytest plugin sets the test id)

    # -- threads ---------------------------------------------------------

    def state(self) -> ThreadState:
        try:
            return self._local.state
        except AttributeError:
            return self._new_state()

    def existing_state(self) -> Optional[ThreadState]:
        return getattr(self._local, "state", None)

    def _new_state(self) -> ThreadState:
        thread = threading.current_thread()
        state = ThreadState(_thread.get_ident(), thread.name, self.producer_of(thread), next(self._serials))
        self._local.state = state
        with self._mutex:
            self._states[state.ident] = weakref.ref(state)
        return state

    def producer_of(self, thread: threading.Thread) -> Producer:
        with self._mutex:
            producer = self._producers.get(thread)
            if producer is None:
                producer = self._producers[thread] = Producer(f"thread {thread.name}", thread.ident or 0)
            return producer

    def states(self) -> Dict[int, ThreadState]:
        """Live threads' records (read without the mutex: hang dumps run in signal handlers)."""
        result = {}
        for ident, ref in list(self._states.items()):
            state = ref()
            if state is not None:
                result[ident] = state
        return result

    def after_fork_in_child(self) -> None:
        """Only the forking thread survives a fork: forget the others' holds and waits."""
        self._mutex = _thread.RLock()
        me = _thread.get_ident()
        self._states = {ident: ref for ident, ref in self._states.items() if ident == me}
        for holder in list(self._by_id.values()) + list(self._producers.values()):
            holder.waits.clear()

    # -- lock classes ------------------------------------------------------

    def lock_class(self, key: tuple, kind: str, label: str, reentrant: bool) -> LockClass:
        cls = self._classes.get((key, kind))
        if cls is None:
            with self._mutex:
                cls = self._classes.setdefault((key, kind), LockClass(key, kind, label, reentrant))
        return cls

    # -- acquisitions --------------------------------------------------------

    @_never_fails
    def before_blocking(self, state: ThreadState, lock: object, cls: LockClass) -> None:
        """A thread is about to wait without limit for `lock`: order edges, and the waits it may end."""
        stack: Optional[tuple] = None
        for producer in (state.producer, state.future):
            if producer is None:
                continue
            if id(lock) not in producer.taken:  # (a reused id reads as known: at worst an LL103 missed)
                stack = stack or capture(self.settings.stack_limit, 2)
                producer.remember(lock, stack)
            for wait in list(producer.waits):
                held = wait.holding(lock)
                if held is not None and wait.serial != state.serial:
                    stack = stack or capture(self.settings.stack_limit, 2)
                    self.add(report.blocked_wait(wait, held, producer.name, stack, "takes"))
        if state.held:
            self._order(state, cls, stack)

    def _order(self, state: ThreadState, cls: LockClass, stack: Optional[tuple]) -> None:
        held_classes: frozenset = frozenset()
        for held in state.held:
            if held.cls is cls:
                continue
            edge = self._edges.get((held.cls, cls))
            if edge is not None and not edge.gates:
                continue
            if not held_classes:
                held_classes = frozenset(h.cls for h in state.held)
            gates = held_classes - {held.cls, cls}
            if edge is None:
                stack = stack or capture(self.settings.stack_limit, 3)
                with self._mutex:
                    if (held.cls, cls) not in self._edges:
                        self._edges[(held.cls, cls)] = Edge(held.cls, cls, held.stack, stack, state.name, gates, self.context)
            else:
                with self._mutex:
                    edge.gates = edge.gates & gates

    def self_deadlock(self, state: ThreadState, lock, cls: LockClass, try_acquire) -> bool:
        """`state`'s thread asks again for the non-reentrant `lock` it holds.

        A lock may legally be released by another thread (a hand-off): wait
        for that during the grace period first. True when it was handed over
        (and is now held); False to go on blocking (the "block" setting);
        otherwise DeadlockError.
        """
        __tracebackhide__ = True  # pytest: show the user's acquisition, not this frame
        if cls.handoff:
            return False
        if try_acquire(self.settings.grace):
            cls.handoff = True
            return True
        first = state.find(lock)
        finding = report.self_deadlock(cls, state.name, first.stack if first else (), capture(self.settings.stack_limit, 2))
        self.add(finding)
        if self.settings.on_self_deadlock == "raise":
            raise DeadlockError(f"{finding.path}:{finding.line}: {finding.message}")
        return False

    @_never_fails
    def released_elsewhere(self, lock, cls: LockClass, owner: int) -> None:
        """`lock`, held by thread `owner`, was released by another thread: a hand-off."""
        cls.handoff = True
        ref = self._states.get(owner)
        holder = ref() if ref is not None else None
        if holder is not None:
            with self._mutex:
                holder.drop(lock)

    # -- waits (Thread.join, Future.result, Event, Queue, Condition) ----------------

    @_never_fails
    def wait_for_producer(self, kind: str, producer: Producer, state: ThreadState, done: bool) -> None:
        """A wait without timeout for a thread or future to finish, while holding locks."""
        wait = Wait(kind, state.name, state.serial, tuple(state.held), capture(self.settings.stack_limit, 3))
        for lock, stack in producer.takes():
            held = wait.holding(lock)
            if held is not None and producer is not state.producer and producer is not state.future:
                self.add(report.blocked_wait(wait, held, producer.name, stack, "takes"))
        if not done and len(producer.waits) < MAX_WAITS:
            producer.waits.append(wait)

    @_never_fails
    def rendezvous(self, kind: str, obj: object, state: ThreadState, waiting: bool, exclude: Optional[LockClass] = None, channel: str = "") -> None:
        """A wait on (or a wake-up of) an Event, Queue or Condition while holding locks."""
        held = tuple(h for h in state.held if h.cls is not exclude)
        if not held:
            return
        record = self.record(obj, Rendezvous, channel)
        if record is None:
            return
        me = Wait(kind, state.name, state.serial, held, capture(self.settings.stack_limit, 3))
        mine, theirs = (record.waits, record.wakers) if waiting else (record.wakers, record.waits)
        for h in held:
            other = theirs.get(id(h.lock))
            if other is not None and other.serial != state.serial:
                wait, waker = (me, other) if waiting else (other, me)
                held_by_waker = waker.holding(h.lock)
                held_by_waiter = wait.holding(h.lock)
                if held_by_waker is not None and held_by_waiter is not None:
                    self.add(report.blocked_wait(wait, held_by_waiter, f"thread {waker.thread} ({waker.kind})", held_by_waker.stack, "holds"))
            if id(h.lock) not in mine and len(mine) < MAX_WAITS:
                mine[id(h.lock)] = me

    def record(self, obj: object, kind: type, channel: str = ""):
        """The record kept about an Event/Queue/Condition/Future (per channel), by identity, as long as it lives."""
        key = (id(obj), channel)
        existing = self._by_id.get(key)
        if existing is not None and existing.ref() is obj:
            return existing
        try:
            ref = weakref.ref(obj, partial(self._forget, key))
        except TypeError:
            return None
        with self._mutex:
            existing = self._by_id.get(key)
            if existing is not None and existing.ref() is obj:
                return existing
            created = self._by_id[key] = Rendezvous(ref) if kind is Rendezvous else FutureProducer(ref)
        return created

    def lookup(self, obj: object, channel: str = ""):
        """The record about `obj`, if any, without creating one or taking the mutex (for hang dumps)."""
        existing = self._by_id.get((id(obj), channel))
        return existing if existing is not None and existing.ref() is obj else None

    def _forget(self, key: tuple, ref) -> None:
        existing = self._by_id.get(key)
        if existing is not None and existing.ref is ref:
            self._by_id.pop(key, None)

    # -- results ---------------------------------------------------------------------

    def add(self, finding: RuntimeFinding) -> None:
        if self.context and not finding.context:
            finding = replace(finding, context=self.context)
        key = (finding.code, finding.path, finding.line, finding.lock, finding.stacks[-1].frames[-1:] if finding.stacks else ())
        if key not in self._findings and len(self._findings) < MAX_FINDINGS:
            with self._mutex:
                self._findings.setdefault(key, finding)

    def stats(self) -> Tuple[int, int]:
        """(lock classes seen, order edges seen): what the silence of a run is worth."""
        return len(self._classes), len(self._edges)

    def findings(self) -> List[RuntimeFinding]:
        """Everything observed so far, LL102 cycles included, in a stable order."""
        with self._mutex:
            found = list(self._findings.values())
            edges = dict(self._edges)
        found.extend(report.inversion(cycle) for cycle in cycles(edges))
        unique = {(f.code, f.path, f.line, f.column, f.message): f for f in found}
        return sorted(unique.values(), key=RuntimeFinding.sort_key)


class FutureProducer(Producer):
    """A Future: the thread running it, once it runs, is what its waiters wait for."""

    __slots__ = ("done", "ref")

    def __init__(self, ref) -> None:
        super().__init__("the thread running the future", 0)
        self.ref = ref
        self.done = False


def cycles(edges: Dict[Tuple[LockClass, LockClass], Edge]) -> List[Tuple[Edge, ...]]:
    """Each elementary cycle of the order graph once (shortest first), minus those a gate lock serialises."""
    successors: Dict[LockClass, List[LockClass]] = {}
    result: List[Tuple[Edge, ...]]
    for first, second in sorted(edges, key=lambda e: (e[0].label, e[1].label)):
        if not first.handoff and not second.handoff:
            successors.setdefault(first, []).append(second)
    result, seen = [], set()
    for (first, second), edge in sorted(edges.items(), key=lambda item: (item[0][0].label, item[0][1].label)):
        path = _path(successors, second, first)
        if path is None or first.handoff or second.handoff:
            continue
        cycle = [edge] + [edges[(a, b)] for a, b in zip(path, path[1:])]
        key = frozenset((e.first, e.second) for e in cycle)
        gates = frozenset.intersection(*(e.gates for e in cycle))
        if key in seen or gates:
            continue
        seen.add(key)
        start = min(range(len(cycle)), key=lambda i: (cycle[i].first.label, cycle[i].second.label))
        result.append(tuple(cycle[start:] + cycle[:start]))
        if len(result) >= MAX_CYCLES:
            break
    return result


def _path(successors: Dict[LockClass, List[LockClass]], start: LockClass, goal: LockClass) -> Optional[List[LockClass]]:
    """Shortest path start -> goal (breadth first), as the list of classes on it."""
    parents: Dict[LockClass, Optional[LockClass]] = {start: None}
    queue = [start]
    for node in queue:
        if node is goal:
            path = [node]
            parent = parents[node]
            while parent is not None:
                path.append(parent)
                parent = parents[parent]
            return path[::-1]
        for nxt in successors.get(node, ()):
            if nxt not in parents:
                parents[nxt] = node
                queue.append(nxt)
    return None


def monotonic() -> float:
    return time.monotonic()
