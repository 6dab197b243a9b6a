"""A task kept in an attribute (`self._task = asyncio.create_task(self._run())`) and awaited in
another method runs `_run` to its end before the await returns: under the asyncio lock `_run`
takes, neither proceeds. Cancelled first (it stops where it waits), or awaited after the release:
quiet."""

import asyncio


class Service:
    def __init__(self):
        self._lock = asyncio.Lock()
        self._other = asyncio.Lock()
        self._task = None
        self._pinger = None
        self._tasks = []

    async def _run(self):
        async with self._lock:
            pass

    async def _ping(self):
        async with self._other:
            pass

    def start(self):
        self._task = asyncio.create_task(self._run())
        self._pinger = asyncio.ensure_future(self._ping())
        self._tasks.append(asyncio.get_event_loop().create_task(self._run()))

    async def stop(self):
        async with self._lock:
            await self._task  # error: LL101

    async def stop_all(self):
        async with self._lock:
            for task in self._tasks:
                await task  # error: LL101

    async def cancel(self):
        async with self._lock:
            self._task.cancel()
            await self._task

    async def stop_after_release(self):
        async with self._lock:
            pass
        await self._task

    async def stop_pinger(self):
        async with self._lock:
            await self._pinger

    async def stop_through_gather(self):
        async with self._lock:
            await asyncio.gather(self._pinger, self._task)  # error: LL101

    async def stop_shielded(self):
        async with self._lock:
            await asyncio.wait_for(self._task, None)  # error: LL101
            await asyncio.wait_for(self._task, 1.0)

    async def result_when_done(self):
        async with self._lock:
            if self._task is not None and self._task.done():
                return await self._task
            return None
