"""The whole run, top to bottom:

    discover files -> summarize each file -> link the program -> run rules
    -> locate the findings -> (fix) -> report

Each stage is a module with one job; plain data (lintlock.model) flows between
them. Nothing here imports or executes the code under analysis.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass, replace
from hashlib import sha256
from typing import TYPE_CHECKING, Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Protocol, Sequence, Set, Tuple, cast

from . import demand, model
from .cache import SummaryCache
from .checks import RULES
from .codec import Codec, dataclasses_and_enums
from .config import Settings
from .discover import SourceFile, discover, module_name, unique_modules
from .ignore import GitIgnored
from .knowledge import knowledge_for
from .link import Program
from .model import Diagnostic, ModuleSummary, Site
from .problems import Finding, not_a_file, read_error
from .store import Result, SummaryStore, SyntaxChecks, on_big_stack, summarize_file

# libcst (about two thirds of the start-up time) is imported only where a file is parsed:
# a run whose summaries all come from the cache, with nothing to locate or fix, never needs it
if TYPE_CHECKING:
    from . import fix as fixer
    from .locate import Located

__all__ = ["Finding", "Outcome", "Loaded", "load", "run", "fix"]


@dataclass(frozen=True)
class Outcome:
    findings: Tuple[Finding, ...]
    files: int
    internal_errors: int  # LL900: a bug in lintlock, exit status 2
    tracebacks: Tuple[str, ...] = ()  # of the LL900s, for --verbose
    fixed: Tuple[Tuple[str, str], ...] = ()  # (path, what) for every fix applied
    dropped: Tuple[Tuple[str, str], ...] = ()  # (path, why) for fixes that did not verify
    new_sources: Tuple[Tuple[str, bytes, bytes], ...] = ()  # (path, before, after) of fixed files
    empty: Tuple[str, ...] = ()  # folders given without a Python file in them
    before_fixes: Tuple[Tuple[str, int], ...] = ()  # (path, findings) of the fixed files before fixing
    acquisitions: int = 0  # run(): lock acquisitions in the checked files (0: no lock recognised there)


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """ruff/flake8 semantics: the longest matching prefix wins; ignore wins ties."""
    chosen = max((len(p) for p in select if code.startswith(p)), default=-1)
    dropped = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return chosen >= 0 and chosen > dropped


@dataclass(frozen=True)
class Loaded:
    """The program, linked: what every command works from."""

    program: Program
    files: Dict[str, SourceFile]
    sources: Dict[str, bytes]
    summaries: Dict[str, ModuleSummary]
    problems: Tuple[Finding, ...]  # LL001 / LL900 for files that could not be summarized
    internal_errors: int
    targets: FrozenSet[str]  # the files to report on (the rest is context)
    settings: Settings
    tracebacks: Tuple[str, ...] = ()

    def locator(self, sites: Iterable[Site]) -> Callable[[Site], Located]:
        from .locate import UNKNOWN, locate_sites

        positions = locate_sites(sites, self.files, self.sources)
        return lambda site: positions.get(site, UNKNOWN)

    def with_source(self, path: str, data: bytes) -> Optional[Loaded]:
        """The program with one file's text replaced (a fix being verified); None if it does not parse."""
        return self.with_sources({path: data})

    def with_sources(self, texts: Dict[str, bytes]) -> Optional[Loaded]:
        """The program with these files' texts replaced (a fix being verified); None if one does not parse."""
        summaries, sources = dict(self.summaries), dict(self.sources)
        for path, data in sorted(texts.items()):
            result = on_big_stack(summarize_file, self.files[path], data)
            if result.summary is None:
                return None
            summaries[path], sources[path] = result.summary, data
        return replace(self, program=Program(summaries.values(), self.program.knowledge), sources=sources, summaries=summaries)


