from . import locking


class Storage:
    def __init__(self):
        self._lock = locking.RLock()
        self._oid = 0

    def set_max_oid(self, oid):
        with self._lock:
            if oid > self._oid:
                self._oid = oid

    def store(self, oid):
        with self._lock:
            self.set_max_oid(oid)  # RLock either way: quiet


class Feed:
    def __init__(self):
        self._lock = locking.StrictLock()

    async def flush(self):
        async with self._lock:
            return 1

    async def push(self):
        async with self._lock:
            return await self.flush()  # error: LL101
