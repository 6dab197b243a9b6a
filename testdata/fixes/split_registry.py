"""A registry whose alias() calls lookup(); the name lookup_locked is taken already."""
import threading


class Registry:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries = {}
        self._aliases = {}
        self._frozen = set()

    def register(self, name, value):
        with self._lock:
            self._entries[name] = value

    def lookup(self, name):
        with self._lock:
            return self._entries[self._aliases.get(name, name)]

    def lookup_locked(self, name):
        """Whether an entry is frozen against changes (a feature of the registry, not the mutex)."""
        return name in self._frozen

    def alias(self, alias, name):
        with self._lock:
            value = self.lookup(name)  # error: LL101
            self._aliases[alias] = name
            return value


def scenario():
    registry = Registry()
    registry.register("a", 1)
    return registry.alias("b", "a"), registry.lookup("b"), registry.lookup_locked("b")
