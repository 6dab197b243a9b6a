"""Locks that do not come from threading.Lock() on the spot: a property that returns the lock."""
import threading


class Cache:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = {}

    @property
    def lock(self):
        return self._lock

    def clear(self):
        with self._lock:
            self._items.clear()

    def reset(self):
        with self.lock:
            self.clear()  # error: LL101


class Fresh:
    """A property that makes a new lock on every read: two reads are two different locks."""

    def __init__(self):
        self._items = {}

    @property
    def lock(self):
        return threading.Lock()

    def clear(self):
        with self.lock:
            self._items.clear()

    def reset(self):
        with self.lock:
            self.clear()
