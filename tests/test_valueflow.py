"""Value flow (lintlock.program.valueflow): callbacks, constructor arguments, overrides,
across files, with the flow shown in the message."""

from __future__ import annotations

import textwrap

from lintlock.config import Settings
from lintlock.pipeline import run

HUB = """
import threading


class Hub:
    def __init__(self):
        self._lock = threading.Lock()
        self._listeners = []

    def subscribe(self, fn):
        self._listeners.append(fn)

    def count(self):
        with self._lock:
            return len(self._listeners)

    def notify(self):
        with self._lock:
            for fn in self._listeners:
                fn()
"""


def findings(tmp_path, files, full=False):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    args = [str(tmp_path)]
    outcome = run(args, Settings(full=True)) if full else run(args)
    return [(f.path.replace(str(tmp_path) + "/", ""), f.line, f.code, f.message) for f in outcome.findings]


def test_callback_registered_in_a_file_without_locks(tmp_path):
    """The registration lives in a file that says nothing about locks: the message names it."""
    app = """
    from pkg.hub import Hub


    def wire():
        hub = Hub()
        hub.subscribe(hub.count)
    """
    files = {"pkg/__init__.py": "", "pkg/hub.py": HUB, "pkg/app.py": app}
    found = findings(tmp_path, files, full=True)
    assert [(p, line, code) for p, line, code, _ in found] == [("pkg/hub.py", 20, "LL101")]
    assert found[0][3].startswith(
        f"fn() is called (fn is Hub.count, stored at {tmp_path}/pkg/app.py:7) while holding self._lock (acquired at line 18); "
        "Hub.count acquires self._lock again at line 14"
    )


def test_callback_of_another_object_is_no_self_deadlock(tmp_path):
    """`hub.subscribe(other.count)` with another Hub: the lock is not the same object."""
    app = """
    from pkg.hub import Hub


    def wire(other: Hub):
        hub = Hub()
        hub.subscribe(other.count)
    """
    files = {"pkg/__init__.py": "", "pkg/hub.py": HUB, "pkg/app.py": app}
    assert findings(tmp_path, files, full=True) == []


def test_callback_taking_another_lock_is_an_inversion(tmp_path):
    """The callback takes a second lock, and elsewhere that lock is held while publishing: LL102."""
    cache = """
    import threading
    from pkg.hub import Hub


    class Cache:
        def __init__(self, hub: Hub):
            self._lock = threading.Lock()
            self._hub = hub
            hub.subscribe(self.refresh)

        def refresh(self):
            with self._lock:
                pass

        def update(self):
            with self._lock:
                self._hub.notify()
    """
    files = {"pkg/__init__.py": "", "pkg/hub.py": HUB, "pkg/cache.py": cache}
    found = findings(tmp_path, files, full=True)
    assert [(p, line, code) for p, line, code, _ in found] == [("pkg/cache.py", 18, "LL102")]
    assert "path 2: Hub.notify holds Hub._lock" in found[0][3]
    assert "takes Cache._lock through fn() -> Cache.refresh (Cache.refresh stored at line 10) at line 13." in found[0][3]


def test_format_falls_back_to_repr(tmp_path):
    """`f"{self}"` with no __format__ or __str__ in the class: object's own run __repr__."""
    code = """
    import threading


    class Account:
        def __init__(self):
            self._lock = threading.Lock()

        def __repr__(self):
            with self._lock:
                return "Account"

        def log(self):
            with self._lock:
                print(f"{self}")
    """
    found = findings(tmp_path, {"account.py": code})
    assert [(line, code) for _, line, code, _ in found] == [(15, "LL101")]
    assert found[0][3].startswith("{self} (which calls __format__) runs while holding self._lock")


def test_demand_parses_the_registration(tmp_path):
    """On-demand parsing finds the same as --full when the callback is registered in a lock-free file."""
    app = """
    from pkg.hub import Hub


    def wire():
        hub = Hub()
        hub.subscribe(hub.count)
    """
    files = {"pkg/__init__.py": "", "pkg/hub.py": HUB, "pkg/app.py": app}
    assert findings(tmp_path, files) == findings(tmp_path, files, full=True)


