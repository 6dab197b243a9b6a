"""Call resolution: the in-tree functions a call runs, what it passes them, and why
(direct, method, super, dunder, property, decorator, override, value flow)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

from ..model import Args, Call, CallWhy, FunctionSummary, LockPath, Site
from .elements import is_element, passed_on
from .index import Index
from .locks import MAX_ATTRS, Key, Locks
from .types import ObjectTypes

if TYPE_CHECKING:
    from .valueflow import ValueFlow

_FALLBACK = {"__format__": "__str__", "__str__": "__repr__"}  # what object's own dunder calls instead
_RECEIVING_KINDS = ("method", "property", "setter", "deleter", "classmethod")  # bound to their first parameter

Binding = Tuple[Tuple[str, Optional[LockPath]], ...]  # callee parameter -> the caller's object (None: unknown)


@dataclass(frozen=True)
class Receiver:
    """The object a call binds to its callee's first parameter."""

    path: Optional[LockPath]  # in the caller's frame; None: an object it does not name (a new one, or bound elsewhere)


@dataclass(frozen=True)
class CallTarget:
    callee: str
    receiver: Optional[Receiver]  # None: a plain function, nothing is bound to its first parameter
    why: CallWhy


@dataclass(frozen=True)
class Edge:
    callee: str
    binding: Binding  # callee parameter -> caller object
    site: int
    decorated: Optional[str] = None  # callee is the wrapper a decorator put around this function
    why: CallWhy = "direct"  # how the call was resolved
    origin: Optional[Site] = None  # value flow: where the callee was stored or passed


