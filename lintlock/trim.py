"""A file's source with the top-level definitions nobody needs blanked out.

A file pulled in on demand only for some of its names (a callee, a base class, a
decorator) is summarized from a trimmed source: every top-level statement stays
but the top-level `def` / `async def` / `class` (with their decorators) whose name
is neither needed nor mentioned by what stays. Removed lines become empty lines,
so every line and column of what stays is where it was. CPython's parser finds
the spans (several times cheaper than libcst, which then parses much less).
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_LINES = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)?")  # lines as CPython's tokenizer counts them
_LINE_END = re.compile(rb"(?:\r\n|\r|\n)$")


@dataclass(frozen=True)
class Trimmed:
    data: bytes
    left_out: FrozenSet[str]  # the top-level definitions' names blanked out


def trimmed(data: bytes, needed: Iterable[str]) -> Optional[Trimmed]:
    """`data` without the top-level definitions not needed: `needed` names, closed over the names
    that what stays mentions (a name or an attribute). None: nothing to leave out, or CPython does
    not parse the file (it is summarized whole, and its problem reported as ever)."""
    try:
        with warnings.catch_warnings():  # an invalid escape in a string is not the user's concern here
            warnings.simplefilter("ignore")
            tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None
    spans = _definitions(tree)
    kept = _closure(tree, spans, set(needed))
    left_out = [(name, span) for name, span in spans if name not in kept]
    if not left_out:
        return None
    return Trimmed(_blanked(data, [span for _, span in left_out]), frozenset(name for name, _ in left_out))


Span = Tuple[int, int]  # first and last line, 1-based


def _definitions(tree: ast.Module) -> List[Tuple[str, Span]]:
    found = []
    for node in tree.body:
        if isinstance(node, _DEFINITIONS):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            found.append((node.name, (first, node.end_lineno or node.lineno)))
    return found


def _mentions(nodes: Iterable[ast.AST]) -> Set[str]:
    said: Set[str] = set()
    for top in nodes:
        for node in ast.walk(top):
            if isinstance(node, ast.Name):
                said.add(node.id)
            elif isinstance(node, ast.Attribute):
                said.add(node.attr)
    return said


def _closure(tree: ast.Module, spans: List[Tuple[str, Span]], needed: Set[str]) -> Set[str]:
    """The definitions' names kept: needed, or mentioned by code kept (transitively)."""
    defined: Dict[str, List[ast.AST]] = {}
    for node in tree.body:
        if isinstance(node, _DEFINITIONS):
            defined.setdefault(node.name, []).append(node)
    kept: Set[str] = set()
    frontier = _mentions(node for node in tree.body if not isinstance(node, _DEFINITIONS)) | needed
    while frontier:
        new = {name for name in frontier if name in defined and name not in kept}
        kept |= new
        frontier = _mentions(node for name in sorted(new) for node in defined[name])
    return kept


def _blanked(data: bytes, spans: List[Span]) -> bytes:
    removed: Set[int] = set()
    for first, last in spans:
        removed.update(range(first, last + 1))
    lines = [match.group() for match in _LINES.finditer(data)]
    out = []
    for number, line in enumerate(lines, 1):
        if number in removed:
            end = _LINE_END.search(line)
            bom = b"\xef\xbb\xbf" if number == 1 and line.startswith(b"\xef\xbb\xbf") else b""
            line = bom + (end.group() if end else b"")
        out.append(line)
    return b"".join(out)
