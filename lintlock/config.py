"""Settings: `[tool.lintlock]` in pyproject.toml (or --config FILE), then the command line.

Every key is checked: an unknown key or a value of the wrong type is a
ConfigError naming the key and the file, which the CLI turns into exit 2.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from .discover import DEFAULT_EXCLUDE, in_package
from .knowledge import tomllib

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
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE  # configuring `exclude` replaces the defaults
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    lock_factories: Tuple[LockFactory, ...] = ()
    blocking_calls: Tuple[str, ...] = ()
    respect_gitignore: bool = True
    root: Optional[str] = None  # the project root: context for partial file lists
    config_file: Optional[str] = None
    full: bool = False  # parse every file up front instead of on demand
    jobs: int = 1  # processes for parsing
    cache_dir: Optional[str] = None  # None: no cache
    force_exclude: bool = False  # exclusions apply to files named on the command line too
    context: bool = True  # read the rest of the project (below root) to follow calls into it

    def default_cache_dir(self) -> str:
        """The user's cache folder, one subfolder per project: outside the analysed tree."""
        from .cache import user_cache_dir

        return user_cache_dir(self.root)

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
        for pattern in self.exclude:
            if pattern in DEFAULT_EXCLUDE:  # a default: not where the folder is part of a package
                if _default_folder_on(path, relative, pattern):
                    return True
            elif _matches(relative, pattern):
                return True
        return False


def _default_folder_on(path: str, relative: str, name: str) -> bool:
    """A folder called `name` on the path from the project root that is not part of a package.
    Outside the project only the last name counts (the folders above are not the project's)."""
    parts = relative.split("/")
    if os.path.isabs(relative) or parts[0] == "..":
        parts = parts[-1:]
    absolute = os.path.abspath(path)
    for depth in range(len(parts)):
        if parts[depth] == name:
            up = len(parts) - depth - 1
            folder = absolute
            for _ in range(up):
                folder = os.path.dirname(folder)
            if os.path.isdir(folder) and not in_package(folder):
                return True
    return False


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


def find_project_root(paths: Sequence[str]) -> Tuple[Optional[str], Optional[str]]:
    """(root, pyproject.toml) for the first path: the nearest pyproject.toml above it, else the git work
    tree, else the top of the package the path is in (an unpacked wheel, a vendored copy)."""
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
    return git_root(directory) or package_top(directory), None


def package_top(directory: str) -> Optional[str]:
    """The outermost folder with an `__init__.py` that contains `directory`, if it is in a package:
    a file checked alone still sees the rest of its package (where no project marks the root)."""
    top = None
    probe = directory
    while os.path.isfile(os.path.join(probe, "__init__.py")):
        top = probe
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    return top


def git_root(directory: str) -> Optional[str]:
    try:
        result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=directory, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    root = result.stdout.strip()
    return os.path.abspath(root) if result.returncode == 0 and root else None


# -- reading [tool.lintlock] -------------------------------------------------


def _strings(value: Any, key: str, where: str) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings, got {value!r}")
    return tuple(value)


def known_codes() -> Tuple[str, ...]:
    """Every code lintlock can report."""
    from .checks import RULES

    return tuple(sorted({"LL001", "LL900"} | {rule.code for rule in RULES}))


def parse_codes(values: Iterable[str], where: str) -> Tuple[str, ...]:
    """Codes or prefixes (comma separated in each value), each naming at least one known code."""
    codes = tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())
    known = known_codes()
    for code in codes:
        if not _CODE.match(code):
            raise ConfigError(f"{where}: {code!r} is not a rule code or prefix (like LL101 or LL1)")
        if not any(k.startswith(code) for k in known):
            raise ConfigError(f"{where}: unknown rule code {code!r} (known: {', '.join(known)})")
    return codes


def _codes(value: Any, key: str, where: str) -> Tuple[str, ...]:
    return parse_codes(_strings(value, key, where), f"{where}: `{key}`")


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


