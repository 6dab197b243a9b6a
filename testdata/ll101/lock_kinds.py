"""Which lock constructors deadlock on re-entry, and which do not."""
import _thread
import multiprocessing
import threading


class PlainLock:
    def __init__(self):
        self._lock = threading.Lock()

    def outer(self):
        with self._lock:
            self.inner()  # error: LL101

    def inner(self):
        with self._lock:
            pass


class Reentrant:
    def __init__(self):
        self._lock = threading.RLock()

    def outer(self):
        with self._lock:
            self.inner()  # RLock: the owner may take it again

    def inner(self):
        with self._lock:
            pass


class DefaultSemaphore:
    def __init__(self):
        self._sem = threading.Semaphore()

    def outer(self):
        with self._sem:
            self.inner()  # error: LL101

    def inner(self):
        with self._sem:
            pass


class BinarySemaphore:
    def __init__(self):
        self._sem = threading.BoundedSemaphore(1)

    def outer(self):
        with self._sem:
            self.inner()  # error: LL101

    def inner(self):
        with self._sem:
            pass


class CountingSemaphore:
    def __init__(self):
        self._sem = threading.Semaphore(4)

    def outer(self):
        with self._sem:
            self.inner()  # four permits: a second acquire by the same thread does not hang

    def inner(self):
        with self._sem:
            pass


class LowLevel:
    def __init__(self):
        self._lock = _thread.allocate_lock()

    def outer(self):
        with self._lock:
            self.inner()  # error: LL101

    def inner(self):
        with self._lock:
            pass


class ProcessLock:
    def __init__(self):
        self._lock = multiprocessing.Lock()
        self._rlock = multiprocessing.RLock()

    def outer(self):
        with self._lock:
            self.inner()  # error: LL101
        with self._rlock:
            self.inner_reentrant()

    def inner(self):
        with self._lock:
            pass

    def inner_reentrant(self):
        with self._rlock:
            pass


class ProcessSemaphore:
    def __init__(self):
        self._sem = multiprocessing.Semaphore()

    def outer(self):
        with self._sem:
            self.inner()  # error: LL101

    def inner(self):
        with self._sem:
            pass


class UnknownLock:
    """A lock handed in from outside: its kind is unknown, so never reported."""

    def __init__(self, lock):
        self._lock = lock

    def outer(self):
        with self._lock:
            self.inner()

    def inner(self):
        with self._lock:
            pass
