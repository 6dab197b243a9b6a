"""Work submitted to a process pool runs in another process, with its own copy of every lock:
waiting for it while holding this process's lock does not deadlock. The same waits on a
thread pool do (the pool's kind comes from its type, as rules/blocking.toml lists it)."""

import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed, wait

_LOCK = threading.Lock()


def work(n):
    with _LOCK:
        return n


class Processes:
    def __init__(self):
        self._processes = ProcessPoolExecutor(2)

    def wait_all(self, items):
        fs = [self._processes.submit(work, n) for n in items]
        with _LOCK:
            wait(fs)

    def each(self, items):
        fs = [self._processes.submit(work, n) for n in items]
        with _LOCK:
            return [f.result() for f in as_completed(fs)]

    def one(self):
        with _LOCK:
            return self._processes.submit(work, 1).result()

    def named(self):
        with _LOCK:
            future = self._processes.submit(work, 1)
            return future.result()

    def mapped(self, items):
        with _LOCK:
            return list(self._processes.map(work, items))

    def local_pool(self, items):
        with _LOCK:
            with ProcessPoolExecutor() as pool:
                for n in items:
                    pool.submit(work, n)

    def close(self):
        self._processes.submit(work, 1)
        with _LOCK:
            self._processes.shutdown()

    def in_block(self, items):
        with ProcessPoolExecutor() as pool:
            fs = [pool.submit(work, n) for n in items]
            with _LOCK:
                wait(fs)
                return pool.submit(work, 1).result()


class Threads:
    """The same shapes on a thread pool: the work takes _LOCK in this process."""

    def __init__(self):
        self._threads = ThreadPoolExecutor(2)

    def wait_all(self, items):
        fs = [self._threads.submit(work, n) for n in items]
        with _LOCK:
            wait(fs)  # error: LL103

    def each(self, items):
        fs = [self._threads.submit(work, n) for n in items]
        with _LOCK:
            return [f.result() for f in as_completed(fs)]  # error: LL103

    def one(self):
        with _LOCK:
            return self._threads.submit(work, 1).result()  # error: LL103

    def named(self):
        with _LOCK:
            future = self._threads.submit(work, 1)
            return future.result()  # error: LL103

    def mapped(self, items):
        with _LOCK:
            return list(self._threads.map(work, items))  # error: LL103

    def local_pool(self, items):
        with _LOCK:
            with ThreadPoolExecutor() as pool:  # error: LL103
                for n in items:
                    pool.submit(work, n)

    def close(self):
        self._threads.submit(work, 1)
        with _LOCK:
            self._threads.shutdown()  # error: LL103

    def in_block(self, items):
        with ThreadPoolExecutor() as pool:
            fs = [pool.submit(work, n) for n in items]
            with _LOCK:
                wait(fs)  # error: LL103
                return pool.submit(work, 1).result()  # error: LL103


class Workers(ProcessPoolExecutor):
    """A pool of the tree's own, built on a process pool: its kind is its base's."""


class Helpers(ThreadPoolExecutor):
    """A pool of the tree's own, built on a thread pool."""


class Derived:
    def __init__(self):
        self._workers = Workers()
        self._helpers = Helpers()

    def on_processes(self):
        with _LOCK:
            return self._workers.submit(work, 1).result()

    def on_threads(self):
        with _LOCK:
            return self._helpers.submit(work, 1).result()  # error: LL103


def unknown_pool(pool):
    """A pool of unknown kind (a parameter) is taken for a thread pool, as before."""
    with _LOCK:
        return pool.submit(work, 1).result()  # error: LL103


def multiprocessing_pool(pool_factory):
    """multiprocessing.Pool's apply_async(...).get() is not followed: its work runs in another process."""
    import multiprocessing

    with multiprocessing.Pool(2) as pool:
        with _LOCK:
            return pool.apply_async(work, (1,)).get()
