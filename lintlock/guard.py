"""A cheap guard run before libcst: how deep could this file's syntax tree get?

libcst's native parser recurses once per level of an expression, and a long
chain (`1+1+1+...`, `a.b.c...`, `x[0][0]...`, `not not ...`) is as deep as it
is long: past a few thousand levels it takes seconds, then exhausts the C
stack and kills the process. CPython rejects most of these files anyway.
Scanning the bytes once for an upper bound lets lintlock report LL001 for
such a file instead of crashing.

The estimate counts, per element of a bracketed list (commas start a new
element), the operators and trailers that nest, plus the bracket depth. It
ignores strings and comments. It over-estimates rather than under-.
"""

from __future__ import annotations

import re

LIMIT = 2500

_TOKEN = re.compile(
    rb"""(?P<string>[rRbBuUfF]{0,2}(?:'''|\"\"\"|'|"))"""
    rb"""|(?P<open>[(\[{])|(?P<close>[)\]}])|(?P<comma>[,;])|(?P<newline>\n)|(?P<comment>\#[^\n]*)"""
    rb"""|(?P<continuation>\\\r?\n)"""
    rb"""|(?P<op>\*\*|//|<<|>>|[-+*/%&|^~<>@.]|\b(?:and|or|not|if|else|lambda|await|in|is)\b)"""
)
_STRING_END = {
    b"'''": re.compile(rb"(?:[^\\]|\\.)*?'''", re.S),
    b'"""': re.compile(rb'(?:[^\\]|\\.)*?"""', re.S),
    b"'": re.compile(rb"(?:[^'\\\n]|\\.)*(?:'|\n|$)", re.S),
    b'"': re.compile(rb'(?:[^"\\\n]|\\.)*(?:"|\n|$)', re.S),
}


def nesting_estimate(data: bytes, stop_at: int = LIMIT) -> int:
    """An upper bound on the expression depth; stops counting once it passes `stop_at`."""
    stack = [0]
    deepest = 0
    position = 0
    search = _TOKEN.search
    while True:
        match = search(data, position)
        if match is None:
            return deepest
        kind = match.lastgroup
        position = match.end()
        if kind == "string":
            quote = match.group("string").lstrip(b"rRbBuUfF")
            end = _STRING_END[quote].match(data, position)
            position = end.end() if end else len(data)
            continue  # adjacent strings do not nest deeply in libcst
        elif kind == "open":
            stack[-1] += 1
            stack.append(0)
        elif kind == "close":
            if len(stack) > 1:
                stack.pop()
        elif kind == "comma":
            stack[-1] = 0
        elif kind == "newline":
            if len(stack) == 1:
                stack[0] = 0
        elif kind == "op":
            stack[-1] += 1
        else:
            continue
        depth = sum(stack) + len(stack) if len(stack) < 64 else len(stack) * 2 + sum(stack[-8:])
        if depth > deepest:
            deepest = depth
            if deepest > stop_at:
                return deepest
