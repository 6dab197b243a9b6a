"""Expressions, walked in evaluation order: the calls they make, the locks an
`acquire()`/`release()` at the head of a statement takes or drops, awaits and
yields. One small handler per node type, chosen by `type(node)`."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Dict, List, Optional, Set, Tuple

import libcst as cst

from ..model import Acquire, Args, Await, Call, CallRuns, Held, LockPath, Target, TargetKind
from .calls import call_args, call_target
from .facts import Facts
from .guards import guarded
from .held import LOCK_METHODS, RELEASE, HeldSet, acquire_blocks, join, without
from .iteration import COMPREHENSIONS, mark_arguments, mark_comprehension
from .literals import literal
from .names import Names
from .scope import Frame, bind
from .sites import Sites
from .spawned import Spawned, Work, waits_for_all
from .syntax import CODE_NODES, expression_fields

# nodes that call nothing and hold no sub-expression
_INERT = frozenset({cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis})

# f"{x!r}": the method the conversion calls; none: __format__
_CONVERSIONS = {"r": "__repr__", "a": "__repr__", "s": "__str__"}

# awaiting these awaits the coroutines passed to them: they run (in tasks of their own) before
# the await returns, so whatever the awaiting task holds is held until they finish
_AWAITS_ARGUMENTS = frozenset({"asyncio.gather", "asyncio.shield", "asyncio.create_task", "asyncio.ensure_future", "asyncio.wait_for"})

# (node, frame, held, top) -> held after it; each handler takes one node type
Handler = Callable[..., HeldSet]


class Expressions:
    def __init__(self, names: Names, sites: Sites) -> None:
        self.names = names
        self.sites = sites
        self.facts = Facts(names, sites)
        self.spawned = Spawned(names, sites)  # work kept in a name and waited for later
        self.consumed: Set[int] = set()  # ids of expressions whose value is iterated where evaluated (lintlock.summarize.iteration)
        self._handlers: Dict[type, Handler] = {
            cst.Call: self.call,
            cst.Attribute: self._attribute,
            cst.UnaryOperation: self._unary,
            cst.Await: self._await,
            cst.Subscript: self._subscript,
            cst.Comparison: self._comparison,
            cst.Lambda: self._lambda,
            cst.Yield: self._yield,
            cst.NamedExpr: self._named,
            cst.FormattedString: self._formatted,
            **{kind: self._comprehension for kind in COMPREHENSIONS},
        }

    def walk(self, node: cst.CSTNode, frame: Frame, held: HeldSet, top: bool = False) -> HeldSet:
        """Walk an expression. `top`: its value is not handed to anything else, so a
        `lock.acquire()` here acquires for this function (and not, say, for the
        task in `create_task(lock.acquire())`)."""
        kind = type(node)  # exact types: isinstance on libcst's abstract bases is slow
        if kind in _INERT:
            if kind is cst.Name and id(node) in self.consumed:
                self._iterate_pending(node, frame, held)
            return held
        handler = self._handlers.get(kind)
        if handler is None:
            return self.children(node, frame, held)
        return handler(node, frame, held, top)

    def children(self, node: cst.CSTNode, frame: Frame, held: HeldSet) -> HeldSet:
        """The sub-expressions of a node, in source order (reading fields directly:
        libcst's `children` rebuilds the node to list them)."""
        for name in expression_fields(type(node)):
            value = getattr(node, name)
            if type(value) in (list, tuple):
                for item in value:
                    if type(item) in CODE_NODES:
                        held = self.walk(item, frame, held)
            elif type(value) in CODE_NODES:
                held = self.walk(value, frame, held)
        return held

    # -- one handler per node type ---------------------------------------

    def _attribute(self, node: cst.Attribute, frame: Frame, held: HeldSet, top: bool) -> HeldSet:
        held = self.walk(node.value, frame, held)
        self.syntax_call(node, node.value, "attr", node.attr.value, frame, held)
        return held

    def _unary(self, node: cst.UnaryOperation, frame: Frame, held: HeldSet, top: bool) -> HeldSet:
        if type(node.operator) is cst.Not:
            return self.walk(node.expression, frame, held, top=top)
        return self.children(node, frame, held)

    def _await(self, node: cst.Await, frame: Frame, held: HeldSet, top: bool) -> HeldSet:
        inner = node.expression
        if type(inner) is cst.Call:
            held = self.call(inner, frame, held, top=True, awaited=True)
            collections: List[cst.BaseExpression] = []  # `gather(*self._tasks)`, `asyncio.wait(self._tasks)`
            self.spawned.await_(self._awaited_work(inner, frame, collections), node, frame, held)
            stored: List[cst.BaseExpression] = []
            if self._awaits_arguments(inner, frame):  # `await asyncio.gather(self._task, ...)`
                stored = [a.value for a in inner.args if a.keyword is None and not a.star and type(a.value) in (cst.Name, cst.Attribute)]
            self.spawned.await_stored([v for v in stored if not (type(v) is cst.Name and self.spawned.local(frame, v.value))], node, frame, held, collections)
        else:
            held = self.walk(inner, frame, held)
            finished = type(inner) is cst.Name and LockPath(inner.value) in frame.finished  # `if task.done():`
            work = self.spawned.local(frame, inner.value) if type(inner) is cst.Name and not finished else Work()
            if work:  # `await task`, with `task = asyncio.create_task(self._co())` in this function
                self.spawned.await_(work, node, frame, held)
            else:
                self.spawned.await_stored([inner], node, frame, held)
        frame.events.append(Await(site=self.sites.number(node), held=held))
        return held

    def _subscript(self, node: cst.Subscript, frame: Frame, held: HeldSet, top: bool) -> HeldSet:
        held = self.children(node, frame, held)
        self.syntax_call(node, node.value, "dunder", "__getitem__", frame, held)
        return held

    def _comparison(self, node: cst.Comparison, frame: Frame, held: HeldSet, top: bool) -> HeldSet:
        held = self.children(node, frame, held)
        for comparison in node.comparisons:
            if type(comparison.operator) in (cst.In, cst.NotIn):
                self.syntax_call(node, comparison.comparator, "dunder", "__contains__", frame, held)
        return held

    def _formatted(self, node: cst.FormattedString, frame: Frame, held: HeldSet, top: bool) -> HeldSet:
        """`f"{x}"` calls x.__format__ (`!r`: __repr__, `!s`: __str__), each after its expression."""
        for part in node.parts:
            if type(part) is not cst.FormattedStringExpression:
                continue
            held = self.children(part, frame, held)
            name = _CONVERSIONS.get(part.conversion or "", "__format__")
            self.syntax_call(part, part.expression, "dunder", name, frame, held)
        return held

    def _lambda(self, node: cst.Lambda, frame: Frame, held: HeldSet, top: bool) -> HeldSet:
        return held  # its body runs when (and where) it is called

    def _comprehension(self, node: cst.BaseComp, frame: Frame, held: HeldSet, top: bool) -> HeldSet:
        mark_comprehension(node, self.consumed)
        for_in: Optional[cst.CompFor] = node.for_in
        while for_in is not None:  # `[task.cancel() for task in tasks]`
            self.spawned.iterating(frame, for_in.target, for_in.iter)
            for_in = for_in.inner_for_in
        return self.children(node, frame, held)

    def _iterate_pending(self, node: cst.CSTNode, frame: Frame, held: HeldSet) -> None:
        """`for row in it` where `it = self.rows()`: a generator's body runs here, under what is held here."""
        earlier = frame.pending.get(node.value) if isinstance(node, cst.Name) else None
        if earlier is None:
            return
        loop = frame.loops[-1] if frame.loops else ()
        frame.events.append(replace(earlier, site=self.sites.number(node), held=held, loop=loop, free=tuple(frame.free), runs="iterates", awaited=False))

    def _yield(self, node: cst.Yield, frame: Frame, held: HeldSet, top: bool) -> HeldSet:
        frame.is_generator = True
        if isinstance(node.value, cst.From):
            self.consumed.add(id(node.value.item))  # `yield from f()` runs f's body here
        if node.value is not None:
            held = self.walk(node.value, frame, held)
        frame.yield_held = join(frame.yield_held, held)
        return held

    def _named(self, node: cst.NamedExpr, frame: Frame, held: HeldSet, top: bool) -> HeldSet:
        held = self.walk(node.value, frame, held)
        bind(node.target, frame)
        return held

    # -- calls -----------------------------------------------------------

    def call(self, node: cst.Call, frame: Frame, held: HeldSet, top: bool = False, awaited: bool = False) -> HeldSet:
        """A call: its callee and arguments, then the call itself (`top`: as for walk)."""
        func = node.func
        mark_arguments(node, frame, self.names, self.consumed)
        held, result_of = self._callee(func, frame, held)
        inside = awaited and not frame.timed and self._awaits_arguments(node, frame)
        for arg in node.args:
            if inside and type(arg.value) is cst.Call and not arg.star:
                held = self.call(arg.value, frame, held, awaited=True)
            else:
                held = self.walk(arg.value, frame, held)
        if top and isinstance(func, cst.Attribute) and func.attr.value in LOCK_METHODS:
            lock = self.names.path(func.value, frame)
            if lock is not None:
                return self._lock_call(node, func.attr.value, lock, frame, held)
        site = self.emit_target_call(node, frame, held, awaited, result_of)
        if site is not None and node.args:
            self.facts.call(node, site, frame)
            self.spawned.added(node, frame)
            self.spawned.scheduled(node, site, frame)
        self.spawned.waits(node, frame, held, consumed=id(node) in self.consumed, result_of=result_of)
        return held

    def _awaited_work(self, node: cst.Call, frame: Frame, collections: List[cst.BaseExpression]) -> Work:
        """The coroutines kept in names that awaiting `node` runs: `gather(*coros)`, `wait_for(task, None)`,
        `asyncio.wait(tasks)` (until all are done). Coroutine calls written inline are awaited where
        they are walked (`call`). The collections awaited whole go into `collections` (`*self._tasks`:
        their tasks may be kept elsewhere, lintlock.summarize.spawned.Spawned.await_stored)."""
        spawned = self.spawned
        if self.names.qualify(node.func, frame) == "asyncio.wait":
            first = node.args[0].value if node.args and node.args[0].keyword is None and waits_for_all(node) else None
            collections.extend([first] if first is not None else [])
            return Work(spawned.of(first, frame).coroutines) if first is not None else Work()
        if not (spawned.schedules(node, frame) or self._awaits_arguments(node, frame)):
            return Work()
        work = Work()
        for arg in node.args:
            value = arg.value
            if arg.star or type(value) is cst.Name:
                work += Work(spawned.of(value, frame).coroutines)
                collections.extend([value] if arg.star == "*" else [])
            elif type(value) is cst.Call and arg.keyword is None:
                work += self._awaited_work(value, frame, collections)
        return work

    def _callee(self, func: cst.BaseExpression, frame: Frame, held: HeldSet) -> Tuple[HeldSet, int]:
        """Walk what a call calls; and when it is a method of what another call returned
        (`pool.submit(fn).result()`), the site of that call's event (else -1)."""
        if isinstance(func, cst.Name):
            return held, -1
        if not isinstance(func, cst.Attribute):
            return self.walk(func, frame, held), -1
        held = self.walk(func.value, frame, held)
        last = frame.last_call
        returned = type(func.value) is cst.Call and last is not None and last[0] == id(func.value)
        return held, last[1].site if returned and last is not None else -1

    def _awaits_arguments(self, node: cst.Call, frame: Frame) -> bool:
        """`await asyncio.gather(self.a(), self.b())`: the coroutines passed run before the await
        returns. wait_for only without a timeout (with one, the wait ends: no deadlock)."""
        callee = self.names.qualify(node.func, frame)
        if callee not in _AWAITS_ARGUMENTS:
            return False
        if callee != "asyncio.wait_for":
            return True
        timeouts = [a.value for a in node.args[1:2] if a.keyword is None] + [
            a.value for a in node.args if a.keyword is not None and a.keyword.value == "timeout"
        ]
        return len(timeouts) == 1 and literal(timeouts[0]) == "None"

    def _lock_call(self, node: cst.Call, method: str, lock: LockPath, frame: Frame, held: HeldSet) -> HeldSet:
        """`lock.acquire(...)` or `lock.release()` heading a statement."""
        if method in RELEASE:
            frame.released.add(lock)
            return without(held, lock)
        site = self.sites.number(node)
        frame.events.append(
            Acquire(
                site=site,
                lock=lock,
                held=held,
                blocking=acquire_blocks(node),
                how="acquire",
                guarded=guarded(node, lock, frame, self.names),
                free=tuple(frame.free),
            )
        )
        return held + (Held(site=site, lock=lock, how="acquire"),)

    def emit_target_call(self, node: cst.Call, frame: Frame, held: HeldSet, awaited: bool, result_of: int = -1) -> Optional[int]:
        """Record the call `node` makes; its site, or None when it names nothing we can follow.
        `result_of`: the site of the call whose result `node` calls a method of."""
        target = call_target(node, frame, self.names)
        if target is None and result_of >= 0 and isinstance(node.func, cst.Attribute):
            target = Target("method", node.func.attr.value, result_of=result_of)
        if target is None:
            return None
        args = call_args(node, frame, self.names)
        if target.kind == "method" and target.receiver is not None and target.receiver.scope == "global":
            target = Target("global", f"{target.receiver.base}." + ".".join(target.receiver.attrs + (target.name,)))
        made = self.spawned.handed_on(node, frame) if node.args else -1
        return self.emit_call(node, target, args, frame, held, awaited=awaited, made=made)

    def emit_call(
        self,
        node: cst.CSTNode,
        target: Target,
        args: Args,
        frame: Frame,
        held: HeldSet,
        awaited: bool = False,
        site: Optional[int] = None,
        made: int = -1,
    ) -> int:
        if site is None:
            site = self.sites.number(node)
        loop = frame.loops[-1] if frame.loops else ()
        runs: CallRuns = "consumed" if id(node) in self.consumed else "call"
        done = target.receiver is not None and target.receiver in frame.finished  # `if future.done():`
        # made: the coroutine `asyncio.run_coroutine_threadsafe(coro, loop)` sends, the future
        # `self._futures.append(pool.submit(f))` keeps (Spawned.handed_on)
        event = Call(site=site, target=target, args=args, held=held, awaited=awaited, loop=loop, free=tuple(frame.free), runs=runs, done=done, made=made)
        frame.events.append(event)
        frame.last_call = (id(node), event)
        if type(node) is cst.Call:
            self.spawned.events[id(node)] = event
        return site

    def syntax_call(self, node: cst.CSTNode, value: cst.BaseExpression, kind: TargetKind, name: str, frame: Frame, held: HeldSet) -> None:
        """Syntax that calls a method of `value` when it is a local object:
        `x.attr` (a property), `x[i]`, `a in x`, `del x[i]`, `for a in x`."""
        obj = self.names.path(value, frame)
        if obj is not None and obj.scope == "local":
            self.emit_call(node, Target(kind, name, obj), Args(), frame, held)

    def read_paths(self, node: cst.CSTNode, frame: Frame) -> Tuple[LockPath, ...]:
        """Objects an expression reads (`not self._done and n < 3` -> self._done)."""
        found: List[LockPath] = []

        def visit(current: cst.CSTNode) -> None:
            if isinstance(current, (cst.Attribute, cst.Name)):
                path = self.names.path(current, frame)
                if path is not None and (path.attrs or path.scope == "global"):
                    found.append(path)
                    return
            if isinstance(current, (cst.Call, cst.Lambda)):
                return
            for child in current.children:
                visit(child)

        visit(node)
        return tuple(found)
