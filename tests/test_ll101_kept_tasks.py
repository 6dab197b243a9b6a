"""LL101 on asyncio tasks kept in an attribute and awaited as a collection under the lock they take
(`gather(*self._tasks)`, `asyncio.wait(self._tasks)`): the messages say which collection kept the task
and where it was stored (the cases and their expected lines are in testdata/valueflow/gathered_stored_tasks.py)."""

from __future__ import annotations

import os
from pathlib import Path

from lintlock.config import Settings
from lintlock.pipeline import run

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"

FLUSHER = """import asyncio


class Flusher:
    def __init__(self):
        self._lock = asyncio.Lock()
        self._tasks = []

    def schedule(self, n):
        self._tasks.append(asyncio.create_task(self._flush(n)))

    async def _flush(self, n):
        async with self._lock:
            pass

    async def drain(self):
        async with self._lock:
{before}            await asyncio.gather(*self._tasks, return_exceptions=True)
"""


def _messages(path: Path, full: bool = False):
    """(file, line, code, message) of the findings under `path`, analysed alone."""
    root = path if path.is_dir() else path.parent
    return [(os.path.relpath(f.path, root), f.line, f.code, f.message) for f in run([str(path)], Settings(full=full)).findings]


def test_tasks_kept_in_an_attribute_and_gathered_under_the_lock_they_take():
    found = _messages(TESTDATA / "valueflow" / "gathered_stored_tasks.py")
    # quiet: after the release, cancelled first (a loop, a comprehension), a coroutine without the lock,
    # another object's collection (typed or not), FIRST_COMPLETED, timeouts, emptied or replaced first
    assert [(line, code) for _, line, code, _ in found] == [
        (35, "LL101"),
        (39, "LL101"),
        (43, "LL101"),
        (47, "LL101"),
        (51, "LL101"),
        (57, "LL101"),
        (61, "LL101"),
        (126, "LL101"),
        (160, "LL101"),
    ]
    assert found[0][3] == (
        "`await asyncio.gather(*self._tasks)` runs Flusher._flush (a task kept in self._tasks, stored at line 18) while holding "
        "self._lock (acquired at line 34); Flusher._flush acquires self._lock again at line 27, and asyncio.Lock is not reentrant: "
        "this task waits for itself forever"
    )
    assert found[2][3].startswith("`await asyncio.gather(*self._by_key.values())` runs Flusher._flush (a task kept in self._by_key, stored at line 21)")
    assert found[3][3].startswith("`await asyncio.wait(self._tasks)` runs Flusher._flush (a task kept in self._tasks, stored at line 18)")
    # a subclass's method keeps the tasks, the base class gathers them
    assert found[7][3].startswith("`await asyncio.gather(*self._jobs)` runs Writer._write (a task kept in self._jobs, stored at line 135)")
    # a copy taken under the lock, the attribute cleared, the copy gathered (quiet: cancelled, emptied before the copy, rebound)
    assert found[8][3].startswith("`await asyncio.gather(*tasks)` runs Snapshot._flush (a task kept in self._tasks, stored at line 150)")


def test_tasks_cancelled_first_are_not_waited_for(tmp_path):
    case = tmp_path / "flusher.py"
    case.write_text(FLUSHER.format(before=""))
    assert [(line, code) for _, line, code, _ in _messages(case)] == [(18, "LL101")]
    # the shutdown idiom: every task cancelled, then gathered (each gets CancelledError where it waits for the lock)
    case.write_text(FLUSHER.format(before="            for task in self._tasks:\n                task.cancel()\n"))
    assert _messages(case) == []
    # another loop's variable cancelled: the tasks still run
    case.write_text(FLUSHER.format(before="            for task in self._other:\n                task.cancel()\n"))
    assert [(line, code) for _, line, code, _ in _messages(case)] == [(20, "LL101")]


def test_a_task_kept_by_a_subclass_in_a_file_without_locks_is_found_on_demand(tmp_path):
    package = tmp_path / "wr"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text(
        "import asyncio\n\n\nclass Writer:\n    def __init__(self):\n        self._lock = asyncio.Lock()\n        self._jobs = set()\n\n"
        "    async def close(self):\n        async with self._lock:\n            await asyncio.gather(*self._jobs)\n\n"
        "    async def _write(self):\n        async with self._lock:\n            pass\n"
    )
    (package / "sub.py").write_text(
        "import asyncio\n\nfrom wr.base import Writer\n\n\nclass BufferedWriter(Writer):\n    def write(self):\n"
        "        self._jobs.add(asyncio.create_task(self._write()))\n\n\ndef make():\n    return BufferedWriter()\n"
    )
    found = _messages(tmp_path)
    assert found == _messages(tmp_path, full=True)
    assert [(path, line, code) for path, line, code, _ in found] == [(os.path.join("wr", "base.py"), 11, "LL101")]
    kept = found[0][3].split("runs Writer._write (a task kept in self._jobs, stored at ", 1)[1]
    assert kept.split(")", 1)[0].endswith(os.path.join("wr", "sub.py") + ":8")
