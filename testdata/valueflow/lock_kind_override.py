"""A lock class of the tree deriving from a known lock class keeps its kind, unless it takes the lock
its own way (acquire, __enter__ or __aenter__ overridden: a re-entrant wrapper such as an owner-counting
AsyncRLock built on asyncio.Lock): then it may re-enter, and LL101 does not claim it hangs on itself."""

import asyncio
import threading

class AsyncRLock(asyncio.Lock):
    def __init__(self):
        super().__init__()
        self._owner = None
        self._count = 0

    async def acquire(self):
        me = asyncio.current_task()
        if self._owner is me:
            self._count += 1
            return True
        await super().acquire()
        self._owner = me
        self._count = 1
        return True

    def release(self):
        self._count -= 1
        if not self._count:
            self._owner = None
            super().release()

class TracedLock(asyncio.Lock):
    """Only adds a name: still an asyncio.Lock, not re-entrant."""

    def __repr__(self):
        return "TracedLock"

class Table:
    def __init__(self):
        self.tables = {}
        self.refresh_lock = AsyncRLock()
        self.traced_lock = TracedLock()

    async def get_table(self, name):
        async with self.refresh_lock:
            return self.tables.get(name)

    async def refresh(self, name):
        async with self.refresh_lock:
            if await self.get_table(name) is None:
                self.tables[name] = object()

    async def _traced(self):
        async with self.traced_lock:
            return 1

    async def traced_twice(self):
        async with self.traced_lock:
            return await self._traced()  # error: LL101
