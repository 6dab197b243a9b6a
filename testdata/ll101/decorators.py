"""A decorator defined in the tree that wraps the method body in the lock."""
import functools
import threading


def synchronized(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


def logged(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        return method(self, *args, **kwargs)

    return wrapper


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self._value = 0

    @synchronized
    def increment(self):
        self._value += 1
        self.report()  # error: LL101

    @synchronized
    def report(self):
        return self._value

    def reset(self):
        with self._lock:
            self.report()  # error: LL101

    @logged
    def peek(self):
        return self._value

    def safe(self):
        with self._lock:
            self.peek()  # logged takes no lock: fine
