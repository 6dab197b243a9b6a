"""Analysis properties that single testdata files cannot show."""
from __future__ import annotations

import sys
import textwrap

from lintlock.pipeline import run


def findings(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return [(f.path.replace(str(tmp_path) + "/", ""), f.line, f.code, f.message) for f in run([str(tmp_path)]).findings]


def test_deep_chain_has_no_recursion_limit(tmp_path):
    depth = sys.getrecursionlimit() * 3
    lines = ["import threading", "lock = threading.Lock()", "def f0():", "    with lock:", "        f1()"]
    for i in range(1, depth):
        lines += [f"def f{i}():", f"    f{i + 1}()"]
    lines += [f"def f{depth}():", "    with lock:", "        pass"]
    (tmp_path / "deep.py").write_text("\n".join(lines) + "\n")
    [finding] = run([str(tmp_path)]).findings
    assert (finding.line, finding.code) == (5, "LL101")
    assert f"it reaches f{depth} via f1 -> f2 -> " in finding.message
    assert finding.message.endswith(f"which acquires lock at line {len(lines) - 1} (threading.Lock is not reentrant: this thread waits for itself forever)")


def test_message_names_the_other_file(tmp_path):
    got = findings(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/locks.py": """
                import threading
                registry_lock = threading.Lock()
            """,
            "pkg/store.py": """
                from pkg.locks import registry_lock

                def save():
                    with registry_lock:
                        pass
            """,
            "pkg/api.py": """
                from . import locks, store

                def handle():
                    with locks.registry_lock:
                        store.save()
            """,
        },
    )
    assert got == [
        (
            "pkg/api.py",
            6,
            "LL101",
            "store.save() is called while holding locks.registry_lock (acquired at line 5); save acquires registry_lock "
            f"again at {tmp_path}/pkg/store.py:5, and threading.Lock is not reentrant: this thread waits for itself forever",
        )
    ]


def test_unparsable_callee_does_not_hide_other_files(tmp_path):
    got = findings(
        tmp_path,
        {
            "a.py": """
                import threading
                import b
                lock = threading.Lock()

                def outer():
                    with lock:
                        inner()

                def inner():
                    with lock:
                        b.broken()
            """,
            "b.py": "def broken(:\n",
        },
    )
    assert [(p, line, code) for p, line, code, _ in got] == [("a.py", 8, "LL101"), ("b.py", 1, "LL001")]


def test_mutual_recursion_reaches_fixed_point(tmp_path):
    got = findings(
        tmp_path,
        {
            "m.py": """
                import threading

                class Tree:
                    def __init__(self):
                        self._lock = threading.Lock()

                    def visit(self, n):
                        if n:
                            self.leave(n - 1)

                    def leave(self, n):
                        self.visit(n)

                    def walk(self):
                        with self._lock:
                            self.visit(3)

                    def unsafe(self):
                        self.visit(1)
                        with self._lock:
                            pass
            """
        },
    )
    assert got == []


def test_two_instances_of_one_class_are_not_a_self_deadlock(tmp_path):
    got = findings(
        tmp_path,
        {
            "bank.py": """
                import threading

                class Account:
                    def __init__(self):
                        self._lock = threading.Lock()
                        self.balance = 0

                    def deposit(self, amount):
                        with self._lock:
                            self.balance += amount

                    def transfer(self, other: "Account", amount):
                        with self._lock:
                            self.balance -= amount
                            other.deposit(amount)
            """
        },
    )
    assert got == []
