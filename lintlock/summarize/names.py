"""The file's symbol table: imports and module-level definitions, and what an
expression names once they are known (a qualified name, an object path, the
class of an annotation). Everything that needs the rest of the program is left
symbolic for lintlock.link."""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Optional, Sequence, Set

import libcst as cst

from ..model import LockPath
from .bindings import binding_count
from .literals import int_literal
from .scope import Frame
from .syntax import dotted, sub_blocks

_WRAPPERS = ("typing.Optional", "typing.Final", "typing.ClassVar")  # annotations that name their argument's class


class Names:
    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.package = module if is_package else module.rpartition(".")[0]
        self.table: Dict[str, str] = {}  # module-level local name -> qualified name
        self._defined: Set[str] = set()  # module-level names bound by a def or class
        self._imported: Set[str] = set()  # ... and by an import

    def collect(self, body: Sequence[cst.CSTNode]) -> None:
        """Module-level definitions and imports, before any body is walked (as pyflakes defers)."""
        for stmt in body:
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                self.table.setdefault(stmt.name.value, f"{self.module}.{stmt.name.value}")
                self._defined.add(stmt.name.value)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    self._collect_small(small)
            elif isinstance(stmt, (cst.If, cst.Try, cst.With)):
                for block in sub_blocks(stmt):
                    self.collect(block)

    @property
    def ambiguous(self) -> Set[str]:
        """Names the module binds both by a def/class and by an import (`if DEBUG: class Lock: ...`
        `else: from threading import Lock`): which one a use means depends on the branch taken."""
        return self._defined & self._imported

    def _collect_small(self, small: cst.BaseSmallStatement) -> None:
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            bound: Dict[str, str] = {}
            self.add_import(small, bound)
            self.table.update(bound)
            self._imported.update(bound)
        elif isinstance(small, (cst.Assign, cst.AnnAssign)):
            targets = small.targets if isinstance(small, cst.Assign) else [small]
            for target in targets:
                if isinstance(target.target, cst.Name):
                    self.table.setdefault(target.target.value, f"{self.module}.{target.target.value}")

    def import_in_function(self, node: cst.CSTNode) -> None:
        """An import inside a function: its names count for the whole file, unless
        the module itself binds them."""
        local: Dict[str, str] = {}
        self.add_import(node, local)
        for name, qualified in local.items():
            self.table.setdefault(name, qualified)

    def add_import(self, node: cst.CSTNode, into: Dict[str, str]) -> None:
        """The names an import statement binds, with what they mean."""
        if isinstance(node, cst.Import):
            _add_plain_import(node, into)
            return
        assert isinstance(node, cst.ImportFrom)
        base = self._from_base(node)
        if base is None or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else alias.name.value
            into[local] = f"{base}.{alias.name.value}" if base else alias.name.value

    def _from_base(self, node: cst.ImportFrom) -> Optional[str]:
        """The module a `from ... import` reads, relative dots resolved; None if unknown."""
        base = dotted(node.module) if node.module is not None else ""
        if base is None:
            return None
        if node.relative:
            parts = self.package.split(".") if self.package else []
            up = len(node.relative) - 1
            if up > len(parts):
                return None
            parts = parts[: len(parts) - up]
            base = ".".join(parts + ([base] if base else []))
        return base

    def qualify(self, node: cst.BaseExpression, frame: Optional[Frame]) -> Optional[str]:
        """Qualified name of a global expression (`th.Lock` -> `threading.Lock`)."""
        if isinstance(node, cst.Name):
            if frame is not None and frame.is_local(node.value):
                return None
            return self.table.get(node.value) or f"builtins.{node.value}"
        if isinstance(node, cst.Attribute):
            base = self.qualify(node.value, frame)
            return None if base is None else f"{base}.{node.attr.value}"
        return None

    def path(self, node: cst.BaseExpression, frame: Frame) -> Optional[LockPath]:
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
        qualified = self.table.get(name)
        if qualified is None:
            if frame.is_module and not attrs:
                return None
            qualified = f"{self.module}.{name}"
        return LockPath(qualified, tuple(attrs), "global")

    def element(self, node: cst.Subscript, frame: Frame) -> Optional[LockPath]:
        """`self._locks[name]` / `self._locks["meta"]`: an element of a local object's container, by a
        key that is a local name or a literal (anything else: None, not followed)."""
        container = self.path(node.value, frame)
        if container is None or container.scope != "local" or len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None
        index = node.slice[0].slice.value
        if isinstance(index, cst.Name) and frame.is_local(index.value) and frame.alias(index.value) is None:
            # a name bound once (a parameter, or one target): the same value wherever the function uses it
            bound = binding_count(frame.node, index.value) + (index.value in frame.params) if frame.node is not None else 2
            return replace(container, key=index.value) if bound == 1 else None
        if isinstance(index, cst.SimpleString):
            try:
                return replace(container, key=repr(index.evaluated_value))
            except Exception:  # an escape Python itself would reject (`"\\N{NO SUCH NAME}"`): no key
                return None
        if isinstance(index, cst.Integer) and int_literal(index) is not None:
            return replace(container, key=str(int_literal(index)))
        return None

    def annotation(self, node: cst.BaseExpression, frame: Optional[Frame]) -> Optional[str]:
        """Qualified class named by an annotation: `Cache`, `"Cache"`, `Optional[Cache]`."""
        if isinstance(node, cst.SimpleString):
            text = node.evaluated_value
            try:
                node = cst.parse_expression(text if isinstance(text, str) else text.decode("utf-8"))
            except Exception:  # not an expression: no type
                return None
        if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            if (self.qualify(node.value, frame) or "") in _WRAPPERS:
                return self.annotation(node.slice[0].slice.value, frame)
            return None
        return self.qualify(node, frame)


def _add_plain_import(node: cst.Import, into: Dict[str, str]) -> None:
    for alias in node.names:
        full = dotted(alias.name)
        if full is None:
            continue
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            into[alias.asname.name.value] = full
        else:
            head = full.split(".")[0]
            into[head] = head
