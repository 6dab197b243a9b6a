"""What pool.map(f, xs) submitted is waited for by leaving `with ThreadPoolExecutor() as pool:` and by
pool.shutdown(), even when its results are iterated only after the release."""
import threading
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor


class Batch:
    def __init__(self):
        self._lock = threading.Lock()

    def _work(self, n=0):
        with self._lock:
            return n

    def _free(self, n=0):
        return n

    def run(self, items):
        with self._lock:
            with ThreadPoolExecutor(2) as pool:  # error: LL103
                results = pool.map(self._work, items)
        return list(results)

    def run_iterated(self, items):
        with self._lock:
            with ThreadPoolExecutor(2) as pool:
                return list(pool.map(self._work, items))  # error: LL103 (leaving the pool then waits for nothing)

    def run_free(self, items):
        with self._lock:
            with ThreadPoolExecutor(2) as pool:
                results = pool.map(self._free, items)
        return list(results)

    def run_processes(self, items):
        with self._lock:
            with ProcessPoolExecutor(2) as pool:
                results = pool.map(self._work, items)
        return list(results)

    def run_shutdown(self, items):
        pool = ThreadPoolExecutor(2)
        with self._lock:
            results = pool.map(self._work, items)
            pool.shutdown()  # error: LL103
        return list(results)

    def run_released(self, items):
        with ThreadPoolExecutor(2) as pool:
            with self._lock:
                results = pool.map(self._work, items)
        return list(results)


class Service:
    """A pool kept in an attribute: its shutdown() waits for what any method mapped on it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._results = None

    def _work(self, n=0):
        with self._lock:
            return n

    def start(self, items):
        self._results = self._pool.map(self._work, items)

    def start_iterated(self, items):
        return list(self._pool.map(self._work, items))

    def stop(self):
        with self._lock:
            self._pool.shutdown()  # error: LL103

    def stop_later(self):
        with self._lock:
            pool = self._pool
        pool.shutdown()
