"""paramiko, sentry-sdk: polling with Condition.wait(timeout) releases the condition's own lock."""
import threading


class Pipe:
    def __init__(self):
        self._lock = threading.Lock()
        self._cv = threading.Condition(self._lock)
        self._closed = False
        self._buffer = []

    def read(self, timeout):
        self._lock.acquire()
        try:
            while not self._buffer and not self._closed:
                self._cv.wait(timeout)  # releases self._lock while waiting: close() can run
            return list(self._buffer)
        finally:
            self._lock.release()

    def close(self):
        with self._lock:
            self._closed = True
            self._cv.notify_all()


class Stuck:
    def __init__(self):
        self._lock = threading.Lock()
        self._other = threading.Condition()
        self._closed = False

    def read(self, timeout):
        with self._lock:
            while not self._closed:
                with self._other:
                    self._other.wait(timeout)  # error: LL103

    def close(self):
        with self._lock:
            self._closed = True
