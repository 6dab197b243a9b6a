"""Settings: `[tool.lintlock]` in pyproject.toml (or --config FILE), then the command line.

Every key is checked: an unknown key or a value of the wrong type is a
ConfigError naming the key and the file, which the CLI turns into exit 2.
"""
from __future__ import annotations

import os
import re
from fnmatch import fnmatchcase
import subprocess
import sys
from dataclasses import dataclass, replace
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10 only
    import tomli as tomllib

_CODE = re.compile(r"^LL\d{0,3}$")
_QUALIFIED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class ConfigError(Exception):
    """A problem with the user's configuration; the message says where."""


@dataclass(frozen=True)
class LockFactory:
    name: str  # qualified name of a callable that returns a lock
    reentrant: bool


@dataclass(frozen=True)
class Settings:
    select: Tuple[str, ...] = ("LL",)
    ignore: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    lock_factories: Tuple[LockFactory, ...] = ()
    blocking_calls: Tuple[str, ...] = ()
    respect_gitignore: bool = True
    root: Optional[str] = None  # the project root: context for partial file lists
    config_file: Optional[str] = None
    full: bool = False  # parse every file up front instead of on demand
    jobs: int = 1  # processes for parsing
    cache_dir: Optional[str] = None  # None: no cache

    def default_cache_dir(self) -> str:
        return os.path.join(self.root or os.getcwd(), ".lintlock_cache")

    def ignored_in(self, path: str) -> Tuple[str, ...]:
        """Codes per-file-ignores drops for this file."""
        relative = _relative(path, self.root)
        codes: List[str] = []
        for pattern, ignored in self.per_file_ignores:
            if _matches(relative, pattern):
                codes.extend(ignored)
        return tuple(codes)

    def excluded(self, path: str) -> bool:
        relative = _relative(path, self.root)
        return any(_matches(relative, pattern) for pattern in self.exclude)


def _relative(path: str, root: Optional[str]) -> str:
    absolute = os.path.abspath(path)
    if root is not None:
        try:
            relative = os.path.relpath(absolute, root)
        except ValueError:  # another drive on Windows
            relative = absolute
        if not relative.startswith(".."):
            return relative.replace(os.sep, "/")
    return path.replace(os.sep, "/")


def _matches(relative: str, pattern: str) -> bool:
    """A glob against the path from the root, its tail, or any folder or file name in it."""
    pattern = pattern.rstrip("/")
    if fnmatchcase(relative, pattern) or fnmatchcase(relative, pattern + "/*"):
        return True
    parts = relative.split("/")
    if "/" not in pattern:
        return any(fnmatchcase(part, pattern) for part in parts)
    return any(fnmatchcase("/".join(parts[i:]), pattern) or fnmatchcase("/".join(parts[i:]), pattern + "/*") for i in range(len(parts)))


DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".lintlock_cache")


def find_project_root(paths: Sequence[str]) -> Tuple[Optional[str], Optional[str]]:
    """(root, pyproject.toml) for the first path: the nearest pyproject.toml above it, else the git work tree."""
    start = os.path.abspath(paths[0] if paths else ".")
    directory = start if os.path.isdir(start) else os.path.dirname(start)
    probe = directory
    while True:
        candidate = os.path.join(probe, "pyproject.toml")
        if os.path.isfile(candidate):
            return probe, candidate
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    return git_root(directory), None


def git_root(directory: str) -> Optional[str]:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=directory, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    root = result.stdout.strip()
    return os.path.abspath(root) if result.returncode == 0 and root else None


def git_ignored(paths: Sequence[str], cwd: str) -> set:
    """The paths git ignores (one `git check-ignore` for all of them); empty outside a work tree."""
    if not paths:
        return set()
    try:
        result = subprocess.run(
            ["git", "check-ignore", "--stdin", "-z"],
            input="\0".join(os.path.abspath(p) for p in paths) + "\0",
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    if result.returncode not in (0, 1):
        return set()
    return {os.path.abspath(p) for p in result.stdout.split("\0") if p}


# -- reading [tool.lintlock] -------------------------------------------------

_KEYS = {"select", "ignore", "extend-select", "extend-ignore", "exclude", "extend-exclude", "per-file-ignores", "lock-factories", "blocking-calls", "respect-gitignore"}


def _strings(value: Any, key: str, where: str) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings, got {value!r}")
    return tuple(value)


def _codes(value: Any, key: str, where: str) -> Tuple[str, ...]:
    codes = tuple(c.strip().upper() for c in _strings(value, key, where))
    for code in codes:
        if not _CODE.match(code):
            raise ConfigError(f"{where}: `{key}` has {code!r}, which is not a rule code or prefix (like LL101 or LL1)")
    return codes


def read_config(path: str, required: bool) -> Dict[str, Any]:
    """The [tool.lintlock] table of a pyproject.toml, or a lintlock.toml's top level."""
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    if os.path.basename(path) == "pyproject.toml":
        table = document.get("tool", {}).get("lintlock")
        if table is None:
            if required:
                raise ConfigError(f"{path}: no [tool.lintlock] table")
            return {}
    else:
        table = document.get("tool", {}).get("lintlock", document)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.lintlock] must be a table")
    return table


