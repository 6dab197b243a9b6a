"""Locks as module globals, class attributes, instance attributes set in any method, dataclass fields."""
import threading
from dataclasses import dataclass, field
from typing import List

_registry_lock = threading.Lock()
_registry = {}


def register(name, value):
    with _registry_lock:
        _registry[name] = value
        _notify(name)  # error: LL101


def _notify(name):
    with _registry_lock:
        return _registry.get(name)


class ClassLevel:
    _lock = threading.Lock()  # shared by every instance

    def save(self):
        with self._lock:
            self.flush()  # error: LL101

    def flush(self):
        with ClassLevel._lock:
            pass

    @classmethod
    def reset(cls):
        with cls._lock:
            cls.clear()  # error: LL101

    @classmethod
    def clear(cls):
        with cls._lock:
            pass


class LateInit:
    def start(self):
        self._lock = threading.Lock()  # assigned outside __init__

    def run(self):
        with self._lock:
            self.step()  # error: LL101

    def step(self):
        with self._lock:
            pass


@dataclass
class Account:
    balance: int = 0
    history: List[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def deposit(self, amount):
        with self._lock:
            self.balance += amount
            self.record(amount)  # error: LL101

    def record(self, amount):
        with self._lock:
            self.history.append(amount)


class Annotated:
    _lock: threading.Lock  # declared here, created by whoever builds the object

    def __init__(self, lock):
        self._lock = lock

    def outer(self):
        with self._lock:
            self.inner()  # error: LL101

    def inner(self):
        with self._lock:
            pass


class AnnotatedAssignment:
    def __init__(self):
        self._lock: threading.Lock = threading.Lock()

    def outer(self):
        with self._lock:
            self.inner()  # error: LL101

    def inner(self):
        with self._lock:
            pass
