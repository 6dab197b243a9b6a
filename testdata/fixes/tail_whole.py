"""The call was all the `with` did: the `with` goes, its comments stay."""
import threading


class Cache:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = {}

    def reset(self):
        # reset under the lock
        with self._lock:  # guards _items
            self.clear()  # error: LL101

    def reset_acquire(self):
        self._lock.acquire()
        try:
            self.clear()  # error: LL101
        finally:
            self._lock.release()

    def clear(self):
        with self._lock:
            self._items.clear()


def scenario():
    cache = Cache()
    cache._items["a"] = 1
    cache.reset()
    cache._items["b"] = 2
    cache.reset_acquire()
    return cache._items