def test_demand_parses_a_handler_that_only_says_self_lock(tmp_path):
    """`with self.lock:` in a logging.Handler subclass says neither "Lock" nor "acquire":
    the lock table's attribute names are learned, so on-demand parsing reads the file too."""
    from lintlock.pipeline import load

    (tmp_path / "main.py").write_text("import threading\n\nLOCK = threading.Lock()\n")
    (tmp_path / "handler.py").write_text(
        "import logging\n\n\nclass Quiet(logging.Handler):\n    def emit(self, record):\n        with self.lock:\n            pass\n"
    )
    (tmp_path / "generated.py").write_text("def f(lock):\n    with lock:\n        return 1\n")
    loaded = load([str(tmp_path)])
    assert "handler" in loaded.program.modules
    # the learned attribute name counts only as an attribute: a parameter named `lock` is not `self.lock`
    assert "generated" not in loaded.program.modules


def test_fact_sites_name_the_same_nodes_in_every_walk():
    """Facts number sites (stored values, lambdas, iterated containers, one-line bodies): the walk
    with positions and the fixer's site -> node map must agree on every number."""
    from pathlib import Path

    from lintlock.summarize import parse, site_nodes, summarize

    root = Path(__file__).resolve().parent.parent / "testdata"
    for case in sorted(root.glob("valueflow/*.py")) + [root / "ll101" / "one_line_bodies.py", root / "ll101" / "formatting.py"]:
        source = case.read_bytes()
        summary = summarize(source, str(case), "m", False, positions=True)
        tree = parse(source)
        nodes = site_nodes(tree, str(case), "m", False)
        assert len(nodes) == len(summary.positions), case
        for site, _, _, _, _, text in summary.positions:
            written = " ".join(tree.code_for_node(nodes[site]).split())
            if text.endswith("(...)"):  # a long call is named by what it calls (lintlock.summarize.sites)
                text, written = text[: -len("(...)")], written[: len(text) - len("(...)")]
            assert written[:40] == text[:40], (case, site)


def _messages(case, folder="valueflow"):
    """(line, code, message) of the findings in one testdata case (of testdata/valueflow by default), analysed alone."""
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "testdata" / folder / case
    return [(f.line, f.code, f.message) for f in run([str(path)]).findings]


def test_receiver_typed_by_value_flow_says_where_the_object_was_passed():
    found = _messages("constructed.py")
    assert [(line, code) for line, code, _ in found] == [(15, "LL101"), (25, "LL101"), (75, "LL101")]
    assert found[1][2] == (
        "self._backend.send(item) is called (self._backend is the HttpBackend passed at line 55) while holding "
        "self._backend._lock (acquired at line 23); HttpBackend.send acquires self._lock again at line 10, "
        "and threading.Lock is not reentrant: this thread waits for itself forever"
    )
    assert "(self._backend is the tcp_backend passed at line 94)" in found[2][2]
    assert "is the" not in found[0][2]  # self.send(): its class is written in the code


def test_work_handed_to_a_pool_or_thread_says_where_it_was_handed_over():
    found = _messages("executors.py")
    assert [(line, code) for line, code, _ in found] == [
        (30, "LL103"),
        (35, "LL103"),
        (41, "LL103"),
        (47, "LL103"),
        (77, "LL103"),
        (81, "LL103"),
        (96, "LL103"),
        (100, "LL103"),
    ]
    assert found[0][2] == (
        "future.result() blocks while holding self._lock (acquired at line 28) until the submitted call returns; "
        "but Pool._work (handed over at line 29) takes Pool._lock on its way (at line 16), so it waits for this "
        "thread to release it: neither ever proceeds"
    )
    assert "but the lambda (handed over at line 34) takes Pool._lock" in found[1][2]
    assert "until the thread finishes; but Pool._work (handed over at line 24) takes Pool._lock" in found[2][2]
    assert "but the lambda (handed over at line 44) takes Pool._lock" in found[3][2]
    assert found[4][2].startswith(
        "self._pool.map(self._work, items) blocks while holding self._lock (acquired at line 76) until each mapped call returns; "
        "but Pool._work takes Pool._lock on its way (at line 16)"
    )
    assert "but Pool._work (handed over at line 81) takes Pool._lock" in found[5][2]
    # a method of what the call returned: `pool.submit(...).result()`
    assert found[6][2].startswith(
        "self._pool.submit(functools.partial(self._work, 4)).result() blocks while holding self._lock (acquired at line 95) "
        "until the submitted call returns; but Pool._work (handed over at line 96) takes Pool._lock on its way (at line 16)"
    )


