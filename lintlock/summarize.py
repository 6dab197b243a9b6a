"""Stage 2: summarize one file into plain data (lintlock.model).

One walk over the libcst tree per file. Inside every function the walk is
flow-sensitive: it carries the set of locks held at each point (`held`),
adds to it at `with`/`acquire()`, removes at the end of the block or at
`release()`, and joins branches by intersection (a lock counts as held only
if it is held on every path: when unsure, stay quiet).

Names are resolved as far as one file allows (imports, module-level
definitions, parameters); everything that needs the rest of the program is
left symbolic for lintlock.link.

Positions cost twice the parse in libcst, so by default events carry only a
site number (their order in this walk). `summarize(..., positions=True)`
repeats the same walk with positions, for the few files that have something
to report.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from .guard import LIMIT, nesting_estimate
from .model import (
    Acquire,
    Args,
    Await,
    Call,
    ClassSummary,
    FunctionSummary,
    Held,
    LockPath,
    ModuleSummary,
    Target,
    Value,
)

SELF = "<self>"  # the instance, in attribute declarations collected from methods

HeldSet = Tuple[Held, ...]

# builtins that call a dunder method of their single argument
_DUNDER_BUILTINS = {
    "len": "__len__",
    "iter": "__iter__",
    "next": "__next__",
    "str": "__str__",
    "repr": "__repr__",
    "hash": "__hash__",
    "bool": "__bool__",
    "reversed": "__reversed__",
}
_ACQUIRE = {"acquire", "acquire_lock"}
_RELEASE = {"release", "release_lock"}
_MAX_TEXT = 80


def parse(source: bytes) -> cst.Module:
    """libcst.parse_module, after checking the file cannot blow the parser's stack (lintlock.guard)."""
    depth = nesting_estimate(source)
    if depth > LIMIT:
        raise RecursionError(f"an expression nests more than {LIMIT} levels deep")
    return cst.parse_module(source)


def summarize(source: bytes, path: str, module: str, is_package: bool, positions: bool = False) -> ModuleSummary:
    """Parse `source` and summarize it. Raises libcst.ParserSyntaxError on bad syntax,
    RecursionError on code nested too deeply to analyse."""
    tree = parse(source)
    position_of = None
    if positions:
        position_of = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    return _ModuleWalker(tree, path, module, is_package, position_of).run()


def site_nodes(tree: cst.Module, path: str, module: str, is_package: bool) -> Dict[int, cst.CSTNode]:
    """The node behind every site number of `tree` (for the fixer, which edits nodes)."""
    walker = _ModuleWalker(tree, path, module, is_package, None)
    walker.nodes = {}
    walker.run()
    return walker.nodes


# fields that hold only whitespace and punctuation
_SYNTAX_FIELDS = ("whitespace", "lpar", "rpar", "comma", "semicolon", "lbracket", "rbracket", "lbrace", "rbrace", "colon", "equal", "operator", "dot", "walrus", "asynchronous", "header", "footer", "leading_lines", "trailing_whitespace", "newline", "indent", "star", "prefix", "quote", "start", "end")
_LEAVES = frozenset({cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis})
_FIELDS: Dict[type, Tuple[str, ...]] = {}
_NODE_TYPES: Dict[type, bool] = {}


def _expression_fields(kind: type) -> Tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclass_fields(kind) if not f.name.startswith(_SYNTAX_FIELDS))
    return names


def _is_node(kind: type) -> bool:
    known = _NODE_TYPES.get(kind)
    if known is None:
        known = _NODE_TYPES[kind] = issubclass(kind, cst.CSTNode) and not issubclass(kind, (cst.BaseParenthesizableWhitespace, cst.Comment, cst.Newline, cst.EmptyLine))
    return known


def _join(a: Optional[HeldSet], b: Optional[HeldSet]) -> Optional[HeldSet]:
    """Held on both paths; None is a path that does not continue."""
    if a is None:
        return b
    if b is None:
        return a
    return tuple(h for h in a if h in b)


def _without(held: HeldSet, lock: LockPath) -> HeldSet:
    """Release the most recent acquisition of `lock`."""
    for i in range(len(held) - 1, -1, -1):
        if held[i].lock == lock:
            return held[:i] + held[i + 1 :]
    return held


def _int_literal(node: cst.BaseExpression) -> Optional[int]:
    if isinstance(node, cst.Integer):
        try:
            return int(node.value, 0)
        except ValueError:
            return None
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return 1 if node.value == "True" else 0
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = _int_literal(node.expression)
        return None if inner is None else -inner
    return None


def _literal(node: cst.BaseExpression) -> Optional[str]:
    """A constant argument as text (`None`, `False`, `0.5`, `-1`), else None."""
    if isinstance(node, (cst.Integer, cst.Float)):
        return node.value
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return node.value
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = _literal(node.expression)
        return None if inner is None else "-" + inner
    return None


def _simple(node: cst.BaseExpression) -> bool:
    """An expression that cannot raise: names, constants, and comparisons or `not` of them."""
    if isinstance(node, (cst.Name, cst.Integer, cst.Float, cst.SimpleString)):
        return True
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        return _simple(node.expression)
    if isinstance(node, cst.BooleanOperation):
        return _simple(node.left) and _simple(node.right)
    if isinstance(node, cst.Comparison):
        return _simple(node.left) and all(
            isinstance(c.operator, (cst.Is, cst.IsNot)) and _simple(c.comparator) for c in node.comparisons
        )
    return False


