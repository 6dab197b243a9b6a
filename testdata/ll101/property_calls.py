"""A property made by calling property() on methods (`clock = property(_get_clock)`):
reading it runs the getter, setting it the setter, as with @property."""

import threading


class VirtualClock:
    def __init__(self):
        self._lock = threading.Lock()
        self._clock = 0.0

    def _get_clock(self):
        with self._lock:
            return self._clock

    def _set_clock(self, value):
        with self._lock:
            self._clock = value

    clock = property(fget=_get_clock)
    both = property(_get_clock, _set_clock)

    def tick(self):
        with self._lock:
            return self.clock + 1.0  # error: LL101

    def reset(self):
        with self._lock:
            self.both = 0.0  # error: LL101

    def peek(self):
        return self.clock  # quiet: nothing held here

    def tick_field(self):
        with self._lock:
            return self._clock + 1.0  # quiet: a plain attribute
