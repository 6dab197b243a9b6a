"""Value flow: what functions and objects a name, an attribute or a container may hold.

A flow-insensitive, context-insensitive points-to analysis over the summaries'
facts (lintlock.model.Flow, local values, instance attributes, call arguments).
Abstract values are instances by class, and functions (plain, lambdas, bound
methods, partials). Variables are a function's locals, an attribute of a class's
instances (PyCG's rule: `self.x` in A is not `self.x` in B, except along the MRO),
the elements of such a variable, module globals and a function's return.

Same object, for LL101: a bound method keeps the object it is bound to as a path
in the frame of the function holding it (`receiver`). Stored in an attribute or a
container of that very object (`self._listeners.append(self._changed)`), it is
marked `same_holder`, and read back through the holder (`for fn in self._listeners`)
it is bound to the holder again. Anything else loses its receiver: the call is then
followed for lock order (LL102/LL103) but never claimed to take the same lock.

The fixpoint runs over the facts, never over syntax, on first use. Two concerns, two
classes: Points reads what a path holds from the points-to table; ValueFlow fills the
table (the worklist over the facts) and answers the program's questions (what a call
runs, the class of an object and where it was passed, what a call hands over).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from ..model import Args, Call, CallWhy, Flow, FunctionSummary, LockPath, Site

if TYPE_CHECKING:
    from ..link import Program

Var = Tuple[str, ...]  # ("L", function, name) | ("A", class, attr) | ("G", name) | ("R", function) | ("E",) + var
_MAX_PASSES = 12
_MAX_VALUES = 32  # a variable holding more than this is not followed (a registry of everything)


@dataclass(frozen=True)
class Pointee:
    """An abstract value. kind: "inst" (name: class), "function" (name: qualname),
    "bound" (name: method qualname), "class" (name: class; calling it makes an instance)."""

    kind: str
    name: str
    receiver: Optional[LockPath] = None  # bound: the object, in the frame of the variable's function
    same_holder: bool = False  # bound, in an attribute or element: bound to the object holding it
    origin: Optional[Site] = None  # where it was stored or passed (for messages)
    partial: bool = False  # functools.partial: the call's arguments are not the function's


@dataclass(frozen=True)
class Resolved:
    """A callee found through value flow."""

    callee: str
    receiver: Optional[LockPath]  # the object bound to its first parameter, in the caller's frame
    args: Args  # what the call passes it
    why: CallWhy  # "value flow", "override"
    origin: Optional[Site] = None


PathKey = Tuple[int, str, Tuple[str, ...], str, Optional[str]]  # (id of the function's summary, the path's fields)
Plan = Tuple[FrozenSet[Pointee], Tuple[Var, ...], Tuple[Var, ...]]  # values, variables read, variables read through the holder


def _path_key(fn: FunctionSummary, path: LockPath) -> PathKey:
    return (id(fn), path.base, path.attrs, path.scope, path.key)


class Declared:
    """What the definitions alone say about a path, without the points-to table: whose local a
    name is, which class declares an attribute, the values a declaration makes, and, when that
    decides it, which variables a path reads (`plan`: asked again by the solver and the queries,
    so kept, by the summary's identity; the value keeps the summary alive: a key is never reused)."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.index = program.index
        self._declared: Dict[str, FrozenSet[str]] = {}
        self._attribute_vars: Dict[Tuple[str, str], Var] = {}
        self._plans: Dict[PathKey, Tuple[FunctionSummary, Optional[Plan]]] = {}

    def owner(self, fn: FunctionSummary, name: str) -> Tuple[str, str]:
        """(function, name): the function whose local `name` is (a captured name is the enclosing one's)."""
        current: Optional[FunctionSummary] = fn
        while current is not None:
            if (
                name in current.params
                or any(n == name for n, _ in current.local_values)
                or any(f.dest is not None and f.dest.base == name and not f.dest.attrs for f in current.flows)
            ):
                return current.qualname, name
            current = self.program.functions.get(current.parent) if current.parent else None
        return fn.qualname, name

    def _declared_in(self, cls: str) -> FrozenSet[str]:
        found = self._declared.get(cls)
        if found is None:
            summary = self.program.classes[cls]
            names = {n for n, _ in summary.instance_attrs + summary.class_attrs}
            for _, method in summary.methods:
                fn = self.program.functions.get(method)
                if fn is not None:
                    names.update(f.dest.attrs[0] for f in fn.flows if f.kind == "store" and f.dest is not None and len(f.dest.attrs) == 1)
            found = self._declared[cls] = frozenset(names)
        return found

    def attribute_var(self, cls: str, attr: str) -> Var:
        """The attribute of cls's instances, by the class declaring it along the MRO."""
        found = self._attribute_vars.get((cls, attr))
        if found is None:
            found = next((("A", klass, attr) for klass in self.program.mro(cls) if attr in self._declared_in(klass)), ("A", cls, attr))
            self._attribute_vars[(cls, attr)] = found
        return found

    def global_values(self, path: LockPath) -> Optional[Set[Pointee]]:
        """A class or a module function named by a global path; None: a global variable."""
        program = self.program
        resolved = program.resolve(".".join((path.base,) + path.attrs))
        if resolved in program.classes:
            return {Pointee("class", resolved)}
        function = program.functions.get(resolved)
        if function is None:
            return None
        return {Pointee("function", resolved)} if function.cls is None or function.kind == "staticmethod" else set()

    def assigned(self, fn: FunctionSummary, name: str) -> Tuple[Set[Pointee], List[Var]]:
        """What a local was assigned: instances of a class (`self`: its class), and the returns
        of the functions whose result it holds."""
        program = self.program
        found: Set[Pointee] = set()
        returns: List[Var] = []
        for local, value in fn.local_values:
            if local != name or value.callee is None or value.method:
                continue
            klass = program.class_of_value(value)
            if klass is not None:
                found.add(Pointee("inst", klass))
            elif program.resolve(value.callee) in program.functions:
                returns.append(("R", program.resolve(value.callee)))
        if name == program.self_param(fn) and fn.cls is not None:
            found.add(Pointee("inst", fn.cls))
        return found, returns

    def members(self, path: LockPath, classes: Iterable[str]) -> Set[Pointee]:
        """`obj.m` where obj's class defines m: a bound method (a plain function for a staticmethod)."""
        program = self.program
        prefix = LockPath(path.base, path.attrs[:-1], path.scope)
        found: Set[Pointee] = set()
        for cls in sorted(classes):
            method = program.lookup(cls, path.attrs[-1])
            kind = program.functions[method].kind if method is not None else ""
            if method is not None and kind == "method":
                found.add(Pointee("bound", method, receiver=prefix if prefix.scope == "local" else None))
            elif method is not None and kind == "staticmethod":
                found.add(Pointee("function", method))
        return found

    def vars(self, fn: FunctionSummary, path: LockPath) -> Optional[Tuple[Var, ...]]:
        """The variables a path names; None when that depends on the class value flow finds for its prefix."""
        program = self.program
        if not path.attrs:
            return (("G", program.resolve(path.base)),) if path.scope == "global" else (("L",) + self.owner(fn, path.base),)
        if path.scope == "global" and len(path.attrs) == 1 and program.resolve(path.base) in program.modules:
            return (("G", program.resolve(f"{path.base}.{path.attrs[0]}")),)
        static = self.index.static_class_of_path(fn, LockPath(path.base, path.attrs[:-1], path.scope))
        return (self.attribute_var(static, path.attrs[-1]),) if static is not None else None

    def plan(self, fn: FunctionSummary, path: LockPath) -> Optional[Plan]:
        """What `Points.of_path` finds, as (values known from the definitions, the variables it
        reads, those it reads through the holder); None when the class of the path's prefix is
        not declared (value flow decides it: read as the table stands)."""
        key = _path_key(fn, path)
        known = self._plans.get(key)
        if known is not None and known[0] is fn:
            return known[1]
        found = self._plan(fn, path)
        self._plans[key] = (fn, found)
        return found

    def _plan(self, fn: FunctionSummary, path: LockPath) -> Optional[Plan]:
        if path.scope == "global":
            named = self.global_values(path)
            if named is not None:
                return frozenset(named), (), ()
        elif not path.attrs:
            local = dict(fn.local_defs).get(path.base)
            if local is not None:
                return frozenset({Pointee("function", local)}), (), ()
        variables = self.vars(fn, path)
        if variables is None:
            return None
        if path.scope == "global":
            return frozenset(), variables, ()
        if not path.attrs:
            values, returns = self.assigned(fn, path.base)
            return frozenset(values), tuple(returns) + variables, ()
        static = self.index.static_class_of_path(fn, LockPath(path.base, path.attrs[:-1], path.scope))
        assert static is not None  # vars found it
        return frozenset(self.members(path, (static,))), (), variables


class Points:
    """What a path holds, read from the points-to table: a function's locals (a captured name is
    the enclosing function's), attributes by the class declaring them along the MRO, elements,
    globals, bound methods read through their object."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.index = program.index
        self.declared = Declared(program)
        self.table: Dict[Var, Set[Pointee]] = {}
        self.reads: Optional[Set[Var]] = None  # while solving: the variables the fact being applied reads
        # once the table is solved (`fix`), what a path holds no longer changes: the answers, by summary
        self._fixed: Optional[Dict[Tuple[str, PathKey], Tuple[FunctionSummary, FrozenSet]]] = None

    def fix(self) -> None:
        """The table is solved: from now on the answers are kept."""
        self._fixed = {}

    def _known(self, kind: str, fn: FunctionSummary, path: LockPath) -> Tuple[Optional[Tuple[str, PathKey]], Optional[FrozenSet]]:
        """(the key to keep the answer under, the answer kept); (None, None) while solving."""
        if self._fixed is None:
            return None, None
        key = (kind, _path_key(fn, path))
        known = self._fixed.get(key)
        return key, known[1] if known is not None and known[0] is fn else None

    def _keep(self, key: Optional[Tuple[str, PathKey]], fn: FunctionSummary, found: Iterable) -> None:
        if self._fixed is not None and key is not None:
            self._fixed[key] = (fn, frozenset(found))

    def read(self, var: Var) -> Set[Pointee]:
        if self.reads is not None:
            self.reads.add(var)
        return self.table.get(var, set())

    def owner(self, fn: FunctionSummary, name: str) -> Tuple[str, str]:
        """(function, name): the function whose local `name` is (a captured name is the enclosing one's)."""
        return self.declared.owner(fn, name)

    def classes_of(self, fn: FunctionSummary, path: LockPath) -> Set[str]:
        """The in-tree classes of the object a path names: its static type, else its instances by value flow."""
        static = self.index.static_class_of_path(fn, path)
        if static is not None:
            return {static}
        key, known = self._known("classes", fn, path)
        if known is not None:
            return set(known)
        found = {v.name for v in self.of_path(fn, path) if v.kind == "inst"}
        self._keep(key, fn, found)
        return found

    def vars(self, fn: FunctionSummary, path: LockPath) -> List[Var]:
        declared = self.declared.vars(fn, path)
        if declared is not None:
            return list(declared)
        prefix = LockPath(path.base, path.attrs[:-1], path.scope)
        return [self.declared.attribute_var(cls, path.attrs[-1]) for cls in sorted(self.classes_of(fn, prefix))]

    def of_path(self, fn: FunctionSummary, path: LockPath) -> Set[Pointee]:
        """The abstract values a path may hold in fn (bound methods bound to what the path's prefix names)."""
        key, known = self._known("values", fn, path)
        if known is not None:
            return set(known)
        plan = self.declared.plan(fn, path)
        found = self._of_path(fn, path) if plan is None else self._planned(path, plan)
        self._keep(key, fn, found)
        return found

    def _planned(self, path: LockPath, plan: Plan) -> Set[Pointee]:
        values, plain, held = plan
        found = set(values)
        for var in plain:
            found.update(self.read(var))
        if held:
            holder = _prefix(path)  # read through the object holding it
            for var in held:
                found.update(_out_of_holder(v, holder) for v in self.read(var))
        return found

    def _of_path(self, fn: FunctionSummary, path: LockPath) -> Set[Pointee]:
        """of_path where the class of the path's prefix is what value flow finds (no plan)."""
        if path.scope == "global":
            found = set()  # a global variable: a class or a function has a plan
        else:
            prefix = LockPath(path.base, path.attrs[:-1], path.scope)
            found = self.declared.members(path, self.classes_of(fn, prefix))
        holder = _prefix(path)
        for var in self.vars(fn, path):
            if var[0] == "A":  # read through the object holding it
                found.update(_out_of_holder(v, holder) for v in self.read(var))
            else:
                found.update(self.read(var))
        return found

    def elements(self, fn: FunctionSummary, path: LockPath) -> Set[Pointee]:
        key, known = self._known("elements", fn, path)
        if known is not None:
            return set(known)
        holder = _prefix(path)
        found = {_out_of_holder(v, holder) for var in self.vars(fn, path) for v in self.read(("E",) + var)}
        self._keep(key, fn, found)
        return found


class ValueFlow:
    """The fixpoint over the facts (solved on first use), and the queries the program asks."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.paths = Points(program)
        self._children: Optional[Dict[str, List[str]]] = None
        self._instantiated: Optional[FrozenSet[str]] = None
        self._solved = False
        self._grown: Optional[Set[Var]] = None  # while solving: the variables the fact being applied added to
        self._argument_flows: Dict[Tuple[str, int], List[Flow]] = {}  # while solving: (function, call site) -> its "argument" flows

    def subclasses(self, cls: str) -> List[str]:
        """The in-tree classes that have cls in their MRO (cls excluded), in a fixed order."""
        if self._children is None:
            children: Dict[str, List[str]] = {}
            for name in sorted(self.program.classes):
                for klass in self.program.mro(name)[1:]:
                    children.setdefault(klass, []).append(name)
            self._children = children
        return self._children.get(cls, [])

    def instantiated(self) -> FrozenSet[str]:
        """Classes the program constructs somewhere (a call of the class, a value built from it)."""
        if self._instantiated is None:
            program = self.program
            found: Set[str] = set()
            for fn in program.functions.values():
                for event in fn.events:
                    if isinstance(event, Call) and event.target.kind == "global":
                        found.add(program.resolve(event.target.name))
                found.update(program.resolve(f.callee) for f in fn.flows if f.callee)
            self._instantiated = frozenset(c for c in found if c in program.classes)
        return self._instantiated

    def solve(self) -> None:
        if self._solved:
            return
        self._solved = True
        program = self.program
        functions = [program.functions[name] for name in sorted(program.functions)]
        self._seed_attributes()
        passing = {fn.qualname: [(call, _called_name(call)) for call in program.index.calls_of(fn) if _passes(call)] for fn in functions}
        receiving = _receiving_names(functions)
        facts: List[Tuple[FunctionSummary, object]] = []
        for fn in functions:
            facts.extend((fn, flow) for flow in fn.flows if flow.kind != "argument")
            facts.extend((fn, call) for call, name in passing[fn.qualname] if name in receiving)
            for flow in fn.flows:
                if flow.kind == "argument":
                    self._argument_flows.setdefault((fn.qualname, flow.site), []).append(flow)
        self._worklist(facts)
        self._argument_flows = {}
        self.paths.fix()

    def _worklist(self, facts: List[Tuple[FunctionSummary, object]]) -> None:
        """Each fact once, then again only when a variable it read has grown."""
        dependents: Dict[Var, Set[int]] = {}
        queue = deque(range(len(facts)))
        queued = set(queue)
        budget = len(facts) * _MAX_PASSES
        while queue and budget > 0:
            budget -= 1
            index = queue.popleft()
            queued.discard(index)
            fn, fact = facts[index]
            self.paths.reads, self._grown = set(), set()
            path = self.program.path_of[fn.qualname]
            if isinstance(fact, Flow):
                self._flow(fn, fact, Site(path, fact.site))
            else:
                assert isinstance(fact, Call)
                self._arguments(fn, fact, path)
            for var in self.paths.reads:
                dependents.setdefault(var, set()).add(index)
            for var in self._grown:
                for dependent in sorted(dependents.get(var, ())):
                    if dependent not in queued:
                        queued.add(dependent)
                        queue.append(dependent)
        self.paths.reads = self._grown = None

    def _seed_attributes(self) -> None:
        """`self._backend = HttpBackend()`: instances by the class constructed."""
        program = self.program
        for cls in program.classes.values():
            for name, value in cls.instance_attrs + cls.class_attrs:
                klass = program.class_of_value(value) if value.callee is not None else None
                if klass is not None:
                    self._add(("A", cls.qualname, name), {Pointee("inst", klass)})

    def _flow(self, fn: FunctionSummary, flow: Flow, origin: Site) -> bool:
        if flow.kind == "argument":
            return False  # bound with the call's other arguments (_arguments)
        values = self._source(fn, flow, origin)
        if flow.kind == "iterate":
            assert flow.source is not None and flow.dest is not None
            read = self.paths.elements(fn, flow.source)
            return self._add(("L",) + self.paths.owner(fn, flow.dest.base), read)
        if flow.kind == "return":
            return self._add(("R", fn.qualname), {replace(v, receiver=None) if v.receiver is not None else v for v in values})
        if flow.dest is None:
            return False
        return self._store(fn, flow, values)

    def _store(self, fn: FunctionSummary, flow: Flow, values: Set[Pointee]) -> bool:
        """store: into the attribute; insert/extend: into its elements."""
        assert flow.dest is not None
        changed = False
        holder = _prefix(flow.dest)
        if flow.kind == "extend" and flow.source is not None:
            values = self.paths.elements(fn, flow.source)
        stored = {_into_holder(v, holder) for v in values}
        for var in self.paths.vars(fn, flow.dest):
            changed |= self._add(var if flow.kind == "store" else ("E",) + var, stored)
        return changed

    def _source(self, fn: FunctionSummary, flow: Flow, origin: Site) -> Set[Pointee]:
        if flow.function:
            return {Pointee("function", flow.function, origin=origin, partial=flow.partial)}
        if flow.callee:
            klass = self.program.resolve(flow.callee)
            return {Pointee("inst", klass, origin=origin)} if klass in self.program.classes else set()
        if flow.source is None:
            return set()
        values = self.paths.elements(fn, flow.source) if flow.element else self.of_path(fn, flow.source)
        if flow.partial:
            return {v if v.origin is not None and v.partial else replace(v, origin=v.origin or origin, partial=True) for v in values}
        return {v if v.origin is not None else replace(v, origin=origin) for v in values}

    def _arguments(self, fn: FunctionSummary, call: Call, path: str) -> bool:
        """What a call passes flows into the parameters of every function it runs."""
        passed = self._passed(fn, call, path)
        if not passed:
            return False
        changed = False
        for found in self.program.targets(fn, call):
            target = self.program.functions.get(found.callee)
            if target is None:
                continue
            params = [p for p in target.params if not p.startswith("*")]
            # a bound method or a new object (found.receiver set, its path None when the caller does not name it)
            if found.receiver is not None and target.cls is not None and target.kind in ("method", "property", "setter", "classmethod"):
                params = params[1:]  # the receiver (or the new object) is the first parameter
            receiver = found.receiver.path if found.receiver is not None else None
            for slot, values in passed.items():
                name = params[int(slot)] if slot.isdigit() and int(slot) < len(params) else slot
                if name in target.params:
                    mapped = {_into_frame(v, call, receiver, target) for v in values}
                    changed |= self._add(("L", found.callee, name), mapped)
        return changed

    def _passed(self, fn: FunctionSummary, call: Call, path: str) -> Dict[str, Set[Pointee]]:
        passed: Dict[str, Set[Pointee]] = {}
        slots = [(str(i), p) for i, p in enumerate(call.args.positional)] + list(call.args.keywords)
        for slot, obj in slots:
            values = self.of_path(fn, obj) if obj is not None else set()
            if values:
                passed[slot] = {v if v.origin is not None else replace(v, origin=Site(path, call.site)) for v in values}
        for flow in self._argument_flows.get((fn.qualname, call.site), ()):
            passed.setdefault(flow.slot, set()).update(self._source(fn, flow, Site(path, call.site)))
        return passed

    def _add(self, var: Var, values: Iterable[Pointee]) -> bool:
        current = self.paths.table.setdefault(var, set())
        before = len(current)
        new = [v for v in values if v not in current]
        if before + len(new) > _MAX_VALUES:
            # the values kept must not depend on a set's order (string hashes differ from run to run)
            new = sorted(new, key=_full_order)[: max(_MAX_VALUES - before, 0)]
        current.update(new)
        if len(current) == before:
            return False
        if self._grown is not None:
            self._grown.add(var)
        return True

    def of_path(self, fn: FunctionSummary, path: LockPath) -> Set[Pointee]:
        """The abstract values a path may hold in fn (bound methods bound to what the path's prefix names)."""
        self.solve()
        return self.paths.of_path(fn, path)

    def classes_of(self, fn: FunctionSummary, path: LockPath) -> Set[str]:
        """The in-tree classes of the object a path names: its static type, else its instances by value flow."""
        static = self.program.static_class_of_path(fn, path)
        if static is not None:
            return {static}  # known without solving
        self.solve()
        return self.paths.classes_of(fn, path)

    def instance_origin(self, fn: FunctionSummary, path: LockPath) -> Optional[Tuple[str, Site]]:
        """(class, where its instance was handed over) when only value flow tells the class of the
        object a path names: one class flows there (`self._backend`, passed at session.py:88)."""
        if path.scope != "local" or self.program.static_class_of_path(fn, path) is not None:
            return None
        self.solve()
        values = [v for v in self.of_path(fn, path) if v.kind == "inst"]
        origins = sorted((v.origin for v in values if v.origin is not None), key=lambda site: (site.path, site.site))
        if len({v.name for v in values}) != 1 or not origins:
            return None
        return values[0].name, origins[0]

    def passed(self, fn: FunctionSummary, site: int, slot: str) -> Set[Pointee]:
        """What the call at `site` passes at `slot` when no path names it: a lambda, a partial,
        a new object (`pool.submit(partial(self._work, 1))`, `Thread(target=lambda: ...)`)."""
        self.solve()
        origin = Site(self.program.path_of[fn.qualname], site)
        found: Set[Pointee] = set()
        for flow in fn.flows:
            if flow.kind == "argument" and flow.site == site and flow.slot == slot:
                found.update(self._source(fn, flow, origin))
        return found

    def callees(self, fn: FunctionSummary, call: Call) -> List[Resolved]:
        """What a call the names alone do not resolve runs, by value flow."""
        self.solve()
        target = call.target
        if target.kind == "local":
            values = self.of_path(fn, LockPath(target.name))
        elif target.kind == "element" and target.receiver is not None:
            values = self.paths.elements(fn, target.receiver)
        elif target.kind == "method" and target.receiver is not None:
            values = self.of_path(fn, LockPath(target.receiver.base, target.receiver.attrs + (target.name,), target.receiver.scope))
        else:
            return []
        return [r for r in (self._callee(v, call) for v in sorted(values, key=_order)) if r is not None]

    def _callee(self, value: Pointee, call: Call) -> Optional[Resolved]:
        args = Args() if value.partial else call.args
        if value.kind == "function" and value.name in self.program.functions:
            return Resolved(value.name, None, args, "value flow", value.origin)
        if value.kind == "bound":
            return Resolved(value.name, value.receiver, args, "value flow", value.origin)
        if value.kind == "class":
            init = self.program.lookup(value.name, "__init__")
            return Resolved(init, None, args, "value flow", value.origin) if init else None  # a new object: not named in the caller
        return None


def _into_holder(value: Pointee, holder: Optional[LockPath]) -> Pointee:
    """A value stored in an attribute or element of `holder`: is it bound to that object?"""
    if value.kind != "bound":
        return value
    return replace(value, receiver=None, same_holder=holder is not None and value.receiver == holder)


def _out_of_holder(value: Pointee, holder: Optional[LockPath]) -> Pointee:
    if value.kind != "bound":
        return value
    return replace(value, receiver=holder if value.same_holder else None, same_holder=False)


def _into_frame(value: Pointee, call: Call, receiver: Optional[LockPath], callee: FunctionSummary) -> Pointee:
    """A bound value passed to a callee: its object, named in the callee's frame (or forgotten)."""
    if value.kind != "bound" or value.receiver is None:
        return value
    if receiver is not None and value.receiver == receiver and callee.params and callee.kind == "method":
        return replace(value, receiver=LockPath(callee.params[0]))
    return replace(value, receiver=None)


def _receiving_names(functions: List[FunctionSummary]) -> Set[str]:
    """Short names of the functions (and of the classes, for __init__) whose parameters go
    somewhere value flow follows: stored, inserted, returned, iterated or called. Only calls
    to these can pass anything that matters."""
    names: Set[str] = set()
    for fn in functions:
        params = set(fn.params)
        if not params:
            continue
        used = {f.source.base for f in fn.flows if f.source is not None}
        used.update(e.target.name for e in fn.events if isinstance(e, Call) and e.target.kind == "local")
        used.update(b for _, v in fn.local_values for b in [v.arg0.base if v.arg0 is not None else ""] + [p.base for _, p in v.keywords])
        if params & used:
            names.add(fn.name)
            if fn.name == "__init__" and fn.cls is not None:
                names.add(fn.cls.rsplit(".", 1)[-1])
    return names


def _order(value: Pointee) -> Tuple[str, str, str]:
    return (value.kind, value.name, value.receiver.text() if value.receiver is not None else "")


def _full_order(value: Pointee) -> Tuple[object, ...]:
    """A total order of values (every field), to choose the ones a full variable keeps."""
    receiver = value.receiver
    origin = value.origin
    return (
        value.kind,
        value.name,
        (receiver.base, receiver.attrs, receiver.scope, receiver.key or "") if receiver is not None else (),
        value.same_holder,
        (origin.path, origin.site) if origin is not None else (),
        value.partial,
    )


def _prefix(path: LockPath) -> Optional[LockPath]:
    """The object holding the attribute a local path ends in (`self` for `self._listeners`)."""
    if not path.attrs or path.scope != "local":
        return None
    return LockPath(path.base, path.attrs[:-1], path.scope)


def _passes(call: Call) -> bool:
    return bool(call.args.positional or call.args.keywords)


def _called_name(call: Call) -> str:
    """The short name a call uses (`self._hub.subscribe` -> subscribe, `pkg.Session` -> Session)."""
    return call.target.name.rsplit(".", 1)[-1]
