"""Work started now and waited for later: what a local stands for, and where the wait runs it.

Coroutines and tasks kept in a name (`task = asyncio.create_task(self._co())`, then
`await task`), or in a collection handed to `asyncio.gather(*coros)` / `asyncio.wait(tasks)`,
run before the await returns; futures of a pool (`fs = [pool.submit(f, x) for x in xs]`)
are waited for by `concurrent.futures.wait(fs)` / `as_completed(fs)`, and by the pool's
shutdown (`pool.shutdown()`, leaving `with ThreadPoolExecutor() as pool:`).

The walk meets the call that makes the work before the wait. At the wait, its events are
recorded again where the waiting happens, under what is held there (as a generator kept
in a name runs where it is iterated): a coroutine call as awaited, a submit as the
`.result()` of what it returned (lintlock.checks.ll103 follows both).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from ..model import Args, Call, Event, LockPath, Target, Value
from .held import HeldSet
from .literals import is_none, literal
from .names import Names
from .scope import Frame
from .sites import Sites

# calls that make a task of the coroutine passed to them (also any `<loop or task group>.create_task(coro)`)
_TASKS = frozenset({"asyncio.create_task", "asyncio.ensure_future"})
# calls that schedule the coroutines passed to them
_TASK_FACTORIES = _TASKS | {"asyncio.gather", "asyncio.shield"}
# waits for every future of the collection passed first (as_completed: as its result is iterated)
_FUTURE_WAITS = frozenset({"concurrent.futures.wait", "concurrent.futures.as_completed"})
# pools whose exit (`with ... as pool:`) waits for the calls submitted to them (a process pool's
# work runs in another process, with its own locks)
THREAD_POOLS = frozenset({"concurrent.futures.ThreadPoolExecutor", "concurrent.futures.thread.ThreadPoolExecutor"})
# executors whose __enter__ returns the pool itself: `with ProcessPoolExecutor() as pool:` gives `pool` its type
# (LL103 tells a thread pool's futures from a process pool's by it, rules/blocking.toml)
EXECUTORS = THREAD_POOLS | frozenset(
    {
        "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.process.ProcessPoolExecutor",
        # multiprocessing's pools: leaving `with` terminates them (waits for nothing); typed for apply() / map()
        "multiprocessing.pool.ThreadPool",
        "multiprocessing.dummy.Pool",
        "multiprocessing.Pool",
        "multiprocessing.pool.Pool",
    }
)
# an await inside `async with asyncio.timeout(delay):` ends at the deadline (as wait_for(aw, delay) does)
_TIMEOUTS = frozenset({"asyncio.timeout", "asyncio.timeout_at", "async_timeout.timeout", "async_timeout.timeout_at"})
# task groups whose exit (`async with ... as tg:`) awaits the tasks made by `tg.create_task(coro)`
TASK_GROUPS = frozenset({"asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup"})
# calls that run the coroutine passed first on another thread's event loop, returning a concurrent future
# (its `.result()` waits for the coroutine to return there: lintlock.checks.ll103)
_SENDS_COROUTINE = frozenset({"asyncio.run_coroutine_threadsafe", "asyncio.tasks.run_coroutine_threadsafe"})
_CONTAINERS = (cst.List, cst.Tuple, cst.Set)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp)
_ADDS = frozenset({"append", "add", "appendleft", "insert"})
# what keeps its last argument's futures in an attribute (`self._futures.extend([pool.submit(a), pool.submit(b)])`)
_KEEPS = _ADDS | {"extend"}
# what iterating these yields is what iterating their argument (`list(tasks)`) or receiver (`tasks.values()`) yields
_COPIES = frozenset({"list", "tuple", "set", "frozenset", "sorted", "reversed"})
_VIEWS = frozenset({"copy", "values"})


@dataclass(frozen=True)
class Work:
    """The calls whose work an expression stands for: coroutines (run when awaited) and
    a pool's submits (their futures: done when the submitted call returns)."""

    coroutines: Tuple[Call, ...] = ()
    futures: Tuple[Call, ...] = ()

    def __add__(self, other: Work) -> Work:
        return Work(self.coroutines + other.coroutines, self.futures + other.futures)

    def __bool__(self) -> bool:
        return bool(self.coroutines or self.futures)


