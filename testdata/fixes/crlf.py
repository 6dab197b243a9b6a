import threading


class Cache:
    def __init__(self):
        self._lock = threading.Lock()

    def put(self, key):
        with self._lock:
            self._last = key
            if key is None:
                self.clear()  # error: LL101

    def clear(self):
        with self._lock:
            self._last = None
