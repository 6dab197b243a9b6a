"""Stage 5b: autofixes for LL101.

Three families of fixes, each a libcst edit planned only for shapes where the
rewrite provably keeps control flow (lintlock/rules/LL101.md shows each):

  move     the call runs after the lock is released (_Mover):
    tail      the call is the last statement of the locked region (a `with`
              block, or the `try` whose `finally` releases an `acquire()`):
              move it after; a region left empty is dropped.
    deferred  the call sits in an `if` branch or `except` handler of the
              region: record the decision under the lock (`pending_x = True`),
              make the call after the release (the seed's two-phase fix). A
              branch that then leaves (`return`, `raise`) keeps doing so after
              the call, and what followed the branch under the lock moves to
              an `else:` so the early exit still skips it. A re-raised
              exception is kept and raised after the call.
    loop      the call is the last thing a `for` loop of the region does:
              collect its arguments under the lock (`to_x.append(item)`),
              make the calls in a loop after the release (_LoopDeferral);
              safe only if the loop reads nothing the callee touches.
  split    the function that takes the lock again is one `with lock:` (or
           acquire/try/finally, or an in-tree decorator that only holds the
           lock) around its work: that work becomes `name_locked()`, which
           expects the caller to hold the lock, `name()` takes the lock and
           calls it, and the call made under the lock (or the last hop of a
           chain) calls `name_locked()`, implicit calls (`len(self)`, a
           property) made explicit (_Splitter); `x.prop += v` becomes
           `prop_value = x.prop_locked()`, `prop_value += v`, `x.prop =
           prop_value`; with `prop = property(get, set)` the variant is
           get's or set's. Behaviour, atomicity included, is kept exactly.
           The function may be in another file (`other` in plan();
           PlannedFix.others).
  rlock    a private `threading.Lock()` becomes an RLock (unsafe: it hides
           the design problem).

Moves are preferred when safe (the callee's critical section is its own, and
the caller's gets shorter); the split when no move is safe; then unsafe moves
(statements that followed the call under the lock now run before it); the
RLock last. A fix is *safe* when it keeps what runs under the lock and in
which order. No safe fix is offered in a function whose control flow tests a
lock (`if lock.acquire(False):`, `lock.locked()`): if the finding were wrong,
the fix would change which code runs.

Call arguments of a moved call must be constants or local names that the
region does not reassign after the call: anything else is a value read under
the lock, and reading it after the release could see another thread's write.
"""

from __future__ import annotations

import builtins
import dataclasses
from dataclasses import dataclass
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple, Type, TypeVar, Union

import libcst as cst

from .model import FixRequest
from .summarize import site_nodes

Block = Sequence[cst.BaseStatement]
_Node = TypeVar("_Node", bound=cst.CSTNode)
_BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class PlannedFix:
    safe: bool
    title: str
    tree: cst.Module  # the finding's file, fixed
    others: Tuple[Tuple[str, cst.Module], ...] = ()  # (path, fixed tree) of other files the fix edits


class _Unfixable(Exception):
    """This shape is not one we can prove; offer no fix."""


def plan(
    tree: cst.Module,
    nodes: Dict[int, cst.CSTNode],
    request: FixRequest,
    other: Optional[Tuple[cst.Module, Dict[int, cst.CSTNode]]] = None,
    facts: Optional[TreeFacts] = None,
) -> Optional[PlannedFix]:
    """The fix for one finding, or None: a safe move, else the split, else an unsafe move, else RLock.
    `other`: the tree and sites of request.split_path, when the function to split is there.
    `facts`: TreeFacts(tree), shared when the caller plans several fixes in one tree."""
    facts = facts if facts is not None else TreeFacts(tree)
    parents = facts.parents
    tested = facts.lock_tested(nodes.get(request.call_site))
    unsafe: Optional[PlannedFix] = None
    why_not = request.split_why
    for shape in (_Mover, _Splitter):
        try:
            planned = (_Mover(tree, nodes, request, parents) if shape is _Mover else _Splitter(tree, nodes, request, parents, other, facts)).plan()
        except _Unfixable as error:
            why_not = why_not or (str(error) if shape is _Splitter else "")
            continue
        except (cst.CSTValidationError, cst.ParserSyntaxError, ValueError, TypeError, AttributeError, LookupError):
            continue  # a shape the planner did not foresee: no fix from it, never a failed run
        if planned.safe and not tested:
            return planned
        unsafe = unsafe or PlannedFix(False, planned.title, planned.tree, planned.others)
    if unsafe is not None:
        return unsafe
    fallback = _rlock_fix(tree, nodes, request, parents)
    if fallback is not None and why_not:
        fallback = PlannedFix(False, f"{fallback.title}; no _locked split: {why_not}", fallback.tree)
    return fallback


def nodes_of(tree: cst.Module, path: str, module: str, is_package: bool) -> Dict[int, cst.CSTNode]:
    return site_nodes(tree, path, module, is_package)


class TreeFacts:
    """What planning asks of one parsed file again for each finding in it, worked out once."""

    def __init__(self, tree: cst.Module) -> None:
        self.tree = tree
        self.parents: Dict[int, cst.CSTNode] = {}  # id(node) -> its parent, for walking up from a site
        every = _walk(tree, self.parents)
        self._names = {n.value for n in every if isinstance(n, cst.Name)}
        # the functions a lock test is made in, nested ones and those around them
        self._testing = {id(f) for call in every if isinstance(call, cst.Call) and _lock_test(call) for f in _functions_around(self.parents, call)}

    def names(self) -> Set[str]:
        """Every name used in the file (what a new function must not be called)."""
        return self._names

    def lock_tested(self, call: Optional[cst.CSTNode]) -> bool:
        """The function holding `call` decides by a lock test: `lock.acquire(False)`,
        `acquire(timeout=...)`, `lock.locked()` (a blocking `acquire()` decides nothing)."""
        function = _enclosing(self.parents, call, cst.FunctionDef)
        return function is not None and id(function) in self._testing


# -- helpers ---------------------------------------------------------------


def _names(node: cst.CSTNode) -> Set[str]:
    return {n.value for n in _walk(node, {}) if isinstance(n, cst.Name)}


def _walk(root: cst.CSTNode, parents: Dict[int, cst.CSTNode]) -> List[cst.CSTNode]:
    """Every node below root (root too), each child's parent recorded in `parents`. A node's
    children are the nodes in its dataclass fields, as libcst visits them; reading the fields
    is four times faster than a CSTVisitor (planning walks every fixed file again)."""
    found: List[cst.CSTNode] = [root]
    stack: List[cst.CSTNode] = [root]
    while stack:
        node = stack.pop()
        for field in dataclasses.fields(node):
            value = getattr(node, field.name)
            for child in value if isinstance(value, (tuple, list)) else (value,):
                if isinstance(child, cst.CSTNode):
                    parents[id(child)] = node
                    found.append(child)
                    stack.append(child)
    return found


