"""The seed's fix: under the lock only record that cleanup is needed; call delete after releasing."""
import threading


def spawn():
    return None


class Task:
    def __init__(self):
        self._mu = threading.Lock()
        self._pid = None

    def create(self):
        cleanup = False
        with self._mu:
            self._pid = spawn()
            if self._pid is None:
                cleanup = True
        if cleanup:
            self.delete()

    def delete(self):
        with self._mu:
            self._pid = None
