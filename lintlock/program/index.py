"""The definitions of the whole program: modules, classes, functions, where each lives,
what a qualified name resolves to (imports, aliases), class order (C3) and member lookup,
and the declared class of an object a path names. Nothing here follows values.
"""

from __future__ import annotations

from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from ..model import Call, ClassSummary, Decorator, Event, FunctionSummary, LockPath, ModuleSummary, Value

_CONTEXT_MANAGERS = {"contextlib.contextmanager", "contextlib.asynccontextmanager"}
_BOUND_KINDS = ("method", "classmethod", "property", "setter", "deleter")  # their first parameter is the receiver


class Index:
    def __init__(self, modules: Iterable[ModuleSummary]) -> None:
        self.modules: Dict[str, ModuleSummary] = {}
        self.functions: Dict[str, FunctionSummary] = {}
        self.classes: Dict[str, ClassSummary] = {}
        self.path_of: Dict[str, str] = {}  # function or class qualname -> file
        for summary in sorted(modules, key=lambda m: m.path):
            self.modules.setdefault(summary.module, summary)
        for summary in self.modules.values():
            self._add_module(summary)
        self.modules_by_path = {m.path: m for m in self.modules.values()}
        self._names = {summary.module: _module_names(summary) for summary in self.modules.values()}
        self.properties = {f.name for f in self.functions.values() if f.kind in ("property", "setter")}
        self.method_names = {name for cls in self.classes.values() for name, _ in cls.methods}
        self._mro: Dict[str, Tuple[str, ...]] = {}
        self._resolved: Dict[str, str] = {}
        self._events_by_site: Dict[str, Dict[int, Event]] = {}
        # static_class_of_path's answers, asked again and again (by value flow for each fact it
        # applies): keyed by the summary's identity, which the value keeps alive
        self._static_classes: Dict[Tuple[int, str, Tuple[str, ...]], Tuple[FunctionSummary, Optional[str]]] = {}

    def _add_module(self, summary: ModuleSummary) -> None:
        for fn in summary.functions:
            self.functions[fn.qualname] = fn
            self.path_of[fn.qualname] = summary.path
        for cls in summary.classes:
            self.classes[cls.qualname] = cls
            self.path_of[cls.qualname] = summary.path

    def each_function(self) -> Iterator[Tuple[str, FunctionSummary, str]]:
        """(qualified name, summary, file) of every function, in a fixed order."""
        for name in sorted(self.functions):
            yield name, self.functions[name], self.path_of[name]

    def short_name(self, qualname: str) -> str:
        """`pkg.mod.Task.delete` -> `Task.delete`, for messages."""
        module = self.modules_by_path[self.path_of[qualname]].module if qualname in self.path_of else ""
        short = qualname[len(module) + 1 :] if module and qualname.startswith(module + ".") else qualname
        return short.replace(".<locals>", "")

    def event_at(self, fn: FunctionSummary, site: int) -> Optional[Event]:
        """The event (acquire, call, await) at a site of fn."""
        table = self._events_by_site.get(fn.qualname)
        if table is None:
            table = self._events_by_site[fn.qualname] = {e.site: e for e in fn.events}
        return table.get(site)

    # -- names ------------------------------------------------------------

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
            return self._class_member(resolved_owner, member)
        if resolved_owner != owner:
            return self.resolve(f"{resolved_owner}.{member}", depth + 1)
        return name

    def _class_member(self, cls: str, member: str) -> str:
        """`Cls.member`: the method it finds by MRO, else the class declaring the attribute."""
        found = self.lookup(cls, member)
        if found is not None:
            return found
        for klass in self.mro(cls):
            if any(attr == member for attr, _ in self.classes[klass].class_attrs):
                return f"{klass}.{member}"
        return f"{cls}.{member}"

    # -- classes ----------------------------------------------------------

    def mro(self, cls: str) -> Tuple[str, ...]:
        cached = self._mro.get(cls)
        if cached is None:
            self._mro[cls] = (cls,)  # guards against cyclic bases while computing
            bases = [b for b in (self.resolve(b) for b in self.classes[cls].bases) if b in self.classes and b != cls]
            cached = self._mro[cls] = _c3_merge(cls, [list(self.mro(b)) for b in bases] + [list(bases)])
        return cached

    def outside_bases(self, cls: str) -> List[str]:
        """The bases from outside the tree of cls and its in-tree ancestors, in MRO order."""
        found: List[str] = []
        for klass in self.mro(cls):
            for base in self.classes[klass].bases:
                resolved = self.resolve(base)
                if resolved not in self.classes and resolved not in found:
                    found.append(resolved)
        return found

    def closed(self, cls: str) -> bool:
        """Every base of cls is in the tree: no class outside it can define a dunder it lacks."""
        return all(
            not self.classes[klass].unnamed_base
            and all(self.resolve(base) in self.classes or self.resolve(base) == "builtins.object" for base in self.classes[klass].bases)
            for klass in self.mro(cls)
        )

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

    def attr_values(self, cls: str, attr: str) -> Tuple[List[Value], List[Value], Optional[str]]:
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

    def declaring_class(self, cls: str, attr: str) -> str:
        """The class along cls's MRO that declares `attr` (cls itself when none does)."""
        for klass in self.mro(cls):
            summary = self.classes[klass]
            if any(name == attr for name, _ in summary.instance_attrs) or any(name == attr for name, _ in summary.class_attrs):
                return klass
        return cls

    def class_of_value(self, value: Value) -> Optional[str]:
        for name in (None if value.method else value.callee, value.annotation):
            if name is not None:
                resolved = self.resolve(name)
                if resolved in self.classes:
                    return resolved
        return None

    # -- functions --------------------------------------------------------

    def self_param(self, fn: FunctionSummary) -> Optional[str]:
        if fn.cls is not None and fn.kind in _BOUND_KINDS and fn.params:
            return fn.params[0]
        return None

    def bound_methods(self, cls: str) -> Iterator[Tuple[FunctionSummary, str]]:
        """The methods along cls's MRO that take the instance, each with its `self` parameter's name."""
        for klass in self.mro(cls):
            for _, qualname in self.classes[klass].methods:
                fn = self.functions.get(qualname)
                me = self.self_param(fn) if fn is not None else None
                if fn is not None and me is not None:
                    yield fn, me

    def is_method_name(self, name: str) -> bool:
        """Some in-tree class defines a method of this name."""
        return name in self.method_names

    def is_context_manager(self, fn: FunctionSummary) -> bool:
        return any(self.resolve(name) in _CONTEXT_MANAGERS for name in _applied(fn.decorators))

    def wrappers(self, fn: FunctionSummary) -> List[str]:
        """Inner functions that in-tree decorators put around `fn`."""
        return [w for w in map(self.wrapper_of, fn.decorators) if w is not None]

    def wrapper_of(self, deco: Decorator) -> Optional[str]:
        """The inner function an in-tree decorator returns (`return wrapper`), if it is one."""
        name = deco.applied()
        decorator = self.functions.get(self.resolve(name)) if name is not None else None
        if decorator is not None and decorator.returns_local in self.functions:
            return decorator.returns_local
        return None

    def shares_closure(self, caller: FunctionSummary, callee: FunctionSummary) -> bool:
        """The callee's free names mean the same objects in the caller."""
        scope = callee.parent
        name: Optional[str] = caller.qualname
        while name is not None:
            if name == scope:
                return True
            parent = self.functions.get(name)
            name = parent.parent if parent is not None else None
        return False

    def calls_of(self, fn: FunctionSummary) -> List[Call]:
        return [event for event in fn.events if isinstance(event, Call)]

    # -- declared classes of objects --------------------------------------

    def static_class_of_path(self, fn: FunctionSummary, path: Optional[LockPath]) -> Optional[str]:
        """The in-tree class of the object a path names, by what its declarations say."""
        if path is None or path.scope != "local":
            return None
        key = (id(fn), path.base, path.attrs)
        known = self._static_classes.get(key)
        if known is not None and known[0] is fn:
            return known[1]
        cls = self._class_of_local(fn, path.base)
        for attr in path.attrs:
            if cls is None:
                break
            instance, class_values, _ = self.attr_values(cls, attr)
            cls = self.single_class(instance + class_values)
        self._static_classes[key] = (fn, cls)
        return cls

    def single_class(self, values: Sequence[Value]) -> Optional[str]:
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
        return self.single_class(values)

    def declared_type(self, fn: FunctionSummary, base: str) -> Optional[str]:
        """The class a parameter is annotated with, or a local is constructed from, in the tree or not."""
        for name, annotation in fn.param_types:
            if name == base:
                return self.resolve(annotation)
        callees = {(v.callee, v.method) for name, v in fn.local_values if name == base}
        callee, method = callees.pop() if len(callees) == 1 else (None, False)
        return self.resolve(callee) if callee and not method else None


