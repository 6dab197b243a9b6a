"""Bodies written on the same line as their header are walked like any other body."""
import threading


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self._count = 0

    def bump(self):
        with self._lock: self._count += 1

    def one_line_with(self):
        with self._lock: self.bump()  # error: LL101

    def one_line_def(self): return self.bump()

    def calls_one_line_def(self):
        with self._lock:
            self.one_line_def()  # error: LL101


class Reentrant:
    """The same shapes with an RLock: taking it again is fine."""

    def __init__(self):
        self._lock = threading.RLock()

    def bump(self):
        with self._lock: pass

    def one_line_with(self):
        with self._lock: self.bump()

    def one_line_if(self, ready):
        with self._lock:
            if ready: self.bump()
