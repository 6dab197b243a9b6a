"""Locks kept in a container: `self._locks = defaultdict(threading.Lock)`, `{"a": threading.Lock()}`,
`self._locks[name] = threading.Lock()`, taken as `with self._locks[name]:`.

Which lock an element is depends on its key, so only two keys are known to name the same element:
the same literal (`self._locks["meta"]` twice), or the same local name in one function's frame, a
name that the function does not assign (a parameter, a loop variable), passed straight on to the
callee's parameter (`with self._locks[name]: self._put(name)` where `_put` takes
`self._locks[name]`). Anything else (another key, a key computed or assigned) names an unknown
element: never the same lock as another, and not a lock of known kind.

In a `Key`, the element is the last attribute, written `[key]` (no attribute name has brackets);
an element nothing can be said of is `[?]`. A container element has no class-level identity (no
lock order, no wakers): it is only ever compared in one frame, for a self-deadlock (LL101).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from ..knowledge import LockKind
from ..model import FunctionSummary, LockPath, Value
from .assigned import Key
from .index import Index
from .types import ObjectTypes

if TYPE_CHECKING:
    from .locks import Locks

UNKNOWN = "[?]"
_DEFAULT_DICTS = frozenset({"collections.defaultdict"})


def is_element(attr: str) -> bool:
    return attr.startswith("[")


def element_key(fn: FunctionSummary, path: LockPath, max_attrs: int) -> Key:
    """The key of `container[key]` in fn's frame (see the module's doc)."""
    key = path.key or ""
    if key.isidentifier() and key in dict(fn.local_values):
        key = ""  # assigned in the function: which value it holds where the lock is taken is not followed
    marker = f"[{key}]" if key else UNKNOWN
    return ("l", path.base, path.attrs[: max_attrs - 1] + (marker,))


def passed_on(marker: str, callee: FunctionSummary, binding: Dict[str, Optional[LockPath]]) -> Optional[str]:
    """The element marker of the callee's frame, in the caller's: a literal stays, a parameter
    becomes the local name the caller passed for it; None: not known to be the same element."""
    key = marker[1:-1]
    if marker == UNKNOWN:
        return None
    if not key.isidentifier():
        return marker  # a literal
    passed = binding.get(key) if key in callee.params else None
    if passed is None or passed.scope != "local" or passed.attrs or passed.key is not None:
        return None
    return f"[{passed.base}]"


class ElementLocks:
    """The kind of the elements of a container attribute (`self._locks`), when every way an element
    gets there makes the same kind of lock."""

    def __init__(self, index: Index, types: ObjectTypes, locks: Locks) -> None:
        self.index = index
        self.types = types
        self.locks = locks

    def kind(self, fn: FunctionSummary, key: Key) -> Tuple[Optional[LockKind], Optional[bool]]:
        """(kind, reentrant) of the element a key names; (None, None): not known to be a lock."""
        scope, base, attrs = key
        if scope != "l" or attrs[-1] == UNKNOWN or len(attrs) < 2:
            return None, None
        cls = self.types.class_of_path(fn, LockPath(base, attrs[:-2]))
        kinds = self._element_kinds(cls, attrs[-2]) if cls is not None else None
        if not kinds:
            return None, None
        reentrant = {k.reentrant for k in kinds}
        if len(reentrant) != 1 or any(k.counting for k in kinds):
            return None, None
        return kinds[0], reentrant.pop()

    def _element_kinds(self, cls: str, attr: str) -> Optional[List[LockKind]]:
        """The kinds of lock the elements of `cls.attr` are made as, in cls and the subclasses the program
        builds (`self` may be one of them, binding it again); None when one is not a known lock."""
        instance, class_values, _ = self.index.attr_values(cls, attr)
        subclasses = self.locks.assigned.built_subclasses(cls)
        instance = instance + [v for sub in subclasses for name, v in self.index.classes[sub].instance_attrs if name == attr]
        makers: List[str] = []
        for value in instance + class_values:
            made = self._factory(value)
            if made is None:
                return None
            makers.extend(made)
        for klass in [cls] + subclasses:
            inserted = self._inserted(klass, attr)
            if inserted is None:
                return None
            makers.extend(inserted)
        kinds = [self.locks.kind_of(Value(callee=name)) for name in makers]
        return [k for k in kinds if k is not None] if all(k is not None for k in kinds) else None

    def _factory(self, value: Value) -> Optional[List[str]]:
        """What makes the elements, by a container's declaration: the factory of a `defaultdict`;
        nothing for an empty or literal container (elements are inserted: `_inserted`); None: unknown."""
        if value.callee is None or value.method:
            return [] if value.callee is None and value.arg0 is None else None
        callee = self.index.resolve(value.callee)
        if callee in ("builtins.dict", "builtins.list"):
            return [] if value.nargs == 0 else None
        if callee in _DEFAULT_DICTS and value.arg0 is not None and value.arg0.scope == "global":
            return [".".join((value.arg0.base,) + value.arg0.attrs)]
        return None

    def _inserted(self, cls: str, attr: str) -> Optional[List[str]]:
        """What the methods of cls's MRO call to make what they put into `self.attr` (`self._locks[k] =
        threading.Lock()`, setdefault, a literal's elements); None when one puts something else."""
        found: List[str] = []
        for fn, me in self.index.bound_methods(cls):
            for flow in fn.flows:
                if flow.kind in ("insert", "extend") and flow.dest == LockPath(me, (attr,)):
                    if not flow.callee or flow.partial or flow.kind == "extend":
                        return None
                    found.append(flow.callee)
        return found
