"""Lock identity: which object a lock expression names, what kind of lock it is, and where it is made.

A `Key` names an object in the frame of one function:
  ("g", "pkg.mod.Cache._lock", ())  one object for the whole program
                                    (a module global or a class attribute);
  ("l", "self", ("_lock",))         relative to a parameter or local of that
                                    function; it means the same object in the
                                    caller only when the call passes that object.
A class-level id (`class_id`, "pkg.mod.Cache._lock") names the lock of every
instance at once: lock order (LL102) and wakers (LL103) compare those.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

from ..knowledge import Knowledge, LockKind
from ..model import FunctionSummary, LockPath, Site, Value
from .assigned import Assignments, Key
from .elements import ElementLocks, element_key, is_element
from .index import Index

if TYPE_CHECKING:
    from .handed import Handed, HandedLocks
from .types import ObjectTypes

MAX_ATTRS = 4  # longer attribute paths (through recursion) are dropped
_MAX_DEPTH = 5  # Condition(Condition(...)), factories returning factories
_TAKING = ("acquire", "__enter__", "__aenter__")  # methods that say how a lock is taken


@dataclass(frozen=True)
class LockInfo:
    key: Key
    kind: Optional[LockKind]
    reentrant: Optional[bool]  # None: unknown, never reported as a self-deadlock
    default_of: Optional[Tuple[str, str]] = None  # made by a parameter's default: (function, parameter)


class LockScope(Enum):
    """Where a lock lives, which says how many objects one LockRef stands for."""

    INSTANCE = "instance"  # an attribute of each instance of a class: one lock per instance
    CLASS = "class"  # a class attribute: one object, whatever instance reaches it
    MODULE = "module"  # a module global: one object


@dataclass(frozen=True)
class LockRef:
    """A lock by class-level identity, the same for every instance: what lock order (LL102)
    and wakers (LL103) compare, and what messages and `lintlock graph` name. Same object
    (LL101) is a `Key` in one function's frame; `Locks.ref` turns one into a LockRef."""

    scope: LockScope
    owner: str  # the qualified class or module that declares it
    name: str  # the attribute or global name
    kind: Optional[LockKind]  # None: not known to be a lock
    reentrant: Optional[bool]  # None: unknown (then never reported as a self-deadlock)
    created: Optional[Site]  # where it is made, when a declaration makes a known lock

    @property
    def id(self) -> str:
        """`pkg.mod.Cache._lock`: the string id the rules used before (`class_id`)."""
        return f"{self.owner}.{self.name}"

    @property
    def short(self) -> str:
        """`Cache._lock`, for messages."""
        return f"{self.owner.rsplit('.', 1)[-1]}.{self.name}"


