"""Which files to parse: only what can matter, found on demand.

Findings can only come from code that holds a lock and from what that code
can reach. So a cheap scan of the bytes picks the files whose code (not
comments or prose strings) names lock vocabulary as identifiers; they are
parsed first. Any other file is parsed only when something the analysis
follows (a call from a function that matters, a base class, a decorator, an
attribute's type, a callback registered into an attribute that is called
under a lock) names it. `--full` parses everything, and the tests check that
both give the same findings.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Set, Tuple

from .checks.ll103 import FUTURE_WAITS, values_passed
from .link import Program
from .model import Acquire, Call, Decorator, Flow, FunctionSummary, Held, LockPath, Target, Value

# The identifiers a file that creates or takes a lock says (as whole identifiers:
# `FooSemaphoreBar` or `block` say nothing).
VOCABULARY = ("Lock", "RLock", "LockType", "Semaphore", "BoundedSemaphore", "Condition", "allocate_lock", "acquire")

WORD, ATTRIBUTE, ASSIGNED, STORED = "word", "attribute", "assigned", "stored"


@dataclass(frozen=True, order=True)
class Learned:
    """A name through which a file can take a lock (or hand one a callback) without saying "Lock".

    how: WORD      any use of the identifier (`self._mu`, `@synchronized`, `make_lock()`)
         ATTRIBUTE only as an attribute (`handler.lock`, `self._mu`)
         ASSIGNED  only an attribute assigned (`obj.on_event = fn`) or a def of that name
         STORED    only a container attribute assigned or added to (`obj._callbacks.append(fn)`)
    """

    name: str
    how: str = WORD


_COMMENT = rb"\#[^\r\n]*"
_TRIPLE = rb"'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''|\"\"\"[^\"\\]*(?:(?:\\.|\"(?!\"\"))[^\"\\]*)*\"\"\""
_SINGLE = rb"'[^'\\\r\n]*(?:\\.[^'\\\r\n]*)*'|\"[^\"\\\r\n]*(?:\\.[^\"\\\r\n]*)*\""
# f-strings hold code: matched whole (so their quotes pair up), then searched
_FORMATTED = rb"(?<!\w)(?:[rR]?[fF]|[fF][rR])(?:" + _TRIPLE + b"|" + _SINGLE + b")"
_PLAIN = rb"(?<!\w)(?:[rRbBuU]|[rR][bB]|[bB][rR])?"
_TOKEN_STARTS = rb"#'\"rRbBuUfF"  # the bytes a comment or a string (prefix included) starts with
_MUTATORS = b"append|appendleft|add|insert|extend|update|setdefault"
_PROSE = re.compile(rb"[A-Za-z_]\s+[A-Za-z_]")  # words with spaces between: a message, not an annotation
# what no annotation the summarizer reads (`Optional["threading.Lock"]`) says: a call, an operator
_NOT_ANNOTATION = re.compile(rb"[^\w\s.,\[\]|'\"\\\x80-\xff]")


# identifier boundaries: UTF-8 bytes of non-ASCII letters (>= 0x80) belong to the identifier
_START, _END = rb"(?<![\w\x80-\xff])", rb"(?![\w\x80-\xff])"
_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") | frozenset(range(0x80, 0x100))
_OTHER_BYTES_TO_SPACE = bytes(byte if byte in _WORD_BYTES else 0x20 for byte in range(256))


def identifiers(data: bytes) -> FrozenSet[bytes]:
    """Every word in the file (code, comments and strings alike), as the triggers' boundaries see
    words: the longest runs of letters, digits, "_" and bytes >= 0x80. Worked out once, it answers "does the file say
    any of these names?" for every round of learned names; a name said as a whole word (WORD) is in
    it exactly when the trigger matches somewhere."""
    return frozenset(data.translate(_OTHER_BYTES_TO_SPACE).split())


def _pattern(names: Iterable[str]) -> bytes:
    return b"|".join(re.escape(n.encode()) for n in sorted(set(names), key=lambda n: (-len(n), n)))


def _triggers(words: List[str], learned: List[Learned]) -> List[bytes]:
    """The regular expressions a file's code must match somewhere, one per way of saying a name."""
    by_how: Dict[str, List[str]] = {WORD: list(words), ATTRIBUTE: [], ASSIGNED: [], STORED: []}
    for name in learned:
        by_how[name.how].append(name.name)
    triggers = [_START + rb"(?:" + _pattern(by_how[WORD]) + rb")" + _END] if by_how[WORD] else []
    if by_how[ATTRIBUTE]:
        triggers.append(rb"\.\s*(?:" + _pattern(by_how[ATTRIBUTE]) + rb")" + _END)
    if by_how[ASSIGNED]:
        names = _pattern(by_how[ASSIGNED])
        triggers.append(rb"\.\s*(?:" + names + rb")\s*=(?!=)|\bdef\s+(?:" + names + rb")" + _END)
    if by_how[STORED]:
        added = rb"\s*(?:\+?=(?!=)|\[[^\]\r\n]*\]\s*=(?!=)|\.\s*(?:" + _MUTATORS + rb")\b)"
        triggers.append(rb"\.\s*(?:" + _pattern(by_how[STORED]) + rb")" + added)
    return triggers or [rb"(?!)"]  # no name at all: nothing matches


