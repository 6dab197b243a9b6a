"""A Thread subclass built as Poller(self) keeps its owner; its run() takes the owner's lock."""
import threading


class Poller(threading.Thread):
    def __init__(self, owner):
        super().__init__()
        self._owner = owner

    def run(self):
        with self._owner._lock:
            self._owner.polled += 1


class Owner:
    def __init__(self):
        self._lock = threading.Lock()
        self.polled = 0
        self._poller = Poller(self)

    def close(self):
        with self._lock:
            self._poller.join()  # error: LL103

    def close_after_release(self):
        with self._lock:
            poller = self._poller
        poller.join()
