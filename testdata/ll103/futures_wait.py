"""concurrent.futures.wait(fs) and iterating as_completed(fs) wait for the submitted calls to
return: while holding the lock those calls take, neither side proceeds."""
import threading
from concurrent import futures
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, as_completed, wait


class Batch:
    def __init__(self):
        self._lock = threading.Lock()
        self._other = threading.Lock()
        self._pool = ThreadPoolExecutor(4)

    def _work(self, n):
        with self._lock:
            return n

    def _elsewhere(self, n):
        with self._other:
            return n

    def wait_all(self, items):
        with self._lock:
            fs = [self._pool.submit(self._work, n) for n in items]
            wait(fs)  # error: LL103

    def as_they_come(self, items):
        fs = {self._pool.submit(self._work, n): n for n in items}
        with self._lock:
            for future in as_completed(fs):  # error: LL103
                print(future.result())

    def appended(self, items):
        fs = []
        for n in items:
            fs.append(self._pool.submit(self._work, n))
        with self._lock:
            futures.wait(fs, return_when=futures.ALL_COMPLETED)  # error: LL103

    def named(self):
        first = self._pool.submit(self._elsewhere, 1)
        second = self._pool.submit(self._work, 2)
        with self._lock:
            futures.wait([first, second])  # error: LL103

    def wait_after_release(self, items):
        with self._lock:
            fs = [self._pool.submit(self._work, n) for n in items]
        wait(fs)

    def wait_timed(self, items):
        with self._lock:
            fs = [self._pool.submit(self._work, n) for n in items]
            wait(fs, timeout=1.0)
            for future in as_completed(fs, 2.0):
                print(future)

    def wait_first(self, items):
        with self._lock:
            fs = [self._pool.submit(self._work, n) for n in items]
            wait(fs, return_when=FIRST_COMPLETED)

    def not_iterated(self, items):
        with self._lock:
            fs = [self._pool.submit(self._work, n) for n in items]
            pending = as_completed(fs)
        return list(pending)

    def other_lock(self, items):
        with self._lock:
            fs = [self._pool.submit(self._elsewhere, n) for n in items]
            wait(fs)

    def bound_again(self, items):
        fs = [self._pool.submit(self._work, n) for n in items]
        fs = [self._pool.submit(self._elsewhere, n) for n in items]
        with self._lock:
            wait(fs)

    def waited_before(self, items):
        """Waited for before the lock is taken: waiting again returns at once."""
        fs = [self._pool.submit(self._work, n) for n in items]
        wait(fs)
        with self._lock:
            wait(fs)
