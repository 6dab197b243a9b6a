"""Locks passed as arguments: a helper that takes two locks, called in both orders."""

import threading


def transfer(first, second, amount):
    with first:
        with second:
            return amount


class Bank:
    def __init__(self):
        self._checking = threading.Lock()
        self._savings = threading.Lock()

    def save(self, amount):
        return transfer(self._checking, self._savings, amount)  # error: LL102

    def withdraw(self, amount):
        return transfer(self._savings, self._checking, amount)


class Ledger:
    """The same helper, always called in the same order: no inversion."""

    def __init__(self):
        self._head = threading.Lock()
        self._tail = threading.Lock()

    def append(self, amount):
        return transfer(self._head, self._tail, amount)

    def pop(self, amount):
        return transfer(self._head, self._tail, -amount)