def _discover(paths: Sequence[str], settings: Settings) -> List[SourceFile]:
    if not settings.respect_gitignore:
        return discover(paths, settings.excluded, force_exclude=settings.force_exclude)
    ignored = GitIgnored()
    return discover(paths, lambda path: settings.excluded(path) or ignored(path), force_exclude=settings.force_exclude)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """A run builds millions of small objects that live until its end (summaries, parse trees, what
    linking and the rules work out) and makes few reference cycles: at CPython's default thresholds
    the cyclic collector walks that whole heap again and again (a fifth to a quarter of a run's CPU
    on the standard library, twice the cost of each ast.parse). Collections are rarer for the run;
    the process's own thresholds come back after it (worker processes started in it inherit them)."""
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], 200_000), max(previous[1], 30), max(previous[2], 30))
    try:
        yield
    finally:
        gc.set_threshold(*previous)


@fewer_collections()
def load(
    paths: Sequence[str], settings: Optional[Settings] = None, stdin: Optional[Tuple[str, bytes]] = None, progress: Optional[Callable[[int, int], None]] = None
) -> Loaded:
    """Discover, read and summarize the files, then link them into one program.

    The files under `paths` are the targets; the rest of the project (below
    its root) is context, so that calls, locks and classes defined elsewhere
    resolve. Only files that can matter are parsed (lintlock.demand), unless
    settings.full. `stdin`: (name, text) of an editor's buffer, checked under
    that name instead of the file on disk.
    """
    settings = settings or Settings()
    return _analyse(_gather(paths, settings, stdin), settings, progress)


@dataclass(frozen=True)
class _Gathered:
    files: Dict[str, SourceFile]
    targets: FrozenSet[str]
    sources: Dict[str, bytes]
    problems: Tuple[Finding, ...]  # files that could not be read
    empty: Tuple[str, ...] = ()  # folders given without a Python file in them


def _gather(paths: Sequence[str], settings: Settings, stdin: Optional[Tuple[str, bytes]]) -> _Gathered:
    files, targets = _files(paths, settings, stdin)
    sources: Dict[str, bytes] = {}
    problems: List[Finding] = []
    for path in files:
        if stdin is not None and path in targets:
            sources[path] = stdin[1]
            continue
        try:
            sources[path] = _read_regular(path)
        except OSError as error:
            if path in targets:
                problems.append(read_error(path, error))
        except NotRegularFile as error:  # a FIFO would block the run forever
            if path in targets:
                problems.append(not_a_file(path, str(error)))
    return _Gathered(files, frozenset(targets), sources, tuple(problems), _empty(paths, targets) if stdin is None else ())


class NotRegularFile(Exception):
    """A FIFO, socket or device named like a Python file."""


def _read_regular(path: str) -> bytes:
    # open without blocking (a FIFO with no writer would), then look at what was opened
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    with open(path, "rb", opener=lambda name, flags: os.open(name, flags | nonblocking)) as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(_kind_of(mode))
        return handle.read()