class Calls:
    def __init__(self, index: Index, types: ObjectTypes, locks: Locks, flow: ValueFlow) -> None:
        self.index = index
        self.types = types
        self.locks = locks
        self.flow = flow
        self._edges: Dict[str, List[Edge]] = {}
        # the rules ask again about calls edges_of resolved already (and LL101/LL102 about the same
        # call from several held locks): keyed by the identities of the summary and the call (which
        # the value keeps alive), never by the call's value: hashing a Call hashes all it holds
        self._callees: Dict[Tuple[int, int, bool], Tuple[FunctionSummary, Call, List[Edge]]] = {}

    # Computed on first use: while lintlock.demand is still deciding which files to
    # parse, only the edges of a few functions are needed.
    def edges_of(self, name: str) -> List[Edge]:
        edges = self._edges.get(name)
        if edges is None:
            fn = self.index.functions[name]
            edges = [edge for call in self.index.calls_of(fn) for edge in self.callees(fn, call)]
            self._edges[name] = edges
        return edges

    def callees(self, fn: FunctionSummary, call: Call, overrides: bool = False) -> List[Edge]:
        """The functions a call runs (synchronously), with what it passes them. `overrides`: also
        the overrides of a method in the subclasses the program builds. Only where the call is
        made (never inside `reach`): deeper down, which subclass `self` is depends on the caller,
        and a sibling's override (one BaseThread subclass's on_thread_stop for another's stop())
        is not what runs. Memoized: the rules ask again what reach and demand resolved (the
        summary and the call are kept in the value and compared by identity, so a key is never reused)."""
        key = (id(fn), id(call), overrides)
        known = self._callees.get(key)
        if known is not None and known[0] is fn and known[1] is call:
            return known[2]
        edges = self._callees_of(fn, call) if not overrides else self.callees(fn, call) + self._overrides_of(fn, call)
        self._callees[key] = (fn, call, edges)
        return edges

    def _callees_of(self, fn: FunctionSummary, call: Call) -> List[Edge]:
        resolved = self.resolve_call(fn, call)
        if resolved is None:
            return self._flow_callees(fn, call)
        callee, receiver = resolved
        target = self.index.functions.get(callee)
        if target is None:
            return []
        if target.is_async and not call.awaited:
            return []  # a coroutine that is not awaited does not run here
        return self._body_and_wrappers(target, receiver, call)

    def _overrides_of(self, fn: FunctionSummary, call: Call) -> List[Edge]:
        """The overrides `callees(..., overrides=True)` adds to what the call resolves to by name."""
        resolved = self.resolve_call(fn, call)
        target = self.index.functions.get(resolved[0]) if resolved is not None else None
        if resolved is None or target is None or (target.is_async and not call.awaited):
            return []
        return self._overrides(fn, call, resolved[1], resolved[0])

    def _body_and_wrappers(self, target: FunctionSummary, receiver: Optional[Receiver], call: Call) -> List[Edge]:
        generator = target.is_generator and not self.index.is_context_manager(target)
        body = Edge(target.qualname, self.bind(target, receiver, call.args), call.site)
        if call.runs == "iterates":  # iterating what an earlier call returned: only a generator's body runs
            return [body] if generator else []
        if call.runs == "awaits":  # awaiting what an earlier call made: only a coroutine function's body runs
            return [body] if target.is_async else []
        # calling a generator function runs none of its body (iterating the result does); its wrappers do run
        edges = [] if generator and call.runs == "call" else [body]
        # a decorator's wrapper is a plain function: the receiver is its first argument
        wrapper_args = call.args
        if receiver is not None and target.kind in ("method", "property", "setter"):
            wrapper_args = Args((receiver.path,) + call.args.positional, call.args.keywords, call.args.starred)
        for wrapper in self.index.wrappers(target):
            edges.append(Edge(wrapper, self.bind(self.index.functions[wrapper], None, wrapper_args), call.site, decorated=target.qualname))
        return edges

    def _overrides(self, fn: FunctionSummary, call: Call, receiver: Optional[Receiver], callee: str) -> List[Edge]:
        """`self.m()`: the overrides of m in the subclasses of the receiver's class that the program instantiates."""
        if call.target.kind not in ("method", "dunder") or receiver is None or receiver.path is None:
            return []
        cls = self.types.class_of_path(fn, receiver.path)
        found: List[str] = []
        for sub in self.flow.subclasses(cls) if cls is not None else ():
            override = self.index.lookup(sub, call.target.name)
            if override is not None and override != callee and override not in found and sub in self.flow.instantiated():
                found.append(override)
        return [Edge(o, self.bind(self.index.functions[o], receiver, call.args), call.site, why="override") for o in found]

    def _flow_callees(self, fn: FunctionSummary, call: Call) -> List[Edge]:
        """Edges to what value flow says a call runs (a callback, an object built elsewhere)."""
        if call.target.kind in ("global", "super") or call.runs == "iterates":
            return []
        edges = []
        index = self.index
        for found in self.flow.callees(fn, call):
            target = index.functions.get(found.callee)
            if target is None or (target.is_async and not call.awaited) or (target.is_generator and not index.is_context_manager(target)):
                continue
            if call.runs == "awaits" and not target.is_async:
                continue  # what an earlier call made is awaited here: only a coroutine's body runs
            receiver = Receiver(found.receiver)
            edges.append(Edge(found.callee, self.bind(target, receiver, found.args), call.site, why=found.why, origin=found.origin))
        return edges

    def targets(self, fn: FunctionSummary, call: Call) -> List[CallTarget]:
        """Every function a call may run, with the object bound to its first parameter."""
        resolved = self.resolve_call(fn, call)
        if resolved is not None:
            return [CallTarget(resolved[0], resolved[1], "direct")]
        if call.target.kind in ("global", "super"):
            return []
        return [CallTarget(r.callee, Receiver(r.receiver), r.why) for r in self.flow.callees(fn, call)]

    # -- by the names alone --------------------------------------------------

    def resolve_call(self, fn: FunctionSummary, call: Call) -> Optional[Tuple[str, Optional[Receiver]]]:
        """(callee qualname, the object bound to its first parameter, None for a plain function)."""
        kind = call.target.kind
        if kind == "local":
            return (call.target.name, None) if call.target.name in self.index.functions else None
        if kind == "super":
            return self._super(fn, call)
        if kind == "global":
            return self._global(call)
        if kind == "attr":
            return self._property(fn, call)
        return self._method(fn, call)

    def _super(self, fn: FunctionSummary, call: Call) -> Optional[Tuple[str, Optional[Receiver]]]:
        me = self.index.self_param(fn)
        if fn.cls is None or me is None:
            return None
        found = self.index.lookup(fn.cls, call.target.name, start_after=fn.cls)
        return (found, Receiver(LockPath(me))) if found else None

    def _global(self, call: Call) -> Optional[Tuple[str, Optional[Receiver]]]:
        resolved = self.index.resolve(call.target.name)
        if resolved in self.index.classes:
            init = self.index.lookup(resolved, "__init__")
            return (init, Receiver(None)) if init else None  # bound to the new object
        if resolved in self.index.functions:
            return resolved, None
        return None

    def _property(self, fn: FunctionSummary, call: Call) -> Optional[Tuple[str, Optional[Receiver]]]:
        """`obj.prop` or `obj.prop = x` (Target.writes): the getter or setter; a plain attribute is
        decided without type inference (most reads of self.x)."""
        name = call.target.name
        if name not in self.index.properties:
            return None
        cls = self.types.class_of_path(fn, call.target.receiver)
        if cls is None:
            return None
        found = self.index.lookup(cls, name + ".setter" if call.target.writes else name)
        if found is None or self.index.functions[found].kind not in ("property", "setter"):
            return None
        return found, Receiver(call.target.receiver)

    def _method(self, fn: FunctionSummary, call: Call) -> Optional[Tuple[str, Optional[Receiver]]]:
        """`obj.m(...)` and the dunders an operation calls, by obj's class and MRO."""
        index = self.index
        name = call.target.name
        if call.target.kind in ("dunder", "method") and name not in index.method_names and name not in _FALLBACK:
            return None
        cls = self.types.class_of_path(fn, call.target.receiver)
        if cls is None:
            return None
        found = index.lookup(cls, name)
        while found is None and call.target.kind == "dunder" and name in _FALLBACK and index.closed(cls):
            name = _FALLBACK[name]  # object.__format__ calls __str__, object.__str__ calls __repr__
            found = index.lookup(cls, name)
        if found is None or index.functions[found].kind == "property":
            return None  # self.prop(...) calls what the property returns
        return found, Receiver(call.target.receiver)

    # -- what a call passes ------------------------------------------------

    def bind(self, callee: FunctionSummary, receiver: Optional[Receiver], args: Args) -> Binding:
        params = [p for p in callee.params if not p.startswith("*")]
        binding: Dict[str, Optional[LockPath]] = {}
        positional = list(args.positional)
        if callee.kind in _RECEIVING_KINDS and callee.cls is not None and receiver is not None and params:
            binding[params[0]] = None if callee.kind == "classmethod" else receiver.path
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

    def mapped_path(self, edge: Edge, key: Key) -> Optional[LockPath]:
        """The caller's path for a key of the callee's frame rooted at a parameter (`self._lock` in
        Flusher.flush, called as `self._flusher.flush()`: `self._flusher._lock`); None if unbound."""
        _, base, attrs = key
        obj = dict(edge.binding).get(base)
        if obj is None or len(obj.attrs) + len(attrs) > MAX_ATTRS:
            return None
        return LockPath(obj.base, obj.attrs + attrs, obj.scope)

    def map_key(self, caller: FunctionSummary, edge: Edge, key: Key) -> Optional[Key]:
        """A key of the callee's frame, as seen by the caller; None if it is not the same object there."""
        scope, base, attrs = key
        if scope == "g":
            return key
        callee = self.index.functions[edge.callee]
        if attrs and is_element(attrs[-1]):  # `self._locks[name]`: the container, and the key passed on
            container = self.map_key(caller, edge, (scope, base, attrs[:-1]))
            marker = passed_on(attrs[-1], callee, dict(edge.binding))
            return (container[0], container[1], container[2] + (marker,)) if container is not None and container[0] == "l" and marker else None
        if base in callee.params:
            path = self.mapped_path(edge, key)
            return self.locks.key_of(caller, path) if path is not None else None
        if callee.parent is not None and self.index.shares_closure(caller, callee):
            return self.locks.key_of(caller, LockPath(base, attrs))
        return None
