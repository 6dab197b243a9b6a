"""Event.wait, Thread.join, Queue.get/put, Future.result, Condition.wait under a lock the waker needs."""
import queue
import threading
from concurrent.futures import ThreadPoolExecutor


class Events:
    def __init__(self):
        self._lock = threading.Lock()
        self._ready = threading.Event()

    def wait_ready(self):
        with self._lock:
            self._ready.wait()  # error: LL103

    def wait_ready_timeout(self):
        with self._lock:
            self._ready.wait(timeout=1.0)  # times out: returns, no deadlock

    def mark_ready(self):
        with self._lock:
            self._ready.set()


class Events2:
    def __init__(self):
        self._lock = threading.Lock()
        self._ready = threading.Event()

    def wait_ready(self):
        with self._lock:
            self._ready.wait()  # set() does not need the lock: fine

    def mark_ready(self):
        self._ready.set()


class Joiner:
    def __init__(self):
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run)

    def _run(self):
        with self._lock:
            pass

    def stop(self):
        with self._lock:
            self._thread.join()  # error: LL103

    def stop_later(self):
        with self._lock:
            thread = self._thread
        thread.join()  # joined after the release: fine


class Queues:
    def __init__(self):
        self._lock = threading.Lock()
        self._jobs = queue.Queue()
        self._slots = queue.Queue(maxsize=1)
        self._open = queue.Queue()

    def take(self):
        with self._lock:
            return self._jobs.get()  # error: LL103

    def give(self, job):
        with self._lock:
            self._jobs.put(job)

    def reserve(self):
        with self._lock:
            self._slots.put(1)  # error: LL103

    def free(self):
        with self._lock:
            return self._slots.get()  # error: LL103

    def poll(self):
        with self._lock:
            return self._jobs.get(block=False)  # never waits

    def take_open(self):
        with self._lock:
            return self._open.get()  # put() below runs without the lock: fine

    def give_open(self, job):
        self._open.put(job)


class Futures:
    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)

    def _work(self):
        with self._lock:
            return 1

    def compute(self):
        with self._lock:
            future = self._pool.submit(self._work)
            return future.result()  # error: LL103

    def result_when_done(self):
        future = self._pool.submit(self._work)
        with self._lock:
            if future.done():
                return future.result()  # a finished future returns at once
            return None

    def result_when_other_done(self, other):
        future = self._pool.submit(self._work)
        with self._lock:
            if other.done():
                return future.result()  # error: LL103
            return None


class Conditions:
    def __init__(self):
        self._lock = threading.Lock()
        self._cond = threading.Condition()
        self._items = []

    def get(self):
        with self._lock:
            with self._cond:
                while not self._items:
                    self._cond.wait()  # error: LL103
                return self._items.pop()

    def put(self, item):
        with self._lock:
            with self._cond:
                self._items.append(item)
                self._cond.notify()

    def get_own(self):
        with self._cond:
            while not self._items:
                self._cond.wait()  # waits on the held condition itself: releases it, correct
            return self._items.pop()
