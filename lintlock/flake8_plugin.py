"""flake8 plugin: `flake8 --select LL` reports lintlock's findings, file by file.

flake8 hands plugins one file at a time, so calls into other modules are not
followed here (run `lintlock` itself for the whole-program view). flake8
applies `# noqa` itself.
"""
from __future__ import annotations

import ast
from typing import Iterator, List, Optional, Tuple

from . import __version__
from .config import Settings
from .pipeline import run


class Plugin:
    name = "lintlock"
    version = __version__

    def __init__(self, tree: ast.AST, filename: str = "stdin", lines: Optional[List[str]] = None) -> None:
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        if self.lines is not None:
            source = "".join(self.lines).encode("utf-8")
        else:
            with open(self.filename, "rb") as handle:
                source = handle.read()
        name = self.filename if self.filename.endswith(".py") else "stdin.py"
        outcome = run([name], Settings(respect_gitignore=False), use_noqa=False, stdin=(name, source))
        for finding in outcome.findings:
            if finding.code == "LL001":
                continue  # flake8 reports syntax errors itself (E999)
            yield finding.line, max(finding.column - 1, 0), f"{finding.code} {finding.message}", type(self)
