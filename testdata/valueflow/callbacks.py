"""Callbacks stored in a container or an attribute, then called while the lock is held."""
import threading


class Flags:
    def __init__(self):
        self._lock = threading.Lock()
        self._listeners = []
        self.on_change = None
        self._values = {}

    def watch(self):
        self._listeners.append(self._changed)  # registered on this very instance

    def _changed(self, value):
        with self._lock:
            self._values["last"] = value

    def set(self, value):
        with self._lock:
            for listener in list(self._listeners):
                listener(value)  # error: LL101

    def set_after_release(self, value):
        """The idiom: copy the listeners under the lock, call them after it is released."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(value)


class Peer:
    """A callback registered on *another* instance: not a self-deadlock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._listeners = []

    def follow(self, other):
        other._listeners.append(self._poke)

    def _poke(self, value):
        with self._lock:
            pass

    def broadcast(self, value):
        with self._lock:
            for listener in self._listeners:
                listener(value)


class Attribute:
    def __init__(self):
        self._lock = threading.Lock()
        self.on_event = self._handle

    def _handle(self, event):
        with self._lock:
            return event

    def dispatch(self, event):
        with self._lock:
            self.on_event(event)  # error: LL101


def wire():
    Peer().follow(Peer())