def _simple_statement(small: cst.BaseSmallStatement) -> bool:
    if isinstance(small, cst.Pass):
        return True
    if isinstance(small, cst.Assign):
        return all(isinstance(t.target, cst.Name) for t in small.targets) and _simple(small.value)
    return False


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _acquire_blocks(call: cst.Call) -> bool:
    """acquire() blocks forever only without a timeout and with blocking true.

    An argument we cannot read counts as non-blocking: when unsure, stay quiet.
    """
    blocking: Optional[int] = 1
    timeout_forever = True
    positional = 0
    for arg in call.args:
        if arg.star:
            return False
        name = arg.keyword.value if arg.keyword is not None else None
        if name is None:
            name = ("blocking", "timeout")[positional] if positional < 2 else None
            positional += 1
        if name == "blocking":
            blocking = _int_literal(arg.value)
        elif name == "timeout":
            value = _int_literal(arg.value)
            timeout_forever = _is_none(arg.value) or (value is not None and value < 0)
    return blocking == 1 and timeout_forever


@dataclass
class _Frame:
    """Mutable state of the function being walked; turned into a FunctionSummary."""

    qualname: str
    params: Tuple[str, ...]
    parent: Optional["_Frame"] = None
    is_module: bool = False
    cls: Optional["_ClassState"] = None  # set for methods: `self.x = ...` feeds the class
    self_name: Optional[str] = None
    locals: Set[str] = field(default_factory=set)
    aliases: Dict[str, LockPath] = field(default_factory=dict)
    events: List[object] = field(default_factory=list)
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
    loops: List[Tuple[LockPath, ...]] = field(default_factory=list)  # objects read by enclosing `while` tests
    guard: Optional[bool] = None  # for the acquire() of the statement being walked: is it guarded?
    finals: List[Sequence[cst.CSTNode]] = field(default_factory=list)  # finally blocks of the enclosing trys
    rests: List[Tuple[cst.CSTNode, Sequence[cst.CSTNode]]] = field(default_factory=list)  # enclosing statement, what follows it

    def _scopes(self):
        """This function, then the functions it is nested in (not the module)."""
        frame: Optional[_Frame] = self
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


@dataclass
class _ClassState:
    qualname: str
    name: str
    bases: Tuple[str, ...]
    decorators: Tuple[str, ...]
    site: int
    methods: Dict[str, str] = field(default_factory=dict)
    class_attrs: List[Tuple[str, Value]] = field(default_factory=list)
    instance_attrs: List[Tuple[str, Value]] = field(default_factory=list)


