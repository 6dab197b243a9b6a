"""Functions handed over in variables: partials, lambdas, thread targets waited for under a lock."""
import functools
import threading


class Job:
    def __init__(self):
        self._lock = threading.Lock()
        self._done = []

    def when_done(self, callback):
        self._done.append(callback)

    def finish(self):
        with self._lock:
            for callback in self._done:
                callback()  # error: LL101

    def _log(self, text):
        with self._lock:
            return text

    def watch_partial(self):
        self.when_done(functools.partial(self._log, "done"))


class Later:
    """A partial run on this thread after the lock is gone."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = []

    def _log(self, text):
        with self._lock:
            return text

    def schedule(self):
        self._pending.append(functools.partial(self._log, "later"))

    def run_pending(self):
        with self._lock:
            pending = list(self._pending)
        for task in pending:
            task()


class Worker:
    def __init__(self):
        self._lock = threading.Lock()

    def _work(self):
        with self._lock:
            pass

    def stop(self, work):
        thread = threading.Thread(target=work)
        with self._lock:
            thread.start()
            thread.join()  # error: LL103

    def stop_outside(self, work):
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()


def main(worker: Worker):
    worker.stop(worker._work)
    worker.stop_outside(worker._work)
