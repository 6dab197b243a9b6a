"""A lock wrapper whose acquire() takes an inner lock, in a lock order: Mailer takes its log lock
then the gate in send(), the gate then the log lock in audit()."""

import threading


class Gate:
    def __init__(self):
        self._inner = threading.Lock()

    def acquire(self):
        self._inner.acquire()

    def release(self):
        self._inner.release()


class Mailer:
    def __init__(self):
        self._gate = Gate()
        self._log = threading.Lock()

    def send(self):
        with self._log:
            self._gate.acquire()  # error: LL102
            try:
                pass
            finally:
                self._gate.release()

    def audit(self):
        self._gate.acquire()
        try:
            with self._log:
                pass
        finally:
            self._gate.release()


class Orderly:
    """The same two locks, always the log lock first: no inversion."""

    def __init__(self):
        self._gate = Gate()
        self._log = threading.Lock()

    def send(self):
        with self._log:
            self._gate.acquire()
            try:
                pass
            finally:
                self._gate.release()

    def audit(self):
        with self._log:
            self._gate.acquire()
            try:
                pass
            finally:
                self._gate.release()