class _ModuleWalker:
    def __init__(self, tree: cst.Module, path: str, module: str, is_package: bool, position_of) -> None:
        self.tree = tree
        self.path = path
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.position_of = position_of
        self.nodes: Optional[Dict[int, cst.CSTNode]] = None  # site -> node, when the fixer asks
        self.positions: List[Tuple[int, int, int, int, int, str]] = []
        self.next_site = 0
        self.names: Dict[str, str] = {}  # module-level local name -> qualified name
        self.globals: List[Tuple[str, Value]] = []
        self.functions: List[FunctionSummary] = []
        self.classes: List[ClassSummary] = []

    # -- entry point -----------------------------------------------------

    def run(self) -> ModuleSummary:
        self._collect_names(self.tree.body)
        frame = _Frame(qualname=f"{self.module}.<module>", params=(), is_module=True)
        self._block(self.tree.body, frame, ())
        self.functions.append(self._finish(frame, name="<module>", kind="module", site=-1))
        return ModuleSummary(
            path=self.path,
            module=self.module,
            classes=tuple(self.classes),
            functions=tuple(self.functions),
            names=tuple(sorted(self.names.items())),
            globals=tuple(self.globals),
            positions=tuple(self.positions),
        )

    def _site(self, node: cst.CSTNode) -> int:
        site = self.next_site
        self.next_site += 1
        if self.nodes is not None:
            self.nodes[site] = node
        if self.position_of is not None:
            where = self.position_of.get(node)
            if where is not None:
                self.positions.append(
                    (site, where.start.line, where.start.column + 1, where.end.line, where.end.column + 1, self._text(node))
                )
        return site

    def _text(self, node: cst.CSTNode) -> str:
        text = " ".join(self.tree.code_for_node(node).split())
        if len(text) > _MAX_TEXT and isinstance(node, cst.Call):
            text = " ".join(self.tree.code_for_node(node.func).split()) + "(...)"
        return text

    # -- names -----------------------------------------------------------

    def _collect_names(self, body: Sequence[cst.CSTNode]) -> None:
        """Module-level definitions and imports, before any body is walked (as pyflakes defers)."""
        for stmt in body:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                self.names.setdefault(stmt.name.value, f"{self.module}.{stmt.name.value}")
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, (cst.Import, cst.ImportFrom)):
                        self._import(small, self.names)
                    elif isinstance(small, (cst.Assign, cst.AnnAssign)):
                        targets = small.targets if isinstance(small, cst.Assign) else [small]
                        for target in targets:
                            if isinstance(target.target, cst.Name):
                                self.names.setdefault(target.target.value, f"{self.module}.{target.target.value}")
            elif isinstance(stmt, (cst.If, cst.Try, cst.With)):
                for block in self._sub_blocks(stmt):
                    self._collect_names(block)

    @staticmethod
    def _sub_blocks(stmt: cst.CSTNode) -> List[Sequence[cst.CSTNode]]:
        blocks: List[Sequence[cst.CSTNode]] = []
        if isinstance(stmt, cst.If):
            blocks.append(stmt.body.body)
            if stmt.orelse is not None:
                blocks.extend(_ModuleWalker._sub_blocks(stmt.orelse) if isinstance(stmt.orelse, cst.If) else [stmt.orelse.body.body])
        elif isinstance(stmt, cst.Try):
            blocks.append(stmt.body.body)
            blocks.extend(h.body.body for h in stmt.handlers)
            if stmt.orelse is not None:
                blocks.append(stmt.orelse.body.body)
            if stmt.finalbody is not None:
                blocks.append(stmt.finalbody.body.body)
        elif isinstance(stmt, cst.With):
            blocks.append(stmt.body.body)
        return blocks

    def _dotted(self, node: cst.BaseExpression) -> Optional[str]:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, cst.Attribute):
            base = self._dotted(node.value)
            return None if base is None else f"{base}.{node.attr.value}"
        return None

    def _import(self, node: cst.CSTNode, into: Dict[str, str]) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = self._dotted(alias.name)
                if full is None:
                    continue
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    into[alias.asname.name.value] = full
                else:
                    head = full.split(".")[0]
                    into[head] = head
            return
        assert isinstance(node, cst.ImportFrom)
        base = self._dotted(node.module) if node.module is not None else ""
        if base is None:
            return
        if node.relative:
            parts = self.package.split(".") if self.package else []
            up = len(node.relative) - 1
            if up > len(parts):
                return
            parts = parts[: len(parts) - up]
            base = ".".join(parts + ([base] if base else []))
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else alias.name.value
            into[local] = f"{base}.{alias.name.value}" if base else alias.name.value

    def _qualify(self, node: cst.BaseExpression, frame: Optional[_Frame]) -> Optional[str]:
        """Qualified name of a global expression (`th.Lock` -> `threading.Lock`)."""
        if isinstance(node, cst.Name):
            if frame is not None and frame.is_local(node.value):
                return None
            return self.names.get(node.value) or f"builtins.{node.value}"
        if isinstance(node, cst.Attribute):
            base = self._qualify(node.value, frame)
            return None if base is None else f"{base}.{node.attr.value}"
        return None

    def _path(self, node: cst.BaseExpression, frame: _Frame) -> Optional[LockPath]:
        """The object an expression names: `self._lock`, `_lock`, `mod.Cache._lock`."""
        attrs: List[str] = []
        while isinstance(node, cst.Attribute):
            attrs.append(node.attr.value)
            node = node.value
        if not isinstance(node, cst.Name):
            return None
        attrs.reverse()
        name = node.value
        if frame.is_local(name):
            alias = frame.alias(name)
            if alias is not None:
                return LockPath(alias.base, alias.attrs + tuple(attrs), alias.scope)
            return LockPath(name, tuple(attrs), "local")
        qualified = self.names.get(name)
        if qualified is None:
            if frame.is_module and not attrs:
                return None
            qualified = f"{self.module}.{name}"
        return LockPath(qualified, tuple(attrs), "global")

    def _annotation(self, node: cst.BaseExpression, frame: Optional[_Frame]) -> Optional[str]:
        """Qualified class named by an annotation: `Cache`, `"Cache"`, `Optional[Cache]`."""
        if isinstance(node, cst.SimpleString):
            try:
                node = cst.parse_expression(node.evaluated_value)
            except Exception:  # not an expression: no type
                return None
        if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            if (self._qualify(node.value, frame) or "") in ("typing.Optional", "typing.Final", "typing.ClassVar"):
                return self._annotation(node.slice[0].slice.value, frame)
            return None
        return self._qualify(node, frame)

    def _value(self, node: Optional[cst.BaseExpression], frame: _Frame, annotation: Optional[cst.Annotation] = None) -> Value:
        ann = self._annotation(annotation.annotation, frame) if annotation is not None else None
        site = self._site(node) if node is not None else -1
        if isinstance(node, cst.Call):
            callee = self._qualify(node.func, frame)
            if callee is None and isinstance(node.func, cst.Attribute):
                callee = "." + node.func.attr.value  # pool.submit(fn): a method of a local object
            if callee == "dataclasses.field":
                for arg in node.args:
                    if arg.keyword is not None and arg.keyword.value == "default_factory":
                        return Value(callee=self._qualify(arg.value, frame), annotation=ann, site=site)
            positional = [a for a in node.args if a.keyword is None and not a.star]
            arg0 = self._path(positional[0].value, frame) if positional else None
            int0 = _int_literal(positional[0].value) if positional else None
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value in ("lock", "value", "maxsize") and arg0 is None and int0 is None:
                    arg0 = self._path(arg.value, frame)
                    int0 = _int_literal(arg.value)
            keywords = tuple(
                (arg.keyword.value, path)
                for arg in node.args
                if arg.keyword is not None
                for path in [self._path(arg.value, frame)]
                if path is not None
            )
            return Value(callee=callee, arg0=arg0, int0=int0, nargs=len(node.args), keywords=keywords, annotation=ann, site=site)
        if _is_none(node):
            return Value(annotation=ann, site=site)
        if node is not None:
            return Value(arg0=self._path(node, frame), annotation=ann, site=site)
        return Value(annotation=ann, site=site)

    # -- definitions -----------------------------------------------------

    def _decorators(self, decorators: Sequence[cst.Decorator], frame: _Frame) -> Tuple[str, ...]:
        names = []
        for deco in decorators:
            expr = deco.decorator
            suffix = ""
            if isinstance(expr, cst.Call):
                expr, suffix = expr.func, "()"
            qualified = self._qualify(expr, frame) if not isinstance(expr, cst.Name) or not frame.is_local(expr.value) else None
            if qualified is None:
                local = self._dotted(expr)
                qualified = f"<local>.{local}" if local else "<expr>"
            names.append(qualified + suffix)
        return tuple(names)

    def _function(self, node: cst.FunctionDef, outer: _Frame, cls: Optional[_ClassState]) -> str:
        decorators = self._decorators(node.decorators, outer)
        name = node.name.value
        kind = "function"
        if cls is not None:
            kind = "method"
            for deco, node_deco in zip(decorators, node.decorators):
                if deco == "builtins.staticmethod":
                    kind = "staticmethod"
                elif deco == "builtins.classmethod":
                    kind = "classmethod"
                elif deco in ("builtins.property", "functools.cached_property"):
                    kind = "property"
                elif isinstance(node_deco.decorator, cst.Attribute) and node_deco.decorator.attr.value in ("setter", "deleter"):
                    kind = node_deco.decorator.attr.value  # @name.setter
        if cls is not None:
            prefix = cls.qualname
        elif outer.is_module:
            prefix = self.module
        else:
            prefix = f"{outer.qualname}.<locals>"
        suffix = f".{kind}" if kind in ("setter", "deleter") else ""
        qualname = f"{prefix}.{name}{suffix}"
        params = self._params(node.params)
        param_types = []
        for param in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
            if param.annotation is not None:
                annotation = self._annotation(param.annotation.annotation, outer)
                if annotation is not None:
                    param_types.append((param.name.value, annotation))
        frame = _Frame(
            qualname=qualname,
            params=params,
            param_types=dict(param_types),
            parent=None if cls is not None or outer.is_module else outer,
            cls=cls,
            self_name=params[0] if cls is not None and kind in ("method", "property", "setter") and params else None,
        )
        frame.locals.update(params)
        site = self._site(node.name)
        end = self._block(node.body.body, frame, ())
        frame.exit_held = _join(frame.exit_held, end)
        summary = self._finish(frame, name=name, kind=kind, site=site, decorators=decorators, is_async=node.asynchronous is not None)
        self.functions.append(replace(summary, param_types=tuple(param_types)))
        if cls is not None:
            cls.methods[name + suffix] = qualname
        return qualname

    def _lambda(self, node: cst.Lambda, name: str, outer: _Frame) -> str:
        qualname = f"{outer.qualname}.<locals>.{name}" if not outer.is_module else f"{self.module}.{name}"
        params = self._params(node.params)
        frame = _Frame(qualname=qualname, params=params, parent=None if outer.is_module else outer)
        frame.locals.update(params)
        site = self._site(node)
        self._expr(node.body, frame, ())
        self.functions.append(self._finish(frame, name=name, kind="function", site=site))
        return qualname

    @staticmethod
    def _params(params: cst.Parameters) -> Tuple[str, ...]:
        names = [p.name.value for p in (*params.posonly_params, *params.params)]
        if isinstance(params.star_arg, cst.Param):
            names.append("*" + params.star_arg.name.value)
        names.extend(p.name.value for p in params.kwonly_params)
        if params.star_kwarg is not None:
            names.append("**" + params.star_kwarg.name.value)
        return tuple(names)

    def _finish(self, frame: _Frame, name: str, kind: str, site: int, decorators: Tuple[str, ...] = (), is_async: bool = False) -> FunctionSummary:
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
            local_defs=tuple(sorted(frame.local_defs.items())),
            local_values=tuple(sorted(frame.local_values.items(), key=lambda item: item[0])),
            released=tuple(sorted(frame.released, key=lambda p: (p.scope, p.base, p.attrs))),
            yield_held=frame.yield_held or (),
            exit_held=frame.exit_held or (),
            returns_local=frame.returns_local if frame.returns_count == 1 else None,
            returns_value=frame.returns_value if frame.returns_count == 1 else None,
            site=site,
        )

    def _class(self, node: cst.ClassDef, outer: _Frame, prefix: str) -> None:
        qualname = f"{prefix}.{node.name.value}"
        bases = []
        for arg in node.bases:
            if arg.keyword is None and not arg.star:
                bases.append(self._qualify(arg.value, outer) or "<expr>")
        state = _ClassState(
            qualname=qualname,
            name=node.name.value,
            bases=tuple(bases),
            decorators=self._decorators(node.decorators, outer),
            site=self._site(node.name),
        )
        body_frame = _Frame(qualname=qualname, params=(), is_module=True)
        for stmt in self._class_body(node.body.body):
            if isinstance(stmt, cst.FunctionDef):
                self._function(stmt, body_frame, state)
            elif isinstance(stmt, cst.ClassDef):
                self._class(stmt, outer, qualname)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                        state.class_attrs.append((small.targets[0].target.value, self._value(small.value, body_frame)))
                    elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        value = self._value(small.value, body_frame, small.annotation)
                        state.class_attrs.append((small.target.value, value))
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
            )
        )

    def _class_body(self, body: Sequence[cst.CSTNode]):
        """Statements of a class body, looking inside `if`/`try` (version switches)."""
        for stmt in body:
            if isinstance(stmt, (cst.If, cst.Try)):
                for block in self._sub_blocks(stmt):
                    yield from self._class_body(block)
            else:
                yield stmt

    # -- statements ------------------------------------------------------

    def _block(self, body: Sequence[cst.CSTNode], frame: _Frame, held: Optional[HeldSet], released_by: Sequence[cst.CSTNode] = ()) -> Optional[HeldSet]:
        """Walk statements in order. `released_by`: the finally block of the try this is the body of."""
        for index, stmt in enumerate(body):
            if held is None:
                break  # unreachable: nothing after return/raise runs
            lock = self._acquire_statement(stmt, frame)
            if lock is not None:
                frame.guard = self._guarded(body, index, lock, frame) or (index == 0 and self._releases(released_by, lock, frame))
            frame.rests.append((stmt, body[index + 1 :]))
            held = self._stmt(stmt, frame, held)
            frame.rests.pop()
            frame.guard = None
        return held

    # -- is every acquire() released on every path? (LL105) --------------

    def _acquire_call(self, node: Optional[cst.BaseExpression]) -> Optional[cst.Call]:
        while isinstance(node, (cst.Await, cst.UnaryOperation)):
            node = node.expression
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in _ACQUIRE:
            return node
        return None

    def _acquire_statement(self, stmt: cst.CSTNode, frame: _Frame) -> Optional[LockPath]:
        """The lock of `lock.acquire()`, `ok = lock.acquire(...)` or `if [not] lock.acquire(...):`."""
        value: Optional[cst.BaseExpression] = None
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
            small = stmt.body[0]
            if isinstance(small, (cst.Expr, cst.Assign)):
                value = small.value
        elif isinstance(stmt, cst.If):
            value = stmt.test
        call = self._acquire_call(value)
        return self._path(call.func.value, frame) if call is not None else None

    def _guarded(self, body: Sequence[cst.CSTNode], index: int, lock: LockPath, frame: _Frame) -> bool:
        """Is the lock acquired by body[index] released on every path, exceptions included?"""
        if any(entry.lock == lock for entry in frame.scoped):
            return True  # inside `with lock:`, which releases it whatever happens
        if any(self._releases(final, lock, frame) for final in frame.finals):
            return True  # inside a `try` whose `finally` releases it
        stmt = body[index]
        if isinstance(stmt, cst.If):
            negated = isinstance(stmt.test, cst.UnaryOperation) and isinstance(stmt.test.operator, cst.Not)
            held_branch = stmt.body.body if not negated else (stmt.orelse.body.body if isinstance(stmt.orelse, cst.Else) else None)
            if held_branch is not None:  # if lock.acquire(False): try: ... finally: lock.release()
                return self._protected(held_branch, lock, frame)
            if not self._exits(stmt.body.body):
                return False
        following = list(body[index + 1 :])
        if not following and frame.rests:
            # `if cond: lock.acquire()` then, after the if, `try: ... finally: if cond: lock.release()`
            parent, rest = frame.rests[-1]
            if isinstance(parent, cst.If) and parent.orelse is None:
                following = list(rest)
        # `ok = lock.acquire(timeout=1)` then `if not ok: return`
        while following and isinstance(following[0], cst.If) and following[0].orelse is None and self._exits(following[0].body.body):
            following.pop(0)
        return self._protected(following, lock, frame)

    def _protected(self, following: Sequence[cst.CSTNode], lock: LockPath, frame: _Frame) -> bool:
        """What follows an acquire releases it whatever happens: after simple assignments,
        a try whose finally (or catch-all handler) releases it, or a release nothing can skip."""
        index = 0
        while index < len(following) and isinstance(following[index], cst.SimpleStatementLine) and all(
            _simple_statement(small) for small in following[index].body
        ):
            index += 1
        return self._starts_with_try_release(following[index:], lock, frame) or self._released_safely(following, lock, frame)

    def _released_safely(self, body: Sequence[cst.CSTNode], lock: LockPath, frame: _Frame) -> bool:
        """Every path reaches lock.release() through statements that cannot raise."""
        for stmt in body:
            if self._releases([stmt], lock, frame) and isinstance(stmt, cst.SimpleStatementLine):
                return True
            if isinstance(stmt, cst.If) and stmt.orelse is None and _simple(stmt.test):
                if not (self._released_safely(stmt.body.body, lock, frame) and self._exits(stmt.body.body)):
                    return False
                continue
            if isinstance(stmt, cst.SimpleStatementLine) and all(_simple_statement(small) for small in stmt.body):
                continue
            return False
        return False

    def _starts_with_try_release(self, body: Sequence[cst.CSTNode], lock: LockPath, frame: _Frame) -> bool:
        if not body or not isinstance(body[0], (cst.Try, cst.TryStar)):
            return False
        attempt = body[0]
        if attempt.finalbody is not None and self._releases(attempt.finalbody.body.body, lock, frame):
            return True
        # `except BaseException: lock.release(); raise` guards the exceptional paths too
        return any(
            (handler.type is None or self._qualify(handler.type, frame) == "builtins.BaseException")
            and self._releases(handler.body.body, lock, frame)
            for handler in attempt.handlers
        )

    def _releases(self, body: Sequence[cst.CSTNode], lock: LockPath, frame: _Frame) -> bool:
        """Some statement in body (or nested in its if/try blocks) calls lock.release()."""
        for stmt in body:
            if isinstance(stmt, cst.If):
                branches = [stmt.body.body] + ([stmt.orelse.body.body] if isinstance(stmt.orelse, cst.Else) else [])
                if any(self._releases(branch, lock, frame) for branch in branches):
                    return True
            if isinstance(stmt, (cst.Try, cst.TryStar)):
                blocks = [stmt.body.body] + [h.body.body for h in stmt.handlers]
                blocks += [b.body.body for b in (stmt.orelse, stmt.finalbody) if b is not None]
                if any(self._releases(block, lock, frame) for block in blocks):
                    return True
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    value = small.value if isinstance(small, cst.Expr) else None
                    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in _RELEASE:
                        if self._path(value.func.value, frame) == lock:
                            return True
        return False

    @staticmethod
    def _exits(body: Sequence[cst.CSTNode]) -> bool:
        last = body[-1] if body else None
        if isinstance(last, cst.SimpleStatementLine) and last.body:
            return isinstance(last.body[-1], (cst.Return, cst.Raise, cst.Continue, cst.Break))
        return False

    def _suite(self, suite: cst.BaseSuite, frame: _Frame, held: HeldSet) -> Optional[HeldSet]:
        return self._block(suite.body, frame, held)

    def _stmt(self, stmt: cst.CSTNode, frame: _Frame, held: HeldSet) -> Optional[HeldSet]:
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            result: Optional[HeldSet] = held
            for small in stmt.body:
                if result is None:
                    break
                result = self._small(small, frame, result)
            return result
        if isinstance(stmt, cst.FunctionDef):
            if frame.is_module:
                self._function(stmt, frame, None)
            else:
                qualname = self._function(stmt, frame, None)
                frame.local_defs[stmt.name.value] = qualname
                frame.locals.add(stmt.name.value)
            return held
        if isinstance(stmt, cst.ClassDef):
            if frame.is_module:
                self._class(stmt, frame, self.module)
            return held
        if isinstance(stmt, cst.If):
            return self._if(stmt, frame, held)
        if isinstance(stmt, cst.While):
            held = self._expr(stmt.test, frame, held)
            frame.loops.append(self._read_paths(stmt.test, frame))
            end = self._suite(stmt.body, frame, held)
            frame.loops.pop()
            after = _join(held, end)
            if stmt.orelse is not None:
                after = self._suite(stmt.orelse.body, frame, after) if after is not None else None
            return after
        if isinstance(stmt, cst.For):
            held = self._expr(stmt.iter, frame, held)
            if stmt.asynchronous is not None:
                frame.events.append(Await(site=self._site(stmt.iter), held=held, how="async for"))
            iterated = self._path(stmt.iter, frame)
            if iterated is not None and iterated.scope == "local":
                self._emit_call(stmt.iter, Target("dunder", "__iter__", iterated), Args(), frame, held)
            self._bind_target(stmt.target, frame)
            end = self._suite(stmt.body, frame, held)
            after = _join(held, end)
            if stmt.orelse is not None and after is not None:
                after = self._suite(stmt.orelse.body, frame, after)
            return after
        if isinstance(stmt, (cst.Try, cst.TryStar)):
            return self._try(stmt, frame, held)
        if isinstance(stmt, cst.With):
            return self._with(stmt, frame, held)
        if isinstance(stmt, cst.Match):
            held = self._expr(stmt.subject, frame, held)
            after: Optional[HeldSet] = held  # no case may match
            for case in stmt.cases:
                start = held
                if case.guard is not None:
                    start = self._expr(case.guard, frame, start)
                after = _join(after, self._suite(case.body, frame, start))
            return after
        return held

    def _if(self, stmt: cst.If, frame: _Frame, held: HeldSet) -> Optional[HeldSet]:
        test = stmt.test
        negated = isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)
        inner = test.expression if negated else test
        before = held
        held = self._expr(test, frame, held, top=True)
        # `if lock.acquire(False):` holds the lock only where the test was true
        acquired = tuple(h for h in held if h not in before)
        if_true, if_false = held, held
        if acquired and self._is_acquire_call(inner):
            if negated:
                if_true = before
            else:
                if_false = before
        elif isinstance(inner, cst.Name) and frame.is_local(inner.value):
            flag = frame.local_values.get(inner.value)
            if flag is not None and flag.callee == "<acquire>" and flag.arg0 is not None:
                released = _without(held, flag.arg0)
                if negated:
                    if_true = released
                else:
                    if_false = released
        end = self._suite(stmt.body, frame, if_true)
        if stmt.orelse is None:
            other: Optional[HeldSet] = if_false
        elif isinstance(stmt.orelse, cst.If):
            other = self._if(stmt.orelse, frame, if_false)
        else:
            other = self._suite(stmt.orelse.body, frame, if_false)
        return _join(end, other)

    @staticmethod
    def _is_acquire_call(node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Await):
            node = node.expression
        return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in _ACQUIRE

    def _try(self, stmt, frame: _Frame, held: HeldSet) -> Optional[HeldSet]:
        final = stmt.finalbody.body.body if stmt.finalbody is not None else ()
        frame.finals.append(final)  # guards acquires in the body, handlers and else (not in itself)
        end = self._block(stmt.body.body, frame, held, released_by=final)
        # an exception can come from anywhere in the body
        handler_start = _join(held, end) if end is not None else held
        if stmt.orelse is not None and end is not None:
            end = self._suite(stmt.orelse.body, frame, end)
        ends = [end]
        for handler in stmt.handlers:
            start = handler_start
            if handler.type is not None:
                start = self._expr(handler.type, frame, start)
            if handler.name is not None:
                self._bind_target(handler.name.name, frame)
            ends.append(self._suite(handler.body, frame, start))
        frame.finals.pop()
        after: Optional[HeldSet] = None
        for e in ends:
            after = _join(after, e)
        if stmt.finalbody is not None:
            start = _join(after, handler_start) if after is not None else handler_start
            finished = self._suite(stmt.finalbody.body, frame, start)
            if after is None or finished is None:
                return None
            # what the finally block released is released after the try too
            return tuple(h for h in after if h in finished) + tuple(h for h in finished if h not in start)
        return after

    def _with(self, stmt: cst.With, frame: _Frame, held: HeldSet) -> Optional[HeldSet]:
        how = "async with" if stmt.asynchronous is not None else "with"
        added: List[Held] = []
        for item in stmt.items:
            expr = item.item
            path = self._path(expr, frame)
            if path is not None:
                site = self._site(expr)
                if how == "async with":
                    frame.events.append(Await(site=site, held=held, how=how))
                frame.events.append(Acquire(site=site, lock=path, held=held, blocking=True, how=how))
                if path.scope == "local":
                    enter = "__aenter__" if how == "async with" else "__enter__"
                    self._emit_call(expr, Target("dunder", enter, path), Args(), frame, held, site=site)
                entry = Held(site=site, lock=path)
            elif isinstance(expr, cst.Call):
                held = self._expr_children(expr, frame, held)
                if how == "async with":
                    frame.events.append(Await(site=self._site(expr), held=held, how=how))
                site = self._emit_target_call(expr, frame, held, awaited=how == "async with")
                if site is None:
                    continue
                entry = Held(site=site, via_call=site)
            else:
                held = self._expr(expr, frame, held)
                continue
            held = held + (entry,)
            added.append(entry)
            frame.scoped.append(entry)
            if item.asname is not None:
                self._bind_target(item.asname.name, frame)
        end = self._suite(stmt.body, frame, held)
        del frame.scoped[len(frame.scoped) - len(added) :]
        if end is None:
            return None
        return tuple(h for h in end if h not in added)

    def _small(self, small: cst.CSTNode, frame: _Frame, held: HeldSet) -> Optional[HeldSet]:
        if isinstance(small, cst.Expr):
            return self._expr(small.value, frame, held, top=True)
        if isinstance(small, cst.Assign):
            held = self._expr(small.value, frame, held, top=True)
            for target in small.targets:
                held = self._assign(target.target, small.value, None, frame, held)
            return held
        if isinstance(small, cst.AnnAssign):
            if small.value is not None:
                held = self._expr(small.value, frame, held)
            return self._assign(small.target, small.value, small.annotation, frame, held)
        if isinstance(small, cst.AugAssign):
            held = self._expr(small.value, frame, held)
            return self._assign(small.target, None, None, frame, held)
        if isinstance(small, cst.Return):
            if small.value is not None:
                held = self._expr(small.value, frame, held)
                frame.returns_count += 1
                if isinstance(small.value, cst.Name):
                    frame.returns_local = frame.local_def(small.value.value)
                elif isinstance(small.value, cst.Call):
                    frame.returns_value = self._value(small.value, frame)
            frame.exit_held = _join(frame.exit_held, tuple(h for h in held if h not in frame.scoped))
            return None
        if isinstance(small, cst.Raise):
            if small.exc is not None:
                self._expr(small.exc, frame, held)
            return None
        if isinstance(small, (cst.Break, cst.Continue)):
            return None
        if isinstance(small, cst.Del):
            return self._delete(small.target, frame, held)
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            if frame.is_module:
                return held
            local: Dict[str, str] = {}
            self._import(small, local)
            for name, qualified in local.items():
                self.names.setdefault(name, qualified)
            return held
        if isinstance(small, cst.Assert):
            return self._expr(small.test, frame, held)
        if isinstance(small, (cst.Global, cst.Nonlocal)):
            return held
        return held

    def _delete(self, target: cst.BaseExpression, frame: _Frame, held: HeldSet) -> HeldSet:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                held = self._delete(element.value, frame, held)
            return held
        if isinstance(target, cst.Subscript):
            held = self._expr_children(target, frame, held)
            obj = self._path(target.value, frame)
            if obj is not None and obj.scope == "local":
                self._emit_call(target, Target("dunder", "__delitem__", obj), Args(), frame, held)
        return held

    def _bind_target(self, target: cst.CSTNode, frame: _Frame) -> None:
        """A name assigned in a function is local to it (for later lookups)."""
        if frame.is_module:
            return
        if isinstance(target, cst.Name):
            frame.locals.add(target.value)
            frame.aliases.pop(target.value, None)
            frame.local_defs.pop(target.value, None)
            frame.local_values.pop(target.value, None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, frame)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, frame)

    def _assign(self, target: cst.BaseExpression, value: Optional[cst.BaseExpression], annotation, frame: _Frame, held: HeldSet) -> HeldSet:
        if isinstance(target, cst.Name):
            name = target.value
            if frame.is_module:
                if value is not None or annotation is not None:
                    self.globals.append((name, self._value(value, frame, annotation)))
                return held
            path = self._path(value, frame) if value is not None else None
            self._bind_target(target, frame)
            if isinstance(value, cst.Lambda):
                frame.local_defs[name] = self._lambda(value, name, frame)
            elif path is not None and path.scope == "local" and path.base != name:
                frame.aliases[name] = path  # `lock = self._lock`
            elif path is not None and path.scope == "global":
                frame.aliases[name] = path
            elif value is not None and self._is_acquire_call(value):
                call = value.expression if isinstance(value, cst.Await) else value
                frame.local_values[name] = Value(callee="<acquire>", arg0=self._path(call.func.value, frame))
            elif value is not None or annotation is not None:
                frame.local_values[name] = self._value(value, frame, annotation)
            return held
        if isinstance(target, cst.Attribute):
            obj = self._path(target.value, frame)
            if obj is None:
                return self._expr(target.value, frame, held)
            if frame.cls is not None and obj.scope == "local" and obj.base == frame.self_name and not obj.attrs:
                decl = self._value(value, frame, annotation)
                if decl.annotation is None and isinstance(value, cst.Name) and value.value in frame.param_types:
                    decl = replace(decl, annotation=frame.param_types[value.value])  # self._x = x, with x: Class
                if decl.arg0 is not None and decl.arg0.scope == "local" and decl.arg0.base == frame.self_name:
                    # Condition(self._lock): name the wrapped lock relative to the instance
                    decl = replace(decl, arg0=LockPath(SELF, decl.arg0.attrs))
                frame.cls.instance_attrs.append((target.attr.value, decl))
            if obj.scope == "local":
                self._emit_call(target, Target("attr", target.attr.value + "=", obj), Args(), frame, held)
            return held
        if isinstance(target, cst.Subscript):
            held = self._expr_children(target, frame, held)
            obj = self._path(target.value, frame)
            if obj is not None and obj.scope == "local":
                self._emit_call(target, Target("dunder", "__setitem__", obj), Args(), frame, held)
            return held
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                inner = element.value
                held = self._assign(inner.value if isinstance(inner, cst.StarredElement) else inner, None, None, frame, held)
            return held
        return held

    # -- expressions (in evaluation order) ------------------------------

    def _expr(self, node: cst.CSTNode, frame: _Frame, held: HeldSet, top: bool = False) -> HeldSet:
        """Walk an expression. `top`: its value is not handed to anything else, so a
        `lock.acquire()` here acquires for this function (and not, say, for the
        task in `create_task(lock.acquire())`)."""
        kind = type(node)  # exact types: isinstance on libcst's abstract bases is slow
        if kind is cst.Name or kind in _LEAVES:
            return held
        if kind is cst.Call:
            return self._call(node, frame, held, awaited=False, top=top)
        if kind is cst.Attribute:
            held = self._expr(node.value, frame, held)
            obj = self._path(node.value, frame)
            if obj is not None and obj.scope == "local":
                self._emit_call(node, Target("attr", node.attr.value, obj), Args(), frame, held)
            return held
        if kind is cst.UnaryOperation and type(node.operator) is cst.Not:
            return self._expr(node.expression, frame, held, top=top)
        if kind is cst.Await:
            inner = node.expression
            if type(inner) is cst.Call:
                held = self._call(inner, frame, held, awaited=True, top=True)
            else:
                held = self._expr(inner, frame, held)
            frame.events.append(Await(site=self._site(node), held=held))
            return held
        if kind is cst.Subscript:
            held = self._expr_children(node, frame, held)
            obj = self._path(node.value, frame)
            if obj is not None and obj.scope == "local":
                self._emit_call(node, Target("dunder", "__getitem__", obj), Args(), frame, held)
            return held
        if kind is cst.Comparison:
            held = self._expr_children(node, frame, held)
            for comparison in node.comparisons:
                if type(comparison.operator) in (cst.In, cst.NotIn):
                    obj = self._path(comparison.comparator, frame)
                    if obj is not None and obj.scope == "local":
                        self._emit_call(node, Target("dunder", "__contains__", obj), Args(), frame, held)
            return held
        if kind is cst.Lambda:
            return held  # its body runs when (and where) it is called
        if kind is cst.Yield:
            if node.value is not None:
                held = self._expr(node.value, frame, held)
            frame.yield_held = _join(frame.yield_held, held)
            return held
        if kind is cst.NamedExpr:
            held = self._expr(node.value, frame, held)
            self._bind_target(node.target, frame)
            return held
        return self._expr_children(node, frame, held)

    def _read_paths(self, node: cst.CSTNode, frame: _Frame) -> Tuple[LockPath, ...]:
        """Objects an expression reads (`not self._done and n < 3` -> self._done)."""
        found: List[LockPath] = []

        def visit(current: cst.CSTNode) -> None:
            if isinstance(current, (cst.Attribute, cst.Name)):
                path = self._path(current, frame)
                if path is not None and (path.attrs or path.scope == "global"):
                    found.append(path)
                    return
            if isinstance(current, (cst.Call, cst.Lambda)):
                return
            for child in current.children:
                visit(child)

        visit(node)
        return tuple(found)

    def _expr_children(self, node: cst.CSTNode, frame: _Frame, held: HeldSet) -> HeldSet:
        """The sub-expressions of a node, in source order (reading fields directly:
        libcst's `children` rebuilds the node to list them)."""
        for name in _expression_fields(type(node)):
            value = getattr(node, name)
            if type(value) in (list, tuple):
                for item in value:
                    if _is_node(type(item)):
                        held = self._expr(item, frame, held)
            elif _is_node(type(value)):
                held = self._expr(value, frame, held)
        return held

    def _call(self, node: cst.Call, frame: _Frame, held: HeldSet, awaited: bool, top: bool = False) -> HeldSet:
        func = node.func
        if isinstance(func, cst.Attribute):
            held = self._expr(func.value, frame, held)
        elif not isinstance(func, cst.Name):
            held = self._expr(func, frame, held)
        for arg in node.args:
            held = self._expr(arg.value, frame, held)
        if isinstance(func, cst.Attribute) and func.attr.value in _ACQUIRE | _RELEASE and top:
            lock = self._path(func.value, frame)
            if lock is not None:
                if func.attr.value in _RELEASE:
                    frame.released.add(lock)
                    return _without(held, lock)
                site = self._site(node)
                guarded = frame.guard if frame.guard is not None else False
                frame.guard = None
                frame.events.append(Acquire(site=site, lock=lock, held=held, blocking=_acquire_blocks(node), how="acquire", guarded=guarded))
                return held + (Held(site=site, lock=lock, how="acquire"),)
        self._emit_target_call(node, frame, held, awaited)
        return held

    def _emit_target_call(self, node: cst.Call, frame: _Frame, held: HeldSet, awaited: bool) -> Optional[int]:
        target = self._target(node, frame)
        if target is None:
            return None
        args = self._args(node, frame)
        if target.kind == "method" and target.receiver is not None and target.receiver.scope == "global":
            target = Target("global", f"{target.receiver.base}." + ".".join(target.receiver.attrs + (target.name,)))
        return self._emit_call(node, target, args, frame, held, awaited=awaited)

    def _emit_call(self, node: cst.CSTNode, target: Target, args: Args, frame: _Frame, held: HeldSet, awaited: bool = False, site: Optional[int] = None) -> int:
        if site is None:
            site = self._site(node)
        loop = frame.loops[-1] if frame.loops else ()
        frame.events.append(Call(site=site, target=target, args=args, held=held, awaited=awaited, loop=loop))
        return site

    def _target(self, node: cst.Call, frame: _Frame) -> Optional[Target]:
        func = node.func
        if isinstance(func, cst.Name):
            name = func.value
            if name in _DUNDER_BUILTINS and not frame.is_local(name) and name not in self.names and len(node.args) == 1:
                obj = self._path(node.args[0].value, frame)
                if obj is not None and obj.scope == "local":
                    return Target("dunder", _DUNDER_BUILTINS[name], obj)
                return None
            if frame.is_local(name):
                local = frame.local_def(name)
                return Target("local", local or name)
            qualified = self._qualify(func, frame)
            return Target("global", qualified) if qualified else None
        if isinstance(func, cst.Attribute):
            value = func.value
            if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "super":
                return Target("super", func.attr.value)
            obj = self._path(value, frame)
            if obj is None:
                return None
            return Target("method", func.attr.value, obj)
        path = self._path(func, frame)
        if path is not None and path.scope == "local" and not path.attrs:
            return Target("dunder", "__call__", path)
        return None

    def _args(self, node: cst.Call, frame: _Frame) -> Args:
        positional: List[Optional[LockPath]] = []
        keywords: List[Tuple[str, Optional[LockPath]]] = []
        literals: List[Optional[str]] = []
        keyword_literals: List[Tuple[str, Optional[str]]] = []
        starred = False
        for arg in node.args:
            if arg.star:
                starred = True
                continue
            path = self._path(arg.value, frame)
            if arg.keyword is not None:
                keywords.append((arg.keyword.value, path))
                keyword_literals.append((arg.keyword.value, _literal(arg.value)))
            elif not starred:
                positional.append(path)
                literals.append(_literal(arg.value))
        return Args(tuple(positional), tuple(keywords), starred, tuple(literals), tuple(keyword_literals))
