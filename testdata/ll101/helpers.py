"""Helpers that acquire for their caller: @contextmanager, __enter__/__exit__, nested functions, lambdas."""
import contextlib
import threading


class Journal:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []

    @contextlib.contextmanager
    def _locked(self):
        with self._lock:
            yield self._entries

    def append(self, entry):
        with self._locked() as entries:
            entries.append(entry)
            self.compact()  # error: LL101

    def compact(self):
        with self._lock:
            del self._entries[:-100]

    def compact_twice(self):
        with self._lock:
            with self._locked():  # error: LL101
                pass

    def append_unlocked(self, entry):
        with self._locked() as entries:
            entries.append(entry)
        self.compact()  # after the with block: fine


class Guarded:
    """A class that is its own context manager."""

    def __init__(self):
        self._lock = threading.Lock()

    def __enter__(self):
        self._lock.acquire()
        return self

    def __exit__(self, *exc):
        self._lock.release()

    def update(self):
        with self:
            self.refresh()  # error: LL101

    def refresh(self):
        with self._lock:
            pass


class Nested:
    def __init__(self):
        self._lock = threading.Lock()

    def run(self):
        def work():
            with self._lock:
                pass

        with self._lock:
            work()  # error: LL101

    def run_lambda(self):
        cleanup = lambda: self.close()
        with self._lock:
            cleanup()  # error: LL101

    def close(self):
        with self._lock:
            pass

    def deferred(self):
        def later():
            with self._lock:
                pass

        with self._lock:
            timer = threading.Timer(1.0, later)  # runs on another thread, later
        timer.start()

    def thread_under_lock(self):
        with self._lock:
            worker = threading.Thread(target=self.close)  # another thread: it waits, it does not deadlock
            worker.start()
