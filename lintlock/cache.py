"""Results remembered on disk between runs: data only, validated, pruned.

An entry is a JSON file (lintlock.codec: only lintlock's own plain classes can
be built from it, nothing is executed) named by what it is about (a file's
real path, a run's command line) and holding a `check`: the digest of
everything the value depends on (the file's bytes, its module name, lintlock's
code, the Python version). A file therefore has one entry however often it is
edited, and a run from another working directory finds it. Anything missing,
foreign, stale or malformed is a miss, recomputed and rewritten. Writes go to
a temporary file renamed into place, so concurrent runs never see half an
entry.

By default the cache lives outside the analysed tree, in the user's cache
folder (one subfolder per project), so a checkout cannot plant entries in it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from functools import lru_cache
from typing import Any, Optional

from . import __version__
from .codec import Codec, Malformed

SCHEMA = 5  # the entry format; entries of another schema are misses (4: Decorator records; 5: LockPath.key for container elements, Call.made / runs "awaits", Value.default_of)
_TAG_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by lintlock.\n"
_KINDS = ("summaries", "syntax", "runs")
_MAX_RUNS = 32  # run memos kept (most recently used)
_MAX_AGE = 30 * 24 * 3600  # entries unused this long are removed
_PRUNE_EVERY = 24 * 3600


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """lintlock's own code and tables: a value computed by other code is not reused."""
    digest = hashlib.sha256(__version__.encode())
    package = os.path.dirname(os.path.abspath(__file__))
    sources = []
    for folder, subfolders, names in os.walk(package):
        # lintlock.runtime (the run-time detector) is never imported by the static analysis
        subfolders[:] = [d for d in subfolders if not (folder == package and d == "runtime")]
        sources += [os.path.join(folder, name) for name in names if name.endswith((".py", ".toml"))]
    for path in sorted(sources):
        with open(path, "rb") as handle:
            digest.update(os.path.relpath(path, package).encode() + b"\0" + handle.read())
    from .knowledge import rules_dir

    for table in sorted((t for t in rules_dir().iterdir() if t.name.endswith(".toml")), key=lambda t: t.name):
        digest.update(b"rules/" + table.name.encode() + b"\0" + table.read_bytes())  # the lock and blocking tables
    return digest.hexdigest()


def digest(*parts: str, data: bytes = b"") -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogateescape") + b"\0")
    hasher.update(data)
    return hasher.hexdigest()


class NotOurs(OSError):
    """The cache folder exists, holds other files, and lintlock did not make it."""


def user_cache_dir(root: Optional[str]) -> str:
    """The default: the platform's user cache folder, one subfolder per project root."""
    import platformdirs

    base = platformdirs.user_cache_dir("lintlock", appauthor=False)
    project = os.path.realpath(root or os.getcwd())
    name = os.path.basename(project.rstrip(os.sep)) or "root"
    return os.path.join(base, f"{name}-{digest(project)[:16]}")


def is_lintlock_cache(directory: str) -> bool:
    """Ours: it has our CACHEDIR.TAG (lintlock never deletes a folder it did not make)."""
    try:
        with open(os.path.join(directory, "CACHEDIR.TAG"), encoding="utf-8") as handle:
            return handle.read() == _TAG_TEXT
    except (OSError, UnicodeDecodeError):
        return False


def remove_cache(directory: str) -> bool:
    """`lintlock clean`: remove a cache folder lintlock made; False if there is none."""
    if not os.path.isdir(directory) or os.path.islink(directory) or not is_lintlock_cache(directory):
        return False
    for kind in _KINDS:
        shutil.rmtree(os.path.join(directory, kind), ignore_errors=True)
    for name in ("CACHEDIR.TAG", ".gitignore", "pruned"):
        try:
            os.unlink(os.path.join(directory, name))
        except OSError:
            pass
    try:
        os.rmdir(directory)
    except OSError:
        pass  # something else lives there: leave it
    return True


class SummaryCache:
    """`directory` None: remember nothing."""

    def __init__(self, directory: Optional[str], codec: Optional[Codec] = None) -> None:
        self.directory = directory
        self.codec = codec or Codec(())
        self._ready = False

    def check(self, *parts: str, data: bytes = b"") -> str:
        """The digest an entry must carry to be valid: `parts` and `data`, lintlock's code, this Python."""
        return digest(str(SCHEMA), code_fingerprint(), sys.version, *parts, data=data)

    def _file(self, kind: str, key: str) -> str:
        name = digest(key)
        return os.path.join(self.directory or "", kind, name[:2], name + ".json")

    def get(self, kind: str, key: str, check: str, hint: Any = object) -> Any:
        """The value stored for `key` if its check matches, else None."""
        if self.directory is None:
            return None
        path = self._file(kind, key)
        try:
            with open(path, "rb") as handle:
                document = self.codec.loads(handle.read(), Any)
            if not (isinstance(document, tuple) and len(document) == 4 and document[:3] == (SCHEMA, key, check)):
                return None
            value = document[3]
            if not isinstance(value, hint):
                return None
            os.utime(path)  # recently used: pruning keeps it
        except (OSError, Malformed, TypeError, ValueError):
            return None
        return value

    def put(self, kind: str, key: str, check: str, value: Any) -> None:
        if self.directory is None:
            return
        try:
            data = self.codec.dumps((SCHEMA, key, check, value))
        except (TypeError, ValueError):  # not plain data: not cached
            return
        temporary = None
        try:
            self._prepare()
            target = self._file(kind, key)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, target)
        except OSError:
            if temporary is not None and os.path.exists(temporary):
                os.unlink(temporary)
            # a cache that cannot be written is only slower

    def prune(self, now: Optional[float] = None) -> None:
        """Keep the most recent run memos; drop entries unused for a month (checked once a day)."""
        if self.directory is None or not is_lintlock_cache(self.directory):
            return
        now = time.time() if now is None else now
        runs = _entries(os.path.join(self.directory, "runs"))
        for _, path in sorted(runs, reverse=True)[_MAX_RUNS:]:
            _unlink(path)
        stamp = os.path.join(self.directory, "pruned")
        try:
            if now - os.stat(stamp).st_mtime < _PRUNE_EVERY:
                return
        except OSError:
            pass
        for kind in ("summaries", "syntax"):
            for used, path in _entries(os.path.join(self.directory, kind)):
                if now - used > _MAX_AGE:
                    _unlink(path)
        try:
            with open(stamp, "w", encoding="utf-8"):
                pass
        except OSError:
            pass

    def _prepare(self) -> None:
        if self._ready or self.directory is None:
            return
        os.makedirs(self.directory, exist_ok=True)
        if os.listdir(self.directory) and not is_lintlock_cache(self.directory):
            # a folder with other things in it: lintlock writes there only if it made it
            raise NotOurs(self.directory)
        for name, text in (("CACHEDIR.TAG", _TAG_TEXT), (".gitignore", "# created by lintlock\n*\n")):
            path = os.path.join(self.directory, name)
            if not os.path.exists(path):
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
        self._ready = True


def _entries(folder: str) -> list:
    """(last used, path) of every entry below folder."""
    found = []
    for parent, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(parent, name)
            try:
                found.append((os.stat(path).st_mtime, path))
            except OSError:
                continue
    return found


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