def _bound(target: cst.CSTNode) -> Set[str]:
    """Names an assignment target binds (`a`, `a, *b`), not attributes or items."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {name for element in target.elements for name in _bound(element.value)}
    if isinstance(target, cst.StarredElement):
        return _bound(target.value)
    return set()


def _assigned(nodes: Sequence[cst.CSTNode]) -> Set[str]:
    """Names any of these statements may bind."""
    found: Set[str] = set()

    class Binds(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            found.update(_bound(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            found.update(_bound(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            found.update(_bound(node.target))

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            found.update(_bound(node.target))

        def visit_For(self, node: cst.For) -> None:
            found.update(_bound(node.target))

        def visit_AsName(self, node: cst.AsName) -> None:
            found.update(_bound(node.name))

        def visit_Global(self, node: cst.Global) -> None:
            found.update(n.name.value for n in node.names)

    for node in nodes:
        node.visit(Binds())
    return found


def _constant(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString, cst.Imaginary)):
        return True
    if isinstance(node, cst.Name) and node.value in ("None", "True", "False"):
        return True
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return _constant(node.expression)
    return False


def _local_constant(stmt: cst.BaseStatement) -> bool:
    """`name = <constant>`: touches nothing another thread can see."""
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign)):
        return False
    assign = stmt.body[0]
    return all(isinstance(t.target, cst.Name) for t in assign.targets) and _constant(assign.value)


def _stable(node: cst.BaseExpression, unstable: Set[str]) -> bool:
    """Evaluating this after the release gives what it gave under the lock."""
    return _constant(node) or (isinstance(node, cst.Name) and node.value not in unstable)


def _statement_of(block: Block, target: cst.CSTNode) -> Optional[int]:
    for index, stmt in enumerate(block):
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr):
            value = stmt.body[0].value
            if value is target or (isinstance(value, cst.Await) and value.expression is target):
                return index
    return None


def _exit_kind(stmt: cst.BaseStatement) -> Optional[cst.BaseSmallStatement]:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], (cst.Return, cst.Raise)):
        return stmt.body[0]
    return None


def _contains(node: cst.CSTNode, target: cst.CSTNode) -> bool:
    return any(n is target for n in _walk(node, {}))


def _exits_anywhere(stmts: Sequence[cst.CSTNode]) -> bool:
    found: List[cst.CSTNode] = []

    class Exits(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            found.append(node)

        def visit_Raise(self, node: cst.Raise) -> None:
            found.append(node)

        def visit_Break(self, node: cst.Break) -> None:
            found.append(node)

        def visit_Continue(self, node: cst.Continue) -> None:
            found.append(node)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

    for stmt in stmts:
        stmt.visit(Exits())
    return bool(found)


def _callee_name(call: cst.Call) -> str:
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else "call"
    return name.lstrip("_") or "call"


def _check_receiver(call: cst.Call, unstable: Set[str]) -> None:
    func = call.func
    receiver = func.value if isinstance(func, cst.Attribute) else func
    if not isinstance(receiver, cst.Name) or receiver.value in unstable:
        raise _Unfixable("receiver read under the lock")


def _check_paths(before_call: Block, exit_stmt, after_top: Block, owner: cst.CSTNode, top: cst.CSTNode) -> None:
    """No other exit on the call's path, and no `finally`/`else`/other handler that the
    moved exit would now skip or run in another order."""
    if _exits_anywhere(before_call) or (exit_stmt is None and _exits_anywhere(after_top)):
        raise _Unfixable("another exit on the path")
    if (
        isinstance(owner, cst.ExceptHandler)
        and isinstance(top, cst.Try)
        and (top.finalbody is not None or (exit_stmt is not None and (top.orelse is not None or len(top.handlers) != 1)))
    ):
        raise _Unfixable("finally, else or other handlers around the handler")


def _last_statement_path(block: Block, call: cst.Call) -> Optional[cst.SimpleStatementLine]:
    """The statement of `call` if it is the last thing `block` does (through `if`/`else`), else None."""
    if not block:
        return None
    index = _statement_of(block, call)
    if index is not None:
        last_line = block[-1]  # _statement_of found a SimpleStatementLine
        return last_line if index == len(block) - 1 and isinstance(last_line, cst.SimpleStatementLine) else None
    last: Optional[cst.BaseStatement] = block[-1]
    while isinstance(last, cst.If):
        for branch in (last.body, last.orelse.body if isinstance(last.orelse, cst.Else) else None):
            if isinstance(branch, cst.IndentedBlock) and _contains(branch, call):
                return _last_statement_path(branch.body, call)
        last = last.orelse if isinstance(last.orelse, cst.If) else None
    return None


def _uses(node: cst.CSTNode, own: Optional[str], local: Set[str]) -> Tuple[Set[str], bool]:
    """(what `node` reads or writes: `.attr` of the object named `own`, other non-local names;
    whether it also uses that object in ways we cannot see into: `own.method()`, `len(own)`)."""
    used: Set[str] = set()
    opaque: List[cst.CSTNode] = []

    class Uses(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> bool:
            if isinstance(attribute.value, cst.Name) and attribute.value.value == own:
                used.add("." + attribute.attr.value)
                return False
            attribute.value.visit(self)
            return False

        def visit_Call(self, call: cst.Call) -> None:
            func = call.func
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == own:
                opaque.append(call)

        def visit_Name(self, name: cst.Name) -> None:
            if name.value == own:
                opaque.append(name)  # the object itself, handed to something
            elif name.value not in local and name.value not in _BUILTINS:
                used.add(name.value)

    node.visit(Uses())
    return used, bool(opaque)


def _leaves(stmts: Sequence[cst.CSTNode]) -> bool:
    """A `return` or `raise` (not `break`/`continue`) in these statements."""
    found: List[cst.CSTNode] = []

    class Leaves(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            found.append(node)

        def visit_Raise(self, node: cst.Raise) -> None:
            found.append(node)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

    for stmt in stmts:
        stmt.visit(Leaves())
    return bool(found)


def _names_outside(scope: cst.CSTNode, inner: cst.CSTNode) -> Set[str]:
    found: Set[str] = set()

    class Names(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if node is inner:
                return False
            if isinstance(node, cst.Name):
                found.add(node.value)
            return True

    scope.visit(Names())
    return found


def _parent_block(tree: cst.Module, target: cst.CSTNode, parents: Optional[Dict[int, cst.CSTNode]] = None) -> Union[cst.Module, cst.IndentedBlock]:
    """The Module or IndentedBlock whose body holds `target`."""
    known = parents.get(id(target)) if parents is not None else None
    if isinstance(known, (cst.Module, cst.IndentedBlock)) and any(s is target for s in known.body):
        return known
    stack: List[cst.CSTNode] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Module, cst.IndentedBlock)) and any(s is target for s in node.body):
            return node
        stack.extend(node.children)
    raise _Unfixable("no parent block")


def _replaced(tree: cst.Module, old: cst.CSTNode, new: cst.CSTNode, parents: Optional[Dict[int, cst.CSTNode]] = None) -> cst.Module:
    """`tree` with `old` (a node below its root) replaced by `new`."""
    if old is tree:
        raise _Unfixable("the whole module would be replaced")
    return _rewrite(tree, {id(old): new}, parents)


def _rewrite(tree: cst.Module, replacements: Mapping[int, Union[cst.CSTNode, cst.FlattenSentinel]], parents: Optional[Dict[int, cst.CSTNode]]) -> cst.Module:
    """`tree` with nodes replaced by identity. With `parents` (of this tree), only the paths from
    the root to the replaced nodes are rebuilt: the rest of the tree is shared, not copied."""
    paths: Optional[Set[int]] = None
    if parents is not None:
        paths = set()
        for replaced in replacements:
            node = parents.get(replaced)
            while node is not None and id(node) not in paths:
                paths.add(id(node))
                node = parents.get(id(node))
    result = tree.visit(_Replace(replacements, paths))
    assert isinstance(result, cst.Module)
    return result


def _parents(tree: cst.Module) -> Dict[int, cst.CSTNode]:
    """id(node) -> its parent, for walking up from a site."""
    parents: Dict[int, cst.CSTNode] = {}
    _walk(tree, parents)
    return parents


def _enclosing(parents: Dict[int, cst.CSTNode], node: Optional[cst.CSTNode], kind: Type[_Node]) -> Optional[_Node]:
    while node is not None:
        node = parents.get(id(node))
        if isinstance(node, kind):
            return node
    return None


def _scope(parents: Dict[int, cst.CSTNode], node: cst.CSTNode) -> Optional[cst.CSTNode]:
    """The function, lambda or class whose namespace a name bound at `node` goes to (None: the module's)."""
    scope: Optional[cst.CSTNode] = parents.get(id(node))
    while scope is not None and not isinstance(scope, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        scope = parents.get(id(scope))
    return scope


_LOCK_TESTS = {"acquire", "acquire_lock", "locked"}


def _functions_around(parents: Dict[int, cst.CSTNode], node: cst.CSTNode) -> List[cst.FunctionDef]:
    around: List[cst.FunctionDef] = []
    function = _enclosing(parents, node, cst.FunctionDef)
    while function is not None:
        around.append(function)
        function = _enclosing(parents, function, cst.FunctionDef)
    return around


def _lock_test(node: cst.Call) -> bool:
    func = node.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in _LOCK_TESTS):
        return False
    return func.attr.value == "locked" or any(not (isinstance(a.value, cst.Name) and a.value.value == "True") for a in node.args)


class _Replace(cst.CSTTransformer):
    """Replace nodes by identity (a statement may become several)."""

    def __init__(self, replacements: Mapping[int, Union[cst.CSTNode, cst.FlattenSentinel]], paths: Optional[Set[int]] = None) -> None:
        super().__init__()
        self.replacements = replacements
        self.paths = paths  # the ancestors of the replaced nodes: nothing else needs a visit

    def on_visit(self, node: cst.CSTNode) -> bool:
        return self.paths is None or id(node) in self.paths

    def on_leave(self, original_node, updated_node):
        return self.replacements.get(id(original_node), updated_node)


def _comments(node: cst.CSTNode, skip: cst.CSTNode) -> List[cst.EmptyLine]:
    """The comments in `node` outside `skip`, as comment lines (for code that is dropped)."""
    found: List[cst.EmptyLine] = []

    class Comments(cst.CSTVisitor):
        def on_visit(self, visited: cst.CSTNode) -> bool:
            if visited is skip:
                return False
            if isinstance(visited, cst.Comment):
                found.append(cst.EmptyLine(comment=visited))
            return True

    node.visit(Comments())
    return found


class _Edit:
    """What every shape needs: the tree, the sites, fresh names, statements in the file's style."""

    def __init__(self, tree: cst.Module, nodes: Dict[int, cst.CSTNode], request: FixRequest, parents: Dict[int, cst.CSTNode]) -> None:
        self.tree = tree
        self.nodes = nodes
        self.request = request
        self.parents = parents
        self.config = tree.config_for_parsing

    def statement(self, code: str) -> Union[cst.SimpleStatementLine, cst.BaseCompoundStatement]:
        return cst.parse_statement(code, config=self.config)

    def fresh(self, near: cst.CSTNode, candidates: Sequence[str]) -> str:
        """The first candidate (else the last one numbered) that the function around `near` does not use."""
        scope = _enclosing(self.parents, near, cst.FunctionDef) or self.tree
        taken = _names(scope)
        for name in candidates:
            if name not in taken:
                return name
        number = 2
        while f"{candidates[-1]}_{number}" in taken:
            number += 1
        return f"{candidates[-1]}_{number}"

    def replace_in_parent(
        self,
        container: cst.CSTNode,
        before: cst.CSTNode,
        new_container: Sequence[cst.BaseStatement],
        prefix: List[cst.BaseStatement],
        suffix: List[cst.BaseStatement],
    ) -> cst.Module:
        """The tree with `container` replaced (by nothing, one or more statements), `prefix`
        put before `before` and `suffix` after the container."""
        parent = _parent_block(self.tree, container, self.parents)
        body: List[cst.BaseStatement] = []
        for stmt in parent.body:
            if stmt is before:
                body.extend(prefix)
            if stmt is container:
                body.extend(new_container)
                body.extend(suffix)
            elif not (stmt is before and not new_container):
                body.append(stmt)
        return _replaced(self.tree, parent, parent.with_changes(body=body), self.parents)


class _Mover(_Edit):
    def plan(self) -> PlannedFix:
        call = self.nodes.get(self.request.call_site)
        if not isinstance(call, cst.Call):
            raise _Unfixable("not a call")
        container, region, before = self._region()
        found = self._locate(region.body, call)
        if found is None:
            return _LoopDeferral(self.tree, self.nodes, self.request, self.parents).plan_in(container, region, before, call)
        branch, index = found
        if branch:
            top = branch[0][0]
            later = list(branch[-1][1][index + 1 :]) + list(region.body[[s is top for s in region.body].index(True) + 1 :])
        else:
            later = list(region.body[index + 1 :])
        self._check_call(call, later)
        if not branch:
            if _exits_anywhere(later):
                raise _Unfixable("an exit after the call would now skip it")
            return self._tail(container, region, before, index)
        return self._deferred(container, region, before, branch, index, call)

    # -- where --------------------------------------------------------------

    def _region(self) -> Tuple[cst.BaseCompoundStatement, cst.IndentedBlock, cst.BaseStatement]:
        """(statement whose end releases the lock, its locked body, statement to put set-up before)."""
        anchor = self.nodes.get(self.request.lock_site)
        if anchor is None:
            raise _Unfixable("no lock site")
        if self.request.lock_how == "with":
            return self._with_region(anchor)
        return self._acquire_region(anchor)

    def _with_region(self, anchor: cst.CSTNode) -> Tuple[cst.BaseCompoundStatement, cst.IndentedBlock, cst.BaseStatement]:
        node = _enclosing(self.parents, anchor, cst.With)
        if node is None or not any(item.item is anchor for item in node.items):
            raise _Unfixable("with not found")
        if not isinstance(node.body, cst.IndentedBlock) or len(node.items) != 1:
            raise _Unfixable("one-line or multi-item with")
        return node, node.body, node

    def _acquire_region(self, anchor: cst.CSTNode) -> Tuple[cst.BaseCompoundStatement, cst.IndentedBlock, cst.BaseStatement]:
        """acquire(): the next statement must be `try: ... finally: lock.release()` with no handlers."""
        stmt = _enclosing(self.parents, anchor, cst.SimpleStatementLine)
        block = self.parents.get(id(stmt))
        if stmt is None or not isinstance(block, (cst.Module, cst.IndentedBlock)):
            raise _Unfixable("acquire not found")
        index = next(i for i, s in enumerate(block.body) if s is stmt)
        following = block.body[index + 1] if index + 1 < len(block.body) else None
        if (
            isinstance(following, cst.Try)
            and not following.handlers
            and following.orelse is None
            and following.finalbody is not None
            and isinstance(following.body, cst.IndentedBlock)
        ):
            return following, following.body, stmt
        raise _Unfixable("acquire not followed by try/finally")

    def _locate(self, block: Block, call: cst.Call):
        """([(owner, block), ...] from the region down, index of the call statement) or None.

        Only through `if`/`else` branches and `except` handlers of statements
        that sit directly in the region: loops, nested `with` and `try` bodies
        would change how often or under which handler the call runs.
        """
        index = _statement_of(block, call)
        if index is not None:
            return [], index
        for stmt in block:
            if isinstance(stmt, cst.If) and _contains(stmt, call):
                if isinstance(stmt.body, cst.IndentedBlock):
                    index = _statement_of(stmt.body.body, call)
                    if index is not None:
                        return [(stmt, stmt.body.body)], index
                return None
            if isinstance(stmt, cst.Try) and _contains(stmt, call):
                for handler in stmt.handlers:
                    if isinstance(handler.body, cst.IndentedBlock):
                        index = _statement_of(handler.body.body, call)
                        if index is not None:
                            return [(stmt, handler.body.body), (handler, handler.body.body)], index
                return None
        return None

    def _check_call(self, call: cst.Call, later: Sequence[cst.CSTNode]) -> None:
        """The call reads the same objects after the release: a plain name or name.method,
        with constants or locals that nothing under the lock rebinds after the call."""
        func = call.func
        receiver = func.value if isinstance(func, cst.Attribute) else func
        unstable = _assigned(later)
        if not isinstance(receiver, cst.Name) or receiver.value in unstable:
            raise _Unfixable("receiver read under the lock")
        for arg in call.args:
            if arg.star or not _stable(arg.value, unstable):
                raise _Unfixable("argument read under the lock")

    # -- shapes ---------------------------------------------------------------

    def _flag(self, call: cst.Call, owner: cst.CSTNode) -> str:
        """`pending_delete`; a second one in the function says what it records:
        `pending_delete_item` (its argument), `pending_reload_on_keyerror` (its handler)."""
        method = _callee_name(call)
        names = [a.value.value for a in call.args if isinstance(a.value, cst.Name) and a.value.value not in ("None", "True", "False")]
        candidates = [f"pending_{method}"]
        if names:
            candidates.append(f"pending_{method}_{'_'.join(names)}")
        if isinstance(owner, cst.ExceptHandler) and owner.type is not None:
            caught = sorted(_names(owner.type) - {"builtins"})
            candidates.append(f"pending_{method}_on_{'_'.join(caught).lower()}")
        if isinstance(owner, cst.If):
            tested = sorted(_names(owner.test) - {"self", "cls", "None", "True", "False", "not", "is"})
            if tested:
                candidates.append(f"pending_{method}_if_{'_'.join(tested).lower()}")
        return self.fresh(call, candidates)

    def _tail(self, container, region: cst.IndentedBlock, before, index: int) -> PlannedFix:
        statements = list(region.body)
        moved = statements.pop(index)
        if not isinstance(moved, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):  # every statement is one of the two
            raise _Unfixable("an unknown kind of statement")
        safe = index == len(region.body) - 1
        if statements:
            new_container: List[cst.BaseStatement] = [container.with_changes(body=region.with_changes(body=statements))]
        elif isinstance(container, cst.With) and container.items[0].asname is not None:
            new_container = [container.with_changes(body=region.with_changes(body=[self.statement("pass\n")]))]
        else:
            # nothing else was under the lock: drop the region (its comments stay)
            lead = list(before.leading_lines)
            dropped = _comments(before.with_changes(leading_lines=()), moved)
            if before is not container:
                dropped += _comments(container, moved)
            moved = moved.with_changes(leading_lines=lead + dropped + list(moved.leading_lines))
            new_container = []
        tree = self.replace_in_parent(container, before, new_container, [], [moved])
        return PlannedFix(safe, "move the call after the release", tree)

    def _deferred(self, container, region: cst.IndentedBlock, before, branch, index: int, call: cst.Call) -> PlannedFix:
        owner, block = branch[-1]
        statement = block[index]
        rest = list(block[index + 1 :])
        top = branch[0][0]  # the if/try that sits directly in the region
        top_index = next(i for i, s in enumerate(region.body) if s is top)
        after_top = list(region.body[top_index + 1 :])
        flag = self._flag(call, owner)

        first_exit = _exit_kind(rest[0]) if rest else None
        if isinstance(owner, cst.ExceptHandler) and isinstance(first_exit, cst.Raise) and first_exit.exc is None:
            return self._deferred_reraise(container, region, before, top, owner, index, statement, rest, after_top, flag)

        kept, exit_stmt = self._branch_rest(rest, region)
        _check_paths(block[:index], exit_stmt, after_top, owner, top)
        new_block = list(block[:index]) + [self.statement(f"{flag} = True\n")] + kept
        new_owner = owner.with_changes(body=owner.body.with_changes(body=new_block))
        if exit_stmt is not None:
            region_body = list(region.body[:top_index]) + [self._exit_later(top, owner, new_owner, after_top)]
            safe = True
        else:
            new_top = new_owner if owner is top else top.deep_replace(owner, new_owner)
            region_body = list(region.body[:top_index]) + [new_top] + after_top
            safe = not after_top  # otherwise statements now run under the lock before the call
        followup = [statement] + ([exit_stmt] if exit_stmt is not None else [])
        after = cst.If(test=cst.Name(flag), body=cst.IndentedBlock(body=followup))
        new_container = container.with_changes(body=region.with_changes(body=region_body))
        tree = self.replace_in_parent(container, before, [new_container], [self.statement(f"{flag} = False\n")], [after])
        return PlannedFix(safe, "record the call under the lock, make it after the release", tree)

    def _branch_rest(self, rest: List[cst.BaseStatement], region: cst.IndentedBlock) -> Tuple[List[cst.BaseStatement], Optional[cst.BaseStatement]]:
        """After the call its branch may only set locals to constants (order-free), then maybe
        exit: (those assignments, the exit or None)."""
        local = 0
        while local < len(rest) and _local_constant(rest[local]):
            local += 1
        kept, rest = rest[:local], rest[local:]
        if not rest:
            return kept, None
        exit_node = _exit_kind(rest[0])
        if len(rest) != 1 or exit_node is None:
            raise _Unfixable("statements after the call in its branch")
        self._check_exit(exit_node, region)
        return kept, rest[0]

    @staticmethod
    def _exit_later(top: cst.CSTNode, owner: cst.CSTNode, new_owner: cst.CSTNode, after_top: List[cst.BaseStatement]) -> cst.CSTNode:
        """The early exit now happens after the call; what followed the branch under the
        lock moves into an `else:` so that path still skips it."""
        if isinstance(owner, cst.If):
            if owner.orelse is not None:
                raise _Unfixable("if with else and an early exit")
            new_top = new_owner
        else:
            new_top = top.deep_replace(owner, new_owner)
        if after_top:
            new_top = new_top.with_changes(orelse=cst.Else(body=cst.IndentedBlock(body=after_top)))
        return new_top

    def _deferred_reraise(self, container, region, before, top: cst.Try, handler: cst.ExceptHandler, index, statement, rest, after_top, flag) -> PlannedFix:
        """`except E: self.delete(); raise` -> keep the exception, delete and re-raise after the release."""
        if len(rest) != 1 or len(top.handlers) != 1 or top.orelse is not None or top.finalbody is not None:
            raise _Unfixable("re-raise shape with other handlers, else or finally")
        if _exits_anywhere(handler.body.body[:index]):
            raise _Unfixable("another exit in the handler")
        if handler.name is not None and isinstance(handler.name.name, cst.Name):
            caught = handler.name.name.value
            new_handler = handler
        else:
            caught = self.fresh(handler, ["exc"])
            new_handler = handler.with_changes(name=cst.AsName(name=cst.Name(caught)))
        pending = self.fresh(handler, [flag.replace("pending_", "pending_error_", 1)])
        new_body = list(handler.body.body[:index]) + [self.statement(f"{pending} = {caught}\n")]
        new_handler = new_handler.with_changes(body=handler.body.with_changes(body=new_body))
        new_top = top.with_changes(handlers=[new_handler])
        if after_top:
            new_top = new_top.with_changes(orelse=cst.Else(body=cst.IndentedBlock(body=after_top)))
        top_index = next(i for i, s in enumerate(region.body) if s is top)
        region_body = list(region.body[:top_index]) + [new_top]
        after = cst.If(
            test=cst.Comparison(cst.Name(pending), [cst.ComparisonTarget(cst.IsNot(), cst.Name("None"))]),
            body=cst.IndentedBlock(body=[statement, self.statement(f"raise {pending}\n")]),
        )
        new_container = container.with_changes(body=region.with_changes(body=region_body))
        tree = self.replace_in_parent(container, before, [new_container], [self.statement(f"{pending} = None\n")], [after])
        return PlannedFix(True, "keep the exception, make the call and re-raise after the release", tree)

    def _check_exit(self, exit_node: cst.BaseSmallStatement, region: cst.IndentedBlock) -> None:
        """The exit moves after the release: what it returns or raises must not be read under the lock."""
        unstable = _assigned(region.body)
        if isinstance(exit_node, cst.Return):
            if exit_node.value is not None and not _stable(exit_node.value, unstable):
                raise _Unfixable("return value read under the lock")
            return
        if isinstance(exit_node, cst.Raise):
            exc = exit_node.exc
            if exc is None or exit_node.cause is not None:
                raise _Unfixable("bare raise outside a handler, or raise from")
            if isinstance(exc, cst.Call) and isinstance(exc.func, cst.Name) and all(not a.star and _stable(a.value, unstable) for a in exc.args):
                return
            if isinstance(exc, cst.Name) and exc.value not in unstable:
                return
            raise _Unfixable("raised value read under the lock")


class _LoopDeferral(_Edit):
    """`for item in items: self.delete(item)` under the lock -> `to_delete.append(item)`
    under the lock, `for item in to_delete: self.delete(item)` after the release."""

    def plan_in(self, container: cst.BaseCompoundStatement, region: cst.IndentedBlock, before: cst.BaseStatement, call: cst.Call) -> PlannedFix:
        found = next(((i, s) for i, s in enumerate(region.body) if isinstance(s, cst.For) and _contains(s, call)), None)
        if found is None:
            raise _Unfixable("call not in a movable position")
        index, loop = found
        if loop.asynchronous is not None or loop.orelse is not None or not isinstance(loop.body, cst.IndentedBlock):
            raise _Unfixable("async for, for-else or one-line for")
        statement = _last_statement_path(loop.body.body, call)
        if statement is None:
            raise _Unfixable("something runs after the call in the loop")
        later = list(region.body[index + 1 :])
        if _leaves(loop.body.body) or _exits_anywhere(later):
            raise _Unfixable("a return or raise would now skip the calls")
        recorded = self._recorded(loop, region, call)
        listed = self.fresh(call, [f"to_{_callee_name(call)}"])
        item = recorded[0] if len(recorded) == 1 else f"({', '.join(recorded)})"
        target = recorded[0] if len(recorded) == 1 else ", ".join(recorded)
        append: cst.BaseStatement = self.statement(f"{listed}.append({item})\n").with_changes(leading_lines=())
        new_loop = loop.deep_replace(statement, append)
        after = self.statement(f"for {target} in {listed}:\n    pass\n")
        if not isinstance(after, cst.For):  # what was just written is a for loop
            raise _Unfixable("not a for loop")
        after = after.with_changes(body=after.body.with_changes(body=[statement.with_changes(leading_lines=())]), leading_lines=statement.leading_lines)
        new_container = container.with_changes(body=region.with_changes(body=list(region.body[:index]) + [new_loop] + later))
        tree = self.replace_in_parent(container, before, [new_container], [self.statement(f"{listed} = []\n")], [after])
        safe = not later and self._independent(loop, call)
        return PlannedFix(safe, "collect the calls under the lock, make them after the release", tree)

    def _independent(self, loop: cst.For, call: cst.Call) -> bool:
        """Nothing the loop reads is something the callee touches (attributes of the receiver,
        module names), so making the calls after the loop does not change what it sees."""
        name_node = self.nodes.get(self.request.callee_site)
        callee = self.parents.get(id(name_node))
        receiver = call.func.value if isinstance(call.func, cst.Attribute) else None
        if not isinstance(callee, cst.FunctionDef) or callee.name is not name_node or not isinstance(receiver, (cst.Name, type(None))):
            return False
        params = [p.name.value for p in list(callee.params.posonly_params) + list(callee.params.params)]
        own = params[0] if receiver is not None and params else None
        touched, opaque = _uses(callee.body, own, _assigned([callee.body]) | set(params))
        read, reads_opaque = _uses(
            loop.with_changes(body=loop.body.deep_replace(call, cst.Name("None"))), receiver.value if receiver is not None else None, set()
        )
        return not opaque and not (reads_opaque and touched) and not (touched & read)

    def _recorded(self, loop: cst.For, region: cst.IndentedBlock, call: cst.Call) -> List[str]:
        """The loop's names the call reads, in order: the arguments are locals or constants;
        names the loop binds are recorded, the others must keep their value."""
        unstable = _assigned(region.body)
        _check_receiver(call, unstable)
        bound = _assigned([loop])
        recorded: List[str] = []
        for arg in call.args:
            if arg.star or not (_constant(arg.value) or isinstance(arg.value, cst.Name)):
                raise _Unfixable("argument read under the lock")
            if isinstance(arg.value, cst.Name) and not _constant(arg.value):
                name = arg.value.value
                if name in bound and name not in recorded:
                    recorded.append(name)
                elif name not in bound and name in unstable:
                    raise _Unfixable("argument rebound under the lock")
        if not recorded:
            raise _Unfixable("the call does not depend on the loop")
        function = _enclosing(self.parents, loop, cst.FunctionDef)
        if function is not None and set(recorded) & _names_outside(function, loop):
            raise _Unfixable("the loop's names are used after it")
        return recorded


# builtins whose call is the dunder method's result, unchanged (not hash(): it truncates)
_SAME_AS_DUNDER = {
    "len": "__len__",
    "iter": "__iter__",
    "next": "__next__",
    "str": "__str__",
    "repr": "__repr__",
    "bool": "__bool__",
    "reversed": "__reversed__",
}
_PLAIN_DECORATORS = {"staticmethod", "classmethod", "property"}


@dataclass(frozen=True)
class _Locked:
    """A function whose body is one locked region around its work."""

    function: cst.FunctionDef
    docstring: List[cst.BaseStatement]
    work: cst.IndentedBlock
    rebuild: Callable[[List[cst.BaseStatement]], List[cst.BaseStatement]]  # the region around other statements
    lock: str  # the lock as written


class _Splitter(_Edit):
    """`name()` is `with lock: <work>`: <work> becomes `name_locked()`, which expects the lock
    held; `name()` takes the lock and calls it; the call made under the lock calls it directly."""

    def __init__(
        self,
        tree: cst.Module,
        nodes: Dict[int, cst.CSTNode],
        request: FixRequest,
        parents: Dict[int, cst.CSTNode],
        other: Optional[Tuple[cst.Module, Dict[int, cst.CSTNode]]] = None,
        facts: Optional[TreeFacts] = None,
    ) -> None:
        super().__init__(tree, nodes, request, parents)
        self.facts = facts if facts is not None and facts.tree is tree else TreeFacts(tree)
        # the function to split: in this file, or in request.split_path (`other`: its tree and sites)
        self.home, self.home_nodes = other if other is not None else (tree, nodes)
        self.home_parents = _parents(self.home) if other is not None else parents

    def home_statement(self, code: str) -> cst.BaseStatement:
        return cst.parse_statement(code, config=self.home.config_for_parsing)

    def plan(self) -> PlannedFix:
        request = self.request
        if request.split_path and self.home is self.tree:
            raise _Unfixable(f"the function is in {request.split_path}")
        name_node, call = self.home_nodes.get(request.split_site), self.nodes.get(request.split_call)
        function = self.home_parents.get(id(name_node))
        if not isinstance(function, cst.FunctionDef) or function.name is not name_node or call is None:
            raise _Unfixable("")  # no split was asked for
        if _contains(function, call):
            raise _Unfixable(f"{function.name.value} calls itself")
        for name in request.split_via:
            if sum(1 for n in _name_nodes(self.home) if n == name) != 2:
                raise _Unfixable(f"{name} is used elsewhere too, maybe without the lock")
        locked = self._shape(function)
        forward = self._forward(function)
        existing = self._existing(locked, forward)
        if existing is not None:
            tree = _rewrite(self.tree, dict([self._call_site(call, existing, function)]), self.parents)
            return PlannedFix(True, f"call {existing}() here: {function.name.value}() only takes the lock around it", tree)
        new_name, note = self._name(function)
        text = forward.replace("{}", new_name)
        call_line = self.home_statement(("return " if _returns_value(locked.work) else "") + text + "\n")
        new_function = function.with_changes(body=function.body.with_changes(body=locked.docstring + locked.rebuild([call_line])))
        split = {id(function): cst.FlattenSentinel([new_function, self._variant(locked, new_name)])}
        title = f"split {function.name.value}(): its work under the lock becomes {new_name}(){note}, called here directly"
        rewrite = dict([self._call_site(call, new_name, function)])
        if self.home is self.tree:
            return PlannedFix(True, title, _rewrite(self.tree, {**rewrite, **split}, self.parents))
        return PlannedFix(True, title, _rewrite(self.tree, rewrite, self.parents), ((request.split_path, _rewrite(self.home, split, self.home_parents)),))

    # -- the function -----------------------------------------------------------

    def _shape(self, function: cst.FunctionDef) -> _Locked:
        """`with lock: <work>`, `lock.acquire()` + `try: <work> finally: lock.release()`, or
        <work> under a decorator that holds the lock; after a docstring."""
        if not isinstance(function.body, cst.IndentedBlock):
            raise _Unfixable("one-line def")
        statements = list(function.body.body)
        docstring = statements[:1] if statements and _is_docstring(statements[0]) else []
        rest = statements[len(docstring) :]
        if self.request.split_decorator:
            shape = self._decorated_shape(function, rest)
        else:
            for decorator in function.decorators:
                named = decorator.decorator
                if not (isinstance(named, cst.Name) and named.value in _PLAIN_DECORATORS or isinstance(named, cst.Attribute) and named.attr.value == "setter"):
                    raise _Unfixable(f"{function.name.value}() has a decorator")
            anchor = self.home_nodes.get(self.request.split_lock)
            shape = self._with_shape(rest, anchor) or self._acquire_shape(rest, anchor)
        if shape is None:
            raise _Unfixable(f"{function.name.value}() does more than take the lock around its work")
        work, rebuild, lock = shape
        if _yields(work):
            raise _Unfixable(f"{function.name.value}() is a generator")
        return _Locked(function, docstring, work, rebuild, lock)

    def _decorated_shape(self, function: cst.FunctionDef, rest: Block):
        """`@synchronized` (its only decorator) holds the lock around the whole body."""
        name = self.request.split_decorator.rsplit(".", 1)[-1]
        named = function.decorators[0].decorator if len(function.decorators) == 1 else None
        if not (isinstance(named, cst.Name) and named.value == name or isinstance(named, cst.Attribute) and named.attr.value == name) or not rest:
            return None

        def rebuild(inner: List[cst.BaseStatement]) -> List[cst.BaseStatement]:
            return inner

        return function.body.with_changes(body=rest, footer=()), rebuild, f"the lock @{name} takes"

    def _with_shape(self, rest: Block, anchor):
        if len(rest) != 1 or not isinstance(rest[0], cst.With):
            return None
        region = rest[0]
        if len(region.items) != 1 or region.items[0].item is not anchor or region.items[0].asname is not None or not isinstance(region.body, cst.IndentedBlock):
            return None

        def rebuild(inner: List[cst.BaseStatement]) -> List[cst.BaseStatement]:
            return [region.with_changes(body=region.body.with_changes(body=inner, footer=()))]

        return region.body, rebuild, self.home.code_for_node(anchor)

    def _acquire_shape(self, rest: Block, anchor):
        if len(rest) != 2 or _statement_of(rest[:1], anchor) != 0:
            return None
        acquire, region = rest
        if not isinstance(region, cst.Try):
            return None
        lock = self.home.code_for_node(anchor.func.value) if isinstance(anchor, cst.Call) and isinstance(anchor.func, cst.Attribute) else None
        final = region.finalbody.body.body if region.finalbody is not None and isinstance(region.finalbody.body, cst.IndentedBlock) else []
        if lock is None or region.handlers or region.orelse is not None or len(final) != 1 or not isinstance(region.body, cst.IndentedBlock):
            return None
        if self.home.code_for_node(final[0]).strip() != f"{lock}.release()" or anchor.args:
            return None

        def rebuild(inner: List[cst.BaseStatement]) -> List[cst.BaseStatement]:
            return [acquire, region.with_changes(body=region.body.with_changes(body=inner, footer=()))]

        return region.body, rebuild, lock

    def _forward(self, function: cst.FunctionDef) -> str:
        """The call that passes the function's own parameters on: `self.{}(key, *args, k=k)`."""
        params = function.params
        positional = [p.name.value for p in list(params.posonly_params) + list(params.params)]
        every = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
        if any(p.default is not None and not _simple(p.default) for p in every):
            raise _Unfixable("a default value computed at definition time")  # the variant would get its own copy
        receiver = ""
        kind = self.request.split_kind
        if kind in ("method", "property", "setter", "classmethod"):
            if not positional:
                raise _Unfixable("no self parameter")
            receiver = positional.pop(0) + "."
        elif kind == "staticmethod":
            owner = _enclosing(self.home_parents, function, cst.ClassDef)
            if owner is None or not isinstance(self.home_parents.get(id(owner)), cst.Module):
                raise _Unfixable("a staticmethod of a nested class")
            receiver = owner.name.value + "."
        elif kind != "function":
            raise _Unfixable(f"a {kind}")
        args = positional
        if isinstance(params.star_arg, cst.Param):
            args.append("*" + params.star_arg.name.value)
        args += [f"{p.name.value}={p.name.value}" for p in params.kwonly_params]
        if isinstance(params.star_kwarg, cst.Param):
            args.append("**" + params.star_kwarg.name.value)
        awaited = "await " if function.asynchronous is not None else ""
        return f"{awaited}{receiver}{{}}({', '.join(args)})"

    def _existing(self, locked: _Locked, forward: str) -> Optional[str]:
        """The function already only calls a variant under the lock (split before): its name."""
        if len(locked.work.body) != 1 or not isinstance(locked.work.body[0], cst.SimpleStatementLine):
            return None
        line = self.home.code_for_node(locked.work.body[0].body[0]).strip()
        line = line[len("return ") :] if line.startswith("return ") else line
        before, after = forward.split("{}")
        name = line[len(before) : len(line) - len(after)] if line.startswith(before) and line.endswith(after) else ""
        if not name.isidentifier() or name == locked.function.name.value:
            return None
        # the variant must take the same parameters: callers may pass them by name or rely on defaults
        block = self.home_parents.get(id(locked.function))
        variant = next((s for s in getattr(block, "body", ()) if isinstance(s, cst.FunctionDef) and s.name.value == name), None)
        same = variant is not None and self.home.code_for_node(variant.params) == self.home.code_for_node(locked.function.params)
        return name if same else None

    def _name(self, function: cst.FunctionDef) -> Tuple[str, str]:
        """`lookup_locked`; `_len_locked` for `__len__`; `set_size_locked` for a setter.
        If taken (in this file or the class hierarchy): `_lock_held`, `_holding_lock`, then numbered."""
        name = function.name.value
        bare = name.lstrip("_")
        if name.startswith("__") and name.endswith("__"):
            stem = "_" + name.strip("_")
        elif self.request.split_kind == "setter":
            stem = f"{name[: len(name) - len(bare)]}set_{bare}"
        else:
            stem = name
        candidates = [f"{stem}_locked", f"{stem}_lock_held", f"{stem}_holding_lock"]
        taken = self.facts.names() | (_names(self.home) if self.home is not self.tree else set()) | set(self.request.taken)
        chosen = next((c for c in candidates if c not in taken), None)
        number = 2
        while chosen is None:
            chosen = f"{candidates[0]}_{number}" if f"{candidates[0]}_{number}" not in taken else None
            number += 1
        return chosen, "" if chosen == candidates[0] else f" ({candidates[0]} is taken)"

    def _variant(self, locked: _Locked, new_name: str) -> cst.FunctionDef:
        function = locked.function
        docstring = self.home_statement(_variant_docstring(self.request.split_kind, function.name.value, locked.lock))
        work = [s for s in locked.work.body if not (isinstance(s, cst.SimpleStatementLine) and all(isinstance(b, cst.Pass) for b in s.body))]
        kept = [d for d in function.decorators if isinstance(d.decorator, cst.Name) and d.decorator.value in ("staticmethod", "classmethod")]
        blank = [line for line in function.leading_lines if line.comment is None]
        if not blank:
            blank = [cst.EmptyLine()] * (2 if isinstance(self.home_parents.get(id(function)), cst.Module) else 1)
        body = locked.work.with_changes(body=[docstring] + work, header=cst.TrailingWhitespace())
        return function.with_changes(name=cst.Name(new_name), decorators=kept, body=body, leading_lines=blank)

    # -- the call ---------------------------------------------------------------

    def _call_site(self, node: cst.CSTNode, new_name: str, function: cst.FunctionDef) -> Tuple[int, Union[cst.CSTNode, cst.FlattenSentinel]]:
        """(id of the node to replace, its replacement): the call, made to the variant."""
        how = self.request.split_target
        if how in ("method", "super", "global") and isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute):
                return id(node), node.with_changes(func=func.with_changes(attr=cst.Name(new_name)))
            if isinstance(func, cst.Name) and self.home is self.tree:
                return id(node), node.with_changes(func=cst.Name(new_name))
        if how == "dunder":
            return self._dunder_site(node, new_name, function.name.value)
        if how == "attr" and isinstance(node, cst.Attribute):
            return self._property_site(node, new_name, function)
        raise _Unfixable(f"a call through {how}")

    def _dunder_site(self, node: cst.CSTNode, new_name: str, dunder: str) -> Tuple[int, cst.CSTNode]:
        """`len(x)`, `iter(x)`, `for _ in x`, `x[k]`, `x[k] = v`, `del x[k]`, `k in x` -> `x.<variant>(...)`."""
        parent = self.parents.get(id(node))

        def made(obj: cst.BaseExpression, *args: cst.BaseExpression) -> cst.Call:
            return cst.Call(func=cst.Attribute(value=obj, attr=cst.Name(new_name)), args=[cst.Arg(a) for a in args])

        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and _SAME_AS_DUNDER.get(node.func.value) == dunder:
            if len(node.args) == 1 and not node.args[0].star and node.args[0].keyword is None:
                return id(node), made(node.args[0].value)
        if dunder == "__iter__" and isinstance(parent, cst.For) and parent.iter is node:
            return id(node), made(node)
        if isinstance(node, cst.Subscript):
            return self._item_site(node, parent, dunder, made)
        if dunder == "__contains__" and isinstance(node, cst.Comparison) and len(node.comparisons) == 1 and _simple(node.left):
            return id(node), _membership(node, parent, made)
        raise _Unfixable(f"{dunder} reached this way")

    def _item_site(self, node: cst.Subscript, parent, dunder: str, made) -> Tuple[int, cst.CSTNode]:
        """`x[k]`, `x[k] = v` (one target, simple operands: else their order of evaluation
        changes), `del x[k]`."""
        key = _index(node)
        if dunder == "__getitem__" and not isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.Del)):
            return id(node), made(node.value, key)
        assign = self.parents.get(id(parent))
        if dunder == "__setitem__" and isinstance(parent, cst.AssignTarget) and isinstance(assign, cst.Assign) and len(assign.targets) == 1:
            if _simple(key) and _simple(assign.value):
                return id(assign), cst.Expr(made(node.value, key, assign.value))
        if dunder == "__delitem__" and isinstance(parent, cst.Del):
            return id(parent), cst.Expr(made(node.value, key))
        raise _Unfixable(f"{dunder} reached this way")

    def _property_site(self, node: cst.Attribute, new_name: str, function: cst.FunctionDef) -> Tuple[int, Union[cst.CSTNode, cst.FlattenSentinel]]:
        parent = self.parents.get(id(node))
        method = cst.Attribute(value=node.value, attr=cst.Name(new_name))
        role = self._accessor_role(node, function)
        if isinstance(parent, cst.AugAssign) and parent.target is node:
            return self._augmented_site(node, parent, method, role)
        if role == "setter":
            assign = self.parents.get(id(parent))
            if isinstance(parent, cst.AssignTarget) and isinstance(assign, cst.Assign) and len(assign.targets) == 1 and _simple(node.value):
                return id(assign), cst.Expr(cst.Call(func=method, args=[cst.Arg(assign.value)]))
        elif role == "property" and not isinstance(parent, (cst.AssignTarget, cst.Del)):
            return id(node), cst.Call(func=method)
        raise _Unfixable("a property used this way")

    def _accessor_role(self, node: cst.Attribute, function: cst.FunctionDef) -> str:
        """ "property" (the getter) or "setter": what the function is to the property `node` names.
        A plain method is one through `name = property(fget, fset)` in its class body (the analysis
        said `node` runs it, and no subclass overrides `name`)."""
        if self.request.split_kind != "method":
            return self.request.split_kind
        block = self.home_parents.get(id(function))
        if not (isinstance(block, cst.IndentedBlock) and isinstance(self.home_parents.get(id(block)), cst.ClassDef)):
            raise _Unfixable("a property used this way")
        # bound once in the class body (a second binding is what the class keeps, whatever the analysis saw)
        bindings = [s for s in block.body if _binds(s, node.attr.value)]
        small = bindings[0].body[0] if len(bindings) == 1 and isinstance(bindings[0], cst.SimpleStatementLine) and len(bindings[0].body) == 1 else None
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
            raise _Unfixable("a property used this way")
        return _property_argument(small.value, function.name.value)

    def _augmented_site(self, node: cst.Attribute, augmented: cst.AugAssign, method: cst.Attribute, role: str) -> Tuple[int, cst.FlattenSentinel]:
        """`x.prop += v` reads the property, applies `+=` to the value, sets the property: the same
        three steps, with the variant for the one that takes the lock and a local for the value
        (`+=` keeps its in-place meaning). The receiver must be a name that `v` does not rebind."""
        line = self.parents.get(id(augmented))
        receiver = node.value
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1 or not isinstance(receiver, cst.Name):
            raise _Unfixable("a property updated this way")
        if receiver.value in _assigned([augmented.value]) or not isinstance(_scope(self.parents, augmented), cst.FunctionDef):
            raise _Unfixable("a property updated this way")
        value = cst.Name(self.fresh(augmented, [node.attr.value.lstrip("_") + "_value"]))
        read: cst.BaseExpression
        write: cst.BaseSmallStatement
        if role == "property":  # the getter takes the lock
            read, write = cst.Call(func=method), cst.Assign([cst.AssignTarget(node)], value)
        elif role == "setter":
            read, write = node, cst.Expr(cst.Call(func=method, args=[cst.Arg(value)]))
        else:
            raise _Unfixable("a property updated this way")
        steps = [
            cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(value)], read)], leading_lines=line.leading_lines),
            line.with_changes(body=[augmented.with_changes(target=value)], leading_lines=()),
            cst.SimpleStatementLine([write]),
        ]
        return id(line), cst.FlattenSentinel(steps)


