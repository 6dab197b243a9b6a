"""Shapes where moving the call would change behaviour: no fix is offered."""
import threading


class Store:
    def __init__(self, lock):
        self._lock = lock  # the lock's kind is unknown here...

    lock: threading.Lock  # ...but declared, so findings are reported


class Task:
    def __init__(self):
        self.lock = threading.Lock()  # public: switching it to RLock is not offered
        self.pid = None
        self.items = []

    def result_used(self):
        with self.lock:
            done = self.delete()  # error: LL101
            self.items.append(done)

    def argument_read_under_lock(self):
        with self.lock:
            if self.pid is None:
                self.delete(self.pid)  # error: LL101

    def in_a_loop(self):
        with self.lock:
            for item in self.items:
                self.delete(item)  # error: LL101

    def in_try_body(self):
        with self.lock:
            try:
                self.delete()  # error: LL101
            except ValueError:
                pass

    def argument_rebound_after(self):
        with self.lock:
            item = self.items[0]
            if item:
                self.delete(item)  # error: LL101
            item = None

    def delete(self, item=None):
        with self.lock:
            self.pid = None
