"""pymongo: one attribute declared as an asyncio lock or a threading lock by a version switch."""
import asyncio
import threading
from dataclasses import dataclass, field

ASYNC = True


@dataclass
class Authenticator:
    if ASYNC:
        lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    else:
        lock: threading.Lock = field(default_factory=threading.Lock)

    async def refresh(self, fetch):
        async with self.lock:
            return await fetch()  # which lock it is depends on ASYNC: not reported


class Sure:
    def __init__(self):
        self.lock = threading.Lock()

    async def refresh(self, fetch):
        with self.lock:
            return await fetch()  # error: LL104