def _binds(statement: cst.BaseStatement, name: str) -> bool:
    """The statement (of a class body) may bind `name` there: a def, a class, an assignment, an import."""
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return statement.name.value == name
    nodes = _walk(statement, {})
    if any(isinstance(n, (cst.Import, cst.ImportFrom)) for n in nodes) and any(isinstance(n, cst.Name) and n.value == name for n in nodes):
        return True  # named in an import: maybe bound by it
    return name in _assigned([statement])


def _property_argument(made: cst.BaseExpression, method: str) -> str:
    """ "property" if `made` is `property(method, ...)` / `property(fget=method)`, "setter" if method
    is its fset; else unfixable."""
    if not (isinstance(made, cst.Call) and isinstance(made.func, cst.Name) and made.func.value == "property"):
        raise _Unfixable("a property used this way")
    for index, arg in enumerate(made.args):
        keyword = arg.keyword.value if arg.keyword is not None else ("fget", "fset")[index] if index < 2 and not arg.star else ""
        if keyword in ("fget", "fset") and isinstance(arg.value, cst.Name) and arg.value.value == method:
            return "property" if keyword == "fget" else "setter"
    raise _Unfixable("a property used this way")


def _variant_docstring(kind: str, name: str, lock: str) -> str:
    """The one line that says the variant expects its caller to hold the lock."""
    what = f"property {name}" if kind == "property" else f"setting {name}" if kind == "setter" else f"{name}()"
    lock = lock if lock.isprintable() and '"' not in lock and "\\" not in lock else "the lock"
    return f'"""The work of {what}, for a caller that already holds {lock}."""\n'