def _kind_of(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _empty(paths: Sequence[str], targets: Iterable[str]) -> Tuple[str, ...]:
    """The folders given that hold no Python file to check (worth a warning)."""
    found = [os.path.abspath(t) for t in targets]
    empty = []
    for given in paths:
        if os.path.isdir(given):
            folder = os.path.join(os.path.abspath(given), "")
            if not any(t.startswith(folder) for t in found):
                empty.append(given)
    return tuple(empty)


class _Parser:
    """Summaries of the files chosen so far (from the cache or parsed), and the program they link to."""

    def __init__(self, gathered: _Gathered, store: SummaryStore, knowledge, progress) -> None:
        self.files, self.sources = gathered.files, gathered.sources
        self.store, self.knowledge, self.progress = store, knowledge, progress
        self.results: Dict[str, Result] = {}
        self.syntax: Optional[SyntaxChecks] = None  # started by on_demand
        self.identifiers: Dict[str, FrozenSet[bytes]] = {}  # of the files scanned for vocabulary
        self.data: Set[str] = set()  # files asked for that hold literal data only: never parsed on demand
        self.program: Optional[Program] = None  # linked from self.results
        self.trimmed: Dict[str, FrozenSet[str]] = {}  # files summarized trimmed: the top-level names they were for

    def parse(self, chosen: Iterable[str], wanted: Optional[Dict[str, Set[str]]] = None) -> Program:
        """The program once the chosen files are summarized: whole, or trimmed to the top-level names
        `wanted` for them (path -> names, "" for all; lintlock.trim) and those wanted before."""
        batch = []
        for path in sorted(chosen):
            todo, needed = self._todo(path, None if wanted is None else wanted.get(path, {""}))
            if todo:
                batch.append((self.files[path], self.sources[path], needed))
        if batch or self.program is None:
            results = self.store.summarize(batch)
            for source_file, _, needed in batch:
                if results[source_file.path].left_out is None:
                    self.trimmed.pop(source_file.path, None)
                elif needed is not None:
                    self.trimmed[source_file.path] = needed
            self.results.update(results)
            # nothing new parsed: the same summaries link to the same program, and what the
            # demand rounds worked out in it (value flow, call edges) serves the rules too
            self.program = _link(self.results, self.knowledge)
        if self.progress is not None:
            self.progress(len(self.results), len(self.sources))
        return self.program

    def _todo(self, path: str, names: Optional[Set[str]]) -> Tuple[bool, Optional[FrozenSet[str]]]:
        """(whether to summarize the file, for which top-level names: None for all) when `names` are wanted."""
        before = self.trimmed.get(path)
        if path not in self.sources or (path in self.results and before is None):
            return False, None  # summarized whole already
        if names is None or "" in names:
            return True, None
        if before is not None and names <= before:
            return False, None
        return True, frozenset(names | (before or set()))

    def unloaded(self) -> demand.Unloaded:
        """The modules not all summarized yet (never parsed, or trimmed)."""
        paths = {f.module: p for p, f in self.files.items() if p in self.sources and (p not in self.results or p in self.trimmed)}
        left_out = {self.files[p].module: frozenset(self.results[p].left_out or ()) for p in self.trimmed}
        return demand.Unloaded(paths, left_out)

    def unparsed(self, vocabulary: demand.Vocabulary) -> set:
        """The files not parsed whole yet whose code says the vocabulary (their identifiers worked out once)."""
        found = set()
        for path, data in self.sources.items():
            if (path in self.results and path not in self.trimmed) or path in self.data:
                continue
            if path not in self.identifiers:
                self.identifiers[path] = demand.identifiers(data)
            if vocabulary.matches(data, self.identifiers[path]):
                found.add(path)
        return found

    def on_demand(self, factories: List[str], targets: Iterable[str] = ()) -> Program:
        """Files with lock vocabulary, then what code under a lock reaches, until nothing more is needed.
        The syntax of the other targets is checked meanwhile, in the worker pool (if there is one)."""
        program = self.parse(self._code(self.unparsed(demand.Vocabulary(factories))))
        self.syntax = self.store.start_syntax_checks([(p, self.sources[p]) for p in sorted(targets) if p in self.sources and p not in self.results])
        locking = set(self.results)  # files that take locks: their decorators and seeds matter
        words: set = set()
        # calls are resolved by names until they need nothing more, then once with value flow (solved
        # for the program the rules get too, when that needs nothing more either): one solve, not one a round
        by_names = True
        while True:
            # what runs under a lock (what is called while holding one, threads started), and all it calls on
            unloaded = self.unloaded()
            holding = demand.Holding(program, unloaded)
            seeds = demand.seeds(program, locking, holding)
            held = demand.held_callees(program, seeds, holding, by_names)
            relevant = demand.reached(program, held | demand.thread_targets(program, locking), by_names)
            modules = demand.needed_modules(program, relevant, unloaded) | demand.needed_modules(program, seeds, unloaded, held_only=holding)
            # names that take a lock without saying "Lock" (self._mu, @synchronized): files using them lock too
            grown = words | demand.learned_names(program, holding, by_names)
            # and the modules of the `with helper():` not known yet (a module of data is left out)
            modules |= demand.decorator_modules(program, locking, unloaded) | holding.pending
            # a file asked for some of its names only is summarized trimmed to them (lintlock.trim)
            wanted = {unloaded.paths[m]: unloaded.asked.get(m, {""}) for m in modules}
            needed = {p for p, names in wanted.items() if self._todo(p, names)[0]} - self.data
            more = set()
            if grown != words:
                # the files left matched none of the names known so far: scan them for the new ones
                more = self.unparsed(demand.Vocabulary(factories, grown - words, base=False))
                words = grown
            asked = self._code(more | needed)
            if not asked and not by_names:
                return program
            by_names = bool(asked)
            if asked:
                # a file saying a learned name matters anywhere in it: whole
                program = self.parse(asked, {p: names for p, names in wanted.items() if p not in more})
                locking |= more

    def _code(self, asked: Set[str]) -> Set[str]:
        """The files asked for but those of literal data only (demand.only_data), which are set aside."""
        self.data.update(p for p in asked if demand.only_data(self.sources[p]))
        return asked - self.data

    def syntax_errors_too(self, targets: Iterable[str]) -> Program:
        """Targets never parsed: still report syntax errors in them (CPython's parser is much
        cheaper; libcst only confirms what it rejects)."""
        unparsed = [p for p in sorted(targets) if p in self.sources and p not in self.results]
        verdicts = self.syntax.verdicts(set(unparsed)) if self.syntax is not None else {}
        verdicts.update(self.store.syntax_ok([(p, self.sources[p]) for p in unparsed if p not in verdicts]))
        return self.parse(p for p in unparsed if not verdicts[p])


def _analyse(gathered: _Gathered, settings: Settings, progress, widen: Optional[Callable[[Loaded], bool]] = None) -> Loaded:
    """The program of the files that can matter (every file with settings.full). `widen`: asked
    of that program, True if every file must be parsed after all (a fix to plan and verify)."""
    knowledge = knowledge_for([(f.name, f.reentrant) for f in settings.lock_factories], settings.blocking_calls)
    with SummaryStore(_cache(settings), settings.jobs) as store:
        parser = _Parser(gathered, store, knowledge, progress)
        if settings.full:
            parser.parse(gathered.sources)
        else:
            parser.on_demand([f.name for f in settings.lock_factories], gathered.targets)
        loaded = _loaded(gathered, settings, parser, parser.syntax_errors_too(gathered.targets))
        if widen is not None and not settings.full and widen(loaded):
            loaded = _loaded(gathered, settings, parser, parser.parse(gathered.sources))
    if progress is not None:
        progress(len(gathered.sources), len(gathered.sources))  # the files not parsed were read and checked too
    return loaded


def _loaded(gathered: _Gathered, settings: Settings, parser: _Parser, program: Program) -> Loaded:
    results = parser.results
    problems = list(gathered.problems)
    internal = 0
    tracebacks = []
    for path in sorted(results):
        result = results[path]
        if result.problem is not None and path in gathered.targets:
            problems.append(result.problem)
            internal += result.internal
            if result.detail:
                tracebacks.append(f"{path}:\n{result.detail}")
    summaries = {p: r.summary for p, r in results.items() if r.summary is not None}
    return Loaded(program, gathered.files, gathered.sources, summaries, tuple(problems), internal, gathered.targets, settings, tuple(tracebacks))


def _files(paths: Sequence[str], settings: Settings, stdin: Optional[Tuple[str, bytes]]) -> Tuple[Dict[str, SourceFile], set]:
    """(every file by path, the target paths): the targets first, then the project's other files."""
    target_files = [] if stdin is not None else _discover(paths, settings)
    if stdin is not None:
        name = os.path.normpath(stdin[0])
        module, is_package = module_name(name)
        target_files = [SourceFile(name, module, is_package)]
    files = {f.path: f for f in target_files}
    targets = set(files)
    if settings.root is not None and settings.context:
        known = {os.path.realpath(p) for p in files}
        for context in _discover([settings.root], settings):
            if os.path.realpath(context.path) not in known:
                shown = os.path.relpath(context.path)
                shown = context.path if shown.startswith("..") else shown
                files[shown] = SourceFile(shown, context.module, context.is_package)
    ordered = unique_modules(sorted(files.values(), key=lambda f: (f.path not in targets, f.path)))
    return {f.path: f for f in sorted(ordered, key=lambda f: f.path)}, targets


def _link(results: Dict[str, Result], knowledge) -> Program:
    return Program([r.summary for _, r in sorted(results.items()) if r.summary is not None], knowledge)


def check(loaded: Loaded, select: Sequence[str], ignore: Sequence[str]) -> List[Diagnostic]:
    """The rules' findings located in the target files, before noqa and per-file-ignores."""
    return [
        d
        for rule in RULES
        if selected(rule.code, select, ignore)
        for d in rule.check(loaded.program)
        if d.site.path in loaded.targets and _wanted(d.code, d.site.path, loaded.settings, select, ignore)
    ]


def _wanted(code: str, path: str, settings: Settings, select, ignore) -> bool:
    """Selected, and not dropped for this file by per-file-ignores (which always win)."""
    return selected(code, select, ignore) and not any(code.startswith(c) for c in settings.ignored_in(path))


# a finding's fix, by (finding, text of its file, text of the file a split edits): a plan
# depends on nothing else, so the fix loop plans again only in the files a fix changed
PlanMemo = Dict[Tuple[Diagnostic, bytes, Optional[bytes]], Optional["fixer.PlannedFix"]]


def _plans(loaded: Loaded, diagnostics: Sequence[Diagnostic], memo: Optional[PlanMemo] = None) -> Dict[Diagnostic, fixer.PlannedFix]:
    """The fix each finding could get (parsing only the files that have fixable findings)."""
    memo = {} if memo is None else memo
    plans: Dict[Diagnostic, fixer.PlannedFix] = {}
    by_path: Dict[str, List[Diagnostic]] = {}
    for diagnostic in diagnostics:
        if diagnostic.fix is not None:
            by_path.setdefault(diagnostic.fix.path, []).append(diagnostic)
    parsed: Dict[str, tuple] = {}
    facts: Dict[str, fixer.TreeFacts] = {}

    def tree_of(path: str) -> tuple:
        """(tree, the node of each site), parsed once."""
        if path not in parsed:
            from .summarize import parse

            source = loaded.files[path]
            tree = on_big_stack(parse, loaded.sources[path])
            parsed[path] = (tree, on_big_stack(fixer.nodes_of, tree, path, source.module, source.is_package))
        return parsed[path]

    for path, found in sorted(by_path.items()):
        for diagnostic in found:
            request = diagnostic.fix
            assert request is not None
            # a `_locked` split also edits the file defining the function, if that is a target too
            split = request.split_path if request.split_path and request.split_path in loaded.targets else None
            key = (diagnostic, loaded.sources[path], loaded.sources[split] if split else None)
            if key not in memo:
                from . import fix as fixer

                tree, nodes = tree_of(path)
                if path not in facts:
                    facts[path] = fixer.TreeFacts(tree)
                memo[key] = fixer.plan(tree, nodes, request, tree_of(split) if split else None, facts[path])
            planned = memo[key]
            if planned is not None:
                plans[diagnostic] = planned
    return plans


_NOQA_WORD = re.compile(rb"noqa", re.IGNORECASE)  # what a line needs for _NOQA to match it
_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)


