"""Plain data passed between the pipeline stages.

Everything here is a frozen dataclass of strings, ints and tuples, so a
per-file summary can be pickled, cached and produced in another process.
No libcst node ever leaves the summarizer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Optional, Protocol, Tuple, Union

# The closed sets of strings the model uses: a checker (mypy) rejects a misspelt
# one, and they cost nothing at run time (cached JSON and summaries are unchanged).

# LockPath.scope: "local" a name of the function; "global" a qualified name;
# "instance" an attribute of the object whose method declares it (`Condition(self._lock)`
# assigned to `self._cond`: LockPath("", ("_lock",), "instance")), base is empty
LockScope = Literal["local", "global", "instance"]
# Held.how: "with" a `with` block (or a context manager's); "acquire" an explicit
# lock.acquire(); "free" a try-acquire that succeeded (Acquire.free, Call.free)
HeldHow = Literal["with", "acquire", "free"]
AcquireHow = Literal["with", "async with", "acquire"]
AwaitHow = Literal["await", "async for", "async with"]
# Target.kind: see Target
TargetKind = Literal["method", "super", "global", "local", "dunder", "attr", "element"]
# Call.runs: see Call
CallRuns = Literal["call", "consumed", "iterates", "awaits"]
# Flow.kind: see Flow
FlowKind = Literal["store", "insert", "extend", "iterate", "return", "argument"]
# FunctionSummary.kind: "module" the module's top-level code
FunctionKind = Literal["module", "function", "method", "classmethod", "staticmethod", "property", "setter", "deleter"]
# Value.acquired: `ok = lock.acquire()` (blocking) or a try-acquire (non-blocking or timed)
AcquireResult = Literal["blocking", "try"]
# Diagnostic.code: the rules' codes (LL001 and LL900 are not rule findings: lintlock.problems)
RuleCode = Literal["LL101", "LL102", "LL103", "LL104", "LL105"]
# FixRequest.lock_how: how the lock region is written; "": moving the call is not offered
RegionHow = Literal["with", "acquire", ""]
# how linking resolved a call (lintlock.program.calls Edge.why): "direct" by the names the
# call uses, "value flow" what flows to the called object, "override" a subclass's method
CallWhy = Literal["direct", "value flow", "override"]


@dataclass(frozen=True)
class LockPath:
    """How code names an object: `self._lock` is LockPath("self", ("_lock",), "local").

    scope "local": `base` is a parameter, captured name or local variable of
    the function. scope "global": `base` is a qualified name (`pkg.mod._lock`,
    `pkg.mod.Cache`), resolved from the module's imports and definitions.
    scope "instance": `attrs` of the instance a method declares an attribute
    on (ClassSummary.instance_attrs: `self._cond = Condition(self._lock)`);
    `base` is empty, so it never names a local.
    `key`: an element of the container the rest names (`self._locks[name]`), by its key as
    written: the name of a local of the function, or a literal (`'meta'`, `0`).
    """

    base: str
    attrs: Tuple[str, ...] = ()
    scope: LockScope = "local"
    key: Optional[str] = None

    def text(self) -> str:
        if self.scope == "instance":
            text = ".".join(("self",) + self.attrs)
        else:
            base = self.base if self.scope == "local" else self.base.rsplit(".", 1)[-1]
            text = ".".join((base,) + self.attrs)
        return text if self.key is None else f"{text}[{self.key}]"


@dataclass(frozen=True)
class Held:
    """One entry of the set of locks held at a program point.

    Either a lock named directly (`lock`), or whatever the context manager
    returned by the call at `via_call` holds for its `with` body.
    """

    site: int
    lock: Optional[LockPath] = None
    via_call: Optional[int] = None
    how: HeldHow = "with"


@dataclass(frozen=True)
class Target:
    """What a call names, before linking decides which function it is.

    kind: "method"  receiver.name(...)    (receiver is a LockPath)
          "super"   super().name(...)
          "global"  a qualified name: module function, class, Class.method
          "local"   a nested function/lambda or a captured parameter
          "dunder"  syntax on an object: len(x) -> x.__len__, `with x:`
          "attr"    a plain attribute read, or a write when `writes` (a property or its setter, if any)
          "element" an element of a local container called: `handlers[0](...)`
    """

    kind: TargetKind
    name: str
    receiver: Optional[LockPath] = None
    writes: bool = False  # kind "attr": `receiver.name = value`, which runs a property's setter
    # "method" with receiver None: the object the call event at this site (same function) returned,
    # `pool.submit(fn).result()`; -1: none. lintlock.summarize.spawned records the waits for a pool's
    # futures (`wait(fs)`, `pool.shutdown()`) as their `result()`, leaving `with pool:` as their `__exit__`
    result_of: int = -1


@dataclass(frozen=True)
class Args:
    """Which caller objects a call passes: positional, then keyword."""

    positional: Tuple[Optional[LockPath], ...] = ()
    keywords: Tuple[Tuple[str, Optional[LockPath]], ...] = ()
    starred: bool = False  # *args/**kwargs: positions after them are unknown
    literals: Tuple[Optional[str], ...] = ()  # positional constants (`None`, `False`, `0.5`), else None
    keyword_literals: Tuple[Tuple[str, Optional[str]], ...] = ()

    def literal(self, position: int, keyword: str) -> Tuple[bool, Optional[str]]:
        """(passed, constant) of the argument at `position` or named `keyword`."""
        for name, value in self.keyword_literals:
            if name == keyword:
                return True, value
        if 0 <= position < len(self.literals):
            return True, self.literals[position]
        return False, None


@dataclass(frozen=True)
class Acquire:
    site: int
    lock: LockPath
    held: Tuple[Held, ...]
    blocking: bool  # False for acquire(blocking=False) and acquire(timeout=...)
    how: AcquireHow
    guarded: bool = True  # acquire(): a try/finally that releases it follows
    free: Tuple[Held, ...] = ()  # the try-acquires that succeeded on this path (site, lock): the lock was free there


@dataclass(frozen=True)
class Call:
    site: int
    target: Target
    args: Args
    held: Tuple[Held, ...]
    awaited: bool = False
    loop: Tuple[LockPath, ...] = ()  # inside `while <test>`: the objects the test reads
    free: Tuple[Held, ...] = ()  # the try-acquires that succeeded on this path (site, lock): the lock was free there
    # "call": an ordinary call; "consumed": its result is iterated right here (`for x in f()`,
    # `list(f())`), so a generator's body runs here; "iterates": an earlier call's result
    # (`it = f()`) is iterated here, which runs only a generator's body; "awaits": an earlier call's
    # coroutine, kept in a name or a collection (`task = asyncio.create_task(self._co())`), is
    # awaited here (`await task`, `gather(*coros)`), which runs only a coroutine function's body
    runs: CallRuns = "call"
    # the site of the call that made the work this call runs or hands on: "awaits", the coroutine awaited;
    # `asyncio.run_coroutine_threadsafe(coro, loop)`, the coroutine sent; `self._futures.append(pool.submit(f))`,
    # the submit whose future is kept; of several kept at once (`[pool.submit(a), pool.submit(b)]`), the first:
    # the others are the submits after it, up to this call (lintlock.summarize.spawned.kept_submits)
    made: int = -1
    done: bool = False  # the receiver is known to be finished here (`if future.done(): future.result()`)


@dataclass(frozen=True)
class Await:
    site: int
    held: Tuple[Held, ...]
    how: AwaitHow = "await"


# what a function does, in order: FunctionSummary.events
Event = Union[Acquire, Call, Await]


@dataclass(frozen=True)
class Value:
    """The right-hand side of an assignment that may create a lock or object."""

    callee: Optional[str] = None  # qualified name of the called constructor/factory (`method`: a method's name)
    arg0: Optional[LockPath] = None  # first argument, when it names an object
    int0: Optional[int] = None  # first argument, when it is an int literal
    nargs: int = 0  # number of arguments of the call
    keywords: Tuple[Tuple[str, LockPath], ...] = ()  # keyword arguments naming objects (target=self._run)
    annotation: Optional[str] = None  # qualified annotation, when there is one
    site: int = -1
    # `ok = lock.acquire(...)`: the local holds whether `arg0` was acquired; "try": a
    # non-blocking or timed acquire, whose success proves the lock was free (callee is None)
    acquired: Optional[AcquireResult] = None
    # (function, parameter): callee is that parameter's default (`lock_cls=threading.Lock`, then
    # `lock_cls()`), which holds only when no call of the function passes the parameter
    default_of: Optional[Tuple[str, str]] = None
    # callee is a method called on an object (`pool.submit(fn)`: "submit"), not a qualified name
    method: bool = False


@dataclass(frozen=True)
class Flow:
    """A value-flow fact (lintlock.program.valueflow): where a function or an object goes.

    kind: "store"     `dest = source` (an attribute: `self.on_event = handler`)
          "insert"    source into the elements of dest (`dest.append(source)`, `dest[k] = source`)
          "extend"    the elements of source into the elements of dest
          "iterate"   the elements of source into the local dest (`for fn in source:`)
          "return"    `return source`
          "argument"  what a call at `site` passes at `slot` ("0", "1"... or a keyword) when
                      no path names it: a lambda (`function`) or a new object (`callee(...)`)
    The thing that flows is `source` (an object path), else `function` (a lambda or
    nested def, by qualified name), else `callee` (what is called to make it).
    """

    kind: FlowKind
    dest: Optional[LockPath] = None
    source: Optional[LockPath] = None
    function: str = ""
    callee: str = ""
    slot: str = ""
    partial: bool = False  # functools.partial(source, ...): its arguments are not the call's
    site: int = -1
    element: bool = False  # source[...]: an element of source flows (`Thread(target=self._jobs[name])`), not source


@dataclass(frozen=True)
class Decorator:
    """A decorator of a function or class, as written: `@name` or `@name(...)`.

    name: the qualified name it reads (`functools.wraps`, `pkg.mod.locked`), or, when
    `local`, the dotted name of a local of the enclosing function (`@deco`, `@self.guard`);
    None: not a name (`@(lambda f: f)`, `@handlers[0]`).
    called: `@name(...)`, so what decorates is whatever that call returns (a decorator factory).
    """

    name: Optional[str] = None
    local: bool = False
    called: bool = False

    def global_name(self) -> Optional[str]:
        """The qualified name it reads, when that is global (called or not): where it is defined."""
        return self.name if not self.local else None

    def applied(self) -> Optional[str]:
        """The qualified name of the function or class applied to the definition itself:
        a global name, not called; else None."""
        return self.name if not self.local and not self.called else None


@dataclass(frozen=True)
class FunctionSummary:
    qualname: str
    name: str
    params: Tuple[str, ...]
    events: Tuple[Event, ...]
    cls: Optional[str] = None  # qualified name of the class it is defined in
    parent: Optional[str] = None  # enclosing function, for nested defs and lambdas
    kind: FunctionKind = "function"
    is_async: bool = False
    is_generator: bool = False  # has `yield`: calling it runs none of its body
    decorators: Tuple[Decorator, ...] = ()
    param_types: Tuple[Tuple[str, str], ...] = ()  # parameter -> qualified annotation
    local_defs: Tuple[Tuple[str, str], ...] = ()  # local name -> nested function qualname
    local_values: Tuple[Tuple[str, Value], ...] = ()  # local name -> what it was assigned
    released: Tuple[LockPath, ...] = ()  # locks the function calls release() on
    yield_held: Tuple[Held, ...] = ()  # held at `yield` (for @contextmanager helpers)
    exit_held: Tuple[Held, ...] = ()  # still held on return (for __enter__ and acquire helpers)
    returns_local: Optional[str] = None  # `return wrapper`: decorators
    returns_value: Optional[Value] = None  # `return threading.Lock()`: lock factories
    site: int = -1
    flows: Tuple[Flow, ...] = ()  # value-flow facts (lintlock.program.valueflow)


@dataclass(frozen=True)
class ClassSummary:
    qualname: str
    name: str
    bases: Tuple[str, ...]  # the qualified names of the bases that are names, in order
    methods: Tuple[Tuple[str, str], ...]  # method name -> function qualname
    class_attrs: Tuple[Tuple[str, Value], ...]  # class-body assignments
    instance_attrs: Tuple[Tuple[str, Value], ...]  # self.x = ... in any method
    decorators: Tuple[Decorator, ...] = ()
    site: int = -1
    # a base is not a name (`class P(namedtuple("P", "x y"))`): what it defines is unknown
    unnamed_base: bool = False


@dataclass(frozen=True)
class ModuleSummary:
    path: str
    module: str
    classes: Tuple[ClassSummary, ...]
    functions: Tuple[FunctionSummary, ...]
    names: Tuple[Tuple[str, str], ...]  # module-level alias/import -> qualified target
    globals: Tuple[Tuple[str, Value], ...]  # module-level assignments
    # only when summarized with positions: (site, line, col, end_line, end_col, source text)
    positions: Tuple[Tuple[int, int, int, int, int, str], ...] = ()


@dataclass(frozen=True)
class Site:
    """A place in the program: a site number of one file's summary."""

    path: str
    site: int