class Vocabulary:
    """The scan: the base words, the configured factories and the learned names, as identifiers
    in code. Comments and docstrings never count; a one-line string counts when it could be
    an annotation (`"threading.Lock"`, not `"Lock is held"`), an f-string when its code does.

    A file matches a vocabulary if and only if it matches one of its names, so the files that did
    not match one vocabulary are scanned for the names learned since only (`base=False`: without
    the base words and factories, which say nothing new about them)."""

    def __init__(self, factories: Iterable[str] = (), learned: Iterable[Learned] = (), base: bool = True) -> None:
        words = list(VOCABULARY) + [f.rsplit(".", 1)[-1] for f in factories if f] if base else []
        learned = list(learned)
        self.names = frozenset(n.encode() for n in words + [n.name for n in learned])
        self.words = frozenset(n.encode() for n in words + [n.name for n in learned if n.how == WORD])
        triggers = b"|".join(_triggers(words, learned))
        # every trigger starts with a name's first byte, "." or "def": a lookahead for those bytes
        # turns most positions down at once (the alternatives one by one made a scan 3-5x slower)
        starts = re.escape(bytes(sorted({name[0] for name in self.words if name} | set(b".d"))))
        self.trigger = re.compile(rb"(?=[" + starts + rb"])(?:" + triggers + b")")
        skipped = rb"(?P<skip>" + _COMMENT + b"|" + _PLAIN + b"(?:" + _TRIPLE + rb"))"
        strings = rb"(?P<code>" + _FORMATTED + rb")|(?P<string>" + _PLAIN + b"(?:" + _SINGLE + rb"))"
        tokens = rb"(?=[" + _TOKEN_STARTS + starts + rb"])"  # comments, strings (with their prefixes) and triggers
        self.scan = re.compile(tokens + b"(?:" + skipped + b"|" + strings + rb"|(?P<hit>" + triggers + b"))", re.DOTALL)

    def matches(self, data: bytes, identifiers: Optional[FrozenSet[bytes]] = None) -> bool:
        """`identifiers`: identifiers(data), when known (a set test instead of a scan)."""
        if identifiers is not None and self.names.isdisjoint(identifiers):
            return False
        # a word in the set is a trigger match already; other names need the search
        if (identifiers is None or self.words.isdisjoint(identifiers)) and self.trigger.search(data) is None:
            return False  # most files: one pass at C speed
        for match in self.scan.finditer(data):
            kind = match.lastgroup
            if kind == "hit" or (kind != "skip" and self._names_in(match.group(), prose_counts=kind == "code")):
                return True
        return False

    def _names_in(self, text: bytes, prose_counts: bool) -> bool:
        could_be_annotation = _PROSE.search(text) is None and _NOT_ANNOTATION.search(text) is None
        return (prose_counts or could_be_annotation) and self.trigger.search(text) is not None


