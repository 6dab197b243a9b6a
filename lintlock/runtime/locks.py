"""Tracked stand-ins for threading.Lock, RLock, Condition, Semaphore and BoundedSemaphore.

Each wraps the real primitive and behaves exactly like it; the tracker only
watches. Locks that the standard library creates for itself (inside Event,
Queue, Thread, ...) are left real: the waits on those objects are tracked as
waits instead (lintlock.runtime.waits).
"""

from __future__ import annotations

import _thread
import threading
from time import monotonic as tracker_clock
from typing import TYPE_CHECKING, Any

from .frames import capture, created_by_stdlib, creation_key
from .state import Held
from .tracker import Tracker

REAL_LOCK = _thread.allocate_lock
REAL_RLOCK = threading.RLock
REAL_CONDITION = threading.Condition
REAL_SEMAPHORE = threading.Semaphore
REAL_BOUNDED_SEMAPHORE = threading.BoundedSemaphore


class _Binding:
    """The tracker the patched factories report to (one per process, set by install())."""

    tracker: Any = None  # a Tracker, once install() ran
    # False after uninstall(): new locks are real again, while the tracked ones
    # already made keep working (and reporting to the last tracker)
    active = False


def _forever(blocking, timeout) -> bool:
    return bool(blocking) and (timeout is None or timeout < 0)


def _take(acquire, state, lock, blocking, timeout) -> bool:
    """The real acquire; the thread counts as blocked on `lock` (for hang dumps)
    only while it really waits, not when the lock is free."""
    if not blocking:
        return acquire(False, timeout)  # raises as the real one does when given a timeout
    if acquire(False):
        return True
    state.blocked = ("lock", lock, tracker_clock(), None)
    try:
        return acquire(True, timeout)
    finally:
        state.blocked = None


class TrackedLock:
    """threading.Lock, watched."""

    __slots__ = ("__weakref__", "_cls", "_owner", "_real")
    _kind = "threading.Lock"

    def __init__(self, cls) -> None:
        self._real = REAL_LOCK()
        self._cls = cls
        self._owner = None

    def acquire(self, blocking=True, timeout=-1):
        __tracebackhide__ = True  # pytest
        tracker = _Binding.tracker
        try:
            state = tracker._local.state
        except AttributeError:
            state = tracker.state()
        if blocking and (timeout is None or timeout < 0):
            if self._owner == state.ident and self._handed_over(tracker, state):
                return True
            if state.held or state.future is not None or state.producer.waits or id(self) not in state.producer.taken:
                tracker.before_blocking(state, self, self._cls)
        if not _take(self._real.acquire, state, self, blocking, timeout):
            return False
        self._owner = state.ident
        state.held.append(Held(self, self._cls, capture(tracker.settings.held_frames, 2)))
        return True

    def _handed_over(self, tracker, state) -> bool:
        """Asked again by its holder: True when another thread handed it over meanwhile (now held)."""
        __tracebackhide__ = True  # pytest
        if not tracker.self_deadlock(state, self, self._cls, self._grace):
            return False
        self._owner = state.ident
        state.held.append(Held(self, self._cls, capture(tracker.settings.held_frames, 3)))
        return True

    def _grace(self, seconds: float) -> bool:
        return self._real.acquire(True, seconds) if seconds > 0 else self._real.acquire(False)

    def release(self):
        owner, self._owner = self._owner, None
        if owner is not None:
            tracker = _Binding.tracker
            state = getattr(tracker._local, "state", None)
            if state is not None and owner == state.ident:
                held = state.held
                if held and held[-1].lock is self:
                    held.pop()
                else:
                    state.drop(self)
            else:
                tracker.released_elsewhere(self, self._cls, owner)
        self._real.release()

    def locked(self):
        return self._real.locked()

    def _is_owned(self):
        # what Condition concludes for a plain lock: owned when locked (by anyone)
        return self._real.locked()

    __enter__ = acquire

    def __exit__(self, *exc_info):
        self.release()

    def _at_fork_reinit(self):
        self._real = REAL_LOCK()
        self._owner = None

    def __repr__(self) -> str:
        return f"<tracked {self._kind} {self._cls.label} {'locked' if self.locked() else 'unlocked'}>"


