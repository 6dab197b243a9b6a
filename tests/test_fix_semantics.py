"""Every safe fix keeps what a single thread computes: combinations of caller and callee shapes.

Each generated class has a lock, a `log` every method appends to, and a caller that
reaches a callee taking the lock again. `--fix` (safe fixes only) runs on it; when it
changes the file, the original run with an RLock (what the code meant) and the fixed
run with the real Lock must give the same log and result, and the fixed one must never
ask for a lock its thread holds.
"""

from __future__ import annotations

import itertools
import textwrap
import threading

import pytest
from test_fix_runtime import CheckedLock, in_thread, scenario_result

from lintlock.config import Settings
from lintlock.pipeline import fix

CALLEES = {
    "with": "def g(self, x):\n    with self._lock:\n        self.log.append(('g', x))\n        return len(self.log)\n",
    "acquire": "def g(self, x):\n    self._lock.acquire()\n    try:\n        self.log.append(('g', x))\n        return len(self.log)\n    finally:\n        self._lock.release()\n",
    "outside": "def g(self, x):\n    self.log.append(('before', x))\n    with self._lock:\n        self.log.append(('g', x))\n        return len(self.log)\n",
    "property": "@property\ndef g_value(self):\n    with self._lock:\n        self.log.append(('g', None))\n        return len(self.log)\n\ndef g(self, x):\n    return self.g_value\n",
    "dunder": "def __len__(self):\n    with self._lock:\n        self.log.append('len')\n        return len(self.log)\n\ndef g(self, x):\n    return len(self)\n",
    "classmethod": "@classmethod\ndef g(cls, x, scale=2):\n    with cls._class_lock:\n        cls.calls.append(x * scale)\n        return len(cls.calls)\n",
    "decorated": "@locked\ndef g(self, x, *rest):\n    self.log.append(('g', x) + rest)\n    return len(self.log)\n",
}
PRELUDE = "def locked(method):\n    def wrapper(self, *args):\n        with self._lock:\n            return method(self, *args)\n\n    return wrapper\n\n\n"
CALLERS = {
    "tail": "with self._lock:\n    self.log.append('a')\n    self.g(x)\n",
    "whole": "with self._lock:\n    self.g(x)\n",
    "result": "with self._lock:\n    y = self.g(x)\n    self.log.append(y)\n",
    "before_other": "with self._lock:\n    self.g(x)\n    self.log.append('after')\n",
    "branch": "with self._lock:\n    self.log.append('a')\n    if x:\n        self.g(x)\n",
    "branch_return": "with self._lock:\n    if x:\n        self.g(x)\n        return 'early'\n    self.log.append('late')\n",
    "handler": "with self._lock:\n    try:\n        self.log.append(1 / x)\n    except ZeroDivisionError:\n        self.g(x)\n",
    "try_body": "with self._lock:\n    try:\n        self.g(x)\n    except ValueError:\n        pass\n",
    "loop": "with self._lock:\n    for i in range(x):\n        self.g(i)\n",
    "loop_reads": "with self._lock:\n    for i in range(x):\n        self.log.append(i)\n        if len(self.log) < 9:\n            self.g(i)\n",
    "property_read": "with self._lock:\n    return self.g_value\n",
}


def program(callee: str, caller: str) -> str:
    body = textwrap.indent(CALLERS[caller], "        ")
    if callee == "classmethod":
        body = body.replace("self._lock", "self._class_lock")
    return (
        "import threading\n\n\n"
        + PRELUDE
        + "class Subject:\n    _class_lock = threading.Lock()\n    calls = []\n\n    def __init__(self):\n        self._lock = threading.Lock()\n        self.log = []\n\n"
        + textwrap.indent(CALLEES[callee], "    ")
        + "\n    def run(self, x):\n"
        + body
        + "        return None\n\n\ndef scenario():\n    results = []\n    for x in (0, 1, 3):\n"
        "        subject = Subject()\n        Subject.calls = []\n        results.append((subject.run(x), subject.log, Subject.calls))\n    return results\n"
    )


CASES = [(callee, caller) for callee, caller in itertools.product(CALLEES, CALLERS) if (caller == "property_read") == (callee == "property")]


@pytest.fixture(scope="module")
def fixed_programs(tmp_path_factory):
    """(source, fix outcome) of each case, made once for the tests of this module."""
    outcomes = {}

    def fixed(callee: str, caller: str):
        if (callee, caller) not in outcomes:
            source = program(callee, caller)
            path = tmp_path_factory.mktemp("subject") / "subject.py"
            path.write_text(source)
            outcomes[callee, caller] = (source, fix([str(path)], Settings()))
        return outcomes[callee, caller]

    return fixed


@pytest.mark.parametrize("callee, caller", CASES)
def test_a_safe_fix_keeps_what_the_code_computes(callee, caller, fixed_programs):
    source, outcome = fixed_programs(callee, caller)
    if not outcome.new_sources:
        return  # no safe fix: nothing to compare
    [(_, _, fixed)] = outcome.new_sources
    meant = scenario_result(source, threading.RLock, "original")
    assert in_thread(lambda: scenario_result(fixed.decode(), threading.Lock, "fixed")) == meant
    assert scenario_result(fixed.decode(), CheckedLock, "fixed") == meant


def test_most_combinations_get_a_safe_fix(fixed_programs):
    fixed = sum(bool(fixed_programs(callee, caller)[1].new_sources) for callee, caller in CASES)
    assert fixed >= len(CASES) * 3 // 4
