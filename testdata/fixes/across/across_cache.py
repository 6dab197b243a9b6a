"""A subclass in another module calls lookup() under the same lock: both files are fixed."""
from across_store import Store


class Cache(Store):
    def __init__(self):
        super().__init__()
        self.hits = 0

    def get_pair(self, key):
        with self._lock:
            value = self.lookup(key)  # error: LL101
            self.hits += 1
            return value, self.hits


def scenario():
    cache = Cache()
    return cache.get_pair("a"), cache.lookup("a")