# a line starting a def, class, import or decorator: not a module of data (most files: at once)
_DEFINES = re.compile(rb"^[ \t]*(?:@|(?:async|def|class|import|from)[ \t\\])", re.MULTILINE)
# what a module of literal data (`topics = {"assert": "..."}`) is made of: nothing callable, no
# import, no call, no attribute: none of its names can hold a function, a lock or an in-tree object
# (no annotation either: `x: "threading.Lock" = None` types a global as a lock)
_DATA_NODES: Tuple[type, ...] = (ast.Module, ast.Expr, ast.Assign, ast.Name, ast.Load, ast.Store, ast.Constant)
_DATA_NODES += (ast.Dict, ast.List, ast.Tuple, ast.Set, ast.UnaryOp, ast.BinOp, ast.operator, ast.unaryop)


def only_data(data: bytes) -> bool:
    """The module binds names to literal data only (generated tables, help texts): no function it
    defines can be called, no value it holds can lock, so nothing it says can change a finding.
    CPython's parser decides (several times cheaper than libcst), and only for the rare file in
    which no line starts a def, class or import; a file it cannot parse is not data."""
    if _DEFINES.search(data) is not None:
        return False
    try:
        with warnings.catch_warnings():  # an invalid escape in a string is not the user's concern here
            warnings.simplefilter("ignore")
            tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return all(isinstance(node, _DATA_NODES) for node in ast.walk(tree))


class Holding:
    """Whether the locks an event is made under (its `held` entries) can be any, read as the rules'
    held_locks reads them: a lock or an object named (`with self._mu:`) can be; `with helper():`
    holds what a @contextmanager helper holds at its yield, so a call that resolves by name to no
    such helper, or to nothing in the project (`open()`), holds nothing: no finding starts under
    it, on demand or with --full; nor under `sem.acquire()` with no `sem.release()` in the same
    function (a signal to another thread). A call value flow resolves, or a method, may hold one.

    `unloaded` (the files not all summarized yet): a helper named in one of them is not
    known yet: it counts as holding nothing for now and its module is `pending`, to be parsed
    before the closure ends (then the entry is decided). None: such a helper may hold one."""

    def __init__(self, program: Program, unloaded: Optional[Unloaded] = None) -> None:
        self.program, self.unloaded = program, unloaded
        self.pending: Set[str] = set()
        self._helpers: Dict[Tuple[str, int], Tuple[bool, Optional[str]]] = {}

    def any(self, fn: FunctionSummary, held: Iterable[Held]) -> bool:
        return any(self._may_be_held(fn, entry) for entry in held)

    def _may_be_held(self, fn: FunctionSummary, entry: Held) -> bool:
        if entry.how == "acquire" and entry.lock not in fn.released and not _keeps_for_caller(fn):
            return False  # acquire() with no release() here: a signal handed to another thread
        return entry.via_call is None or self._helper_may_hold(fn, entry.via_call)

    def _helper_may_hold(self, fn: FunctionSummary, site: int) -> bool:
        key = (fn.qualname, site)
        known = self._helpers.get(key)
        if known is None:
            self._helpers[key] = (True, None)  # a helper entering itself, meanwhile: may hold
            known = self._helpers[key] = self._may_hold(fn, site)
        may_hold, pending = known
        if pending is not None:
            self.pending.add(pending)
        return may_hold

    def _yields_held(self, helper: FunctionSummary) -> bool:
        """A @contextmanager holding a lock at its yield."""
        return self.program.is_context_manager(helper) and self.any(helper, helper.yield_held)

    def _may_hold(self, fn: FunctionSummary, site: int) -> Tuple[bool, Optional[str]]:
        """(may hold a lock, the module to parse before it is known)."""
        program = self.program
        call = program.event_at(fn, site)
        if not isinstance(call, Call):
            return False, None  # what held_locks makes of it too
        if call.target.kind not in ("global", "local") or (call.target.kind == "local" and call.target.name not in program.functions):
            return True, None  # a method, a parameter or a value: only value flow, with more code, can tell
        edges = program.callees(fn, call)  # by name (value flow is not solved for it)
        if edges:
            return any(edge.why != "direct" or self._yields_held(program.functions[edge.callee]) for edge in edges), None
        resolved = program.resolve(call.target.name)
        if resolved in program.classes:
            return False, None  # a class is no @contextmanager
        if self.unloaded is None:
            return True, None
        # in a module parsed (or that cannot be), or outside the project: what --full finds too
        return False, _module_of(resolved, self.unloaded, program.modules)


