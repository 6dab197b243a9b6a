"""Objects whose class is only known from where they were built: a constructor argument."""
import threading


class HttpBackend:
    def __init__(self):
        self._lock = threading.Lock()

    def send(self, data):
        with self._lock:
            return data

    def flush(self):
        with self._lock:
            self.send(b"")  # error: LL101


class Session:
    def __init__(self, backend):
        self._backend = backend

    def send_all(self, items):
        with self._backend._lock:
            for item in items:
                self._backend.send(item)  # error: LL101

    def send_each(self, items):
        for item in items:
            with self._backend._lock:
                pass
            self._backend.send(item)


class Mixed:
    """Two classes flow into the attribute: which lock it is is not known, nothing is claimed."""

    def __init__(self, backend):
        self._backend = backend

    def send_all(self, items):
        with self._backend._lock:
            self._backend.send(items)


class OtherBackend:
    def __init__(self):
        self._lock = threading.RLock()

    def send(self, data):
        with self._lock:
            return data


def main():
    Session(HttpBackend())
    Mixed(HttpBackend())
    Mixed(OtherBackend())


class tcp_backend:  # a class named like a function is followed all the same
    def __init__(self):
        self._lock = threading.Lock()

    def send(self, data):
        with self._lock:
            return data


class Pipe:
    def __init__(self, backend):
        self._backend = backend

    def send_all(self, items):
        with self._backend._lock:
            self._backend.send(items)  # error: LL101


class Relay:
    """Built from what a function returns (an RLock's owner): nothing is claimed."""

    def __init__(self, backend):
        self._backend = backend

    def send_all(self, items):
        with self._backend._lock:
            self._backend.send(items)


def reentrant_backend():
    return OtherBackend()


def connect():
    Pipe(tcp_backend())
    Relay(reentrant_backend())
