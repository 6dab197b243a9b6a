"""Statements that cannot raise (in practice) leave no window between acquire() and the try or release."""
import threading
import time


class Worker:
    def __init__(self):
        self._cond = threading.Condition()
        self._owner = None
        self._count = 0
        self._items = []

    def claim(self):
        self._cond.acquire()
        self._owner = threading.current_thread()
        self._count += 1
        started = time.monotonic()
        self._cond.notify_all()
        self._cond.release()
        return started

    def queue(self, item):
        self._cond.acquire()
        self._items.append((item, time.monotonic()))
        self._cond.notify()
        self._cond.release()

    def guarded_later(self, item):
        self._cond.acquire()
        self._owner = threading.current_thread()
        try:
            self._items.append(item)
        finally:
            self._cond.release()

    def appends(self, item):
        self._cond.acquire()  # error: LL105
        self._items.append(item.render())  # render() can raise
        self._cond.notify()
        self._cond.release()

    def subscripts(self, key):
        self._cond.acquire()  # error: LL105
        self._owner = self._items[key]  # IndexError leaves the condition's lock held
        self._cond.release()


class ReaderCount:
    """A reader-writer lock's reader count (readerwriterlock's shape): a counter, its comparison with a
    number, and another lock's acquire()/release() without arguments cannot raise in practice."""

    def __init__(self):
        self.readers = 0
        self.resource = threading.Lock()
        self.count_lock = threading.Lock()

    def acquire_read(self):
        self.count_lock.acquire()
        self.readers += 1
        if self.readers == 1:
            self.resource.acquire()
        self.count_lock.release()

    def release_read(self):
        self.count_lock.acquire()
        self.readers -= 1
        if 0 == self.readers:
            self.resource.release()
        self.count_lock.release()

    def compares_names(self, limit):
        self.count_lock.acquire()  # error: LL105
        if self.readers > limit:  # two objects: their comparison can raise
            self.resource.release()
        self.count_lock.release()

    def timed(self, timeout):
        self.count_lock.acquire()  # error: LL105
        if self.readers == 1:
            self.resource.acquire(timeout=timeout)  # arguments: not on the list
        self.count_lock.release()
