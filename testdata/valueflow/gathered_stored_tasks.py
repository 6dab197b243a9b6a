"""Tasks kept in an attribute (`self._tasks.append(asyncio.create_task(self._flush(n)))`, a dict of
them) and awaited as a collection in another method (`gather(*self._tasks)`, `asyncio.wait(self._tasks)`
until all are done): each runs `_flush` to its end before the await returns; under the asyncio lock
`_flush` takes, neither proceeds. Quiet: gathered after the release, cancelled first, a coroutine
without the lock, another object's collection, FIRST_COMPLETED, a timeout."""

import asyncio


class Flusher:
    def __init__(self):
        self._lock = asyncio.Lock()
        self._tasks = []
        self._by_key = {}
        self._pings = []

    def schedule(self, n):
        self._tasks.append(asyncio.create_task(self._flush(n)))

    def schedule_keyed(self, key):
        self._by_key[key] = asyncio.ensure_future(self._flush(key))

    def ping(self):
        self._pings.append(asyncio.get_event_loop().create_task(self._ping()))

    async def _flush(self, n):
        async with self._lock:
            pass

    async def _ping(self):
        pass

    async def drain(self):
        async with self._lock:
            await asyncio.gather(*self._tasks)  # error: LL101

    async def drain_copy(self):
        async with self._lock:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)  # error: LL101

    async def drain_keyed(self):
        async with self._lock:
            await asyncio.gather(*self._by_key.values())  # error: LL101

    async def wait_all(self):
        async with self._lock:
            await asyncio.wait(self._tasks)  # error: LL101

    async def wait_all_keyed(self):
        async with self._lock:
            done, _ = await asyncio.wait(self._by_key.values(), return_when=asyncio.ALL_COMPLETED)  # error: LL101
            return done

    async def each_keyed(self):
        async with self._lock:
            for task in self._by_key.values():
                await task  # error: LL101

    async def drain_unbounded(self):
        async with self._lock:
            await asyncio.wait_for(asyncio.gather(*self._tasks), None)  # error: LL101

    async def drain_after_release(self):
        async with self._lock:
            pending = len(self._tasks)
        await asyncio.gather(*self._tasks)
        return pending

    async def cancel_all(self):
        async with self._lock:
            for task in self._tasks:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def cancel_all_keyed(self):
        async with self._lock:
            [task.cancel() for task in self._by_key.values()]
            await asyncio.gather(*self._by_key.values(), return_exceptions=True)

    async def pings(self):
        async with self._lock:
            await asyncio.gather(*self._pings)

    async def other(self, other: "Flusher"):
        async with self._lock:
            await asyncio.gather(*other._tasks)

    async def first(self):
        async with self._lock:
            await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)

    async def bounded(self):
        async with self._lock:
            await asyncio.wait_for(asyncio.gather(*self._tasks), 5)
            await asyncio.wait(self._tasks, timeout=1.0)

    async def in_a_timeout(self):
        async with self._lock:
            async with asyncio.timeout(1):
                await asyncio.gather(*self._tasks)

    async def untyped_other(self, other):
        async with self._lock:
            await asyncio.gather(*other._tasks)

    async def replaced_first(self):
        async with self._lock:
            self._tasks = []
            await asyncio.gather(*self._tasks)

    async def cleared_first(self):
        async with self._lock:
            self._by_key.clear()
            await asyncio.wait(self._by_key.values())


class Writer:
    """The tasks a subclass's method keeps, gathered by the base class under its lock."""

    def __init__(self):
        self._lock = asyncio.Lock()
        self._jobs = set()

    async def close(self):
        async with self._lock:
            await asyncio.gather(*self._jobs)  # error: LL101

    async def _write(self):
        async with self._lock:
            pass


class BufferedWriter(Writer):
    def write(self):
        self._jobs.add(asyncio.create_task(self._write()))


BufferedWriter()


class Snapshot:
    """A copy of the collection taken under the lock (`tasks = list(self._tasks)`), then gathered there:
    emptying the attribute after the copy leaves the tasks in the copy."""

    def __init__(self):
        self._lock = asyncio.Lock()
        self._tasks = set()

    def schedule(self):
        self._tasks.add(asyncio.create_task(self._flush()))

    async def _flush(self):
        async with self._lock:
            pass

    async def drain(self):
        async with self._lock:
            tasks = list(self._tasks)
            self._tasks.clear()
            await asyncio.gather(*tasks)  # error: LL101

    async def drain_cancelled(self):
        async with self._lock:
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def drain_emptied_first(self):
        async with self._lock:
            self._tasks.clear()
            tasks = list(self._tasks)
            await asyncio.gather(*tasks)

    async def drain_rebound(self):
        async with self._lock:
            tasks = list(self._tasks)
            tasks = []
            await asyncio.gather(*tasks)

    async def drain_after_release(self):
        async with self._lock:
            tasks = list(self._tasks)
        await asyncio.gather(*tasks)
