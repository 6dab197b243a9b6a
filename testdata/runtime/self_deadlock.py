"""LL101 at runtime: a thread asks again for a non-reentrant lock it holds; DeadlockError, not a hang."""
import threading


def spawn():
    return None


def attempt(action):
    try:
        action()
    except RuntimeError as error:  # lintlock.runtime.DeadlockError
        print("raised:", type(error).__name__)


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
        with self._mu:  # runtime: LL101
            self._pid = None


class TwoPhase:
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


class Reentrant:
    def __init__(self):
        self._mu = threading.RLock()

    def outer(self):
        with self._mu:
            self.inner()

    def inner(self):
        with self._mu:
            pass


class SharedCondition:
    def __init__(self):
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._items = []

    def put(self, item):
        with self._lock:
            self._items.append(item)
            self.wake()  # error: LL101

    def wake(self):
        with self._ready:  # runtime: LL101
            self._ready.notify()


class Guarded:
    def __init__(self):
        self._lock = threading.Lock()

    def try_again(self):
        with self._lock:
            if self._lock.acquire(timeout=0.05):  # gives up: no deadlock
                self._lock.release()
            if self._lock.acquire(blocking=False):
                self._lock.release()


class Permit:
    def __init__(self):
        self._one = threading.Semaphore()
        self._two = threading.Semaphore(2)

    def nested_one(self):
        with self._one:
            self.again()  # error: LL101

    def again(self):
        with self._one:  # runtime: LL101
            pass

    def nested_two(self):
        with self._two:
            with self._two:  # two permits: fine
                pass


def hand_off():
    """A lock used as a signal: another thread releases it, which Lock allows."""
    signal = threading.Lock()
    signal.acquire()
    threading.Timer(0.01, signal.release).start()
    signal.acquire()
    signal.release()


if __name__ == "__main__":
    attempt(Task().create)
    TwoPhase().create()
    Reentrant().outer()
    attempt(lambda: SharedCondition().put(1))
    Guarded().try_again()
    attempt(Permit().nested_one)
    Permit().nested_two()
    hand_off()
