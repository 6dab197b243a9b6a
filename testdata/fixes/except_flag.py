import threading


class Store:
    def __init__(self):
        self._lock = threading.Lock()
        self._data = {}

    def take(self, key):
        with self._lock:
            try:
                value = self._data.pop(key)
            except KeyError:
                self.reload()  # error: LL101
                value = None
            else:
                self._last = key

    def take_last(self, key):
        with self._lock:
            try:
                self._data.pop(key)
            except KeyError:
                self.reload()  # error: LL101

    def reload(self):
        with self._lock:
            self._data.clear()
