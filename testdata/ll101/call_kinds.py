"""The ways one method reaches another: self, cls, ClassName.m(self), super(), properties, dunders."""
import threading


class Base:
    def __init__(self):
        self._lock = threading.Lock()
        self._items = {}

    def refresh(self):
        with self._lock:
            self._items.clear()


class Cache(Base):
    def explicit_class(self):
        with self._lock:
            Base.refresh(self)  # error: LL101

    def via_super(self):
        with self._lock:
            super().refresh()  # error: LL101

    def inherited(self):
        with self._lock:
            self.refresh()  # error: LL101

    @property
    def size(self):
        with self._lock:
            return len(self._items)

    @size.setter
    def size(self, value):
        with self._lock:
            self._limit = value

    def read_property(self):
        with self._lock:
            return self.size  # error: LL101

    def write_property(self):
        with self._lock:
            self.size = 3  # error: LL101

    def __len__(self):
        with self._lock:
            return len(self._items)

    def __contains__(self, key):
        with self._lock:
            return key in self._items

    def __getitem__(self, key):
        with self._lock:
            return self._items[key]

    def __setitem__(self, key, value):
        with self._lock:
            self._items[key] = value

    def __iter__(self):
        with self._lock:
            return iter(list(self._items))

    def __str__(self):
        with self._lock:
            return str(self._items)

    def dunders(self, key):
        with self._lock:
            n = len(self)  # error: LL101
            if key in self:  # error: LL101
                pass
            value = self[key]  # error: LL101
            self[key] = value  # error: LL101
            it = iter(self)  # error: LL101
            text = str(self)  # error: LL101
            for item in self:  # error: LL101
                pass
        return n, it, text

    def other_instance(self, other: "Cache"):
        with self._lock:
            other.refresh()  # another object's lock: not a self-deadlock
            len(other)

    def locked_helper(self):
        with self._lock:
            self._refresh_locked()  # the _locked variant does not take the lock

    def _refresh_locked(self):
        self._items.clear()

    def after_release(self):
        with self._lock:
            self._items.pop("x", None)
        self.refresh()  # after the with block: fine


class Child(Cache):
    def refresh(self):
        self._items.clear()  # overrides without locking

    def inherited(self):
        with self._lock:
            self.refresh()  # resolves to Child.refresh: fine


def rebuild(cache: Cache):
    with cache._lock:
        cache.refresh()  # error: LL101
