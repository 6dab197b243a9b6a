"""Long call chains and recursion are followed to a fixed point."""
import threading


class BlobStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._blobs = {}

    def put(self, key, blob):
        with self._lock:
            self._blobs[key] = blob
            self._spill(key)  # error: LL101

    def _spill(self, key):
        self._rotate(key)

    def _rotate(self, key):
        if len(self._blobs) > 10:
            self.compact()

    def compact(self):
        with self._lock:
            self._blobs.clear()

    def walk(self, depth):
        with self._lock:
            self._down(depth)  # error: LL101

    def _down(self, depth):
        if depth:
            self._up(depth - 1)

    def _up(self, depth):
        if depth % 7 == 0:
            self.compact()
        self._down(depth)
