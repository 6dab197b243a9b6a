"""Locks in a dict (`defaultdict(threading.Lock)`): which lock `self._locks[key]` is depends on
the key, so two functions taking entries of one dict are not claimed to take the same lock."""

import threading
from collections import defaultdict


class Registry:
    def __init__(self):
        self._locks = defaultdict(threading.Lock)
        self._data = {}

    def put(self, key, value):
        with self._locks[key]:
            self._data[key] = value

    def move(self, src, dst):
        with self._locks[src]:
            self.put(dst, self._data.pop(src, None))  # another key: another lock

    def touch(self, key):
        with self._locks[key]:
            self._refresh(key)

    def _refresh(self, key):
        with self._locks["meta"]:
            self._data["meta"] = key
