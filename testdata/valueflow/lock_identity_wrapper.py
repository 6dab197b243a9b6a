"""A wrapper class whose __enter__/acquire take an inner lock."""

import threading


class Guard:
    def __init__(self):
        self._inner = threading.Lock()

    def __enter__(self):
        self._inner.acquire()
        return self

    def __exit__(self, *exc):
        self._inner.release()


class Service:
    def __init__(self):
        self._guard = Guard()
        self._jobs = []

    def add(self, job):
        with self._guard:
            self._jobs.append(job)

    def add_all(self, jobs):
        with self._guard:
            for job in jobs:
                self.add(job)  # error: LL101


class ReentrantGuard:
    def __init__(self):
        self._inner = threading.RLock()

    def __enter__(self):
        self._inner.acquire()
        return self

    def __exit__(self, *exc):
        self._inner.release()


class Tolerant:
    """A wrapper around an RLock: taking it again is fine."""

    def __init__(self):
        self._guard = ReentrantGuard()
        self._jobs = []

    def add(self, job):
        with self._guard:
            self._jobs.append(job)

    def add_all(self, jobs):
        with self._guard:
            for job in jobs:
                self.add(job)


class Gate:
    """acquire()/release() that take an inner lock."""

    def __init__(self):
        self._inner = threading.Lock()

    def acquire(self):
        self._inner.acquire()

    def release(self):
        self._inner.release()


class Outbox:
    def __init__(self):
        self._gate = Gate()
        self._items = []

    def push(self, item):
        self._gate.acquire()
        try:
            self._items.append(item)
        finally:
            self._gate.release()

    def push_all(self, items):
        self._gate.acquire()
        try:
            for item in items:
                self.push(item)  # error: LL101
        finally:
            self._gate.release()
