"""Call stacks, cheaply: captured as (code, instruction offset) pairs, formatted only when reported.

The line is worked out from the offset when a stack is printed: reading
`frame.f_lineno` decodes the line table, which costs more than all the rest.

A stack holds code objects, never frames: frames would keep the caller's
local variables alive and delay their finalizers (a change of behaviour).
"""

from __future__ import annotations

import linecache
import os
import re
import sys
import sysconfig
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, List, Optional, Tuple

HERE = os.path.normcase(os.path.dirname(os.path.abspath(__file__)))
_STDLIB = tuple(sorted({os.path.normcase(os.path.abspath(sysconfig.get_paths()[k])) + os.sep for k in ("stdlib", "platstdlib")}))
_THIRD_PARTY = re.compile(r"[\\/](site|dist)-packages[\\/]")
# `self._mu = threading.Lock()`, `lock: Lock = Lock()`, `LOCK = threading.RLock()`
_ASSIGNED = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(?::[^=]*)?=[^=]")

_RETURNED = re.compile(r"^\s*return\b")
OURS, STDLIB, THIRD_PARTY, USER = 0, 1, 2, 3
CompactStack = Tuple[Tuple[Any, int], ...]  # (code, instruction offset), innermost first


@dataclass(frozen=True)
class Frame:
    path: str
    line: int
    column: int
    function: str


@dataclass(frozen=True)
class Stack:
    """One labelled call stack, innermost frame last (as tracebacks print them)."""

    label: str
    frames: Tuple[Frame, ...]


@lru_cache(maxsize=4096)
def origin(filename: str) -> int:
    """Whose code a file is: lintlock.runtime's, the standard library's, an installed package's, or the user's."""
    if filename.startswith("<"):
        return STDLIB if filename.startswith("<frozen") else USER
    path = os.path.normcase(os.path.abspath(filename))
    if path.startswith(HERE + os.sep):
        return OURS
    if _THIRD_PARTY.search(path):
        return THIRD_PARTY
    if path.startswith(_STDLIB):
        return STDLIB
    return USER


def capture(limit: int, skip: int = 1) -> CompactStack:
    """The caller's stack, innermost first, at most `limit` frames (lintlock's own frames included)."""
    frame: Any = sys._getframe(skip)
    frames = []
    for _ in range(limit):
        if frame is None:
            break
        frames.append((frame.f_code, frame.f_lasti))
        frame = frame.f_back
    return tuple(frames)


@lru_cache(maxsize=65536)
def line_of(code, lasti: int) -> int:
    """The line of the instruction at byte offset `lasti` (what frame.f_lineno would have said)."""
    lines = getattr(code, "co_lines", None)
    if lines is not None:
        for start, end, line in lines():
            if start <= lasti < end and line is not None:
                return line
        return code.co_firstlineno
    import dis

    found = code.co_firstlineno
    for offset, line in dis.findlinestarts(code):
        if offset > lasti:
            break
        found = line
    return found


def created_by_stdlib(skip: int = 2) -> bool:
    """Whether the first frame outside lintlock.runtime is in the standard library (Event, Queue internals)."""
    frame: Any = sys._getframe(skip)
    while frame is not None and origin(frame.f_code.co_filename) == OURS:
        frame = frame.f_back
    return frame is None or origin(frame.f_code.co_filename) == STDLIB


def _column(code, line: int, lasti: int) -> int:
    positions = getattr(code, "co_positions", None)
    if positions is not None and lasti >= 0:
        try:
            for index, (start, _, column, _) in enumerate(positions()):
                if index == lasti // 2:
                    if start == line and column is not None:
                        return column + 1
                    break
        except (ValueError, TypeError):
            pass
    text = linecache.getline(code.co_filename, line)
    return len(text) - len(text.lstrip()) + 1 if text.strip() else 1


def display_path(filename: str) -> str:
    """Relative to the working directory when under it, as the static checker prints paths."""
    if filename.startswith("<"):
        return filename
    try:
        relative = os.path.relpath(filename)
    except ValueError:
        return filename
    return filename if relative.startswith(os.pardir) else relative


def user_frames(stack: CompactStack) -> Tuple[Frame, ...]:
    """The stack without lintlock's frames nor, when the user's code is in it, what called that code, outermost first."""
    kinds = [origin(code.co_filename) for code, _ in stack]
    start = max((i for i, kind in enumerate(kinds) if kind == USER), default=len(stack) - 1)
    result = []
    for index in range(start, -1, -1):
        code, lasti = stack[index]
        line = line_of(code, lasti)
        if kinds[index] != OURS:
            name = getattr(code, "co_qualname", code.co_name)
            result.append(Frame(display_path(code.co_filename), line, _column(code, line, lasti), name))
    return tuple(result)


def site(stack: CompactStack) -> Optional[Frame]:
    """Where the user's code did it: the innermost frame that is neither lintlock's nor the standard library's."""
    for code, lasti in stack:
        if origin(code.co_filename) >= THIRD_PARTY:
            line = line_of(code, lasti)
            return Frame(display_path(code.co_filename), line, _column(code, line, lasti), getattr(code, "co_qualname", code.co_name))
    frames = user_frames(stack)
    return frames[-1] if frames else None


def creation_key(kind: str, limit: int = 4) -> Tuple[Tuple[Tuple[str, int, int], ...], str]:
    """A lock's class, as in lockdep: the user line that created it, and a name for it.

    When that line returns the lock (`return threading.Lock()` in a helper),
    the callers' lines are added until one does not, so that locks made by
    one helper for different owners are different classes.
    """
    frame: Any = sys._getframe(1)
    key: List[Tuple[str, int, int]] = []
    first_code = None
    label = ""
    while frame is not None and len(key) < limit:
        code = frame.f_code
        if origin(code.co_filename) >= THIRD_PARTY:
            # the instruction too: `a, b = Lock(), Lock()` makes two classes
            key.append((code.co_filename, frame.f_lineno, frame.f_lasti))
            first_code = first_code or code
            text = linecache.getline(code.co_filename, frame.f_lineno)
            name = stored_name(code.co_filename, frame.f_lineno)
            if name:
                label = _qualify(name, frame)
            if not _RETURNED.match(text):
                break
        frame = frame.f_back
    if not label and key:
        filename, line, lasti = key[0]
        label = f"{kind} at {display_path(filename)}:{line}:{_column(first_code, line, lasti)}"
    return tuple(key), label or f"{kind} (created outside user code)"


def stored_name(filename: str, line: int) -> str:
    match = _ASSIGNED.match(linecache.getline(filename, line))
    return match.group(1) if match else ""


def _qualify(name: str, frame) -> str:
    """`Task._mu` for `self._mu = Lock()` in a method of Task, `module.NAME` at module level."""
    code = frame.f_code
    if code.co_name == "<module>":
        module = frame.f_globals.get("__name__", "?")
        if module == "__main__":  # a script: its file's name, as the static checker names modules
            module = os.path.splitext(os.path.basename(code.co_filename))[0]
        return f"{module}.{name}"
    qualname = getattr(code, "co_qualname", "")
    if name.startswith(("self.", "cls.")):
        owner = qualname.rsplit(".", 1)[0] if "." in qualname else ""
        if not owner:
            first = frame.f_locals.get(code.co_varnames[0]) if code.co_argcount else None
            owner = type(first).__qualname__ if first is not None else ""
        owner = owner.replace(".<locals>", "")
        return owner + name[name.index(".") :] if owner else name
    return f"{(qualname or code.co_name).replace('.<locals>', '')}.{name}"
