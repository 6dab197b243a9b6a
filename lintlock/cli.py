"""The command line: `lintlock PATHS` (short for `lintlock check PATHS`) and `lintlock rule CODE`."""
from __future__ import annotations

import re
import sys
from typing import List, Optional, Tuple

import click

from . import __version__
from .discover import PathNotFound
from .knowledge import read_rules_file, rules_dir
from .pipeline import fix, load, run
from .report import summary_lines, text_lines, unified_diff
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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(), required=True)
@click.option("--select", multiple=True, metavar="CODES", help="Only these codes or prefixes (comma separated). Default: LL.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes or prefixes (comma separated).")
@click.option("--fix", "apply_fixes", is_flag=True, help="Apply the safe fixes (each verified first), then report what remains.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (or show) fixes that change what runs under the lock.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary line.")
def check(
    paths: Tuple[str, ...],
    select: Tuple[str, ...],
    ignore: Tuple[str, ...],
    apply_fixes: bool,
    show_diff: bool,
    unsafe_fixes: bool,
    exit_zero: bool,
    quiet: bool,
) -> None:
    """Check PATHS (files or directories) for lock deadlocks.

    Exit status: 0 nothing found, 1 findings, 2 usage error or internal error.
    With --diff: 1 when there is something to fix.
    """
    chosen, skipped = _codes(select) or ["LL"], _codes(ignore)
    try:
        if apply_fixes or show_diff:
            outcome = fix(paths, select=chosen, ignore=skipped, unsafe_fixes=unsafe_fixes)
        else:
            outcome = run(paths, select=chosen, ignore=skipped, unsafe_fixes=unsafe_fixes)
    except PathNotFound as missing:
        raise click.UsageError(f"{missing}: no such file or directory") from None
    if show_diff:
        for path, before, after in outcome.new_sources:
            click.echo(unified_diff(path, before, after), nl=False)
        if not quiet:
            count = len(outcome.fixed)
            click.echo(f"Would fix {count} error{'s' if count != 1 else ''}." if count else "No fixes available.", err=True)
        sys.exit(2 if outcome.internal_errors else 1 if outcome.fixed and not exit_zero else 0)
    written = 0
    if apply_fixes:
        for path, before, after in outcome.new_sources:
            try:
                replace_file(path, before, after)
                written += sum(1 for p, _ in outcome.fixed if p == path)
            except (OSError, FileChanged) as error:
                click.echo(f"{path}: not fixed: {error.__class__.__name__}: {error}", err=True)
    for line in text_lines(outcome.findings, unsafe_fixes):
        click.echo(line)
    if not quiet:
        for line in summary_lines(outcome.findings, unsafe_fixes, fixed=written):
            click.echo(line)
    if outcome.internal_errors:
        sys.exit(2)
    if outcome.findings and not exit_zero:
        sys.exit(1)


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
