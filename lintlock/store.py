"""Summaries for many files: from the cache, else computed, in parallel when it pays.

Workers return plain data (a ModuleSummary, or the LL001/LL900 finding for a
file that could not be summarized), never libcst nodes. The result does not
depend on the number of workers.
"""

from __future__ import annotations

import ast
import os
import sys
import threading
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Collection, Dict, FrozenSet, List, Optional, Sequence, Tuple

from .cache import SummaryCache
from .discover import SourceFile
from .model import ModuleSummary
from .problems import Finding, read_error
from .trim import trimmed

_STACK = 256 * 1024 * 1024  # libcst's native parser recurses on the C stack: give it room
_RECURSION = 20_000  # lintlock.guard keeps nesting far below what this allows


@dataclass(frozen=True)
class Result:
    summary: Optional[ModuleSummary]
    problem: Optional[Finding]
    internal: bool = False  # LL900: a bug in lintlock
    detail: str = ""  # the traceback, for --verbose
    left_out: Optional[Tuple[str, ...]] = None  # summarized trimmed (lintlock.trim): the top-level names left out


def summarize_file(source_file: SourceFile, data: bytes) -> Result:
    """One file; a bad file becomes a finding, never an exception."""
    import libcst as cst  # here, not at the top: a run served by the cache never parses

    from .summarize import summarize

    try:
        return Result(summarize(data, source_file.path, source_file.module, source_file.is_package), None)
    except (cst.ParserSyntaxError, RecursionError, MemoryError, UnicodeDecodeError, SyntaxError, ValueError) as error:
        return Result(None, read_error(source_file.path, error, data))
    except Exception as error:  # a bug in lintlock: report it for this file, check the rest
        detail = traceback.format_exception_only(type(error), error)[-1].strip()
        message = f"internal error: {detail} (a bug in lintlock: please report it, with this file if you can)"
        return Result(None, Finding(source_file.path, 1, 1, 1, 1, "LL900", message), True, traceback.format_exc())


def _shown_as(result: Result, path: str) -> Result:
    """A cached result under the path this run shows (another working directory shows another)."""
    summary = result.summary if result.summary is None or result.summary.path == path else replace(result.summary, path=path)
    problem = result.problem if result.problem is None or result.problem.path == path else replace(result.problem, path=path)
    return Result(summary, problem, result.internal, result.detail, result.left_out)


def on_big_stack(function, *args):
    """Run function(*args) in a thread with a large stack and recursion limit: libcst
    and the summarizer recurse once per nesting level of the code they read."""
    box: list = []
    failure: list = []

    def work() -> None:
        try:
            box.append(function(*args))
        except BaseException as error:  # re-raised in the caller's thread
            failure.append(error)

    previous_stack = threading.stack_size(_STACK)
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous_limit, _RECURSION))
    try:
        worker = threading.Thread(target=work, name="lintlock-parse")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(previous_stack)
        sys.setrecursionlimit(previous_limit)
    if failure:
        raise failure[0]
    return box[0]


# a file to summarize: its bytes and the top-level names it is needed for (None: all of it)
Item = Tuple[SourceFile, bytes, Optional[FrozenSet[str]]]


def summarize_needed(source_file: SourceFile, data: bytes, needed: Optional[FrozenSet[str]]) -> Result:
    """The file's summary, of the top-level definitions `needed` (and those they need, lintlock.trim)
    only, the others left out; None: of all of it."""
    cut = trimmed(data, needed) if needed is not None else None
    if cut is None:
        return summarize_file(source_file, data)
    return replace(summarize_file(source_file, cut.data), left_out=tuple(sorted(cut.left_out)))


def _batch(items: Sequence[Item]) -> List[Result]:
    return [on_big_stack(summarize_needed, source_file, data, needed) for source_file, data, needed in items]


