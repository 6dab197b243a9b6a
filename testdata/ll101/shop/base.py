from shop.locks import make_lock


class Service:
    def __init__(self):
        self._lock = make_lock()

    def shutdown(self):
        with self._lock:
            self._closed = True
