"""Stage 3: link the per-file summaries into one program.

Resolves what summaries left symbolic: imports across modules, base classes
(C3 order), attribute types, lock declarations and their kinds, call targets
(methods, properties, dunders, decorators, nested functions), and then
computes, bottom-up over the strongly connected components of the call graph,
which locks every function may acquire when called (`reach`).

Lock identity is a `Key` in the frame of one function:
  ("g", "pkg.mod.Cache._lock", ())  one object for the whole program
                                    (a module global or a class attribute);
  ("l", "self", ("_lock",))         relative to a parameter or local of that
                                    function; it means the same object in the
                                    caller only when the call passes that object.
A key that cannot be mapped into the caller is dropped: when unsure whether
two locks are the same object, lintlock does not claim they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .knowledge import Knowledge, LockKind, knowledge_for
from .model import (
    Acquire,
    Args,
    Call,
    ClassSummary,
    FunctionSummary,
    Held,
    LockPath,
    ModuleSummary,
    Site,
    Target,
    Value,
)
from .program.valueflow import ValueFlow
from .summarize import SELF

Key = Tuple[str, str, Tuple[str, ...]]
_MAX_ATTRS = 4  # longer attribute paths (through recursion) are dropped
_FALLBACK = {"__format__": "__str__", "__str__": "__repr__"}  # what object's own dunder calls instead
_CONTEXT_MANAGERS = {"contextlib.contextmanager", "contextlib.asynccontextmanager"}


@dataclass(frozen=True)
class LockInfo:
    key: Key
    kind: Optional[LockKind]
    reentrant: Optional[bool]  # None: unknown, never reported as a self-deadlock


@dataclass(frozen=True)
class Hop:
    """How a function reaches an acquisition: directly, or through a call."""

    site: int  # the acquire or the call, in this function's file
    callee: Optional[str] = None  # None: acquired right here
    callee_key: object = None  # the lock in the callee's frame (a Key, or a class-level id)
    text: str = ""  # the lock as written at a direct acquisition


@dataclass(frozen=True)
class Edge:
    callee: str
    binding: Tuple[Tuple[str, Optional[LockPath]], ...]  # callee parameter -> caller object
    site: int
    decorated: Optional[str] = None  # callee is the wrapper a decorator put around this function
    why: str = "direct"  # how the call was resolved: direct, value flow
    origin: Optional[Site] = None  # value flow: where the callee was stored or passed


@dataclass(frozen=True)
class HeldLock:
    """A lock held at an event, in the frame of the function holding it."""

    key: Key
    text: str
    site: Site  # where it was acquired
    how: str = ""  # "acquire" for an explicit acquire(); else how it came to be held ("by its decorator @x")


class Program:
    def __init__(self, modules: Iterable[ModuleSummary], knowledge: Optional[Knowledge] = None) -> None:
        self.knowledge = knowledge if knowledge is not None else knowledge_for()
        self.modules: Dict[str, ModuleSummary] = {}
        self.functions: Dict[str, FunctionSummary] = {}
        self.classes: Dict[str, ClassSummary] = {}
        self.path_of: Dict[str, str] = {}  # function qualname -> file
        for summary in sorted(modules, key=lambda m: m.path):
            self.modules.setdefault(summary.module, summary)
        for summary in self.modules.values():
            for fn in summary.functions:
                self.functions[fn.qualname] = fn
                self.path_of[fn.qualname] = summary.path
            for cls in summary.classes:
                self.classes[cls.qualname] = cls
                self.path_of[cls.qualname] = summary.path
        self.modules_by_path = {m.path: m for m in self.modules.values()}
        self._names: Dict[str, Dict[str, str]] = {}
        for summary in self.modules.values():
            names = dict(summary.names)
            for name, value in summary.globals:
                if value.callee is None and value.arg0 is not None and value.arg0.scope == "global":
                    names[name] = ".".join((value.arg0.base,) + value.arg0.attrs)  # Mutex = threading.Lock
            self._names[summary.module] = names
        self._properties = {f.name for f in self.functions.values() if f.kind in ("property", "setter")}
        self._methods = {name for cls in self.classes.values() for name, _ in cls.methods}
        self._mro: Dict[str, Tuple[str, ...]] = {}
        self._resolved: Dict[str, str] = {}
        self._events_by_site: Dict[str, Dict[int, object]] = {}
        self._edges: Dict[str, List[Edge]] = {}
        self._reach: Optional[Dict[str, Dict[Key, Hop]]] = None
        self._class_reach: Dict[str, Dict[str, Hop]] = {}
        self.flow = ValueFlow(self)

    # The call graph and what each function reaches are computed on first use:
    # while lintlock.demand is still deciding which files to parse, only the
    # edges of a few functions are needed.

    def edges_of(self, name: str) -> List[Edge]:
        edges = self._edges.get(name)
        if edges is None:
            fn = self.functions[name]
            edges = [edge for event in fn.events if isinstance(event, Call) for edge in self.callees(fn, event)]
            self._edges[name] = edges
        return edges

    @property
    def reach(self) -> Dict[str, Dict[Key, Hop]]:
        if self._reach is None:
            self._reach = {}
            self._compute_reach(self._reach)
        return self._reach

    @property
    def class_reach(self) -> Dict[str, Dict[str, Hop]]:
        _ = self.reach  # computes the class table too
        return self._class_reach

    def each_function(self):
        """(qualified name, summary, file) of every function, in a fixed order."""
        for name in sorted(self.functions):
            yield name, self.functions[name], self.path_of[name]

    def is_method_name(self, name: str) -> bool:
        """Some in-tree class defines a method of this name."""
        return name in self._methods

    def short_name(self, qualname: str) -> str:
        """`pkg.mod.Task.delete` -> `Task.delete`, for messages."""
        module = self.modules_by_path[self.path_of[qualname]].module if qualname in self.path_of else ""
        short = qualname[len(module) + 1 :] if module and qualname.startswith(module + ".") else qualname
        return short.replace(".<locals>", "")

    # -- names, classes ---------------------------------------------------

    def resolve(self, name: str, depth: int = 0) -> str:
        """Follow imports and aliases to where a qualified name is defined."""
        cached = self._resolved.get(name)
        if cached is not None:
            return cached
        result = self._resolve(name, depth)
        if depth == 0:
            self._resolved[name] = result
        return result

    def _resolve(self, name: str, depth: int) -> str:
        if name in self.functions or name in self.classes or name in self.modules or depth > 20:
            return name
        owner, _, member = name.rpartition(".")
        if not owner:
            return name
        if owner in self.modules:
            target = self._names[owner].get(member)
            if target is not None and target != name:
                return self.resolve(target, depth + 1)
            return name
        resolved_owner = self.resolve(owner, depth + 1)
        if resolved_owner in self.classes:
            found = self.lookup(resolved_owner, member)
            if found is not None:
                return found
            for klass in self.mro(resolved_owner):
                if any(attr == member for attr, _ in self.classes[klass].class_attrs):
                    return f"{klass}.{member}"
            return f"{resolved_owner}.{member}"
        if resolved_owner != owner:
            return self.resolve(f"{resolved_owner}.{member}", depth + 1)
        return name

    def mro(self, cls: str) -> Tuple[str, ...]:
        cached = self._mro.get(cls)
        if cached is None:
            self._mro[cls] = (cls,)  # guards against cyclic bases while computing
            cached = self._mro[cls] = self._c3(cls)
        return cached

    def _c3(self, cls: str) -> Tuple[str, ...]:
        bases = [b for b in (self.resolve(b) for b in self.classes[cls].bases) if b in self.classes and b != cls]
        sequences = [list(self.mro(b)) for b in bases] + [list(bases)]
        result = [cls]
        while True:
            sequences = [s for s in sequences if s]
            if not sequences:
                return tuple(result)
            for seq in sequences:
                head = seq[0]
                if not any(head in s[1:] for s in sequences):
                    break
            else:  # inconsistent hierarchy: fall back to depth-first order
                for seq in sequences:
                    result.extend(c for c in seq if c not in result)
                return tuple(result)
            result.append(head)
            for s in sequences:
                if s and s[0] == head:
                    del s[0]

    def outside_bases(self, cls: str) -> List[str]:
        """The bases from outside the tree of cls and its in-tree ancestors, in MRO order."""
        found: List[str] = []
        for klass in self.mro(cls):
            for base in self.classes[klass].bases:
                resolved = self.resolve(base)
                if resolved not in self.classes and resolved not in found:
                    found.append(resolved)
        return found

    def lookup(self, cls: str, member: str, start_after: Optional[str] = None) -> Optional[str]:
        """The function `cls.member` resolves to, by MRO."""
        order = self.mro(cls)
        if start_after is not None and start_after in order:
            order = order[order.index(start_after) + 1 :]
        for klass in order:
            for name, qualname in self.classes[klass].methods:
                if name == member:
                    return qualname
        return None

    def _attr_values(self, cls: str, attr: str) -> Tuple[List[Value], List[Value], Optional[str]]:
        """(instance declarations, class declarations, owning class) of `attr` along the MRO."""
        instance: List[Value] = []
        klass_values: List[Value] = []
        owner = None
        for klass in self.mro(cls):
            summary = self.classes[klass]
            instance.extend(v for name, v in summary.instance_attrs if name == attr)
            found = [v for name, v in summary.class_attrs if name == attr]
            if found and owner is None:
                owner = klass
                klass_values = found
        return instance, klass_values, owner

    def class_of_value(self, value: Value) -> Optional[str]:
        for name in (value.callee, value.annotation):
            if name is not None:
                resolved = self.resolve(name)
                if resolved in self.classes:
                    return resolved
        return None

    # -- lock keys --------------------------------------------------------

    def self_param(self, fn: FunctionSummary) -> Optional[str]:
        if fn.cls is not None and fn.kind in ("method", "classmethod", "property", "setter", "deleter") and fn.params:
            return fn.params[0]
        return None

    def key_of(self, fn: FunctionSummary, path: LockPath) -> Key:
        if path.scope == "global":
            return ("g", self.resolve(".".join((path.base,) + path.attrs)), ())
        path = self._through_properties(fn, path)
        if path.base == self.self_param(fn) and path.attrs and fn.cls is not None:
            instance, class_values, owner = self._attr_values(fn.cls, path.attrs[0])
            if owner is not None and not instance:
                # a class attribute: one object, whatever instance reaches it
                return (
                    ("g", self.resolve(f"{owner}.{path.attrs[0]}"), ())
                    if len(path.attrs) == 1
                    else ("g", self.resolve(f"{owner}.{path.attrs[0]}"), path.attrs[1:])
                )
        return ("l", path.base, path.attrs[:_MAX_ATTRS])

    def _through_properties(self, fn: FunctionSummary, path: LockPath) -> LockPath:
        """`self.lock` where `lock` is a property that returns `self._lock`: the path it returns."""
        for _ in range(3):
            if not path.attrs or path.attrs[-1] not in self._properties:
                return path
            prefix = LockPath(path.base, path.attrs[:-1], path.scope)
            cls = self.static_class_of_path(fn, prefix)
            getter = self.functions.get(self.lookup(cls, path.attrs[-1]) or "") if cls is not None else None
            if getter is None or getter.kind != "property" or not getter.params:
                return path
            returns = [f for f in getter.flows if f.kind == "return"]
            source = returns[0].source if len(returns) == 1 else None
            if source is None or source.scope != "local" or source.base != getter.params[0] or not source.attrs:
                return path
            path = LockPath(path.base, prefix.attrs + source.attrs, path.scope)
        return path

    def _values_of(self, fn: FunctionSummary, key: Key) -> List[Value]:
        """Every assignment (or declaration) of the object a key names."""
        scope, base, attrs = key
        if scope == "g":
            if attrs:
                return []
            owner, _, member = base.rpartition(".")
            if owner in self.modules:
                return [v for name, v in self.modules[owner].globals if name == member]
            if owner in self.classes:
                instance, class_values, _ = self._attr_values(owner, member)
                return class_values + instance
            return []
        if not attrs:
            return self._values_of_name(fn, base)
        cls = self.class_of_path(fn, LockPath(base, attrs[:-1]))
        if cls is None:
            return self._lock_attribute(self._declared_type(fn, base) if len(attrs) == 1 else None, attrs[-1])
        instance, class_values, _ = self._attr_values(cls, attrs[-1])
        return instance + class_values or self._lock_attribute(self._lock_class(cls), attrs[-1])

    def _values_of_name(self, fn: FunctionSummary, base: str) -> List[Value]:
        """A local's assignments; else the instance when its class is a lock class, or a parameter's annotation."""
        values = [v for name, v in fn.local_values if name == base]
        if not values and fn.cls is not None and base == self.self_param(fn):
            lock_class = self._lock_class(fn.cls)  # `self.acquire()` in a subclass of logging.Handler
            values = [Value(callee=lock_class)] if lock_class else []
        return values or [Value(annotation=t) for name, t in fn.param_types if name == base]

    def _lock_class(self, cls: str) -> Optional[str]:
        """The lock class (rules/locks.toml) an in-tree class is or derives from: `class H(logging.Handler)`."""
        kinds = self.knowledge.kinds
        for klass in self.mro(cls):
            if klass in kinds:
                return klass
            for base in self.classes[klass].bases:
                resolved = self.resolve(base)
                if resolved not in self.classes and resolved in kinds:
                    return resolved
        return None

    def _lock_attribute(self, owner: Optional[str], attr: str) -> List[Value]:
        """`handler.lock`: an attribute the lock table declares on a class outside the tree."""
        name = f"{owner}.{attr}"
        return [Value(callee=name)] if owner is not None and name in self.knowledge.kinds else []

    def _declared_type(self, fn: FunctionSummary, base: str) -> Optional[str]:
        """The class a parameter is annotated with, or a local is constructed from, in the tree or not."""
        for name, annotation in fn.param_types:
            if name == base:
                return self.resolve(annotation)
        callees = {v.callee for name, v in fn.local_values if name == base}
        callee = callees.pop() if len(callees) == 1 else None
        return self.resolve(callee) if callee and not callee.startswith(".") else None

    def _single_class(self, values: Sequence[Value]) -> Optional[str]:
        classes = {self.class_of_value(v) for v in values if v.callee is not None or v.annotation is not None}
        return classes.pop() if len(classes) == 1 and None not in classes else None

    def _class_of_local(self, fn: FunctionSummary, base: str) -> Optional[str]:
        if base == self.self_param(fn):
            return fn.cls
        for name, annotation in fn.param_types:
            if name == base:
                resolved = self.resolve(annotation)
                return resolved if resolved in self.classes else None
        values = [v for name, v in fn.local_values if name == base]
        if not values and base not in fn.params and fn.parent in self.functions:
            return self._class_of_local(self.functions[fn.parent], base)  # a captured name
        return self._single_class(values)

    def lock_info(self, fn: FunctionSummary, key: Key, depth: int = 0) -> LockInfo:
        """What kind of lock a key is, following Condition(lock) to the lock it wraps."""
        values = self._values_of(fn, key)
        annotated = [v for v in values if v.annotation is not None]
        declared = [self._kind_of(Value(annotation=v.annotation)) for v in annotated]
        known = [k for k in declared if k is not None]
        if known:
            # `_lock: threading.Lock` says what every assignment holds, unless the
            # annotations disagree (a version switch, `if ASYNC: lock: Lock else: ...`)
            if len(known) != len(declared) or len({(k.reentrant, k.family, k.counting) for k in known}) > 1:
                return LockInfo(key, None, None)
            values = [Value(annotation=next(v.annotation for v, k in zip(annotated, declared) if k is not None))]
        kinds: List[Tuple[LockKind, Value]] = []
        for value in values:
            if value.callee is None and value.arg0 is None and value.annotation is None:
                continue  # `= None`: not a lock, not another object either
            kind = self._kind_of(value)
            if kind is None:
                return LockInfo(key, None, None)
            kinds.append((kind, value))
        if not kinds:
            return LockInfo(key, None, None)
        kind, value = kinds[0]
        if kind.wraps is not None and value.arg0 is not None and depth < 5:
            wrapped = self._rebase(fn, key, value.arg0)
            if wrapped is not None:
                return self.lock_info(fn, wrapped, depth + 1)
        reentrant_values = set()
        for kind, value in kinds:
            if kind.counting:
                single = value.nargs == 0 or value.int0 == 1
                reentrant_values.add(None if not single else False)
            else:
                reentrant_values.add(kind.reentrant)
        reentrant = reentrant_values.pop() if len(reentrant_values) == 1 else None
        return LockInfo(key, kind, reentrant)

    def _rebase(self, fn: FunctionSummary, key: Key, arg: LockPath) -> Optional[Key]:
        """Condition(x) declared for key: the key of x, in the same frame."""
        if arg.scope == "global":
            return ("g", self.resolve(".".join((arg.base,) + arg.attrs)), ())
        if arg.base == SELF and key[0] == "l" and key[2]:
            return self.key_of(fn, LockPath(key[1], key[2][:-1] + arg.attrs))
        if arg.base == SELF and key[0] == "g":
            return None
        if key[0] == "l" and not key[2]:
            return self.key_of(fn, arg)  # a local Condition(lock) of the same function
        return None

    def canonical(self, fn: FunctionSummary, path: LockPath) -> LockInfo:
        return self.lock_info(fn, self.key_of(fn, path))

    def is_lock_value(self, value: Value) -> bool:
        return self._kind_of(value) is not None

    def _kind_of(self, value: Value, depth: int = 0) -> Optional[LockKind]:
        kinds = self.knowledge.kinds
        for name in (value.callee, value.annotation):
            if name is None:
                continue
            resolved = self.resolve(name)
            if resolved in kinds:
                return kinds[resolved]
            if name in kinds:
                return kinds[name]
            lock_class = self._lock_class(resolved) if resolved in self.classes else None
            if lock_class is not None:
                return kinds[lock_class]  # an instance of a subclass of a lock class
            factory = self.functions.get(resolved)
            if factory is not None and factory.returns_value is not None and depth < 5:
                found = self._kind_of(factory.returns_value, depth + 1)
                if found is not None:
                    return found
        return None

    # -- calls ------------------------------------------------------------

    def event_at(self, fn: FunctionSummary, site: int):
        table = self._events_by_site.get(fn.qualname)
        if table is None:
            table = self._events_by_site[fn.qualname] = {e.site: e for e in fn.events}  # type: ignore[attr-defined]  # every event has a site; model types events as object
        return table.get(site)

    def callees(self, fn: FunctionSummary, call: Call, overrides: bool = False) -> List[Edge]:
        """The functions a call runs (synchronously), with what it passes them. `overrides`: also
        the overrides of a method in the subclasses the program builds. Only where the call is
        made (never inside `reach`): deeper down, which subclass `self` is depends on the caller,
        and a sibling's override (one BaseThread subclass's on_thread_stop for another's stop())
        is not what runs."""
        resolved = self._resolve_call(fn, call)
        if resolved is None:
            return self._flow_callees(fn, call)
        callee, receiver = resolved
        target = self.functions.get(callee)
        if target is None:
            return []
        if target.is_async and not call.awaited:
            return []  # a coroutine that is not awaited does not run here
        generator = target.is_generator and not self.is_context_manager(target)
        body = Edge(callee, self._bind(target, receiver, call.args), call.site)
        if call.runs == "iterates":  # iterating what an earlier call returned: only a generator's body runs
            return [body] if generator else []
        # calling a generator function runs none of its body (iterating the result does); its wrappers do run
        edges = [] if generator and call.runs == "call" else [body]
        # a decorator's wrapper is a plain function: the receiver is its first argument
        wrapper_args = call.args
        if receiver is not None and target.kind in ("method", "property", "setter"):
            wrapper_args = Args((receiver,) + call.args.positional, call.args.keywords, call.args.starred)
        for wrapper in self.wrappers(target):
            edges.append(Edge(wrapper, self._bind(self.functions[wrapper], None, wrapper_args), call.site, decorated=callee))
        return edges + self._overrides(fn, call, receiver, callee) if overrides else edges

    def _overrides(self, fn: FunctionSummary, call: Call, receiver: Optional[LockPath], callee: str) -> List[Edge]:
        """`self.m()`: the overrides of m in the subclasses of the receiver's class that the program instantiates."""
        if call.target.kind not in ("method", "dunder") or receiver is None or receiver.base == "<new>":
            return []
        cls = self.class_of_path(fn, receiver)
        found: List[str] = []
        for sub in self.flow.subclasses(cls) if cls is not None else ():
            override = self.lookup(sub, call.target.name)
            if override is not None and override != callee and override not in found and sub in self.flow.instantiated():
                found.append(override)
        return [Edge(o, self._bind(self.functions[o], receiver, call.args), call.site, why="override") for o in found]

    def _flow_callees(self, fn: FunctionSummary, call: Call) -> List[Edge]:
        """Edges to what value flow says a call runs (a callback, an object built elsewhere)."""
        if call.target.kind == "global" or call.target.kind == "super" or call.runs == "iterates":
            return []
        edges = []
        for found in self.flow.callees(fn, call):
            target = self.functions.get(found.callee)
            if target is None or (target.is_async and not call.awaited) or (target.is_generator and not self.is_context_manager(target)):
                continue
            receiver = found.receiver if found.receiver is not None else LockPath("<new>")  # bound to an object not named here
            edges.append(Edge(found.callee, self._bind(target, receiver, found.args), call.site, why=found.why, origin=found.origin))
        return edges

    def call_targets(self, fn: FunctionSummary, call: Call) -> List[Tuple[str, Optional[LockPath], str]]:
        """(callee, the object bound to its first parameter, why) of every function a call may run."""
        resolved = self._resolve_call(fn, call)
        if resolved is not None:
            return [(resolved[0], resolved[1], "direct")]
        if call.target.kind in ("global", "super"):
            return []
        return [(r.callee, r.receiver if r.receiver is not None else LockPath("<new>"), r.why) for r in self.flow.callees(fn, call)]

    def _resolve_call(self, fn: FunctionSummary, call: Call) -> Optional[Tuple[str, Optional[LockPath]]]:
        """(callee qualname, the object bound to its first parameter or None)."""
        target: Target = call.target
        if target.kind == "local":
            if target.name in self.functions:
                return target.name, None
            return None
        if target.kind == "super":
            me = self.self_param(fn)
            if fn.cls is None or me is None:
                return None
            found = self.lookup(fn.cls, target.name, start_after=fn.cls)
            return (found, LockPath(me)) if found else None
        if target.kind == "global":
            resolved = self.resolve(target.name)
            if resolved in self.classes:
                init = self.lookup(resolved, "__init__")
                return (init, LockPath("<new>")) if init else None
            if resolved in self.functions:
                return resolved, None
            return None
        receiver = target.receiver
        if target.kind == "attr" and target.name.rstrip("=") not in self._properties:
            return None  # a plain attribute: most reads of self.x, decided without type inference
        if target.kind in ("dunder", "method") and target.name not in self._methods and target.name not in _FALLBACK:
            return None
        cls = self.class_of_path(fn, receiver)
        if cls is None:
            return None
        name = target.name
        if target.kind == "attr":
            setter = name.endswith("=")
            found = self.lookup(cls, name[:-1] + ".setter" if setter else name)
            if found is None or self.functions[found].kind not in ("property", "setter"):
                return None
            return found, receiver
        found = self.lookup(cls, name)
        while found is None and target.kind == "dunder" and name in _FALLBACK and self._closed(cls):
            name = _FALLBACK[name]  # object.__format__ calls __str__, object.__str__ calls __repr__
            found = self.lookup(cls, name)
        if found is None:
            return None
        if self.functions[found].kind == "property":
            return None  # self.prop(...) calls what the property returns
        return found, receiver

    def _closed(self, cls: str) -> bool:
        """Every base of cls is in the tree: no class outside it can define a dunder it lacks."""
        return all(
            self.resolve(base) in self.classes or self.resolve(base) == "builtins.object" for klass in self.mro(cls) for base in self.classes[klass].bases
        )

    def class_of_path(self, fn: FunctionSummary, path: Optional[LockPath]) -> Optional[str]:
        """The in-tree class of the object a path names: its declarations say, else value flow
        when every object that flows there is an instance of that one class."""
        found = self.static_class_of_path(fn, path)
        if found is None and path is not None and path.scope == "local":
            classes = self.flow.classes_of(fn, path)
            found = classes.pop() if len(classes) == 1 else None
        return found

    def static_class_of_path(self, fn: FunctionSummary, path: Optional[LockPath]) -> Optional[str]:
        if path is None or path.scope != "local":
            return None
        cls = self._class_of_local(fn, path.base)
        for attr in path.attrs:
            if cls is None:
                return None
            instance, class_values, _ = self._attr_values(cls, attr)
            cls = self._single_class(instance + class_values)
        return cls

    def _bind(self, callee: FunctionSummary, receiver: Optional[LockPath], args: Args) -> Tuple[Tuple[str, Optional[LockPath]], ...]:
        params = [p for p in callee.params if not p.startswith("*")]
        binding: Dict[str, Optional[LockPath]] = {}
        positional = list(args.positional)
        if callee.kind in ("method", "property", "setter", "deleter", "classmethod") and callee.cls is not None and receiver is not None:
            if params:
                binding[params[0]] = None if callee.kind == "classmethod" or receiver.base == "<new>" else receiver
                params = params[1:]
        for name, value in zip(params, positional):
            binding[name] = value
        if args.starred:
            for name in params[len(positional) :]:
                binding.pop(name, None)
        for name, value in args.keywords:
            if name in callee.params:
                binding[name] = value
        return tuple(sorted(binding.items(), key=lambda item: item[0]))

    def map_key(self, caller: FunctionSummary, edge: Edge, key: Key) -> Optional[Key]:
        """A key of the callee's frame, as seen by the caller; None if it is not the same object there."""
        scope, base, attrs = key
        if scope == "g":
            return key
        callee = self.functions[edge.callee]
        bound = dict(edge.binding)
        if base in callee.params:
            obj = bound.get(base)
            if obj is None:
                return None
            if len(obj.attrs) + len(attrs) > _MAX_ATTRS:
                return None
            return self.key_of(caller, LockPath(obj.base, obj.attrs + attrs, obj.scope))
        if callee.parent is not None and self._shares_closure(caller, callee):
            return self.key_of(caller, LockPath(base, attrs))
        return None

    def _shares_closure(self, caller: FunctionSummary, callee: FunctionSummary) -> bool:
        """The callee's free names mean the same objects in the caller."""
        scope = callee.parent
        name: Optional[str] = caller.qualname
        while name is not None:
            if name == scope:
                return True
            parent = self.functions.get(name)
            name = parent.parent if parent is not None else None
        return False

    def wrappers(self, fn: FunctionSummary) -> List[str]:
        """Inner functions that in-tree decorators put around `fn`."""
        return [w for w in map(self._wrapper_of, fn.decorators) if w is not None]

    def is_context_manager(self, fn: FunctionSummary) -> bool:
        return any(self.resolve(d) in _CONTEXT_MANAGERS for d in fn.decorators)

    # -- reach ------------------------------------------------------------

    def _compute_reach(self, reach: Dict[str, Dict[Key, Hop]]) -> None:
        """reach: locks by key in each function's own frame (same object, for LL101);
        class_reach: locks by class-level identity, through any call (for LL102/LL103)."""
        for component in self._components():
            for name in component:
                fn = self.functions[name]
                direct: Dict[Key, Hop] = {}
                by_class: Dict[str, Hop] = {}
                for event in fn.events:
                    if isinstance(event, Acquire) and event.blocking:
                        info = self.canonical(fn, event.lock)
                        if event.free and info.key in self.free_keys(fn, event):
                            continue  # after a try-acquire of this lock succeeded: no holder of it gets here
                        hop = Hop(event.site, text=event.lock.text())
                        direct.setdefault(info.key, hop)
                        lock_id = self.class_id(fn, info.key) if info.kind is not None else None
                        if lock_id is not None:
                            by_class.setdefault(lock_id, hop)
                reach[name] = direct
                self._class_reach[name] = by_class
            changed = True
            while changed:
                changed = False
                for name in component:
                    fn = self.functions[name]
                    mine = reach[name]
                    mine_by_class = self._class_reach[name]
                    for edge in self.edges_of(name):
                        free = self.free_keys(fn, self.event_at(fn, edge.site))
                        for key in list(reach.get(edge.callee, {})):
                            mapped = self.map_key(fn, edge, key)
                            if mapped is not None and mapped not in mine and mapped not in free:
                                mine[mapped] = Hop(edge.site, edge.callee, key)
                                changed = True
                        for lock_id in list(self._class_reach.get(edge.callee, {})):
                            if lock_id not in mine_by_class:
                                mine_by_class[lock_id] = Hop(edge.site, edge.callee, lock_id)
                                changed = True

    def free_keys(self, fn: FunctionSummary, event) -> Dict[Key, int]:
        """The locks a try-acquire found free where `event` runs (a thread that held one before
        never gets there), with the site of that try-acquire."""
        found: Dict[Key, int] = {}
        for tried in getattr(event, "free", ()):
            found[self.key_of(fn, tried.lock)] = tried.site
            found[self.canonical(fn, tried.lock).key] = tried.site
        return found

    def class_id(self, fn: FunctionSummary, key: Key) -> Optional[str]:
        """Class-level identity of an object (`pkg.mod.Cache._lock`), the same for every instance."""
        scope, base, attrs = key
        if scope == "g":
            return base if not attrs else None
        if not attrs:
            return None  # a local: no identity beyond this call
        cls = self.class_of_path(fn, LockPath(base, attrs[:-1]))
        if cls is None:
            return None
        for klass in self.mro(cls):
            summary = self.classes[klass]
            if any(name == attrs[-1] for name, _ in summary.instance_attrs) or any(name == attrs[-1] for name, _ in summary.class_attrs):
                return f"{klass}.{attrs[-1]}"
        return f"{cls}.{attrs[-1]}"

    def declaration(self, lock_id: str) -> Tuple[Optional[Site], Optional[LockKind]]:
        """Where a class-level lock is created, and its kind."""
        owner, _, name = lock_id.rpartition(".")
        if owner in self.classes:
            summary = self.classes[owner]
            values = [v for n, v in summary.instance_attrs + summary.class_attrs if n == name]
        elif owner in self.modules:
            values = [v for n, v in self.modules[owner].globals if n == name]
        else:
            return None, None
        path = self.path_of.get(owner) or self.modules[owner].path
        for value in values:
            kind = self._kind_of(value)
            if kind is not None:
                return (Site(path, value.site) if value.site >= 0 else None), kind
        return None, None

    def field_id(self, fn: FunctionSummary, path: LockPath) -> Optional[str]:
        return self.class_id(fn, self.key_of(fn, path))

    def type_of(self, fn: FunctionSummary, path: LockPath) -> Tuple[Optional[str], Optional[Value]]:
        """(qualified constructor, its Value) of what a path holds, when every assignment agrees."""
        values = self._values_of(fn, self.key_of(fn, path))
        types = set()
        chosen = None
        for value in values:
            name = value.callee if value.callee is not None else value.annotation
            if name is None:
                continue
            types.add(name if name.startswith(".") else self.resolve(name))
            chosen = value
        if len(types) != 1:
            return None, None
        return types.pop(), chosen

    def held_ids(self, fn: FunctionSummary, held: Sequence[Held]) -> Dict[str, HeldLock]:
        """Known locks held, by class-level identity."""
        result: Dict[str, HeldLock] = {}
        for lock in self.entry_held(fn) + self.held_locks(fn, held):
            info = self.lock_info(fn, lock.key)
            if info.kind is None:
                continue
            lock_id = self.class_id(fn, info.key)
            if lock_id is not None:
                result.setdefault(lock_id, lock)
        return result

    def class_chain(self, fn_name: str, lock_id: str) -> List[Tuple[str, Hop]]:
        """The hops from fn to an acquisition of the class-level lock (LL102, LL103)."""
        return self._hops(self.class_reach, fn_name, lock_id)

    def _components(self) -> List[List[str]]:
        """Strongly connected components, callees before callers (iterative Tarjan)."""
        index: Dict[str, int] = {}
        low: Dict[str, int] = {}
        on_stack: Dict[str, bool] = {}
        stack: List[str] = []
        result: List[List[str]] = []
        successors: Dict[str, List[str]] = {}
        counter = 0
        for root in sorted(self.functions):
            if root in index:
                continue
            work = [(root, 0)]
            while work:
                node, i = work.pop()
                if i == 0:
                    index[node] = low[node] = counter
                    counter += 1
                    stack.append(node)
                    on_stack[node] = True
                succ = successors.get(node)
                if succ is None:
                    succ = successors[node] = [e.callee for e in self.edges_of(node)]
                if i < len(succ):
                    work.append((node, i + 1))
                    nxt = succ[i]
                    if nxt not in index:
                        work.append((nxt, 0))
                    elif on_stack.get(nxt):
                        low[node] = min(low[node], index[nxt])
                    continue
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack[top] = False
                        component.append(top)
                        if top == node:
                            break
                    result.append(sorted(component))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
        return result

    def chain(self, fn_name: str, key: Key) -> List[Tuple[str, Hop]]:
        """The hops from fn to the acquisition of key: [(function, hop), ...]."""
        return self._hops(self.reach, fn_name, key)

    @staticmethod
    def _hops(table: Dict[str, Dict], fn_name: str, key: object) -> List[Tuple[str, Hop]]:
        hops: List[Tuple[str, Hop]] = []
        seen = set()
        while (fn_name, key) not in seen:
            seen.add((fn_name, key))
            hop = table.get(fn_name, {}).get(key)
            if hop is None:
                break
            hops.append((fn_name, hop))
            if hop.callee is None:
                break
            fn_name, key = hop.callee, hop.callee_key
        return hops

    # -- held locks -------------------------------------------------------

    def held_locks(self, fn: FunctionSummary, held: Sequence[Held]) -> List[HeldLock]:
        """The locks (by key in fn's frame) that the held entries of an event stand for."""
        path = self.path_of[fn.qualname]
        result: List[HeldLock] = []
        for entry in held:
            if entry.how == "acquire" and entry.lock not in fn.released and fn.name not in ("__enter__", "__aenter__"):
                # acquire() with no release() in this function: the lock is handed
                # to another thread, which releases it (a signal, not a mutex)
                continue
            if entry.lock is not None:
                # `with obj:` where obj's class acquires in __enter__
                cls = self.class_of_path(fn, entry.lock)
                enter = (self.lookup(cls, "__enter__") or self.lookup(cls, "__aenter__")) if cls else None
                if enter is not None:
                    edge = Edge(enter, self._bind(self.functions[enter], entry.lock, Args()), entry.site)
                    result.extend(self._held_through(fn, edge, self.functions[enter].exit_held, entry))
                else:  # a lock, or an object whose kind only a caller's frame may know
                    how = "acquire" if entry.how == "acquire" else ""
                    result.append(HeldLock(self.canonical(fn, entry.lock).key, entry.lock.text(), Site(path, entry.site), how))
            elif entry.via_call is not None:
                call = self.event_at(fn, entry.via_call)
                if not isinstance(call, Call):
                    continue
                for edge in self.callees(fn, call):
                    callee = self.functions[edge.callee]
                    if self.is_context_manager(callee):
                        result.extend(self._held_through(fn, edge, callee.yield_held, entry))
        return result

    def _held_through(self, fn: FunctionSummary, edge: Edge, held: Sequence[Held], entry: Held) -> List[HeldLock]:
        callee = self.functions[edge.callee]
        path = self.path_of[fn.qualname]
        result = []
        for inner in self.held_locks(callee, held) if callee is not fn else ():
            mapped = self.map_key(fn, edge, inner.key)
            if mapped is not None:
                result.append(HeldLock(mapped, inner.text, Site(path, entry.site), how=f"through {callee.name}()"))
        return result

    def entry_held(self, fn: FunctionSummary) -> List[HeldLock]:
        """Locks a decorator's wrapper holds while it runs the decorated body."""
        result: List[HeldLock] = []
        for deco, wrapper_name in zip(fn.decorators, map(self._wrapper_of, fn.decorators)):
            if wrapper_name is None:
                continue
            wrapper = self.functions[wrapper_name]
            decorator = self.functions[wrapper.parent] if wrapper.parent in self.functions else None
            if decorator is None:
                continue
            for event in wrapper.events:
                if not (isinstance(event, Call) and event.target.kind == "local" and event.target.name in decorator.params):
                    continue
                # wrapper(self, ...) calls fn(self, ...): map the wrapper's frame onto fn's
                reverse: Dict[str, LockPath] = {}
                for param, obj in zip([p for p in fn.params if not p.startswith("*")], event.args.positional):
                    if obj is not None and obj.scope == "local" and not obj.attrs:
                        reverse[obj.base] = LockPath(param)
                for inner in self.held_locks(wrapper, event.held):
                    scope, base, attrs = inner.key
                    if scope == "g":
                        mapped: Optional[Key] = inner.key
                    elif base in reverse:
                        mapped = self.key_of(fn, LockPath(reverse[base].base, attrs))
                    else:
                        mapped = None
                    if mapped is not None:
                        name = deco.rsplit(".", 1)[-1]
                        result.append(HeldLock(mapped, inner.text, Site(self.path_of[fn.qualname], fn.site), how=f"by its decorator @{name}"))
        return result

    def _wrapper_of(self, deco: str) -> Optional[str]:
        decorator = self.functions.get(self.resolve(deco))
        if decorator is not None and decorator.returns_local in self.functions:
            return decorator.returns_local
        return None