def test_coroutines_awaited_through_gather_run_under_the_held_asyncio_lock():
    found = _messages("awaited_tasks.py")
    assert [(line, code) for line, code, _ in found] == [(24, "LL101"), (28, "LL101"), (32, "LL101")]
    assert found[0][2] == (
        "self._flush() is called while holding self._lock (acquired at line 23); Session._flush acquires "
        "self._lock again at line 12, and asyncio.Lock is not reentrant: this task waits for itself forever"
    )


def test_tasks_and_coroutines_kept_in_a_name_run_where_they_are_awaited():
    found = _messages("awaited_later.py")
    assert [(line, code) for line, code, _ in found] == [
        (26, "LL101"),
        (31, "LL101"),
        (36, "LL101"),
        (40, "LL101"),
        (45, "LL101"),
        (52, "LL101"),
        (57, "LL101"),
        (105, "LL104"),  # a plain function's result awaited: it ran when it was called (no LL101 here)
        (120, "LL101"),  # leaving `async with asyncio.TaskGroup() as tg:` awaits the tasks made in it
        (161, "LL101"),  # `asyncio.timeout(None)` bounds nothing (`timeout(1)` does: quiet)
    ]
    assert found[0][2] == (
        "`await task` runs self._flush() (made at line 24) while holding self._lock (acquired at line 25); Session._flush "
        "acquires self._lock again at line 16, and asyncio.Lock is not reentrant: this task waits for itself forever"
    )
    assert found[4][2].startswith("`await asyncio.gather(*coros)` runs self._flush(n) (made at line 43) while holding self._lock (acquired at line 44)")
    assert found[5][2].startswith("`await asyncio.gather(*tasks)` runs self._flush(n) (made at line 50) while holding")
    assert found[6][2].startswith("`await asyncio.wait([pinging, asyncio.create_task(self._flush())])` runs self._flush() (made at line 57)")
    assert found[8][2].startswith("`asyncio.TaskGroup() as tg` runs self._flush() (made at line 121) while holding self._lock (acquired at line 119)")


def test_an_awaited_task_gets_no_fix():
    """`await task` is no call to move out of the lock or to point at a `_locked` variant."""
    from pathlib import Path

    from lintlock import pipeline

    path = Path(__file__).resolve().parent.parent / "testdata" / "valueflow" / "awaited_later.py"
    loaded = pipeline.load([str(path)])
    found = [d for d in pipeline.check(loaded, ("LL",), ()) if d.code == "LL101"]
    assert len(found) == 9
    assert [d.fix for d in found] == [None] * 9
    assert ("the coroutine made here" in [text for _, text in found[0].related]) is True


def test_futures_waited_for_by_wait_as_completed_and_shutdown():
    found = _messages("futures_wait.py", "ll103")
    assert [(line, code) for line, code, _ in found] == [(25, "LL103"), (30, "LL103"), (38, "LL103"), (44, "LL103")]
    assert found[0][2] == (
        "wait(fs) blocks while holding self._lock (acquired at line 23) until the submitted call returns; but Batch._work "
        "(handed over at line 24) takes Batch._lock on its way (at line 15), so it waits for this thread to release it: neither ever proceeds"
    )
    assert found[1][2].startswith("as_completed(fs) blocks while holding self._lock (acquired at line 29) until the submitted call returns")
    # two futures, one of them from work that takes the lock: wait() returns only when both are done
    assert "but Batch._work (handed over at line 42) takes Batch._lock" in found[3][2]

    found = _messages("executor_shutdown.py", "ll103")
    # quiet: shutdown(wait=False), the lock released first, another lock, a process pool, results collected before the lock
    assert [(line, code) for line, code, _ in found] == [(23, "LL103"), (31, "LL103"), (37, "LL103"), (90, "LL103"), (129, "LL103")]
    assert found[0][2].startswith(
        "leaving `with ThreadPoolExecutor(max_workers=2) as pool` blocks while holding self._lock (acquired at line 22) "
        "until the submitted call returns; but Jobs._work (handed over at line 25) takes Jobs._lock on its way (at line 14)"
    )
    assert found[1][2].startswith("pool.shutdown() blocks while holding self._lock (acquired at line 30) until the submitted call returns")
    # a pool in an attribute: submitted in another method
    assert found[3][2].startswith(
        "self._pool.shutdown() blocks while holding self._lock (acquired at line 89) until the submitted call returns; "
        "but Service._work (handed over at line 85) takes Service._lock on its way (at line 77)"
    )


