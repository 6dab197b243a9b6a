"""lintlock.runtime in process: tracked locks behave as the real ones, the tracker's findings, merging.

Each test installs the tracker and uninstalls it afterwards (the `tracked`
fixture); threads are joined with timeouts so that a bug fails, not hangs.
"""

from __future__ import annotations

import _thread
import json
import os
import queue
import random
import sys
import threading

import pytest

from lintlock import runtime
from lintlock.problems import Finding
from lintlock.runtime.merge import CONFIRMED, merge_runtime_report


def fresh_install(**options):
    if runtime.installed() is not None:
        pytest.skip("this session itself runs under lintlock.runtime (--lintlock-runtime)")
    return runtime.install(signals=False, at_exit=False, **options)


@pytest.fixture
def tracked():
    tracker = fresh_install(grace=0.2)
    try:
        yield tracker
    finally:
        runtime.uninstall()


def run_thread(target, *args):
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "the thread hung"


def codes(tracker):
    return [f.code for f in tracker.findings()]


def test_uninstall_restores_threading():
    original = (threading.Lock, threading.RLock, threading.Condition, threading.Semaphore, threading.BoundedSemaphore, threading.Thread.join, queue.Queue.get)
    fresh_install()
    assert threading.Lock is not original[0]
    lock = threading.Lock()
    runtime.uninstall()
    assert (
        threading.Lock,
        threading.RLock,
        threading.Condition,
        threading.Semaphore,
        threading.BoundedSemaphore,
        threading.Thread.join,
        queue.Queue.get,
    ) == original
    with lock:  # a tracked lock outlives the installation
        assert lock.locked()
    assert isinstance(threading.Lock(), _thread.LockType)


def test_locks_made_before_install_and_by_the_stdlib_stay_real(tracked):
    event = threading.Event()
    assert isinstance(event._cond._lock, _thread.LockType)
    assert type(queue.Queue().mutex) is _thread.LockType
    assert type(threading.Lock()).__name__ == "TrackedLock"


def test_tracked_locks_answer_as_the_real_ones(tracked):
    lock = threading.Lock()
    assert lock.acquire() is True and lock.locked()
    assert lock.acquire(False) is False
    assert lock.acquire(timeout=0.01) is False
    with pytest.raises(ValueError):
        lock.acquire(False, 1)  # noqa: LL105 (raises)
    lock.release()
    with pytest.raises(RuntimeError):
        lock.release()
    rlock = threading.RLock()
    with rlock:
        with rlock:
            assert rlock._is_owned()
    with pytest.raises(RuntimeError):
        rlock.release()
    outcome = []
    with rlock:
        run_thread(lambda: outcome.append(rlock.acquire(timeout=0.01)))
    assert outcome == [False]
    semaphore = threading.BoundedSemaphore(2)
    assert semaphore.acquire() and semaphore.acquire() and not semaphore.acquire(timeout=0.01)
    semaphore.release()
    semaphore.release()
    with pytest.raises(ValueError):
        semaphore.release()
    assert tracked.findings() == []


@pytest.mark.parametrize("make_lock", [lambda: None, threading.Lock, threading.RLock], ids=["default", "Lock", "RLock"])
def test_condition_wait_releases_and_retakes(tracked, make_lock):
    made = make_lock()
    cond = threading.Condition(made) if made is not None else threading.Condition()
    items = []

    def consume():
        with cond:
            assert cond.wait_for(lambda: items, timeout=10)
            items.pop()

    consumer = threading.Thread(target=consume, daemon=True)
    consumer.start()
    with cond:
        items.append(1)
        cond.notify_all()
    consumer.join(timeout=10)
    assert not consumer.is_alive() and items == []
    state = tracked.state()
    assert state.held == []
    assert tracked.findings() == []


def test_self_deadlock_raises_with_both_stacks(tracked):
    lock = threading.Lock()
    with lock:
        with pytest.raises(runtime.DeadlockError) as raised:
            lock.acquire()  # noqa: LL101 (the point of the test)
    [finding] = tracked.findings()
    assert finding.code == "LL101" and finding.lock == "test_self_deadlock_raises_with_both_stacks.lock"
    assert str(raised.value).startswith(f"tests/test_runtime.py:{finding.line}: observed at runtime: thread MainThread asks for")
    assert [s.label for s in finding.stacks] == [
        "first acquisition of test_self_deadlock_raises_with_both_stacks.lock (thread MainThread)",
        "second acquisition of test_self_deadlock_raises_with_both_stacks.lock (thread MainThread)",
    ]
    assert finding.stacks[0].frames[-1].line == finding.line - 2
    assert not lock.locked()  # nothing was released on the program's behalf: the `with` did it


