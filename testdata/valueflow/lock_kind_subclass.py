"""The kind of an instance lock is what every class that may be `self` binds it to: the class and
the subclasses the program builds. A built subclass binding an RLock makes it unknown (quiet);
one binding a Lock again, or a subclass nothing builds, changes nothing."""

import threading
from collections import defaultdict


class Base:
    def __init__(self):
        self._lock = threading.Lock()
        self._locks = defaultdict(threading.Lock)

    def _put(self, key):
        with self._lock:
            with self._locks[key]:
                pass

    def again(self):
        with self._lock:
            self._put("k")

    def again_keyed(self, key):
        with self._locks[key]:
            self._put(key)


class Tolerant(Base):
    def __init__(self):
        super().__init__()
        self._lock = threading.RLock()
        self._locks = defaultdict(threading.RLock)


class Strict:
    def __init__(self):
        self._lock = threading.Lock()

    def _get(self):
        with self._lock:
            pass

    def again(self):
        with self._lock:
            self._get()  # error: LL101


class StrictAgain(Strict):
    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()


class NeverBuilt(Strict):
    def __init__(self):
        super().__init__()
        self._lock = threading.RLock()


def build():
    return Tolerant(), StrictAgain()
