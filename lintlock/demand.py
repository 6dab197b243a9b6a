"""Which files to parse: only what can matter, found on demand.

Findings can only come from code that holds a lock and from what that code
can reach. So a cheap byte scan picks the files that mention lock vocabulary;
they are parsed first. Any other file is parsed only when something the
analysis follows (a call from a function that matters, a base class, a
decorator, an attribute's type) names a module in it. `--full` parses
everything, and the tests check that both give the same findings.
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Set

from .link import Program
from .model import Call, FunctionSummary

# What a file that creates or takes a lock must say (case matters: not "block", "clock").
VOCABULARY = (b"Lock", b"Semaphore", b"Condition", b"allocate_lock", b"acquire")


class Vocabulary:
    """The scan: the base words and configured factories as substrings; names learned
    from the parsed files (lock attributes, factories, decorators) as whole words."""

    def __init__(self, factories: Iterable[str] = (), learned: Iterable[str] = ()) -> None:
        words = [re.escape(w) for w in VOCABULARY] + sorted(re.escape(f.rsplit(".", 1)[-1].encode()) for f in factories if f)
        self.base = re.compile(b"|".join(words))
        self.learned = sorted({n.encode() for n in learned if n})
        # ".lock": only as an attribute (`self.lock`), not any variable named lock
        self.word = {n: re.compile((rb"" if n.startswith(b".") else rb"\b") + re.escape(n) + rb"\b") for n in self.learned}

    def matches(self, data: bytes) -> bool:
        if self.base.search(data):
            return True
        # a substring test first (C speed), the word boundaries only on a hit
        return any(name in data and self.word[name].search(data) for name in self.learned)


def learned_names(program: Program) -> Set[str]:
    """Names through which other files can take a lock without saying "Lock": the
    attributes and globals that hold locks (`self._mu`), in-tree lock factories,
    decorators and context managers that lock for their caller, classes whose
    `__enter__` locks."""
    names: Set[str] = set()
    for cls in program.classes.values():
        for name, value in cls.instance_attrs + cls.class_attrs:
            if program.is_lock_value(value):
                names.add(name)
        enter = dict(cls.methods).get("__enter__")
        if enter in program.functions and program.functions[enter].exit_held:
            names.add(cls.name)
    for module in program.modules.values():
        for name, value in module.globals:
            if program.is_lock_value(value):
                names.add(name)
    names |= callback_names(program)
    kinds = program.knowledge.kinds
    names.update("." + n.rpartition(".")[2] for n in kinds if n.rpartition(".")[0] in kinds)  # `self.lock` of a logging.Handler
    for fn in program.functions.values():
        if fn.returns_value is not None and program.is_lock_value(fn.returns_value):
            names.add(fn.name)
        if fn.yield_held and program.is_context_manager(fn):
            names.add(fn.name)
        wrapper = program.functions.get(fn.returns_local) if fn.returns_local else None
        if wrapper is not None and any(isinstance(e, Call) and e.held and e.target.kind == "local" and e.target.name in fn.params for e in wrapper.events):
            names.add(fn.name)
    return names


def callback_names(program: Program) -> Set[str]:
    """Value flow: a file that registers a callback matters even when it says nothing about locks.
    The attributes whose functions are called (or iterated and called) while a lock is held,
    and the functions that store a parameter into one of them (`subscribe(fn)`)."""
    called: Set[str] = set()
    for fn in program.functions.values():
        called |= _called_under_lock(program, fn)
    names = set(called)
    for fn in program.functions.values():
        for flow in fn.flows:
            stores = flow.kind in ("store", "insert", "extend") and flow.dest is not None and flow.dest.attrs and flow.dest.attrs[-1] in called
            if stores and flow.source is not None and flow.source.base in fn.params:
                names.add(fn.cls.rsplit(".", 1)[-1] if fn.name == "__init__" and fn.cls else fn.name)
    return names


def _called_under_lock(program: Program, fn: FunctionSummary) -> Set[str]:
    """Attributes holding functions that fn calls while holding a lock: `self.on_event(...)`,
    `self._handlers[name](...)`, `for cb in self._callbacks: cb()`."""
    found: Set[str] = set()
    locked_locals = {e.target.name for e in fn.events if isinstance(e, Call) and e.held and e.target.kind == "local"}
    for flow in fn.flows:
        if flow.kind == "iterate" and flow.source is not None and flow.source.attrs and flow.dest is not None and flow.dest.base in locked_locals:
            found.add(flow.source.attrs[-1])
    for event in fn.events:
        if not isinstance(event, Call) or not event.held or event.target.receiver is None:
            continue
        if event.target.kind == "method" and not program.is_method_name(event.target.name):
            found.add(event.target.name)
        elif event.target.kind == "element" and event.target.receiver.attrs:
            found.add(event.target.receiver.attrs[-1])
    return found


def _module_of(name: str, modules: Dict[str, str]) -> Optional[str]:
    """The longest module prefix of a qualified name among `modules`."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def _names(program: Program, fn: FunctionSummary) -> List[str]:
    """Qualified names the analysis of fn may need to resolve."""
    names: List[str] = []
    for event in fn.events:
        if isinstance(event, Call) and event.target.kind == "global":
            names.append(event.target.name)
    names.extend(v.callee or "" for _, v in fn.local_values)
    names.extend(v.annotation or "" for _, v in fn.local_values)
    names.extend(t for _, t in fn.param_types)
    names.extend(fn.decorators)
    cls = program.classes.get(fn.cls) if fn.cls else None
    if cls is not None:
        names.extend(cls.bases)
        for _, value in cls.class_attrs + cls.instance_attrs:
            names.extend((value.callee or "", value.annotation or ""))
    return [n for n in names if n and not n.startswith((".", "<", "builtins."))]


