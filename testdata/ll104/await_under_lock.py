import asyncio
import threading


class Client:
    def __init__(self):
        self._lock = threading.Lock()
        self._rlock = threading.RLock()
        self._alock = asyncio.Lock()
        self._sem = threading.Semaphore(3)

    async def fetch(self, session):
        with self._lock:
            return await session.get("/")  # error: LL104

    async def stream(self, source):
        with self._rlock:
            async for chunk in source:  # error: LL104
                print(chunk)

    async def nested(self, other):
        with self._sem:
            async with other:  # error: LL104
                pass

    async def correct(self, session):
        async with self._alock:
            return await session.get("/")  # asyncio.Lock is made for this

    async def release_first(self, session):
        with self._lock:
            url = "/"
        return await session.get(url)

    def sync(self):
        with self._lock:
            return 1
