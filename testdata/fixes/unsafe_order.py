"""Moving the call changes the order of what runs under the lock: an unsafe fix."""
import threading


class Task:
    def __init__(self):
        self._lock = threading.Lock()
        self._log = []

    def stop(self):
        with self._lock:
            self.flush()  # error: LL101
            self._log.append("stopped")

    def flush(self):
        self._flushes = getattr(self, "_flushes", 0) + 1  # work outside the lock: no split
        with self._lock:
            self._log.clear()


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self._value = 0

    def bump(self):
        with self._lock:
            self._value = self.read() + 1  # error: LL101

    def read(self):
        self._reads = getattr(self, "_reads", 0) + 1  # work outside the lock: no split
        with self._lock:
            return self._value