def _keeps_for_caller(fn: FunctionSummary) -> bool:
    """A lock wrapper's __enter__ or acquire(): the lock it takes stays held for its caller."""
    return fn.name in ("__enter__", "__aenter__") or (fn.name == "acquire" and fn.cls is not None)


def learned_names(program: Program, holding: Optional[Holding] = None, by_names: bool = False) -> Set[Learned]:
    """Names through which other files can take a lock without saying "Lock": the
    attributes and globals that hold locks (`self._mu`), in-tree lock factories,
    decorators, context managers and acquire helpers that lock for their caller, classes
    whose `__enter__` locks, the attributes of the lock table's classes (`handler.lock`),
    and the callbacks of value flow (callback_names), the constructors and functions whose
    locks their callers decide (decided_by_callers). `by_names`: a round that resolves by names, whose
    program value flow has not solved: what only value flow can tell waits for the round that solves it."""
    holding = holding or Holding(program)
    names = _lock_holders(program)
    names.update(Learned(_said_as(fn)) for fn in program.functions.values() if _locks_for_caller(program, fn, holding))
    kinds = program.knowledge.kinds
    names.update(Learned(n.rpartition(".")[2], ATTRIBUTE) for n in kinds if n.rpartition(".")[0] in kinds)
    return names | callback_names(program, holding) | decided_by_callers(program) | self_joiners(program, holding) | woken_fields(program, holding, by_names)


def self_joiners(program: Program, holding: Holding) -> Set[Learned]:
    """Thread classes that join themselves under a lock (`self.join()` in `stop()`): LL103 asks whether every
    run() `self` may have takes that lock, so a file defining a subclass (it names the class) matters, and
    so do its subclasses' (the names of the subclasses found so far)."""
    names: Set[Learned] = set()
    for fn in program.functions.values():
        me = program.self_param(fn)
        if fn.cls is None or me is None:
            continue
        if any(isinstance(e, Call) and e.target.name == "join" and e.target.receiver == LockPath(me) and e.held and holding.any(fn, e.held) for e in fn.events):
            names.update(Learned(program.short_name(c).rpartition(".")[2]) for c in [fn.cls] + program.flow.subclasses(fn.cls))
    return names


# what rules/blocking.toml says a wait is woken by when that is not methods of the waited object
_WOKEN_BY_WORK = frozenset({"target", "submitted", "applied", "mapped", "pending", "coroutine"})


def woken_fields(program: Program, holding: Holding, by_names: bool = False) -> Set[Learned]:
    """LL103 waits under a lock for an object woken by calls of its own methods (`Event.set`, `Queue.put`,
    `Future.set_result`) kept in a field: `self._ready.wait()`, or a local kept in one (`self._pending[key] = fut`,
    then `fut.result()`). Every waker must hold the lock for a report, so a file calling one through that field
    (`client._pending.pop(key).set_result(v)`) matters though it says no lock word: the field's name is learned."""
    table = program.knowledge.blocking
    methods = {method for spec in table.waits if spec.wakers and spec.wakers[0] not in _WOKEN_BY_WORK for method in spec.methods}
    names: Set[Learned] = set()
    if by_names:
        return names  # what waits for what is known once value flow is solved: in the round that solves it
    for fn in program.functions.values():
        for event in fn.events:
            if isinstance(event, Call) and event.target.kind == "method" and event.target.name in methods and event.held:
                names.update(_woken_through(program, fn, event, holding))
    return names


def _woken_through(program: Program, fn: FunctionSummary, wait: Call, holding: Holding) -> Set[Learned]:
    """The field whose object a method call under a lock waits for, when methods of that object wake it."""
    receiver = wait.target.receiver
    if receiver is None or not holding.any(fn, wait.held):
        return set()
    type_name = program.type_of(fn, receiver)[0]
    spec = program.knowledge.blocking.wait_for(type_name, wait.target.name) if type_name else None
    if spec is None or not spec.wakers or spec.wakers[0] in _WOKEN_BY_WORK:
        return set()
    if receiver.attrs:
        return {Learned(receiver.attrs[-1], ATTRIBUTE)}
    # a local kept in a field of the object: `self._pending[key] = fut`, `self._fut = fut`
    return {Learned(f.dest.attrs[-1], ATTRIBUTE) for f in fn.flows if f.source == receiver and f.dest is not None and f.dest.attrs}


