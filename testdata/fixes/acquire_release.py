import threading


class Pool:
    def __init__(self):
        self._lock = threading.Lock()
        self._free = []

    def put(self, conn):
        self._lock.acquire()
        try:
            self._free.append(conn)
            self.prune()  # error: LL101
        finally:
            self._lock.release()

    def prune(self):
        with self._lock:
            del self._free[10:]
