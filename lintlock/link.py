"""Stage 3: link the per-file summaries into one program.

`Program` composes the parts of lintlock/program/, each with one job:
  index      definitions: modules, classes, functions, names, MRO, member lookup
  valueflow  what functions and objects a name, an attribute or a container may hold
  types      the in-tree class of the object a path names
  assigned   what the object a lock key names was assigned
  locks      lock identity: keys, kinds, class-level ids, LockRef, where a lock is made
  elements   locks kept in a container (`self._locks[name]`): which element, of which kind
  handed     locks handed over and stored: the lock every builder passes
  calls      call resolution (direct, method, super, dunder, property, decorator,
             override, value flow), with the reason
  reach      which locks a function may acquire, and which are held at an event
  passed     locks passed as arguments: what a call takes, and in which order, through them

The members below are the rules' view of the program; they delegate to those parts.
When unsure whether two locks are the same object, lintlock does not claim they are.
"""

from __future__ import annotations

from typing import Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple

from .knowledge import Knowledge, LockKind, knowledge_for
from .model import Acquire, Call, Event, FunctionSummary, Held, LockPath, ModuleSummary, Site, Value
from .program.calls import Calls, CallTarget, Edge, Receiver
from .program.handed import Handed, HandedLocks
from .program.index import Index
from .program.locks import Key, LockInfo, LockRef, Locks, LockScope
from .program.passed import PassedLock, PassedLocks, PassedOrder
from .program.reach import HeldLock, Hop, Reach
from .program.types import ObjectTypes
from .program.valueflow import ValueFlow

__all__ = ["CallTarget", "Edge", "Handed", "HeldLock", "Hop", "Key", "LockInfo", "LockRef", "LockScope", "PassedLock", "PassedOrder", "Program", "Receiver"]


