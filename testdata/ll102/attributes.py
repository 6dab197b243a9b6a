"""Types from `self.x = Class()` and from annotations, across two classes."""
import threading


class Cache:
    def __init__(self):
        self._lock = threading.Lock()
        self._index = Index(self)

    def get(self, key):
        with self._lock:
            return self._index.lookup(key)  # error: LL102

    def evict(self):
        with self._lock:
            pass


class Index:
    def __init__(self, cache: Cache):
        self._lock = threading.RLock()  # reentrant, but inversions still deadlock
        self._cache = cache

    def lookup(self, key):
        with self._lock:
            return key

    def rebuild(self):
        with self._lock:
            self._cache.evict()