def test_a_lock_handed_to_a_constructor_says_where_it_was_handed_over():
    found = _messages("lock_identity_handed.py")
    assert [(line, code) for line, code, _ in found] == [(18, "LL102"), (32, "LL101")]
    assert "path 2: Flusher.flush holds Buffer._lock (line 27; handed to Flusher() at line 38) and takes Sink._io" in found[0][2]
    assert found[1][2] == (
        "self.flush() is called while holding self._lock (acquired at line 31; it is the Buffer._lock handed to Flusher() "
        "at line 38); Flusher.flush acquires self._lock again at line 27, and threading.Lock is not reentrant: this thread "
        "waits for itself forever"
    )


def test_locks_in_a_dict_taken_again_by_the_same_key():
    found = _messages("lock_identity_dict_same_key.py")
    # quiet: another key, a key bound again (`=`, a `for` or comprehension target, `:=`), a key that may be the literal
    assert [(line, code) for line, code, _ in found] == [(23, "LL101"), (27, "LL101"), (32, "LL101"), (36, "LL101"), (80, "LL101")]
    assert found[0][2] == (
        "self._put(key, value) is called while holding self._locks[key] (acquired at line 22); Registry._put acquires "
        "self._locks[key] again at line 14, and threading.Lock is not reentrant: this thread waits for itself forever"
    )
    assert "while holding self._locks['meta'] (acquired at line 26); Registry._meta acquires self._locks['meta'] again" in found[1][2]
    # another key, a key assigned since, a key that may or may not be the literal: quiet (lock_identity_dict.py too)
    assert _messages("lock_identity_dict.py") == []


def test_an_element_key_is_the_key_as_written():
    import libcst as cst

    from lintlock.model import LockPath
    from lintlock.summarize.names import Names
    from lintlock.summarize.scope import Frame

    names = Names("m", False)
    function = cst.parse_module("def f(self, name):\n    pass\n").body[0]
    assert isinstance(function, cst.FunctionDef)
    frame = Frame(qualname="m.f", params=("self", "name"), node=function)
    frame.locals.update(frame.params)

    def element(text):
        node = cst.parse_expression(text)
        assert isinstance(node, cst.Subscript)
        return names.element(node, frame)

    assert element("self._locks[name]") == LockPath("self", ("_locks",), key="name")
    assert element("self._locks['meta']") == LockPath("self", ("_locks",), key="'meta'")
    assert element('self._locks["meta"]') == LockPath("self", ("_locks",), key="'meta'")
    assert element("self._locks[3]") == LockPath("self", ("_locks",), key="3")
    assert element("self._locks[name]").text() == "self._locks[name]"
    assert element("self._locks[name.lower()]") is None  # computed: not followed
    assert element("self._locks[a, b]") is None
    assert element("self._locks[1:2]") is None
    assert element("self._locks[OTHER]") is None  # a global: not followed
    assert element(r'self._locks["\N{NO SUCH NAME}"]') is None  # libcst parses it, Python would not: no crash


def test_a_lock_class_given_as_a_parameter_default():
    """`lock_cls=threading.Lock` then `self._lock = lock_cls()`: a Lock, unless some caller passes another class."""
    found = _messages("lock_class_default.py")
    assert [(line, code) for line, code, _ in found] == [(17, "LL101"), (31, "LL101")]
    assert "Waiter._peek acquires self._cond again at line 26, and threading.Lock (the default of lock_cls in Waiter.__init__) is not reentrant" in found[1][2]


def test_a_default_passed_by_any_caller_is_not_the_lock(tmp_path):
    """The same class, built once with `lock_cls=threading.RLock` (by keyword or by position): quiet."""
    pool = """
    import threading


    class Pool:
        def __init__(self, lock_cls=threading.Lock):
            self._lock = lock_cls()

        def _get(self):
            with self._lock:
                pass

        def get_twice(self):
            with self._lock:
                self._get()
    """
    assert [(p, line, code) for p, line, code, _ in findings(tmp_path / "a", {"pool.py": pool})] == [("pool.py", 15, "LL101")]
    built = pool + "\n\n    def build():\n        return Pool(threading.RLock)\n"
    assert findings(tmp_path / "b", {"pool.py": built}) == []