@dataclass(frozen=True)
class FixRequest:
    """What a finding tells the fixer (lintlock.fix): sites in the finding's file."""

    path: str
    call_site: int
    lock_site: int  # the `with` item, or the acquire() call; -1: not a region of this function
    lock_how: RegionHow
    declaration_site: int = -1  # `self._lock = threading.Lock()` in this file (for the RLock fix)
    # the `_locked` split of the function that takes the lock again (in this file, or in split_path):
    split_path: str = ""  # the file it is defined in, when not this one (its sites are that file's)
    split_site: int = -1  # its name in its `def`
    split_lock: int = -1  # its acquisition: the `with` item or the acquire() call
    split_call: int = -1  # the call to point at the new variant: the finding's, or the chain's last hop
    split_target: Union[TargetKind, Literal[""]] = ""  # how that call names the function
    split_kind: Union[FunctionKind, Literal[""]] = ""  # the function's kind
    split_decorator: str = ""  # the decorator that holds the lock around it (split_lock is then -1)
    split_via: Tuple[str, ...] = ()  # names of the functions between the call and that one (each called only there)
    split_why: str = ""  # why the split is not offered, when the analysis can tell
    taken: Tuple[str, ...] = ()  # member names of the class hierarchy, which a new method must not reuse
    callee_site: int = -1  # the name in the `def` of the function the call runs, when in this file


class RuleMessage(Protocol):
    """A rule's message (lintlock.checks): rendered once positions are known, by
    `locate` (a Site -> its lintlock.locate.Located), in the file `here`."""

    def render(self, here: str, locate: Callable[[Site], Any]) -> str: ...


@dataclass(frozen=True)
class Diagnostic:
    code: RuleCode
    site: Site
    message: RuleMessage
    related: Tuple[Tuple[Site, str], ...] = field(default=())  # (place, what happens there)
    fix: Optional[FixRequest] = None
    lock: str = ""  # the lock held, as written
    chain: Tuple[str, ...] = ()  # functions from the call to the acquisition
