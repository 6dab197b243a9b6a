"""Small questions about libcst's node shapes, shared by the walkers."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass
from typing import FrozenSet, Iterator, List, Mapping, Optional, Sequence, Tuple

import libcst as cst

# fields that hold only whitespace and punctuation
_SYNTAX_FIELDS = (
    "whitespace",
    "lpar",
    "rpar",
    "comma",
    "semicolon",
    "lbracket",
    "rbracket",
    "lbrace",
    "rbrace",
    "colon",
    "equal",
    "operator",
    "dot",
    "walrus",
    "asynchronous",
    "header",
    "footer",
    "leading_lines",
    "trailing_whitespace",
    "newline",
    "indent",
    "star",
    "prefix",
    "quote",
    "start",
    "end",
)
_NOT_CODE = (cst.BaseParenthesizableWhitespace, cst.Comment, cst.Newline, cst.EmptyLine)


def _node_types(kind: type) -> Iterator[type]:
    yield kind
    subclasses: List[type] = kind.__subclasses__()
    for subclass in subclasses:
        yield from _node_types(subclass)


def _fields_of(kind: type) -> Tuple[str, ...]:
    return tuple(f.name for f in dataclass_fields(kind) if not f.name.startswith(_SYNTAX_FIELDS))


# tables computed once, for every node type libcst defines; never written after
CODE_NODES: FrozenSet[type] = frozenset(kind for kind in _node_types(cst.CSTNode) if not issubclass(kind, _NOT_CODE))
_FIELDS: Mapping[type, Tuple[str, ...]] = {kind: _fields_of(kind) for kind in CODE_NODES if is_dataclass(kind)}


def expression_fields(kind: type) -> Tuple[str, ...]:
    """The fields of a node type that can hold code (not whitespace or punctuation)."""
    names = _FIELDS.get(kind)
    return names if names is not None else _fields_of(kind)


def dotted(node: cst.BaseExpression) -> Optional[str]:
    """`a.b.c` as text, for names and attribute chains only."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def sub_blocks(stmt: cst.CSTNode) -> List[Sequence[cst.CSTNode]]:
    """The statement lists of an `if` (with its elifs), `try` or `with`."""
    blocks: List[Sequence[cst.CSTNode]] = []
    if isinstance(stmt, cst.If):
        blocks.append(stmt.body.body)
        if stmt.orelse is not None:
            blocks.extend(sub_blocks(stmt.orelse) if isinstance(stmt.orelse, cst.If) else [stmt.orelse.body.body])
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


def parameter_names(params: cst.Parameters) -> Tuple[str, ...]:
    """Parameters in order, `*args` and `**kwargs` with their stars."""
    names = [p.name.value for p in (*params.posonly_params, *params.params)]
    if isinstance(params.star_arg, cst.Param):
        names.append("*" + params.star_arg.name.value)
    names.extend(p.name.value for p in params.kwonly_params)
    if params.star_kwarg is not None:
        names.append("**" + params.star_kwarg.name.value)
    return tuple(names)


def exits(body: Sequence[cst.CSTNode]) -> bool:
    """The block ends with return, raise, continue or break."""
    last = body[-1] if body else None
    if isinstance(last, cst.SimpleStatementLine) and last.body:
        return isinstance(last.body[-1], (cst.Return, cst.Raise, cst.Continue, cst.Break))
    return False


def statements_of(suite: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    """The statements of a body; a body on the same line (`with lock: g()`) is one simple statement line."""
    if type(suite) is cst.SimpleStatementSuite:
        return (suite,)
    return suite.body
