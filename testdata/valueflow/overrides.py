"""Dispatch: `self.m()` runs the override of the subclass the program actually builds."""
import threading


class Store:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = {}

    def save(self, key, value):
        with self._lock:
            self._items[key] = value
            self.on_saved(key)  # error: LL101

    def on_saved(self, key):
        pass


class AuditedStore(Store):
    def on_saved(self, key):
        with self._lock:
            self._items["audit"] = key


class Quiet:
    def __init__(self):
        self._lock = threading.Lock()

    def save(self, key):
        with self._lock:
            self.on_saved(key)

    def on_saved(self, key):
        pass


class NeverBuilt(Quiet):
    """Overrides under the lock, but no code ever makes one: nothing to report."""

    def on_saved(self, key):
        with self._lock:
            pass


def make():
    return AuditedStore()