def suppressed(code: str, line: int, source: Optional[bytes]) -> bool:
    """flake8's `# noqa` / `# noqa: LL101,LL102` on the reported line."""
    if source is None or code == "LL900":
        return False
    lines = source.splitlines()
    if not 0 < line <= len(lines):
        return False
    match = _NOQA.search(lines[line - 1].decode("utf-8", "replace"))
    if match is None:
        return False
    codes = match.group("codes")
    if not codes:
        return True
    return any(code.startswith(listed.upper()) for listed in re.split(r"[,\s]+", codes) if listed)


class _RuleMessage(Protocol):
    """What every rule's message is (model.Diagnostic.message is typed `object`)."""

    def render(self, here: str, locate: Callable[[Site], Located]) -> str: ...


def _render(
    loaded: Loaded, diagnostics: Sequence[Diagnostic], select, ignore, use_noqa: bool = True, memo: Optional[PlanMemo] = None, plan_fixes: bool = True
) -> List[Finding]:
    plans = _plans(loaded, diagnostics, memo) if plan_fixes else {}
    locate = loaded.locator([d.site for d in diagnostics] + [site for d in diagnostics for site, _ in d.related])
    findings = [p for p in loaded.problems if _wanted(p.code, p.path, loaded.settings, select, ignore) or p.code == "LL900"]
    for diagnostic in diagnostics:
        where = locate(diagnostic.site)
        message = cast(_RuleMessage, diagnostic.message).render(diagnostic.site.path, locate)
        planned = plans.get(diagnostic)
        fix = "" if planned is None else ("safe" if planned.safe else "unsafe")
        related = tuple((site.path, locate(site).line, locate(site).column, label) for site, label in diagnostic.related)
        findings.append(
            Finding(
                diagnostic.site.path,
                where.line,
                where.column,
                where.end_line,
                where.end_column,
                diagnostic.code,
                message,
                fix,
                diagnostic.lock,
                diagnostic.chain,
                related,
            )
        )
    if use_noqa:
        findings = [f for f in findings if not suppressed(f.code, f.line, loaded.sources.get(f.path))]
    return sorted(set(findings), key=Finding.sort_key)


