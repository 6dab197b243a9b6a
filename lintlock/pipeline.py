"""The whole run, top to bottom:

    discover files -> summarize each file -> link the program -> run rules
    -> locate the findings -> (fix) -> report

Each stage is a module with one job; plain data (lintlock.model) flows between
them. Nothing here imports or executes the code under analysis.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, replace
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import libcst as cst

from . import fix as fixer
from .checks import RULES
from .discover import SourceFile, discover
from .link import Program
from .locate import UNKNOWN, Located, locate_sites
from .model import Diagnostic, ModuleSummary, Site
from .problems import Finding, read_error
from .summarize import summarize

__all__ = ["Finding", "Outcome", "Loaded", "load", "run", "fix"]


@dataclass(frozen=True)
class Outcome:
    findings: Tuple[Finding, ...]
    files: int
    internal_errors: int  # LL900: a bug in lintlock, exit status 2
    fixed: Tuple[Tuple[str, str], ...] = ()  # (path, what) for every fix applied
    new_sources: Tuple[Tuple[str, bytes, bytes], ...] = ()  # (path, before, after) of fixed files


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """ruff/flake8 semantics: the longest matching prefix wins; ignore wins ties."""
    chosen = max((len(p) for p in select if code.startswith(p)), default=-1)
    dropped = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return chosen >= 0 and chosen > dropped


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
    summaries: Dict[str, ModuleSummary]
    problems: Tuple[Finding, ...]  # LL001 / LL900 for files that could not be summarized
    internal_errors: int

    def locator(self, sites: Iterable[Site]) -> Callable[[Site], Located]:
        positions = locate_sites(sites, self.files, self.sources)
        return lambda site: positions.get(site, UNKNOWN)

    def with_source(self, path: str, data: bytes) -> Optional["Loaded"]:
        """The program with one file's text replaced (a fix being verified); None if it does not parse."""
        summary, problem, _ = _summarize_file(self.files[path], data)
        if problem is not None:
            return None
        summaries = dict(self.summaries, **{path: summary})
        sources = dict(self.sources, **{path: data})
        return replace(self, program=Program(summaries.values()), sources=sources, summaries=summaries)


def load(paths: Iterable[str]) -> Loaded:
    """Discover, read and summarize every file, then link them into one program."""
    files = discover(paths)
    sources: Dict[str, bytes] = {}
    summaries: Dict[str, ModuleSummary] = {}
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
        summaries[source_file.path] = summary
    return Loaded(Program(summaries.values()), {f.path: f for f in files}, sources, summaries, tuple(problems), internal)


def check(loaded: Loaded, select: Sequence[str], ignore: Sequence[str]) -> List[Diagnostic]:
    return [d for rule in RULES if selected(rule.code, select, ignore) for d in rule.check(loaded.program)]


def _plans(loaded: Loaded, diagnostics: Sequence[Diagnostic]) -> Dict[Diagnostic, fixer.PlannedFix]:
    """The fix each finding could get (parsing only the files that have fixable findings)."""
    plans: Dict[Diagnostic, fixer.PlannedFix] = {}
    by_path: Dict[str, List[Diagnostic]] = {}
    for diagnostic in diagnostics:
        if diagnostic.fix is not None:
            by_path.setdefault(diagnostic.fix.path, []).append(diagnostic)
    for path, found in sorted(by_path.items()):
        source = loaded.files[path]
        tree = cst.parse_module(loaded.sources[path])
        nodes = fixer.nodes_of(tree, path, source.module, source.is_package)
        for diagnostic in found:
            planned = fixer.plan(tree, nodes, diagnostic.fix)
            if planned is not None:
                plans[diagnostic] = planned
    return plans


def _render(loaded: Loaded, diagnostics: Sequence[Diagnostic], select, ignore, unsafe: bool) -> List[Finding]:
    plans = _plans(loaded, diagnostics)
    locate = loaded.locator([d.site for d in diagnostics] + [s for d in diagnostics for s in d.related])
    findings = list(loaded.problems)
    for diagnostic in diagnostics:
        where = locate(diagnostic.site)
        message = diagnostic.message.render(diagnostic.site.path, locate)
        planned = plans.get(diagnostic)
        fix = "" if planned is None else ("safe" if planned.safe else "unsafe")
        findings.append(Finding(diagnostic.site.path, where.line, where.column, where.end_line, where.end_column, diagnostic.code, message, fix))
    findings = [f for f in findings if selected(f.code, select, ignore) or f.code == "LL900"]
    return sorted(set(findings), key=Finding.sort_key)


def run(paths: Iterable[str], select: Sequence[str] = ("LL",), ignore: Sequence[str] = (), unsafe_fixes: bool = False) -> Outcome:
    loaded = load(paths)
    findings = _render(loaded, check(loaded, select, ignore), select, ignore, unsafe_fixes)
    return Outcome(tuple(findings), len(loaded.files), loaded.internal_errors)


def _counts(loaded: Loaded, select, ignore) -> Dict[Tuple[str, str], int]:
    counts: Dict[Tuple[str, str], int] = {}
    for diagnostic in check(loaded, select, ignore):
        key = (diagnostic.site.path, diagnostic.code)
        counts[key] = counts.get(key, 0) + 1
    return counts


def fix(paths: Iterable[str], select: Sequence[str] = ("LL",), ignore: Sequence[str] = (), unsafe_fixes: bool = False, rounds: int = 200) -> Outcome:
    """Apply fixes until none is left, verifying each: the file parses, the finding is
    gone, and no finding appears anywhere (counted per file and code). Safe fixes go
    first. Writes nothing: the caller decides (--diff prints, --fix writes)."""
    loaded = load(paths)
    original = dict(loaded.sources)
    applied: List[Tuple[str, str]] = []
    rejected: set = set()
    for _ in range(rounds):
        plans = _plans(loaded, check(loaded, select, ignore))
        before = _counts(loaded, select, ignore)
        done: set = set()  # one fix per file per round: the file's sites change
        for diagnostic, planned in sorted(plans.items(), key=lambda item: (not item[1].safe, item[0].site.path, item[0].site.site)):
            path = diagnostic.site.path
            if path in done or (not planned.safe and not unsafe_fixes) or (path, planned.tree.code) in rejected:
                continue
            candidate = loaded.with_source(path, planned.tree.bytes)
            after = _counts(candidate, select, ignore) if candidate is not None else None
            if after is None or after.get((path, diagnostic.code), 0) >= before.get((path, diagnostic.code), 0) or any(
                count > before.get(key, 0) for key, count in after.items()
            ):
                rejected.add((path, planned.tree.code))
                continue
            loaded, before = candidate, after
            applied.append((path, planned.title))
            done.add(path)
        if not done:
            break
    findings = _render(loaded, check(loaded, select, ignore), select, ignore, unsafe_fixes)
    changed = tuple((p, original[p], loaded.sources[p]) for p in sorted(original) if loaded.sources[p] != original[p])
    return Outcome(tuple(findings), len(loaded.files), loaded.internal_errors, tuple(applied), changed)
