"""Calling a generator function runs none of its body; iterating the generator runs it."""
import threading


class Table:
    def __init__(self):
        self._lock = threading.Lock()
        self._rows = []

    def rows(self):
        with self._lock:
            snapshot = list(self._rows)
        yield from snapshot

    def lazily(self):
        with self._lock:
            it = self.rows()  # creates the generator: none of its body runs here
        return list(it)

    def handed_out(self):
        with self._lock:
            return self.rows()  # the caller iterates it, after the lock is released

    def count(self):
        with self._lock:
            return sum(1 for _ in self.rows())  # error: LL101

    def first(self):
        with self._lock:
            return next(self.rows())  # error: LL101

    def dump(self, out):
        with self._lock:
            for row in self.rows():  # error: LL101
                out.write(row)

    def numbered(self):
        with self._lock:
            return [(i, row) for i, row in enumerate(self.rows())]  # error: LL101

    def later(self):
        with self._lock:
            it = self.rows()
            return list(it)  # error: LL101


def synchronized(method):
    def wrapper(self, *args):
        with self._lock:
            return method(self, *args)

    return wrapper


class Locked:
    def __init__(self):
        self._lock = threading.Lock()

    @synchronized
    def rows(self):
        yield 1

    def outer(self):
        with self._lock:
            return self.rows()  # error: LL101
