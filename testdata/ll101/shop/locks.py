import threading

inventory_lock = threading.Lock()


def make_lock():
    """A project's own lock factory: lintlock follows it to threading.Lock."""
    return threading.Lock()
