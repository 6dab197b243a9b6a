"""The tracker's records: lock classes, held locks, threads, waits.

Plain slotted classes, not frozen dataclasses: they are updated on every
acquisition, and they never leave lintlock.runtime (findings do, as frozen
dataclasses in lintlock.runtime.findings).
"""

from __future__ import annotations

import weakref
from typing import Dict, List, Optional, Tuple

from .frames import CompactStack

MAX_WAITS = 32  # waits remembered per thread, future or event: bounded memory
MAX_TAKEN = 4096  # locks remembered per thread as taken (for joins)


class LockClass:
    """All the locks created at one place of the program (lockdep's lock class)."""

    __slots__ = ("handoff", "key", "kind", "label", "reentrant")

    def __init__(self, key: tuple, kind: str, label: str, reentrant: bool) -> None:
        self.key = key
        self.kind = kind
        self.label = label
        self.reentrant = reentrant
        # released by a thread that did not take it: used as a signal, not a
        # mutex; it has no owner, so neither LL101 nor LL102 can be claimed
        self.handoff = False

    def __repr__(self) -> str:
        return f"<lock class {self.label}>"


class Held:
    """A lock this thread holds, and where it took it."""

    __slots__ = ("cls", "lock", "stack")

    def __init__(self, lock: object, cls: LockClass, stack: CompactStack) -> None:
        self.lock = lock
        self.cls = cls
        self.stack = stack


class Wait:
    """A blocking wait with no timeout, made while holding locks."""

    __slots__ = ("held", "kind", "serial", "stack", "thread")

    def __init__(self, kind: str, thread: str, serial: int, held: Tuple[Held, ...], stack: CompactStack) -> None:
        self.kind = kind
        self.thread = thread
        self.serial = serial  # the waiting thread's ThreadState.serial
        self.held = held
        self.stack = stack

    def holding(self, lock: object) -> Optional[Held]:
        for held in self.held:
            if held.lock is lock:
                return held
        return None


class Producer:
    """What a thread (or a running Future) does that others wait for: the locks it takes.

    Locks, not lock classes: a wait is stuck only on the very lock its waiter
    holds (another instance of the class is free).
    """

    __slots__ = ("__weakref__", "ident", "name", "taken", "waits")

    def __init__(self, name: str, ident: int) -> None:
        self.name = name
        self.ident = ident
        # id(lock) -> (weak reference to it, stack of its first acquisition)
        self.taken: Dict[int, Tuple[weakref.ref, CompactStack]] = {}
        self.waits: List[Wait] = []

    def remember(self, lock: object, stack: CompactStack) -> None:
        if len(self.taken) >= MAX_TAKEN:
            for key in [k for k, (ref, _) in self.taken.items() if ref() is None]:
                del self.taken[key]
            if len(self.taken) >= MAX_TAKEN:
                return
        self.taken[id(lock)] = (weakref.ref(lock), stack)

    def takes(self) -> List[Tuple[object, CompactStack]]:
        """The locks it took that still exist, with where."""
        return [(lock, stack) for ref, stack in list(self.taken.values()) for lock in [ref()] if lock is not None]


class Rendezvous:
    """An Event, Queue or Condition: the locks held by those who wait on it and by those who wake it."""

    __slots__ = ("ref", "waits", "wakers")

    def __init__(self, ref: weakref.ref) -> None:
        self.ref = ref
        # id(lock) -> the first wait (or wake-up) made holding it; the Wait keeps the lock alive
        self.waits: Dict[int, Wait] = {}
        self.wakers: Dict[int, Wait] = {}


class ThreadState:
    """Per thread: the locks it holds (in order), and what it is blocked on right now."""

    __slots__ = ("__weakref__", "blocked", "future", "held", "ident", "name", "producer", "serial")

    def __init__(self, ident: int, name: str, producer: Producer, serial: int) -> None:
        self.ident = ident
        # unique for the whole run (thread idents are reused once a thread ends)
        self.serial = serial
        self.name = name
        self.held: List[Held] = []
        self.producer = producer
        self.future: Optional[Producer] = None
        # (what, the object, since (monotonic), the thread it waits for or None), for hang dumps
        self.blocked: Optional[tuple] = None

    def find(self, lock: object) -> Optional[Held]:
        for held in self.held:
            if held.lock is lock:
                return held
        return None

    def drop(self, lock: object) -> Optional[Held]:
        """Forget the innermost hold of `lock` (the one a release ends)."""
        held = self.held
        for index in range(len(held) - 1, -1, -1):
            if held[index].lock is lock:
                return held.pop(index)
        return None


class Edge:
    """First time lock class `first` was held while `second` was taken (one stack per edge)."""

    __slots__ = ("context", "first", "gates", "held_stack", "second", "stack", "thread")

    def __init__(
        self, first: LockClass, second: LockClass, held_stack: CompactStack, stack: CompactStack, thread: str, gates: frozenset, context: str = ""
    ) -> None:
        self.context = context  # the test running when it was first seen
        self.first = first
        self.second = second
        self.held_stack = held_stack
        self.stack = stack
        self.thread = thread
        # classes held every time this edge was seen: a common one (a gate lock)
        # serialises the paths, so an inversion under it cannot deadlock
        self.gates = gates