class SummaryStore:
    """Computes summaries, remembering them on disk (cache) and fanning out to `jobs` processes."""

    def __init__(self, cache: SummaryCache, jobs: int) -> None:
        self.cache = cache
        self.jobs = max(1, jobs)
        self._pool: Optional[ProcessPoolExecutor] = None

    def __enter__(self) -> SummaryStore:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown()

    def summarize(self, items: Sequence[Item]) -> Dict[str, Result]:
        """`items`: (file, bytes, the top-level names needed or None for all)."""
        results: Dict[str, Result] = {}
        todo: List[Tuple[Item, str, str]] = []
        for item in items:
            source_file, data, needed = item
            # one entry per file (its real path), valid for these bytes under this module name, trimmed
            # for these names (the same bytes and names trim the same: lintlock.trim is deterministic)
            key = os.path.realpath(source_file.path)
            kept = "*" if needed is None else repr(sorted(needed))
            check = self.cache.check(source_file.module, str(source_file.is_package), kept, data=data)
            hit = self.cache.get("summaries", key, check, Result)
            if hit is not None:
                results[source_file.path] = _shown_as(hit, source_file.path)
            else:
                todo.append((item, key, check))
        for (item, key, check), result in zip(todo, self._compute([item for item, _, _ in todo])):
            source_file = item[0]
            results[source_file.path] = result
            if not result.internal:
                self.cache.put("summaries", key, check, result)
        return results

    def syntax_ok(self, items: Sequence[Tuple[str, bytes]]) -> Dict[str, bool]:
        """Which files CPython parses, from the cache or computed (in parallel)."""
        return self.start_syntax_checks(items).verdicts()

    def start_syntax_checks(self, items: Sequence[Tuple[str, bytes]]) -> SyntaxChecks:
        """Start checking these files' syntax in the worker pool, if the work is worth one: the
        verdicts are collected later, while the pool would otherwise wait for the next batch."""
        known: Dict[str, bool] = {}
        todo = []
        for path, data in items:
            key = os.path.realpath(path)
            check = self.cache.check(data=data)
            verdict = self.cache.get("syntax", key, check, bool)
            if verdict is not None:
                known[path] = verdict
            else:
                todo.append((path, data, key, check))
        datas = [data for _, data, _, _ in todo]
        pool = self._pool_ready() if self.jobs > 1 and sum(map(len, datas)) > 200_000 else None
        chunks = self.jobs * 2
        futures = [pool.submit(_syntax_batch, datas[i::chunks]) for i in range(chunks)] if pool is not None else []
        return SyntaxChecks(self.cache, known, todo, futures)

    def _pool_ready(self) -> Optional[ProcessPoolExecutor]:
        """The worker pool, started on first use; None if processes cannot be started."""
        if self._pool is None:
            try:
                self._pool = ProcessPoolExecutor(max_workers=self.jobs)
            except (OSError, ValueError):
                self.jobs = 1
        return self._pool

    def _compute(self, items: List[Item]) -> List[Result]:
        size = sum(len(data) for _, data, _ in items)
        if self.jobs == 1 or len(items) < 4 or size < 200_000:
            return _batch(items)  # starting processes would cost more than it saves
        pool = self._pool_ready()
        if pool is None:
            return _batch(items)
        # biggest first, in chunks, so the workers finish together
        order = sorted(range(len(items)), key=lambda i: -len(items[i][1]))  # (trimmed: about)
        chunks = [order[i :: self.jobs * 4] for i in range(min(len(order), self.jobs * 4))]
        try:
            futures = [pool.submit(_batch, [items[i] for i in chunk]) for chunk in chunks]
            results: Dict[int, Result] = {}
            for chunk, future in zip(chunks, futures):
                for index, result in zip(chunk, future.result()):
                    results[index] = result
            return [results[index] for index in range(len(items))]
        except Exception:  # a worker died (or cannot start): do the work here instead
            pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            self.jobs = 1
            return _batch(items)


class SyntaxChecks:
    """Syntax checks under way (lintlock.store.SummaryStore.start_syntax_checks)."""

    def __init__(self, cache: SummaryCache, known: Dict[str, bool], todo: List[Tuple[str, bytes, str, str]], futures: List[Future]) -> None:
        self.cache, self.known, self.todo, self.futures = cache, known, todo, futures

    def verdicts(self, wanted: Optional[Collection[str]] = None) -> Dict[str, bool]:
        """The verdicts of the `wanted` files (None: all): the pool's answers, or computed here
        when there was no pool (then only for the files still wanted: the others were parsed
        meanwhile, and libcst's verdict is the one that counts)."""
        todo = self.todo
        keep = (lambda path: True) if wanted is None else wanted.__contains__
        answers: List[bool] = [False] * len(todo)
        try:
            for start, future in enumerate(self.futures):
                for offset, verdict in enumerate(future.result()):
                    answers[start + offset * len(self.futures)] = verdict
        except Exception:  # a worker died: check here instead
            self.futures = []
        if not self.futures:
            todo = [item for item in todo if keep(item[0])]
            answers = _syntax_batch([data for _, data, _, _ in todo])
        verdicts = {path: verdict for path, verdict in self.known.items() if keep(path)}
        for (path, _, key, check), verdict in zip(todo, answers):
            self.cache.put("syntax", key, check, verdict)
            if keep(path):
                verdicts[path] = verdict
        return verdicts


def python_parses(data: bytes) -> bool:
    """CPython's parser accepts it (an AST is built, nothing runs): much cheaper than libcst."""
    try:
        ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def _syntax_batch(items: Sequence[bytes]) -> List[bool]:
    return [python_parses(data) for data in items]


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
