"""The command line: `lintlock PATHS` (short for `lintlock check PATHS`) and `lintlock rule CODE`."""
from __future__ import annotations

import json
import os
from dataclasses import replace
import re
import sys
from typing import List, Optional, Tuple

import click

from . import __version__
from .discover import PathNotFound
from .knowledge import read_rules_file, rules_dir
from .config import ConfigError, load_settings, with_cli
from .store import default_jobs
from .pipeline import fix, load, run
from .report import github_lines, json_document, sarif_document, source_lines, statistics_lines, summary_lines, text_lines, unified_diff
from .write import FileChanged, replace_file

_CODE = re.compile(r"^LL\d{3}$")


class _DefaultToCheck(click.Group):
    """`lintlock src/` runs `check`; named subcommands run themselves."""

    def resolve_command(self, ctx: click.Context, args: List[str]):
        if args and args[0] in self.commands:
            return super().resolve_command(ctx, args)
        return "check", self.commands["check"], args


@click.group(
    cls=_DefaultToCheck,
    invoke_without_command=False,
    context_settings={"help_option_names": ["-h", "--help"], "ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.version_option(__version__, "--version", prog_name="lintlock", message="%(prog)s %(version)s")
def main() -> None:
    """Find lock-reentrancy deadlocks in Python code.

    \b
    lintlock src/            check a tree (same as `lintlock check src/`)
    lintlock rule LL101      explain a rule
    lintlock rule --all      list the rules
    lintlock graph src/      the lock-order graph (dot or mermaid)
    """


def _codes(values: Tuple[str, ...]) -> List[str]:
    codes = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    for code in codes:
        if not re.match(r"^LL\d{0,3}$", code):
            raise click.BadParameter(f"{code!r} is not a rule code or prefix (like LL101 or LL1)")
    return codes


class _Progress:
    """click's progress bar on stderr, for long runs on a terminal: files summarized so far."""

    def __init__(self) -> None:
        self.bar = None
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


FORMATS = ["text", "json", "sarif", "github"]


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(), required=True)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Read settings from this file instead of the nearest pyproject.toml.")
@click.option("--select", multiple=True, metavar="CODES", help="Only these codes or prefixes (comma separated). Default: LL.")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Add codes to the selection.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes or prefixes (comma separated).")
@click.option("--extend-exclude", multiple=True, metavar="GLOB", help="Skip files and folders matching this glob (besides the configured ones).")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None, help="Skip files .gitignore lists (default: on, in a git work tree).")
@click.option("--fix", "apply_fixes", is_flag=True, help="Apply the safe fixes (each verified first), then report what remains.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (or show) fixes that change what runs under the lock.")
@click.option("--format", "--output-format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--show-source", is_flag=True, help="Print the offending line under each finding.")
@click.option("--statistics", is_flag=True, help="Print how many findings each code has.")
@click.option("--disable-noqa", is_flag=True, help="Report findings even where `# noqa` suppresses them.")
@click.option("--stdin-filename", metavar="PATH", help="With `-` as the path: the buffer's name (the rest of the project is read from disk).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary, no progress.")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of internal errors.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Processes for parsing (default: the number of CPUs; 1: in this process).")
@click.option("--full", is_flag=True, help="Parse every file up front (the reference for the on-demand analysis).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the summary cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), help="Where to cache file summaries (default: .lintlock_cache/ in the project root).")
def check(paths, config_file, select, extend_select, ignore, extend_exclude, respect_gitignore, apply_fixes, show_diff, unsafe_fixes, fmt, show_source, statistics, disable_noqa, stdin_filename, exit_zero, quiet, verbose, jobs, full, no_cache, cache_dir) -> None:
    """Check PATHS (files or directories) for lock deadlocks.

    Exit status: 0 nothing found, 1 findings, 2 usage, configuration or
    internal error. With --diff: 1 when there is something to fix.
    """
    stdin = None
    if paths == ("-",):
        if not stdin_filename:
            raise click.UsageError("reading from stdin (`-`) needs --stdin-filename PATH")
        stdin = (stdin_filename, sys.stdin.buffer.read())
    elif "-" in paths:
        raise click.UsageError("`-` (stdin) cannot be mixed with other paths")
    try:
        settings = load_settings([stdin_filename] if stdin else list(paths), config_file)
    except ConfigError as error:
        click.echo(f"lintlock: configuration error: {error}", err=True)
        sys.exit(2)
    settings = with_cli(settings, _codes(select), _codes(extend_select), _codes(ignore), extend_exclude, respect_gitignore)
    settings = replace(
        settings,
        full=full,
        jobs=jobs or default_jobs(),
        cache_dir=None if no_cache else (cache_dir or settings.default_cache_dir()),
    )
    progress = _progress(not quiet)
    try:
        if apply_fixes or show_diff:
            outcome = fix(list(paths), settings, unsafe_fixes=unsafe_fixes, use_noqa=not disable_noqa, stdin=stdin, progress=progress)
        else:
            outcome = run(list(paths), settings, use_noqa=not disable_noqa, stdin=stdin, progress=progress)
    except PathNotFound as missing:
        raise click.UsageError(f"{missing}: no such file or directory") from None
    except KeyboardInterrupt:
        click.echo("lintlock: interrupted", err=True)
        sys.exit(130)
    except Exception:  # a bug in lintlock outside any one file
        if verbose:
            raise
        click.echo("lintlock: internal error (run with --verbose for the traceback, and please report it)", err=True)
        sys.exit(2)
    finally:
        if progress is not None:
            progress.close()
    if verbose:
        for detail in outcome.tracebacks:
            click.echo(detail, err=True)

    for path, why in outcome.dropped:
        click.echo(f"{path}: {why}", err=True)
    if show_diff:
        for path, before, after in outcome.new_sources:
            click.echo(unified_diff(path, before, after), nl=False)
        if not quiet:
            count = len(outcome.fixed)
            click.echo(f"Would fix {count} error{'s' if count != 1 else ''}." if count else "No fixes available.", err=True)
        sys.exit(2 if outcome.internal_errors else 1 if outcome.fixed and not exit_zero else 0)

    written = 0
    if apply_fixes and stdin is not None:
        # an editor's buffer: print the fixed source instead of writing a file
        fixed = dict((p, after) for p, _, after in outcome.new_sources)
        sys.stdout.buffer.write(fixed.get(os.path.normpath(stdin_filename), stdin[1]))
        sys.exit(2 if outcome.internal_errors else 0)
    if apply_fixes:
        for path, before, after in outcome.new_sources:
            try:
                replace_file(path, before, after)
                written += sum(1 for p, _ in outcome.fixed if p == path)
            except (OSError, FileChanged) as error:
                click.echo(f"{path}: not fixed: {error.__class__.__name__}: {error}", err=True)

    findings = outcome.findings
    if fmt == "json":
        click.echo(json.dumps(json_document(findings, outcome.files), indent=2))
    elif fmt == "sarif":
        rules = [(code, title, read_rules_file(f"{code}.md")) for code, title in _documents()]
        click.echo(json.dumps(sarif_document(findings, rules, __version__), indent=2))
    elif fmt == "github":
        for line in github_lines(findings):
            click.echo(line)
    else:
        sources = {}
        for finding, line in zip(findings, text_lines(findings, unsafe_fixes)):
            click.echo(line)
            if show_source:
                if finding.path not in sources:
                    sources[finding.path] = stdin[1] if stdin and finding.path == os.path.normpath(stdin_filename) else _read(finding.path)
                for extra in source_lines(finding, sources[finding.path]):
                    click.echo(extra)
        if statistics:
            for line in statistics_lines(findings, dict(_documents())):
                click.echo(line)
        if not quiet:
            for line in summary_lines(findings, unsafe_fixes, fixed=written):
                click.echo(line)
    if outcome.internal_errors:
        sys.exit(2)
    if findings and not exit_zero:
        sys.exit(1)


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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(), required=True)
@click.option("--format", "fmt", type=click.Choice(["dot", "mermaid"]), default="dot", show_default=True, help="Graphviz dot, or Mermaid (GitHub renders it).")
def graph(paths: Tuple[str, ...], fmt: str) -> None:
    """Print the lock-order graph of PATHS: an edge A -> B means a path holds A, then takes B.

    Edges that form an inversion (LL102) are drawn red.
    """
    from .graph import lock_graph, to_dot, to_mermaid

    try:
        loaded = load(paths)
    except PathNotFound as missing:
        raise click.UsageError(f"{missing}: no such file or directory") from None
    nodes, edges = lock_graph(loaded)
    click.echo((to_mermaid if fmt == "mermaid" else to_dot)(nodes, edges), nl=False)
