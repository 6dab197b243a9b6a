"""A chain: add() holds the lock, calls _maybe_rebuild(), which calls rebuild(), which takes it again.
_maybe_rebuild() is only ever called with the lock held, so rebuild is split at that hop."""
import threading


class Index:
    def __init__(self):
        self._lock = threading.Lock()
        self._keys = set()
        self._sorted = []
        self.adds = 0

    def add(self, key):
        with self._lock:
            self._keys.add(key)
            self._maybe_rebuild()  # error: LL101
            self.adds += 1

    def _maybe_rebuild(self):
        if len(self._keys) % 2 == 0:
            self.rebuild()

    def rebuild(self):
        with self._lock:
            self._sorted = sorted(self._keys)


def scenario():
    index = Index()
    for key in "dcba":
        index.add(key)
    return index._sorted, index.adds
