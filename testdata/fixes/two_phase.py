import threading


def spawn():
    return None


class Task:
    def __init__(self):
        self._mu = threading.Lock()
        self._pid = None

    def create(self):
        with self._mu:
            self._pid = spawn()
            if self._pid is None:
                self.delete()  # error: LL101

    def delete(self):
        with self._mu:
            self._pid = None
