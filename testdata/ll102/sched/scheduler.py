from __future__ import annotations

import threading

from .metrics import Metrics


class Scheduler:
    def __init__(self, metrics: Metrics):
        self._lock = threading.Lock()
        self._metrics = metrics
        self._queue = []

    def submit(self, job):
        with self._lock:
            self._queue.append(job)
            self._metrics.record("submitted")

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)
