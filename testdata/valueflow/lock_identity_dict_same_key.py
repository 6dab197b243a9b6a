"""Locks in a dict, taken again by the same key: the same literal, or the same name passed straight
on to the function that takes the lock (`with self._locks[name]: self._put(name)`)."""

import threading
from collections import defaultdict


class Registry:
    def __init__(self):
        self._locks = defaultdict(threading.Lock)
        self._data = {}

    def _put(self, key, value):
        with self._locks[key]:
            self._data[key] = value

    def _meta(self):
        with self._locks["meta"]:
            return self._data.get("meta")

    def replace(self, key, value):
        with self._locks[key]:
            self._put(key, value)  # error: LL101

    def reset_meta(self):
        with self._locks["meta"]:
            self._meta()  # error: LL101

    def each(self, keys):
        for key in keys:
            with self._locks[key]:
                self._put(key, None)  # error: LL101

    def twice(self, key):
        with self._locks[key]:
            with self._locks[key]:  # error: LL101
                pass

    def swap(self, key, other):
        with self._locks[key]:
            self._put(other, None)  # another key: another lock

    def renamed(self, key):
        with self._locks[key]:
            key = key.lower()
            self._put(key, None)  # the name holds another value by now: not claimed

    def meta_by_name(self, key):
        with self._locks[key]:
            self._meta()  # key may be "meta", or not: not claimed

    def each_dependency(self, key, deps):
        with self._locks[key]:
            for key in deps:  # `key` is each dependency by now: another lock
                self._put(key, None)

    def all_dependencies(self, key, deps):
        with self._locks[key]:
            return [self._put(key, None) for key in deps]  # the comprehension's own `key`

    def first_dependency(self, key, deps):
        with self._locks[key]:
            if (key := deps.get(key)) is not None:  # bound again by :=
                self._put(key, None)


class Table:
    """Elements made by a literal and by assignment: Lock and Lock."""

    def __init__(self):
        self._locks = {"read": threading.Lock()}
        self._locks["write"] = threading.Lock()

    def _read(self):
        with self._locks["read"]:
            pass

    def read_twice(self):
        with self._locks["read"]:
            self._read()  # error: LL101

    def write_then_read(self):
        with self._locks["write"]:
            self._read()


class Reentrant:
    """RLock elements: taking one again on the same thread is fine."""

    def __init__(self):
        self._locks = defaultdict(threading.RLock)

    def _get(self, key):
        with self._locks[key]:
            pass

    def get_twice(self, key):
        with self._locks[key]:
            self._get(key)


class Mixed:
    """Elements of two kinds, or of a kind not known: nothing is claimed."""

    def __init__(self, lock):
        self._locks = {"a": threading.Lock(), "b": threading.RLock()}
        self._given = {"a": lock}

    def _a(self):
        with self._locks["a"]:
            with self._given["a"]:
                pass

    def a_twice(self):
        with self._locks["a"]:
            self._a()

    def given_twice(self):
        with self._given["a"]:
            self._a()


class Spread:
    """A literal that also spreads another mapping: what its elements are is not known."""

    def __init__(self, extra):
        self._locks = {"a": threading.Lock(), **extra}

    def _a(self):
        with self._locks["a"]:
            pass

    def a_twice(self):
        with self._locks["a"]:
            self._a()
