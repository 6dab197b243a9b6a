"""An early exit between acquire() and release() skips the release, unless it tests the acquire's result."""
import threading

lock = threading.Lock()
cache = {}


def lookup(key, default):
    lock.acquire()  # error: LL105
    if key is None:
        return default  # returns with the lock held
    value = key
    lock.release()
    return value


def refuse(key):
    lock.acquire()  # error: LL105
    if key is None:
        raise ValueError(key)
    lock.release()


def timed(key):
    ok = lock.acquire(timeout=1.0)
    if not ok:
        return None  # the acquire failed: nothing to release
    try:
        return cache.get(key)
    finally:
        lock.release()


def timed_then_other_exit(key):
    ok = lock.acquire(timeout=1.0)  # error: LL105
    if key is None:  # error-free, but returns with the lock held
        return None
    lock.release()
    return ok
