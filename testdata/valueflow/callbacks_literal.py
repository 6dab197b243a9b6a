"""Callbacks put in a container by a literal (`{"flush": self._flush}`, `[self._flush]`) are
followed as if inserted one by one; a spread of something unknown adds nothing known."""

import threading


class Router:
    def __init__(self, extra):
        self._lock = threading.Lock()
        self._handlers = {"flush": self._flush, "count": self._count}
        self._hooks = [self._flush]
        self._others = {**extra}

    def _flush(self):
        with self._lock:
            pass

    def _count(self):
        return 1

    def dispatch(self, name):
        with self._lock:
            self._handlers[name]()  # error: LL101

    def run_hooks(self):
        with self._lock:
            for hook in self._hooks:
                hook()  # error: LL101

    def dispatch_other(self, name):
        with self._lock:
            self._others[name]()

    def dispatch_after(self, name):
        with self._lock:
            handler = self._handlers[name]
        handler()
