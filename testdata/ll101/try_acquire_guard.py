"""A successful try-acquire proves this thread did not hold the lock: what runs under it
is not reached from a caller that holds it."""
import threading


class Buffer:
    def __init__(self):
        self._lk = threading.Lock()
        self._other = threading.Lock()
        self._rows = []

    def add(self, row):
        with self._lk:
            self._rows.append(row)
            self.maybe_flush()  # flushes only when _lk is free: never from here

    def maybe_flush(self):
        if self._lk.acquire(False):
            self._lk.release()
            self.flush()

    def add_timed(self, row):
        with self._lk:
            self._rows.append(row)
            self.flush_unless_busy()

    def flush_unless_busy(self):
        if not self._lk.acquire(timeout=0.1):
            return
        self._lk.release()
        self.flush()

    def add_flagged(self, row):
        with self._lk:
            self._rows.append(row)
            self.flush_if_free()

    def flush_if_free(self):
        free = self._lk.acquire(blocking=False)
        if free:
            self._lk.release()
            self.flush()

    def add_other(self, row):
        with self._lk:
            self._rows.append(row)
            self.flush_if_other_free()  # error: LL101

    def flush_if_other_free(self):
        if self._other.acquire(False):  # proves nothing about _lk
            self._other.release()
            self.flush()

    def add_plain(self, row):
        with self._lk:
            self._rows.append(row)
            self.flush_if_rows()  # error: LL101

    def flush_if_rows(self):
        if self._rows:
            self.flush()

    def flush(self):
        with self._lk:
            self._rows.clear()

    def add_when_idle(self, row):
        with self._lk:
            self._rows.append(row)
            self.flush_if_idle()

    def flush_if_idle(self):
        # the try-acquire is one operand of an `and`: the branch runs only where it succeeded
        if self._rows and self._lk.acquire(False):
            self._lk.release()
            self.flush()
