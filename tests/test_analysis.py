"""Analysis properties that single testdata files cannot show."""

from __future__ import annotations

import inspect
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
    # a chain three times as deep as the recursion limit: a walk that recursed once per
    # call would fail. The limit is lowered for the run (to what the test's own frames
    # need plus 250): the same proof on a file a third as long as under the default limit.
    limit = len(inspect.stack(0)) + 250
    depth = limit * 3
    lines = ["import threading", "lock = threading.Lock()", "def f0():", "    with lock:", "        f1()"]
    for i in range(1, depth):
        lines += [f"def f{i}():", f"    f{i + 1}()"]
    lines += [f"def f{depth}():", "    with lock:", "        pass"]
    (tmp_path / "deep.py").write_text("\n".join(lines) + "\n")
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        [finding] = run([str(tmp_path)]).findings
    finally:
        sys.setrecursionlimit(previous)
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


def test_ll105_messages_say_what_is_lost(tmp_path):
    got = findings(
        tmp_path,
        {
            "pool.py": """
                import logging
                import threading

                slots = threading.Semaphore(4)
                mutex = threading.Lock()


                def borrow(work):
                    slots.acquire()
                    work()
                    slots.release()


                def timed(work):
                    if not mutex.acquire(timeout=1):
                        return
                    work()
                    mutex.release()


                def flush(handler: logging.Handler):
                    handler.acquire()
                    handler.flush()
                    handler.release()
            """,
        },
    )
    assert got == [
        (
            "pool.py",
            10,
            "LL105",
            "slots.acquire() is not followed by try/finally: if anything before slots.release() raises or returns early, that permit of the threading.Semaphore is never given back, and once every permit is lost, acquire() blocks. Use `with slots:` or try/finally",
        ),
        (
            "pool.py",
            16,
            "LL105",
            "mutex.acquire() is not followed by try/finally: if anything before mutex.release() raises or returns early, the threading.Lock stays held, and later acquires of it time out or block. Use try/finally",
        ),
        (
            "pool.py",
            23,
            "LL105",
            "handler.acquire() is not followed by try/finally: if anything before handler.release() raises or returns early, the threading.RLock of Handler stays held and every other thread that acquires it hangs forever. Use `with handler.lock:` or try/finally",
        ),
    ]


def test_semaphore_permit_handed_on_is_not_a_leak(tmp_path):
    source = """
        import threading

        class Sender:
            def __init__(self, transport):
                self._transport = transport
                self._slots = threading.BoundedSemaphore(8)

            def send(self, message):
                self._slots.acquire()
                if not self._transport.connected:
                    self._slots.release()
                    raise ConnectionError(message)
                self._transport.write(message, callback=self.done)

            def done(self, _result):
                self._slots.release()
    """
    assert findings(tmp_path, {"sender.py": source}) == []
    # released only by the function that acquires it, also on its normal path: a write that raises leaks the permit
    leaky = source.replace("self._transport.write(message, callback=self.done)", "self._transport.write(message)\n                self._slots.release()")
    leaky = leaky.replace("def done(self, _result):\n                self._slots.release()", "def done(self, _result):\n                pass")
    assert [(line, code) for _, line, code, _ in findings(tmp_path, {"sender.py": leaky})] == [(10, "LL105")]


def test_generator_runs_where_it_is_iterated(tmp_path):
    got = findings(
        tmp_path,
        {
            "table.py": """
                import threading

                class Table:
                    def __init__(self):
                        self._lock = threading.Lock()

                    def rows(self):
                        with self._lock:
                            yield 1

                    def created(self):
                        with self._lock:
                            it = self.rows()
                        return list(it)

                    def iterated(self):
                        with self._lock:
                            it = self.rows()
                            return list(it)
            """,
        },
    )
    assert [(line, code, message.split(";")[0]) for _, line, code, message in got] == [
        (20, "LL101", "iterating over it runs the generator's body while holding self._lock (acquired at line 18)"),
    ]


def test_try_acquire_guard_is_quiet_and_unfixed(tmp_path):
    """The branch under a successful try-acquire cannot run in a caller that holds the lock:
    no finding, so no fix that would remove the protection the guard exists for."""
    source = """
        import threading

        class Buffer:
            def __init__(self):
                self._lk = threading.Lock()

            def add(self):
                with self._lk:
                    self.maybe_flush()

            def maybe_flush(self):
                if self._lk.acquire(False):
                    self._lk.release()
                    self.flush()

            def flush(self):
                with self._lk:
                    pass
    """
    assert findings(tmp_path, {"buffer.py": source}) == []
    unguarded = source.replace("if self._lk.acquire(False):", "if self.ready():").replace("self._lk.release()", "pass")
    assert [(line, code) for _, line, code, _ in findings(tmp_path, {"buffer.py": unguarded})] == [(10, "LL101")]
