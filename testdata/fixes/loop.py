"""A scheduler that re-queues from a loop under its lock: the calls are collected, then made."""
import threading


class Task:
    def __init__(self, name, retry):
        self.name = name
        self.retry = retry


class Scheduler:
    def __init__(self):
        self._lock = threading.Lock()
        self._queue = []
        self._running = []

    def submit(self, task):
        with self._lock:
            self._queue.append(task.name)

    def reap(self):
        with self._lock:
            for task in list(self._running):
                self._running.remove(task)
                if task.retry:
                    # try it once more
                    self.submit(task)  # error: LL101


def scenario():
    scheduler = Scheduler()
    scheduler._running = [Task("a", True), Task("b", False), Task("c", True)]
    scheduler.reap()
    return scheduler._queue, [t.name for t in scheduler._running]
