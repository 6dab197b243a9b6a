import threading


def spawn():
    return None


class Task:
    def __init__(self):
        self._mu = threading.Lock()
        self._pid = None
        self._state = "new"

    def create(self, name):
        with self._mu:
            self._pid = spawn()
            if self._pid is None:
                self.delete(name)  # error: LL101
                raise RuntimeError("spawn failed", name)
            self._state = "running"

    def delete(self, name):
        with self._mu:
            self._pid = None
