import threading

lock = threading.Lock()
data = {}


def unguarded(key, value):
    lock.acquire()  # error: LL105
    data[key] = value  # a KeyError or MemoryError here leaves the lock held
    lock.release()


def early_return(key):
    lock.acquire()  # error: LL105
    if key not in data:
        return None
    value = data[key]
    lock.release()
    return value


def guarded(key, value):
    lock.acquire()
    try:
        data[key] = value
    finally:
        lock.release()


def guarded_inside_try(key, value):
    try:
        lock.acquire()
        data[key] = value
    finally:
        lock.release()


def non_blocking(key, value):
    if not lock.acquire(blocking=False):
        return False
    try:
        data[key] = value
    finally:
        lock.release()
    return True


def with_timeout(key, value):
    acquired = lock.acquire(timeout=1.0)
    if not acquired:
        raise TimeoutError(key)
    try:
        data[key] = value
    finally:
        lock.release()


def try_lock():
    if lock.acquire(False):
        lock.release()


def acquire_helper():
    lock.acquire()  # released by release_helper: a helper pair, not this function's job


def release_helper():
    lock.release()


def try_lock_else(key, value):
    if not lock.acquire(False):
        return False
    else:
        try:
            data[key] = value
        finally:
            lock.release()
    return True


def handed_to_worker(start_thread):
    done = threading.Lock()
    done.acquire()

    def worker():
        done.release()  # the worker signals completion

    start_thread(worker)
    done.acquire()
    done.release()


def loop_body(items):
    for item in items:
        lock.acquire()  # error: LL105
        data[item] = len(data)
        lock.release()
