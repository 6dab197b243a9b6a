"""What lintlock knows about the standard library, read from the tables in rules/.

The tables are data, not code, so that the catalogue a user reads
(`lintlock rule`) and what the analysis uses are the same thing.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Dict, Mapping, Optional, Tuple

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
    package = resources.files("lintlock")
    shipped = package.joinpath("rules")
    if shipped.is_dir():
        return shipped
    return package.joinpath("..").joinpath("rules")  # running from the repository (editable install, tests)


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


@dataclass(frozen=True)
class WaitSpec:
    """A blocking wait and what wakes it (one [[wait]] of rules/blocking.toml)."""

    name: str
    types: Tuple[str, ...]
    methods: Tuple[str, ...]
    wakers: Tuple[str, ...]  # methods of the waited object, or ("target",) / ("submitted",)
    timeout: Optional[Tuple[int, str]] = None
    block: Optional[Tuple[int, str]] = None
    bounded: bool = False
    releases: bool = False


@dataclass(frozen=True)
class BlockingTable:
    sleeps: Tuple[str, ...]
    waits: Tuple[WaitSpec, ...]

    def wait_for(self, type_name: str, method: str) -> Optional[WaitSpec]:
        for spec in self.waits:
            if type_name in spec.types and method in spec.methods:
                return spec
        return None


def _pair(value) -> Optional[Tuple[int, str]]:
    return (int(value[0]), str(value[1])) if value else None


@lru_cache(maxsize=1)
def blocking_calls() -> BlockingTable:
    table = tomllib.loads(read_rules_file("blocking.toml"))
    waits = []
    for entry in table.get("wait", []):
        wakers = entry["wakers"]
        waits.append(
            WaitSpec(
                name=entry["name"],
                types=tuple(entry["types"]),
                methods=tuple(entry["methods"]),
                wakers=(wakers,) if isinstance(wakers, str) else tuple(wakers),
                timeout=_pair(entry.get("timeout")),
                block=_pair(entry.get("block")),
                bounded=bool(entry.get("bounded", False)),
                releases=bool(entry.get("releases", False)),
            )
        )
    return BlockingTable(sleeps=tuple(table.get("sleeps", ())), waits=tuple(waits))


@dataclass(frozen=True)
class Knowledge:
    """The tables, plus what the user's configuration adds (lock factories, blocking calls)."""

    kinds: Mapping[str, LockKind]
    blocking: BlockingTable


def knowledge_for(factories=(), blocking=()) -> Knowledge:
    """`factories`: (qualified name, reentrant) pairs; `blocking`: qualified names of extra waits."""
    kinds = dict(lock_kinds())
    for name, reentrant in factories:
        kinds[name] = LockKind(name=name, display=name.rsplit(".", 1)[-1] + "()", reentrant=reentrant, family="thread")
    table = blocking_calls()
    if blocking:
        table = BlockingTable(sleeps=table.sleeps + tuple(blocking), waits=table.waits)
    return Knowledge(kinds, table)