class TrackedRLock:
    """threading.RLock, watched: only the outermost acquisition is a hold."""

    __slots__ = ("__weakref__", "_cls", "_depth", "_owner", "_real")
    _kind = "threading.RLock"

    def __init__(self, cls) -> None:
        # Any: Condition's private protocol (_release_save, _acquire_restore, _is_owned) is not in the stubs
        self._real: Any = REAL_RLOCK()
        self._cls = cls
        self._owner = None
        self._depth = 0

    def acquire(self, blocking=True, timeout=-1):
        tracker = _Binding.tracker
        try:
            state = tracker._local.state
        except AttributeError:
            state = tracker.state()
        if self._owner == state.ident:
            if self._real.acquire(blocking, timeout):
                self._depth += 1
                return True
            return False
        if _forever(blocking, timeout) and (state.held or state.future is not None or state.producer.waits or id(self) not in state.producer.taken):
            tracker.before_blocking(state, self, self._cls)
        if not _take(self._real.acquire, state, self, blocking, timeout):
            return False
        self._owner, self._depth = state.ident, 1
        state.held.append(Held(self, self._cls, capture(tracker.settings.held_frames, 2)))
        return True

    def release(self):
        if self._owner == _thread.get_ident():
            if self._depth == 1:
                self._owner, self._depth = None, 0
                state = getattr(_Binding.tracker._local, "state", None)
                if state is not None:
                    held = state.held
                    if held and held[-1].lock is self:
                        held.pop()
                    else:
                        state.drop(self)
            else:
                self._depth -= 1
        self._real.release()  # raises, as the real one does, when this thread does not own it

    __enter__ = acquire

    def __exit__(self, *exc_info):
        self.release()

    # Condition.wait() releases an RLock completely and restores its depth after
    def _release_save(self):
        depth = self._depth
        self._owner, self._depth = None, 0
        state = _Binding.tracker.existing_state()
        if state is not None:
            state.drop(self)
        return (self._real._release_save(), depth)

    def _acquire_restore(self, saved):
        real_state, depth = saved
        tracker = _Binding.tracker
        state = tracker.state()
        if state.held:
            tracker.before_blocking(state, self, self._cls)
        self._real._acquire_restore(real_state)
        self._owner, self._depth = state.ident, depth
        state.held.append(Held(self, self._cls, capture(tracker.settings.held_frames, 2)))

    def _is_owned(self):
        return self._real._is_owned()

    def _at_fork_reinit(self):
        self._real._at_fork_reinit()
        self._owner, self._depth = None, 0

    def __repr__(self) -> str:
        return f"<tracked {self._kind} {self._cls.label} owner={self._owner} count={self._depth}>"


def _new_class(kind: str, reentrant: bool):
    key, label = creation_key(kind)
    return _Binding.tracker.lock_class(key, kind, label, reentrant)


class _StandIn(type):
    """`isinstance(x, threading.Lock)` (a class since 3.13), `isinstance(x, threading.Condition)`:
    true for the tracked objects and the real ones alike, as before installation."""

    _answers_for: tuple = ()

    def __instancecheck__(cls, instance) -> bool:
        return isinstance(instance, cls._answers_for) or type.__instancecheck__(cls, instance)


class Lock(metaclass=_StandIn):
    """Replaces threading.Lock: a tracked lock, or a real one for the standard library's own use."""

    _answers_for = (TrackedLock, _thread.LockType)

    def __new__(cls):
        if not _Binding.active or created_by_stdlib():
            return REAL_LOCK()
        return TrackedLock(_new_class("threading.Lock", False))


class RLock(metaclass=_StandIn):
    """Replaces threading.RLock."""

    _answers_for = (TrackedRLock, type(REAL_RLOCK()))

    def __new__(cls, *args, **kwargs):
        if not _Binding.active or created_by_stdlib():
            return REAL_RLOCK(*args, **kwargs)
        return TrackedRLock(_new_class("threading.RLock", True))


class Condition(REAL_CONDITION, metaclass=_StandIn):
    """threading.Condition; a Condition made without a lock gets a tracked RLock (as the real one gets an RLock)."""

    _answers_for = (REAL_CONDITION,)

    def __new__(cls, lock=None):
        if cls is Condition and (not _Binding.active or created_by_stdlib()):
            return REAL_CONDITION(lock)
        return super().__new__(cls)

    def __init__(self, lock=None):
        if lock is None:
            lock = TrackedRLock(_new_class("threading.RLock", True))
        super().__init__(lock)
        self._ll_class = getattr(lock, "_cls", None)

    def wait(self, timeout=None):
        tracker = _Binding.tracker
        state = tracker.existing_state() if tracker is not None else None
        if state is None:
            return super().wait(timeout)
        if timeout is None and state.held:
            tracker.rendezvous("Condition.wait", self, state, True, self._ll_class)
        state_before, state.blocked = state.blocked, ("Condition.wait", self, tracker_clock(), None)
        try:
            return super().wait(timeout)
        finally:
            state.blocked = state_before

    def notify(self, n=1):
        tracker = _Binding.tracker
        state = tracker.existing_state() if tracker is not None else None
        if state is not None and state.held:
            tracker.rendezvous("Condition.notify", self, state, False, self._ll_class)
        super().notify(n)