def decided_by_callers(program: Program) -> Set[Learned]:
    """Functions whose lock is known only from every call of them: a method (a constructor, most
    often) storing a parameter into an attribute its class takes as a lock (`Shared(self._lock)`:
    a handed lock is claimed when every builder passes the same one), and a function whose lock a
    parameter's default makes (`lock_cls=threading.Lock`: its kind holds unless a caller passes
    another). A file that calls one can change the answer, so it matters however little it says;
    so does one building a subclass that inherits such a constructor (`Sub(given)`)."""
    decided: Set[str] = set()
    for fn in program.functions.values():
        me = program.self_param(fn)
        if me is not None and _stores_a_taken_parameter(program, fn, me):
            decided.add(fn.qualname)
    for holder in list(program.functions.values()) + list(program.classes.values()):
        values = holder.local_values if isinstance(holder, FunctionSummary) else holder.instance_attrs + holder.class_attrs
        decided.update(v.default_of[0] for _, v in values if v.default_of is not None and v.default_of[0] in program.functions and program.is_lock_value(v))
    found = {Learned(_said_as(program.functions[name])) for name in decided}
    found.update(Learned(cls.name) for cls in program.classes.values() if program.lookup(cls.qualname, "__init__") in decided)
    return found


def _stores_a_taken_parameter(program: Program, fn: FunctionSummary, me: str) -> bool:
    """`self.attr = param` in fn, where a method of fn's class takes `self.attr` (`with self.attr:`)."""
    stored = {
        flow.dest.attrs[0]
        for flow in fn.flows
        if flow.kind == "store" and flow.dest is not None and flow.dest.base == me and len(flow.dest.attrs) == 1
        if flow.source is not None and flow.source.scope == "local" and flow.source.base in fn.params and flow.source.base != me
    }
    cls = program.classes.get(fn.cls) if stored and fn.cls else None
    return cls is not None and any(_takes(program, method, stored) for _, method in cls.methods)


def _takes(program: Program, method: str, attrs: Set[str]) -> bool:
    fn = program.functions.get(method)
    me = program.self_param(fn) if fn is not None else None
    return fn is not None and any(isinstance(e, Acquire) and e.lock.base == me and e.lock.attrs[:1] and e.lock.attrs[0] in attrs for e in fn.events)


def _lock_holders(program: Program) -> Set[Learned]:
    """Attributes (used as `.name`) and globals holding a lock; classes whose `__enter__` locks."""
    names: Set[Learned] = set()
    for cls in program.classes.values():
        names.update(Learned(name, ATTRIBUTE) for name, value in cls.instance_attrs + cls.class_attrs if program.is_lock_value(value))
        enter = program.functions.get(dict(cls.methods).get("__enter__", ""))
        if enter is not None and enter.exit_held:
            names.add(Learned(cls.name))
    for module in program.modules.values():
        names.update(Learned(name) for name, value in module.globals if program.is_lock_value(value))
    return names


def _locks_for_caller(program: Program, fn: FunctionSummary, holding: Holding) -> bool:
    """A lock factory, an acquire helper, a locking context manager or decorator."""
    if fn.returns_value is not None and program.is_lock_value(fn.returns_value):
        return True
    # returns holding a lock: `acquire_write()`, `lock()` (what "acquire" said as a substring)
    if fn.exit_held and not _dunder(fn.name) and ("acquire" in fn.name or "lock" in fn.name.lower()):
        return True
    if fn.yield_held and program.is_context_manager(fn):
        return True
    wrapper = program.functions.get(fn.returns_local) if fn.returns_local else None
    return wrapper is not None and any(
        isinstance(e, Call) and e.target.kind == "local" and e.target.name in fn.params and holding.any(wrapper, e.held) for e in wrapper.events
    )


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _said_as(fn: FunctionSummary) -> str:
    """What a file using fn says: its name; its class's for a dunder (`Foo(...)`, not `__init__`)."""
    return fn.cls.rsplit(".", 1)[-1] if _dunder(fn.name) and fn.cls else fn.name


# (the class whose instances hold it, None if not known; the attribute)
Holder = Tuple[Optional[str], str]


