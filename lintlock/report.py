"""Stage 6: print findings. flake8-style lines that editors and CI parse."""
from __future__ import annotations

from typing import Iterable, List

from .pipeline import Finding


def text_lines(findings: Iterable[Finding]) -> List[str]:
    return [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in findings]


def summary_line(count: int) -> str:
    if count == 0:
        return "All checks passed!"
    noun = "error" if count == 1 else "errors"
    return f"Found {count} {noun}."
