"""Writing fixed files without ever losing the user's data.

A symbolic link is followed: the file it points to is fixed, the link stays.
The new bytes go to a temporary file in the target's directory (same file
system), get the original's permission bits, are flushed to disk, and then
atomically replace the original. A file with several hard links cannot be
replaced without cutting the others off, so it is rewritten in place, with a
flushed copy of the original kept until the new bytes are on disk (and put
back if writing fails). If the file changed since lintlock read it, nothing
is written. Any failure leaves the original untouched.
"""

from __future__ import annotations

import os
import stat
import tempfile


class FileChanged(Exception):
    """The file is no longer what lintlock analysed."""

    def __str__(self) -> str:
        return "it changed on disk during the run"


def replace_file(path: str, expected: bytes, new: bytes) -> None:
    target = os.path.realpath(path)  # through symlinks: fix the file, keep the link
    with open(target, "rb") as handle:
        if handle.read() != expected:
            raise FileChanged(path)
    status = os.stat(target)
    if status.st_nlink > 1:
        _rewrite_in_place(target, expected, new)
    else:
        _replace_atomically(target, new, stat.S_IMODE(status.st_mode))


def _temporary_copy(directory: str, data: bytes, mode: int) -> str:
    descriptor, temporary = tempfile.mkstemp(prefix=".lintlock-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        _remove(temporary)
        raise
    return temporary


def _replace_atomically(target: str, new: bytes, mode: int) -> None:
    temporary = _temporary_copy(os.path.dirname(target), new, mode)
    try:
        os.replace(temporary, target)
    except BaseException:
        _remove(temporary)
        raise


def _rewrite_in_place(target: str, expected: bytes, new: bytes) -> None:
    """Same inode, so every hard link sees the fix. A flushed backup of the original stays
    on disk until the file holds either the new bytes or the original again."""
    backup = _temporary_copy(os.path.dirname(target), expected, 0o600)
    with open(target, "r+b") as handle:
        if handle.read() != expected:
            _remove(backup)
            raise FileChanged(target)
        try:
            _overwrite(handle, new)
        except BaseException:
            _overwrite(handle, expected)  # if this fails too, the backup is left for the user
            _remove(backup)
            raise
    _remove(backup)


def _overwrite(handle, data: bytes) -> None:
    handle.seek(0)
    handle.write(data)
    handle.truncate()
    handle.flush()
    os.fsync(handle.fileno())


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