def callback_names(program: Program, holding: Optional[Holding] = None) -> Set[Learned]:
    """Value flow: a file that registers a callback matters even when it says nothing about locks.
    The attributes whose functions are called (or iterated and called) while a lock is held, as a
    file that registers into them says them (`obj.on_event = fn`, `obj._callbacks.append(fn)`), and
    the functions that store a parameter into one of them on an object of a related class
    (`subscribe(fn)`; a class, for its constructor)."""
    callables: Set[Holder] = set()
    containers: Set[Holder] = set()
    holding = holding or Holding(program)
    for fn in program.functions.values():
        called, iterated = _called_under_lock(program, fn, holding)
        callables |= called
        containers |= iterated
    names = {Learned(attr, ASSIGNED) for _, attr in callables} | {Learned(attr, STORED) for _, attr in containers}
    holders: Dict[str, Set[Optional[str]]] = {}
    for cls, attr in callables | containers:
        holders.setdefault(attr, set()).add(cls)
    for fn in program.functions.values():
        if any(_registers(program, fn, flow, holders, {attr for _, attr in containers}) for flow in fn.flows):
            names.add(Learned(_said_as(fn)))
    return names


def _registers(program: Program, fn: FunctionSummary, flow: Flow, holders: Dict[str, Set[Optional[str]]], containers: Set[str]) -> bool:
    """fn stores a parameter where code holding a lock calls it: `self.on_event = fn`, `self._callbacks.append(fn)`."""
    dest, source = flow.dest, flow.source
    if dest is None or not dest.attrs or dest.attrs[-1] not in holders or source is None or source.base not in fn.params:
        return False
    if flow.kind not in ("store", "insert", "extend") or (flow.kind != "store" and dest.attrs[-1] not in containers):
        return False
    # value flow keeps `self.x` of unrelated classes apart: only an object of a related class counts
    stored_in = program.static_class_of_path(fn, LockPath(dest.base, dest.attrs[:-1], dest.scope))
    return any(cls is None or (stored_in is not None and _related(program, cls, stored_in)) for cls in holders[dest.attrs[-1]])


def _related(program: Program, one: str, other: str) -> bool:
    return one in program.mro(other) or other in program.mro(one)


def _called_under_lock(program: Program, fn: FunctionSummary, holding: Holding) -> Tuple[Set[Holder], Set[Holder]]:
    """(attributes holding a function, attributes holding functions) that fn calls while holding
    a lock: `self.on_event(...)`; `self._handlers[name](...)`, `for cb in self._callbacks: cb()`."""
    callables: Set[Holder] = set()
    locked = [e for e in fn.events if isinstance(e, Call) and e.held and holding.any(fn, e.held)]
    containers = _iterated_under_lock(program, fn, {e.target.name for e in locked if e.target.kind == "local"})
    containers |= _waited_under_lock(program, fn, locked)
    for call in locked:
        receiver = call.target.receiver
        if receiver is None:
            continue
        if call.target.kind == "method" and not program.is_method_name(call.target.name):
            callables.add(_holder(program, fn, LockPath(receiver.base, receiver.attrs + (call.target.name,), receiver.scope)))
        elif call.target.kind == "element" and receiver.attrs:
            containers.add(_holder(program, fn, receiver))
    return callables, containers


def _waited_under_lock(program: Program, fn: FunctionSummary, locked: List[Call]) -> Set[Holder]:
    """The containers whose futures are waited for under a lock (LL103: a file that keeps futures in them
    matters, `self._futures.append(pool.submit(self._work))`): `wait(self._futures)`, `as_completed(...)`,
    `for f in self._futures: f.result()`."""
    found: Set[Holder] = set()
    for call in locked:
        target = call.target
        path: Optional[LockPath] = None
        if target.kind == "global" and call.args.positional and program.resolve(target.name) in FUTURE_WAITS:
            path = call.args.positional[0] or values_passed(fn, call)  # as LL103 reads it
        elif target.kind == "method" and target.name in ("result", "exception") and target.receiver is not None and not target.receiver.attrs:
            element = LockPath(target.receiver.base)
            path = next((f.source for f in fn.flows if f.kind == "iterate" and f.dest == element), None)
        if path is not None and path.attrs:
            found.add(_holder(program, fn, path))
    return found


