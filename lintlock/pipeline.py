"""The whole run, top to bottom:

    discover files -> summarize each file -> link the program -> run rules
    -> locate the findings -> (fix) -> report

Each stage is a module with one job; plain data (lintlock.model) flows between
them. Nothing here imports or executes the code under analysis.
"""
from __future__ import annotations

import ast
import traceback
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import libcst as cst

from .checks import RULES
from .discover import SourceFile, discover
from .link import Program
from .locate import UNKNOWN, Located, locate_sites
from .model import ModuleSummary, Site
from .summarize import summarize


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

    def sort_key(self) -> Tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


@dataclass(frozen=True)
class Outcome:
    findings: Tuple[Finding, ...]
    files: int
    internal_errors: int  # LL900: a bug in lintlock, exit status 2


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """ruff/flake8 semantics: the longest matching prefix wins; ignore wins ties."""
    chosen = max((len(p) for p in select if code.startswith(p)), default=-1)
    dropped = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return chosen >= 0 and chosen > dropped


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


def read_error(path: str, error: BaseException, source: Optional[bytes] = None) -> Finding:
    """LL001 for a file that cannot be read, decoded or parsed."""
    if isinstance(error, cst.ParserSyntaxError) and source is not None:
        python = _python_syntax_error(source)
        if python is not None and python.lineno:
            column = python.offset or 1
            return Finding(path, python.lineno, column, python.lineno, column, "LL001", f"cannot parse: {python.msg}")
    if isinstance(error, cst.ParserSyntaxError):
        reason = error.message.split(": ", 1)[-1] if error.message.startswith("parser error") else error.message
        return Finding(path, error.editor_line, error.editor_column, error.editor_line, error.editor_column, "LL001", f"cannot parse: {reason}")
    if isinstance(error, RecursionError):
        return Finding(path, 1, 1, 1, 1, "LL001", "cannot parse: too deeply nested")
    if isinstance(error, UnicodeDecodeError):
        return Finding(path, 1, 1, 1, 1, "LL001", f"cannot decode: {error.reason} at byte {error.start} ({error.encoding})")
    if isinstance(error, OSError):
        return Finding(path, 1, 1, 1, 1, "LL001", f"cannot read: {error.strerror or error}")
    return Finding(path, 1, 1, 1, 1, "LL001", f"cannot parse: {error}")


def _summarize_file(source_file: SourceFile, data: bytes) -> Tuple[Optional[ModuleSummary], Optional[Finding], bool]:
    """(summary, problem, internal): a bad file becomes a finding, never an exception."""
    try:
        return summarize(data, source_file.path, source_file.module, source_file.is_package), None, False
    except (cst.ParserSyntaxError, RecursionError, UnicodeDecodeError, SyntaxError, ValueError) as error:
        return None, read_error(source_file.path, error, data), False
    except Exception as error:  # a bug in lintlock: report it for this file, check the rest
        detail = traceback.format_exception_only(type(error), error)[-1].strip()
        return None, Finding(source_file.path, 1, 1, 1, 1, "LL900", f"internal error: {detail} (please report this at lintlock's issue tracker)"), True


@dataclass(frozen=True)
class Loaded:
    """The program, linked: what every command works from."""

    program: Program
    files: Dict[str, SourceFile]
    sources: Dict[str, bytes]
    problems: Tuple[Finding, ...]  # LL001 / LL900 for files that could not be summarized
    internal_errors: int

    def locator(self, sites: Iterable[Site]) -> Callable[[Site], Located]:
        positions = locate_sites(sites, self.files, self.sources)
        return lambda site: positions.get(site, UNKNOWN)


def load(paths: Iterable[str]) -> Loaded:
    """Discover, read and summarize every file, then link them into one program."""
    files = discover(paths)
    sources: Dict[str, bytes] = {}
    summaries: List[ModuleSummary] = []
    problems: List[Finding] = []
    internal = 0
    for source_file in files:
        try:
            with open(source_file.path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            problems.append(read_error(source_file.path, error))
            continue
        summary, problem, is_internal = _summarize_file(source_file, data)
        internal += is_internal
        if problem is not None:
            problems.append(problem)
            continue
        sources[source_file.path] = data
        summaries.append(summary)
    return Loaded(Program(summaries), {f.path: f for f in files}, sources, tuple(problems), internal)


def run(paths: Iterable[str], select: Sequence[str] = ("LL",), ignore: Sequence[str] = ()) -> Outcome:
    loaded = load(paths)
    diagnostics = [d for rule in RULES if selected(rule.code, select, ignore) for d in rule.check(loaded.program)]
    locate = loaded.locator([d.site for d in diagnostics] + [s for d in diagnostics for s in d.related])

    findings = list(loaded.problems)
    for diagnostic in diagnostics:
        where = locate(diagnostic.site)
        message = diagnostic.message.render(diagnostic.site.path, locate)
        findings.append(Finding(diagnostic.site.path, where.line, where.column, where.end_line, where.end_column, diagnostic.code, message))

    findings = [f for f in findings if selected(f.code, select, ignore) or f.code == "LL900"]
    unique = sorted(set(findings), key=Finding.sort_key)
    return Outcome(tuple(unique), len(loaded.files), loaded.internal_errors)
