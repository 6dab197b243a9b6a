"""The split for module functions, staticmethods, classmethods, properties, dunders and acquire()."""
import threading

_names_lock = threading.Lock()
_names = {}


def register(name, value=None):
    with _names_lock:
        _names[name] = value


def rename(old, new):
    with _names_lock:
        value = _names.pop(old)
        register(new, value)  # error: LL101
        return value


class Ids:
    _lock = threading.Lock()
    _last = 0

    @classmethod
    def take(cls, count=1):
        with cls._lock:
            cls._last += count
            return cls._last

    @classmethod
    def take_pair(cls):
        with cls._lock:
            first = cls.take()  # error: LL101
            return first, first + 1

    @staticmethod
    def clear(*names, **options):
        with _names_lock:
            for name in names:
                _names.pop(name, None)
            return options

    @staticmethod
    def drop(name):
        with _names_lock:
            Ids.clear(name, quiet=True)  # error: LL101
            return name


class Pool:
    def __init__(self):
        self._lock = threading.Lock()
        self._free = []
        self._limit = 2

    def put(self, conn):
        self._lock.acquire()
        try:
            self._free.append(conn)
        finally:
            self._lock.release()

    @property
    def limit(self):
        with self._lock:
            return self._limit

    @limit.setter
    def limit(self, value):
        with self._lock:
            self._limit = value

    def __len__(self):
        with self._lock:
            return len(self._free)

    def __contains__(self, conn):
        with self._lock:
            return conn in self._free

    def refill(self, conns):
        with self._lock:
            for conn in conns:
                if conn not in self and len(self) < self.limit:  # error: LL101, LL101, LL101
                    self.put(conn)  # error: LL101
            self.limit = len(self._free) + 1  # error: LL101
            return self.limit  # error: LL101


def scenario():
    rename_result = (register("a", 1), rename("a", "b"), dict(_names))
    ids = (Ids.take_pair(), Ids.take(), Ids.drop("b"), dict(_names))
    pool = Pool()
    return rename_result, ids, pool.refill(["x", "y", "x", "z"]), pool._free, len(pool)
