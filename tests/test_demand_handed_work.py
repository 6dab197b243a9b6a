"""On demand parses the files that decide LL103's handed-work shapes even when they say no lock word:
a subclass keeping futures in the base's collection, a subclass overriding the run() of a thread
class that joins itself. Asserted as on demand == --full, with the finding (or its absence) spelled out."""

from __future__ import annotations

import os
from pathlib import Path

from lintlock.config import Settings
from lintlock.pipeline import run

BATCH = """import threading
from concurrent.futures import ThreadPoolExecutor, wait


class Batch:
    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._futures = []

    def _work(self, n=0):
        with self._lock:
            return n

    def drain(self):
        with self._lock:
            wait(self._futures)
"""

# says no lock word: parsed only because it adds to a collection waited for under a lock
KEEPS_FUTURES = """from pkg.base import Batch


class Sub(Batch):
    def start(self, n):
        self._futures.append(self._pool.submit(self._work, n))
"""

JOINS_ITSELF = """import threading


class Base(threading.Thread):
    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()

    def run(self):
        with self._lock:
            pass

    def stop(self):
        with self._lock:
            self.join()
"""

# a subclass whose run() never takes the lock: the join may wait for it, so LL103 cannot claim a hang
QUICK_RUN = """from pkg.base import Base


class Quick(Base):
    def run(self):
        pass


def make():
    return Quick()
"""


def findings(root: Path, files: dict, full: bool) -> list:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return [(os.path.relpath(f.path, root), f.line, f.code) for f in run([str(root)], Settings(full=full)).findings]


def test_futures_kept_by_a_file_without_lock_words_are_followed_on_demand(tmp_path):
    files = {"pkg/__init__.py": "", "pkg/base.py": BATCH, "pkg/sub.py": KEEPS_FUTURES}
    expected = [(os.path.join("pkg", "base.py"), 17, "LL103")]
    assert findings(tmp_path, files, full=False) == expected
    assert findings(tmp_path, files, full=True) == expected


def test_futures_nobody_keeps_are_not_reported(tmp_path):
    files = {"pkg/__init__.py": "", "pkg/base.py": BATCH}
    assert findings(tmp_path, files, full=False) == []


def test_a_subclass_run_without_the_lock_in_a_file_without_lock_words_keeps_a_self_join_quiet(tmp_path):
    files = {"pkg/__init__.py": "", "pkg/base.py": JOINS_ITSELF, "pkg/quick.py": QUICK_RUN}
    assert findings(tmp_path, files, full=False) == []
    assert findings(tmp_path, files, full=True) == []


def test_a_thread_joining_itself_under_the_lock_its_run_takes_is_reported(tmp_path):
    files = {"pkg/__init__.py": "", "pkg/base.py": JOINS_ITSELF}
    assert findings(tmp_path, files, full=False) == [(os.path.join("pkg", "base.py"), 15, "LL103")]


CLIENT = """import threading
from concurrent.futures import Future


class Client:
    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}

    def call(self, key):
        fut = Future()
        with self._lock:
            self._pending[key] = fut
            return fut.result()

    def close(self, error):
        with self._lock:
            for fut in self._pending.values():
                fut.set_exception(error)
"""

# says no lock word: it completes the client's futures without the lock, so the wait can end
READER = """from pkg.client import Client


class Reader:
    def __init__(self, client: Client):
        self._client = client

    def on_reply(self, key, value):
        fut = self._client._pending.pop(key)
        fut.set_result(value)
"""


def test_a_completer_without_the_lock_in_a_file_without_lock_words_keeps_a_future_wait_quiet(tmp_path):
    files = {"pkg/__init__.py": "", "pkg/client.py": CLIENT, "pkg/reader.py": READER}
    assert findings(tmp_path, files, full=False) == []
    assert findings(tmp_path, files, full=True) == []


def test_a_future_every_completer_takes_under_the_lock_is_reported(tmp_path):
    files = {"pkg/__init__.py": "", "pkg/client.py": CLIENT}
    assert findings(tmp_path, files, full=False) == [(os.path.join("pkg", "client.py"), 14, "LL103")]


JOBS = """import threading
from concurrent.futures import ThreadPoolExecutor, wait


class Jobs:
    def __init__(self):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(2)
        self._futures = {}

    def _work(self, key):
        with self._lock:
            return key

    def drain(self):
        with self._lock:
            wait(self._futures.values())
"""

# says no lock word: parsed only because it stores into a dict whose values are waited for under a lock
KEEPS_IN_A_DICT = """from pkg.base import Jobs


class Sub(Jobs):
    def start(self, key):
        self._futures[key] = self._pool.submit(self._work, key)
"""


def test_futures_kept_in_a_dict_by_a_file_without_lock_words_are_followed_on_demand(tmp_path):
    files = {"pkg/__init__.py": "", "pkg/base.py": JOBS, "pkg/sub.py": KEEPS_IN_A_DICT}
    expected = [(os.path.join("pkg", "base.py"), 17, "LL103")]
    assert findings(tmp_path, files, full=False) == expected
    assert findings(tmp_path, files, full=True) == expected
