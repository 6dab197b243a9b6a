"""A `concurrent.futures.Future()` made by the waiter, kept in a field of its object and completed by
another thread (`set_result` / `set_exception`): waiting for it while holding the lock that every
completer needs to reach it never ends (an RPC client's `call()` and its reader thread)."""

import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor


class Client:
    """The reader thread takes the future from `_pending` under the lock, then completes it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}

    def call(self, msg):
        fut = Future()
        with self._lock:
            self._pending[msg.id] = fut
            self._send(msg)
            return fut.result()  # error: LL103

    def call_exception(self, msg):
        fut = Future()
        with self._lock:
            self._pending[msg.id] = fut
            self._send(msg)
            return fut.exception()  # error: LL103

    def call_after_release(self, msg):
        fut = Future()
        with self._lock:
            self._pending[msg.id] = fut
            self._send(msg)
        return fut.result()

    def call_timed(self, msg):
        fut = Future()
        with self._lock:
            self._pending[msg.id] = fut
            self._send(msg)
            return fut.result(timeout=5)

    def _send(self, msg):
        pass

    def _on_reply(self, reply):  # the reader thread
        with self._lock:
            fut = self._pending.pop(reply.id)
        fut.set_result(reply.value)

    def _on_error(self, reply, error):
        with self._lock:
            fut = self._pending[reply.id]
            fut.set_exception(error)

    def _on_close(self, error):
        with self._lock:
            for fut in self._pending.values():
                fut.set_exception(error)


class Waiters:
    """One future kept in an attribute (`self._fut`), and a queue of them completed in one expression."""

    def __init__(self):
        self._lock = threading.Lock()
        self._fut = Future()
        self._waiters = deque()

    def wait_ready(self):
        with self._lock:
            return self._fut.result()  # error: LL103

    def ready(self, value):
        with self._lock:
            self._fut.set_result(value)

    def wait_turn(self):
        fut = Future()
        with self._lock:
            self._waiters.append(fut)
            fut.result()  # error: LL103

    def next_turn(self):
        with self._lock:
            self._waiters.popleft().set_result(None)


class FreeCompleter:
    """The completer takes the future without the lock (dict.pop is atomic): it can always complete it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}

    def call(self, key):
        fut = Future()
        with self._lock:
            self._pending[key] = fut
            return fut.result()

    def on_reply(self, key, value):
        fut = self._pending.pop(key)
        fut.set_result(value)


class CompletesFirst:
    """The completer sets the result before it takes the lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}

    def call(self, key):
        fut = Future()
        with self._lock:
            self._pending[key] = fut
            return fut.result()

    def on_reply(self, key, value):
        fut = self._pending.get(key)
        fut.set_result(value)
        with self._lock:
            del self._pending[key]


class SomeWithoutLock:
    """One completer needs the lock, another does not: the other one can wake the waiter."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}

    def call(self, key):
        fut = Future()
        with self._lock:
            self._pending[key] = fut
            return fut.result()

    def on_reply(self, key, value):
        with self._lock:
            fut = self._pending.pop(key)
        fut.set_result(value)

    def on_timeout(self, key):
        self._pending.pop(key).set_exception(TimeoutError())


class CompletedElsewhere:
    """A completer that is given the future (a parameter): where it came from is not known, so neither is
    whether it needs the lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}

    def call(self, key):
        fut = Future()
        with self._lock:
            self._pending[key] = fut
            return fut.result()

    def on_reply(self, key, value):
        with self._lock:
            fut = self._pending.pop(key)
        fut.set_result(value)

    def complete(self, fut, value):
        fut.set_result(value)


class HandedOn:
    """The future is also handed to a call: whoever gets it there may complete it without the lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}

    def call(self, key, transport):
        fut = Future()
        with self._lock:
            self._pending[key] = fut
            transport.send(key, fut)
            return fut.result()

    def on_reply(self, key, value):
        with self._lock:
            fut = self._pending.pop(key)
        fut.set_result(value)


class Submitted:
    """A future from pool.submit: what completes it is the submitted call (here without the lock)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._pending = {}

    def _compute(self):
        return 1

    def call(self, key):
        with self._lock:
            fut = self._pool.submit(self._compute)
            self._pending[key] = fut
            return fut.result()

    def cancel(self, key):
        with self._lock:
            self._pending.pop(key).set_exception(RuntimeError())


class Peer:
    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}

    def on_reply(self, key, value):
        with self._lock:
            self._pending.pop(key).set_result(value)


class AnotherObject:
    """The future is kept in another object's collection, completed under that object's lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._peer = Peer()

    def call(self, key):
        fut = Future()
        with self._lock:
            self._peer._pending[key] = fut
            return fut.result()


class TakenInABranch:
    """One branch takes the future without the lock: the completer need not wait for it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}

    def call(self, key):
        fut = Future()
        with self._lock:
            self._pending[key] = fut
            return fut.result()

    def on_reply(self, key, value, fast):
        if fast:
            fut = self._pending.pop(key)
        else:
            with self._lock:
                fut = self._pending.pop(key)
        fut.set_result(value)