class Program:
    def __init__(self, modules: Iterable[ModuleSummary], knowledge: Optional[Knowledge] = None) -> None:
        self.knowledge = knowledge if knowledge is not None else knowledge_for()
        self.index = Index(modules)
        self.modules = self.index.modules
        self.functions = self.index.functions
        self.classes = self.index.classes
        self.path_of = self.index.path_of
        self.modules_by_path = self.index.modules_by_path
        self.flow = ValueFlow(self)
        self.types = ObjectTypes(self.index, self.flow)
        self.locks = Locks(self.index, self.types, self.knowledge)
        self.calls = Calls(self.index, self.types, self.locks, self.flow)
        self.handed = self.locks.handed = HandedLocks(self.index, self.locks, self.calls)
        self.reachability = Reach(self.index, self.locks, self.calls)
        self.passed = PassedLocks(self.index, self.locks, self.calls, self.reachability)

    # -- definitions (program/index.py) -------------------------------------

    def each_function(self) -> Iterator[Tuple[str, FunctionSummary, str]]:
        """(qualified name, summary, file) of every function, in a fixed order."""
        return self.index.each_function()

    def is_method_name(self, name: str) -> bool:
        return self.index.is_method_name(name)

    def short_name(self, qualname: str) -> str:
        return self.index.short_name(qualname)

    def resolve(self, name: str, depth: int = 0) -> str:
        return self.index.resolve(name, depth)

    def mro(self, cls: str) -> Tuple[str, ...]:
        return self.index.mro(cls)

    def outside_bases(self, cls: str) -> List[str]:
        return self.index.outside_bases(cls)

    def lookup(self, cls: str, member: str, start_after: Optional[str] = None) -> Optional[str]:
        return self.index.lookup(cls, member, start_after)

    def class_of_value(self, value: Value) -> Optional[str]:
        return self.index.class_of_value(value)

    def self_param(self, fn: FunctionSummary) -> Optional[str]:
        return self.index.self_param(fn)

    def event_at(self, fn: FunctionSummary, site: int) -> Optional[Event]:
        return self.index.event_at(fn, site)

    def wrappers(self, fn: FunctionSummary) -> List[str]:
        return self.index.wrappers(fn)

    def is_context_manager(self, fn: FunctionSummary) -> bool:
        return self.index.is_context_manager(fn)

    def static_class_of_path(self, fn: FunctionSummary, path: Optional[LockPath]) -> Optional[str]:
        return self.index.static_class_of_path(fn, path)

    def class_of_path(self, fn: FunctionSummary, path: Optional[LockPath]) -> Optional[str]:
        return self.types.class_of_path(fn, path)

    # -- lock identity (program/locks.py) -------------------------------------

    def key_of(self, fn: FunctionSummary, path: LockPath) -> Key:
        return self.locks.key_of(fn, path)

    def lock_info(self, fn: FunctionSummary, key: Key, depth: int = 0) -> LockInfo:
        return self.locks.lock_info(fn, key, depth)

    def canonical(self, fn: FunctionSummary, path: LockPath) -> LockInfo:
        return self.locks.canonical(fn, path)

    def is_lock_value(self, value: Value) -> bool:
        return self.locks.is_lock_value(value)

    def free_keys(self, fn: FunctionSummary, event: object) -> Dict[Key, int]:
        return self.locks.free_keys(fn, event)

    def class_id(self, fn: FunctionSummary, key: Key) -> Optional[str]:
        return self.locks.class_id(fn, key)

    def field_id(self, fn: FunctionSummary, path: LockPath) -> Optional[str]:
        return self.locks.field_id(fn, path)

    def lock_ref(self, fn: FunctionSummary, path: LockPath) -> Optional[LockRef]:
        """The lock a path names in fn, by class-level identity (None: no identity beyond this call)."""
        return self.locks.ref_of(fn, path)

    def lock_ref_of_key(self, fn: FunctionSummary, key: Key) -> Optional[LockRef]:
        return self.locks.ref(fn, key)

    def handed_lock(self, fn: FunctionSummary, path: LockPath) -> Optional[Handed]:
        """`self._lock` stored from a parameter, every builder passing the same lock: that lock
        (`.lock_id`, `.info`) and the first call that hands it over (`.passed_at`), for messages."""
        return self.locks.handed_lock(fn, self.locks.key_of(fn, path))

    def kept_parameter(self, cls: str, attr: str) -> Optional[Tuple[Tuple[str, ...], str]]:
        """(cls's __init__ parameters, the one kept) when `self.attr = param` in __init__ is every
        assignment of `attr`: an object of cls keeps there what its builder passed."""
        return self.handed.kept_parameter(cls, attr)

    def lock_ref_by_id(self, lock_id: str) -> Optional[LockRef]:
        """The LockRef of a class-level id (`class_id`, `field_id`, `held_ids`' keys)."""
        return self.locks.ref_by_id(lock_id)

    def declaration(self, lock_id: str) -> Tuple[Optional[Site], Optional[LockKind]]:
        return self.locks.declaration(lock_id)

    def type_of(self, fn: FunctionSummary, path: LockPath) -> Tuple[Optional[str], Optional[Value]]:
        return self.locks.type_of(fn, path)

    # -- calls (program/calls.py) --------------------------------------------

    def edges_of(self, name: str) -> List[Edge]:
        return self.calls.edges_of(name)

    def callees(self, fn: FunctionSummary, call: Call, overrides: bool = False) -> List[Edge]:
        return self.calls.callees(fn, call, overrides)

    def targets(self, fn: FunctionSummary, call: Call) -> List[CallTarget]:
        """Every function a call may run, with the object bound to its first parameter."""
        return self.calls.targets(fn, call)

    def acquire_callees(self, fn: FunctionSummary, event: Acquire) -> List[Edge]:
        """`self._gate.acquire()` where Gate is an in-tree wrapper: the call of Gate.acquire it is
        (what it takes is in `reach`/`class_reach` of the callee); [] for a plain lock."""
        edge = self.reachability.acquire_edge(fn, event)
        return [edge] if edge is not None else []

    def map_key(self, caller: FunctionSummary, edge: Edge, key: Key) -> Optional[Key]:
        return self.calls.map_key(caller, edge, key)

    # -- reachability (program/reach.py) ---------------------------------------

    def reach_of(self, name: str) -> Mapping[Key, Hop]:
        """The locks a function may acquire when called, by key in its frame (worked out on demand)."""
        return self.reachability.locks_of(name)

    def class_reach_of(self, name: str) -> Mapping[str, Hop]:
        """The locks a function may acquire when called, by class-level identity."""
        return self.reachability.class_locks_of(name)

    @property
    def reach(self) -> Dict[str, Dict[Key, Hop]]:
        """`reach_of` every function: works out the whole program (rules ask `reach_of`)."""
        return self.reachability.reach

    @property
    def class_reach(self) -> Dict[str, Dict[str, Hop]]:
        """`class_reach_of` every function: works out the whole program."""
        return self.reachability.class_reach

    def chain(self, fn_name: str, key: Key) -> List[Tuple[str, Hop]]:
        return self.reachability.chain(fn_name, key)

    def class_chain(self, fn_name: str, lock_id: str) -> List[Tuple[str, Hop]]:
        return self.reachability.class_chain(fn_name, lock_id)

    def held_locks(self, fn: FunctionSummary, held: Sequence[Held]) -> List[HeldLock]:
        return self.reachability.held_locks(fn, held)

    def entry_held(self, fn: FunctionSummary) -> List[HeldLock]:
        return self.reachability.entry_held(fn)

    def held_ids(self, fn: FunctionSummary, held: Sequence[Held]) -> Dict[str, HeldLock]:
        return self.reachability.held_ids(fn, held)

    # -- locks passed as arguments (program/passed.py) ---------------------------

    def may_pass(self, call: Call) -> bool:
        """Whether a call can hand its callee an object of the caller's other than as its receiver,
        decided without resolving it (else `taken_through` and `orders_through` find nothing)."""
        return self.passed.may_pass(call)

    def taken_through(self, fn: FunctionSummary, edge: Edge) -> List[PassedLock]:
        """The locks a call takes through the objects it passes (`transfer(self._a, self._b)`),
        by class-level identity; those the callee takes by itself are in `class_reach`."""
        return self.passed.taken_through(fn, edge)

    def orders_through(self, fn: FunctionSummary, edge: Edge) -> List[PassedOrder]:
        """The pairs of locks a call takes one inside the other through the objects it passes."""
        return self.passed.orders_through(fn, edge)
