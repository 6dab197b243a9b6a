"""LL105: `lock.acquire()` without a release guaranteed on every path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterator, List, Sequence, Set

from ..knowledge import LockKind
from ..link import LockInfo, Program
from ..model import Acquire, Diagnostic, FunctionSummary, LockPath, RuleCode, Site
from .common import Locate


@dataclass(frozen=True)
class UnguardedAcquireMessage:
    lock: str
    kind: str
    timed: bool = False  # acquire(timeout=...) / acquire(False): later acquires may give up
    permits: bool = False  # a counting semaphore: one permit is lost, not the whole lock
    reentrant: bool = False  # only other threads hang
    scope: str = ""  # what `with` takes: the lock, or the attribute holding it (`handler.lock`)

    def render(self, here: str, locate: Locate) -> str:
        if self.permits:
            consequence = f"that permit of the {self.kind} is never given back, and once every permit is lost, acquire() blocks"
        elif self.timed:
            consequence = f"the {self.kind} stays held, and later acquires of it time out or block"
        elif self.reentrant:
            consequence = f"the {self.kind} stays held and every other thread that acquires it hangs forever"
        else:
            consequence = f"the {self.kind} stays held and every later acquire hangs forever"
        remedy = "try/finally" if self.timed else f"`with {self.scope or self.lock}:` or try/finally"
        return (
            f"{self.lock}.acquire() is not followed by try/finally: if anything before {self.lock}.release() "
            f"raises or returns early, {consequence}. Use {remedy}"
        )


class UnguardedAcquire:
    code: RuleCode = "LL105"

    def check(self, program: Program) -> Iterator[Diagnostic]:
        nested: Dict[str, List[FunctionSummary]] = {}
        for fn in program.functions.values():
            if fn.parent is not None:
                nested.setdefault(fn.parent, []).append(fn)
        releasers: Dict[str, Set[str]] = {}  # semaphore -> the functions that release it, computed on first need
        for name, fn, path in program.each_function():
            for event in fn.events:
                if not isinstance(event, Acquire) or event.how != "acquire" or event.guarded or self._not_this_functions_job(fn, event, nested.get(name, ())):
                    continue
                info = program.canonical(fn, event.lock)
                if info.kind is None:
                    continue
                if info.kind.counting:
                    releasers = releasers or self._releasers(program)
                    if releasers.get(program.class_id(fn, info.key) or "", set()) - {name}:
                        continue  # a permit handed on (to a message, a connection): another function gives it back
                yield Diagnostic(self.code, Site(path, event.site), self._message(program, event, info, info.kind), lock=event.lock.text())

    def _not_this_functions_job(self, fn: FunctionSummary, event: Acquire, nested: Sequence[FunctionSummary]) -> bool:
        if event.lock not in fn.released:
            return True  # released elsewhere (a helper, __exit__, another thread)
        if any(h.site == event.site for h in fn.exit_held):
            return True  # still held on every return: handed on (a semaphore's permit to a message), released only on error
        if sum(isinstance(e, Acquire) and e.how == "acquire" and e.lock == event.lock for e in fn.events) > 1:
            return True  # acquired twice: the signalling idiom, released by another thread
        return any(self._uses(inner, event.lock) for inner in nested)  # a nested function (a thread's target) takes or releases it too: a handoff

    @staticmethod
    def _releasers(program: Program) -> Dict[str, Set[str]]:
        """Semaphores (by class-level identity) and the functions that release them."""
        found: Dict[str, Set[str]] = {"": set()}  # never empty, so it is computed once
        for name, fn, _ in program.each_function():
            for lock in fn.released:
                info = program.canonical(fn, lock)
                lock_id = program.class_id(fn, info.key) if info.kind is not None and info.kind.counting else None
                if lock_id is not None:
                    found.setdefault(lock_id, set()).add(name)
        return found

    @staticmethod
    def _message(program: Program, event: Acquire, info: LockInfo, kind: LockKind) -> UnguardedAcquireMessage:
        permits = kind.counting and info.reentrant is None  # more than one permit, or unknown
        # a lock class whose lock is an attribute (`Handler.lock`) is no context manager itself
        held_in = [k[len(kind.name) + 1 :] for k in program.knowledge.kinds if k.startswith(kind.name + ".")]
        scope = f"{event.lock.text()}.{held_in[0]}" if len(held_in) == 1 else ""
        return UnguardedAcquireMessage(event.lock.text(), kind.display, not event.blocking, permits, info.reentrant is True, scope)

    @staticmethod
    def _uses(fn: FunctionSummary, lock: LockPath) -> bool:
        return lock in fn.released or any(isinstance(e, Acquire) and e.lock == lock for e in fn.events)
