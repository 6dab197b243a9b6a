"""LL101: a non-reentrant lock acquired again by the thread (or task) holding it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Tuple

from ..link import HeldLock, Key, Program
from ..model import Acquire, Call, CallWhy, Diagnostic, FixRequest, FunctionSummary, LockPath, RegionHow, RuleCode, Site, Target
from ..program.calls import Edge
from .common import WAITS_FOR, Locate, short_lock, where


def _subject(call: Target, text: str, iterates: bool = False) -> str:
    """How the event that runs the callee reads in a message."""
    if iterates:
        return f"iterating over {text} runs the generator's body"
    if call.kind == "attr":
        return f"property {text} is {'set' if call.writes else 'read'}"
    if call.kind == "dunder":
        if call.name == "__iter__" and not text.startswith("iter("):
            text = f"iterating over {text}"
        elif call.name in ("__enter__", "__aenter__"):
            text = f"`with {text}`"
        return f"{text} (which calls {call.name}) runs"
    return f"{text} is called"


@dataclass(frozen=True)
class SelfDeadlockMessage:
    """LL101: a call (or an acquire) while holding L reaches an acquisition of L."""

    held: HeldLock
    kind: str
    family: str
    acquire_site: Site  # where L is taken again
    acquire_text: str  # L as written there
    call: Optional[Site] = None  # None: the lock itself is acquired again, right here
    target: Optional[Target] = None
    chain: Tuple[str, ...] = ()  # function names from the callee to the acquirer
    hops: Tuple[Tuple[Site, str], ...] = ()  # the calls along the chain, for related locations
    iterates: bool = False  # the event iterates an earlier call's generator (`it = f()` ... `list(it)`)
    flow: Optional[Site] = None  # the callee was found by value flow: where it was stored or passed
    override: bool = False  # the callee overrides the method the call names, in a class the program builds
    receiver: Optional[Tuple[str, str, Site]] = None  # value flow typed the receiver: (path, class, where it was passed)
    made: Optional[Site] = None  # the event awaits a coroutine an earlier call made (`await task`): that call
    awaits: bool = False  # the event awaits a task or coroutine made earlier (`await task`, `await self._task`)
    handed_back: Optional[Tuple[str, str, Site]] = None  # the lock taken again is the held one, handed to a helper: (lock, helper, where built)

    def _subject(self, locate: Locate, here: str) -> str:
        assert self.call is not None and self.target is not None
        text = locate(self.call).text
        if self.made is not None:
            return f"`{text}` runs {locate(self.made).text} (made at {where(self.made, here, locate)})"
        if self.awaits:  # a task value flow found (`self._task = asyncio.create_task(self._run())`)
            at = [f"stored at {where(self.flow, here, locate)}"] if self.flow is not None else []
            if self.target.kind == "element" and self.target.receiver is not None:  # `gather(*self._tasks)`
                at = [f"a task kept in {self.target.receiver.text()}"] + at
            elif at:
                at = [f"the task {at[0]}"]
            return f"`{text}` runs {self.chain[0]}" + (f" ({', '.join(at)})" if at else "")
        subject = _subject(self.target, text, self.iterates)
        called = text.split("(", 1)[0]
        if self.override:
            return f"{subject} ({called} runs the override {self.chain[0]} on the instances the program builds)"
        if self.receiver is not None:
            path, cls, site = self.receiver
            return f"{subject} ({path} is the {cls} passed at {where(site, here, locate)})"
        if self.flow is None:
            return subject
        return f"{subject} ({called} is {self.chain[0]}, stored at {where(self.flow, here, locate)})"

    def render(self, here: str, locate: Locate) -> str:
        how = "" if self.held.how in ("", "acquire") else self.held.how + " "
        handed = self.held.handed
        came = f"; it is the {short_lock(handed.lock_id)} handed to {handed.to}() at {where(handed.passed_at, here, locate)}" if handed is not None else ""
        held = f"{self.held.text} (acquired {how}at {where(self.held.site, here, locate)}{came})"
        again = where(self.acquire_site, here, locate)
        if self.handed_back is not None:  # `self._flusher = Flusher(self._lock)`: say why it is the same lock
            lock, helper, built = self.handed_back
            again += f" (it is the {lock} handed to {helper}() at {where(built, here, locate)})"
        waits = WAITS_FOR[self.family]
        if self.call is None or self.target is None:
            return f"{self.acquire_text} is acquired again while already held: {held}; {self.kind} is not reentrant: {waits}"
        subject = self._subject(locate, here)
        if len(self.chain) == 1:
            return f"{subject} while holding {held}; {self.chain[0]} acquires {self.acquire_text} again at {again}, and {self.kind} is not reentrant: {waits}"
        hops = " -> ".join(name.rsplit(".", 1)[-1] for name in self.chain)
        return (
            f"{subject} while holding {held}; it reaches {self.chain[-1]} via {hops}, "
            f"which acquires {self.acquire_text} at {again} ({self.kind} is not reentrant: {waits})"
        )


class SelfDeadlock:
    """LL101: re-acquiring a non-reentrant lock the same thread (or task) already holds."""

    code: RuleCode = "LL101"

    def check(self, program: Program) -> Iterator[Diagnostic]:
        for _name, fn, path in program.each_function():
            entry = program.entry_held(fn)
            reported = set()  # sites: awaiting several coroutines at once (`gather(*coros)`) is one event per coroutine
            for event in fn.events:
                if not isinstance(event, (Acquire, Call)) or not (event.held or entry) or event.site in reported:
                    continue
                found = self._event(program, fn, event, entry)
                if found is None:
                    continue
                reported.add(event.site)
                # awaiting a task or coroutine kept in a name: no call to move or to point elsewhere
                fix = self._fix_request(program, fn, event, found) if isinstance(event, Call) and not found.awaits else None
                related = ((found.held.site, f"{found.held.text} acquired here"),) + found.hops
                related += ((found.acquire_site, f"{found.acquire_text} acquired again here"),)
                if found.made is not None:
                    related += ((found.made, "the coroutine made here"),)
                if found.held.handed is not None:
                    related += ((found.held.handed.passed_at, f"{found.held.text} handed over here"),)
                if found.handed_back is not None:
                    related += ((found.handed_back[2], f"{found.handed_back[0]} handed to {found.handed_back[1]}() here"),)
                if found.flow is not None:
                    related += ((found.flow, f"{found.chain[0]} stored here"),)
                if found.receiver is not None:
                    related += ((found.receiver[2], f"{found.receiver[1]} passed here"),)
                yield Diagnostic(self.code, Site(path, event.site), found, related, fix, found.held.text, found.chain)

    def _event(self, program: Program, fn: FunctionSummary, event, entry: List[HeldLock]) -> Optional[SelfDeadlockMessage]:
        """The self-deadlock an acquisition or a call makes, if any."""
        held = self._non_reentrant(program, fn, entry + program.held_locks(fn, event.held))
        if held and event.free:  # a try-acquire succeeded: this thread did not hold that lock before it
            free = program.free_keys(fn, event)
            held = {key: lock for key, lock in held.items() if not (key in free and lock[0].site.site < free[key])}
        if not held:
            return None
        return self._acquire(program, fn, event, held) if isinstance(event, Acquire) else self._call(program, fn, event, held)

    @staticmethod
    def _fix_request(program: Program, fn: FunctionSummary, event: Call, found: SelfDeadlockMessage) -> Optional[FixRequest]:
        """Fixes move calls out of a region this function locks itself (`with` or acquire()),
        or split the function that takes the lock again into a `_locked` variant."""
        path = program.path_of[fn.qualname]
        lock = found.held
        movable = lock.site.path == path and lock.how in ("", "acquire") and event.target.kind in ("method", "global", "local")
        declaration = -1
        lock_id = program.class_id(fn, program.lock_info(fn, lock.key).key)
        if lock_id is not None:
            site, _ = program.declaration(lock_id)
            if site is not None and site.path == path and lock_id.rsplit(".", 1)[-1].startswith("_"):
                declaration = site.site  # a private lock: switching it to RLock is an option
        split = _split_fields(program, fn, event, lock.key, path)
        if not movable and not split:
            return None
        region: Tuple[int, RegionHow] = (lock.site.site, "acquire" if lock.how == "acquire" else "with") if movable else (-1, "")
        return FixRequest(path, event.site, region[0], region[1], declaration, **split)

    @staticmethod
    def _non_reentrant(program: Program, fn: FunctionSummary, held: List[HeldLock]) -> Dict[Key, Tuple[HeldLock, str, str]]:
        result: Dict[Key, Tuple[HeldLock, str, str]] = {}
        for lock in held:
            info = program.lock_info(fn, lock.key)
            if info.reentrant is False and info.kind is not None and lock.key not in result:
                made = info.default_of  # `lock_cls=threading.Lock`: say which default made it
                display = info.kind.display if made is None else f"{info.kind.display} (the default of {made[1]} in {program.short_name(made[0])})"
                result[lock.key] = (lock, display, info.kind.family)
        return result

    @staticmethod
    def _acquire(program: Program, fn: FunctionSummary, event: Acquire, held) -> Optional[SelfDeadlockMessage]:
        if not event.blocking:
            return None  # acquire(blocking=False) / acquire(timeout=...) returns instead of hanging
        key = program.canonical(fn, event.lock).key
        if key not in held:
            return None
        lock, kind, family = held[key]
        if event.how == "acquire" and lock.how == "acquire":
            return None  # acquire() twice in one function: a signal another thread releases
        return SelfDeadlockMessage(lock, kind, family, Site(program.path_of[fn.qualname], event.site), event.lock.text())

    @staticmethod
    def _call(program: Program, fn: FunctionSummary, event: Call, held) -> Optional[SelfDeadlockMessage]:
        for edge in program.callees(fn, event, overrides=True):
            reach = program.reach_of(edge.callee)
            for callee_key in reach:
                key = program.map_key(fn, edge, callee_key)
                if key not in held:
                    continue
                hops = program.chain(edge.callee, callee_key)
                last_fn, last_hop = hops[-1]
                lock, kind, family = held[key]
                names = [program.short_name(f) for f, _ in hops]
                if edge.decorated is not None:  # name the decorated function, not the decorator's inner wrapper
                    decorator = program.functions[edge.callee].parent or edge.callee  # the wrapper is nested in its decorator
                    names[0] = f"{program.short_name(edge.decorated)} (through @{decorator.rsplit('.', 1)[-1]})"
                steps = tuple(
                    (Site(program.path_of[f], hop.site), f"{program.short_name(f)} calls {program.short_name(hop.callee)}")
                    for f, hop in hops
                    if hop.callee is not None
                )
                return SelfDeadlockMessage(
                    hops=steps,
                    held=lock,
                    kind=kind,
                    family=family,
                    acquire_site=Site(program.path_of[last_fn], last_hop.site),
                    acquire_text=last_hop.text,
                    call=Site(program.path_of[fn.qualname], event.site),
                    target=event.target,
                    chain=tuple(names),
                    iterates=event.runs == "iterates",
                    flow=edge.origin if edge.why == "value flow" else None,
                    override=edge.why == "override",
                    receiver=_receiver_flow(program, fn, event, edge.why),
                    made=Site(program.path_of[fn.qualname], event.made) if event.runs == "awaits" and event.made >= 0 else None,
                    awaits=event.runs == "awaits",
                    handed_back=_handed_back(program, fn, edge, callee_key),
                )
        return None


def _handed_back(program: Program, fn: FunctionSummary, edge: Edge, callee_key: Key) -> Optional[Tuple[str, str, Site]]:
    """(lock, helper class, where the helper is built) when the callee's lock is the held one because
    this object built the helper with it (`self._flusher = Flusher(self._lock)`)."""
    scope, base, _ = callee_key
    if scope != "l" or base not in program.functions[edge.callee].params:
        return None
    path = program.calls.mapped_path(edge, callee_key)
    found = program.locks.handed_back(fn, path) if path is not None else None
    if path is None or found is None:
        return None
    same, built = found
    lock_id = program.class_id(fn, program.canonical(fn, same).key)
    helper = program.class_of_path(fn, LockPath(path.base, path.attrs[:-1], path.scope))
    if lock_id is None or helper is None:
        return None
    return short_lock(lock_id), program.classes[helper].name, built


def _receiver_flow(program: Program, fn: FunctionSummary, event: Call, why: CallWhy) -> Optional[Tuple[str, str, Site]]:
    """`self._backend.send()` resolved because value flow says `self._backend` is an HttpBackend:
    (the receiver as written, the class, where the instance was passed)."""
    receiver = event.target.receiver
    if why != "direct" or receiver is None or event.target.kind not in ("method", "dunder", "attr"):
        return None
    found = program.flow.instance_origin(fn, receiver)
    if found is None:
        return None
    cls, site = found
    return receiver.text(), program.classes[cls].name, site


# -- the `_locked` split (lintlock.fix): which function, and whether every hop holds the lock


def _split_fields(program: Program, fn: FunctionSummary, event: Call, key: Key, path: str) -> Dict[str, Any]:
    """FixRequest fields for splitting the function that acquires `key` again; {} if there is none."""
    for edge in program.callees(fn, event, overrides=True):
        if edge.why != "direct":
            continue  # a stored function or an override: renaming the call would change what it runs
        for callee_key in program.reach_of(edge.callee):
            if program.map_key(fn, edge, callee_key) == key:
                hops = program.chain(edge.callee, callee_key)
                if _made_by_property(program.functions[edge.callee]) and len(hops) > 1:
                    # `clock = property(_get_clock)`: `self.clock` runs _get_clock itself (the fixer
                    # points it at the variant), unless a subclass makes `clock` something else
                    why = _overridden(program, program.functions[edge.callee])
                    if why:
                        return {"split_why": why}
                    hops = hops[1:]
                fields = _split_of(program, (fn.qualname, event.site), edge.decorated, hops, path)
                callee = program.functions[edge.callee]
                if edge.decorated is None and callee.parent is None and program.path_of[edge.callee] == path:
                    fields["callee_site"] = callee.site  # what it touches decides whether calls can wait
                return fields
    return {}


def _made_by_property(accessor: FunctionSummary) -> bool:
    """An accessor summarized from `name = property(method, ...)`: undecorated, it only calls the method."""
    return accessor.kind in ("property", "setter") and not accessor.decorators and [e.site for e in accessor.events] == [accessor.site]


def _overridden(program: Program, accessor: FunctionSummary) -> str:
    """Why `obj.name` may not run this accessor: a subclass defines `name` too ("" if none does)."""
    for cls in sorted(program.classes.values(), key=lambda c: c.qualname):
        if accessor.cls is not None and accessor.cls in program.mro(cls.qualname)[1:]:
            if any(n.split(".")[0] == accessor.name for n, _ in cls.methods) or any(n == accessor.name for n, _ in cls.class_attrs):
                return f"{cls.name} overrides {accessor.name}"
    return ""


def _split_of(program: Program, first: Tuple[str, int], decorated: Optional[str], hops, path: str) -> Dict[str, Any]:
    acquirer, acquire = hops[-1]
    lock_site, decorator = acquire.site, ""
    if acquire.callee is None and decorated is not None and len(hops) == 1:
        decorator = _locking_decorator(program, program.functions[decorated], acquirer)
        if not decorator:
            return {"split_why": f"{program.short_name(decorated)} has a decorator that does more than hold the lock"}
        acquirer, lock_site = decorated, -1  # split the decorated function: its variant goes undecorated
    target = program.functions[acquirer]
    if acquire.callee is not None or target.parent is not None:
        return {}  # a nested function takes it: no method to split
    home = program.path_of[acquirer]
    if home != path and len(hops) > 1:
        return {"split_why": f"{program.short_name(acquirer)} is defined in another file ({home}), at the end of a chain"}
    calls = [first] + [(f, hop.site) for f, hop in hops[:-1]]  # the call into each function of the chain
    caller, site = calls[-1]
    call = program.event_at(program.functions[caller], site)
    if not isinstance(call, Call):
        return {}  # each hop of a chain is a call: not reached
    why = _why_not_split(program, hops, calls, target, call.target.kind)
    if why:
        return {"split_why": why}
    return {
        "split_path": home if home != path else "",
        "split_site": target.site,
        "split_lock": lock_site,
        "split_decorator": decorator,
        "split_call": site,
        "split_target": call.target.kind,
        "split_kind": target.kind,
        "split_via": tuple(program.functions[f].name for f, _ in hops[:-1]),
        "taken": _members(program, target.cls),
    }


def _locking_decorator(program: Program, target: FunctionSummary, wrapper_name: str) -> str:
    """The decorator of `target`, if it is its only one and its wrapper does nothing but
    take one lock around the call, passing its own arguments on; else ""."""
    if len(target.decorators) != 1 or program.wrappers(target) != [wrapper_name]:
        return ""
    wrapper = program.functions[wrapper_name]
    forward = _only_locks_around(program, wrapper)
    return (target.decorators[0].applied() or "") if forward is not None and _passes_own_arguments(wrapper, forward) else ""


def _only_locks_around(program: Program, wrapper: FunctionSummary) -> Optional[Call]:
    """The wrapper's call of the function it wraps, if its only other event is one acquisition."""
    acquires = [e for e in wrapper.events if isinstance(e, Acquire)]
    calls = [e for e in wrapper.events if isinstance(e, Call)]
    forwards = [c for c in calls if c.target.kind == "local" and c.target.name not in program.functions]
    if len(acquires) != 1 or len(forwards) != 1:
        return None
    entering = [c for c in calls if c.target.kind == "dunder" and c.site == acquires[0].site]
    return forwards[0] if len(calls) == 1 + len(entering) else None


