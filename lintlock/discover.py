"""Stage 1: find the Python files to check and name their modules.

Module names are derived as mypy does: climb parent directories while they
hold an `__init__.py`, so `src/pkg/mod.py` is `pkg.mod` whether the user
passed `src/` or `src/pkg`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Set, Tuple

# Folders skipped by default, by name, at any depth: the default of `exclude`
# (configuring `exclude` replaces it). A folder that is a package, or sits in
# one (`pkg/build/`), is code and is still checked.
DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".lintlock_cache",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)


class PathNotFound(Exception):
    """A path the user named does not exist."""


@dataclass(frozen=True)
class SourceFile:
    path: str  # as shown to the user
    module: str
    is_package: bool


def module_name(path: str) -> Tuple[str, bool]:
    directory, filename = os.path.split(os.path.abspath(path))
    stem = filename[:-3] if filename.endswith(".py") else filename.rsplit(".", 1)[0]
    is_package = stem == "__init__"
    parts = [] if is_package else [stem]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.append(package)
        if not package:
            break
    parts.reverse()
    return ".".join(p for p in parts if p) or stem, is_package


def _skip_dir(parent: str, name: str) -> bool:
    """Hidden folders and virtual environments are never walked into."""
    return name.startswith(".") or os.path.isfile(os.path.join(parent, name, "pyvenv.cfg"))


def in_package(directory: str) -> bool:
    """The folder is a package or lies in one: its code is the project's, whatever its name."""
    return os.path.isfile(os.path.join(directory, "__init__.py")) or os.path.isfile(os.path.join(os.path.dirname(directory), "__init__.py"))


def default_excluded(path: str) -> bool:
    """A folder named like a default exclusion that is not part of a package (checked as the walk descends)."""
    return os.path.basename(path) in DEFAULT_EXCLUDE and os.path.isdir(path) and not in_package(path)


def _walk(root: str, excluded: Callable[[str], bool]) -> Iterable[str]:
    for parent, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not _skip_dir(parent, d) and not excluded(os.path.join(parent, d)))
        for name in sorted(files):
            path = os.path.join(parent, name)
            if name.endswith(".py") and not excluded(path):
                yield path


def discover(
    paths: Iterable[str],
    excluded: Callable[[str], bool] = default_excluded,
    walked_filter: Callable[[List[str]], List[str]] = list,
    force_exclude: bool = False,
) -> List[SourceFile]:
    """Files below `paths`, sorted and without duplicates.

    Files named on the command line are included unless `force_exclude`
    (pre-commit passes every changed file); `excluded` and `walked_filter`
    (.gitignore) apply to what directories bring in.
    """
    found: List[SourceFile] = []
    seen: Set[str] = set()
    for given in paths:
        if not os.path.lexists(given):
            raise PathNotFound(given)
        if os.path.isdir(given):
            candidates = walked_filter(list(_walk(given, excluded)))
        else:
            candidates = [] if force_exclude and excluded(given) else [given]
        for candidate in candidates:
            shown = os.path.normpath(candidate)
            key = os.path.realpath(shown)
            if key in seen:
                continue
            seen.add(key)
            module, is_package = module_name(shown)
            found.append(SourceFile(shown, module, is_package))
    found.sort(key=lambda f: f.path)
    return found


def unique_modules(files: List[SourceFile]) -> List[SourceFile]:
    """Two files with one module name (scripts side by side in different folders,
    several `conftest.py`) both get analysed: the later ones get a distinct name
    that no import can spell, so their code never shadows or vanishes."""
    seen: Dict[str, int] = {}
    unique = []
    for source in files:
        count = seen.get(source.module, 0)
        seen[source.module] = count + 1
        unique.append(source if count == 0 else SourceFile(source.path, f"{source.module}@{count + 1}", source.is_package))
    return unique
