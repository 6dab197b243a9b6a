"""Futures kept in an attribute (`self._futures.append(pool.submit(self._work))` in one method) and
waited for as a collection in another (`wait(self._futures)`, `for f in self._futures: f.result()`,
iterating `as_completed(self._futures)`) while holding the lock the submitted work takes."""
import concurrent.futures
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, wait


class Batch:
    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._futures = []

    def _work(self, n=0):
        with self._lock:
            return n

    def start(self, n):
        self._futures.append(self._pool.submit(self._work, n))

    def start_kept(self, n):
        future = self._pool.submit(self._work, n)
        self._futures.append(future)

    def drain(self):
        with self._lock:
            wait(self._futures)  # error: LL103

    def drain_each(self):
        with self._lock:
            for future in self._futures:
                future.result()  # error: LL103

    def drain_after_release(self):
        with self._lock:
            futures, self._futures = self._futures, []
        wait(futures)

    def drain_timed(self):
        with self._lock:
            wait(self._futures, timeout=5)
            for future in self._futures:
                future.result(timeout=5)

    def drain_first(self):
        with self._lock:
            wait(self._futures, return_when=FIRST_COMPLETED)

    def drain_all(self):
        with self._lock:
            wait(self._futures, return_when=concurrent.futures.ALL_COMPLETED)  # error: LL103


class Completed:
    """as_completed iterated under the lock: when every future runs the same call (a loop may stop at the first done)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._futures = []
        self._mixed = []

    def _work(self, n=0):
        with self._lock:
            return n

    def _free(self, n=0):
        return n

    def start(self, n):
        self._futures.append(self._pool.submit(self._work, n))
        self._mixed.append(self._pool.submit(self._work, n))
        self._mixed.append(self._pool.submit(self._free, n))

    def drain(self):
        with self._lock:
            for future in concurrent.futures.as_completed(self._futures):  # error: LL103
                future.result()

    def drain_mixed(self):
        with self._lock:
            for future in concurrent.futures.as_completed(self._mixed):
                future.result()


class Quiet:
    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._processes = ProcessPoolExecutor(2)
        self._futures = []
        self._done = []
        self._remote = []

    def _work(self, n=0):
        with self._lock:
            return n

    def _free(self, n=0):
        return n

    def start(self, n):
        self._futures.append(self._pool.submit(self._free, n))
        self._remote.append(self._processes.submit(self._work, n))

    def start_waited(self, n):
        future = self._pool.submit(self._work, n)
        self._done.append(future)
        return future.result()

    def hand_to(self, other: "Quiet", n):
        """Work on this object, kept in another's collection: other's lock is not the one it takes."""
        other._futures.append(self._pool.submit(self._work, n))

    def drain(self):
        with self._lock:
            wait(self._futures)
            wait(self._done)
            wait(self._remote)


class Assigned:
    """A list of futures assigned to the attribute (in __init__ too), waited for in another method."""

    def __init__(self, items):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._futures = [self._pool.submit(self._work, n) for n in items]
        self._free = []

    def _work(self, n=0):
        with self._lock:
            return n

    def _quick(self, n=0):
        return n

    def restart(self, items):
        futures = [self._pool.submit(self._work, n) for n in items]
        self._futures = futures
        self._free = [self._pool.submit(self._quick, n) for n in items]

    def drain(self):
        with self._lock:
            wait(self._futures)  # error: LL103
            wait(self._free)
