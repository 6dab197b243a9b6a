"""Site numbers: every event names its node by its order in the walk.

The contract locate.py and fix.py rely on: walking the same tree again gives
the same numbers to the same nodes. So a number is taken exactly when the
walk meets a node, and the walk's order must never depend on anything else.
"""

from __future__ import annotations

from typing import Dict, List, Mapping, Optional, Tuple

import libcst as cst
from libcst.metadata import CodeRange

Position = Tuple[int, int, int, int, int, str]  # site, start line, column, end line, column, text

_MAX_TEXT = 80


class Sites:
    """Hands out site numbers; with `position_of`, also records where each node is;
    with `nodes`, which node each number is (for the fixer, which edits nodes)."""

    def __init__(
        self,
        tree: cst.Module,
        position_of: Optional[Mapping[cst.CSTNode, CodeRange]] = None,
        nodes: Optional[Dict[int, cst.CSTNode]] = None,
    ) -> None:
        self.tree = tree
        self.position_of = position_of
        self.nodes = nodes
        self.positions: List[Position] = []
        self.next_site = 0

    def number(self, node: cst.CSTNode) -> int:
        site = self.next_site
        self.next_site += 1
        if self.nodes is not None:
            self.nodes[site] = node
        if self.position_of is not None:
            where = self.position_of.get(node)
            if where is not None:
                self.positions.append((site, where.start.line, where.start.column + 1, where.end.line, where.end.column + 1, self._text(node)))
        return site

    def _text(self, node: cst.CSTNode) -> str:
        text = " ".join(self.tree.code_for_node(node).split())
        if len(text) > _MAX_TEXT and isinstance(node, cst.Call):
            text = " ".join(self.tree.code_for_node(node.func).split()) + "(...)"
        return text
