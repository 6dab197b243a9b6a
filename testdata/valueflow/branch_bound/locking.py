"""Lock classes bound two ways: a debugging wrapper in one branch, threading's in the other (ZODB's
utils). Which one `RLock(Lock)` derives from depends on the branch taken, so its kind is not known."""

import asyncio
import os
import threading

if os.environ.get("DEBUG_LOCKING"):

    class Lock:
        lock_class = threading.Lock

        def __init__(self):
            self._lock = self.lock_class()

        def __enter__(self):
            return self._lock.acquire()

        def __exit__(self, *ignored):
            return self._lock.release()

    class RLock(Lock):
        lock_class = threading.RLock

else:
    from threading import Lock, RLock  # noqa: F401


class StrictLock(asyncio.Lock):
    """Bound once: an asyncio.Lock."""
