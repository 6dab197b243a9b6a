"""Frames: the mutable state of the function (or class body, or module) being
walked, what its names mean, and what it will be summarized as."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

import libcst as cst

from ..model import Call, Decorator, Event, Flow, Held, LockPath, Value
from .held import HeldSet

# (statements of a block, index of the one being walked, the finally block that
# releases for that block: set when the block is the body of a try)
StatementContext = Tuple[Sequence[cst.CSTNode], int, Sequence[cst.CSTNode]]


@dataclass
class ClassState:
    """A class being walked; turned into a ClassSummary."""

    qualname: str
    name: str
    bases: Tuple[str, ...]
    decorators: Tuple[Decorator, ...]
    site: int
    unnamed_base: bool
    methods: Dict[str, str] = field(default_factory=dict)
    class_attrs: List[Tuple[str, Value]] = field(default_factory=list)
    instance_attrs: List[Tuple[str, Value]] = field(default_factory=list)


@dataclass
class Frame:
    """Mutable state of the function being walked; turned into a FunctionSummary."""

    qualname: str
    params: Tuple[str, ...]
    parent: Optional[Frame] = None
    is_module: bool = False
    cls: Optional[ClassState] = None  # set for methods: `self.x = ...` feeds the class
    self_name: Optional[str] = None
    locals: Set[str] = field(default_factory=set)
    aliases: Dict[str, LockPath] = field(default_factory=dict)
    events: List[Event] = field(default_factory=list)
    local_defs: Dict[str, str] = field(default_factory=dict)
    local_values: Dict[str, Value] = field(default_factory=dict)
    yield_held: Optional[HeldSet] = None
    exit_held: Optional[HeldSet] = None
    returns_local: Optional[str] = None
    returns_value: Optional[Value] = None
    returns_count: int = 0
    scoped: List[Held] = field(default_factory=list)  # entries of the enclosing `with` blocks
    released: Set[LockPath] = field(default_factory=set)  # locks this function calls release() on
    param_types: Dict[str, str] = field(default_factory=dict)  # annotated parameters
    param_defaults: Dict[str, str] = field(default_factory=dict)  # parameters whose default names a global (`lock_cls=threading.Lock`)
    node: Optional[cst.FunctionDef] = None  # the def being walked (lintlock.summarize.bindings asks it)
    timed: int = 0  # inside `async with asyncio.timeout(...)` blocks: an await there ends (lintlock.summarize.spawned)
    finished: List[LockPath] = field(default_factory=list)  # tasks known done here (`if task.done():`)
    loops: List[Tuple[LockPath, ...]] = field(default_factory=list)  # objects read by enclosing `while` tests
    finals: List[Sequence[cst.CSTNode]] = field(default_factory=list)  # finally blocks of the enclosing trys
    statements: List[StatementContext] = field(default_factory=list)  # the enclosing statements, innermost last
    free: List[Held] = field(default_factory=list)  # the try-acquires that succeeded on the current path
    is_generator: bool = False  # has `yield`
    pending: Dict[str, Call] = field(default_factory=dict)  # `it = f()`: iterating `it` runs f if f is a generator
    last_call: Optional[Tuple[int, Call]] = None  # (id of the node, event) of the call recorded last
    flows: List[Flow] = field(default_factory=list)  # value-flow facts (lintlock.summarize.facts)

    def _scopes(self) -> Iterator[Frame]:
        """This function, then the functions it is nested in (not the module)."""
        frame: Optional[Frame] = self
        while frame is not None and not frame.is_module:
            yield frame
            frame = frame.parent

    def is_local(self, name: str) -> bool:
        return any(name in frame.locals for frame in self._scopes())

    def alias(self, name: str) -> Optional[LockPath]:
        for frame in self._scopes():
            if name in frame.locals:
                return frame.aliases.get(name)
        return None

    def local_def(self, name: str) -> Optional[str]:
        for frame in self._scopes():
            if name in frame.local_defs:
                return frame.local_defs[name]
            if name in frame.locals:
                return None
        return None


def bind(target: cst.CSTNode, frame: Frame) -> None:
    """A name assigned in a function is local to it (for later lookups), and
    forgets what it meant before."""
    if frame.is_module:
        return
    if isinstance(target, cst.Name):
        frame.locals.add(target.value)
        frame.aliases.pop(target.value, None)
        frame.local_defs.pop(target.value, None)
        frame.local_values.pop(target.value, None)
        frame.pending.pop(target.value, None)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            bind(element.value, frame)
    elif isinstance(target, cst.StarredElement):
        bind(target.value, frame)
