"""What the runtime observed, as findings with stacks; printed as text, JSON or SARIF."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import List, Sequence, Tuple

from .frames import CompactStack, Frame, Stack, site, user_frames
from .state import Edge, Held, LockClass, Wait

REPORT_VERSION = 1
OBSERVED = "observed at runtime: "


@dataclass(frozen=True)
class RuntimeFinding:
    code: str
    path: str
    line: int
    column: int
    message: str
    lock: str
    stacks: Tuple[Stack, ...]
    context: str = ""  # what was running (pytest: the test ids)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)


def _where(stack: CompactStack) -> str:
    frame = site(stack)
    return f"{frame.path}:{frame.line}" if frame else "an unknown place"


def _finding(code: str, at: CompactStack, message: str, lock: str, stacks: Sequence[Tuple[str, CompactStack]]) -> RuntimeFinding:
    frame = site(at) or Frame("<unknown>", 1, 1, "")
    return RuntimeFinding(code, frame.path, frame.line, frame.column, OBSERVED + message, lock, tuple(Stack(label, user_frames(s)) for label, s in stacks))


def self_deadlock(cls: LockClass, thread: str, first: CompactStack, again: CompactStack) -> RuntimeFinding:
    message = (
        f"thread {thread} asks for {cls.label} ({cls.kind}) at {_where(again)}, but it already holds it "
        f"(acquired at {_where(first)}); {cls.kind} is not reentrant: this thread would wait for itself forever"
    )
    return _finding(
        "LL101",
        again,
        message,
        cls.label,
        [(f"first acquisition of {cls.label} (thread {thread})", first), (f"second acquisition of {cls.label} (thread {thread})", again)],
    )


def inversion(cycle: Sequence[Edge]) -> RuntimeFinding:
    paths = "; ".join(
        f"path {n}: thread {e.thread} held {e.first.label} (taken at {_where(e.held_stack)}) and took {e.second.label} at {_where(e.stack)}"
        for n, e in enumerate(cycle, start=1)
    )
    labels = " and ".join(e.first.label for e in cycle) if len(cycle) == 2 else ", ".join(e.first.label for e in cycle)
    message = f"lock-order inversion between {labels}: {paths}. Threads on these paths can each hold one lock and wait forever for the next"
    stacks: List[Tuple[str, CompactStack]] = []
    for n, e in enumerate(cycle, start=1):
        stacks.append((f"path {n}: {e.first.label} taken (thread {e.thread})", e.held_stack))
        stacks.append((f"path {n}: then {e.second.label} taken (thread {e.thread})", e.stack))
    found = _finding("LL102", cycle[0].stack, message, cycle[0].first.label, stacks)
    contexts = list(dict.fromkeys(e.context for e in cycle if e.context))
    return replace(found, context=", ".join(contexts)) if contexts else found


def blocked_wait(wait: Wait, held: Held, waker: str, waker_stack: CompactStack, needs: str) -> RuntimeFinding:
    """LL103: `wait` blocks holding `held`, which the thread that would end the wait takes (or holds when it wakes it)."""
    cls = held.cls
    message = (
        f"{wait.kind} at {_where(wait.stack)} blocks thread {wait.thread} while it holds {cls.label} "
        f"(acquired at {_where(held.stack)}); but {waker} {needs} {cls.label} at {_where(waker_stack)}, "
        f"so it waits for this thread to release it: neither ever proceeds"
    )
    stacks = [
        (f"{wait.kind} (thread {wait.thread})", wait.stack),
        (f"{cls.label} acquired (thread {wait.thread})", held.stack),
        (f"{cls.label} needed by {waker}", waker_stack),
    ]
    return _finding("LL103", wait.stack, message, cls.label, stacks)


def text_lines(findings: Sequence[RuntimeFinding]) -> List[str]:
    """The static checker's `path:line:col: CODE message`, each followed by its stacks."""
    lines = []
    for f in findings:
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}")
        if f.context:
            lines.append(f"    while running: {f.context}")
        for stack in f.stacks:
            lines.append(f"    {stack.label}:")
            lines.extend(f"      {frame.path}:{frame.line} in {frame.function}" for frame in stack.frames)
    return lines


def json_document(findings: Sequence[RuntimeFinding], dumps: Sequence[str] = ()) -> dict:
    """The static checker's --format json schema, plus `observed` and each finding's `stacks`."""
    return {
        "version": REPORT_VERSION,
        "tool": "lintlock.runtime",
        "observed": True,
        "root": os.getcwd(),  # what the relative paths are relative to
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "end_line": f.line,
                "end_column": f.column,
                "code": f.code,
                "message": f.message,
                "lock": f.lock or None,
                "context": f.context or None,
                "chain": [],
                "fix": None,
                "related": [related_entry(s, frame) for s in f.stacks for frame in s.frames],
                "stacks": [
                    {"label": s.label, "frames": [{"path": fr.path, "line": fr.line, "column": fr.column, "function": fr.function} for fr in s.frames]}
                    for s in f.stacks
                ],
            }
            for f in findings
        ],
        "hang_dumps": list(dumps),
    }


def related_entry(stack: Stack, frame: Frame) -> dict:
    return {"path": frame.path, "line": frame.line, "column": frame.column, "message": f"{stack.label}: in {frame.function}"}


def as_static(findings: Sequence[RuntimeFinding]) -> list:
    """The static checker's Finding objects (for its SARIF writer and for merging)."""
    from ..problems import Finding

    return [
        Finding(
            f.path,
            f.line,
            f.column,
            f.line,
            f.column,
            f.code,
            f.message,
            lock=f.lock,
            chain=tuple(f"{s.label}: {fr.path}:{fr.line} in {fr.function}" for s in f.stacks for fr in s.frames),
            related=tuple((fr.path, fr.line, fr.column, f"{s.label}: in {fr.function}") for s in f.stacks for fr in s.frames),
        )
        for f in findings
    ]


def sarif_document(findings: Sequence[RuntimeFinding]) -> dict:
    from .. import __version__
    from ..knowledge import read_rules_file
    from ..report import sarif_document as static_sarif

    codes = sorted({f.code for f in findings})
    rules = []
    for code in codes:
        text = read_rules_file(f"{code}.md")
        rules.append((code, text.splitlines()[0].split(":", 1)[-1].strip(), text))
    document = static_sarif(as_static(findings), rules, __version__)
    document["runs"][0]["tool"]["driver"]["name"] = "lintlock.runtime"
    return document
