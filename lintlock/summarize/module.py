"""Orchestration: one walk over a file, its functions, lambdas and classes,
each turned into a summary."""

from __future__ import annotations

from typing import Dict, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import libcst as cst
from libcst.metadata import CodeRange

from ..model import Args, Call, ClassSummary, Decorator, FunctionKind, FunctionSummary, LockPath, ModuleSummary, Target, Value
from .expressions import Expressions
from .held import join
from .names import Names
from .scope import ClassState, Frame
from .sites import Sites
from .statements import Statements
from .syntax import dotted, parameter_names, statements_of, sub_blocks
from .values import value_of

_PROPERTIES = ("builtins.property", "functools.cached_property")
_ACCESSORS: Dict[str, FunctionKind] = {"setter": "setter", "deleter": "deleter"}  # @name.setter: a method stored under its property's name


class ModuleWalker:
    def __init__(
        self,
        tree: cst.Module,
        path: str,
        module: str,
        is_package: bool,
        position_of: Optional[Mapping[cst.CSTNode, CodeRange]] = None,
        nodes: Optional[Dict[int, cst.CSTNode]] = None,
    ) -> None:
        self.tree = tree
        self.path = path
        self.module = module
        self.sites = Sites(tree, position_of, nodes)
        self.names = Names(module, is_package)
        self.globals: List[Tuple[str, Value]] = []
        self.functions: List[FunctionSummary] = []
        self.classes: List[ClassSummary] = []
        self.expressions = Expressions(self.names, self.sites)
        self.statements = Statements(self.expressions, self.names, self)
        self.expressions.facts.definitions = self

    def run(self) -> ModuleSummary:
        self.names.collect(self.tree.body)
        frame = Frame(qualname=f"{self.module}.<module>", params=(), is_module=True)
        self.statements.block(self.tree.body, frame, ())
        self.functions.append(self._finish(frame, name="<module>", kind="module", site=-1))
        return ModuleSummary(
            path=self.path,
            module=self.module,
            classes=tuple(self.classes),
            functions=tuple(self.functions),
            names=tuple(sorted(self.names.table.items())),
            globals=tuple(self.globals),
            positions=tuple(self.sites.positions),
        )

    # -- functions -------------------------------------------------------

    def function(self, node: cst.FunctionDef, outer: Frame, cls: Optional[ClassState]) -> str:
        """Walk a def (a method when `cls` is set); its qualified name."""
        decorators = self._decorators(node.decorators, outer)
        name = node.name.value
        kind = _method_kind(decorators, node.decorators) if cls is not None else "function"
        suffix = f".{kind}" if kind in _ACCESSORS else ""
        qualname = f"{self._prefix(outer, cls)}.{name}{suffix}"
        params = parameter_names(node.params)
        param_types = self._param_types(node.params, outer)
        frame = Frame(
            qualname=qualname,
            params=params,
            param_types=dict(param_types),
            param_defaults=self._param_defaults(node.params, outer),
            node=node,
            parent=None if cls is not None or outer.is_module else outer,
            cls=cls,
            self_name=params[0] if cls is not None and kind in ("method", "property", "setter") and params else None,
        )
        frame.locals.update(params)
        site = self.sites.number(node.name)
        end = self.statements.block(statements_of(node.body), frame, ())
        frame.exit_held = join(frame.exit_held, end)
        is_async = node.asynchronous is not None
        self.functions.append(self._finish(frame, name, kind, site, decorators, is_async, param_types))
        if cls is not None:
            cls.methods[name + suffix] = qualname
        return qualname

    def _prefix(self, outer: Frame, cls: Optional[ClassState]) -> str:
        if cls is not None:
            return cls.qualname
        if outer.is_module:
            return self.module
        return f"{outer.qualname}.<locals>"

    def _param_types(self, params: cst.Parameters, outer: Frame) -> Tuple[Tuple[str, str], ...]:
        """Parameters annotated with a class we can name."""
        param_types = []
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.annotation is not None:
                annotation = self.names.annotation(param.annotation.annotation, outer)
                if annotation is not None:
                    param_types.append((param.name.value, annotation))
        return tuple(param_types)

    def _param_defaults(self, params: cst.Parameters, outer: Frame) -> Dict[str, str]:
        """Parameters whose default is a global name (`lock_cls=threading.Lock`), qualified."""
        found: Dict[str, str] = {}
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            default = param.default
            qualified = self.names.qualify(default, outer) if isinstance(default, (cst.Name, cst.Attribute)) else None
            if qualified is not None and not qualified.startswith("builtins."):
                found[param.name.value] = qualified
        return found

    def lambda_(self, node: cst.Lambda, name: str, outer: Frame) -> str:
        """Walk `name = lambda ...: ...` as a function; its qualified name."""
        qualname = f"{outer.qualname}.<locals>.{name}" if not outer.is_module else f"{self.module}.{name}"
        params = parameter_names(node.params)
        frame = Frame(qualname=qualname, params=params, parent=None if outer.is_module else outer)
        frame.locals.update(params)
        site = self.sites.number(node)
        self.expressions.walk(node.body, frame, ())
        self.functions.append(self._finish(frame, name=name, kind="function", site=site))
        return qualname

    def _decorators(self, decorators: Sequence[cst.Decorator], frame: Frame) -> Tuple[Decorator, ...]:
        return tuple(self._decorator(deco.decorator, frame) for deco in decorators)

    def _decorator(self, expr: cst.BaseExpression, frame: Frame) -> Decorator:
        called = isinstance(expr, cst.Call)
        if isinstance(expr, cst.Call):
            expr = expr.func
        qualified = self.names.qualify(expr, frame)  # None: a local (or an attribute of one), or not a name
        if qualified is not None:
            return Decorator(qualified, called=called)
        return Decorator(dotted(expr), local=dotted(expr) is not None, called=called)

    def _finish(
        self,
        frame: Frame,
        name: str,
        kind: FunctionKind,
        site: int,
        decorators: Tuple[Decorator, ...] = (),
        is_async: bool = False,
        param_types: Tuple[Tuple[str, str], ...] = (),
    ) -> FunctionSummary:
        return FunctionSummary(
            qualname=frame.qualname,
            name=name,
            params=frame.params,
            events=tuple(frame.events),
            cls=frame.cls.qualname if frame.cls is not None else None,
            parent=frame.parent.qualname if frame.parent is not None else None,
            kind=kind,
            is_async=is_async,
            decorators=decorators,
            param_types=param_types,
            local_defs=tuple(sorted(frame.local_defs.items())),
            local_values=tuple(sorted(frame.local_values.items(), key=lambda item: item[0])),
            released=tuple(sorted(frame.released, key=lambda p: (p.scope, p.base, p.attrs))),
            yield_held=frame.yield_held or (),
            is_generator=frame.is_generator,
            exit_held=frame.exit_held or (),
            returns_local=frame.returns_local if frame.returns_count == 1 else None,
            returns_value=frame.returns_value if frame.returns_count == 1 else None,
            site=site,
            flows=tuple(frame.flows),
        )

    # -- classes ---------------------------------------------------------

    def class_(self, node: cst.ClassDef, outer: Frame, prefix: str) -> None:
        """Walk a class: its methods, nested classes and class attributes."""
        qualname = f"{prefix}.{node.name.value}"
        # a base the module binds two ways (a class in one branch, an import in the other) is not known
        bases = [
            None if isinstance(arg.value, cst.Name) and arg.value.value in self.names.ambiguous else self.names.qualify(arg.value, outer)
            for arg in node.bases
            if arg.keyword is None and not arg.star
        ]
        state = ClassState(
            qualname=qualname,
            name=node.name.value,
            bases=tuple(base for base in bases if base is not None),
            decorators=self._decorators(node.decorators, outer),
            site=self.sites.number(node.name),
            unnamed_base=None in bases,
        )
        body_frame = Frame(qualname=qualname, params=(), is_module=True)
        for stmt in _class_body(statements_of(node.body)):
            if isinstance(stmt, cst.FunctionDef):
                self.function(stmt, body_frame, state)
            elif isinstance(stmt, cst.ClassDef):
                self.class_(stmt, outer, qualname)
            elif isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                state.class_attrs.extend(self._class_attributes(stmt, body_frame))
                self._property_calls(stmt, body_frame, state)
        self.classes.append(
            ClassSummary(
                qualname=qualname,
                name=state.name,
                bases=state.bases,
                methods=tuple(sorted(state.methods.items())),
                class_attrs=tuple(state.class_attrs),
                instance_attrs=tuple(state.instance_attrs),
                decorators=state.decorators,
                site=state.site,
                unnamed_base=state.unnamed_base,
            )
        )

    def _property_calls(self, stmt: Union[cst.SimpleStatementLine, cst.SimpleStatementSuite], body_frame: Frame, state: ClassState) -> None:
        """`clock = property(_get_clock[, _set_clock])` (or fget=/fset=) of methods defined above:
        an accessor that calls the method, summarized like @property / @clock.setter would be."""
        for small in stmt.body:
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)):
                continue
            if not isinstance(small.value, cst.Call) or self.names.qualify(small.value.func, body_frame) != "builtins.property":
                continue
            name = small.targets[0].target.value
            for position, keyword, suffix, kind in _ACCESSOR_ARGUMENTS:
                method = _argument(small.value, position, keyword)
                if isinstance(method, cst.Name) and method.value in state.methods and name + suffix not in state.methods:
                    self._accessor(state, name, suffix, kind, method)

    def _accessor(self, state: ClassState, name: str, suffix: str, kind: FunctionKind, method: cst.Name) -> None:
        site = self.sites.number(method)
        params = ("self", "value") if kind == "setter" else ("self",)
        passed = Args(positional=(LockPath("value"),)) if kind == "setter" else Args()
        call = Call(site=site, target=Target("method", method.value, LockPath("self")), args=passed, held=())
        qualname = f"{state.qualname}.{name}{suffix}"
        self.functions.append(FunctionSummary(qualname, name, params, (call,), cls=state.qualname, kind=kind, site=site))
        state.methods[name + suffix] = qualname

    def _class_attributes(self, stmt: Union[cst.SimpleStatementLine, cst.SimpleStatementSuite], body_frame: Frame) -> Iterator[Tuple[str, Value]]:
        """`name = value` and `name: type = value` in a class body."""
        for small in stmt.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                yield small.targets[0].target.value, value_of(small.value, body_frame, self.names, self.sites)
            elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                yield small.target.value, value_of(small.value, body_frame, self.names, self.sites, small.annotation)


