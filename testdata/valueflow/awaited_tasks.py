"""Coroutines handed to asyncio.gather (or awaited through a task) run before the await returns,
while the awaiting task still holds its asyncio lock."""
import asyncio


class Session:
    def __init__(self):
        self._lock = asyncio.Lock()
        self._other = asyncio.Lock()

    async def _flush(self):
        async with self._lock:
            pass

    async def _ping(self):
        async with self._other:
            pass

    async def _count(self):
        return 1

    async def close(self):
        async with self._lock:
            await asyncio.gather(self._count(), self._flush())  # error: LL101

    async def close_task(self):
        async with self._lock:
            await asyncio.create_task(self._flush())  # error: LL101

    async def close_forever(self):
        async with self._lock:
            await asyncio.wait_for(self._flush(), None)  # error: LL101

    async def close_timed(self):
        """With a timeout the wait ends: a failure, not a deadlock."""
        async with self._lock:
            await asyncio.wait_for(self._flush(), 5)

    async def close_after_release(self):
        async with self._lock:
            pending = asyncio.gather(self._count(), self._flush())
        await pending

    async def ping(self):
        """Another lock, and coroutines that take none."""
        async with self._lock:
            await asyncio.gather(self._ping(), self._count())

    async def fire_and_forget(self):
        async with self._lock:
            asyncio.create_task(self._flush())
