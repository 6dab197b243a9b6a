"""f-strings and str() call __format__, __str__ or __repr__ of the object, which may take its lock."""
import threading


class Account:
    def __init__(self):
        self._lock = threading.Lock()
        self._balance = 0

    def __repr__(self):
        with self._lock:
            return f"Account({self._balance})"

    def log_with_repr(self):
        with self._lock:
            print(f"{self!r} changed")  # error: LL101

    def log_after_release(self):
        with self._lock:
            balance = self._balance
        print(f"{self!r}: {balance}")


class Plain:
    """__repr__ that reads without the lock: formatting under the lock is fine."""

    def __init__(self):
        self._lock = threading.Lock()
        self._balance = 0

    def __repr__(self):
        return f"Plain({self._balance})"

    def log(self):
        with self._lock:
            print(f"{self!r} {self}")


class Described(Exception):
    """A base outside the tree defines __str__: what f"{self}" runs is not known."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()

    def __repr__(self):
        with self._lock:
            return "Described"

    def log(self):
        with self._lock:
            print(f"{self}")
