"""A property made with property() on methods: reading it runs the getter, setting it the
setter. Under the lock they take, the split's variant is called in their place; the property
keeps the method that takes the lock, for its other users."""

import threading


class Meter:
    def __init__(self):
        self._lock = threading.Lock()
        self._total = 0

    def _get_total(self):
        with self._lock:
            return self._total

    def _set_total(self, value):
        with self._lock:
            self._total = value

    total = property(_get_total, _set_total)
    seen = property(fget=_get_total)

    def add(self, amount):
        with self._lock:
            self.total = self._total + amount  # error: LL101
            return self.seen  # error: LL101

    def report(self):
        return self.total, self.seen  # nothing held: the accessors take the lock themselves


def scenario():
    meter = Meter()
    return meter.add(2), meter.add(3), meter.report()
