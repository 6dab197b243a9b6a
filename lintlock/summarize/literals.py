"""Constant arguments read from the source: the few values a summary keeps."""

from __future__ import annotations

from typing import Optional

import libcst as cst


def int_literal(node: cst.BaseExpression) -> Optional[int]:
    """An integer constant (`0`, `-1`, `True`), else None."""
    if isinstance(node, cst.Integer):
        try:
            return int(node.value, 0)
        except ValueError:
            return None
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return 1 if node.value == "True" else 0
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = int_literal(node.expression)
        return None if inner is None else -inner
    return None


def literal(node: cst.BaseExpression) -> Optional[str]:
    """A constant argument as text (`None`, `False`, `0.5`, `-1`), else None."""
    if isinstance(node, (cst.Integer, cst.Float)):
        return node.value
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return node.value
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = literal(node.expression)
        return None if inner is None else "-" + inner
    return None


def is_none(node: Optional[cst.BaseExpression]) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"
