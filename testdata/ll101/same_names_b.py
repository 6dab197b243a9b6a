import threading

_lock = threading.Lock()


def update():
    with _lock:
        pass
