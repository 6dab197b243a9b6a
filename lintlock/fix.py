"""Stage 5b: autofixes for LL101 that move the offending call after the release.

Each fix is a libcst edit of one locked region (a `with` block, or the `try`
whose `finally` releases an `acquire()`), planned only for shapes where the
rewrite provably keeps control flow:

  tail      the call is the last statement of the region: move it after.
  deferred  the call sits in an `if` branch or `except` handler of the region:
            record the decision under the lock (`pending_x = True`), make the
            call after the release (the seed's two-phase fix). A branch that
            then leaves (`return`, `raise`) keeps doing so after the call, and
            what followed the branch under the lock moves to an `else:` so the
            early exit still skips it. A re-raised exception is kept and raised
            after the call: the same object, with its traceback.

A fix is *safe* when nothing else runs under the lock after the call on its
path; when statements would now run before the call, it is *unsafe* (only
with --unsafe-fixes). Switching a private lock to RLock is unsafe too.

Call arguments must be constants or local names that the region does not
reassign after the call: anything else is a value read under the lock, and
reading it after the release could see another thread's write.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from .model import FixRequest
from .summarize import site_nodes

Block = Sequence[cst.BaseStatement]


@dataclass(frozen=True)
class PlannedFix:
    safe: bool
    title: str
    tree: cst.Module


class _Unfixable(Exception):
    """This shape is not one we can prove; offer no fix."""


def plan(tree: cst.Module, nodes: Dict[int, cst.CSTNode], request: FixRequest) -> Optional[PlannedFix]:
    """The fix for one finding, or None."""
    try:
        return _Planner(tree, nodes, request).plan()
    except _Unfixable:
        return _rlock_fix(tree, nodes, request)


def nodes_of(tree: cst.Module, path: str, module: str, is_package: bool) -> Dict[int, cst.CSTNode]:
    return site_nodes(tree, path, module, is_package)


# -- helpers ---------------------------------------------------------------


def _names(node: cst.CSTNode) -> Set[str]:
    found: Set[str] = set()

    class Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.add(name.value)

    node.visit(Names())
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
    if node is target:
        return True
    return any(_contains(child, target) for child in node.children)


def _exits_anywhere(stmts: Sequence[cst.CSTNode]) -> bool:
    found = []

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


def _parent_block(tree: cst.Module, target: cst.CSTNode) -> cst.CSTNode:
    """The Module or IndentedBlock whose body holds `target`."""
    stack: List[cst.CSTNode] = [tree]
    while stack:
        node = stack.pop()
        body = getattr(node, "body", None)
        if isinstance(node, (cst.Module, cst.IndentedBlock)) and any(s is target for s in body):
            return node
        stack.extend(node.children)
    raise _Unfixable("no parent block")


class _Planner:
    def __init__(self, tree: cst.Module, nodes: Dict[int, cst.CSTNode], request: FixRequest) -> None:
        self.tree = tree
        self.nodes = nodes
        self.request = request
        self.config = tree.config_for_parsing

    def statement(self, code: str) -> cst.BaseStatement:
        return cst.parse_statement(code, config=self.config)

    def plan(self) -> PlannedFix:
        call = self.nodes.get(self.request.call_site)
        if not isinstance(call, cst.Call):
            raise _Unfixable("not a call")
        container, region, before = self._region()
        found = self._locate(region.body, call)
        if found is None:
            raise _Unfixable("call not in a movable position")
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

    def _region(self) -> Tuple[cst.CSTNode, cst.IndentedBlock, cst.CSTNode]:
        """(statement whose end releases the lock, its locked body, statement to put set-up before)."""
        anchor = self.nodes.get(self.request.lock_site)
        if anchor is None:
            raise _Unfixable("no lock site")
        if self.request.lock_how == "with":
            stack: List[cst.CSTNode] = [self.tree]
            while stack:
                node = stack.pop()
                if isinstance(node, cst.With) and any(item.item is anchor for item in node.items):
                    if not isinstance(node.body, cst.IndentedBlock) or len(node.items) != 1:
                        raise _Unfixable("one-line or multi-item with")
                    return node, node.body, node
                stack.extend(node.children)
            raise _Unfixable("with not found")
        # acquire(): the next statement must be `try: ... finally: lock.release()` with no handlers
        stack = [self.tree]
        while stack:
            node = stack.pop()
            body = getattr(node, "body", None)
            if isinstance(node, (cst.Module, cst.IndentedBlock)):
                for index, stmt in enumerate(body):
                    if isinstance(stmt, cst.SimpleStatementLine) and _contains(stmt, anchor):
                        following = body[index + 1] if index + 1 < len(body) else None
                        if isinstance(following, cst.Try) and not following.handlers and following.orelse is None and following.finalbody is not None:
                            return following, following.body, stmt
                        raise _Unfixable("acquire not followed by try/finally")
            stack.extend(node.children)
        raise _Unfixable("acquire not found")

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

    def _unique(self, base: str) -> str:
        taken = _names(self.tree)
        name, number = base, 2
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        return name

    def _flag(self, call: cst.Call) -> str:
        func = call.func
        method = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else "call"
        return self._unique("pending_" + method.lstrip("_"))

    def _replace_in_parent(self, container: cst.CSTNode, before: cst.CSTNode, new_container: cst.CSTNode, prefix: List[cst.BaseStatement], suffix: List[cst.BaseStatement]) -> cst.Module:
        parent = _parent_block(self.tree, container)
        body: List[cst.BaseStatement] = []
        for stmt in parent.body:
            if stmt is before:
                body.extend(prefix)
            if stmt is container:
                body.append(new_container)
                body.extend(suffix)
            else:
                body.append(stmt)
        return self.tree.deep_replace(parent, parent.with_changes(body=body))

    def _tail(self, container, region: cst.IndentedBlock, before, index: int) -> PlannedFix:
        statements = list(region.body)
        moved = statements.pop(index)
        safe = index == len(region.body) - 1
        if not statements:
            statements = [self.statement("pass\n")]
        new_container = container.with_changes(body=region.with_changes(body=statements))
        tree = self._replace_in_parent(container, before, new_container, [], [moved])
        return PlannedFix(safe, "move the call after the release", tree)

    def _deferred(self, container, region: cst.IndentedBlock, before, branch, index: int, call: cst.Call) -> PlannedFix:
        owner, block = branch[-1]
        statement = block[index]
        rest = list(block[index + 1 :])
        top = branch[0][0]  # the if/try that sits directly in the region
        top_index = next(i for i, s in enumerate(region.body) if s is top)
        after_top = list(region.body[top_index + 1 :])
        flag = self._flag(call)

        if isinstance(owner, cst.ExceptHandler) and rest and isinstance(_exit_kind(rest[0]), cst.Raise) and _exit_kind(rest[0]).exc is None:
            return self._deferred_reraise(container, region, before, top, owner, index, statement, rest, after_top, flag)

        # after the call its branch may only set locals to constants (order-free), then maybe exit
        local = 0
        while local < len(rest) and _local_constant(rest[local]):
            local += 1
        kept, rest = rest[:local], rest[local:]
        exit_stmt = None
        if rest:
            if len(rest) != 1 or _exit_kind(rest[0]) is None:
                raise _Unfixable("statements after the call in its branch")
            exit_stmt = rest[0]
            self._check_exit(_exit_kind(exit_stmt), region)
        if _exits_anywhere(block[:index]) or (exit_stmt is None and _exits_anywhere(after_top)):
            raise _Unfixable("another exit on the path")
        if isinstance(owner, cst.ExceptHandler) and (top.finalbody is not None or (exit_stmt is not None and (top.orelse is not None or len(top.handlers) != 1))):
            raise _Unfixable("finally, else or other handlers around the handler")

        new_block = list(block[:index]) + [self.statement(f"{flag} = True\n")] + kept
        if exit_stmt is not None:
            # the early exit now happens after the call; what followed the branch under
            # the lock moves into an `else:` so that path still skips it
            new_owner = owner.with_changes(body=owner.body.with_changes(body=new_block))
            if isinstance(owner, cst.If):
                if owner.orelse is not None:
                    raise _Unfixable("if with else and an early exit")
                if after_top:
                    new_owner = new_owner.with_changes(orelse=cst.Else(body=cst.IndentedBlock(body=after_top)))
                new_top = new_owner
            else:
                new_top = top.deep_replace(owner, new_owner)
                if after_top:
                    new_top = new_top.with_changes(orelse=cst.Else(body=cst.IndentedBlock(body=after_top)))
            region_body = list(region.body[:top_index]) + [new_top]
            safe = True
        else:
            new_owner = owner.with_changes(body=owner.body.with_changes(body=new_block))
            new_top = new_owner if owner is top else top.deep_replace(owner, new_owner)
            region_body = list(region.body[:top_index]) + [new_top] + after_top
            safe = not after_top  # otherwise statements now run under the lock before the call
        followup = [statement] + ([exit_stmt] if exit_stmt is not None else [])
        after = cst.If(test=cst.Name(flag), body=cst.IndentedBlock(body=followup))
        new_container = container.with_changes(body=region.with_changes(body=region_body))
        tree = self._replace_in_parent(container, before, new_container, [self.statement(f"{flag} = False\n")], [after])
        return PlannedFix(safe, "record the call under the lock, make it after the release", tree)

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
            caught = self._unique("exc")
            new_handler = handler.with_changes(name=cst.AsName(name=cst.Name(caught)))
        pending = self._unique(flag.replace("pending_", "pending_error_", 1))
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
        tree = self._replace_in_parent(container, before, new_container, [self.statement(f"{pending} = None\n")], [after])
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


def _rlock_fix(tree: cst.Module, nodes: Dict[int, cst.CSTNode], request: FixRequest) -> Optional[PlannedFix]:
    """Unsafe: make a private `self._x = threading.Lock()` an RLock."""
    value = nodes.get(request.declaration_site)
    if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "Lock"):
        return None
    if not (isinstance(value.func.value, cst.Name) and value.func.value.value in ("threading", "_threading")):
        return None
    new_value = value.with_changes(func=value.func.with_changes(attr=cst.Name("RLock")))
    return PlannedFix(False, "make the lock an RLock (re-entry then no longer blocks)", tree.deep_replace(value, new_value))
