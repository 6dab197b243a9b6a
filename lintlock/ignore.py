"""What .gitignore files say about a path: git's pattern rules (pathspec), no `git` process.

Inside a git work tree (the nearest folder above the path with a `.git`), the
deepest `.gitignore` with a matching pattern decides, its last matching
pattern winning (`!keep.py` re-includes). The root's rules also include
`.git/info/exclude` and the user's global ignore file
(`$XDG_CONFIG_HOME/git/ignore`, else `~/.config/git/ignore`), with lower
precedence, as in git. A `core.excludesFile` set elsewhere is not read.
Outside a work tree nothing is ignored, as with git.
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional

from pathspec import GitIgnoreSpec


def _lines(path: str) -> List[str]:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            return handle.read().splitlines()
    except OSError:  # absent or unreadable: no rules
        return []


def _global_ignore_file() -> str:
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(config, "git", "ignore")


class GitIgnored:
    """`ignored(path)`; the rules of each folder are read once."""

    def __init__(self) -> None:
        self._specs: Dict[str, Optional[GitIgnoreSpec]] = {}
        self._tops: Dict[str, Optional[str]] = {}

    def __call__(self, path: str) -> bool:
        absolute = os.path.abspath(path)
        parent = os.path.dirname(absolute)
        top = self._top(parent)
        if top is None:
            return False
        suffix = "/" if os.path.isdir(absolute) else ""
        folder = parent
        while True:  # the deepest folder first: its rules override its parents'
            spec = self._spec(folder, folder == top)
            if spec is not None:
                relative = os.path.relpath(absolute, folder).replace(os.sep, "/") + suffix
                verdict = spec.check_file(relative).include
                if verdict is not None:
                    return verdict
            if folder == top:
                return False
            folder = os.path.dirname(folder)

    def _top(self, folder: str) -> Optional[str]:
        """The work tree's root: the nearest folder with a `.git` (a folder, or a file in a worktree or submodule)."""
        if folder not in self._tops:
            parent = os.path.dirname(folder)
            if os.path.exists(os.path.join(folder, ".git")):
                self._tops[folder] = folder
            else:
                self._tops[folder] = None if parent == folder else self._top(parent)
        return self._tops[folder]

    def _spec(self, folder: str, is_top: bool) -> Optional[GitIgnoreSpec]:
        if folder not in self._specs:
            lines = _lines(os.path.join(folder, ".gitignore"))
            if is_top:  # lowest precedence first: the last matching line wins
                lines = _lines(_global_ignore_file()) + _lines(os.path.join(folder, ".git", "info", "exclude")) + lines
            try:
                self._specs[folder] = GitIgnoreSpec.from_lines(lines) if lines else None
            except ValueError:  # a pattern pathspec rejects: this file's rules are skipped
                self._specs[folder] = None
        return self._specs[folder]
