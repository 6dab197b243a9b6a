"""lookup() already only takes the lock around _lookup_locked(): the call under the lock uses that."""
import threading


class Cache:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = {"a": 1}
        self.misses = 0

    def lookup(self, key, default=None):
        with self._lock:
            return self._lookup_locked(key, default)

    def _lookup_locked(self, key, default=None):
        return self._items.get(key, default)

    def lookup_many(self, keys):
        with self._lock:
            found = [self.lookup(key) for key in keys]  # error: LL101
            self.misses += found.count(None)
            return found


def scenario():
    cache = Cache()
    return cache.lookup_many(["a", "b"]), cache.misses
