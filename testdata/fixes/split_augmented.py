"""`obj.prop += x` under the lock its getter or setter takes: read, `+=`, set, with the
variant for the accessor that takes the lock. `+=` keeps its in-place meaning (a list)."""

import threading


class Clock:
    def __init__(self):
        self._lock = threading.Lock()
        self._now = 0.0
        self._marks = []

    @property
    def now(self):
        with self._lock:
            return self._now

    @now.setter
    def now(self, value):
        self._now = value

    @property
    def marks(self):
        return self._marks

    @marks.setter
    def marks(self, value):
        with self._lock:
            self._marks = value

    def tick(self, dt):
        with self._lock:
            # advance the clock
            self.now += dt  # error: LL101
            return self._now

    def mark(self, label):
        seen = self._marks
        with self._lock:
            self.marks += [label]  # error: LL101
        return seen is self._marks


def scenario():
    clock = Clock()
    return clock.tick(1.5), clock.tick(2), clock.mark("a"), clock.mark("b"), clock.marks, clock.now
