"""multiprocessing's thread pools run the work on threads of this process: apply(), map() and
apply_async(...).get() made while holding a lock the work takes wait for it forever. A process pool
(multiprocessing.Pool) runs it in another process, with its own copy of the lock."""
import multiprocessing
import threading
from multiprocessing.dummy import Pool as DummyPool
from multiprocessing.pool import ThreadPool


class Index:
    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPool(4)
        self._processes = multiprocessing.Pool(2)
        self._entries = {}

    def _load(self, key=None):
        with self._lock:
            return self._entries.get(key)

    def _parse(self, key=None):
        return key

    def apply(self):
        with self._lock:
            return self._pool.apply(self._load)  # error: LL103

    def map(self, keys):
        with self._lock:
            return self._pool.map(self._load, keys)  # error: LL103

    def get(self):
        with self._lock:
            return self._pool.apply_async(self._load).get()  # error: LL103

    def get_kept(self):
        with self._lock:
            pending = self._pool.apply_async(self._load)
            return pending.get()  # error: LL103

    def imap(self, keys):
        with self._lock:
            return list(self._pool.imap(self._load, keys))  # error: LL103

    def apply_after_release(self):
        with self._lock:
            pending = self._pool.apply_async(self._load)
        return pending.get()

    def fire_and_forget(self):
        with self._lock:
            self._pool.apply_async(self._load)

    def imap_not_iterated(self, keys):
        with self._lock:
            results = self._pool.imap(self._load, keys)
        return list(results)

    def get_timed(self):
        with self._lock:
            return self._pool.apply_async(self._load).get(timeout=5)

    def parse(self, keys):
        with self._lock:
            return self._pool.map(self._parse, keys)

    def in_processes(self, keys):
        with self._lock:
            self._processes.apply(self._load)
            self._processes.apply_async(self._load).get()
            return self._processes.map(self._load, keys)


_cache_lock = threading.Lock()


def fill(key):
    with _cache_lock:
        return key


def fill_all(keys):
    with DummyPool(2) as pool:
        with _cache_lock:
            return pool.map(fill, keys)  # error: LL103


def fill_all_processes(keys):
    with multiprocessing.Pool(2) as pool:
        with _cache_lock:
            return pool.map(fill, keys)


def fill_with(pool, keys):
    """A pool of unknown kind: most with apply_async are process pools."""
    with _cache_lock:
        return pool.apply_async(fill, keys).get()