def _iterated_under_lock(program: Program, fn: FunctionSummary, locked_locals: Set[str]) -> Set[Holder]:
    """The containers whose elements are called under a lock: `for cb in self._callbacks: cb()`."""
    return {
        _holder(program, fn, flow.source)
        for flow in fn.flows
        if flow.kind == "iterate" and flow.source is not None and flow.source.attrs and flow.dest is not None and flow.dest.base in locked_locals
    }


def _holder(program: Program, fn: FunctionSummary, path: LockPath) -> Holder:
    return program.static_class_of_path(fn, LockPath(path.base, path.attrs[:-1], path.scope)), path.attrs[-1]


class Unloaded:
    """The modules whose code is not all summarized yet: `paths` (module -> path), never parsed or
    summarized trimmed (lintlock.trim; `left_out`: module -> the top-level names its summary lacks).
    What each was asked for (module_of) is kept in `asked`: module -> top-level names, "" for all."""

    def __init__(self, paths: Mapping[str, str], left_out: Optional[Mapping[str, FrozenSet[str]]] = None) -> None:
        self.paths, self.left_out = paths, left_out or {}
        self.asked: Dict[str, Set[str]] = {}

    def ask(self, module: str, name: str) -> Optional[str]:
        """The module, if the top-level `name` ("": the module itself) is not summarized there yet."""
        left_out = self.left_out.get(module)
        if left_out is not None and name and name not in left_out:
            return None  # summarized (kept when the file was trimmed)
        self.asked.setdefault(module, set()).add(name)
        return module


