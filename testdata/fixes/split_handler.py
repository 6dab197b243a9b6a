"""A log handler whose emit() flushes while holding the handler's lock: the `_locked` split."""
import threading


class BufferingHandler:
    def __init__(self, capacity):
        self._lock = threading.Lock()
        self.capacity = capacity
        self.buffer = []
        self.written = []
        self.emitted = 0

    def emit(self, record):
        with self._lock:
            self.buffer.append(record)
            if len(self.buffer) >= self.capacity:
                self.flush()  # error: LL101
            self.emitted += 1

    def flush(self):
        """Write out what is buffered."""
        with self._lock:  # the buffer is shared with emit()
            self.written.extend(self.buffer)
            self.buffer.clear()


def scenario():
    handler = BufferingHandler(2)
    for record in range(5):
        handler.emit(record)
    handler.flush()
    return handler.written, handler.buffer, handler.emitted
