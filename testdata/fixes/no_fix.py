"""Shapes where no fix keeps behaviour: nothing is offered."""
import threading


class Store:
    def __init__(self, lock):
        self._lock = lock  # the lock's kind is unknown here...

    lock: threading.Lock  # ...but declared, so findings are reported


class Task:
    def __init__(self):
        self.lock = threading.Lock()  # public: switching it to RLock is not offered
        self.pid = None
        self.items = []
        self.deleted = 0

    def result_used(self):
        with self.lock:
            done = self.delete()  # error: LL101
            self.items.append(done)

    def argument_read_under_lock(self):
        with self.lock:
            if self.pid is None:
                self.delete(self.pid)  # error: LL101

    def in_a_loop(self):
        with self.lock:
            for item in self.items:
                self.delete(item)  # error: LL101
                self.pid = item

    def in_try_body(self):
        with self.lock:
            try:
                self.delete()  # error: LL101
            except ValueError:
                pass

    def argument_rebound_after(self):
        with self.lock:
            item = self.items[0]
            if item:
                self.delete(item)  # error: LL101
            item = None

    def delete(self, item=None):
        self.deleted += 1  # work outside the lock: delete() cannot be split
        with self.lock:
            self.pid = None


class Chain:
    def __init__(self):
        self.lock = threading.Lock()
        self.count = 0

    def outer(self):
        with self.lock:
            return self._helper()  # error: LL101

    def unlocked(self):
        return self._helper()  # _helper() also runs without the lock: a split would not hold it there

    def _helper(self):
        return self.reset()

    def reset(self):
        with self.lock:
            self.count = 0


class Base:
    def __init__(self):
        self.lock = threading.Lock()
        self.done = False

    def run(self):
        with self.lock:
            return self.step()  # error: LL101

    def step(self):
        with self.lock:
            self.done = True


class Derived(Base):
    def step(self):  # an override: self.step() may not run Base.step
        self.done = None
