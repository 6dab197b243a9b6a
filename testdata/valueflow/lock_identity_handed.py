"""A lock handed to another object and stored there: `Flusher(self._lock)`, `self._lock = lock`.
Every Flusher is built with Buffer._lock, so Flusher._lock is that lock (its kind, its place in
the lock order)."""

import threading


class Sink:
    def __init__(self):
        self._io = threading.Lock()

    def write(self):
        with self._io:
            pass

    def rotate(self, buffer: "Buffer"):
        with self._io:
            buffer.drain()  # error: LL102


class Flusher:
    def __init__(self, lock, sink: Sink):
        self._lock = lock
        self._sink = sink

    def flush(self):
        with self._lock:
            self._sink.write()

    def flush_twice(self):
        with self._lock:
            self.flush()  # error: LL101


class Buffer:
    def __init__(self, sink: Sink):
        self._lock = threading.Lock()
        self._flusher = Flusher(self._lock, sink)

    def drain(self):
        with self._lock:
            pass


class Shared:
    """Built with two different locks: what Shared._lock is depends on the instance, nothing is claimed."""

    def __init__(self, lock):
        self._lock = lock

    def get(self):
        with self._lock:
            pass

    def get_twice(self):
        with self._lock:
            self.get()


class Users:
    def __init__(self):
        self._a = threading.Lock()
        self._b = threading.Lock()
        self._first = Shared(self._a)
        self._second = Shared(self._b)


class Tolerant:
    """Handed an RLock: taking it again on the same thread is fine."""

    def __init__(self, lock):
        self._lock = lock

    def get(self):
        with self._lock:
            pass

    def get_twice(self):
        with self._lock:
            self.get()


class Owner:
    def __init__(self):
        self._lock = threading.RLock()
        self._tolerant = Tolerant(self._lock)