@fewer_collections()
def run(
    paths: Sequence[str],
    settings: Optional[Settings] = None,
    use_noqa: bool = True,
    stdin: Optional[Tuple[str, bytes]] = None,
    progress=None,
    plan_fixes: bool = True,
) -> Outcome:
    """The findings. plan_fixes: work out which have a fix (safe or unsafe), for output that shows it
    (text's `[*]`, json's "fix"); without it every finding's fix is ""."""
    settings = settings or Settings()
    gathered = _gather(paths, settings, stdin)
    # nothing changed since a previous run of this command: its answer stands
    cache = _cache(settings)
    memo = repr((os.getcwd(), sorted(paths), sorted(gathered.targets), use_noqa, plan_fixes))
    inputs = cache.check(repr(_run_inputs(gathered, settings, use_noqa)))
    known = cache.get("runs", memo, inputs, Outcome) if stdin is None else None
    if known is not None:
        return known
    loaded = _analyse(gathered, settings, progress)
    findings = _render(loaded, check(loaded, settings.select, settings.ignore), settings.select, settings.ignore, use_noqa, plan_fixes=plan_fixes)
    outcome = Outcome(tuple(findings), len(loaded.targets), loaded.internal_errors, loaded.tracebacks, empty=gathered.empty, acquisitions=_acquisitions(loaded))
    if stdin is None and not outcome.internal_errors:
        cache.put("runs", memo, inputs, outcome)
        cache.prune()
    return outcome


