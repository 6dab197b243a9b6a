"""A coroutine sent to another thread's event loop (asyncio.run_coroutine_threadsafe) and waited for
(`.result()`) while holding a thread lock the coroutine takes: the loop's thread waits for the lock,
this thread waits for the coroutine."""
import asyncio
import threading


class Bridge:
    def __init__(self, loop):
        self._lock = threading.Lock()
        self._loop = loop
        self._state = 0

    async def _refresh(self):
        with self._lock:
            self._state += 1

    async def _ping(self):
        await asyncio.sleep(0)
        return self._loop

    def _make(self):
        return self._refresh()

    def refresh_now(self):
        with self._lock:
            return asyncio.run_coroutine_threadsafe(self._refresh(), self._loop).result()  # error: LL103

    def refresh_kept(self):
        with self._lock:
            future = asyncio.run_coroutine_threadsafe(self._refresh(), self._loop)
            return future.result()  # error: LL103

    def refresh_made_before(self):
        coro = self._refresh()
        with self._lock:
            future = asyncio.run_coroutine_threadsafe(coro, self._loop)
            future.result()  # error: LL103

    def refresh_after_release(self):
        with self._lock:
            future = asyncio.run_coroutine_threadsafe(self._refresh(), self._loop)
        return future.result()

    def ping(self):
        with self._lock:
            return asyncio.run_coroutine_threadsafe(self._ping(), self._loop).result()

    def refresh_timed(self):
        with self._lock:
            return asyncio.run_coroutine_threadsafe(self._refresh(), self._loop).result(timeout=5)

    def refresh_other(self, other):
        with self._lock:
            return asyncio.run_coroutine_threadsafe(other._refresh(), self._loop).result()

    def refresh_made_elsewhere(self):
        with self._lock:
            return asyncio.run_coroutine_threadsafe(self._make(), self._loop).result()

    def refresh_fire_and_forget(self):
        with self._lock:
            asyncio.run_coroutine_threadsafe(self._refresh(), self._loop)


_registry_lock = threading.Lock()


async def register(name):
    with _registry_lock:
        return name


def register_from_thread(loop, name):
    with _registry_lock:
        return asyncio.run_coroutine_threadsafe(register(name), loop).result()  # error: LL103