def _passes_own_arguments(wrapper: FunctionSummary, call: Call) -> bool:
    args = call.args
    passed = [a.base if a is not None and a.scope == "local" and not a.attrs else None for a in args.positional]
    own = [p for p in wrapper.params if not p.startswith("*")]
    return not args.keywords and passed == own and args.starred == any(p.startswith("*") for p in wrapper.params)


def _why_not_split(program: Program, hops, calls: List[Tuple[str, int]], target: FunctionSummary, how: str) -> str:
    """Every function between the call and the acquirer must run only with the lock held:
    called from the chain alone. A call dispatched on the object must not reach an override."""
    between = {f: calls[i] for i, (f, _) in enumerate(hops[:-1])}
    why = _between_why(program, between, program.path_of[target.qualname])
    if why or how not in ("method", "dunder", "attr") or target.cls is None:
        return why
    for cls in sorted(program.classes.values(), key=lambda c: c.qualname):
        if target.cls in program.mro(cls.qualname)[1:] and any(n.split(".")[0] == target.name for n, _ in cls.methods):
            return f"{cls.name} overrides {target.name}"
    return ""


def _between_why(program: Program, between: Dict[str, Tuple[str, int]], path: str) -> str:
    for f in between:
        if program.path_of[f] != path or program.wrappers(program.functions[f]):
            return f"{program.short_name(f)} is in another file or decorated"
    if between:
        for name in sorted(program.functions):
            for edge in program.edges_of(name):
                if edge.callee in between and between[edge.callee] != (name, edge.site):
                    return f"{program.short_name(edge.callee)} is also called from {program.short_name(name)}, maybe without the lock"
    return ""


def _members(program: Program, cls: Optional[str]) -> Tuple[str, ...]:
    """Names a new method of `cls` must not take: members of its bases and of its subclasses."""
    if cls is None or cls not in program.classes:
        return ()
    related = [c for c in program.classes.values() if c.qualname in program.mro(cls) or cls in program.mro(c.qualname)]
    names = {n.split(".")[0] for c in related for n, _ in c.methods}
    names |= {n for c in related for n, _ in c.class_attrs + c.instance_attrs}
    return tuple(sorted(names))