def settings_from(table: Dict[str, Any], where: str, base: Settings) -> Settings:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key `{unknown[0]}` in [tool.lintlock] (known: {', '.join(sorted(_KEYS))})")
    settings = base
    if "select" in table:
        settings = replace(settings, select=_codes(table["select"], "select", where))
    if "extend-select" in table:
        settings = replace(settings, select=settings.select + _codes(table["extend-select"], "extend-select", where))
    if "ignore" in table:
        settings = replace(settings, ignore=_codes(table["ignore"], "ignore", where))
    if "extend-ignore" in table:
        settings = replace(settings, ignore=settings.ignore + _codes(table["extend-ignore"], "extend-ignore", where))
    if "exclude" in table:
        settings = replace(settings, exclude=DEFAULT_EXCLUDE + _strings(table["exclude"], "exclude", where))
    if "extend-exclude" in table:
        settings = replace(settings, exclude=settings.exclude + _strings(table["extend-exclude"], "extend-exclude", where))
    if "per-file-ignores" in table:
        value = table["per-file-ignores"]
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
        settings = replace(
            settings,
            per_file_ignores=tuple((glob, _codes(codes, f"per-file-ignores.{glob}", where)) for glob, codes in sorted(value.items())),
        )
    if "lock-factories" in table:
        settings = replace(settings, lock_factories=_factories(table["lock-factories"], where))
    if "blocking-calls" in table:
        calls = _strings(table["blocking-calls"], "blocking-calls", where)
        for call in calls:
            if not _QUALIFIED.match(call):
                raise ConfigError(f"{where}: `blocking-calls` has {call!r}, which is not a qualified name like `mylib.wait_for`")
        settings = replace(settings, blocking_calls=calls)
    if "respect-gitignore" in table:
        if not isinstance(table["respect-gitignore"], bool):
            raise ConfigError(f"{where}: `respect-gitignore` must be true or false")
        settings = replace(settings, respect_gitignore=table["respect-gitignore"])
    return settings


def _factories(value: Any, where: str) -> Tuple[LockFactory, ...]:
    """`lock-factories = {"pkg.make_lock" = {reentrant = false}}` (or `= false` for short)."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `lock-factories` must be a table: \"pkg.make_lock\" = {{ reentrant = false }}")
    factories = []
    for name, spec in sorted(value.items()):
        if not _QUALIFIED.match(name):
            raise ConfigError(f"{where}: `lock-factories` has {name!r}, which is not a qualified name like `pkg.make_lock`")
        if isinstance(spec, bool):
            reentrant = spec
        elif isinstance(spec, dict) and set(spec) <= {"reentrant"} and isinstance(spec.get("reentrant", False), bool):
            reentrant = spec.get("reentrant", False)
        else:
            raise ConfigError(f"{where}: `lock-factories.{name}` must be {{ reentrant = true/false }}")
        factories.append(LockFactory(name, reentrant))
    return tuple(factories)


def load_settings(paths: Sequence[str], config_file: Optional[str] = None) -> Settings:
    """The settings for a run: the project's file (or the one given), not yet the CLI flags."""
    root, pyproject = find_project_root(paths)
    base = Settings(exclude=DEFAULT_EXCLUDE, root=root)
    if config_file is not None:
        return replace(settings_from(read_config(config_file, required=True), config_file, base), config_file=config_file)
    if pyproject is None:
        return base
    return replace(settings_from(read_config(pyproject, required=False), pyproject, base), config_file=pyproject)


def with_cli(settings: Settings, select: Iterable[str], extend_select: Iterable[str], ignore: Iterable[str], extend_exclude: Iterable[str], respect_gitignore: Optional[bool]) -> Settings:
    """Command-line flags override (select, ignore) or extend the file's settings."""
    select, extend_select, ignore = tuple(select), tuple(extend_select), tuple(ignore)
    if select:
        settings = replace(settings, select=select)
    if extend_select:
        settings = replace(settings, select=settings.select + extend_select)
    if ignore:
        settings = replace(settings, ignore=ignore)
    if extend_exclude:
        settings = replace(settings, exclude=settings.exclude + tuple(extend_exclude))
    if respect_gitignore is not None:
        settings = replace(settings, respect_gitignore=respect_gitignore)
    return settings


__all__ = ["ConfigError", "LockFactory", "Settings", "load_settings", "with_cli", "find_project_root", "git_ignored"]
