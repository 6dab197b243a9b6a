"""However the lock constructor is imported, it is recognised."""
import threading as th
from threading import Lock as Mutex
from threading import RLock


class Aliased:
    def __init__(self):
        self._a = th.Lock()
        self._b = Mutex()
        self._c = RLock()

    def first(self):
        with self._a:
            self.take_a()  # error: LL101

    def take_a(self):
        with self._a:
            pass

    def second(self):
        with self._b:
            self.take_b()  # error: LL101

    def take_b(self):
        with self._b:
            pass

    def third(self):
        with self._c:
            self.take_c()

    def take_c(self):
        with self._c:
            pass