def _acquisitions(loaded: Loaded) -> int:
    """How many lock acquisitions (with, acquire(), async with) the checked files' summaries record."""
    summaries = [loaded.summaries[path] for path in sorted(loaded.targets) if path in loaded.summaries]
    return sum(1 for summary in summaries for function in summary.functions for event in function.events if isinstance(event, model.Acquire))


def _cache(settings: Settings) -> SummaryCache:
    """The on-disk cache of summaries and runs (data only: lintlock.codec builds just these classes)."""
    return SummaryCache(settings.cache_dir, Codec(dataclasses_and_enums(model) + (Finding, Result, Outcome)))


def _run_inputs(gathered: _Gathered, settings: Settings, use_noqa: bool) -> tuple:
    """Everything a run's findings depend on."""
    contents = tuple((path, sha256(data).hexdigest(), path in gathered.targets) for path, data in sorted(gathered.sources.items()))
    decided = (settings.select, settings.ignore, settings.per_file_ignores, settings.lock_factories, settings.blocking_calls, settings.full)
    modules = tuple((f.path, f.module, f.is_package) for f in gathered.files.values())
    return (contents, decided, modules, gathered.problems, use_noqa)


def _counts(diagnostics: Iterable[Diagnostic]) -> Dict[Tuple[str, str], int]:
    """Findings per (file, code): a fix must lower its own and raise none."""
    counts: Dict[Tuple[str, str], int] = {}
    for diagnostic in diagnostics:
        key = (diagnostic.site.path, diagnostic.code)
        counts[key] = counts.get(key, 0) + 1
    return counts


