"""acquire()/release(), flow-sensitively."""
import threading


class Store:
    def __init__(self):
        self._lock = threading.Lock()
        self._data = {}

    def _evict(self):
        with self._lock:
            self._data.clear()

    def put_try_finally(self, key, value):
        self._lock.acquire()
        try:
            self._data[key] = value
            self._evict()  # error: LL101
        finally:
            self._lock.release()
        self._evict()  # released in finally: fine

    def put_released_first(self, key, value):
        self._lock.acquire()  # error: LL105
        self._data[key] = value
        self._lock.release()
        self._evict()  # released before the call: fine

    def release_call_reacquire(self):
        with self._lock:
            self._lock.release()
            try:
                self._evict()  # released for the call: fine
            finally:
                self._lock.acquire()

    def handler_under_lock(self):
        self._lock.acquire()
        try:
            self._data.pop("x")
        except KeyError:
            self._evict()  # error: LL101
        finally:
            self._lock.release()

    def acquire_inside_with(self):
        with self._lock:
            self._lock.acquire()  # error: LL101
            self._lock.release()

    def with_inside_acquire(self):
        self._lock.acquire()
        try:
            with self._lock:  # error: LL101
                pass
        finally:
            self._lock.release()

    def signal(self):
        # acquire() twice in one function is the signalling idiom: another
        # thread releases the lock in between (and this one releases it at the end)
        self._lock.acquire()
        threading.Thread(target=self._lock.release).start()
        self._lock.acquire()
        self._lock.release()

    def handoff(self):
        # A lock used as a signal: acquired here, released by the worker thread.
        # This function never releases it, so the second acquire waits for the
        # worker, not for itself.
        self._lock.acquire()
        threading.Thread(target=self._lock.release).start()
        self._lock.acquire()

    def double_with(self):
        with self._lock, self._lock:  # error: LL101
            pass

    def try_lock(self):
        with self._lock:
            if self._lock.acquire(blocking=False):  # returns False instead of hanging
                self._lock.release()
            if self._lock.acquire(timeout=0.5):
                self._lock.release()
            if self._lock.acquire(False):
                self._lock.release()

    def non_blocking_then_call(self):
        if not self._lock.acquire(blocking=False):
            self._evict()  # not acquired on this path: fine
            return
        try:
            self._evict()  # error: LL101
        finally:
            self._lock.release()

    def flag_then_call(self):
        acquired = self._lock.acquire(timeout=1)
        if not acquired:
            self._evict()  # not held here: fine
            return
        try:
            self._evict()  # error: LL101
        finally:
            self._lock.release()

    def alias(self):
        lock = self._lock
        with lock:
            self._evict()  # error: LL101

    def branch_release(self, early):
        self._lock.acquire()
        if early:
            self._lock.release()
            self._evict()  # fine: released on this path
            return
        self._lock.release()
