"""lintlock.runtime: lockdep for Python. Watches the locks a running program takes.

    import lintlock.runtime
    lintlock.runtime.install()          # or: pytest --lintlock-runtime
                                        # or: python -m lintlock.runtime script.py

Locks made after install() by threading.Lock, RLock, Condition, Semaphore and
BoundedSemaphore are tracked; it reports LL101 (a thread asks for a lock it
holds: DeadlockError instead of a hang), LL102 (an inversion in the order in
which lock classes are taken, in any threads at any time) and LL103 (a
blocking wait while holding a lock its waker takes). Locks made before
install() stay untracked. Standard library only.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import sys
import threading
import time
from dataclasses import replace
from typing import Callable, List, Optional

from . import dump as dumps
from . import findings as output
from . import locks, waits
from .tracker import DeadlockError, Settings, Tracker

__all__ = ["DeadlockError", "Settings", "findings", "hang_dump", "install", "installed", "uninstall", "write_report"]

HANG_SIGNALS = ("SIGQUIT", "SIGUSR1")
DeadlockError.__module__ = __name__  # as users import it


class Session:
    """One install(): the tracker and everything patched for it."""

    current: Optional[Session] = None
    fork_hook = False

    def __init__(self, tracker: Tracker, report: Optional[str], at_exit: bool) -> None:
        self.tracker = tracker
        self.report = report
        self.at_exit = at_exit
        self.dumps: List[str] = []
        self.saved_factories = locks.patch(tracker)
        self.saved_methods = waits.patch(tracker)
        self.saved_signals: dict = {}
        self.saved_shutdown: Optional[Callable[[], None]] = None  # threading._shutdown, replaced while installed
        self.watchdog: Optional[dumps.Watchdog] = None
        self.finished = False

    def dump(self, reason: str, stream=None) -> str:
        text = dumps.print_dump(self.tracker, reason, stream)
        if len(self.dumps) < 20:
            self.dumps.append(text)
        return text


def install(
    settings: Optional[Settings] = None,
    *,
    report: Optional[str] = None,
    hang_timeout: Optional[float] = None,
    signals: bool = True,
    at_exit: bool = True,
    **options,
) -> Tracker:
    """Start tracking (idempotent). `options` override `settings` fields (on_self_deadlock="block", grace=0.1).

    report: write the findings there at exit (.json, or .sarif); at_exit: also
    print them to stderr, and dump the threads if some are stuck;
    hang_timeout: dump when a thread stays blocked that many seconds.
    """
    if Session.current is not None:
        return Session.current.tracker
    tracker = Tracker(replace(settings or Settings(), **options))
    session = Session.current = Session(tracker, report, at_exit)
    if not Session.fork_hook and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork)
        Session.fork_hook = True
    if signals and threading.current_thread() is threading.main_thread():
        for name in HANG_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) == signal.SIG_DFL:
                session.saved_signals[number] = signal.signal(number, lambda signum, frame: session.dump(f"signal {signal.Signals(signum).name}"))
    if hang_timeout:
        timeout = hang_timeout

        def on_hang(reason: str) -> None:
            session.dump(reason)

        session.watchdog = dumps.Watchdog(min(timeout / 4, 1.0), lambda: _stalled(tracker, timeout), on_hang)
    if at_exit:
        _hook_exit(session)
    return tracker


def _hook_exit(session: Session) -> None:
    """Check for stuck threads when the main thread ends: before the interpreter joins the
    others (threading._shutdown), which never returns if they are deadlocked."""
    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is None:
        atexit.register(_at_exit)
        return

    def _shutdown_after_check():
        _at_exit()
        return shutdown()

    session.saved_shutdown = shutdown
    threading._shutdown = _shutdown_after_check  # type: ignore[attr-defined]


def _stalled(tracker: Tracker, timeout: float) -> Optional[str]:
    stuck = dumps.stuck_threads(tracker, timeout)
    return f"{len(stuck)} thread(s) blocked for more than {timeout:g} s" if stuck else None


def _after_fork() -> None:
    session = Session.current
    if session is not None:
        session.tracker.after_fork_in_child()
        session.watchdog = None  # its thread did not survive the fork


def _at_exit() -> None:
    session = Session.current
    if session is None or session.finished:
        return
    session.finished = True
    deadline = time.monotonic() + 1.0
    stuck = dumps.stuck_threads(session.tracker, 0.5)
    while stuck and time.monotonic() < deadline and not dumps.find_cycle(dumps.waits_for(session.tracker)):
        time.sleep(0.1)
        stuck = dumps.stuck_threads(session.tracker, 0.5)
    if stuck:
        session.dump("interpreter exit: threads are stuck")
    found = session.tracker.findings()
    for error in session.tracker.internal_errors:
        sys.stderr.write(f"lintlock.runtime: internal error, tracking is incomplete: {error}\n")
    if found:
        sys.stderr.write("\n".join(["lintlock.runtime found:"] + output.text_lines(found)) + "\n")
    else:
        classes, edges = session.tracker.stats()
        sys.stderr.write(f"lintlock.runtime: no lock-order problem observed ({classes} lock classes, {edges} orders)\n")
    if session.report:
        write_report(session.report, found)


def uninstall() -> None:
    """Stop tracking new locks and restore what install() patched (tracked locks keep working)."""
    session = Session.current
    if session is None:
        return
    Session.current = None
    session.finished = True
    if session.watchdog is not None:
        session.watchdog.stop()
    for number, previous in session.saved_signals.items():
        signal.signal(number, previous)
    if session.saved_shutdown is not None:
        threading._shutdown = session.saved_shutdown  # type: ignore[attr-defined]
    waits.unpatch(session.saved_methods)
    locks.unpatch(session.saved_factories)


def installed() -> Optional[Tracker]:
    return Session.current.tracker if Session.current is not None else None


def findings() -> List[output.RuntimeFinding]:
    """What has been observed so far (LL102 cycles are computed now)."""
    tracker = installed()
    return tracker.findings() if tracker is not None else []


def hang_dump(reason: str = "requested", stream=None) -> str:
    """Print (to stderr, or `stream`) and return a dump of every thread."""
    session = Session.current
    if session is None:
        return ""
    return session.dump(reason, stream)


def write_report(path: str, found: Optional[list] = None, fmt: Optional[str] = None) -> None:
    """JSON (what `lintlock check --runtime-report` reads), SARIF (.sarif) or text (.txt), written atomically."""
    found = findings() if found is None else found
    fmt = fmt or ("sarif" if path.endswith(".sarif") else "text" if path.endswith(".txt") else "json")
    session = Session.current
    if fmt == "sarif":
        text = json.dumps(output.sarif_document(found), indent=2)
    elif fmt == "text":
        text = "\n".join(output.text_lines(found)) + "\n"
    else:
        text = json.dumps(output.json_document(found, session.dumps if session else ()), indent=2)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text + ("" if text.endswith("\n") else "\n"))
    os.replace(temporary, path)