@fewer_collections()
def fix(
    paths: Sequence[str],
    settings: Optional[Settings] = None,
    unsafe_fixes: bool = False,
    use_noqa: bool = True,
    stdin: Optional[Tuple[str, bytes]] = None,
    progress=None,
    rounds: int = 200,
) -> Outcome:
    """Apply fixes until none is left, verifying each: the file parses, the finding is
    gone, and no finding appears anywhere (counted per file and code). Safe fixes go
    first; a finding suppressed with noqa is left alone. Writes nothing: the caller
    decides (--diff prints, --fix writes)."""
    settings = settings or Settings()
    select, ignore = settings.select, settings.ignore
    gathered = _gather(paths, settings, stdin)
    # every file parsed once there is something to fix: a `_locked` split must see subclasses and
    # names in files that mention no lock (on demand finds what --full finds, so nothing else is)
    loaded = _analyse(gathered, settings, progress, widen=lambda found: any(d.fix is not None for d in check(found, select, ignore)))
    original = dict(loaded.sources)
    initial: Optional[Dict[str, int]] = None
    fixer_state = _FixRounds(select, ignore, unsafe_fixes)
    found = check(loaded, select, ignore)  # then what the last fix applied left: no need to check again
    for _ in range(rounds):
        diagnostics = found
        before = _counts(diagnostics)
        if use_noqa:  # a finding the user suppressed is left alone
            diagnostics = _not_suppressed(loaded, diagnostics)
        if initial is None:
            initial = _per_path(diagnostics)
        progressed = fixer_state.round(loaded, diagnostics, before)
        if progressed is None:
            break
        loaded, found = progressed
    applied, dropped = fixer_state.applied, fixer_state.dropped
    findings = _render(loaded, found, select, ignore, use_noqa, fixer_state.memo)
    changed = tuple((p, original[p], loaded.sources[p]) for p in sorted(original) if loaded.sources[p] != original[p])
    found_before = tuple((p, (initial or {}).get(p, 0)) for p, _, _ in changed)
    return Outcome(
        tuple(findings), len(loaded.targets), loaded.internal_errors, loaded.tracebacks, tuple(applied), tuple(dropped), changed, gathered.empty, found_before
    )


_Candidates = List[Tuple[Diagnostic, "fixer.PlannedFix"]]  # the fixes a round tries, in order


