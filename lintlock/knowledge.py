"""What lintlock knows about the standard library, read from the tables in rules/.

The tables are data, not code, so that the catalogue a user reads
(`lintlock rule`) and what the analysis uses are the same thing.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Dict, Mapping, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10 only
    import tomli as tomllib


@dataclass(frozen=True)
class LockKind:
    name: str  # qualified constructor name
    display: str
    reentrant: bool
    family: str  # thread | process | asyncio
    counting: bool = False
    wraps: Optional[int] = None


def rules_dir():
    """The rule catalogue: lintlock/rules inside a wheel, ./rules in a source checkout."""
    try:
        return resources.files("lintlock.rules")
    except ModuleNotFoundError:  # running from the repository (editable install, tests)
        return resources.files("lintlock").joinpath("..", "rules")


def read_rules_file(name: str) -> str:
    return rules_dir().joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def lock_kinds() -> Mapping[str, LockKind]:
    table = tomllib.loads(read_rules_file("locks.toml"))
    kinds: Dict[str, LockKind] = {}
    for name, entry in table.items():
        kinds[name] = LockKind(
            name=name,
            display=entry.get("display", name),
            reentrant=bool(entry["reentrant"]),
            family=entry.get("family", "thread"),
            counting=bool(entry.get("counting", False)),
            wraps=entry.get("wraps"),
        )
    return kinds
