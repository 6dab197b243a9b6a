"""Leaving `with ThreadPoolExecutor() as pool:` and `pool.shutdown()` wait for the calls
submitted to the pool to return: while holding the lock those calls take, neither side proceeds."""

import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


class Jobs:
    def __init__(self):
        self._lock = threading.Lock()
        self._other = threading.Lock()

    def _work(self, n):
        with self._lock:
            return n

    def _elsewhere(self, n):
        with self._other:
            return n

    def run_all(self, items):
        with self._lock:
            with ThreadPoolExecutor(max_workers=2) as pool:  # error: LL103
                for n in items:
                    pool.submit(self._work, n)

    def shutdown(self):
        pool = ThreadPoolExecutor()
        pool.submit(self._work, 1)
        with self._lock:
            pool.shutdown()  # error: LL103

    def shutdown_waiting(self):
        pool = ThreadPoolExecutor()
        with self._lock:
            pool.submit(self._work, 1)
            pool.shutdown(wait=True)  # error: LL103

    def shutdown_without_waiting(self):
        pool = ThreadPoolExecutor()
        with self._lock:
            pool.submit(self._work, 1)
            pool.shutdown(wait=False)

    def released_before_exit(self):
        with ThreadPoolExecutor() as pool:
            with self._lock:
                pool.submit(self._work, 1)

    def other_lock(self):
        with self._lock:
            with ThreadPoolExecutor() as pool:
                pool.submit(self._elsewhere, 1)

    def processes(self):
        with self._lock:
            with ProcessPoolExecutor() as pool:
                pool.submit(self._work, 1)

    def submitted_after_shutdown(self):
        pool = ThreadPoolExecutor()
        with self._lock:
            pool.shutdown()
        pool.submit(self._work, 1)


class Service:
    """A pool kept in an attribute: shutdown() waits for what any method submitted to it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._other = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._spare = ThreadPoolExecutor(2)

    def _work(self):
        with self._lock:
            return 1

    def _elsewhere(self):
        with self._other:
            return 2

    def start(self):
        self._pool.submit(self._work)
        self._spare.submit(self._elsewhere)

    def close(self):
        with self._lock:
            self._pool.shutdown()  # error: LL103

    def close_without_waiting(self):
        with self._lock:
            self._pool.shutdown(wait=False)

    def close_spare(self):
        with self._lock:
            self._spare.shutdown()


class Collected:
    """The results were waited for before the lock was taken: shutdown() has nothing left to wait for."""

    def __init__(self):
        self._lock = threading.Lock()

    def _work(self):
        with self._lock:
            return 1

    def collected(self):
        pool = ThreadPoolExecutor()
        future = pool.submit(self._work)
        future.result()
        with self._lock:
            pool.shutdown()

    def collected_at_once(self):
        pool = ThreadPoolExecutor()
        pool.submit(self._work).result()
        with self._lock:
            pool.shutdown()

    def one_left(self):
        pool = ThreadPoolExecutor()
        pool.submit(self._work).result()
        pool.submit(self._work)
        with self._lock:
            pool.shutdown()  # error: LL103


class Synchronous:
    """Every submit to the attribute's pool is waited for where it is made: shutdown() waits for nothing."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)

    def _work(self):
        with self._lock:
            return 1

    def run(self):
        return self._pool.submit(self._work).result()

    def run_named(self):
        future = self._pool.submit(self._work)
        return future.result()

    def close(self):
        with self._lock:
            self._pool.shutdown()
