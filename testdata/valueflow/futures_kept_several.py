"""Futures of several submit calls kept in an attribute at once (`self._futures = [pool.submit(self._a),
pool.submit(self._b)]`, a tuple, extend()) and waited for as a collection in another method while holding
the lock one of the submitted calls takes. Quiet: the work without the lock, as_completed (a loop may stop
at the first done), a future whose result was taken where it was submitted, a submit that is not kept."""

import threading
from concurrent.futures import ThreadPoolExecutor, as_completed, wait


class Pair:
    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._futures = [self._pool.submit(self._quick), self._pool.submit(self._load)]
        self._quiet = (self._pool.submit(self._quick), self._pool.submit(self._quick))

    def _load(self):
        with self._lock:
            return 1

    def _quick(self):
        return 2

    def drain(self):
        with self._lock:
            wait(self._futures)  # error: LL103

    def drain_each(self):
        with self._lock:
            for future in self._futures:
                future.result()  # error: LL103

    def drain_quick(self):
        with self._lock:
            wait(self._quiet)

    def drain_as_completed(self):
        with self._lock:
            for future in as_completed(self._futures):
                future.result()


class Refreshed:
    """Assigned in a method; one submit's result taken right there, another not kept at all."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._futures = ()
        self._done = []
        self._mixed = []

    def _load(self):
        with self._lock:
            return 1

    def _quick(self):
        return 2

    def refresh(self):
        self._futures = (self._pool.submit(self._quick), self._pool.submit(self._load))

    def refresh_done(self):
        self._done = [self._pool.submit(self._quick), self._pool.submit(self._load).result()]

    def refresh_mixed(self):
        self._mixed = [self._pool.submit(self._quick), str(self._pool.submit(self._load))]

    def drain(self):
        with self._lock:
            wait(self._futures)  # error: LL103

    def drain_done(self):
        with self._lock:
            wait(self._done)

    def drain_mixed(self):
        with self._lock:
            wait(self._mixed)


class Extended:
    """extend() keeps every future of the list it is given."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._futures = []

    def _load(self):
        with self._lock:
            return 1

    def _quick(self):
        return 2

    def refresh(self):
        self._futures.extend([self._pool.submit(self._quick), self._pool.submit(self._load)])

    def drain(self):
        with self._lock:
            wait(self._futures)  # error: LL103
