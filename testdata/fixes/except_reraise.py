import threading


def spawn():
    raise OSError("no fork")


class Task:
    def __init__(self):
        self._mu = threading.Lock()
        self._pid = None
        self._state = "new"

    def create(self):
        with self._mu:
            try:
                self._pid = spawn()
            except OSError:
                self.delete()  # error: LL101
                raise
            self._state = "running"

    def delete(self):
        with self._mu:
            self._pid = None
