"""How many times a function's body binds a name: assignments, `for` and comprehension targets,
`:=`, `with ... as`, `except ... as`, `del`, imports, nested `def`/`class`, `global`/`nonlocal`.

Asked only where one binding matters (the key of a dict of locks, lintlock.summarize.names), so
a separate pass over that one function is cheaper than bookkeeping during every walk.
"""

from __future__ import annotations

from typing import Iterator

import libcst as cst


def binding_count(function: cst.FunctionDef, name: str) -> int:
    counter = _Bindings(name)
    function.body.visit(counter)
    return counter.count


def _names(target: cst.BaseExpression) -> Iterator[str]:
    """The names a target binds (`a`, `a, (b, *c)`); attributes and subscripts bind none."""
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _names(target.value)


class _Bindings(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.count = 0

    def _target(self, target: cst.BaseExpression) -> None:
        self.count += sum(1 for n in _names(target) if n == self.name)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._target(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:  # with ... as, except ... as, import ... as
        self._target(node.name)

    def visit_Del(self, node: cst.Del) -> None:
        self._target(node.target)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None and isinstance(node.name, cst.Name):
            self._target(node.name)

    def visit_Global(self, node: cst.Global) -> None:
        self.count += sum(2 for item in node.names if item.name.value == self.name)  # bound elsewhere too

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.count += sum(2 for item in node.names if item.name.value == self.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.count += node.name.value == self.name
        return False  # its body binds its own names

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.count += node.name.value == self.name
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False
