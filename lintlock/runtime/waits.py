"""Blocking waits that a lock held by the waiter can turn into a deadlock (LL103).

Patched methods: Thread.join; Event.wait/set; Queue.get/put; Future.result
and the three calls by which a worker runs a Future. Each wrapper calls the
original with the same arguments; with no tracked lock held it only records,
for hang dumps, what the thread is blocked on.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import _base as futures
from time import monotonic
from typing import Callable, List, Tuple

from .tracker import FutureProducer, Tracker


def _blocked(state, what: str, obj: object, target: int = 0):
    before = state.blocked
    state.blocked = (what, obj, monotonic(), target or None)
    return before


def _join(tracker: Tracker, original: Callable) -> Callable:
    def join(self, timeout=None):
        state = tracker.existing_state()
        if state is None:
            return original(self, timeout)
        if timeout is None and state.held and self.ident != state.ident:
            tracker.wait_for_producer(f"Thread.join() of {self.name}", tracker.producer_of(self), state, not self.is_alive() and self.ident is not None)
        before = _blocked(state, f"Thread.join() of {self.name}", self, self.ident or 0)
        try:
            return original(self, timeout)
        finally:
            state.blocked = before

    return join


def _waiting(tracker: Tracker, original: Callable, kind: str, forever: Callable[..., bool], channel: str = "") -> Callable:
    """Event.wait, Queue.get/put: `forever(*args, **kwargs)` says whether this call may wait without limit.

    Recorded even when this call happens not to wait (the event is already
    set): in another run the waker may come second, and find the lock taken.
    """

    def wait(self, *args, **kwargs):
        state = tracker.existing_state()
        if state is None:
            return original(self, *args, **kwargs)
        if state.held and forever(self, *args, **kwargs):
            tracker.rendezvous(kind, self, state, True, channel=channel)
        before = _blocked(state, kind, self)
        try:
            return original(self, *args, **kwargs)
        finally:
            state.blocked = before

    return wait


def _waking(tracker: Tracker, original: Callable, kind: str) -> Callable:
    """Event.set, Queue.put/get as the calls that end someone else's wait."""

    def wake(self, *args, **kwargs):
        state = tracker.existing_state()
        if state is not None and state.held:
            tracker.rendezvous(kind, self, state, False)
        return original(self, *args, **kwargs)

    return wake


def _queue_wait(kind: str):
    def forever(self, *args, **kwargs) -> bool:
        names = ("item", "block", "timeout") if kind == "put" else ("block", "timeout")
        bound = dict(zip(names, args), **kwargs)
        if not bound.get("block", True) or bound.get("timeout") is not None:
            return False
        return kind == "get" or self.maxsize > 0

    return forever


def _event_forever(self, timeout=None) -> bool:
    return timeout is None


def _queue_put(tracker: Tracker, original: Callable) -> Callable:
    waits = _waiting(tracker, original, "Queue.put()", _queue_wait("put"), channel="slots")

    def put(self, *args, **kwargs):
        state = tracker.existing_state()
        if state is not None and state.held:
            tracker.rendezvous("Queue.put()", self, state, False, channel="items")
        return waits(self, *args, **kwargs)

    return put


def _queue_get(tracker: Tracker, original: Callable) -> Callable:
    waits = _waiting(tracker, original, "Queue.get()", _queue_wait("get"), channel="items")

    def get(self, *args, **kwargs):
        state = tracker.existing_state()
        if state is not None and state.held and self.maxsize > 0:
            tracker.rendezvous("Queue.get()", self, state, False, channel="slots")
        return waits(self, *args, **kwargs)

    return get


def _result(tracker: Tracker, original: Callable) -> Callable:
    def result(self, timeout=None):
        state = tracker.existing_state()
        if state is None:
            return original(self, timeout)
        if timeout is None and state.held:
            producer = tracker.record(self, FutureProducer)
            if producer is not None:
                tracker.wait_for_producer("Future.result()", producer, state, self.done())
        before = _blocked(state, "Future.result()", self)
        try:
            return original(self, timeout)
        finally:
            state.blocked = before

    return result


def _running(tracker: Tracker, original: Callable) -> Callable:
    def set_running_or_notify_cancel(self):
        running = original(self)
        if running:
            state = tracker.state()
            producer = tracker.record(self, FutureProducer)
            if producer is not None:
                producer.name, producer.ident = f"thread {state.name} (running the future)", state.ident
            state.future = producer
        return running

    return set_running_or_notify_cancel


def _finishing(tracker: Tracker, original: Callable) -> Callable:
    def finish(self, *args, **kwargs):
        state = tracker.existing_state()
        future = state.future if state is not None else None
        if state is not None and isinstance(future, FutureProducer) and future.ref() is self:
            future.waits.clear()
            state.future = None
        return original(self, *args, **kwargs)

    return finish


def patch(tracker: Tracker) -> List[Tuple[type, str, Callable]]:
    """Wrap the waiting methods; returns (class, name, original) to restore."""
    plan = [
        (threading.Thread, "join", lambda o: _join(tracker, o)),
        (threading.Event, "wait", lambda o: _waiting(tracker, o, "Event.wait()", _event_forever)),
        (threading.Event, "set", lambda o: _waking(tracker, o, "Event.set()")),
        (queue.Queue, "get", lambda o: _queue_get(tracker, o)),
        (queue.Queue, "put", lambda o: _queue_put(tracker, o)),
        (futures.Future, "result", lambda o: _result(tracker, o)),
        (futures.Future, "set_running_or_notify_cancel", lambda o: _running(tracker, o)),
        (futures.Future, "set_result", lambda o: _finishing(tracker, o)),
        (futures.Future, "set_exception", lambda o: _finishing(tracker, o)),
    ]
    saved = []
    for owner, name, wrap in plan:
        original = owner.__dict__[name]
        saved.append((owner, name, original))
        setattr(owner, name, wrap(original))
    return saved


def unpatch(saved: List[Tuple[type, str, Callable]]) -> None:
    for owner, name, original in reversed(saved):
        setattr(owner, name, original)