if TYPE_CHECKING:  # what the mixin is mixed into (super() is the real semaphore)
    _SemaphoreBase = threading.Semaphore
else:
    _SemaphoreBase = object


class _TrackedSemaphoreMixin(_SemaphoreBase):
    """Semaphore holds: a permit is held by the thread that took it until some thread gives one back."""

    _ll_kind = "threading.Semaphore"

    def _ll_setup(self, value: int) -> None:
        self._ll_class = _new_class(self._ll_kind, False)
        self._ll_initial = value
        self._ll_holders: list = []

    def acquire(self, blocking=True, timeout=None):
        tracker = _Binding.tracker
        state = tracker.state()
        if _forever(blocking, timeout):
            if self._ll_initial == 1 and state.ident in self._ll_holders and self._value == 0:
                if tracker.self_deadlock(state, self, self._ll_class, lambda s: super(_TrackedSemaphoreMixin, self).acquire(True, s)):
                    self._ll_took(state)
                    return True
            if state.held or state.future is not None or state.producer.waits or id(self) not in state.producer.taken:
                tracker.before_blocking(state, self, self._ll_class)
        if not _take(super().acquire, state, self, blocking, timeout):
            return False
        self._ll_took(state)
        return True

    def _ll_took(self, state) -> None:
        self._ll_holders.append(state.ident)
        state.held.append(Held(self, self._ll_class, capture(_Binding.tracker.settings.held_frames, 3)))

    def release(self, n=1):
        super().release(n)
        me = _thread.get_ident()
        tracker = _Binding.tracker
        for _ in range(n):
            if me in self._ll_holders:
                self._ll_holders.remove(me)
                state = tracker.existing_state()
                if state is not None:
                    state.drop(self)
            elif self._ll_holders:
                tracker.released_elsewhere(self, self._ll_class, self._ll_holders.pop(0))

    __enter__ = acquire

    def __exit__(self, *exc_info):
        self.release()


class Semaphore(_TrackedSemaphoreMixin, REAL_SEMAPHORE, metaclass=_StandIn):
    _answers_for = (REAL_SEMAPHORE,)

    def __new__(cls, value=1):
        if cls is Semaphore and (not _Binding.active or created_by_stdlib()):
            return REAL_SEMAPHORE(value)
        return super().__new__(cls)

    def __init__(self, value=1):
        # not super(): the real BoundedSemaphore.__init__ calls threading.Semaphore.__init__, now this one
        REAL_SEMAPHORE.__init__(self, value)
        if isinstance(self, _TrackedSemaphoreMixin):  # (not the real BoundedSemaphore of the stdlib)
            self._ll_setup(value)


class BoundedSemaphore(_TrackedSemaphoreMixin, REAL_BOUNDED_SEMAPHORE, metaclass=_StandIn):
    _ll_kind = "threading.BoundedSemaphore"
    _answers_for = (REAL_BOUNDED_SEMAPHORE,)

    def __new__(cls, value=1):
        if cls is BoundedSemaphore and (not _Binding.active or created_by_stdlib()):
            return REAL_BOUNDED_SEMAPHORE(value)
        return super().__new__(cls)

    def __init__(self, value=1):
        super().__init__(value)
        self._ll_setup(value)


FACTORIES = {"Lock": Lock, "RLock": RLock, "Condition": Condition, "Semaphore": Semaphore, "BoundedSemaphore": BoundedSemaphore}


def patch(tracker: Tracker) -> dict:
    """Point threading's factories at the tracked ones; returns what to restore."""
    _Binding.tracker = tracker
    _Binding.active = True
    saved = {name: getattr(threading, name) for name in FACTORIES}
    for name, factory in FACTORIES.items():
        setattr(threading, name, factory)
    return saved


def unpatch(saved: dict) -> None:
    for name, original in saved.items():
        setattr(threading, name, original)
    _Binding.active = False