class Locks:
    def __init__(self, index: Index, types: ObjectTypes, knowledge: Knowledge) -> None:
        self.index = index
        self.types = types
        self.knowledge = knowledge
        self.assigned = Assignments(index, types, knowledge)
        self.handed: Optional[HandedLocks] = None  # set once call resolution exists (it needs these keys)
        self.elements = ElementLocks(index, types, self)

    # -- keys -------------------------------------------------------------

    def key_of(self, fn: FunctionSummary, path: LockPath) -> Key:
        index = self.index
        if path.key is not None:
            return element_key(fn, path, MAX_ATTRS)  # `self._locks[name]` (lintlock.program.elements)
        if path.scope == "global":
            return ("g", index.resolve(".".join((path.base,) + path.attrs)), ())
        path = self._handed_back(fn, self._through_properties(fn, path))
        if path.base == index.self_param(fn) and path.attrs and fn.cls is not None:
            instance, _, owner = index.attr_values(fn.cls, path.attrs[0])
            if owner is not None and not instance:
                # a class attribute: one object, whatever instance reaches it
                return ("g", index.resolve(f"{owner}.{path.attrs[0]}"), path.attrs[1:])
        return ("l", path.base, path.attrs[:MAX_ATTRS])

    def _handed_back(self, fn: FunctionSummary, path: LockPath) -> LockPath:
        """`self._flusher._lock` where every `self._flusher` is built as `Flusher(self._lock)` by this
        object's class, and Flusher keeps that argument as `_lock`: the same object as `self._lock`."""
        found = self.handed_back(fn, path)
        return found[0] if found is not None else path

    def handed_back(self, fn: FunctionSummary, path: LockPath) -> Optional[Tuple[LockPath, Site]]:
        """(the path it is the same object as, where the helper is built) for `self._flusher._lock` (see _handed_back)."""
        if len(path.attrs) < 2 or self.handed is None:
            return None
        owner = self.types.class_of_path(fn, LockPath(path.base, path.attrs[:-2]))
        instance, class_values, _ = self.index.attr_values(owner, path.attrs[-2]) if owner is not None else ([], [], None)
        if owner is None or class_values or not instance:
            return None
        kept = {self.handed.kept_argument(value, path.attrs[-1]) for value in instance}
        inner = kept.pop() if len(kept) == 1 else None
        if inner is None:
            return None
        built = Site(self.index.path_of.get(owner) or "", min(v.site for v in instance))
        return LockPath(path.base, path.attrs[:-2] + inner.attrs, path.scope), built

    def _through_properties(self, fn: FunctionSummary, path: LockPath) -> LockPath:
        """`self.lock` where `lock` is a property that returns `self._lock`: the path it returns."""
        for _ in range(3):
            if not path.attrs or path.attrs[-1] not in self.index.properties:
                return path
            prefix = LockPath(path.base, path.attrs[:-1], path.scope)
            returned = self._property_returns(fn, prefix, path.attrs[-1])
            if returned is None:
                return path
            path = LockPath(path.base, prefix.attrs + returned, path.scope)
        return path

    def _property_returns(self, fn: FunctionSummary, prefix: LockPath, name: str) -> Optional[Tuple[str, ...]]:
        """The attributes of its own object that the property `prefix.name` returns (`return self._lock`)."""
        index = self.index
        cls = index.static_class_of_path(fn, prefix)
        getter = index.functions.get(index.lookup(cls, name) or "") if cls is not None else None
        if getter is None or getter.kind != "property" or not getter.params:
            return None
        returns = [f for f in getter.flows if f.kind == "return"]
        source = returns[0].source if len(returns) == 1 else None
        if source is None or source.scope != "local" or source.base != getter.params[0] or not source.attrs:
            return None
        return source.attrs

    def free_keys(self, fn: FunctionSummary, event: object) -> Dict[Key, int]:
        """The locks a try-acquire found free where `event` runs (a thread that held one before
        never gets there), with the site of that try-acquire."""
        found: Dict[Key, int] = {}
        for tried in getattr(event, "free", ()):
            found[self.key_of(fn, tried.lock)] = tried.site
            found[self.canonical(fn, tried.lock).key] = tried.site
        return found

    # -- kinds ------------------------------------------------------------

    def lock_info(self, fn: FunctionSummary, key: Key, depth: int = 0) -> LockInfo:
        """What kind of lock a key is, following Condition(lock) to the lock it wraps."""
        if key[2] and is_element(key[2][-1]):
            return LockInfo(key, *self.elements.kind(fn, key))
        values = self._declared_values(self.assigned.values_of(fn, key))
        kinds = self._kinds(values) if values is not None else None
        if not kinds:
            handed = self.handed_lock(fn, key)  # `self._lock = lock`, every caller passing the same lock
            return LockInfo(key, handed.info.kind, handed.info.reentrant) if handed is not None else LockInfo(key, None, None)
        kind, value = kinds[0]
        if kind.wraps is not None and value.arg0 is not None and depth < _MAX_DEPTH:
            wrapped = self._rebase(fn, key, value.arg0)
            if wrapped is not None:
                return self.lock_info(fn, wrapped, depth + 1)
        return LockInfo(key, kind, _reentrant(kinds), value.default_of)

    def _declared_values(self, values: List[Value]) -> Optional[List[Value]]:
        """`_lock: threading.Lock` says what every assignment holds, unless the annotations
        disagree (a version switch, `if ASYNC: lock: Lock else: ...`): then None, unknown."""
        annotated = [v for v in values if v.annotation is not None]
        declared = [self.kind_of(Value(annotation=v.annotation)) for v in annotated]
        known = [k for k in declared if k is not None]
        if not known:
            return values
        if len(known) != len(declared) or len({(k.reentrant, k.family, k.counting) for k in known}) > 1:
            return None
        return [Value(annotation=next(v.annotation for v, k in zip(annotated, declared) if k is not None))]

    def _kinds(self, values: Sequence[Value]) -> Optional[List[Tuple[LockKind, Value]]]:
        """The kind of every assignment; None when one of them is not a known lock."""
        kinds: List[Tuple[LockKind, Value]] = []
        for value in values:
            if value.callee is None and value.arg0 is None and value.annotation is None:
                continue  # `= None`: not a lock, not another object either
            kind = self.kind_of(value)
            if kind is None:
                return None
            kinds.append((kind, value))
        return kinds

    def _rebase(self, fn: FunctionSummary, key: Key, arg: LockPath) -> Optional[Key]:
        """Condition(x) declared for key: the key of x, in the same frame."""
        if arg.scope == "global":
            return ("g", self.index.resolve(".".join((arg.base,) + arg.attrs)), ())
        if arg.scope == "instance" and key[0] == "l" and key[2]:
            return self.key_of(fn, LockPath(key[1], key[2][:-1] + arg.attrs))
        if arg.scope == "instance" and key[0] == "g":
            return None
        if key[0] == "l" and not key[2]:
            return self.key_of(fn, arg)  # a local Condition(lock) of the same function
        return None

    def canonical(self, fn: FunctionSummary, path: LockPath) -> LockInfo:
        return self.lock_info(fn, self.key_of(fn, path))

    def is_lock_value(self, value: Value) -> bool:
        return self.kind_of(value) is not None

    def kind_of(self, value: Value, depth: int = 0) -> Optional[LockKind]:
        for name in (None if value.method else value.callee, value.annotation):
            found = self._kind_named(name, depth) if name is not None else None
            if found is not None and name == value.callee and value.default_of is not None and self._default_replaced(value.default_of):
                return None  # `lock_cls()` with lock_cls=threading.Lock, and some call may pass another
            if found is not None:
                return found
        return None

    def _takes_its_own_way(self, cls: str, lock_class: str) -> bool:
        """Whether a class of the tree between cls and the lock class it derives from defines how the lock is taken."""
        for klass in self.index.mro(cls):
            summary = self.index.classes.get(klass)
            if klass == lock_class or summary is None:
                return False
            if any(name in _TAKING for name, _ in summary.methods):
                return True
        return False

    def _default_replaced(self, default_of: Tuple[str, str]) -> bool:
        return self.handed is None or self.handed.passed(*default_of)

    def _kind_named(self, name: str, depth: int) -> Optional[LockKind]:
        """The kind of lock a constructor, a lock class's subclass or a factory function makes."""
        kinds = self.knowledge.kinds
        resolved = self.index.resolve(name)
        if resolved in kinds:
            return kinds[resolved]
        if name in kinds:
            return kinds[name]
        lock_class = self.assigned.lock_class(resolved) if resolved in self.index.classes else None
        if lock_class is not None:  # an instance of a subclass of a lock class
            # one that takes the lock its own way (an owner-counting AsyncRLock on asyncio.Lock) may re-enter
            return replace(kinds[lock_class], reentrant=True) if self._takes_its_own_way(resolved, lock_class) else kinds[lock_class]
        factory = self.index.functions.get(resolved)
        if factory is not None and factory.returns_value is not None and depth < _MAX_DEPTH:
            return self.kind_of(factory.returns_value, depth + 1)
        return None

    # -- class-level identity ------------------------------------------------

    def class_id(self, fn: FunctionSummary, key: Key) -> Optional[str]:
        """Class-level identity of an object (`pkg.mod.Cache._lock`), the same for every instance."""
        scope, base, attrs = key
        if scope == "g":
            return base if not attrs else None
        if not attrs or is_element(attrs[-1]):
            return None  # a local, or an element of a container: no identity beyond this call
        cls = self.types.class_of_path(fn, LockPath(base, attrs[:-1]))
        if cls is None:
            return None
        handed = self.handed.attribute(cls, attrs[-1]) if self.handed is not None else None
        if handed is not None:
            return handed.lock_id  # the lock every builder hands over: one id for both classes
        return f"{self.index.declaring_class(cls, attrs[-1])}.{attrs[-1]}"

    def handed_lock(self, fn: FunctionSummary, key: Key) -> Optional[Handed]:
        """`self._lock = lock` where every builder passes the same lock: that lock, and where it is passed."""
        scope, base, attrs = key
        if scope != "l" or not attrs or self.handed is None:
            return None
        cls = self.types.class_of_path(fn, LockPath(base, attrs[:-1]))
        return self.handed.attribute(cls, attrs[-1]) if cls is not None else None

    def ref(self, fn: FunctionSummary, key: Key) -> Optional[LockRef]:
        """The class-level lock a key of fn's frame names (through Condition(lock) to the lock it
        wraps); None when it has no identity beyond this call (a local, a path through an unknown type)."""
        info = self.lock_info(fn, key)
        lock_id = self.class_id(fn, info.key)
        found = self.ref_by_id(lock_id) if lock_id is not None else None
        # the kind as this frame sees it (an annotation, a semaphore's count), not only as declared
        return replace(found, kind=info.kind, reentrant=info.reentrant) if found is not None else None

    def ref_of(self, fn: FunctionSummary, path: LockPath) -> Optional[LockRef]:
        return self.ref(fn, self.key_of(fn, path))

    def ref_by_id(self, lock_id: str) -> Optional[LockRef]:
        """The LockRef of a class-level id (`pkg.mod.Cache._lock`), with its kind as declared."""
        index = self.index
        owner, _, name = lock_id.rpartition(".")
        if owner in index.classes:
            instance, class_values, _ = index.attr_values(owner, name)
            scope = LockScope.INSTANCE if instance or not class_values else LockScope.CLASS
        elif owner in index.modules:
            scope = LockScope.MODULE
        else:
            return None
        created, kind = self.declaration(lock_id)
        reentrant = kind.reentrant if kind is not None and not kind.counting else None
        return LockRef(scope, owner, name, kind, reentrant, created)

    def field_id(self, fn: FunctionSummary, path: LockPath) -> Optional[str]:
        return self.class_id(fn, self.key_of(fn, path))

    def declaration(self, lock_id: str) -> Tuple[Optional[Site], Optional[LockKind]]:
        """Where a class-level lock is created, and its kind."""
        index = self.index
        owner, _, name = lock_id.rpartition(".")
        if owner in index.classes:
            summary = index.classes[owner]
            values = [v for n, v in summary.instance_attrs + summary.class_attrs if n == name]
        elif owner in index.modules:
            values = [v for n, v in index.modules[owner].globals if n == name]
        else:
            return None, None
        path = index.path_of.get(owner) or index.modules[owner].path
        for value in values:
            kind = self.kind_of(value)
            if kind is not None:
                return (Site(path, value.site) if value.site >= 0 else None), kind
        return None, None

    def type_of(self, fn: FunctionSummary, path: LockPath) -> Tuple[Optional[str], Optional[Value]]:
        """(qualified constructor, its Value) of what a path holds, when every assignment agrees."""
        types = set()
        chosen = None
        for value in self.assigned.values_of(fn, self.key_of(fn, path)):
            name = value.callee if value.callee is not None else value.annotation
            if name is None:
                continue
            # `.submit`: what a method of that name returns, as rules/blocking.toml names it
            types.add("." + name if value.method and name == value.callee else self.index.resolve(name))
            chosen = value
        if len(types) != 1:
            return None, None
        return types.pop(), chosen


def _reentrant(kinds: List[Tuple[LockKind, Value]]) -> Optional[bool]:
    """Whether every assignment makes a reentrant lock; None when they differ or cannot tell
    (a semaphore whose count is not 1)."""
    found = set()
    for kind, value in kinds:
        if kind.counting:
            single = value.nargs == 0 or value.int0 == 1
            found.add(None if not single else False)
        else:
            found.add(kind.reentrant)
    return found.pop() if len(found) == 1 else None
