"""Reachability that depends on a lock test: no safe fix (only unsafe ones, with --unsafe-fixes)."""
import threading


class Flusher:
    def __init__(self, other):
        self._lock = threading.Lock()
        self._other = other
        self._items = []

    def push(self, item):
        with self._lock:
            self._items.append(item)
            if self._other.acquire(False):
                self._other.release()
                self.flush()  # error: LL101

    def flush(self):
        with self._lock:
            self._items.clear()
