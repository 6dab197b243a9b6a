"""Locks made by another object's method: `self._lock = self._env.make_lock()`."""

import threading


class Env:
    def make_lock(self):
        return threading.Lock()

    def make_rlock(self):
        return threading.RLock()


class Store:
    def __init__(self, env: Env):
        self._env = env
        self._lock = self._env.make_lock()
        self._items = {}

    def clear(self):
        with self._lock:
            self._items.clear()

    def reset(self):
        with self._lock:
            self.clear()  # error: LL101


class Journal:
    """An RLock factory: taking it again on the same thread is fine."""

    def __init__(self):
        self._env = Env()
        self._lock = self._env.make_rlock()
        self._lines = []

    def clear(self):
        with self._lock:
            self._lines.clear()

    def reset(self):
        with self._lock:
            self.clear()
