"""flake8 plugin: flake8 reports lintlock's findings, file by file.

flake8 hands plugins one file at a time, so calls into other modules are not
followed here (run `lintlock` itself for the whole-program view). The file's
`[tool.lintlock]` settings apply (lock factories, blocking calls, select,
ignore, per-file-ignores). flake8 (6 and later) turns every installed
plugin's codes on by default; when its selection leaves out every LL code
(`--extend-ignore LL`, or a `--select` without LL) the plugin does no work at
all. flake8 applies `# noqa` itself. Imports are deferred so that loading the
plugin costs flake8 nothing.
"""

from __future__ import annotations

import ast
import os
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator, List, Optional, Tuple

from . import __version__

if TYPE_CHECKING:  # pragma: no cover
    from .config import Settings

_CODES = ("LL001", "LL101", "LL102", "LL103", "LL104", "LL105", "LL900")


def lintlock_selected(options) -> bool:
    """Does flake8's selection keep any LL code? (flake8's own decision; True if it cannot say)."""
    try:
        from flake8.style_guide import Decision, DecisionEngine

        engine = DecisionEngine(options)
        return any(engine.make_decision(code) is Decision.Selected for code in _CODES)
    except Exception:  # another flake8: do the work, flake8 filters the results
        return True


@lru_cache(maxsize=64)
def _settings_for(folder: str) -> Optional[Settings]:
    """The [tool.lintlock] settings of the project holding `folder`; None if they are invalid."""
    from .config import ConfigError, load_settings

    try:
        settings = load_settings([folder])
    except ConfigError:
        return None
    # this file alone (flake8's model), no cache: nothing written into the user's tree
    return replace(settings, context=False, cache_dir=None, jobs=1, respect_gitignore=False)


class Plugin:
    name = "lintlock"
    version = __version__
    selected = True  # set from flake8's options, once per run

    def __init__(self, tree: ast.AST, filename: str = "stdin", lines: Optional[List[str]] = None) -> None:
        self.filename = filename
        self.lines = lines

    @classmethod
    def parse_options(cls, options) -> None:
        cls.selected = lintlock_selected(options)

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        if not self.selected:
            return
        from .config import Settings
        from .pipeline import run

        if self.lines is not None:
            source = "".join(self.lines).encode("utf-8")
        else:
            with open(self.filename, "rb") as handle:
                source = handle.read()
        name = self.filename if self.filename.endswith(".py") else "stdin.py"
        settings = _settings_for(os.path.dirname(os.path.abspath(name)))
        if settings is None:
            yield 1, 0, "LL001 cannot read the [tool.lintlock] configuration (run `lintlock` for the details)", type(self)
            settings = Settings(context=False, respect_gitignore=False)
        outcome = run([name], settings, use_noqa=False, stdin=(name, source))
        for finding in outcome.findings:
            if finding.code == "LL001":
                continue  # flake8 reports syntax errors itself (E999)
            yield finding.line, max(finding.column - 1, 0), f"{finding.code} {finding.message}", type(self)
