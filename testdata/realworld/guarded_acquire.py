"""redis, concurrent-log-handler, distributed: acquire() shapes that are released on every path."""
import threading


class Client:
    def __init__(self, single):
        self._single = single
        self._lock = threading.RLock()
        self._locked = False

    def conditional(self, conn):
        if self._single:
            self._lock.acquire()
        try:
            return conn.send()
        finally:
            try:
                conn.reconnect()
            finally:
                if self._single:
                    self._lock.release()

    def inside_try(self, pool):
        try:
            if self._single:
                self._lock.acquire()
                self._locked = True
            pool.reset()
        finally:
            if self._locked:
                try:
                    self._lock.release()
                except Exception:
                    pass
                self._locked = False

    def flag_first(self, stream):
        self._lock.acquire()
        release = True
        try:
            stream.flush()
        finally:
            if release:
                self._lock.release()

    def handed_to_caller(self, pool):
        self._lock.acquire()
        try:
            return pool.connect()  # the caller releases it when done
        except BaseException:
            self._lock.release()
            raise

    def not_guarded(self, pool):
        self._lock.acquire()  # error: LL105
        pool.connect()
        self._lock.release()
