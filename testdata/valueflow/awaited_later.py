"""A task or coroutine kept in a name and awaited later, or handed to asyncio.gather / asyncio.wait
in a collection, runs before the await returns: under the asyncio lock the awaiting task holds
there. Created under the lock and awaited after the release, it is not."""

import asyncio
import threading


class Session:
    def __init__(self):
        self._lock = asyncio.Lock()
        self._other = asyncio.Lock()
        self._loop = asyncio.get_event_loop()

    async def _flush(self, n=0):
        async with self._lock:
            return n

    async def _ping(self, n=0):
        async with self._other:
            return n

    async def stored_task(self):
        task = asyncio.create_task(self._flush())
        async with self._lock:
            await task  # error: LL101

    async def stored_future(self):
        async with self._lock:
            task = asyncio.ensure_future(self._flush())
            await asyncio.shield(task)  # error: LL101

    async def loop_task(self):
        task = self._loop.create_task(self._flush())
        async with self._lock:
            await asyncio.wait_for(task, None)  # error: LL101

    async def gather_inline(self, items):
        async with self._lock:
            await asyncio.gather(*[self._flush(n) for n in items])  # error: LL101

    async def gather_kept(self, items):
        coros = [self._flush(n) for n in items]
        async with self._lock:
            await asyncio.gather(*coros)  # error: LL101

    async def gather_appended(self, items):
        tasks = []
        for n in items:
            tasks.append(asyncio.create_task(self._flush(n)))
        async with self._lock:
            await asyncio.gather(*tasks)  # error: LL101

    async def wait_all(self):
        pinging = asyncio.create_task(self._ping())
        async with self._lock:
            await asyncio.wait([pinging, asyncio.create_task(self._flush())])  # error: LL101

    async def awaited_after_release(self):
        async with self._lock:
            task = asyncio.create_task(self._flush())
        await task

    async def not_awaited(self, items):
        async with self._lock:
            tasks = [asyncio.create_task(self._flush(n)) for n in items]
        return await asyncio.gather(*tasks)

    async def other_lock(self, items):
        task = asyncio.create_task(self._ping())
        async with self._lock:
            await task
            await asyncio.gather(*[self._ping(n) for n in items])

    async def bound_again(self):
        task = asyncio.create_task(self._flush())
        task = asyncio.create_task(self._ping())
        async with self._lock:
            await task

    async def wait_timed(self):
        async with self._lock:
            await asyncio.wait([asyncio.create_task(self._flush())], timeout=1)
            await asyncio.wait_for(asyncio.create_task(self._flush()), 5)

    async def wait_first(self):
        async with self._lock:
            await asyncio.wait([asyncio.create_task(self._flush())], return_when=asyncio.FIRST_COMPLETED)


class Scheduled:
    """A plain function that returns something to await: it ran when it was called, not at the await."""

    def __init__(self):
        self._mutex = threading.Lock()
        self._loop = asyncio.get_event_loop()

    def _schedule(self):
        with self._mutex:
            return self._loop.create_future()

    async def wait_scheduled(self):
        future = self._schedule()
        with self._mutex:
            await future  # error: LL104


class Grouped:
    """Leaving `async with asyncio.TaskGroup() as tg:` awaits the tasks made in it."""

    def __init__(self):
        self._lock = asyncio.Lock()

    async def _flush(self):
        async with self._lock:
            pass

    async def flush_all(self):
        async with self._lock:
            async with asyncio.TaskGroup() as tg:  # error: LL101
                tg.create_task(self._flush())

    async def flush_after_release(self):
        async with asyncio.TaskGroup() as tg:
            async with self._lock:
                tg.create_task(self._flush())

    async def cancelled(self):
        """A cancelled task waiting for the lock gets CancelledError there: awaiting it returns."""
        task = asyncio.create_task(self._flush())
        async with self._lock:
            task.cancel()
            await task

    async def cancelled_each(self, items):
        """The shutdown idiom: every task cancelled, then gathered."""
        tasks = [asyncio.create_task(self._flush(n)) for n in items]
        async with self._lock:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def cancelled_in_a_comprehension(self, items):
        tasks = [asyncio.create_task(self._flush(n)) for n in items]
        async with self._lock:
            [task.cancel() for task in tasks]
            await asyncio.gather(*tasks, return_exceptions=True)

    async def timed_block(self, items):
        """`async with asyncio.timeout(1):` ends the wait, as wait_for(task, 1) does."""
        task = asyncio.create_task(self._flush())
        async with self._lock:
            async with asyncio.timeout(1):
                await task
                await asyncio.gather(self._flush(), *[self._flush(n) for n in items])

    async def unbounded_block(self):
        task = asyncio.create_task(self._flush())
        async with self._lock:
            async with asyncio.timeout(None):
                await task  # error: LL101

    async def done_guard(self):
        """A task known to be done returns at once."""
        task = asyncio.create_task(self._flush())
        async with self._lock:
            if task is not None and task.done():
                return await task
            return None

    async def awaited_before(self):
        """Awaited once before the lock is taken: awaiting the finished task again returns at once."""
        task = asyncio.create_task(self._flush())
        await task
        async with self._lock:
            await task
