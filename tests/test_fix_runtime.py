"""The fixed cases run: the hang is gone and the result is what the code meant.

Each case in testdata/fixes/ with a `scenario()` is executed three ways:
the original with a lock that raises instead of hanging when its holder asks
again (it must: that is the self-deadlock), the original with an RLock (what
the code meant to compute), and the fixed file with the real threading.Lock,
in a thread with a timeout (it must finish, with the same result).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

FIXES = Path(__file__).resolve().parent.parent / "testdata" / "fixes"
CASES = sorted(p for p in FIXES.glob("*.py") if "\ndef scenario():" in p.read_text() and p.with_name(p.name + ".fixed").exists())
HANG_TIMEOUT = 30  # seconds: generous, never a timing assertion; a hang never finishes


class Reentered(Exception):
    """The thread holding the lock asked for it again: with a real Lock, it would hang here."""


class CheckedLock:
    """A non-reentrant lock that raises instead of hanging when its holder blocks on it again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner = None

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if blocking and self._owner == threading.get_ident():
            raise Reentered
        acquired = self._lock.acquire(blocking, timeout)
        if acquired:
            self._owner = threading.get_ident()
        return acquired

    def release(self) -> None:
        self._owner = None
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def scenario_result(source: str, lock_factory, name: str):
    """Run the file's scenario() with every `threading.Lock()` made by lock_factory."""
    assert source.count("threading.Lock()") >= 1
    namespace = {"__name__": f"fix_case_{name}", "_lock_for_test": lock_factory}
    exec(compile(source.replace("threading.Lock()", "_lock_for_test()"), name, "exec"), namespace)
    return namespace["scenario"]()


def in_thread(function):
    """function() on another thread; fails if it has not finished within HANG_TIMEOUT."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except BaseException as error:  # re-raised below, in the test's thread
            outcome["error"] = error

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(HANG_TIMEOUT)
    assert not worker.is_alive(), "the scenario hangs"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_every_new_shape_has_a_scenario():
    assert {p.stem for p in CASES} >= {
        "loop",
        "flags",
        "tail_whole",
        "split_handler",
        "split_registry",
        "split_with_self",
        "split_kinds",
        "split_chain",
        "split_existing",
        "split_decorator",
        "split_augmented",
        "split_property_call",
    }


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_the_fix_removes_the_hang_and_keeps_the_result(case):
    original = case.read_text(encoding="utf-8")
    fixed = case.with_name(case.name + ".fixed").read_text(encoding="utf-8")
    with pytest.raises(Reentered):
        scenario_result(original, CheckedLock, case.name)
    meant = scenario_result(original, threading.RLock, case.name)
    assert in_thread(lambda: scenario_result(fixed, threading.Lock, case.name)) == meant
    assert scenario_result(fixed, CheckedLock, case.name) == meant  # no re-entry anywhere on its path


def modules_result(sources, lock_factory, main: str):
    """Run `main`'s scenario() with `sources` ({module: source}) importable by name."""
    import sys
    import types

    saved = {name: sys.modules.get(name) for name in sources}
    try:
        for name in sources:
            module = types.ModuleType(name)
            module.__dict__["_lock_for_test"] = lock_factory
            sys.modules[name] = module
        for name, source in sorted(sources.items(), key=lambda item: item[0] == main):  # the scenario's module last
            exec(compile(source.replace("threading.Lock()", "_lock_for_test()"), name, "exec"), sys.modules[name].__dict__)
        return sys.modules[main].scenario()
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def test_the_split_across_files_removes_the_hang_and_keeps_the_result():
    folder = FIXES / "across"
    original = {p.stem: p.read_text(encoding="utf-8") for p in folder.glob("*.py")}
    fixed = {p.name.split(".")[0]: p.read_text(encoding="utf-8") for p in folder.glob("*.py.fixed")}
    assert sorted(fixed) == sorted(original)
    with pytest.raises(Reentered):
        modules_result(original, CheckedLock, "across_cache")
    meant = modules_result(original, threading.RLock, "across_cache")
    assert in_thread(lambda: modules_result(fixed, threading.Lock, "across_cache")) == meant
    assert modules_result(fixed, CheckedLock, "across_cache") == meant
