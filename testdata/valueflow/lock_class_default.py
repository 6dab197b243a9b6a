"""A lock class given as a parameter default: `self._lock = lock_cls()` makes a threading.Lock
unless some caller passes another class."""

import threading


class Pool:
    def __init__(self, lock_cls=threading.Lock):
        self._lock = lock_cls()

    def _get(self):
        with self._lock:
            pass

    def get_twice(self):
        with self._lock:
            self._get()  # error: LL101


class Waiter:
    def __init__(self, cond_cls=threading.Condition, lock_cls=threading.Lock):
        self._lock = lock_cls()
        self._cond = cond_cls(self._lock)

    def _peek(self):
        with self._cond:
            pass

    def wait_peeking(self):
        with self._lock:
            self._peek()  # error: LL101


class Tolerant:
    """An RLock by default: taking it again is fine."""

    def __init__(self, lock_cls=threading.RLock):
        self._lock = lock_cls()

    def _get(self):
        with self._lock:
            pass

    def get_twice(self):
        with self._lock:
            self._get()


class Replaced:
    """A Lock by default, but built with an RLock: which one it is depends on the caller."""

    def __init__(self, lock_cls=threading.Lock):
        self._lock = lock_cls()

    def _get(self):
        with self._lock:
            pass

    def get_twice(self):
        with self._lock:
            self._get()


def build():
    return Replaced(lock_cls=threading.RLock), Pool(), Waiter()