def test_a_wait_for_several_futures_or_coroutines_is_reported_once(tmp_path):
    """`pool.shutdown()` after two submits of work taking the lock, `gather(*coros)` of two coroutines
    taking it: one finding each, at the wait."""
    jobs = """
    import asyncio
    import threading
    from concurrent.futures import ThreadPoolExecutor


    class Jobs:
        def __init__(self):
            self._lock = threading.Lock()
            self._alock = asyncio.Lock()

        def _work(self, n):
            with self._lock:
                return n

        async def _co(self, n):
            async with self._alock:
                return n

        def shutdown(self):
            pool = ThreadPoolExecutor()
            pool.submit(self._work, 1)
            pool.submit(self._work, 2)
            with self._lock:
                pool.shutdown()

        async def gather(self):
            coros = [self._co(1), self._co(2)]
            async with self._alock:
                await asyncio.gather(*coros)
    """
    found = findings(tmp_path, {"jobs.py": jobs})
    assert [(line, code) for _, line, code, _ in found] == [(25, "LL103"), (30, "LL101")]


def test_callbacks_put_in_a_container_by_a_literal():
    found = _messages("callbacks_literal.py")
    assert [(line, code) for line, code, _ in found] == [(23, "LL101"), (28, "LL101")]
    assert found[0][2].startswith("self._handlers[name]() is called (self._handlers[name] is Router._flush, stored at line 10) while holding self._lock")
    assert found[1][2].startswith("hook() is called (hook is Router._flush, stored at line 11)")


def test_a_task_kept_in_an_attribute_runs_where_it_is_awaited():
    found = _messages("awaited_stored_task.py")
    # quiet: cancelled first, awaited after the release, another lock, `if self._task.done():` (it returns at once)
    assert [(line, code) for line, code, _ in found] == [(32, "LL101"), (37, "LL101"), (55, "LL101"), (59, "LL101")]
    assert found[2][2].startswith("`await asyncio.gather(self._pinger, self._task)` runs Service._run (the task stored at line 26)")
    assert found[0][2] == (
        "`await self._task` runs Service._run (the task stored at line 26) while holding self._lock (acquired at line 31); "
        "Service._run acquires self._lock again at line 18, and asyncio.Lock is not reentrant: this task waits for itself forever"
    )
    assert found[1][2].startswith("`await task` runs Service._run (the task stored at line 28) while holding self._lock")


def test_bindings_of_a_name_in_a_function():
    import libcst as cst

    from lintlock.summarize.bindings import binding_count

    source = """
def f(key, deps):
    a = 1
    for key in deps:
        pass
    [key for key in deps]
    if (key := 1):
        pass
    with open(a) as key, open(a) as other:
        pass
    try:
        pass
    except OSError as key:
        pass
    key += 1
    (x, [key, *rest]) = deps
    del key
    import key
    import os.path as key
    def key():
        key = 2
    lambda key: key
"""
    function = cst.parse_module(source).body[0]
    assert isinstance(function, cst.FunctionDef)
    assert binding_count(function, "key") == 11  # not the nested def's own `key = 2`, nor the lambda's parameter
    assert binding_count(function, "a") == 1
    assert binding_count(function, "deps") == 0


def test_a_lock_handed_to_a_helper_this_object_keeps():
    """`self._flusher = Flusher(self._lock)`, Flusher keeping it as `self._lock`: the same lock (triage miss_1)."""
    found = _messages("lock_identity_handed_back.py")
    assert [(line, code) for line, code, _ in found] == [(24, "LL101")]  # quiet: reassigned later, built with another lock, built elsewhere
    assert found[0][2].startswith(
        "self._flusher.flush() is called while holding self._lock (acquired at line 23); Flusher.flush acquires self._lock again at line 13 "
        "(it is the Buffer._lock handed to Flusher() at line 20), and threading.Lock is not reentrant"
    )


def test_a_lock_kind_is_what_every_built_subclass_binds():
    """Base's `self._lock` on a Tolerant (the class the program builds) is an RLock: no claim (triage fp_7)."""
    found = _messages("lock_kind_subclass.py")
    assert [(line, code) for line, code, _ in found] == [(45, "LL101")]  # Strict: its built subclass binds a Lock again
