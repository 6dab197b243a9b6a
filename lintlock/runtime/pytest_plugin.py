"""pytest plugin (the `pytest11` entry point): `pytest --lintlock-runtime` tracks the locks the tests take.

Installing lintlock loads this module in every pytest run; without the flag it
only declares its options: nothing is patched and no thread is started.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Optional, Tuple

import pytest

if TYPE_CHECKING:
    from .dump import Watchdog

ACTIVE = "lintlock-runtime"


def pytest_addoption(parser):
    group = parser.getgroup("lintlock", "lintlock.runtime: track lock order and self-deadlocks while the tests run")
    group.addoption("--lintlock-runtime", action="store_true", default=False, help="Track threading locks; report LL101/LL102/LL103 observed at runtime.")
    group.addoption(
        "--lintlock-report", metavar="FILE", default=None, help="Write what was observed to FILE (.json for `lintlock check --runtime-report`, .sarif, .txt)."
    )
    group.addoption("--lintlock-fail", action="store_true", default=False, help="Fail the session when something was observed.")
    group.addoption(
        "--lintlock-hang-timeout",
        type=float,
        metavar="SECONDS",
        default=None,
        help="Dump every thread (and interrupt the run) when one test runs longer than this.",
    )
    group.addoption("--lintlock-on-self-deadlock", choices=["raise", "block"], default="raise", help="raise DeadlockError (default) or report and block.")
    group.addoption(
        "--lintlock-grace",
        type=float,
        metavar="SECONDS",
        default=1.0,
        help="How long a self-deadlock waits for a hand-off by another thread first (default 1).",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # before conftest.py files import the project: its module-level locks get tracked
    if getattr(early_config.known_args_namespace, "lintlock_runtime", False):
        _activate(early_config, early_config.known_args_namespace)


def pytest_configure(config):
    if config.getoption("lintlock_runtime") and not config.pluginmanager.has_plugin(ACTIVE):
        _activate(config, config.option)


def _activate(config, options) -> None:
    from . import install, installed

    owner = installed() is None  # an outer session (pytester, a conftest's install()) keeps its own
    install(on_self_deadlock=options.lintlock_on_self_deadlock, grace=options.lintlock_grace, at_exit=False)
    config.pluginmanager.register(RuntimePlugin(owner), ACTIVE)


def _interrupt_main() -> None:
    """KeyboardInterrupt in the main thread, even while it is blocked in a lock or a join.

    A real SIGINT wakes a blocked acquire (POSIX); _thread.interrupt_main()
    only takes effect when the main thread next runs Python code.
    """
    import os
    import signal

    if hasattr(signal, "pthread_kill"):
        os.kill(os.getpid(), signal.SIGINT)
    else:
        import _thread

        _thread.interrupt_main()


def _let_sigint_interrupt() -> None:
    """The watchdog ends a stuck test with SIGINT: a process started with SIGINT
    ignored (a background job of a shell script, some CI runners) would never
    see it, so the hang timeout the user asked for restores Python's handler.
    Runs in pytest's main thread, the only one allowed to set handlers."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


class RuntimePlugin:
    """Registered only with --lintlock-runtime."""

    def __init__(self, owner: bool = True) -> None:
        self.owner = owner
        self.report = None
        self.fail = False
        self.hang_timeout: Optional[float] = None
        self.test: Optional[Tuple[str, float]] = None  # (nodeid, start)
        self.capture = None
        self.watchdog: Optional[Watchdog] = None
        self.findings: list = []

    def pytest_sessionstart(self, session):
        config = session.config
        self.capture = config.pluginmanager.getplugin("capturemanager")
        self.report = config.getoption("lintlock_report")
        self.fail = config.getoption("lintlock_fail")
        self.hang_timeout = config.getoption("lintlock_hang_timeout")
        if self.hang_timeout:
            from .dump import Watchdog

            _let_sigint_interrupt()
            self.watchdog = Watchdog(min(self.hang_timeout / 4, 1.0), self._stalled, self._hang)

    def _stalled(self):
        test = self.test
        if test is not None and self.hang_timeout is not None and time.monotonic() - test[1] > self.hang_timeout:
            return f"test {test[0]} has run for more than {self.hang_timeout:g} s"
        return None

    def _hang(self, reason: str) -> None:
        from . import hang_dump

        if self.capture is not None:
            # the test's output is being captured, and is lost on interruption: write past it
            with self.capture.global_and_fixture_disabled():
                hang_dump(reason)
        else:
            hang_dump(reason)
        _interrupt_main()  # ends the stuck run with pytest's summary (and ours)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        from . import installed

        tracker = installed()
        self.test = (item.nodeid, time.monotonic())
        if tracker is not None:
            tracker.context = item.nodeid  # findings and order edges say which test they come from
        yield
        self.test = None
        if tracker is not None:
            tracker.context = ""

    def pytest_sessionfinish(self, session, exitstatus):
        from . import findings, write_report

        self.findings = findings()
        if self.report:
            write_report(self.report, self.findings)
        if self.fail and self.findings and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter):
        from . import installed
        from .findings import text_lines

        tracker = installed()
        classes, edges = tracker.stats() if tracker is not None else (0, 0)
        for error in tracker.internal_errors if tracker is not None else ():
            terminalreporter.write_line(f"lintlock runtime: internal error, tracking is incomplete: {error}")
        if not self.findings:
            terminalreporter.write_sep("=", f"lintlock runtime: no lock-order problem observed ({classes} lock classes, {edges} orders)")
            return
        terminalreporter.write_sep("=", f"lintlock runtime: {len(self.findings)} problem{'s' if len(self.findings) != 1 else ''} observed", red=True)
        for line in text_lines(self.findings):
            terminalreporter.write_line(line)

    def pytest_unconfigure(self, config):
        from . import uninstall

        if self.watchdog is not None:
            self.watchdog.stop()
        if self.owner:
            uninstall()
