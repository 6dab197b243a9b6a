"""Stage 6: print findings. flake8-style lines that editors and CI parse."""
from __future__ import annotations

import difflib
from typing import Iterable, List, Sequence

from .problems import Finding


def text_lines(findings: Iterable[Finding], unsafe_fixes: bool = False) -> List[str]:
    """`path:line:col: CODE [*] message`; [*] marks a finding --fix can fix (as in ruff)."""
    lines = []
    for f in findings:
        marker = "[*] " if f.fix == "safe" or (f.fix == "unsafe" and unsafe_fixes) else ""
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.code} {marker}{f.message}")
    return lines


def summary_lines(findings: Sequence[Finding], unsafe_fixes: bool = False, fixed: int = 0) -> List[str]:
    count = len(findings)
    lines = []
    if fixed:
        lines.append(f"Fixed {fixed} error{'s' if fixed != 1 else ''}, {count} remaining." if count else f"Fixed {fixed} error{'s' if fixed != 1 else ''}.")
        if not count:
            return lines
    if count == 0:
        return lines or ["All checks passed!"]
    fixable = sum(1 for f in findings if f.fix == "safe" or (f.fix == "unsafe" and unsafe_fixes))
    hidden = sum(1 for f in findings if f.fix == "unsafe" and not unsafe_fixes)
    noun = "error" if count == 1 else "errors"
    if not fixed:
        lines.append(f"Found {count} {noun}." if not fixable else f"Found {count} {noun} ({fixable} fixable with --fix).")
    if hidden:
        lines.append(f"{hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with --unsafe-fixes.")
    lines.append("Run `lintlock rule CODE` for what a code means and how to fix it.")
    return lines


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    old = before.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    new = after.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, fromfile=f"a/{path}", tofile=f"b/{path}"))
