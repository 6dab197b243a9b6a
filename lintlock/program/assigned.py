"""What the object a lock key names was assigned: its declarations (module globals, class and
instance attributes along the MRO, locals, annotations), with the values made by another
object's method resolved to that method (`self._lock = self._env.make_lock()`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Optional, Tuple, Union

from ..knowledge import Knowledge
from ..model import Call, FunctionSummary, LockPath, Value
from .index import Index
from .types import ObjectTypes

Key = Tuple[str, str, Tuple[str, ...]]  # see program/locks.py


class Assignments:
    def __init__(self, index: Index, types: ObjectTypes, knowledge: Knowledge) -> None:
        self.index = index
        self.types = types
        self.knowledge = knowledge
        self._made: Dict[Tuple[Value, str], Value] = {}  # _made_by_method's answers

    def values_of(self, fn: FunctionSummary, key: Key) -> List[Value]:
        """Every assignment (or declaration) of the object a key names."""
        scope, base, attrs = key
        if scope == "g":
            return self._global_values(base) if not attrs else []
        if not attrs:
            return self._values_of_name(fn, base)
        cls = self.types.class_of_path(fn, LockPath(base, attrs[:-1]))
        if cls is None:
            return self._lock_attribute(self.index.declared_type(fn, base) if len(attrs) == 1 else None, attrs[-1])
        return self._attribute_values(cls, attrs[-1]) or self._lock_attribute(self.lock_class(cls), attrs[-1])

    def _attribute_values(self, cls: str, attr: str) -> List[Value]:
        """The instance declarations of `attr` along cls's MRO, then the class declarations
        (index.attr_values), with the values other objects' methods make resolved."""
        index = self.index
        instance: List[Value] = []
        class_values: List[Value] = []
        for klass in index.mro(cls):
            summary = index.classes[klass]
            instance.extend(self._made_by_method(v, klass) for name, v in summary.instance_attrs if name == attr)
            if not class_values:
                class_values = [self._made_by_method(v, klass) for name, v in summary.class_attrs if name == attr]
        if instance or class_values:  # a subclass the program builds may bind it again (`self._lock = RLock()`)
            for sub in self.built_subclasses(cls):
                instance.extend(self._made_by_method(v, sub) for name, v in index.classes[sub].instance_attrs if name == attr)
        return instance + class_values

    def built_subclasses(self, cls: str) -> List[str]:
        """The subclasses of cls that the program builds: `self` in cls's methods may be one of them."""
        flow = self.types.flow
        built = flow.instantiated()
        return [sub for sub in flow.subclasses(cls) if sub in built]

    def _global_values(self, name: str) -> List[Value]:
        """A module global's assignments, or a class attribute's (then its instance declarations)."""
        index = self.index
        owner, _, member = name.rpartition(".")
        if owner in index.modules:
            return [v for n, v in index.modules[owner].globals if n == member]
        if owner in index.classes:
            instance, class_values, _ = index.attr_values(owner, member)
            return [self._made_by_method(v, owner) for v in class_values + instance]
        return []

    def _values_of_name(self, fn: FunctionSummary, base: str) -> List[Value]:
        """A local's assignments; else the instance when its class is a lock class, or a parameter's annotation."""
        values = [self._made_by_method(v, fn) for name, v in fn.local_values if name == base]
        if not values and fn.cls is not None and base == self.index.self_param(fn):
            lock_class = self.lock_class(fn.cls)  # `self.acquire()` in a subclass of logging.Handler
            values = [Value(callee=lock_class)] if lock_class else []
        return values or [Value(annotation=t) for name, t in fn.param_types if name == base]

    def _made_by_method(self, value: Value, where: Union[str, FunctionSummary]) -> Value:
        """`self._lock = self._env.make_lock()`: the summary says `.make_lock` (a method of some
        object); the call that made it, in `where` (a class's methods, or one function), says
        which object, and that object's class which method. Unresolved: the value as it is."""
        if value.callee is None or not value.method or value.site < 0:
            return value
        place = where.qualname if isinstance(where, FunctionSummary) else where
        made = self._made.get((value, place))
        if made is None:
            made = self._made[(value, place)] = self._made_in([where] if isinstance(where, FunctionSummary) else self._methods(where), value)
        return made

    def _made_in(self, functions: List[FunctionSummary], value: Value) -> Value:
        assert value.callee is not None
        name = value.callee
        # every call of that name before the assignment (one of them made the value) must run the same method
        methods = {self._method_called(fn, call) for fn in functions for call in self.index.calls_of(fn) if call.target.name == name and call.site < value.site}
        method = methods.pop() if len(methods) == 1 else None
        return replace(value, callee=method, method=False) if method is not None else value

    def _method_called(self, fn: FunctionSummary, call: Call) -> Optional[str]:
        cls = self.types.class_of_path(fn, call.target.receiver) if call.target.kind == "method" else None
        return self.index.lookup(cls, call.target.name) if cls is not None else None

    def _methods(self, cls: str) -> List[FunctionSummary]:
        functions = self.index.functions
        return [functions[qualname] for _, qualname in self.index.classes[cls].methods if qualname in functions]

    def lock_class(self, cls: str) -> Optional[str]:
        """The lock class (rules/locks.toml) an in-tree class is or derives from: `class H(logging.Handler)`."""
        kinds = self.knowledge.kinds
        index = self.index
        for klass in index.mro(cls):
            if klass in kinds:
                return klass
            for base in index.classes[klass].bases:
                resolved = index.resolve(base)
                if resolved not in index.classes and resolved in kinds:
                    return resolved
        return None

    def _lock_attribute(self, owner: Optional[str], attr: str) -> List[Value]:
        """`handler.lock`: an attribute the lock table declares on a class outside the tree."""
        name = f"{owner}.{attr}"
        return [Value(callee=name)] if owner is not None and name in self.knowledge.kinds else []