def _module_of(name: str, unloaded: Unloaded, loaded: Optional[Mapping[str, object]] = None) -> Optional[str]:
    """The module (among `unloaded`, the ones not all summarized yet) that a qualified name is
    defined in and needs to be summarized for: its longest prefix that names a module at all. A
    name in a parsed module needs nothing, not even its package's `__init__`."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in unloaded.paths:
            return unloaded.ask(candidate, parts[end] if end < len(parts) else "")
        if loaded is not None and candidate in loaded:
            return None
    return None


def _value_names(values: Iterable[Value]) -> List[str]:
    return [name for value in values for name in ("" if value.method else value.callee or "", value.annotation or "")]


def _names(program: Program, fn: FunctionSummary, held_only: Optional[Holding] = None) -> List[str]:
    """Qualified names the analysis of fn may need to resolve (held_only: of the calls made
    while holding a lock, and the types that resolve any call)."""
    names = [e.target.name for e in fn.events if isinstance(e, Call) and e.target.kind == "global" and (not held_only or held_only.any(fn, e.held))]
    names += _value_names(v for _, v in fn.local_values)
    names += [t for _, t in fn.param_types] + list(filter(None, map(Decorator.global_name, fn.decorators)))
    cls = program.classes.get(fn.cls) if fn.cls else None
    if cls is not None:
        names += list(cls.bases) + _value_names(v for _, v in cls.class_attrs + cls.instance_attrs)
    return [n for n in names if n and not n.startswith((".", "<", "builtins."))]


def seeds(program: Program, paths: Iterable[str], holding: Optional[Holding] = None) -> Set[str]:
    """Functions (in these files) that hold a lock somewhere, or lock for their caller: what they
    call while holding it can matter (held_callees), not everything they call."""
    wanted = set(paths)
    holding = holding or Holding(program)
    return {
        name
        for name, fn in program.functions.items()
        if program.path_of[name] in wanted and (fn.yield_held or fn.exit_held or any(holding.any(fn, getattr(event, "held", ())) for event in fn.events))
    }


def thread_targets(program: Program, paths: Iterable[str]) -> Set[str]:
    """Methods (in these files) started in a thread, which may need a lock its starter holds:
    all of them can matter."""
    wanted = set(paths)
    found: Set[str] = set()
    for name, fn in program.functions.items():
        if program.path_of[name] in wanted and fn.cls:
            found |= _thread_targets(program, fn.cls, [v for _, v in fn.local_values])
    for cls in program.classes.values():
        if program.path_of[cls.qualname] in wanted:
            found |= _thread_targets(program, cls.qualname, [v for _, v in cls.instance_attrs])
    return found


def held_callees(program: Program, functions: Iterable[str], holding: Optional[Holding] = None, by_names: bool = False) -> Set[str]:
    """What these functions call while holding a lock (by_names: as far as names tell, named_callees)."""
    found: Set[str] = set()
    holding = holding or Holding(program)
    for name in functions:
        fn = program.functions.get(name)
        if fn is None:
            continue
        # only the calls made under a lock are resolved: each round links a new program
        for event in fn.events:
            if isinstance(event, Call) and event.held and holding.any(fn, event.held):
                found.update(named_callees(program, fn, event) if by_names else (e.callee for e in program.callees(fn, event)))
    return found


def named_callees(program: Program, fn: FunctionSummary, call: Call) -> List[str]:
    """What a call runs as far as names and declared types tell, without value flow (whose solving
    is most of a round's cost): a function, a class's constructor, a method of the receiver's
    declared class, and their decorators' wrappers. What value flow adds is asked for once the
    names need nothing more (Parser.on_demand), so the closure ends where it did."""
    found = _named_target(program, fn, call.target) if call.runs == "call" else None
    callee = program.functions.get(found) if found else None
    if callee is None or (callee.is_async and not call.awaited) or callee.kind == "property":
        return []
    runs_body = not callee.is_generator or program.is_context_manager(callee)
    return ([callee.qualname] if runs_body else []) + program.wrappers(callee)


def _named_target(program: Program, fn: FunctionSummary, target: Target) -> Optional[str]:
    if target.kind == "local":
        return target.name
    if target.kind == "global":
        resolved = program.resolve(target.name)
        return program.lookup(resolved, "__init__") if resolved in program.classes else resolved
    if target.kind == "super":
        return program.lookup(fn.cls, target.name, start_after=fn.cls) if fn.cls else None
    if target.kind in ("method", "dunder"):
        cls = program.static_class_of_path(fn, target.receiver)
        return program.lookup(cls, target.name) if cls is not None else None
    return None


def _thread_targets(program: Program, cls: str, values: Iterable[Value]) -> Set[str]:
    """The methods of cls that these values start in a thread: `Thread(target=self.run)`, `pool.submit(self.run)`."""
    found = set()
    for value in values:
        target = dict(value.keywords).get("target") or (value.arg0 if value.method and value.callee == "submit" else None)
        method = program.lookup(cls, target.attrs[-1]) if target is not None and target.attrs else None
        if method:
            found.add(method)
    return found


def decorator_modules(program: Program, paths: Iterable[str], unloaded: Unloaded) -> Set[str]:
    """Modules defining the decorators used in these files (a decorator may lock)."""
    wanted = set(paths)
    modules = set()
    for name, fn in program.functions.items():
        if program.path_of[name] in wanted:
            for decorator in fn.decorators:
                qualified = decorator.global_name()
                module = _module_of(program.resolve(qualified), unloaded, program.modules) if qualified else None
                if module is not None:
                    modules.add(module)
    return modules


def needed_modules(program: Program, functions: Iterable[str], unloaded: Unloaded, held_only: Optional[Holding] = None) -> Set[str]:
    """Modules among `unloaded` that the given functions refer to (held_only: the
    calls they make while holding a lock, as `held_only` reads the held entries, and the types)."""
    wanted: Set[str] = set()
    for name in functions:
        fn = program.functions.get(name)
        if fn is None:
            continue
        for raw in _names(program, fn, held_only):
            for candidate in (raw, program.resolve(raw)):
                module = _module_of(candidate, unloaded, program.modules)
                if module is not None:
                    wanted.add(module)
    for cls in program.classes.values():  # every base class, for method resolution order
        for base in cls.bases:
            module = _module_of(program.resolve(base), unloaded, program.modules)
            if module is not None:
                wanted.add(module)
    return wanted


def reached(program: Program, functions: Iterable[str], by_names: bool = False) -> Set[str]:
    """The functions and everything they call, transitively (what the program resolves so far;
    by_names: as far as names tell, named_callees)."""
    found = set(functions)
    frontier = list(found)
    while frontier:
        name = frontier.pop()
        fn = program.functions.get(name)
        if fn is None:
            continue
        if by_names:
            callees = [callee for event in fn.events if isinstance(event, Call) for callee in named_callees(program, fn, event)]
        else:
            callees = [edge.callee for edge in program.edges_of(name)]
        for callee in callees:
            if callee not in found:
                found.add(callee)
                frontier.append(callee)
    return found
