import threading


class Cache:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = {}

    def put(self, key, value):
        with self._lock:  # guards _items
            self._items[key] = value    # odd   spacing stays

            # the cache must stay small;
            # trim() takes the lock itself
            self.trim( )  # error: LL101
        # after the block
        return key

    def trim(self):
        with self._lock:
            self._items.clear()