class _FixRounds:
    """Applies verified fixes, one per file per round (a fix moves the file's sites). A round's fixes
    are verified together, with one analysis of the program they make; only if that fails, one by one."""

    def __init__(self, select: Sequence[str], ignore: Sequence[str], unsafe_fixes: bool) -> None:
        self.select, self.ignore, self.unsafe_fixes = select, ignore, unsafe_fixes
        self.applied: List[Tuple[str, str]] = []
        self.dropped: List[Tuple[str, str]] = []
        self.rejected: set = set()
        self.memo: PlanMemo = {}

    def round(self, loaded: Loaded, diagnostics: Sequence[Diagnostic], before: Dict[Tuple[str, str], int]) -> Optional[Tuple[Loaded, List[Diagnostic]]]:
        """The program after this round's fixes and its findings; None if no fix applied."""
        candidates = [
            (diagnostic, planned)
            for diagnostic, planned in sorted(
                _plans(loaded, diagnostics, self.memo).items(), key=lambda item: (not item[1].safe, item[0].site.path, item[0].site.site)
            )
            if planned.safe or self.unsafe_fixes
        ]
        together = self._together(loaded, candidates, before)
        return together if together is not None else self._one_by_one(loaded, candidates, before)

    def _rejected(self, diagnostic: Diagnostic, planned: fixer.PlannedFix) -> bool:
        """Tried before and did not verify (the same edit of the same file)."""
        return bool(self.rejected) and (diagnostic.site.path, planned.tree.code) in self.rejected

    def _together(self, loaded: Loaded, candidates: _Candidates, before: Dict[Tuple[str, str], int]) -> Optional[Tuple[Loaded, List[Diagnostic]]]:
        """The round's fixes (one per file), if together they verify: the program they make parses, each
        one's finding count is lower and no count is higher; else None. Re-analysing the whole program
        once per fix made --fix four times slower."""
        chosen = self._one_per_file(candidates)
        if len(chosen) < 2:
            return None
        candidate = loaded.with_sources({path: data for diagnostic, planned in chosen for path, data in _texts(diagnostic, planned).items()})
        checked = check(candidate, self.select, self.ignore) if candidate is not None else None
        after = _counts(checked) if checked is not None else None
        if candidate is None or checked is None or any(_rejection(before, after, (d.site.path, d.code)) for d, _ in chosen):
            return None
        self.applied.extend((d.site.path, planned.title) for d, planned in chosen)
        return candidate, checked

    def _one_per_file(self, candidates: _Candidates) -> _Candidates:
        """The fixes _one_by_one would try if each verified: the first for each file, none editing a file twice."""
        chosen: _Candidates = []
        done: Set[str] = set()
        for diagnostic, planned in candidates:
            edited = _edited(diagnostic, planned)
            if not done & edited and not self._rejected(diagnostic, planned):
                chosen.append((diagnostic, planned))
                done.update(edited)
        return chosen

    def _one_by_one(self, loaded: Loaded, candidates: _Candidates, before: Dict[Tuple[str, str], int]) -> Optional[Tuple[Loaded, List[Diagnostic]]]:
        """Each fix verified on top of those applied before it; one that does not verify is dropped, said why."""
        done: set = set()
        found: Optional[List[Diagnostic]] = None
        for diagnostic, planned in candidates:
            path = diagnostic.site.path
            if done & _edited(diagnostic, planned) or self._rejected(diagnostic, planned):
                continue
            texts = _texts(diagnostic, planned)
            candidate = loaded.with_sources(texts)
            checked = check(candidate, self.select, self.ignore) if candidate is not None else None
            after = _counts(checked) if checked is not None else None
            why = _rejection(before, after, (path, diagnostic.code))
            if why or candidate is None or after is None:
                self.rejected.add((path, planned.tree.code))
                self.dropped.append((path, f"{planned.title}: not applied, {why}"))
                continue
            loaded, before, found = candidate, after, checked
            self.applied.append((path, planned.title))
            done.update(texts)
        return None if found is None else (loaded, found)


def _edited(diagnostic: Diagnostic, planned: fixer.PlannedFix) -> Set[str]:
    """The files the fix edits (without generating their text)."""
    return {diagnostic.site.path} | {path for path, _ in planned.others}


def _texts(diagnostic: Diagnostic, planned: fixer.PlannedFix) -> Dict[str, bytes]:
    """(path, fixed text) of every file the fix edits: its finding's and, for a split, where the function is."""
    return dict(((diagnostic.site.path, planned.tree.bytes),) + tuple((other, tree.bytes) for other, tree in planned.others))


def _not_suppressed(loaded: Loaded, diagnostics: Sequence[Diagnostic]) -> List[Diagnostic]:
    """The findings not suppressed with noqa (only files that say "noqa" need locating)."""
    saying = {p for p in {d.site.path for d in diagnostics} if _NOQA_WORD.search(loaded.sources.get(p, b""))}
    locate = loaded.locator([d.site for d in diagnostics if d.site.path in saying])
    return [d for d in diagnostics if d.site.path not in saying or not suppressed(d.code, locate(d.site).line, loaded.sources.get(d.site.path))]


def _rejection(before: Dict[Tuple[str, str], int], after: Optional[Dict[Tuple[str, str], int]], fixed: Tuple[str, str]) -> str:
    """Why a candidate fix is not applied ("" if it is): it must parse, lower its own count and raise none."""
    if after is None:
        return "the fixed source does not parse"
    if after.get(fixed, 0) >= before.get(fixed, 0):
        return "the finding would remain"
    if any(count > before.get(key, 0) for key, count in after.items()):
        return "it would cause a new finding"
    return ""


def _per_path(diagnostics: Iterable[Diagnostic]) -> Dict[str, int]:
    counts: Dict[str, int] = {}
    for diagnostic in diagnostics:
        counts[diagnostic.site.path] = counts.get(diagnostic.site.path, 0) + 1
    return counts