def seeds(program: Program, paths: Iterable[str]) -> Set[str]:
    """Functions (in these files) whose calls can matter: they run something while holding
    a lock, lock for their caller, or are the target of a thread that may need one."""
    wanted = set(paths)
    found: Set[str] = set()
    for name, fn in program.functions.items():
        if program.path_of[name] not in wanted:
            continue
        if fn.yield_held or fn.exit_held or any(getattr(event, "held", ()) for event in fn.events):
            found.add(name)
        for _, value in fn.local_values:
            target = dict(value.keywords).get("target") or (value.arg0 if value.callee == ".submit" else None)
            if target is not None and target.attrs and fn.cls:
                method = program.lookup(fn.cls, target.attrs[-1])
                if method:
                    found.add(method)
    for cls in program.classes.values():
        if program.path_of[cls.qualname] in wanted:
            for _, value in cls.instance_attrs:
                target = dict(value.keywords).get("target")
                if target is not None and target.attrs:
                    method = program.lookup(cls.qualname, target.attrs[-1])
                    if method:
                        found.add(method)
    return found


def decorator_modules(program: Program, paths: Iterable[str], unloaded: Dict[str, str]) -> Set[str]:
    """Modules defining the decorators used in these files (a decorator may lock)."""
    wanted = set(paths)
    modules = set()
    for name, fn in program.functions.items():
        if program.path_of[name] in wanted:
            for decorator in fn.decorators:
                module = _module_of(program.resolve(decorator.rstrip("()")), unloaded)
                if module is not None:
                    modules.add(module)
    return modules


def needed_modules(program: Program, functions: Iterable[str], unloaded: Dict[str, str]) -> Set[str]:
    """Modules among `unloaded` (module -> path) that the given functions refer to."""
    wanted: Set[str] = set()
    for name in functions:
        fn = program.functions.get(name)
        if fn is None:
            continue
        for raw in _names(program, fn):
            for candidate in (raw, program.resolve(raw)):
                module = _module_of(candidate, unloaded)
                if module is not None:
                    wanted.add(module)
    for cls in program.classes.values():  # every base class, for method resolution order
        for base in cls.bases:
            module = _module_of(program.resolve(base), unloaded)
            if module is not None:
                wanted.add(module)
    return wanted


def callees(program: Program, functions: Iterable[str]) -> Set[str]:
    return {edge.callee for name in functions if name in program.functions for edge in program.edges_of(name)}
