"""Condition() defaults to an RLock; Condition(lock) *is* that lock."""
import threading


class DefaultCondition:
    def __init__(self):
        self._cond = threading.Condition()
        self._items = []

    def put(self, item):
        with self._cond:
            self._items.append(item)
            self.notify_all()  # the default lock is an RLock: re-entry is fine

    def notify_all(self):
        with self._cond:
            self._cond.notify_all()


class SharedLock:
    def __init__(self):
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._items = []

    def put(self, item):
        with self._lock:
            self._items.append(item)
            self.wake()  # error: LL101

    def wake(self):
        with self._ready:  # holding the condition is holding self._lock
            self._ready.notify()

    def get(self):
        with self._ready:
            while not self._items:
                self._ready.wait()  # wait releases self._lock: correct
            return self.pop()  # error: LL101

    def pop(self):
        with self._lock:
            return self._items.pop()


class RLockCondition:
    def __init__(self):
        self._lock = threading.RLock()
        self._ready = threading.Condition(self._lock)

    def put(self):
        with self._lock:
            self.wake()

    def wake(self):
        with self._ready:
            self._ready.notify()


class KeywordCondition:
    def __init__(self):
        self._lock = threading.Lock()
        self._ready = threading.Condition(lock=self._lock)

    def put(self):
        with self._ready:
            self.flush()  # error: LL101

    def flush(self):
        with self._lock:
            pass