def makes_task(node: cst.Call, callee: Optional[str]) -> bool:
    """`asyncio.create_task(coro)`, `asyncio.ensure_future(coro)`, `<loop or task group>.create_task(coro)`
    (callee: the call's qualified name, if it has one)."""
    return callee in _TASKS or (isinstance(node.func, cst.Attribute) and node.func.attr.value == "create_task")


class Spawned:
    """The work each local holds, valid while the local keeps the binding it had when the work
    was stored (a new binding makes a new Value in Frame.local_values: identity tells)."""

    def __init__(self, names: Names, sites: Sites) -> None:
        self.names = names
        self.sites = sites
        self.events: Dict[int, Call] = {}  # id(call node) -> its event, for the calls of this walk
        self.tasks: Dict[int, Work] = {}  # site of a `x.create_task(coro)` event -> the coroutine it schedules
        self._locals: Dict[Tuple[int, str], Tuple[Frame, Value, Work]] = {}
        self._done: Set[int] = set()  # sites of the submits whose result was waited for already
        self._settled: Set[int] = set()  # sites of the coroutine calls whose task was cancelled or awaited already
        self._elements: Dict[Tuple[int, str], Tuple[Frame, Work]] = {}  # `for task in tasks`: task is each of tasks' work
        self._iterates: Dict[Tuple[int, str], LockPath] = {}  # `for task in self._tasks`: task is an element of self._tasks
        self._cancelled: Set[Tuple[int, LockPath]] = set()  # collections whose every task was cancelled (`task.cancel()` in that loop)
        # `tasks = list(self._tasks)`: (its binding, the attribute copied, how many events came before the copy)
        self._snapshots: Dict[Tuple[int, str], Tuple[Value, LockPath, int]] = {}

    # -- what an expression stands for ----------------------------------------

    def of(self, node: cst.BaseExpression, frame: Frame) -> Work:
        if isinstance(node, cst.Name):
            return self.local(frame, node.value)
        if isinstance(node, cst.Call):
            return self._of_call(node, frame)
        if isinstance(node, _CONTAINERS):
            work = Work()
            for element in node.elements:
                work += self.of(element.value, frame)
            return work
        if isinstance(node, _COMPREHENSIONS):
            return self.of(node.elt, frame)
        if isinstance(node, cst.DictComp):
            return self.of(node.key, frame)  # as_completed({pool.submit(f, x): x for x in xs})
        return Work()

    def _of_call(self, node: cst.Call, frame: Frame) -> Work:
        event = self.events.get(id(node))
        func = node.func
        if self.schedules(node, frame):
            work = Work()
            for arg in node.args:
                if arg.keyword is None:
                    work += self._coroutines(arg, frame)
            return work
        if event is not None and isinstance(func, cst.Attribute) and func.attr.value == "submit":
            return Work(futures=(event,))
        return Work(coroutines=(event,)) if event is not None else Work()

    def handed_on(self, node: cst.Call, frame: Frame) -> int:
        """The site of the call that made the work `node` hands on, kept in its event's `made` (-1: none):
        `asyncio.run_coroutine_threadsafe(self._co(), loop)` sends a coroutine to the loop;
        `self._futures.append(pool.submit(f))` keeps a future in an attribute, for a wait in another
        method (lintlock.checks.ll103). Written inline or kept in a name; exactly one."""
        positional = [a for a in node.args if a.keyword is None and not a.star]
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _KEEPS and positional:
            kept = self.names.path(func.value, frame)
            return self.kept(positional[-1].value, frame) if kept is not None and kept.attrs else -1
        if not positional or positional[0] is not node.args[0] or not self._sends(func, frame):
            return -1
        coroutines = self.of(positional[0].value, frame).coroutines
        return coroutines[0].site if len(coroutines) == 1 else -1

    def _sends(self, func: cst.BaseExpression, frame: Frame) -> bool:
        """`asyncio.run_coroutine_threadsafe` (its name first: most calls are not this one)."""
        last = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        return last == "run_coroutine_threadsafe" and self.names.qualify(func, frame) in _SENDS_COROUTINE

    def kept(self, value: cst.BaseExpression, frame: Frame) -> int:
        """The site of the first submit call whose futures `value` holds (`pool.submit(f)`, `[pool.submit(f, x) for x in xs]`,
        `[pool.submit(self._a), pool.submit(self._b)]`, a local holding them), as an attribute keeps them: the kept
        futures are those of every submit call this function made from that site on (`kept_submits`); -1: none,
        or not exactly those (a submit whose future is not kept, `pool.submit(f).result()`, came after the first)."""
        futures = {future.site for future in self.of(value, frame).futures}
        if not futures:
            return -1
        first = min(futures)
        # the event keeping them comes next: every event so far is before it
        return first if {e.site for e in kept_submits(frame.events, first)} == futures else -1

    def _coroutines(self, arg: cst.Arg, frame: Frame) -> Work:
        if arg.star:
            return self.of(arg.value, frame)
        return Work(self.of(arg.value, frame).coroutines)

    def schedules(self, node: cst.Call, frame: Frame) -> bool:
        """create_task / ensure_future / gather / shield: the coroutines passed become tasks."""
        callee = self.names.qualify(node.func, frame)
        return makes_task(node, callee) or callee in _TASK_FACTORIES

    # -- locals ---------------------------------------------------------------

    def local(self, frame: Frame, name: str) -> Work:
        found = self._locals.get((id(frame), name))
        if found is None or frame.local_values.get(name) is not found[1]:
            return Work()  # bound again since
        return found[2]

    def bind(self, frame: Frame, name: str, value: cst.BaseExpression) -> None:
        """`name = value`, just bound (Frame.local_values holds its new Value)."""
        binding = frame.local_values.get(name)
        work = self.of(value, frame) if binding is not None else Work()
        if work and binding is not None:
            self._locals[(id(frame), name)] = (frame, binding, work)
        copied = self.names.path(seen_through(value), frame) if isinstance(value, cst.Call) else None
        if binding is not None and copied is not None and copied.attrs and copied.scope == "local":
            self._snapshots[(id(frame), name)] = (binding, copied, len(frame.events))

    def iterating(self, frame: Frame, target: cst.BaseExpression, source: cst.BaseExpression) -> None:
        """`for task in tasks:` (or a comprehension's `for`): the loop's name stands for each element of tasks."""
        if isinstance(target, cst.Name):
            work = self.of(source, frame)
            if work:
                self._elements[(id(frame), target.value)] = (frame, work)
            else:
                self._elements.pop((id(frame), target.value), None)
            container = self.names.path(seen_through(source), frame)
            if container is not None:
                self._iterates[(id(frame), target.value)] = container
            else:
                self._iterates.pop((id(frame), target.value), None)

    def scheduled(self, node: cst.Call, site: int, frame: Frame) -> None:
        """`tg.create_task(self._co())` (the call at `site`): remember the coroutine, for the group's exit."""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "create_task":
            self.tasks[site] = self.of(node, frame)

    def exits(self, stmt: cst.With, frame: Frame, start: int, held: HeldSet) -> None:
        """Leaving `with ThreadPoolExecutor() as pool:` shuts the pool down: it waits for the calls
        submitted to it in the block (its events from `start` on) to return; leaving `async with
        asyncio.TaskGroup() as tg:` awaits the tasks made in it. Both under what is held after the block."""
        for item in stmt.items:
            expr, name = item.item, item.asname.name if item.asname is not None else None
            made = self.names.qualify(expr.func, frame) if isinstance(expr, cst.Call) and isinstance(name, cst.Name) else None
            if made is None or not isinstance(name, cst.Name):
                continue
            if made in THREAD_POOLS:
                self.wait_futures(self.submitted_to(LockPath(name.value), frame, since=start), item, frame, held, leaving=True)
            elif made in TASK_GROUPS:
                self.group_exit(LockPath(name.value), frame, start, item, held)

    def group_exit(self, group: LockPath, frame: Frame, since: int, node: cst.CSTNode, held: HeldSet) -> None:
        """Leaving `async with asyncio.TaskGroup() as tg:` awaits the tasks made by `tg.create_task()` in the block."""
        work = Work()
        for event in frame.events[since:]:
            if isinstance(event, Call) and event.target.kind == "method" and event.target.name == "create_task" and event.target.receiver == group:
                work += self.tasks.get(event.site, Work())
        self.await_(work, node, frame, held)

    def added(self, node: cst.Call, frame: Frame) -> None:
        """`fs.append(pool.submit(f))`, `tasks.add(asyncio.create_task(c))`: into a local collection."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in _ADDS and isinstance(func.value, cst.Name)):
            return
        positional = [a for a in node.args if a.keyword is None and not a.star]
        binding = frame.local_values.get(func.value.value)
        work = self.of(positional[-1].value, frame) if positional and binding is not None else Work()
        if work and binding is not None:
            name = func.value.value
            self._locals[(id(frame), name)] = (frame, binding, self.local(frame, name) + work)

    # -- the waits ------------------------------------------------------------

    def await_(self, work: Work, node: cst.CSTNode, frame: Frame, held: HeldSet) -> None:
        if frame.timed:
            return  # `async with asyncio.timeout(1):` ends the wait: not a deadlock
        """The coroutines run where they are awaited: under what is held at the await (one site for the
        await: the rules report it once, for the first coroutine that deadlocks)."""
        coroutines = [c for c in work.coroutines if c.site not in self._settled]
        self._settled.update(c.site for c in coroutines)  # awaited again later, a task is done: it returns at once
        site = self.sites.number(node) if coroutines else -1
        for coroutine in coroutines:
            replay = replace(coroutine, site=site, held=held, awaited=True, loop=_loop(frame), free=tuple(frame.free), runs="awaits", made=coroutine.site)
            frame.events.append(replay)

    def await_stored(
        self, tasks: List[cst.BaseExpression], node: cst.Await, frame: Frame, held: HeldSet, collections: Sequence[cst.BaseExpression] = ()
    ) -> None:
        """`await self._task` (or a local that value flow follows: `for task in self._tasks: await task`):
        the task stored by `self._task = asyncio.create_task(self._run())` runs `_run` to its end, unless
        this function cancelled it first (`self._task.cancel()`: it stops where it waits). `collections`:
        awaited whole (`gather(*self._tasks)`, `asyncio.wait(self._tasks)`), each task kept in them runs.
        One site for the await."""
        if frame.timed:
            return  # `async with asyncio.timeout(1):` ends the wait
        targets = [t for t in (self._stored(task, frame) for task in tasks) if t is not None]
        targets += [t for t in (self._kept_tasks(c, frame) for c in collections) if t is not None]
        site = self.sites.number(node) if targets else -1
        for target in targets:
            # "awaits": only a coroutine function's body runs (value flow says which: lintlock.program.valueflow)
            frame.events.append(Call(site=site, target=target, args=Args(), held=held, awaited=True, loop=_loop(frame), free=tuple(frame.free), runs="awaits"))

    def _stored(self, task: cst.BaseExpression, frame: Frame) -> Optional[Target]:
        """What `await task` runs, for value flow to say (None: nothing, or this function cancelled it)."""
        path = self.names.path(task, frame)
        if path is None or path.scope != "local" or (not path.attrs and path.base in frame.local_defs) or path in frame.finished:
            return None
        if any(isinstance(e, Call) and e.target.name == "cancel" and e.target.receiver == path for e in frame.events):
            return None
        return Target("method", path.attrs[-1], LockPath(path.base, path.attrs[:-1])) if path.attrs else Target("local", path.base)

    def _kept_tasks(self, collection: cst.BaseExpression, frame: Frame) -> Optional[Target]:
        """Awaiting every task an attribute keeps (`*self._tasks`, `*list(self._tasks)`, `*self._tasks.values()`):
        its elements, for value flow to say (tasks a local holds are `of`'s). None when this function
        cancelled them first (`for task in self._tasks: task.cancel()`) or emptied or replaced it. A copy kept in
        a local (`tasks = list(self._tasks)`) holds what the attribute held when it was copied."""
        source = seen_through(collection)
        path, since = self.names.path(source, frame), len(frame.events)
        name = source.value if isinstance(source, cst.Name) else ""
        snapshot = self._snapshots.get((id(frame), name))
        if snapshot is not None and frame.local_values.get(name) is snapshot[0]:
            if (id(frame), LockPath(name)) in self._cancelled:
                return None  # `for task in tasks: task.cancel()`
            _, path, since = snapshot  # `tasks = list(self._tasks)`: emptying the attribute later leaves them in tasks
        if path is None or path.scope != "local" or not path.attrs or path.key is not None or (id(frame), path) in self._cancelled:
            return None
        if any(isinstance(e, Call) and _empties(e.target, path) for e in frame.events[:since]):
            return None
        return Target("element", "__call__", path)

    def waits(self, node: cst.Call, frame: Frame, held: HeldSet, consumed: bool, result_of: int = -1) -> None:
        """`wait(fs)`, iterating `as_completed(fs)` (`consumed`), `pool.shutdown()`: the submitted calls return first.
        `result_of`: the call whose result `node` calls a method of (`pool.submit(f).result()`)."""
        func = node.func
        if isinstance(func, cst.Attribute) and self._method(node, func, frame, held, result_of):
            return
        if node.args:
            self._waits_for(node, frame, held, consumed)

    def _method(self, node: cst.Call, func: cst.Attribute, frame: Frame, held: HeldSet, result_of: int) -> bool:
        """future.result(), task.cancel(), pool.shutdown(): what they tell of the work (False: none of them)."""
        method = func.attr.value
        if method in ("result", "exception") and not node.args:
            self._finished(func.value, frame, result_of)  # done once this returns: a shutdown later waits for nothing
        elif method == "cancel" and isinstance(func.value, cst.Name):
            # a cancelled task waiting for the lock gets CancelledError there: awaiting it does not hang;
            # `for task in tasks: task.cancel()` cancels every one of them
            each = self._elements.get((id(frame), func.value.value))
            work = self.local(frame, func.value.value) + (each[1] if each is not None else Work())
            self._settled.update(c.site for c in work.coroutines)
            container = self._iterates.get((id(frame), func.value.value))
            if container is not None:  # `for task in self._tasks: task.cancel()`
                self._cancelled.add((id(frame), container))
        elif method == "shutdown":
            pool = self.names.path(func.value, frame)
            # a pool in an attribute: every submit to it counts, wherever it is (lintlock.checks.ll103)
            if pool is not None and pool.scope == "local" and not pool.attrs and shutdown_waits(node):
                self.wait_futures(self.submitted_to(pool, frame), node, frame, held)
        else:
            return False
        return True

    def _waits_for(self, node: cst.Call, frame: Frame, held: HeldSet, consumed: bool) -> None:
        """concurrent.futures.wait(fs) until all are done, as_completed(fs) iterated here."""
        callee = self.names.qualify(node.func, frame)
        if callee is None or callee not in _FUTURE_WAITS or not waits_for_all(node):
            return
        futures = tuple(f for f in self.of(node.args[0].value, frame).futures if f.site not in self._done)
        if callee.endswith("as_completed") and (not consumed or len({f.site for f in futures}) != 1):
            return  # it waits as its results are iterated, and a loop may stop at the first one done
        self.wait_futures(futures, node, frame, held)
        self._done.update(f.site for f in futures)

    def _finished(self, future: cst.BaseExpression, frame: Frame, result_of: int) -> None:
        if result_of >= 0:
            self._done.add(result_of)
        elif isinstance(future, cst.Name):
            self._done.update(f.site for f in self.local(frame, future.value).futures)

    def wait_futures(self, futures: Tuple[Call, ...], node: cst.CSTNode, frame: Frame, held: HeldSet, leaving: bool = False) -> None:
        """Waiting for a pool's futures waits as their `.result()` would, where the wait is; `leaving`:
        the wait is leaving `with pool:` (recorded as the `__exit__` of what each submit returned), one site for the wait."""
        site = self.sites.number(node) if futures else -1
        for submit in futures:
            target = Target("method", "__exit__" if leaving else "result", result_of=submit.site)
            frame.events.append(Call(site=site, target=target, args=Args(), held=held, loop=_loop(frame), free=tuple(frame.free)))

    def submitted_to(self, pool: LockPath, frame: Frame, since: int = 0) -> Tuple[Call, ...]:
        """The calls this function submitted to `pool` so far (`pool.submit(f, ...)`, and `pool.map(f, xs)`
        whose results were not iterated where it was called: map() submits every call at once), from its
        event `since` on."""
        submits = (e for e in frame.events[since:] if isinstance(e, Call) and e.target.kind == "method" and _submits(e))
        return tuple(e for e in submits if e.target.receiver == pool and e.site not in self._done)


def seen_through(source: cst.BaseExpression) -> cst.BaseExpression:
    """The container whose elements `source` has: itself, or the one a copy or a view reads
    (`list(self._tasks)`, `self._tasks.values()`, `sorted(...)`, `self._tasks.copy()`)."""
    while isinstance(source, cst.Call):
        func = source.func
        if isinstance(func, cst.Name) and func.value in _COPIES and len(source.args) == 1 and not source.args[0].star:
            source = source.args[0].value
        elif isinstance(func, cst.Attribute) and func.attr.value in _VIEWS and not source.args:
            source = func.value
        else:
            break
    return source


def _empties(target: Target, path: LockPath) -> bool:
    """`self._tasks = []`, `self._tasks.clear()`: what the collection held is gone from it."""
    receiver = target.receiver
    if receiver is None:
        return False
    if target.kind == "attr" and target.writes:
        return LockPath(receiver.base, receiver.attrs + (target.name,), receiver.scope) == path
    return target.kind == "method" and target.name == "clear" and receiver == path


def kept_submits(events: Sequence[Event], first: int, keeper: Optional[int] = None) -> List[Call]:
    """The submit calls whose futures the event at site `keeper` keeps, when its `made` is `first`
    (Spawned.kept): every one of its function's from `first` on, before the keeper."""
    return [e for e in events if isinstance(e, Call) and first <= e.site and (keeper is None or e.site < keeper) and _is_submit(e.target)]


def _is_submit(target: Target) -> bool:
    """`pool.submit(f)`, `self._pool.submit(f)`, `POOL.submit(f)` (a global's method), `make_pool().submit(f)`."""
    return target.kind in ("method", "global") and target.name.rsplit(".", 1)[-1] == "submit"


def _submits(event: Call) -> bool:
    return event.target.name == "submit" or (event.target.name == "map" and event.runs == "call")


def finished_in(test: cst.BaseExpression, frame: Frame, names: Names) -> List[LockPath]:
    """The objects an `if` test proves done where it is true: `task.done()`, also as a part of `and`."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return finished_in(test.left, frame, names) + finished_in(test.right, frame, names)
    func = test.func if isinstance(test, cst.Call) and not test.args else None
    if isinstance(func, cst.Attribute) and func.attr.value == "done":
        path = names.path(func.value, frame)
        return [path] if path is not None else []
    return []


def bounds_awaits(item: cst.BaseExpression, frame: Frame, names: Names) -> bool:
    """`asyncio.timeout(1)` (not `timeout(None)`) as a `with` item: the awaits in its block end."""
    if not isinstance(item, cst.Call) or names.qualify(item.func, frame) not in _TIMEOUTS:
        return False
    delay = [a.value for a in item.args if a.keyword is None][:1] + [
        a.value for a in item.args if a.keyword is not None and a.keyword.value in ("delay", "when")
    ]
    return len(delay) == 1 and not is_none(delay[0])


def waits_for_all(node: cst.Call) -> bool:
    """concurrent.futures.wait / asyncio.wait without a timeout, until every future is done."""
    for arg in node.args:
        if arg.keyword is None:
            continue
        name = arg.keyword.value
        if name == "timeout" and literal(arg.value) != "None":
            return False
        if name == "return_when" and not _names_all_completed(arg.value):
            return False
    positional = [a for a in node.args if a.keyword is None]
    return len(positional) <= 1


def shutdown_waits(node: cst.Call) -> bool:
    """`pool.shutdown()` / `shutdown(wait=True)`: waits for the work submitted (wait=False does not)."""
    for index, arg in enumerate(node.args):
        if (arg.keyword is None and index == 0) or (arg.keyword is not None and arg.keyword.value == "wait"):
            return literal(arg.value) not in ("False", "0")
    return True


def _names_all_completed(node: cst.BaseExpression) -> bool:
    last = node.attr.value if isinstance(node, cst.Attribute) else node.value if isinstance(node, cst.Name) else ""
    return last == "ALL_COMPLETED"


def _loop(frame: Frame) -> Tuple[LockPath, ...]:
    return frame.loops[-1] if frame.loops else ()
