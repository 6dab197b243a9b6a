"""LL102 at runtime: two lock classes taken in both orders, in different threads, at different times."""
import threading

accounts_lock = threading.Lock()
audit_lock = threading.Lock()
first = threading.Lock()
second = threading.Lock()
gate = threading.Lock()
left = threading.Lock()
right = threading.Lock()


def transfer():
    with accounts_lock:
        with audit_lock:  # error: LL102  # runtime: LL102
            pass


def report():
    with audit_lock:
        with accounts_lock:
            pass


def ordered():
    with first:
        with second:
            pass


def gated_one():
    with gate:
        with left:
            with right:
                pass


def gated_two():
    with gate:
        with right:
            with left:
                pass


def try_lock_order():
    with second:
        if first.acquire(blocking=False):  # cannot block: not an order
            first.release()


class Account:
    def __init__(self):
        self._lock = threading.Lock()
        self.balance = 0

    def transfer(self, other, amount):
        with self._lock:
            with other._lock:  # two instances of one class: not reported
                self.balance -= amount
                other.balance += amount


class Metrics:
    def __init__(self):
        self._lock = threading.Lock()
        self._counts = {}
        self.scheduler = None

    def record(self, name):
        with self._lock:
            self._counts[name] = self._counts.get(name, 0) + 1

    def flush(self):
        with self._lock:
            self._counts["pending"] = self.scheduler.pending()


class Scheduler:
    def __init__(self, metrics):
        self._lock = threading.Lock()
        self._metrics = metrics
        self._queue = []

    def submit(self, job):
        with self._lock:
            self._queue.append(job)
            self._metrics.record("submitted")

    def pending(self):
        with self._lock:  # runtime: LL102
            return len(self._queue)


def in_thread(action):
    thread = threading.Thread(target=action)
    thread.start()
    thread.join()


if __name__ == "__main__":
    in_thread(transfer)
    in_thread(report)
    in_thread(ordered)
    in_thread(ordered)
    in_thread(gated_one)
    in_thread(gated_two)
    in_thread(try_lock_order)
    a, b = Account(), Account()
    in_thread(lambda: a.transfer(b, 1))
    in_thread(lambda: b.transfer(a, 1))
    metrics = Metrics()
    scheduler = Scheduler(metrics)
    metrics.scheduler = scheduler
    in_thread(lambda: scheduler.submit("job"))
    in_thread(metrics.flush)
