"""Per-file summaries cached on disk, keyed by everything that determines them.

Key: the file's bytes, its path and module name, lintlock's version and the
Python version (a summary depends on nothing else; settings act at link
time). An entry is a pickle written to a temporary file and renamed into
place, so concurrent runs never see half an entry; an entry that does not
load, or is not ours, is ignored and rewritten.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from typing import Optional

from . import __version__

_MAGIC = "lintlock-summary-cache"
_README = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by lintlock.\n"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """lintlock's own code and tables: a summary computed by other code is not reused."""
    digest = hashlib.sha256(__version__.encode())
    package = os.path.dirname(os.path.abspath(__file__))
    for folder, _, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith((".py", ".toml")):
                with open(os.path.join(folder, name), "rb") as handle:
                    digest.update(name.encode() + b"\0" + handle.read())
    return digest.hexdigest()


class SummaryCache:
    def __init__(self, directory: Optional[str]) -> None:
        self.directory = directory
        self._ready = False

    def key(self, path: str, module: str, is_package: bool, data: bytes) -> str:
        digest = hashlib.sha256()
        for part in (code_fingerprint(), sys.version, path, module, str(is_package)):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _file(self, key: str) -> str:
        return os.path.join(self.directory, "summaries", key[:2], key + ".pickle")

    def get(self, key: str):
        if self.directory is None:
            return None
        try:
            with open(self._file(key), "rb") as handle:
                magic, version, stored_key, value = pickle.load(handle)
        except Exception:  # missing, truncated, corrupt or foreign: recompute (and rewrite)
            return None
        if magic != _MAGIC or version != __version__ or stored_key != key:
            return None
        return value

    def put(self, key: str, value) -> None:
        if self.directory is None:
            return
        try:
            self._prepare()
            target = self._file(key)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            with os.fdopen(descriptor, "wb") as handle:
                pickle.dump((_MAGIC, __version__, key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except OSError:
            pass  # a cache that cannot be written is only slower

    def _prepare(self) -> None:
        if self._ready:
            return
        os.makedirs(self.directory, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _README), (".gitignore", "# created by lintlock\n*\n")):
            path = os.path.join(self.directory, name)
            if not os.path.exists(path):
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
        self._ready = True
