"""Futures kept in a dict of the object (`self._futures[key] = self._pool.submit(self._work, key)`) and waited for
as a collection in another method (`wait(self._futures.values())`, `for f in self._futures.values(): f.result()`)
while holding the lock the submitted work takes."""

import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, as_completed, wait


class Jobs:
    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._futures = {}

    def _work(self, key):
        with self._lock:
            return key

    def start(self, key):
        self._futures[key] = self._pool.submit(self._work, key)

    def drain(self):
        with self._lock:
            wait(self._futures.values())  # error: LL103

    def drain_each(self):
        with self._lock:
            for future in self._futures.values():
                future.result()  # error: LL103

    def drain_items(self):
        with self._lock:
            for _key, future in self._futures.items():
                future.result()  # error: LL103

    def drain_after_release(self):
        with self._lock:
            futures = list(self._futures.values())
        wait(futures)

    def drain_timed(self):
        with self._lock:
            wait(self._futures.values(), timeout=5)
            for future in self._futures.values():
                future.result(timeout=5)

    def drain_first(self):
        with self._lock:
            wait(self._futures.values(), return_when=FIRST_COMPLETED)


class FreeJobs:
    """The submitted work does not take the lock: waiting for it under the lock is fine."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._futures = {}

    def _work(self, key):
        return key

    def start(self, key):
        self._futures[key] = self._pool.submit(self._work, key)

    def drain(self):
        with self._lock:
            wait(self._futures.values())


class ProcessJobs:
    """A process pool's work has its own copy of every lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ProcessPoolExecutor(2)
        self._futures = {}

    def _work(self, key):
        with self._lock:
            return key

    def start(self, key):
        self._futures[key] = self._pool.submit(self._work, key)

    def drain(self):
        with self._lock:
            wait(self._futures.values())


class OtherJobs:
    """The futures are kept in another object's dict: its work runs on that object."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._jobs = Jobs()

    def _work(self, key):
        with self._lock:
            return key

    def start(self, key):
        self._jobs._futures[key] = self._pool.submit(self._work, key)

    def drain(self):
        with self._lock:
            wait(self._jobs._futures.values())


class CompletedJobs:
    """as_completed over the dict's values, iterated under the lock (one submit call feeds the dict)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._running = {}

    def _work(self, key):
        with self._lock:
            return key

    def start(self, key):
        self._running[key] = self._pool.submit(self._work, key)

    def drain(self):
        with self._lock:
            for future in as_completed(self._running.values()):  # error: LL103
                future.result()

    def drain_after_release(self):
        with self._lock:
            done = as_completed(self._running.values())
        for future in done:
            future.result()