def _bool(value: Any, key: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: `{key}` must be true or false")
    return value


def _per_file_ignores(value: Any, where: str) -> Tuple[Tuple[str, Tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
    return tuple((glob, _codes(codes, f"per-file-ignores.{glob}", where)) for glob, codes in sorted(value.items()))


def _blocking_calls(value: Any, where: str) -> Tuple[str, ...]:
    calls = _strings(value, "blocking-calls", where)
    for call in calls:
        if not _QUALIFIED.match(call):
            raise ConfigError(f"{where}: `blocking-calls` has {call!r}, which is not a qualified name like `mylib.wait_for`")
    return calls


def _cache_dir(value: Any, where: str) -> str:
    """A folder inside the project, relative to the configuration file: a checkout's
    configuration must not make lintlock write (or `lintlock clean` remove) elsewhere."""
    relative = os.path.normpath(value) if isinstance(value, str) and value else ""
    if not relative or os.path.isabs(relative) or relative.split(os.sep)[0] in ("..", "~") or relative == ".":
        raise ConfigError(
            f"{where}: `cache-dir` must be a folder inside the project, relative to this file (got {value!r}); use --cache-dir or LINTLOCK_CACHE_DIR for another place"
        )
    return os.path.join(os.path.dirname(os.path.abspath(where)), relative)


# key -> how it changes the settings (in this order: `extend-*` after the key it extends)
_APPLY = (
    ("select", lambda s, v, w: replace(s, select=_codes(v, "select", w))),
    ("extend-select", lambda s, v, w: replace(s, select=s.select + _codes(v, "extend-select", w))),
    ("ignore", lambda s, v, w: replace(s, ignore=_codes(v, "ignore", w))),
    ("extend-ignore", lambda s, v, w: replace(s, ignore=s.ignore + _codes(v, "extend-ignore", w))),
    ("exclude", lambda s, v, w: replace(s, exclude=_strings(v, "exclude", w))),
    ("extend-exclude", lambda s, v, w: replace(s, exclude=s.exclude + _strings(v, "extend-exclude", w))),
    ("force-exclude", lambda s, v, w: replace(s, force_exclude=_bool(v, "force-exclude", w))),
    ("per-file-ignores", lambda s, v, w: replace(s, per_file_ignores=_per_file_ignores(v, w))),
    ("lock-factories", lambda s, v, w: replace(s, lock_factories=_factories(v, w))),
    ("blocking-calls", lambda s, v, w: replace(s, blocking_calls=_blocking_calls(v, w))),
    ("respect-gitignore", lambda s, v, w: replace(s, respect_gitignore=_bool(v, "respect-gitignore", w))),
    ("cache-dir", lambda s, v, w: replace(s, cache_dir=_cache_dir(v, w))),
)
_KEYS = frozenset(key for key, _ in _APPLY)


def settings_from(table: Dict[str, Any], where: str, base: Settings) -> Settings:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key `{unknown[0]}` in [tool.lintlock] (known: {', '.join(sorted(_KEYS))})")
    settings = base
    for key, apply in _APPLY:
        if key in table:
            settings = apply(settings, table[key], where)
    return settings


def _factories(value: Any, where: str) -> Tuple[LockFactory, ...]:
    """`lock-factories = {"pkg.make_lock" = {reentrant = false}}` (or `= false` for short)."""
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: `lock-factories` must be a table: "pkg.make_lock" = {{ reentrant = false }}')
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
    """The settings for the project of the first path: its file (or the one given), not yet the CLI flags."""
    root, pyproject = find_project_root(paths)
    base = Settings(root=root)
    if config_file is not None:
        return replace(settings_from(read_config(config_file, required=True), config_file, base), config_file=config_file)
    if pyproject is None:
        return base
    return replace(settings_from(read_config(pyproject, required=False), pyproject, base), config_file=pyproject)


def project_groups(paths: Sequence[str], config_file: Optional[str] = None) -> List[Tuple[Settings, Tuple[str, ...]]]:
    """The paths grouped by project (the nearest pyproject.toml, else the git work tree), each
    with its project's settings, in the order of the roots: the same whatever the order of `paths`."""
    by_folder: Dict[str, Tuple[Optional[str], Optional[str]]] = {}
    groups: Dict[Tuple[str, str], List[str]] = {}
    for path in paths:
        absolute = os.path.abspath(path)
        folder = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
        if folder not in by_folder:
            by_folder[folder] = find_project_root([folder])
        root, pyproject = by_folder[folder]
        groups.setdefault((root or "", pyproject or ""), []).append(path)
    result = []
    for _key, members in sorted(groups.items()):
        settings = load_settings(members[:1], config_file)
        result.append((settings, tuple(members)))
    return result


@dataclass(frozen=True)
class Overrides:
    """What the command line says about the settings: it wins over the file."""

    select: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    extend_ignore: Tuple[str, ...] = ()
    exclude: Optional[Tuple[str, ...]] = None
    extend_exclude: Tuple[str, ...] = ()
    respect_gitignore: Optional[bool] = None
    force_exclude: Optional[bool] = None


def with_cli(settings: Settings, flags: Overrides) -> Settings:
    """Command-line flags override (select, ignore, exclude) or extend the file's settings."""
    changes: Dict[str, Any] = {}
    select = flags.select or settings.select
    ignore = flags.ignore or settings.ignore
    changes["select"] = select + flags.extend_select
    changes["ignore"] = ignore + flags.extend_ignore
    exclude = settings.exclude if flags.exclude is None else flags.exclude
    changes["exclude"] = exclude + flags.extend_exclude
    if flags.respect_gitignore is not None:
        changes["respect_gitignore"] = flags.respect_gitignore
    if flags.force_exclude is not None:
        changes["force_exclude"] = flags.force_exclude
    return replace(settings, **changes)


__all__ = ["ConfigError", "LockFactory", "Overrides", "Settings", "load_settings", "project_groups", "parse_codes", "with_cli", "find_project_root"]
