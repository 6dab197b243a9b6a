"""The seed's sibling bug: wait() polls `done` holding the mutex that complete() needs to set it."""
import threading
import time


class TaskMonitor:
    def __init__(self):
        self._mu = threading.Lock()
        self._done = False

    def wait(self):
        with self._mu:
            while not self._done:
                time.sleep(0.5)  # error: LL103

    def complete(self):
        with self._mu:
            self._done = True


class FixedMonitor:
    """The fix: wait on a Condition, which releases the lock while waiting."""

    def __init__(self):
        self._cond = threading.Condition(threading.Lock())
        self._done = False

    def wait(self):
        with self._cond:
            while not self._done:
                self._cond.wait()

    def complete(self):
        with self._cond:
            self._done = True
            self._cond.notify_all()


class PollWithoutLock:
    def __init__(self):
        self._mu = threading.Lock()
        self._done = False

    def wait(self):
        while not self._done:  # polls without holding the lock: complete() can run
            time.sleep(0.5)

    def complete(self):
        with self._mu:
            self._done = True


class UnlockedWriter:
    def __init__(self):
        self._mu = threading.Lock()
        self._done = False

    def wait(self):
        with self._mu:
            while not self._done:
                time.sleep(0.5)  # the writer does not need the lock: it can finish

    def complete(self):
        self._done = True
