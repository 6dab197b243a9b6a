"""Stage 2: summarize one file into plain data (lintlock.model).

One walk over the libcst tree per file. Inside every function the walk is
flow-sensitive: it carries the set of locks held at each point (`held`),
adds to it at `with`/`acquire()`, removes at the end of the block or at
`release()`, and joins branches by intersection (a lock counts as held only
if it is held on every path: when unsure, stay quiet).

Names are resolved as far as one file allows (imports, module-level
definitions, parameters); everything that needs the rest of the program is
left symbolic for lintlock.link.

Positions cost twice the parse in libcst, so by default events carry only a
site number (their order in this walk). `summarize(..., positions=True)`
repeats the same walk with positions, for the few files that have something
to report.

The modules, one concern each:
    module       orchestration: functions, lambdas, classes, the ModuleSummary
    statements   one handler per statement type; assignments: assignment targets
    expressions  one handler per expression type; calls: what a call names
    facts        value-flow facts (stores, inserts, arguments, returns, iteration)
    spawned      work started now and waited for later (tasks, coroutines, a pool's futures)
    held         the held-lock set (join, without, ...)
    guards       LL105's fact: is an acquire() released on every path?
    names        the file's symbol table: imports, qualified names, object paths
    scope        frames: what names mean in the function being walked
    values       what a name is bound to (Value)
    sites        site numbering, positions, the site -> node map
    syntax, literals  small questions about node shapes and constants
"""

from __future__ import annotations

from typing import Dict

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..guard import LIMIT, nesting_estimate
from ..model import ModuleSummary
from .module import ModuleWalker

__all__ = ["parse", "site_nodes", "summarize"]


def parse(source: bytes) -> cst.Module:
    """libcst.parse_module, after checking the file cannot blow the parser's stack (lintlock.guard)."""
    depth = nesting_estimate(source)
    if depth > LIMIT:
        raise RecursionError(f"an expression nests more than {LIMIT} levels deep")
    return cst.parse_module(source)


def summarize(source: bytes, path: str, module: str, is_package: bool, positions: bool = False) -> ModuleSummary:
    """Parse `source` and summarize it. Raises libcst.ParserSyntaxError on bad syntax,
    RecursionError on code nested too deeply to analyse."""
    tree = parse(source)
    position_of = None
    if positions:
        position_of = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    return ModuleWalker(tree, path, module, is_package, position_of).run()


def site_nodes(tree: cst.Module, path: str, module: str, is_package: bool) -> Dict[int, cst.CSTNode]:
    """The node behind every site number of `tree` (for the fixer, which edits nodes)."""
    nodes: Dict[int, cst.CSTNode] = {}
    ModuleWalker(tree, path, module, is_package, nodes=nodes).run()
    return nodes
