"""The command line: `lintlock [PATHS]` (short for `lintlock check PATHS`), `rule`, `graph`, `clean`.

`check` turns click's options into one frozen CheckOptions, resolves the
settings of each project the paths belong to (lintlock.config), runs the
pipeline per project, writes fixes when asked, and reports what is on disk.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, fields, replace
from typing import IO, Any, Dict, List, Optional, Sequence, Tuple

import click

from . import __version__
from .cache import remove_cache
from .config import ConfigError, Overrides, Settings, parse_codes, project_groups, with_cli
from .discover import PathNotFound
from .knowledge import read_rules_file, rules_dir
from .noqa import add_noqa
from .pipeline import Outcome, fix, load, run
from .problems import Finding
from .report import github_lines, json_document, sarif_document, source_lines, statistics_lines, summary_lines, text_lines, unified_diff
from .store import default_jobs
from .write import FileChanged, replace_file

_CODE = re.compile(r"^LL\d{3}$")
FORMATS = ["text", "json", "sarif", "github"]


class _DefaultToCheck(click.Group):
    """`lintlock src/` (or plain `lintlock`) runs `check`; named subcommands run themselves."""

    def parse_args(self, ctx: click.Context, args: List[str]) -> List[str]:
        if not args:
            args = ["check"]
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: click.Context, args: List[str]):
        if args and args[0] in self.commands:
            return super().resolve_command(ctx, args)
        return "check", self.commands["check"], args

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        check_command = self.commands["check"]
        options = [p for p in check_command.get_params(ctx) if isinstance(p, click.Option)]
        records = [r for r in (p.get_help_record(ctx) for p in options) if r and not r[0].startswith("-h")]
        with formatter.section("Check options (lintlock [check] [PATHS]...)"):
            formatter.write_dl(records)


@click.group(
    cls=_DefaultToCheck,
    invoke_without_command=False,
    context_settings={"help_option_names": ["-h", "--help"], "ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.version_option(__version__, "--version", prog_name="lintlock", message="%(prog)s %(version)s")
def main() -> None:
    """Find lock-reentrancy deadlocks in Python code.

    \b
    lintlock                 check the current folder
    lintlock src/            check a tree (same as `lintlock check src/`)
    lintlock rule LL101      explain a rule
    lintlock rule --all      list the rules
    lintlock graph src/      the lock-order graph (dot or mermaid)
    lintlock clean           remove the cache
    """


@dataclass(frozen=True)
class CheckOptions:
    """Everything `lintlock check` was asked, as click parsed it."""

    paths: Tuple[str, ...]
    config_file: Optional[str]
    select: Tuple[str, ...]
    extend_select: Tuple[str, ...]
    ignore: Tuple[str, ...]
    extend_ignore: Tuple[str, ...]
    exclude: Tuple[str, ...]
    extend_exclude: Tuple[str, ...]
    force_exclude: Optional[bool]
    respect_gitignore: Optional[bool]
    apply_fixes: bool
    show_diff: bool
    unsafe_fixes: bool
    show_fixes: bool
    add_noqa: bool
    fmt: str
    output_file: Optional[str]
    show_source: bool
    statistics: bool
    disable_noqa: bool
    stdin_filename: Optional[str]
    exit_zero: bool
    quiet: bool
    verbose: bool
    jobs: Optional[int]
    full: bool
    no_cache: bool
    cache_dir: Optional[str]
    runtime_report: Optional[str]


class _Progress:
    """click's progress bar on stderr, for long runs on a terminal: files summarized so far."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < 50:
                return
            self.bar = click.progressbar(length=total, label="lintlock", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _progress(enabled: bool) -> Optional[_Progress]:
    """Never when stderr is not a terminal (CI logs, editors, pipes) or with --quiet."""
    return _Progress() if enabled and sys.stderr.isatty() else None


def _codes(values: Sequence[str], option: str) -> Tuple[str, ...]:
    try:
        return parse_codes(values, option)
    except ConfigError as error:
        raise click.UsageError(str(error)) from None


def _overrides(options: CheckOptions) -> Overrides:
    return Overrides(
        select=_codes(options.select, "--select"),
        extend_select=_codes(options.extend_select, "--extend-select"),
        ignore=_codes(options.ignore, "--ignore"),
        extend_ignore=_codes(options.extend_ignore, "--extend-ignore"),
        exclude=tuple(options.exclude) if options.exclude else None,
        extend_exclude=tuple(options.extend_exclude),
        respect_gitignore=options.respect_gitignore,
        force_exclude=options.force_exclude,
    )


def _settings(options: CheckOptions, paths: Sequence[str]) -> List[Tuple[Settings, Tuple[str, ...]]]:
    """Each project's settings (its file, then the flags) with its paths."""
    flags = _overrides(options)
    try:
        groups = project_groups(paths, options.config_file)
    except ConfigError as error:
        click.echo(f"lintlock: configuration error: {error}", err=True)
        sys.exit(2)
    resolved = []
    for settings, members in groups:
        settings = with_cli(settings, flags)
        cache_dir = _cache_dir(settings, options.cache_dir, options.no_cache)
        resolved.append((replace(settings, full=options.full, jobs=options.jobs or default_jobs(), cache_dir=cache_dir), members))
    return resolved


def _cache_dir(settings: Settings, given: Optional[str], no_cache: bool) -> Optional[str]:
    """--cache-dir (or LINTLOCK_CACHE_DIR), else the configured folder, else the user cache folder."""
    if no_cache:
        return None
    return given or os.environ.get("LINTLOCK_CACHE_DIR") or settings.cache_dir or settings.default_cache_dir()


def _merge(outcomes: Sequence[Outcome]) -> Outcome:
    """One outcome for the projects checked one after the other: counts add up, lists concatenate."""
    if len(outcomes) == 1:
        return outcomes[0]
    merged: Dict[str, Any] = {}
    for field in fields(Outcome):
        values = [getattr(o, field.name) for o in outcomes]
        merged[field.name] = sum(values) if isinstance(values[0], int) else tuple(x for value in values for x in value)
    merged["findings"] = tuple(sorted(set(merged["findings"]), key=Finding.sort_key))
    return Outcome(**merged)


def _analyse(options: CheckOptions, stdin: Optional[Tuple[str, bytes]], fixing: bool) -> Outcome:
    """Run (or fix) every project; a bug in lintlock outside any one file is exit 2."""
    paths = [options.stdin_filename or "-"] if stdin is not None else list(options.paths or (".",))
    groups = _settings(options, paths)
    progress = _progress(not options.quiet and options.output_file is None)
    outcomes = []
    try:
        for settings, members in groups:
            targets = list(members) if stdin is None else ["-"]
            use_noqa = not options.disable_noqa
            if fixing:
                outcomes.append(fix(targets, settings, unsafe_fixes=options.unsafe_fixes, use_noqa=use_noqa, stdin=stdin, progress=progress))
            else:
                outcomes.append(run(targets, settings, use_noqa=use_noqa, stdin=stdin, progress=progress, plan_fixes=_shows_fixes(options)))
    except PathNotFound as missing:
        raise click.UsageError(f"{missing}: no such file or directory") from None
    except KeyboardInterrupt:
        click.echo("lintlock: interrupted", err=True)
        sys.exit(130)
    except Exception:  # a bug in lintlock outside any one file
        if options.verbose:
            raise
        click.echo("lintlock: internal error (run with --verbose for the traceback, and please report it)", err=True)
        sys.exit(2)
    finally:
        if progress is not None:
            progress.close()
    return _merge(outcomes)


def _shows_fixes(options: CheckOptions) -> bool:
    """The output says which findings have a fix (text's `[*]`, json's "fix"): only then are fixes planned."""
    return options.fmt in ("text", "json") and not options.add_noqa


def _stdin(options: CheckOptions) -> Optional[Tuple[str, bytes]]:
    if options.paths == ("-",):
        if not options.stdin_filename:
            raise click.UsageError("reading from stdin (`-`) needs --stdin-filename PATH")
        return (options.stdin_filename, sys.stdin.buffer.read())
    if "-" in options.paths:
        raise click.UsageError("`-` (stdin) cannot be mixed with other paths")
    return None


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Read settings from this file instead of the nearest pyproject.toml.")
@click.option("--select", multiple=True, metavar="CODES", help="Only these codes or prefixes (comma separated). Default: LL.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Add codes to the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes or prefixes (comma separated).")
@click.option("--extend-ignore", multiple=True, metavar="CODES", help="Skip these codes too (besides the configured ones).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip files and folders matching this glob, instead of the defaults and the configured ones.")
@click.option("--extend-exclude", multiple=True, metavar="GLOB", help="Skip files and folders matching this glob (besides the configured ones).")
@click.option("--force-exclude/--no-force-exclude", default=None, help="Apply the exclusions to files named on the command line too (for pre-commit).")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None, help="Skip files .gitignore lists (default: on, in a git work tree).")
@click.option("--fix", "apply_fixes", is_flag=True, help="Apply the safe fixes (each verified first), then report what remains.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (or show) fixes that change what runs under the lock.")
@click.option("--show-fixes", is_flag=True, help="With --fix: list every fix applied.")
@click.option("--add-noqa", is_flag=True, help="Add `# noqa: CODE` to the lines of the current findings (to adopt lintlock on existing code).")
@click.option("--format", "--output-format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), help="Write the report to this file instead of stdout.")
@click.option("--show-source", is_flag=True, help="Under each finding: the line, the whole message, and where each step of it happens.")
@click.option("--statistics", is_flag=True, help="Print how many findings each code has, instead of the findings.")
@click.option("--disable-noqa", is_flag=True, help="Report findings even where `# noqa` suppresses them.")
@click.option("--stdin-filename", metavar="PATH", help="With `-` as the path: the buffer's name (the rest of the project is read from disk).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary, no progress.")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of internal errors.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Processes for parsing (default: the number of CPUs; 1: in this process).")
@click.option("--full", is_flag=True, help="Parse every file up front (the reference for the on-demand analysis).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    envvar="LINTLOCK_CACHE_DIR",
    help="Where to cache (env LINTLOCK_CACHE_DIR; default: the user cache folder).",
)
@click.option(
    "--runtime-report",
    type=click.Path(dir_okay=False),
    help="Merge what `pytest --lintlock-runtime --lintlock-report FILE.json` observed: static findings it confirms are marked, runtime-only ones are added.",
)
def check(**values) -> None:
    """Check PATHS (files or directories; default: the current folder) for lock deadlocks.

    Exit status: 0 nothing found, 1 findings, 2 usage, configuration or
    internal error (or a fix that could not be written). With --diff: 1 when
    there is something to fix.
    """
    options = CheckOptions(**values)
    if sum((options.apply_fixes, options.show_diff, options.add_noqa)) > 1:
        raise click.UsageError("--fix, --diff and --add-noqa exclude each other")
    stdin = _stdin(options)
    if stdin is not None and options.add_noqa:
        raise click.UsageError("--add-noqa writes files: it cannot work on stdin")
    outcome = _analyse(options, stdin, fixing=options.apply_fixes or options.show_diff)
    _warn(outcome, options)
    sys.exit(_finish(outcome, options, stdin))


def _warn(outcome: Outcome, options: CheckOptions) -> None:
    """On stderr: folders without Python files, tracebacks (--verbose), fixes that did not verify."""
    for folder in outcome.empty:
        click.echo(f"lintlock: warning: no Python files in {folder}", err=True)
    if options.verbose:
        for detail in outcome.tracebacks:
            click.echo(detail, err=True)
    for path, why in outcome.dropped:
        click.echo(f"{path}: {why}", err=True)


def _finish(outcome: Outcome, options: CheckOptions, stdin: Optional[Tuple[str, bytes]]) -> int:
    """Write what was asked, report, and return the exit status."""
    if options.add_noqa:
        return _add_noqa(outcome, options)
    if options.show_diff:
        return _diff(outcome, options)
    if options.apply_fixes and stdin is not None:
        # an editor's buffer: print the fixed source instead of writing a file
        fixed = dict((p, after) for p, _, after in outcome.new_sources)
        sys.stdout.buffer.write(fixed.get(os.path.normpath(options.stdin_filename or ""), stdin[1]))
        return 2 if outcome.internal_errors else 0
    return _write_and_report(outcome, options, stdin)


def _write_and_report(outcome: Outcome, options: CheckOptions, stdin: Optional[Tuple[str, bytes]]) -> int:
    written, failed = _write_fixes(outcome) if options.apply_fixes else ({}, False)
    if failed:
        # report what is on disk, not the fixed source that could not be written
        on_disk = _analyse(options, None, fixing=False)
        outcome = replace(on_disk, fixed=tuple(f for f in outcome.fixed if f[0] in written), before_fixes=outcome.before_fixes)
    fixed = _fixed_count(outcome, written)
    if options.runtime_report:
        from .runtime.merge import merge_runtime_report  # reads the report as JSON only

        outcome = replace(outcome, findings=tuple(merge_runtime_report(outcome.findings, options.runtime_report)))
    with _output(options.output_file) as out:
        _report(outcome, options, stdin, fixed, out)
    if outcome.internal_errors or failed:
        return 2
    return 1 if outcome.findings and not options.exit_zero else 0


def _diff(outcome: Outcome, options: CheckOptions) -> int:
    with _output(options.output_file) as out:
        for path, before, after in outcome.new_sources:
            click.echo(unified_diff(path, before, after), nl=False, file=out)
    if not options.quiet:
        count = len(outcome.fixed)
        click.echo(f"Would fix {count} error{'s' if count != 1 else ''}." if count else "No fixes available.", err=True)
    return 2 if outcome.internal_errors else 1 if outcome.fixed and not options.exit_zero else 0


def _write_fixes(outcome: Outcome) -> Tuple[Dict[str, Tuple[bytes, bytes]], bool]:
    """({path: (before, after)} written, whether any could not be)."""
    written: Dict[str, Tuple[bytes, bytes]] = {}
    failed = False
    for path, before, after in outcome.new_sources:
        try:
            replace_file(path, before, after)
            written[path] = (before, after)
        except (OSError, FileChanged) as error:
            failed = True
            reason = str(error) if isinstance(error, FileChanged) else f"{error.__class__.__name__}: {error.strerror or error}"
            click.echo(f"{path}: not fixed: {reason}", err=True)
    return written, failed


def _fixed_count(outcome: Outcome, written: Dict[str, Tuple[bytes, bytes]]) -> int:
    """Findings that are gone from the files written (a fix can remove several)."""
    before = dict(outcome.before_fixes)
    remaining: Dict[str, int] = {}
    for finding in outcome.findings:
        if finding.code not in ("LL001", "LL900"):
            remaining[finding.path] = remaining.get(finding.path, 0) + 1
    return sum(max(before.get(path, 0) - remaining.get(path, 0), 0) for path in written)


def _add_noqa(outcome: Outcome, options: CheckOptions) -> int:
    by_path: Dict[str, Dict[int, List[str]]] = {}
    for finding in outcome.findings:
        if finding.code not in ("LL001", "LL900"):
            by_path.setdefault(finding.path, {}).setdefault(finding.line, []).append(finding.code)
    added = 0
    failed = False
    for path, codes in sorted(by_path.items()):
        try:
            with open(path, "rb") as handle:
                before = handle.read()
            after, count = add_noqa(before, codes)
            if count:
                replace_file(path, before, after)
                added += count
        except (OSError, FileChanged) as error:
            failed = True
            click.echo(f"{path}: no noqa added: {error}", err=True)
    if not options.quiet:
        click.echo(f"Added {added} noqa directive{'s' if added != 1 else ''}.", err=True)
    return 2 if failed or outcome.internal_errors else 0


class _output:
    """stdout, or the --output-file (written whole, at the end)."""

    def __init__(self, path: Optional[str]) -> None:
        self.path = path
        self.handle: Optional[IO[str]] = None

    def __enter__(self) -> Optional[IO[str]]:
        if self.path is not None:
            try:
                self.handle = open(self.path, "w", encoding="utf-8")
            except OSError as error:
                raise click.UsageError(f"cannot write {self.path}: {error.strerror or error}") from None
        return self.handle

    def __exit__(self, *exc) -> None:
        if self.handle is not None:
            self.handle.close()


def _color(out: Optional[IO[str]]) -> bool:
    """Colour on a terminal only, and never with NO_COLOR set (https://no-color.org)."""
    if out is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _report(outcome: Outcome, options: CheckOptions, stdin: Optional[Tuple[str, bytes]], fixed: int, out: Optional[IO[str]]) -> None:
    findings = outcome.findings
    if options.fmt == "json":
        click.echo(json.dumps(json_document(findings, outcome.files), indent=2), file=out)
    elif options.fmt == "sarif":
        rules = [(code, title, read_rules_file(f"{code}.md")) for code, title in _documents()]
        click.echo(json.dumps(sarif_document(findings, rules, __version__), indent=2), file=out)
    elif options.fmt == "github":
        for line in github_lines(findings):
            click.echo(line, file=out)
    else:
        _text_report(outcome, options, stdin, fixed, out)


def _text_report(outcome: Outcome, options: CheckOptions, stdin: Optional[Tuple[str, bytes]], fixed: int, out: Optional[IO[str]]) -> None:
    findings = outcome.findings
    color = _color(out)
    if options.show_fixes and outcome.fixed:
        for line in _fix_lines(outcome.fixed):
            click.echo(line, file=out, color=color)
    if options.statistics:  # as `ruff check --statistics`: the counts instead of the findings
        for line in statistics_lines(findings, dict(_documents())):
            click.echo(line, file=out)
    else:
        source_of = _SourceReader(stdin, options.stdin_filename)
        for finding, line in zip(findings, text_lines(findings, options.unsafe_fixes, color)):
            click.echo(line, file=out, color=color)
            if options.show_source:
                for extra in source_lines(finding, source_of(finding.path)):
                    click.echo(extra, file=out, color=color)
    if not options.quiet:
        # a plain check of files without any lock acquisition says so: nothing was there to check
        lock_free = outcome.files if not options.apply_fixes and not outcome.acquisitions else 0
        for line in summary_lines(findings, options.unsafe_fixes, fixed=fixed, lock_free=lock_free):
            click.echo(line, file=out)


class _SourceReader:
    """The text of a reported file (the editor's buffer for stdin), read once."""

    def __init__(self, stdin: Optional[Tuple[str, bytes]], stdin_filename: Optional[str]) -> None:
        self.sources: Dict[str, bytes] = {}
        if stdin is not None:
            self.sources[os.path.normpath(stdin_filename or "")] = stdin[1]

    def __call__(self, path: str) -> bytes:
        if path not in self.sources:
            self.sources[path] = _read(path)
        return self.sources[path]


def _fix_lines(fixed: Sequence[Tuple[str, str]]) -> List[str]:
    """--show-fixes: every fix applied, by file."""
    lines = [f"Applied {len(fixed)} fix{'es' if len(fixed) != 1 else ''}:"]
    current = None
    for path, title in sorted(fixed):
        if path != current:
            lines.append(f"- {path}:")
            current = path
        lines.append(f"    {title}")
    return lines


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _documents() -> List[Tuple[str, str]]:
    """(code, one-line summary) of every rule document."""
    result = []
    for entry in sorted(rules_dir().iterdir(), key=lambda e: e.name):
        code = entry.name[:-3]
        if entry.name.endswith(".md") and _CODE.match(code):
            lines = entry.read_text(encoding="utf-8").splitlines()
            title = lines[0].lstrip("# ").split(":", 1)[-1].strip() if lines else ""
            result.append((code, title))
    return result


@main.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule with its summary.")
def rule(code: Optional[str], show_all: bool) -> None:
    """Explain a rule: what it finds, why it hangs, and how to fix it."""
    if show_all or code is None:
        for known, title in _documents():
            click.echo(f"{known}  {title}")
        return
    code = code.upper()
    if not _CODE.match(code) or code not in dict(_documents()):
        raise click.UsageError(f"unknown rule {code!r}; `lintlock rule --all` lists them")
    click.echo(read_rules_file(f"{code}.md").rstrip("\n"))


def _project_settings(paths: Sequence[str], config_file: Optional[str], no_cache: bool) -> List[Tuple[Settings, Tuple[str, ...]]]:
    try:
        groups = project_groups(paths, config_file)
    except ConfigError as error:
        click.echo(f"lintlock: configuration error: {error}", err=True)
        sys.exit(2)
    return [(replace(s, cache_dir=_cache_dir(s, None, no_cache)), members) for s, members in groups]


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["dot", "mermaid", "json"]),
    default="dot",
    show_default=True,
    help="Graphviz dot, Mermaid (GitHub renders it), or JSON.",
)
@click.option(
    "--calls",
    is_flag=True,
    help="The resolved call graph instead (JSON): each call site, its callees and why (direct, method, decorator, value flow, override).",
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Read settings from this file instead of the nearest pyproject.toml.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
def graph(paths: Tuple[str, ...], fmt: str, calls: bool, config_file: Optional[str], no_cache: bool) -> None:
    """Print the lock-order graph of PATHS: an edge A -> B means a path holds A, then takes B.

    Edges that form an inversion (LL102) are drawn red. The project's
    configuration (lock factories, exclusions) applies, as for `check`.
    With --calls, every file is parsed and the whole call graph is printed as JSON.
    """
    from .graph import call_graph, calls_to_json, lock_graph, merge_graphs, to_dot, to_json, to_mermaid

    parts = []
    call_parts = []
    for settings, members in _project_settings(list(paths or (".",)), config_file, no_cache):
        try:
            if calls:
                call_parts.extend(call_graph(load(list(members), replace(settings, full=True)))["calls"])
            else:
                parts.append(lock_graph(load(list(members), settings)))
        except PathNotFound as missing:
            raise click.UsageError(f"{missing}: no such file or directory") from None
    if calls:
        click.echo(calls_to_json({"version": 1, "calls": call_parts}), nl=False)
        return
    nodes, edges = merge_graphs(parts)
    click.echo({"mermaid": to_mermaid, "json": to_json}.get(fmt, to_dot)(nodes, edges), nl=False)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Read settings from this file instead of the nearest pyproject.toml.")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="LINTLOCK_CACHE_DIR", help="The cache to remove (env LINTLOCK_CACHE_DIR).")
def clean(paths: Tuple[str, ...], config_file: Optional[str], cache_dir: Optional[str]) -> None:
    """Remove the cache of the project of PATHS (default: the current folder)."""
    folders = set()
    for settings, _ in _project_settings(list(paths or (".",)), config_file, False):
        folders.add(_cache_dir(settings, cache_dir, False) or "")
        if settings.root is not None:  # where lintlock 0.1 kept it
            folders.add(os.path.join(settings.root, ".lintlock_cache"))
    for folder in sorted(f for f in folders if f):
        if remove_cache(folder):
            click.echo(f"Removed {folder}")
