"""LL103: a blocking wait while holding a lock that whatever must wake the wait needs.

The seed's `Wait()`/`Complete()` bug: `wait()` holds the mutex while polling
`done`, and `complete()` can set `done` only after taking that mutex.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Dict, Iterator, List, Optional, Tuple

from ..knowledge import WaitSpec
from ..link import HeldLock, Program
from ..model import Acquire, Args, Await, Call, Diagnostic, Flow, FunctionSummary, LockPath, RuleCode, Site, Value
from ..program.calls import Edge, Receiver
from ..program.locks import Key, LockScope
from ..summarize.spawned import kept_submits
from .common import Locate, short_lock, where

Use = Tuple[str, Call]  # (function, event)


@dataclass(frozen=True)
class BlockedWakerMessage:
    held: HeldLock
    lock_id: str
    wait: Site
    waiting_for: str  # what the wait needs to happen
    waker: str  # the function that would make it happen
    waker_site: Site
    runs_to_end: bool = False  # the waker is a thread target / submitted call that must finish
    passed: Optional[Site] = None  # value flow found the waker: where it was handed over
    leaving: bool = False  # the wait is leaving `with pool:` (its __exit__ shuts the pool down)
    joins_itself: bool = False  # `self.join()`: the waker is this thread object's own run()
    started: Optional[Site] = None  # where the work was started (`self.start()`), for messages
    handed: str = "handed over"  # how the work at `passed` was handed over, for messages
    kept: Optional[Site] = None  # where the waited object was kept in a field (`self._pending[key] = fut`)
    kept_in: str = ""  # that field, as written
    completes: Optional[Site] = None  # the waker's call, when the lock is held where it takes the object, not there

    def render(self, here: str, locate: Locate) -> str:
        lock = short_lock(self.lock_id)
        at = where(self.waker_site, here, locate)
        if self.kept is not None:
            return self._render_kept(here, locate, lock, at)
        waker = self.waker if self.passed is None else f"{self.waker} ({self.handed} at {where(self.passed, here, locate)})"
        if self.joins_itself:
            started = f", started at {where(self.started, here, locate)}" if self.started is not None else ""
            waker = f"{self.waker} (it joins itself: this thread object's own run(){started})"
        needs = f"{waker} takes {lock} on its way (at {at})" if self.runs_to_end else f"{waker} does that only while holding {lock} (at {at})"
        subject = f"leaving `with {locate(self.wait).text}`" if self.leaving else locate(self.wait).text
        return (
            f"{subject} blocks while holding {self.held.text} (acquired at {where(self.held.site, here, locate)}) "
            f"until {self.waiting_for}; but {needs}, so it waits for this thread to release it: neither ever proceeds"
        )

    def _render_kept(self, here: str, locate: Locate, lock: str, at: str) -> str:
        """An object kept in a field and woken through it (`self._pending[key] = fut`, `fut.result()`)."""
        kept = f" (it is kept in {self.kept_in} at {where(self.kept, here, locate)})" if self.kept is not None else ""
        if self.completes is None:
            needs = f"{self.waker} does that only while holding {lock} (at {at})"
        else:
            needs = f"{self.waker} (which does that at {where(self.completes, here, locate)}) takes it from {self.kept_in} only while holding {lock} (at {at})"
        return (
            f"{locate(self.wait).text} blocks while holding {self.held.text} (acquired at {where(self.held.site, here, locate)}) "
            f"until {self.waiting_for}{kept}; but {needs}, so it waits for this thread to release it: neither ever proceeds"
        )


class _Uses:
    """Where each field is written, its methods called, futures kept in it, wakers taken from it: worked out
    when a wait under a lock first needs them (most programs have few such waits)."""

    def __init__(self, program: Program, table) -> None:
        self._program, self._table = program, table

    @cached_property
    def _found(self) -> Tuple[Dict[str, List[Use]], Dict[Tuple[str, str], List[Use]], Dict[str, List[Use]]]:
        return BlockingWaitUnderLock._uses(self._program)

    @property
    def writes(self) -> Dict[str, List[Use]]:
        return self._found[0]

    @property
    def calls(self) -> Dict[Tuple[str, str], List[Use]]:
        return self._found[1]

    @property
    def kept(self) -> Dict[str, List[Use]]:
        return self._found[2]

    @cached_property
    def taken(self) -> TakenWakers:
        return _taken_wakers(self._program, self._table)


class BlockingWaitUnderLock:
    code: RuleCode = "LL103"

    def check(self, program: Program) -> Iterator[Diagnostic]:
        table = program.knowledge.blocking
        uses = _Uses(program, table)  # program-wide indexes, worked out when a wait under a lock first needs them
        for _name, fn, path in program.each_function():
            reported = set()  # sites: a wait for several futures (`wait(fs)`) is one event per future
            for event in fn.events:
                if not isinstance(event, Call) or not (event.held or fn.decorators) or event.site in reported or event.done:
                    continue
                held = program.held_ids(fn, event.held)
                if not held:
                    continue
                site = Site(path, event.site)
                found = self._check_call(program, table, fn, event, held, uses, site)
                if found is not None:
                    reported.add(event.site)
                    related: Tuple[Tuple[Site, str], ...] = (
                        (found.held.site, f"{found.held.text} acquired here"),
                        (found.waker_site, f"{found.waker} needs {found.held.text} here"),
                    )
                    if found.kept is not None:
                        related += ((found.kept, f"kept in {found.kept_in} here"),)
                    if found.completes is not None:
                        related += ((found.completes, f"{found.waker} wakes it here"),)
                    if found.passed is not None:
                        related += ((found.passed, f"{found.waker} {found.handed} here"),)
                    if found.started is not None:  # where messages name it: locate() finds only the related sites
                        related += ((found.started, "the thread started here"),)
                    yield Diagnostic(self.code, site, found, related, lock=found.held.text)

    @staticmethod
    def _uses(program: Program) -> Tuple[Dict[str, List[Use]], Dict[Tuple[str, str], List[Use]], Dict[str, List[Use]]]:
        """Where every field is written (`self._done = ...`) and its methods called (`self._evt.set()`); and
        where futures are kept in it (`self._futures = [pool.submit(f) ...]`, `self._futures.append(pool.submit(f))`:
        the event's `made` names the submit)."""
        writes: Dict[str, List[Use]] = {}
        calls: Dict[Tuple[str, str], List[Use]] = {}
        kept: Dict[str, List[Use]] = {}
        for name, fn, _ in program.each_function():
            for event in fn.events:
                if not isinstance(event, Call) or event.target.receiver is None:
                    continue
                receiver = event.target.receiver
                collection = _kept_in(event)
                field = program.field_id(fn, collection) if collection is not None else None
                if field is not None:
                    kept.setdefault(field, []).append((name, event))
                if event.target.kind == "attr" and event.target.writes:
                    if fn.name == "__init__":
                        continue  # construction happens before any other thread can wait
                    field = program.field_id(fn, LockPath(receiver.base, receiver.attrs + (event.target.name,), receiver.scope))
                    if field is not None:
                        writes.setdefault(field, []).append((name, event))
                elif event.target.kind == "method":
                    field = program.field_id(fn, receiver)
                    if field is not None:
                        calls.setdefault((field, event.target.name), []).append((name, event))
        return writes, calls, kept

    def _check_call(
        self, program: Program, table, fn: FunctionSummary, event: Call, held: Dict[str, HeldLock], uses: _Uses, site: Site
    ) -> Optional[BlockedWakerMessage]:
        target = event.target
        if target.kind == "global" and program.resolve(target.name) in table.sleeps:
            return self._polling(program, fn, event, held, uses.writes, site)
        wait = _method_wait(program, table, fn, event)
        if wait is None:
            stored = _stored_collection(program, fn, event)
            if stored is not None:
                return _waits_stored(program, fn, stored[0], held, uses.kept.get(program.field_id(fn, stored[0]) or "", []), site, stored[1])
            return _joins_itself(program, table, fn, event, held, site)
        spec, value, timed, made = wait
        candidates = _not_released(program, fn, spec, event, held)
        if not candidates:
            return None
        if timed:
            return self._polling(program, fn, event, candidates, uses.writes, site)
        if spec.wakers in (("target",), ("submitted",)):
            found = _runs_function(program, fn, spec, value, made, event.target.receiver, candidates, site)
            return replace(found, leaving=True) if found is not None and event.target.name == "__exit__" else found
        if spec.wakers in (("mapped",), ("applied",)):
            return _runs_passed(program, fn, spec, event, candidates, site)
        if spec.wakers == ("pending",):
            return _pending(program, fn, event, candidates, uses.calls, site)
        if spec.wakers == ("coroutine",):
            return _runs_coroutine(program, fn, spec, _submit_making(program, fn, event.target, value), candidates, site)
        return self._woken_by_calls(program, fn, spec, event, candidates, uses, site)

    def _woken_by_calls(
        self, program: Program, fn: FunctionSummary, spec: WaitSpec, event: Call, candidates, uses: _Uses, site: Site
    ) -> Optional[BlockedWakerMessage]:
        """Event.wait / Queue.get / Future.result...: every call of a waker (set, put, set_result) is made
        under a held lock (of a local kept in a field: _woken_through_field)."""
        calls, taken = uses.calls, uses.taken
        receiver = event.target.receiver
        if receiver is None or _unknown_wakers(program, fn, spec, taken):
            # a method of what a call returned (`threading.Event().wait()`): no one else names it; or a waker
            # called in this class on an object of unknown origin (a parameter), which may be this one
            return None
        if receiver.scope == "local" and not receiver.attrs:
            return _woken_through_field(program, fn, spec, receiver, candidates, calls, taken, site)
        field = program.field_id(fn, receiver)
        wakers = [use for waker in spec.wakers for use in calls.get((field, waker), [])] if field else []
        found = self._all_under(program, wakers, candidates)
        if found is None:
            return None
        lock_id, (waker_fn, waker_event) = found
        return BlockedWakerMessage(
            held=candidates[lock_id],
            lock_id=lock_id,
            wait=site,
            waiting_for=f"{receiver.text()}.{'/'.join(spec.wakers)}() is called",
            waker=program.short_name(waker_fn),
            waker_site=Site(program.path_of[waker_fn], waker_event.site),
        )

    @staticmethod
    def _all_under(program: Program, uses: List[Use], candidates: Dict[str, HeldLock]):
        """A held lock that every use runs under, with one use as the witness."""
        if not uses:
            return None
        for lock_id in candidates:
            if all(lock_id in program.held_ids(program.functions[f], e.held) for f, e in uses):
                return lock_id, uses[0]
        return None

    def _polling(self, program: Program, fn: FunctionSummary, event: Call, held, writes, site: Site) -> Optional[BlockedWakerMessage]:
        for read in event.loop:
            field = program.field_id(fn, read)
            found = self._all_under(program, writes.get(field, []) if field else [], held)
            if found is not None:
                lock_id, (writer, write) = found
                return BlockedWakerMessage(
                    held[lock_id], lock_id, site, f"{read.text()} changes", program.short_name(writer), Site(program.path_of[writer], write.site)
                )
        return None


# methods that give one element of a collection (`fut = self._pending.pop(key)`, `self._pending[key]`)
_TAKES = frozenset({"pop", "get", "popleft", "setdefault", "__getitem__"})


@dataclass(frozen=True)
class Taken:
    """A waker called on an object taken from a field's collection (`self._pending.pop(key).set_result(v)`,
    `for fut in self._pending.values(): fut.set_exception(e)`)."""

    fn: str
    call: Call
    read: Optional[Call] = None  # the call that took it from the collection (None: a loop over it)


@dataclass(frozen=True)
class TakenWakers:
    """Waker calls (`set_result`, `set`, `put`...) on objects a function did not name by a field."""

    taken: Dict[Tuple[str, str], List[Taken]]  # (field, waker) -> calls on an element taken from that field
    unknown: Dict[Tuple[str, str], int]  # (class, waker) -> calls in that class's methods on objects of unknown origin
    # (attribute, waker) -> calls on an element taken from that attribute of an object of unknown class
    untyped: Dict[Tuple[str, str], int]


@dataclass(frozen=True)
class Origin:
    """Where the object a waker is called on comes from."""

    field: str = ""  # the field whose collection it was taken from ("": not known)
    read: Optional[Call] = None  # the call that took it (None: a loop over the collection)
    attr: str = ""  # field not known: the attribute it was taken from (`client._pending.pop(key)`, client untyped)


def _taken_wakers(program: Program, table) -> TakenWakers:
    """Where a waker is called on an object taken from a collection kept in a field, or on one of unknown
    origin (a parameter, an unpacked tuple), by the class whose method does it."""
    names = {name for spec in table.waits for name in spec.wakers if name not in _WHAT_ENDS and name != "pending"}
    taken: Dict[Tuple[str, str], List[Taken]] = {}
    unknown: Dict[Tuple[str, str], int] = {}
    untyped: Dict[Tuple[str, str], int] = {}
    for name, fn, _ in program.each_function():
        local_values = None
        for event in fn.events:
            if not isinstance(event, Call) or not _wakes_unnamed(event, names):
                continue
            if local_values is None:
                local_values = dict(fn.local_values)
            origin = _origin(program, fn, event, local_values)
            if origin is None:
                continue  # made here (`f = Future()`): not an object another thread waits on
            waker = event.target.name
            if origin.field:
                taken.setdefault((origin.field, waker), []).append(Taken(name, event, origin.read))
                continue
            if not _may_be_waited(program, fn, event):
                continue  # of a known type that no wait of this waker is on (`d: dict`, then `d.get(k)`)
            key = (_class_of(program, fn), waker)
            unknown[key] = unknown.get(key, 0) + 1
            if origin.attr:
                untyped[(origin.attr, waker)] = untyped.get((origin.attr, waker), 0) + 1
    return TakenWakers(taken, unknown, untyped)


def _wakes_unnamed(event: Call, names) -> bool:
    """A call of a waker method on a local or on what a call returned (a field's: BlockingWaitUnderLock._uses)."""
    if event.target.kind != "method" or event.target.name not in names:
        return False
    receiver = event.target.receiver
    return receiver is None or (receiver.scope == "local" and not receiver.attrs)


def _origin(program: Program, fn: FunctionSummary, event: Call, local_values: Dict[str, Value]) -> Optional[Origin]:
    """Where the receiver of a waker call was taken from; None: an object made in fn itself."""
    receiver = event.target.receiver
    if receiver is None:  # `self._pending.pop(key).set_result(v)`
        return _taken_by(program, fn, program.event_at(fn, event.target.result_of))
    value = local_values.get(receiver.base)
    if value is None:
        return _from_collection(program, fn, _iterated(fn, receiver))
    if value.callee is not None and not value.method:
        made = receiver.base not in fn.params and _constructs(program, value.callee)
        return None if made else Origin()
    read = _event_making(fn, value)
    if read is None and value.callee is None:
        return None  # a literal or an expression (`d = {}`): made here
    return _taken_by(program, fn, read)


def _from_collection(program: Program, fn: FunctionSummary, collection: Optional[LockPath], read: Optional[Call] = None) -> Origin:
    if collection is None or not collection.attrs or collection.key is not None:
        return Origin()
    field = program.field_id(fn, collection)
    return Origin(field, read) if field else Origin(attr=collection.attrs[-1])


def _may_be_waited(program: Program, fn: FunctionSummary, event: Call) -> bool:
    """The receiver of a waker call may be an object some wait is on: its type is not known, or is one of them."""
    receiver = event.target.receiver
    type_name = program.type_of(fn, receiver)[0] if receiver is not None else None
    if type_name is None or type_name.startswith("."):
        return True
    kinds = [type_name] + (program.outside_bases(type_name) if type_name in program.classes else [])
    return any(kind in spec.types and event.target.name in spec.wakers for spec in program.knowledge.blocking.waits for kind in kinds)


def _constructs(program: Program, callee: str) -> bool:
    """`callee(...)` makes a new object: a class of the tree, or one rules/blocking.toml names."""
    resolved = program.resolve(callee)
    return resolved in program.classes or any(resolved in spec.types for spec in program.knowledge.blocking.waits)


def _taken_by(program: Program, fn: FunctionSummary, read) -> Origin:
    """The collection a call takes an element of (`self._pending.pop(key)`, `self._pending[key]`)."""
    if not isinstance(read, Call) or read.target.name not in _TAKES:
        return Origin()
    return _from_collection(program, fn, read.target.receiver, read)


def _event_making(fn: FunctionSummary, value: Value) -> Optional[Call]:
    """The call whose result a local was assigned: the last event before the assignment, when the value
    names that method (`fut = self._pending.pop(k)`) or names no call (`fut = self._pending[k]`)."""
    before = [e for e in fn.events if isinstance(e, (Acquire, Await, Call)) and e.site < value.site]
    last = max(before, key=lambda e: e.site, default=None)
    if not isinstance(last, Call) or last.target.kind not in ("method", "dunder"):
        return None
    named = value.callee if value.method else None
    return last if named == last.target.name or (named is None and last.target.name == "__getitem__") else None


def _class_of(program: Program, fn: FunctionSummary) -> str:
    """The class whose method fn is, or is nested in ("": none)."""
    while fn.cls is None and fn.parent is not None and fn.parent in program.functions:
        fn = program.functions[fn.parent]
    return fn.cls or ""


def _unknown_wakers(program: Program, fn: FunctionSummary, spec: WaitSpec, taken: TakenWakers) -> bool:
    """Some method of the waiter's class calls a waker of the wait on an object of unknown origin."""
    cls = _class_of(program, fn)
    return bool(cls) and any(taken.unknown.get((cls, waker)) for waker in spec.wakers)


def _kept_field(program: Program, fn: FunctionSummary, local: LockPath) -> Optional[Tuple[Flow, str]]:
    """(the flow that keeps it, the field) of a local object fn keeps in one field of its own object, as the
    attribute (`self._fut = fut`) or in its collection (`self._pending[key] = fut`), and hands nowhere else."""
    keeps = [f for f in fn.flows if f.source == local]
    if len(keeps) != 1 or keeps[0].kind not in ("store", "insert") or keeps[0].dest is None:
        return None
    keep, dest = keeps[0], keeps[0].dest
    if dest is None or dest.key is not None or not _named_here(program, fn, dest):
        return None
    for event in fn.events:  # passed on to a call (not the append that keeps it): it may be completed there
        if isinstance(event, Call) and event.site != keep.site and local in event.args.positional + tuple(p for _, p in event.args.keywords):
            return None
    field = program.field_id(fn, dest)
    return (keep, field) if field else None


def _woken_through_field(
    program: Program, fn: FunctionSummary, spec: WaitSpec, local: LockPath, candidates, calls, taken: TakenWakers, site: Site
) -> Optional[BlockedWakerMessage]:
    """`fut = Future()` kept in `self._pending[key]` (or `self._fut`) and waited for here: every waker of it
    (`set_result`) called on an element taken from that collection (or on the field) runs under a held lock,
    at the call or where the element is taken (`with self._lock: fut = self._pending.pop(key)`)."""
    kept = _kept_field(program, fn, local)
    if kept is None:
        return None
    keep, field = kept
    uses = _wakers_of_kept(spec, keep, field, calls, taken)
    for lock_id in candidates:
        if uses and all(lock_id in _held_by(program, use) for use in uses):
            use = min(uses, key=lambda u: (program.path_of[u.fn], u.call.site))  # the first in the source
            completer = program.functions[use.fn]
            at_call = lock_id in program.held_ids(completer, use.call.held)
            path = program.path_of[use.fn]
            return BlockedWakerMessage(
                held=candidates[lock_id],
                lock_id=lock_id,
                wait=site,
                waiting_for=f"{local.text()}.{'/'.join(spec.wakers)}() is called",
                waker=program.short_name(use.fn),
                waker_site=Site(path, use.call.site if at_call or use.read is None else use.read.site),
                kept=Site(program.path_of[fn.qualname], keep.site),
                kept_in=keep.dest.text() if keep.dest is not None else "",
                completes=None if at_call else Site(path, use.call.site),
            )
    return None


def _wakers_of_kept(spec: WaitSpec, keep: Flow, field: str, calls, taken: TakenWakers) -> List[Taken]:
    """The waker calls on what `keep` keeps: on the field it is stored in, or on elements taken from the collection
    it is added to; none when one may be taken from a collection of that name on an object of unknown class."""
    if keep.kind == "store":
        return [Taken(f, e) for waker in spec.wakers for f, e in calls.get((field, waker), [])]
    attr = keep.dest.attrs[-1] if keep.dest is not None and keep.dest.attrs else ""
    if any(taken.untyped.get((attr, waker)) for waker in spec.wakers):
        return []  # `client._pending.pop(key).set_result(v)` with client of unknown class: maybe ours, without the lock
    return [use for waker in spec.wakers for use in taken.taken.get((field, waker), [])]


def _held_by(program: Program, use: Taken) -> Dict[str, HeldLock]:
    """The locks held where a waker is called, or wherever its function takes an element of that collection
    (`with self._lock: fut = self._pending.pop(key)`; held at every such read: a branch may take it without)."""
    fn = program.functions[use.fn]
    held = program.held_ids(fn, use.call.held)
    if use.read is None:
        return held
    collection = use.read.target.receiver
    reads = [e for e in fn.events if isinstance(e, Call) and e.target.name in _TAKES and e.target.receiver == collection]
    at_reads = [program.held_ids(fn, read.held) for read in reads]
    return {**{lock_id: lock for lock_id, lock in at_reads[0].items() if all(lock_id in other for other in at_reads)}, **held}


def _joins_itself(program: Program, table, fn: FunctionSummary, event: Call, held: Dict[str, HeldLock], site: Site) -> Optional[BlockedWakerMessage]:
    """`self.join()` in a `threading.Thread` subclass (another thread stopping it): it waits for this very
    object's run() to end, so a lock held here that run() takes (that of `self`: the same object) is never
    released. Every run() that `self` may have (the class's and its subclasses') must take it."""
    own = _own_runs(program, table, fn, event)
    if own is None:
        return None
    spec, runs = own
    works = [Work(run, receiver=event.target.receiver, handed_in=fn.qualname) for run in runs]
    found = _runs_callees(program, fn, works, spec, held, site)
    return replace(found, started=_started(program, fn.cls), joins_itself=True) if found is not None and fn.cls else None


def _own_runs(program: Program, table, fn: FunctionSummary, event: Call) -> Optional[Tuple[WaitSpec, List[str]]]:
    """(Thread.join, the run() methods `self` may have) for an untimed `self.join()` in a Thread subclass."""
    target, cls = event.target, fn.cls
    me = program.self_param(fn)
    if target.name != "join" or cls is None or me is None or target.receiver != LockPath(me):
        return None
    classes = [cls] + program.flow.subclasses(cls)
    spec = _wait_spec(program, table, cls, "join")
    if spec is None or spec.wakers != ("target",) or any(program.lookup(c, "join") for c in classes):
        return None  # not a thread, or a join() of the tree's own
    runs = sorted({run for run in (program.lookup(c, "run") for c in classes) if run is not None})
    if _timed(spec, event) or not runs:
        return None  # a timed join returns; no run() of the tree's: threading.Thread.run runs the target
    return spec, runs


def _timed(spec: WaitSpec, event: Call) -> bool:
    """The wait is given a timeout (not None): it returns."""
    passed, literal = event.args.literal(*spec.timeout) if spec.timeout else (False, None)
    return passed and literal != "None"


def _started(program: Program, cls: str) -> Optional[Site]:
    """Where a method of cls starts its own thread (`self.start()`), for messages."""
    for method, me in program.index.bound_methods(cls):
        for event in method.events:
            if isinstance(event, Call) and event.target.name == "start" and event.target.receiver == LockPath(me):
                return Site(program.path_of[method.qualname], event.site)
    return None


def _wait_spec(program: Program, table, type_name: str, method: str) -> Optional[WaitSpec]:
    """The wait a method call makes: by its class, or by the class outside the tree that an
    in-tree class derives from (`class Poller(threading.Thread)`: `poller.join()`)."""
    spec = table.wait_for(type_name, method)
    if spec is not None or type_name not in program.classes:
        return spec
    for base in program.outside_bases(type_name):
        spec = table.wait_for(base, method)
        if spec is not None:
            return spec
    return None


def _function_named(program: Program, fn: FunctionSummary, function: LockPath) -> Optional[Work]:
    """The function a path names (`self._run`, `worker`), or that value flow says it holds."""
    if function.scope == "global":
        resolved = program.resolve(".".join((function.base,) + function.attrs))
        return Work(resolved, handed_in=fn.qualname) if resolved in program.functions else None
    if function.attrs and function.key is None:
        owner = LockPath(function.base, function.attrs[:-1])
        cls = program.class_of_path(fn, owner)
        callee = program.lookup(cls, function.attrs[-1]) if cls else None
        if callee is not None:
            return Work(callee, receiver=owner, handed_in=fn.qualname)  # `child.refresh`: runs on child
    # a function handed over in a variable
    found = sorted((Work(v.name, v.origin, v.receiver, handed_in=fn.qualname) for v in program.flow.of_path(fn, function) if _runs(program, v)), key=_order)
    return found[0] if len({work.callee for work in found}) == 1 else None


def _runs(program: Program, pointee) -> bool:
    return pointee.kind in ("function", "bound") and pointee.name in program.functions


def _order(work: Work) -> Tuple[str, str, str, int]:
    """A fixed order (the first is the one a message names): by callee, receiver, then where it was handed over."""
    passed = work.passed if work.passed is not None else Site("", -1)
    return work.callee, work.receiver.text() if work.receiver is not None else "", passed.path, passed.site


def _method_wait(program: Program, table, fn: FunctionSummary, event: Call) -> Optional[Tuple[WaitSpec, Optional[Value], bool, int]]:
    """(the wait, the value the waited object was made from, timed, the site of the call that
    made it when the method is called on that call's result) of a blocking method call."""
    target = event.target
    if target.kind != "method":
        return None
    if target.receiver is not None:
        type_name, value = program.type_of(fn, target.receiver)
    else:
        type_name, value = _returned(program, fn, target.result_of)
    if type_name is not None and type_name.startswith("."):  # what `pool.submit(f)` or `pool.apply_async(f)` returned
        type_name = _future_type(program, table, fn, _submit_making(program, fn, target, value), type_name)
    # leaving `with pool:` waits for each call submitted in the block as its result() would (lintlock.summarize.spawned)
    method = "result" if target.name == "__exit__" and target.receiver is None else target.name
    spec = _wait_spec(program, table, type_name, method) if type_name else None
    if spec is None or (target.receiver is None and spec.wakers == ("target",)):
        return None  # `Thread(...).join()`: a thread never started, join() raises instead of waiting
    if not spec.wakers or _never_waits(spec, value, event):
        return None  # no wakers: what ends the wait does not run in this process (a process pool's work)
    return spec, value, _timed(spec, event), target.result_of


def _submit_making(program: Program, fn: FunctionSummary, target, value: Optional[Value]) -> Optional[Call]:
    """The `pool.submit(...)` call that made the future a wait is on (None: not known here)."""
    if target.receiver is None:
        made = program.event_at(fn, target.result_of) if target.result_of >= 0 else None
        return made if isinstance(made, Call) else None
    if value is None or target.receiver.attrs or target.receiver.scope != "local":
        return None  # a future kept in an attribute: made in another method
    return _call_making(program, fn, value)


def _future_type(program: Program, table, fn: FunctionSummary, submit: Optional[Call], made_by: str = ".submit") -> str:
    """What `pool.submit(f)` (`made_by`: the method, `.submit`) returns, by the kind of pool
    (`concurrent.futures.ProcessPoolExecutor.submit`, `multiprocessing.pool.ThreadPool.apply_async`:
    rules/blocking.toml says which pools run the work in this process); `made_by` itself when the pool's
    kind is unknown (a parameter, a pool the table does not list: `.submit` is taken for a thread pool's,
    `.apply_async` for nothing known, as most such pools are `multiprocessing.Pool`'s processes)."""
    receiver = submit.target.receiver if submit is not None and submit.target.kind == "method" else None
    pool = program.type_of(fn, receiver)[0] if receiver is not None else None
    if pool is None or pool.startswith("."):
        return made_by
    for kind in [pool] + (program.outside_bases(pool) if pool in program.classes else []):
        if any(table.wait_for(kind + made_by, method) is not None for method in ("result", "get")):
            return kind + made_by
    return made_by


def _never_waits(spec: WaitSpec, value: Optional[Value], event: Call) -> bool:
    if spec.block is not None:
        passed, literal = event.args.literal(*spec.block)
        if passed and literal in ("False", "0"):
            return True  # block=False never waits
    # an unbounded queue's put() never blocks
    return spec.bounded and not (value is not None and value.int0 is not None and value.int0 > 0)


def _returned(program: Program, fn: FunctionSummary, site: int) -> Tuple[Optional[str], Optional[Value]]:
    """The type and making of what the call at `site` returned (`pool.submit(fn)` in
    `pool.submit(fn).result()`), as for an object assigned from it."""
    made = program.event_at(fn, site) if site >= 0 else None
    if not isinstance(made, Call) or made.target.kind not in ("method", "global"):
        return None, None
    method = made.target.kind == "method"
    callee = made.target.name if method else program.resolve(made.target.name)
    args = made.args
    keywords = tuple((name, path) for name, path in args.keywords if path is not None)
    value = Value(callee=callee, arg0=args.positional[0] if args.positional else None, keywords=keywords, site=made.site, method=method)
    return ("." + callee if method else callee), value  # `.submit`: what a method of that name returns (rules/blocking.toml)


def _not_released(program: Program, fn: FunctionSummary, spec: WaitSpec, event: Call, held: Dict[str, HeldLock]) -> Dict[str, HeldLock]:
    """The held locks the wait keeps: Condition.wait releases its own lock, and only that one."""
    receiver = event.target.receiver
    if not spec.releases or receiver is None:
        return held
    own_lock = program.class_id(fn, program.canonical(fn, receiver).key)
    return {lock_id: lock for lock_id, lock in held.items() if lock_id != own_lock}


_NO_ARGS = Args()


@dataclass(frozen=True)
class Work:
    """A function a thread or a pool runs, as it was handed over."""

    callee: str
    passed: Optional[Site] = None  # where value flow saw it handed over (for messages)
    receiver: Optional[LockPath] = None  # the object it is bound to, in handed_in's frame (None: none or unknown)
    args: Args = _NO_ARGS  # what it is called with, in handed_in's frame
    handed_in: str = ""  # the function in whose frame receiver and args are named ("": none)


_WHAT_ENDS = {
    "target": "the thread finishes",
    "submitted": "the submitted call returns",
    "mapped": "each mapped call returns",
    "applied": "the pool's threads have run the call",
    "coroutine": "the coroutine returns on its event loop's thread",
}


def _runs_passed(program: Program, fn: FunctionSummary, spec: WaitSpec, event: Call, candidates, site: Site) -> Optional[BlockedWakerMessage]:
    """`pool.apply(f)`, `pool.map(f, xs)` (as its results are iterated here, for an executor): f runs first."""
    if spec.wakers == ("mapped",) and event.runs == "call":
        return None  # map() only submits: its results are waited for where they are iterated
    mapped = _handed(program, fn, event.args.positional[0] if event.args.positional else None, event.site, "0", named_at=False)
    return _runs_callees(program, fn, mapped, spec, candidates, site)


def _runs_coroutine(program: Program, fn: FunctionSummary, spec: WaitSpec, sent: Optional[Call], candidates, site: Site) -> Optional[BlockedWakerMessage]:
    """`asyncio.run_coroutine_threadsafe(self._co(), loop).result()`: the loop's thread runs `_co` to its end
    first (the call that made the coroutine is `sent.made`: lintlock.summarize.spawned)."""
    made = program.event_at(fn, sent.made) if sent is not None and sent.made >= 0 else None
    if sent is None or not isinstance(made, Call):
        return None
    receiver = made.target.receiver if made.target.kind == "method" else None
    edges = program.callees(fn, replace(made, awaited=True))  # as the loop runs it: awaited there
    works = [
        Work(e.callee, Site(program.path_of[fn.qualname], sent.site), receiver, made.args, fn.qualname) for e in edges if program.functions[e.callee].is_async
    ]
    found = _runs_callees(program, fn, works, spec, candidates, site) if len(works) == len(edges) else None
    return replace(found, handed="sent to the event loop") if found is not None else None


def _runs_function(
    program: Program, fn: FunctionSummary, spec: WaitSpec, value: Optional[Value], made: int, waited: Optional[LockPath], candidates, site: Site
) -> Optional[BlockedWakerMessage]:
    """Thread.join() / Future.result(): the thread's target or the submitted callable must take the lock.
    `waited`: the thread or future waited on, as fn names it (None: what the call at `made` returned)."""
    if value is None:
        return None
    subclass = program.class_of_value(value)
    run = program.lookup(subclass, "run") if subclass is not None and spec.wakers == ("target",) else None
    if run is not None:  # `class Poller(threading.Thread)` with its own run(): that is what the thread runs
        return _runs_callees(program, fn, [Work(run, receiver=waited, handed_in=fn.qualname)], spec, candidates, site)
    works = _handed_over(program, fn, spec, value, made)
    if not _named_here(program, fn, waited):
        # made in another method for another object (`other._thread`): what its paths name is not known here
        works = [Work(work.callee, work.passed) for work in works]
    return _runs_callees(program, fn, works, spec, candidates, site)


def _named_here(program: Program, fn: FunctionSummary, waited: Optional[LockPath]) -> bool:
    """The paths of what made `waited` name the objects fn's names do: a local, or a field of fn's
    own object (`self._thread = Thread(target=self._run)` in __init__: the same `self`)."""
    if waited is None or (waited.scope == "local" and not waited.attrs):
        return True
    return waited.scope == "local" and len(waited.attrs) == 1 and waited.base == program.self_param(fn)


def _runs_callees(program: Program, fn: FunctionSummary, works: List[Work], spec: WaitSpec, candidates, site: Site) -> Optional[BlockedWakerMessage]:
    """A held lock that whatever the thread (or the submitted call) may run takes on its way: that
    very lock, not the same attribute of another object."""
    if not works:
        return None
    for lock_id, lock in candidates.items():
        if all(lock_id in program.class_reach_of(work.callee) and _same_lock(program, fn, work, lock_id, lock) for work in works):
            callee, passed = works[0].callee, works[0].passed
            last_fn, last_hop = program.class_chain(callee, lock_id)[-1]
            what = _WHAT_ENDS[spec.wakers[0]]
            name = "the lambda" if program.functions[callee].name.startswith("<lambda>") else program.short_name(callee)
            return BlockedWakerMessage(lock, lock_id, site, what, name, Site(program.path_of[last_fn], last_hop.site), True, passed)
    return None


def _same_lock(program: Program, waiter: FunctionSummary, work: Work, lock_id: str, held: HeldLock) -> bool:
    """Whether the work takes the very lock the waiter holds. A module or class lock is one object;
    an instance lock only when the work runs on the holder's own object (`pool.submit(self._work)`;
    with `pool.submit(child.refresh)`, refresh takes child's lock). Not proven: not the same."""
    ref = program.lock_ref_by_id(lock_id)
    if ref is not None and ref.scope is not LockScope.INSTANCE:
        return True
    frame = program.functions.get(work.handed_in)
    if frame is None:
        return False
    edge = Edge(work.callee, program.calls.bind(program.functions[work.callee], Receiver(work.receiver), work.args), -1)
    held_key = _own(program, waiter, program.lock_info(waiter, held.key).key)
    for key in program.reach_of(work.callee):
        mapped = program.map_key(frame, edge, key)
        if mapped is not None and _own(program, frame, program.lock_info(frame, _back_to_self(program, frame, mapped)).key) == held_key:
            return True
    return False


def _back_to_self(program: Program, fn: FunctionSummary, key: Key) -> Key:
    """`self._poller._owner._lock` is `self._lock` when `self._poller` is only ever made as `Poller(self)`
    and Poller's `_owner` is only ever the parameter that receives it (a thread subclass keeping its owner)."""
    scope, base, attrs = key
    me = program.self_param(fn)
    while scope == "l" and base == me and fn.cls is not None and len(attrs) > 2 and _keeps_maker(program, fn.cls, attrs[0], attrs[1]):
        attrs = attrs[2:]
    return scope, base, attrs


def _keeps_maker(program: Program, cls: str, field: str, back: str) -> bool:
    """Every object in `cls`'s `field` is made as `Made(self)`, and its `back` attribute is that argument."""
    made, class_values, _ = program.index.attr_values(cls, field)
    makers = {program.resolve(v.callee) if v.callee is not None and not v.method else "" for v in made}
    maker = makers.pop() if len(makers) == 1 and not class_values else ""
    stored = program.kept_parameter(maker, back) if maker in program.classes else None
    if stored is None:
        return False
    params, param = stored
    itself = LockPath("", (), "instance")  # the object being built, as its class's attributes name it
    return all(_passes_at(v, params, param, itself) for v in made)


def _passes_at(value: Value, params: Tuple[str, ...], param: str, obj: LockPath) -> bool:
    """The constructor call `value` passes `obj` to `param` (the first after self, or by keyword)."""
    if dict(value.keywords).get(param) == obj:
        return True
    return len(params) > 1 and params[1] == param and value.arg0 == obj


def _own(program: Program, fn: FunctionSummary, key: Key) -> Key:
    """A key of fn's frame, with fn's own object as `self` (a pool's work handed over in another method of
    the same object: its `self` is the waiter's)."""
    scope, base, attrs = key
    return (scope, "self", attrs) if scope == "l" and base == program.self_param(fn) else (scope, "." + base, attrs)


def _handed_over(program: Program, fn: FunctionSummary, spec: WaitSpec, value: Value, made: int) -> List[Work]:
    """The functions a thread (`target=`) or a pool (`submit(fn)`) was handed: named by a path,
    or passed as a lambda, a partial or an element of a container (found by value flow)."""
    slot = "target" if spec.wakers == ("target",) else "0"
    path = dict(value.keywords).get(slot) if slot == "target" else value.arg0
    if made < 0:  # `future = pool.submit(...)`: the call that made the local
        making = _call_making(program, fn, value)
        made = making.site if making is not None else -1
    submitting = program.event_at(fn, made) if made >= 0 else None
    if slot == "0" and isinstance(submitting, Call) and program.callees(fn, submitting):
        return []  # a submit() of the tree's own: what it runs, and when, is its business
    args = _submitted_args(submitting) if slot == "0" and isinstance(submitting, Call) else _NO_ARGS
    return _handed(program, fn, path, made, slot, args=args)


def _submitted_args(submit: Call) -> Args:
    """What `pool.submit(f, *args, **kwargs)` calls f with (`pool.map(f, xs)`: the elements of xs, not followed)."""
    if submit.target.name != "submit":
        return _NO_ARGS
    args = submit.args
    return Args(args.positional[1:], args.keywords, args.starred)


def _handed(program: Program, fn: FunctionSummary, path: Optional[LockPath], site: int, slot: str, named_at: bool = True, args: Args = _NO_ARGS) -> List[Work]:
    """The function a path names, else what the call at `site` passes at `slot` (value flow).
    `named_at`: a function named by a path is said to be handed over at `site` (where that is not the wait)."""
    if path is not None:
        work = _function_named(program, fn, path)
        if work is not None and work.passed is None and named_at and site >= 0:
            work = replace(work, passed=Site(program.path_of[fn.qualname], site))
        return [replace(work, args=args)] if work is not None else []
    if site < 0:
        return []
    found = {Work(v.name, v.origin, v.receiver, _NO_ARGS if v.partial else args, fn.qualname) for v in program.flow.passed(fn, site, slot) if _runs(program, v)}
    return sorted(found, key=_order)


def _pending(program: Program, fn: FunctionSummary, event: Call, candidates: Dict[str, HeldLock], calls, site: Site) -> Optional[BlockedWakerMessage]:
    """`self._pool.shutdown()`: it waits for every call submitted to that pool and not done yet,
    wherever it was submitted (`self._pool.submit(self._work)` in another method)."""
    receiver = event.target.receiver
    field = program.field_id(fn, receiver) if receiver is not None else None
    if field is None or receiver is None:
        return None  # a local pool: its submits in this function are waited for in its summary (summarize.spawned)
    table = program.knowledge.blocking
    mapped = [use for use in calls.get((field, "map"), []) if use[1].runs == "call"]  # results not iterated there
    for submitter, submit in calls.get((field, "submit"), []) + mapped:
        caller = program.functions[submitter]
        spec = table.wait_for(_future_type(program, table, caller, submit, "." + submit.target.name), "result")
        if spec is None or not spec.wakers or _collected(program, caller, submit):
            continue  # its result is waited for where it is submitted: done before any shutdown
        path = submit.args.positional[0] if submit.args.positional else None
        works = _handed(program, caller, path, submit.site, "0", args=_submitted_args(submit))
        if not (_named_here(program, fn, receiver) and _named_here(program, caller, submit.target.receiver)):
            works = [Work(work.callee, work.passed) for work in works]  # another object's pool: its work's objects are not ours
        found = _runs_callees(program, fn, works, spec, candidates, site)
        if found is not None:
            return found
    return None


# waits for every future of the collection passed first (as_completed: as its results are iterated)
FUTURE_WAITS = frozenset({"concurrent.futures.wait", "concurrent.futures.as_completed"})  # lintlock.demand reads it too
# container methods that keep their last positional argument (`self._futures.append(pool.submit(f))`)
_KEEPS = ("append", "add", "appendleft", "insert", "extend", "__setitem__")  # and `self._futures[key] = pool.submit(f)`


def _stored_collection(program: Program, fn: FunctionSummary, event: Call) -> Optional[Tuple[LockPath, bool]]:
    """(the attribute of fn's own object whose futures a call waits for, whether the wait may stop at the first
    done): `wait(self._futures)` (all of them, no timeout), iterating `as_completed(self._futures)` here (it may),
    `f.result()` in `for f in self._futures:`."""
    target, args = event.target, event.args
    if target.kind == "global":
        collection, first_done = _waited_collection(program, fn, event)
    elif target.kind == "method" and target.name in ("result", "exception") and not (args.positional or args.keywords or args.starred):
        collection, first_done = _iterated(fn, target.receiver), False
    else:
        return None
    if collection is None or collection.key is not None or not collection.attrs or not _named_here(program, fn, collection):
        return None
    return collection, first_done


def _waited_collection(program: Program, fn: FunctionSummary, event: Call) -> Tuple[Optional[LockPath], bool]:
    """What `wait(fs)` (until all are done) or `as_completed(fs)` iterated here waits for; and whether
    it may stop at the first one done (as_completed)."""
    waits = program.resolve(event.target.name) if event.args.positional else None
    first_done = waits is not None and waits.endswith("as_completed")
    if waits in FUTURE_WAITS and (event.runs == "consumed" or not first_done) and _waits_for_all(event.args):
        return event.args.positional[0] or values_passed(fn, event), first_done
    return None, False


def values_passed(fn: FunctionSummary, event: Call) -> Optional[LockPath]:
    """The dict whose values a call is passed alone (`wait(self._futures.values())`): the call just before it
    is `values()` of that dict (its arguments are walked before the call is recorded)."""
    if len(event.args.positional) != 1 or event.args.keywords or event.args.starred:
        return None
    before = [e for e in fn.events if e.site < event.site]
    last = max(before, key=lambda e: e.site, default=None)
    if not isinstance(last, Call) or last.target.kind != "method" or last.target.name != "values" or last.runs != "call":
        return None
    args = last.args
    return last.target.receiver if not (args.positional or args.keywords or args.starred) else None


def _iterated(fn: FunctionSummary, element: Optional[LockPath]) -> Optional[LockPath]:
    """The one collection a local is the loop variable of (`for f in self._futures:`), when nothing else binds it."""
    if element is None or element.scope != "local" or element.attrs or element.base in dict(fn.local_values):
        return None
    sources = {f.source for f in fn.flows if f.kind == "iterate" and f.dest == LockPath(element.base)}
    return sources.pop() if len(sources) == 1 else None


def _waits_for_all(args: Args) -> bool:
    """`wait(fs)` until every future is done: no timeout, return_when ALL_COMPLETED (the default)."""
    if len(args.positional) > 1 or args.starred or any(name == "timeout" and value != "None" for name, value in args.keyword_literals):
        return False
    return all(path is not None and path.text().endswith("ALL_COMPLETED") for name, path in args.keywords if name == "return_when")


def _waits_stored(
    program: Program, fn: FunctionSummary, collection: LockPath, candidates, kept: List[Use], site: Site, one_call: bool
) -> Optional[BlockedWakerMessage]:
    """The futures kept in `collection` (`kept`: `self._futures.append(pool.submit(self._work))`,
    `self._futures = [pool.submit(...) ...]` in any method of the object) are waited for: one whose work
    takes a held lock never ends. Not those waited for where they were submitted (done by then), nor a
    process pool's. `one_call`: only when every future kept there is of one submit call."""
    table = program.knowledge.blocking
    submits = [
        (keeper, keep, submit) for keeper, keep in sorted(kept, key=lambda use: (use[0], use[1].site)) for submit in _kept_submits(program, keeper, keep)
    ]
    if one_call and len(submits) != 1:
        return None
    for keeper, keep, submit in submits:
        caller = program.functions[keeper]
        if not _named_here(program, caller, _kept_in(keep)) or _collected(program, caller, submit):
            continue  # not a future of this object's own collection, or done already
        spec = table.wait_for(_future_type(program, table, caller, submit), "result")
        if spec is None or not spec.wakers or program.callees(caller, submit):
            continue  # a process pool's, or a submit() of the tree's own
        path = submit.args.positional[0] if submit.args.positional else None
        works = _handed(program, caller, path, submit.site, "0", args=_submitted_args(submit))
        found = _runs_callees(program, fn, works, spec, candidates, site)
        if found is not None:
            return replace(found, handed=f"kept in {collection.text()}, submitted")
    return None


def _kept_submits(program: Program, keeper: str, keep: Call) -> List[Call]:
    """The submit calls whose futures `keep` keeps: from its `made` on (`[pool.submit(self._a), pool.submit(self._b)]`,
    lintlock.summarize.spawned.Spawned.kept)."""
    return kept_submits(program.functions[keeper].events, keep.made, keep.site)


def _kept_in(event: Call) -> Optional[LockPath]:
    """The collection an event keeps futures in (`self._futures` of `self._futures = [pool.submit(f) ...]` or
    `self._futures.append(pool.submit(f))`: its `made` names the submit); None: it keeps none."""
    target = event.target
    receiver = target.receiver
    if receiver is None or event.made < 0 or event.runs != "call" or not (target.writes or target.name in _KEEPS):
        return None
    return LockPath(receiver.base, receiver.attrs + (target.name,), receiver.scope) if target.writes else receiver


def _collected(program: Program, fn: FunctionSummary, submit: Call) -> bool:
    """fn waits for the result of its `submit` (`pool.submit(f).result()`, `future.result()`, `wait(fs)`)."""
    for event in fn.events:
        if not isinstance(event, Call) or event.target.name not in ("result", "exception") or event.args.positional or event.args.keywords:
            continue
        if event.target.result_of == submit.site:
            return True
        receiver = event.target.receiver
        value = dict(fn.local_values).get(receiver.base) if receiver is not None and not receiver.attrs else None
        made = _call_making(program, fn, value) if value is not None else None
        if made is not None and made.site == submit.site:
            return True
    return False


def _call_making(program: Program, fn: FunctionSummary, value: Value) -> Optional[Call]:
    """The call event whose result a local was assigned (`future = pool.submit(...)`): the last
    event before the value's site, when it calls what the value names."""
    if value.callee is None:
        return None
    before = [e for e in fn.events if isinstance(e, (Acquire, Await, Call)) and e.site < value.site]
    last = max(before, key=lambda e: e.site, default=None)
    if not isinstance(last, Call):
        return None
    target = last.target
    if value.method:
        return last if target.kind == "method" and target.name == value.callee else None
    return last if target.kind == "global" and program.resolve(target.name) == program.resolve(value.callee) else None
