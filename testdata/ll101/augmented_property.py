"""`self.prop += x` reads the property (its getter), then sets it (its setter)."""

import threading


class VirtualClock:
    def __init__(self):
        self._lock = threading.Lock()
        self._clock = 0.0

    @property
    def clock(self):
        with self._lock:
            return self._clock

    @clock.setter
    def clock(self, value):
        self._clock = value

    def tick(self):
        with self._lock:
            self.clock += 1.0  # error: LL101

    def tick_unlocked(self):
        self.clock += 1.0  # the getter takes the lock, but nothing holds it here

    def tick_field(self):
        with self._lock:
            self._clock += 1.0  # a plain attribute: no getter runs