def _membership(node: cst.Comparison, parent, made) -> cst.BaseExpression:
    """`k in x` -> `x.<variant>(k)` where only its truth is used, else `bool(...)` (what `in`
    returns); `k not in x` -> `not x.<variant>(k)`."""
    comparison = node.comparisons[0]
    asked = made(comparison.comparator, node.left)
    if isinstance(comparison.operator, cst.NotIn):
        return cst.UnaryOperation(operator=cst.Not(), expression=asked)
    tested = isinstance(parent, (cst.If, cst.While)) and parent.test is node or isinstance(parent, cst.UnaryOperation)
    return asked if tested else cst.Call(func=cst.Name("bool"), args=[cst.Arg(asked)])


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _simple(node: cst.BaseExpression) -> bool:
    """A constant or a name: evaluating it has no effect, and twice gives the same object."""
    return _constant(node) or isinstance(node, cst.Name) or isinstance(node, cst.SimpleString) or isinstance(node, cst.Attribute) and _simple(node.value)


def _index(node: cst.Subscript) -> cst.BaseExpression:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index) or node.slice[0].slice.star is not None:
        raise _Unfixable("a slice or several indices")
    return node.slice[0].slice.value


def _in_function(node: cst.CSTNode, kind: type) -> bool:
    """A `kind` node in this code, not counting nested functions and classes."""
    found = []

    class Find(cst.CSTVisitor):
        def on_visit(self, visited: cst.CSTNode) -> bool:
            if isinstance(visited, kind):
                found.append(visited)
            return not isinstance(visited, (cst.FunctionDef, cst.ClassDef, cst.Lambda))

    node.visit(Find())
    return bool(found)


def _returns_value(block: cst.IndentedBlock) -> bool:
    found = []

    class Returns(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            if node.value is not None:
                found.append(node)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

    block.visit(Returns())
    return bool(found)


def _yields(block: cst.IndentedBlock) -> bool:
    return _in_function(block, cst.Yield)


def _name_nodes(tree: cst.CSTNode) -> List[str]:
    found: List[str] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name.value)

    tree.visit(Names())
    return found


def _rlock_fix(tree: cst.Module, nodes: Dict[int, cst.CSTNode], request: FixRequest, parents: Optional[Dict[int, cst.CSTNode]] = None) -> Optional[PlannedFix]:
    """Unsafe: make a private `self._x = threading.Lock()` an RLock."""
    value = nodes.get(request.declaration_site)
    if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "Lock"):
        return None
    if not (isinstance(value.func.value, cst.Name) and value.func.value.value in ("threading", "_threading")):
        return None
    new_value = value.with_changes(func=value.func.with_changes(attr=cst.Name("RLock")))
    return PlannedFix(False, "make the lock an RLock (re-entry then no longer blocks)", _replaced(tree, value, new_value, parents))
