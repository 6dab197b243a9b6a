import threading

from . import lock
from .. import stock


class Ledger:
    _lock = threading.Lock()  # same name as Service._lock, a different object

    def post(self, item):
        with lock:
            stock.reserve(item)  # error: LL101

    def close(self):
        with self._lock:
            self.settle()  # error: LL101

    def settle(self):
        with Ledger._lock:
            pass

    def unrelated(self, service):
        with self._lock:
            service.shutdown()  # Service._lock is another lock: fine
