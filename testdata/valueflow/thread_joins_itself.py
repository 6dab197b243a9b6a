"""A threading.Thread subclass whose stop() joins the thread itself (`self.join()`) while holding a
lock its own run() takes: run() waits for the lock, stop() waits for run() to end."""
import threading


class Poller(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self._lock = threading.Lock()
        self._stopping = False

    def begin(self):
        self.start()

    def run(self):
        while True:
            with self._lock:
                if self._stopping:
                    return

    def stop(self):
        with self._lock:
            self._stopping = True
            self.join()  # error: LL103

    def stop_after_release(self):
        with self._lock:
            self._stopping = True
        self.join()

    def stop_timed(self):
        with self._lock:
            self._stopping = True
            self.join(timeout=1.0)


class ReentrantPoller(threading.Thread):
    """An RLock lets its holder take it again, not another thread: run() still waits."""

    def __init__(self):
        super().__init__()
        self._lock = threading.RLock()
        self._stopping = False

    def run(self):
        with self._lock:
            self._stopping = False

    def stop(self):
        with self._lock:
            self._stopping = True
            self.join()  # error: LL103


class Sleeper(threading.Thread):
    """run() waits on the condition: wait() gives the lock back, but to return it must take it again."""

    def __init__(self):
        super().__init__()
        self._cond = threading.Condition()
        self._stopping = False

    def run(self):
        with self._cond:
            while not self._stopping:
                self._cond.wait()

    def stop(self):
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            self.join()  # error: LL103


class Counter(threading.Thread):
    """run() never takes the lock stop() holds: the join ends when run() does."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self.count = 0

    def run(self):
        while not self._stop_event.is_set():
            self.count += 1

    def stop(self):
        with self._lock:
            self._stop_event.set()
            self.join()


class Base(threading.Thread):
    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()

    def run(self):
        with self._lock:
            pass

    def stop(self):
        with self._lock:
            self.join()


class Quick(Base):
    """`self` in Base.stop may be a Quick, whose run() does not take the lock: not proven."""

    def run(self):
        pass


class Joiner(threading.Thread):
    """join() of the tree's own: what it waits for is its business."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()

    def run(self):
        with self._lock:
            pass

    def join(self, timeout=None):
        pass

    def stop(self):
        with self._lock:
            self.join()


class Task:
    """Not a thread: its join() is a method of the tree's."""

    def __init__(self):
        self._lock = threading.Lock()

    def run(self):
        with self._lock:
            pass

    def join(self):
        return None

    def stop(self):
        with self._lock:
            self.join()
