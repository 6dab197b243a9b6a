"""Two deferred calls in one function: each flag says what it records."""
import threading


class Store:
    def __init__(self):
        self._lock = threading.Lock()
        self._data = {}
        self.reloads = []

    def take(self, key):
        with self._lock:
            try:
                return self._data.pop(key)
            except KeyError:
                self.reload(key)  # error: LL101
            except TypeError:
                self.reload(None)  # error: LL101

    def reload(self, key):
        with self._lock:
            self.reloads.append(key)


def scenario():
    store = Store()
    store._data["a"] = 1
    return store.take("a"), store.take("b"), store.take([]), store.reloads
