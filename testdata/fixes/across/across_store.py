"""A base class in its own module: its lookup() takes the lock."""
import threading


class Store:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = {"a": 1}

    def lookup(self, key):
        with self._lock:
            return self._items[key]
