"""A rate limiter that is its own context manager (`with self:` takes the lock)."""
import threading


class RateLimiter:
    def __init__(self, tokens):
        self._lock = threading.Lock()
        self._tokens = tokens
        self.refills = 0

    def __enter__(self):
        self._lock.acquire()
        return self

    def __exit__(self, *exc):
        self._lock.release()

    def refill(self, n):
        with self._lock:
            self._tokens += n
            self.refills += 1

    def take(self):
        with self:
            if self._tokens == 0:
                self.refill(1)  # error: LL101
            self._tokens -= 1
            return self._tokens


def scenario():
    limiter = RateLimiter(1)
    return [limiter.take() for _ in range(3)], limiter.refills
