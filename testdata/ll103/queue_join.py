"""Queue.join() waits until every item got task_done(): holding the lock task_done() is called under hangs."""

import queue
import threading


class Pool:
    def __init__(self):
        self._lock = threading.Lock()
        self._queue = queue.Queue()
        self._done = 0

    def work(self):
        item = self._queue.get()
        item()
        with self._lock:
            self._done += 1
            self._queue.task_done()  # needs self._lock, which drain() holds while it waits

    def drain(self):
        with self._lock:
            self._queue.join()  # error: LL103


class Released:
    """The same worker, but join() is called after the lock is released: quiet."""

    def __init__(self):
        self._lock = threading.Lock()
        self._queue = queue.Queue()
        self._done = 0

    def work(self):
        item = self._queue.get()
        item()
        with self._lock:
            self._done += 1
            self._queue.task_done()

    def drain(self):
        with self._lock:
            pending = self._queue.qsize()
        self._queue.join()
        return pending


class Unlocked:
    """task_done() without the lock: join() under it waits for nothing the lock blocks."""

    def __init__(self):
        self._lock = threading.Lock()
        self._queue = queue.Queue()

    def work(self):
        self._queue.get()()
        self._queue.task_done()

    def drain(self):
        with self._lock:
            self._queue.join()
