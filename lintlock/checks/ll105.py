"""LL105: `lock.acquire()` without a release guaranteed on every path."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterator, List

from ..link import Program
from ..model import Acquire, Diagnostic, FunctionSummary, LockPath, Site
from .common import Locate


@dataclass(frozen=True)
class UnguardedAcquireMessage:
    lock: str
    kind: str
    timed: bool = False  # acquire(timeout=...) / acquire(False): later acquires may give up
    permits: bool = False  # a counting semaphore: one permit is lost, not the whole lock

    def render(self, here: str, locate: Locate) -> str:
        if self.permits:
            consequence = f"that permit of the {self.kind} is never given back, and once every permit is lost, acquire() blocks"
        elif self.timed:
            consequence = f"the {self.kind} stays held, and later acquires of it time out or block"
        else:
            consequence = f"the {self.kind} stays held and every later acquire hangs forever"
        remedy = "try/finally" if self.timed else f"`with {self.lock}:` or try/finally"
        return (
            f"{self.lock}.acquire() is not followed by try/finally: if anything before {self.lock}.release() "
            f"raises or returns early, {consequence}. Use {remedy}"
        )


class UnguardedAcquire:
    code = "LL105"

    def check(self, program: Program) -> Iterator[Diagnostic]:
        nested: Dict[str, List[FunctionSummary]] = {}
        for fn in program.functions.values():
            if fn.parent is not None:
                nested.setdefault(fn.parent, []).append(fn)
        for name, fn, path in program.each_function():
            for event in fn.events:
                if not isinstance(event, Acquire) or event.how != "acquire" or event.guarded:
                    continue
                if event.lock not in fn.released:
                    continue  # released elsewhere (a helper, __exit__, another thread): not this function's job
                if any(h.site == event.site for h in fn.exit_held):
                    continue  # still held on every return: handed on (a semaphore's permit to a message), released only on error
                if sum(isinstance(e, Acquire) and e.how == "acquire" and e.lock == event.lock for e in fn.events) > 1:
                    continue  # acquired twice: the signalling idiom, released by another thread
                if any(self._uses(inner, event.lock) for inner in nested.get(name, ())):
                    continue  # a nested function (a thread's target) takes or releases it too: a handoff
                info = program.canonical(fn, event.lock)
                if info.kind is None:
                    continue
                permits = info.kind.counting and info.reentrant is None  # more than one permit, or unknown
                message = UnguardedAcquireMessage(event.lock.text(), info.kind.display, timed=not event.blocking, permits=permits)
                yield Diagnostic(self.code, Site(path, event.site), message, lock=event.lock.text())

    @staticmethod
    def _uses(fn: FunctionSummary, lock: LockPath) -> bool:
        return lock in fn.released or any(isinstance(e, Acquire) and e.lock == lock for e in fn.events)