def test_block_mode_reports_then_waits_as_asked(tmp_path):
    fresh_install(on_self_deadlock="block", grace=0.05)
    try:
        lock = threading.Lock()
        done = []

        def twice():
            lock.acquire()
            lock.acquire()  # blocks: a hand-off by another thread is what ends it
            done.append(True)

        worker = threading.Thread(target=twice, daemon=True)
        worker.start()
        worker.join(timeout=0.5)
        assert worker.is_alive() and [f.code for f in runtime.findings()] == ["LL101"]
        lock.release()  # the program's own hand-off
        worker.join(timeout=10)
        assert done == [True]
    finally:
        runtime.uninstall()


def test_handed_off_lock_is_no_self_deadlock(tracked):
    signal = threading.Lock()
    signal.acquire()  # noqa: LL105 (a signal, released by the timer)
    threading.Timer(0.01, signal.release).start()
    assert signal.acquire(timeout=10)
    signal.release()
    assert tracked.findings() == []


def test_inversion_in_two_threads_at_different_times(tracked):
    a = threading.Lock()
    b = threading.Lock()

    def ab():
        with a:
            with b:
                pass

    def ba():
        with b:
            with a:
                pass

    for _ in range(50):  # seen many times, stored once
        run_thread(ab)
    run_thread(ba)
    [finding] = tracked.findings()
    assert finding.code == "LL102"
    assert finding.message.startswith(
        "observed at runtime: lock-order inversion between test_inversion_in_two_threads_at_different_times.a and test_inversion_in_two_threads_at_different_times.b"
    )
    assert len(tracked._edges) == 2


def test_gate_lock_and_reentry_are_no_inversion(tracked):
    gate, left, right = threading.Lock(), threading.Lock(), threading.RLock()

    def one():
        with gate:
            with left:
                with right:
                    pass

    def two():
        with gate:
            with right:
                with left:
                    pass

    run_thread(one)
    run_thread(two)
    with right:
        with right:
            pass
    assert tracked.findings() == []


def test_three_lock_cycle(tracked):
    locks = [threading.Lock(), threading.Lock(), threading.Lock()]

    def take(first, second):
        with locks[first]:
            with locks[second]:
                pass

    run_thread(take, 0, 1)
    run_thread(take, 1, 2)
    assert tracked.findings() == []
    run_thread(take, 2, 0)
    [finding] = tracked.findings()
    assert finding.code == "LL102" and finding.message.count("path ") == 3


def test_join_under_a_lock_the_thread_takes(tracked):
    lock = threading.Lock()
    started = threading.Event()
    proceed = threading.Event()

    def worker():
        started.set()
        proceed.wait(10)
        with lock:  # taken after the join began: reported here, before it blocks
            pass

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    started.wait(10)

    def stop():
        with lock:
            proceed.set()
            thread.join(timeout=None) if False else thread.join(0.3)

    stop()  # a join with a timeout is not a deadlock: nothing yet
    assert tracked.findings() == []
    thread.join(10)
    with lock:
        thread.join()  # the thread has taken the lock in its life: reported
    [finding] = tracked.findings()
    assert finding.code == "LL103" and "Thread.join()" in finding.message and "takes test_join_under_a_lock_the_thread_takes.lock" in finding.message


