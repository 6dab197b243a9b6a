"""logging.Handler.acquire()/release() and handler.lock are the handler's RLock."""
import logging
import logging.handlers


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.acquire()  # error: LL105
        self.records.append(self.format(record))  # format() raises on a bad record: the lock stays held
        self.release()

    def flush(self):
        self.acquire()
        try:
            self.records.clear()
        finally:
            self.release()

    def drain(self):
        with self.lock:
            self.flush()  # acquires self.lock again: an RLock, so not a self-deadlock


class Rotating(logging.handlers.RotatingFileHandler):
    def rotate_now(self):
        self.lock.acquire()  # error: LL105
        self.doRollover()
        self.lock.release()


def flush_handler(handler: logging.Handler):
    handler.acquire()  # error: LL105
    handler.flush()
    handler.release()


def flush_safely(handler: logging.StreamHandler):
    handler.acquire()
    try:
        handler.flush()
    finally:
        handler.release()
