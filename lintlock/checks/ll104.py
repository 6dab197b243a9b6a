"""LL104: `await` (or `async for`/`async with`) while holding a threading lock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..link import HeldLock, Program
from ..model import Await, Diagnostic, RuleCode, Site
from .common import Locate, where


@dataclass(frozen=True)
class AwaitUnderThreadLockMessage:
    held: HeldLock
    kind: str
    how: str
    site: Site

    def render(self, here: str, locate: Locate) -> str:
        what = f"`{locate(self.site).text}`" if self.how == "await" else f"`{self.how}`"
        return (
            f"{what} suspends this coroutine while holding {self.held.text} ({self.kind}, acquired at "
            f"{where(self.held.site, here, locate)}); other tasks run on this thread meanwhile, and the first "
            f"one that needs {self.held.text} blocks the event loop, so this task never resumes to release it. "
            f"Use an asyncio.Lock, or release before awaiting"
        )


class AwaitUnderThreadLock:
    code: RuleCode = "LL104"

    def check(self, program: Program) -> Iterator[Diagnostic]:
        for _, fn, path in program.each_function():
            if not fn.is_async:
                continue
            for event in fn.events:
                if not isinstance(event, Await) or not event.held:
                    continue
                for lock in program.held_locks(fn, event.held):
                    info = program.lock_info(fn, lock.key)
                    if info.kind is not None and info.kind.family in ("thread", "process"):
                        site = Site(path, event.site)
                        message = AwaitUnderThreadLockMessage(lock, info.kind.display, event.how, site)
                        yield Diagnostic(self.code, site, message, ((lock.site, f"{lock.text} acquired here"),), lock=lock.text)
                        break
