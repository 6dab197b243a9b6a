"""asyncio locks are not reentrant either: the task waits for itself."""
import asyncio


class Session:
    def __init__(self):
        self._lock = asyncio.Lock()
        self._sem = asyncio.Semaphore()
        self._cond = asyncio.Condition()

    async def close(self):
        async with self._lock:
            await self._flush()  # error: LL101

    async def _flush(self):
        async with self._lock:
            pass

    async def close_later(self):
        async with self._lock:
            asyncio.ensure_future(self._flush())  # not awaited here: runs after the release

    async def limited(self):
        async with self._sem:
            await self._limited_inner()  # error: LL101

    async def _limited_inner(self):
        async with self._sem:
            pass

    async def notify(self):
        async with self._cond:
            await self._notify_inner()  # error: LL101

    async def _notify_inner(self):
        async with self._cond:
            self._cond.notify_all()

    async def wait_ready(self):
        async with self._cond:
            await self._cond.wait()  # releases the condition while waiting: fine

    async def contend(self):
        async with self._lock:
            waiter = asyncio.create_task(self._lock.acquire())  # another task waits, not this one
        await waiter

    async def explicit(self):
        await self._lock.acquire()
        try:
            await self._flush()  # error: LL101
        finally:
            self._lock.release()
