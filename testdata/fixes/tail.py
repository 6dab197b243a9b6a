import threading


class Cache:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = {}

    def put(self, key, value):
        with self._lock:
            self._items[key] = value
            # keep the cache small
            self.trim()  # error: LL101

    def trim(self):
        with self._lock:
            while len(self._items) > 100:
                self._items.popitem()