_ACCESSOR_ARGUMENTS: Tuple[Tuple[int, str, str, FunctionKind], ...] = ((0, "fget", "", "property"), (1, "fset", ".setter", "setter"))


def _argument(call: cst.Call, position: int, keyword: str) -> Optional[cst.BaseExpression]:
    """The argument of `call` at `position` or named `keyword`."""
    for index, arg in enumerate(call.args):
        if arg.star:
            return None
        if (arg.keyword is None and index == position) or (arg.keyword is not None and arg.keyword.value == keyword):
            return arg.value
    return None


def _method_kind(decorators: Tuple[Decorator, ...], nodes: Sequence[cst.Decorator]) -> FunctionKind:
    """method, staticmethod, classmethod, property, setter or deleter: the last decorator that says."""
    kind: FunctionKind = "method"
    for decorator, node in zip(decorators, nodes):
        deco = decorator.applied()
        if deco == "builtins.staticmethod":
            kind = "staticmethod"
        elif deco == "builtins.classmethod":
            kind = "classmethod"
        elif deco in _PROPERTIES:
            kind = "property"
        elif isinstance(node.decorator, cst.Attribute) and node.decorator.attr.value in _ACCESSORS:
            kind = _ACCESSORS[node.decorator.attr.value]  # @name.setter
    return kind


def _class_body(body: Sequence[cst.CSTNode]) -> Iterator[cst.CSTNode]:
    """Statements of a class body, looking inside `if`/`try` (version switches)."""
    for stmt in body:
        if isinstance(stmt, (cst.If, cst.Try)):
            for block in sub_blocks(stmt):
                yield from _class_body(block)
        else:
            yield stmt
