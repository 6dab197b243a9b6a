"""Writing fixed files without ever losing the user's data.

The new bytes go to a temporary file in the same directory (same file
system), get the original's permission bits, are flushed to disk, and then
atomically replace the original. If the file changed since lintlock read it,
nothing is written. Any failure leaves the original untouched.
"""
from __future__ import annotations

import os
import stat
import tempfile


class FileChanged(Exception):
    """The file is no longer what lintlock analysed."""


def replace_file(path: str, expected: bytes, new: bytes) -> None:
    with open(path, "rb") as handle:
        if handle.read() != expected:
            raise FileChanged(path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    directory = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(prefix=".lintlock-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