def _module_names(summary: ModuleSummary) -> Dict[str, str]:
    """What each module-level name of a module stands for (imports, and aliases like `Mutex = threading.Lock`)."""
    names = dict(summary.names)
    for name, value in summary.globals:
        if value.callee is None and value.arg0 is not None and value.arg0.scope == "global":
            names[name] = ".".join((value.arg0.base,) + value.arg0.attrs)
    return names


def _c3_merge(cls: str, sequences: List[List[str]]) -> Tuple[str, ...]:
    """cls, then the C3 merge of its bases' orders; an inconsistent hierarchy falls back to depth-first order."""
    result = [cls]
    while True:
        sequences = [s for s in sequences if s]
        if not sequences:
            return tuple(result)
        head = _c3_head(sequences)
        if head is None:
            for seq in sequences:
                result.extend(c for c in seq if c not in result)
            return tuple(result)
        result.append(head)
        for s in sequences:
            if s and s[0] == head:
                del s[0]


def _c3_head(sequences: List[List[str]]) -> Optional[str]:
    tails: Set[str] = {c for s in sequences for c in s[1:]}
    for seq in sequences:
        if seq[0] not in tails:
            return seq[0]
    return None


def _applied(decorators: Sequence[Decorator]) -> Iterator[str]:
    """The qualified names of the decorators that are a global name, not called."""
    for decorator in decorators:
        name = decorator.applied()
        if name is not None:
            yield name
