"""Files that cannot be read, decoded or parsed become LL001 findings, never exceptions."""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from typing import Optional, Tuple


@dataclass(frozen=True)
class Finding:
    """One line of output."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    fix: str = ""  # "safe", "unsafe" or "" (no fix)
    lock: str = ""
    chain: Tuple[str, ...] = ()
    related: Tuple[Tuple[str, int, int, str], ...] = ()  # (path, line, column, what happens there)

    def sort_key(self) -> Tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


def _python_syntax_error(source: bytes) -> Optional[SyntaxError]:
    """CPython's own report on a file libcst rejected: better positions and wording.

    Parse only (an AST is built, nothing runs). None when this Python accepts
    the file or cannot say.
    """
    try:
        ast.parse(source)
    except SyntaxError as error:
        return error
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


def not_a_file(path: str, kind: str) -> Finding:
    """LL001 for a FIFO, socket or device named like a Python file (reading it could block forever)."""
    return Finding(path, 1, 1, 1, 1, "LL001", f"cannot read: {kind}, not a regular file")


def read_error(path: str, error: BaseException, source: Optional[bytes] = None) -> Finding:
    """LL001 for a file that cannot be read, decoded or parsed."""
    cst = sys.modules.get("libcst")  # not imported: no file was parsed, so the error is not libcst's
    if cst is not None and isinstance(error, cst.ParserSyntaxError) and source is not None:
        python = _python_syntax_error(source)
        if python is not None and python.lineno:
            column = python.offset or 1
            return Finding(path, python.lineno, column, python.lineno, column, "LL001", f"cannot parse: {python.msg}")
    if cst is not None and isinstance(error, cst.ParserSyntaxError):
        reason = error.message.split(": ", 1)[-1] if error.message.startswith("parser error") else error.message
        return Finding(path, error.editor_line, error.editor_column, error.editor_line, error.editor_column, "LL001", f"cannot parse: {reason}")
    if isinstance(error, RecursionError):
        detail = str(error) if str(error).startswith("an expression") else "the code nests too deeply"
        return Finding(path, 1, 1, 1, 1, "LL001", f"cannot analyse: {detail}")
    if isinstance(error, UnicodeDecodeError):
        return Finding(path, 1, 1, 1, 1, "LL001", f"cannot decode: {error.reason} at byte {error.start} ({error.encoding})")
    if isinstance(error, OSError):
        return Finding(path, 1, 1, 1, 1, "LL001", f"cannot read: {error.strerror or error}")
    return Finding(path, 1, 1, 1, 1, "LL001", f"cannot parse: {error}")
