"""LL103 at runtime: Event.wait, Thread.join, Queue.get/put, Future.result, Condition.wait under a lock the waker needs."""
import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor


class Events:
    def __init__(self):
        self._lock = threading.Lock()
        self._ready = threading.Event()

    def wait_ready(self):
        with self._lock:
            self._ready.wait()  # error: LL103  # runtime: LL103

    def wait_ready_timeout(self):
        with self._lock:
            self._ready.wait(timeout=0.01)  # times out: returns, no deadlock

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
            self._thread.join()  # error: LL103  # runtime: LL103

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
            return self._jobs.get()  # error: LL103  # runtime: LL103

    def give(self, job):
        with self._lock:
            self._jobs.put(job)

    def reserve(self):
        with self._lock:
            self._slots.put(1)  # error: LL103  # runtime: LL103

    def free(self):
        with self._lock:
            return self._slots.get()  # error: LL103  # runtime: LL103

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
            return future.result()  # error: LL103  # runtime: LL103

    def compute_outside(self):
        future = self._pool.submit(self._work)
        return future.result()  # no lock held: fine


class Conditions:
    def __init__(self):
        self._lock = threading.Lock()
        self._cond = threading.Condition()
        self._items = []

    def get(self):
        with self._lock:
            with self._cond:
                while not self._items:
                    self._cond.wait()  # error: LL103  # runtime: LL103
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


class DaemonPool:
    """Runs each call in a daemon thread, as ThreadPoolExecutor would in a worker (which exit would wait for)."""

    def submit(self, fn):
        future = Future()

        def run():
            if future.set_running_or_notify_cancel():
                future.set_result(fn())

        threading.Thread(target=run, daemon=True).start()
        return future


def in_thread(action):
    """The waker runs in another thread (first, so that nothing hangs)."""
    thread = threading.Thread(target=action)
    thread.start()
    thread.join()


def in_daemon(action):
    """Cases that deadlock for real: reported when they start waiting; left stuck (daemon threads)."""
    thread = threading.Thread(target=action, daemon=True)
    thread.start()
    thread.join(timeout=0.5)


if __name__ == "__main__":
    events = Events()
    events.wait_ready_timeout()
    in_thread(events.mark_ready)
    events.wait_ready()
    events2 = Events2()
    in_thread(events2.mark_ready)
    events2.wait_ready()

    joiner = Joiner()
    joiner._thread.start()
    joiner.stop_later()
    joiner.stop()

    queues = Queues()
    in_thread(lambda: queues.give("job"))
    queues.take()
    queues.reserve()
    in_thread(queues.free)
    in_thread(lambda: queues.give("job"))
    queues.poll()
    in_thread(lambda: queues.give_open("job"))
    queues.take_open()

    futures = Futures()
    futures.compute_outside()
    futures._pool.shutdown()
    futures._pool = DaemonPool()
    in_daemon(futures.compute)

    conditions = Conditions()
    in_thread(lambda: conditions.put(1))
    conditions.get()
    in_thread(lambda: conditions.put(2))
    conditions.get_own()
    in_daemon(conditions.get)
