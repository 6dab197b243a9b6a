"""Correct idioms: one global order, a gate lock, two instances of one class."""
import threading

first = threading.Lock()
second = threading.Lock()
gate = threading.Lock()
left = threading.Lock()
right = threading.Lock()


def a():
    with first:
        with second:
            pass


def b():
    with first:
        with second:
            pass


def gated_one():
    with gate:
        with left:
            with right:
                pass


def gated_two():
    with gate:
        with right:
            with left:
                pass


class Account:
    def __init__(self):
        self._lock = threading.Lock()
        self.balance = 0

    def transfer(self, other: "Account", amount):
        with self._lock:
            with other._lock:  # two instances of one class: not reported by default
                self.balance -= amount
                other.balance += amount


def try_lock_order():
    with second:
        if first.acquire(blocking=False):  # cannot wait: no inversion
            first.release()
