"""A lock handed to a helper that this object builds and keeps: `self._flusher = Flusher(self._lock)`
with `self._lock = lock` in Flusher.__init__. Under `self._lock`, `self._flusher.flush()` taking
its `self._lock` takes this object's lock again."""

import threading


class Flusher:
    def __init__(self, lock):
        self._lock = lock

    def flush(self):
        with self._lock:
            pass


class Buffer:
    def __init__(self):
        self._lock = threading.Lock()
        self._flusher = Flusher(self._lock)

    def write(self):
        with self._lock:
            self._flusher.flush()  # error: LL101


class Swapping:
    """A helper whose lock is replaced after construction: not known to be the same lock."""

    def __init__(self, lock):
        self._lock = lock

    def reset(self):
        self._lock = threading.Lock()

    def flush(self):
        with self._lock:
            pass


class Owner:
    def __init__(self, other: Swapping):
        self._lock = threading.Lock()
        self._swapping = Swapping(self._lock)
        self._other = Flusher(threading.Lock())
        self._given = other

    def write(self):
        with self._lock:
            self._swapping.flush()
            self._other.flush()  # its own lock
            self._given.flush()  # built elsewhere
