"""What the rule modules share: how messages locate and name things."""

from __future__ import annotations

from typing import Callable

from ..locate import Located
from ..model import Site

Locate = Callable[[Site], Located]

WAITS_FOR = {
    "thread": "this thread waits for itself forever",
    "process": "this process waits for itself forever",
    "asyncio": "this task waits for itself forever",
}


def where(site: Site, here: str, locate: Locate) -> str:
    """`line 12` in the reported file, `path:12` elsewhere."""
    line = locate(site).line
    return f"line {line}" if site.path == here else f"{site.path}:{line}"


def short_lock(lock_id: str) -> str:
    """A class-level lock id as messages name it: its last two parts (`Cache._lock`)."""
    return ".".join(lock_id.split(".")[-2:])