def test_tracker_under_stress_stays_consistent(tracked):
    """Many threads, random nesting in one global order, conditions: no finding, no hang, nothing left held."""
    locks = [threading.Lock() for _ in range(3)] + [threading.RLock() for _ in range(3)]
    cond = threading.Condition(threading.Lock())
    counter = []

    def work(seed):
        rng = random.Random(seed)
        for _ in range(300):
            chosen = sorted(rng.sample(range(len(locks)), rng.randint(1, 3)))
            for index in chosen:
                locks[index].acquire()
            with cond:
                counter.append(1)
                cond.notify_all()
            for index in reversed(chosen):
                locks[index].release()

    threads = [threading.Thread(target=work, args=(seed,), daemon=True) for seed in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert len(counter) == 16 * 300
    assert tracked.findings() == []
    assert all(not state.held for state in tracked.states().values())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_fork_child_starts_clean(tracked):
    lock = threading.Lock()
    holder_has_it = threading.Event()
    release = threading.Event()

    def hold():
        with lock:
            holder_has_it.set()
            release.wait(10)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    holder_has_it.wait(10)
    pid = os.fork()
    if pid == 0:  # the child: only this thread exists; its tracking works
        status = 0 if set(tracked.states()) <= {threading.get_ident()} else 1
        mine = threading.Lock()
        with mine:
            status = status or (0 if len(tracked.state().held) == 1 else 2)
        os._exit(status)
    release.set()
    holder.join(10)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0


def test_waits_without_locks_cost_nothing(tracked):
    events = [threading.Event() for _ in range(100)]
    for event in events:
        event.set()
        event.wait()
    assert tracked._by_id == {}


# -- merging with the static findings ------------------------------------------------------


def static(path, line, code="LL102", message="lock-order inversion between a and b"):
    return Finding(path, line, 5, line, 20, code, message)


def report(tmp_path, findings, root=None):
    path = tmp_path / "runtime.json"
    document = {"version": 1, "tool": "lintlock.runtime", "observed": True, "root": str(root or tmp_path), "findings": findings}
    path.write_text(json.dumps(document))
    return str(path)


def observed(path, line, code="LL102", frames=()):
    return {
        "path": path,
        "line": line,
        "column": 9,
        "end_line": line,
        "end_column": 9,
        "code": code,
        "message": "observed at runtime: lock-order inversion between m.A and m.B",
        "lock": "m.A",
        "chain": [],
        "fix": None,
        "related": [],
        "stacks": [{"label": "path 1: m.A taken (thread T)", "frames": [{"path": p, "line": n, "column": 5, "function": "f"} for p, n in frames]}],
    }


def test_merge_confirms_matching_static_findings_and_adds_runtime_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    findings = [static("src/m.py", 9), static("src/m.py", 40), static("src/m.py", 9, code="LL101", message="x")]
    path = report(tmp_path, [observed("src/m.py", 9, frames=[("src/m.py", 8), ("src/m.py", 9)]), observed("src/other.py", 3, frames=[("src/other.py", 3)])])
    merged = merge_runtime_report(findings, path)
    assert [(f.path, f.line, f.code, f.message.endswith(CONFIRMED)) for f in merged] == [
        ("src/m.py", 9, "LL101", False),  # another code: not confirmed
        ("src/m.py", 9, "LL102", True),
        ("src/m.py", 40, "LL102", False),
        ("src/other.py", 3, "LL102", False),
    ]
    runtime_only = merged[-1]
    assert runtime_only.message.startswith("observed at runtime: ")
    assert runtime_only.chain == ("path 1: m.A taken (thread T): src/other.py:3 in f",)
    assert runtime_only.related == (("src/other.py", 3, 5, "path 1: m.A taken (thread T): in f"),)


def test_merge_matches_through_stack_frames_and_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # static reports the call under the lock (line 17); the runtime the second acquisition (line 20),
    # with the call in its stack; the runtime ran elsewhere, with absolute paths
    absolute = str(tmp_path / "task.py")
    path = report(tmp_path, [observed(absolute, 20, code="LL101", frames=[(absolute, 17), (absolute, 20)])], root="/elsewhere")
    [merged] = merge_runtime_report([static("task.py", 17, code="LL101", message="self.delete() is called")], path)
    assert merged.message == "self.delete() is called" + CONFIRMED


@pytest.mark.parametrize(
    "content", ["not json", json.dumps({"tool": "lintlock"}), json.dumps({"tool": "lintlock.runtime", "findings": [{"code": "LL101"}]}), None]
)
def test_merge_bad_report_is_a_diagnostic(tmp_path, content):
    path = tmp_path / "runtime.json"
    if content is not None:
        path.write_text(content)
    findings = [static("m.py", 3)]
    merged = merge_runtime_report(findings, str(path))
    assert merged[1] == findings[0] or merged[0] == findings[0]
    [problem] = [f for f in merged if f.code == "LL001"]
    assert problem.path == str(path) and problem.message.startswith("cannot read runtime report: ")


def test_merge_reads_what_the_runtime_writes(tmp_path, monkeypatch, tracked):
    monkeypatch.chdir(tmp_path)
    a = threading.Lock()
    b = threading.Lock()
    with a:
        with b:
            line = sys._getframe().f_lineno - 1
    with b:
        with a:
            pass
    out = tmp_path / "runtime.json"
    runtime.write_report(str(out))
    here = os.path.relpath(__file__)
    [merged] = merge_runtime_report([static(here, line)], str(out))
    assert merged.message.endswith(CONFIRMED)


def test_a_tracker_bug_never_reaches_the_program(tracked, monkeypatch):
    a, b = threading.Lock(), threading.Lock()
    monkeypatch.setattr(tracked, "_edges", None)  # breaks the order bookkeeping
    with a:
        with b:  # still acquired, as the program asked
            assert b.locked()
    assert tracked.internal_errors == ["before_blocking: AttributeError: 'NoneType' object has no attribute 'get'"]


def test_isinstance_answers_as_before(tracked):
    real_condition = threading.Event()._cond  # made by the standard library: real
    assert isinstance(real_condition, threading.Condition) and isinstance(threading.Condition(), threading.Condition)
    assert isinstance(threading.Lock(), threading.Lock) and isinstance(_thread.allocate_lock(), threading.Lock)
    assert isinstance(threading.RLock(), threading.RLock)
    assert isinstance(threading.BoundedSemaphore(), threading.Semaphore)
    assert not isinstance(threading.Lock(), threading.RLock)


def test_waits_look_at_the_very_lock_not_its_class(tracked):
    class Box:
        def __init__(self):
            self.lock = threading.Lock()

    mine, theirs = Box(), Box()  # one lock class, two locks
    ready = threading.Event()

    def worker():
        with theirs.lock:
            ready.set()

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    with mine.lock:
        thread.join()  # the thread takes another Box's lock: it can finish
    with theirs.lock:
        ready.wait()  # set() was made holding theirs.lock, by another thread: LL103
    [finding] = tracked.findings()
    assert finding.code == "LL103" and "Event.wait()" in finding.message
