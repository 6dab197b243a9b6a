from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .scheduler import Scheduler


class Metrics:
    scheduler: "Scheduler"

    def __init__(self):
        self._lock = threading.Lock()
        self._counts = {}

    def record(self, name):
        with self._lock:
            self._counts[name] = self._counts.get(name, 0) + 1

    def flush(self):
        with self._lock:
            self._counts["pending"] = self.scheduler.pending()  # error: LL102
