"""Hang dumps: every thread's stack, the tracked locks it holds, what it waits for, and the wait-for cycle.

Written without taking any lock (it runs in signal handlers and watchdogs
while the program may be stuck anywhere, the tracker included).
"""

from __future__ import annotations

import _thread
import sys
import threading
import time
import traceback
from typing import Callable, Dict, List, Optional

from .frames import OURS, display_path, origin, site
from .tracker import Tracker


def _thread_names() -> Dict[int, threading.Thread]:
    return dict(getattr(threading, "_active", {}))


def _holders(obj: object) -> List[int]:
    """Threads that hold a tracked lock, as far as the tracker knows."""
    owner = getattr(obj, "_owner", None)
    if owner is not None:
        return [owner]
    return list(getattr(obj, "_ll_holders", ()))


def _describe_lock(obj: object) -> str:
    cls = getattr(obj, "_cls", None) or getattr(obj, "_ll_class", None)
    if cls is None:
        return repr(obj)
    where = cls.key[-1] if cls.key else None
    created = f", created at {display_path(where[0])}:{where[1]}" if where else ""
    return f"{cls.label} ({cls.kind}{created})"


def waits_for(tracker: Tracker) -> Dict[int, List[int]]:
    """The wait-for graph: thread -> the threads it waits for (lock holders, joined threads, future runners)."""
    graph: Dict[int, List[int]] = {}
    for ident, state in tracker.states().items():
        blocked = state.blocked
        if blocked is None:
            continue
        what, obj, _, target = blocked
        targets = _holders(obj) if what == "lock" else [target]
        if what == "Future.result()":
            runner = tracker.lookup(obj)
            targets = [getattr(runner, "ident", 0)]
        # a thread waiting for a lock it holds itself is a cycle of one
        graph[ident] = [t for t in targets if t]
    return graph


def find_cycle(graph: Dict[int, List[int]]) -> Optional[List[int]]:
    for start in sorted(graph):
        path, node, seen = [start], start, {start}
        while graph.get(node):
            node = graph[node][0]
            if node == start:
                return path
            if node in seen:
                break
            seen.add(node)
            path.append(node)
    return None


def hang_dump(tracker: Tracker, reason: str) -> str:
    """The dump, as text a developer can act on."""
    names = _thread_names()
    states = tracker.states()
    frames = sys._current_frames()
    now = time.monotonic()
    lines = [f"lintlock.runtime: hang dump ({reason}), {len(frames)} threads", ""]
    for ident in sorted(frames, key=lambda i: (i != threading.main_thread().ident, i)):
        thread = names.get(ident)
        name = thread.name if thread else f"thread {ident}"
        daemon = " daemon" if thread is not None and thread.daemon else ""
        lines.append(f"Thread {name} (ident {ident}{daemon}):")
        state = states.get(ident)
        if state is not None:
            lines.extend(_state_lines(state, names, now))
        entries = [e for e in traceback.extract_stack(frames[ident]) if origin(e.filename) != OURS]
        lines.append("  stack (most recent call last):" if entries else "  (this thread is writing the dump)")
        lines.extend("  " + entry.rstrip("\n").replace("\n", "\n  ") for entry in traceback.format_list(entries))
        lines.append("")
    cycle = find_cycle(waits_for(tracker))
    if cycle:
        lines.append("Deadlock: " + _cycle_words(cycle, states, names))
    else:
        lines.append("No wait-for cycle among the tracked locks and waits.")
    return "\n".join(lines) + "\n"


def _state_lines(state, names, now: float) -> List[str]:
    lines = []
    for held in list(state.held):
        where = site(held.stack)
        taken = f", taken at {where.path}:{where.line} in {where.function}" if where else ""
        lines.append(f"  holds {_describe_lock(held.lock)}{taken}")
    blocked = state.blocked
    if blocked is not None:
        what, obj, since, target = blocked
        if what == "lock":
            holders = [names[h].name if h in names else str(h) for h in _holders(obj)]
            lines.append(f"  waits for {_describe_lock(obj)} (for {now - since:.1f} s), held by {', '.join(holders) or 'no thread known'}")
        else:
            lines.append(f"  waits in {what} (for {now - since:.1f} s)")
    return lines


def _cycle_words(cycle: List[int], states, names) -> str:
    parts = []
    for index, ident in enumerate(cycle):
        nxt = cycle[(index + 1) % len(cycle)]
        me, other = (names[i].name if i in names else str(i) for i in (ident, nxt))
        blocked = states[ident].blocked if ident in states else None
        what = f"{_describe_lock(blocked[1])} held by" if blocked and blocked[0] == "lock" else f"{blocked[0] if blocked else '?'}:"
        parts.append(f"{me} waits for {what} {other}")
    only_locks = all(ident in states and states[ident].blocked is not None and states[ident].blocked[0] == "lock" for ident in cycle)
    advice = (
        "Take these locks in one order in every thread, or release one before asking for the other."
        if only_locks
        else "Release the lock before waiting, or let the waker do its work without it."
    )
    return "; ".join(parts) + ". Each waits for the next: none of them can ever proceed. " + advice


def print_dump(tracker: Tracker, reason: str, stream=None) -> str:
    text = hang_dump(tracker, reason)
    out = stream or sys.stderr
    try:
        out.write(text)
        out.flush()
    except (OSError, ValueError):
        pass
    return text


def stuck_threads(tracker: Tracker, older_than: float) -> List[int]:
    """Threads blocked on a tracked lock or wait for longer than `older_than` seconds, or in a wait-for cycle."""
    now = time.monotonic()
    stuck = [ident for ident, state in tracker.states().items() if state.blocked is not None and now - state.blocked[2] > older_than]
    cycle = find_cycle(waits_for(tracker)) or []
    return sorted(set(stuck) | set(cycle))


class Watchdog:
    """A daemon thread that dumps once when `stalled()` says the program stopped making progress."""

    def __init__(self, interval: float, stalled: Callable[[], Optional[str]], on_hang: Callable[[str], None]) -> None:
        self._interval = interval
        self._stalled = stalled
        self._on_hang = on_hang
        self._stop = _thread.allocate_lock()
        self._stop.acquire()
        self.ident = _thread.start_new_thread(self._run, ())

    def _run(self) -> None:
        fired = False
        while not self._stop.acquire(True, self._interval):
            reason = self._stalled()
            if reason and not fired:
                self._on_hang(reason)
            fired = bool(reason)  # once per stall

    def stop(self) -> None:
        if self._stop.locked():
            self._stop.release()
