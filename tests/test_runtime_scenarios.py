"""lintlock.runtime end to end: the scenarios in testdata/runtime, the runner, the pytest plugin, hang dumps.

Every program runs in a subprocess with a timeout, so that a bug can never
hang the suite.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "testdata" / "runtime"
EXPECT = re.compile(r"#.*\bruntime:\s*(LL\d{3})")
SCENARIO_FILES = ["self_deadlock.py", "lock_order.py", "waits.py", "hang.py"]


def run_runtime(*args, cwd=ROOT, timeout=60):
    return subprocess.run([sys.executable, "-m", "lintlock.runtime", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def expected(path: Path):
    return {(n, m.group(1)) for n, line in enumerate(path.read_text().splitlines(), start=1) for m in [EXPECT.search(line)] if m}


@pytest.mark.parametrize("name", SCENARIO_FILES)
def test_scenario_reports_exactly_its_positives(name, tmp_path):
    report = tmp_path / "report.json"
    result = run_runtime("--report", str(report), "--grace", "0.5", f"testdata/runtime/{name}")
    assert result.returncode == 0, result.stderr
    document = json.loads(report.read_text())
    found = {(f["line"], f["code"]) for f in document["findings"]}
    assert {f["path"] for f in document["findings"]} == {f"testdata/runtime/{name}"}
    assert found == expected(SCENARIOS / name)
    assert expected(SCENARIOS / name)  # the harness: a scenario without positives would test only silence


def test_self_deadlock_raises_instead_of_hanging():
    result = run_runtime("--grace", "0.5", "testdata/runtime/self_deadlock.py")
    assert result.stdout.splitlines() == ["raised: DeadlockError"] * 3
    assert (
        "testdata/runtime/self_deadlock.py:28:9: LL101 observed at runtime: thread MainThread asks for Task._mu (threading.Lock) at "
        "testdata/runtime/self_deadlock.py:28, but it already holds it (acquired at testdata/runtime/self_deadlock.py:22); "
        "threading.Lock is not reentrant: this thread would wait for itself forever"
    ) in result.stderr.splitlines()
    # both stacks, in user code only: the call under the lock is in the second one
    stacks = result.stderr.split("LL101", 2)[1]
    assert (
        "    first acquisition of Task._mu (thread MainThread):\n      testdata/runtime/self_deadlock.py:121 in <module>\n      testdata/runtime/self_deadlock.py:11 in attempt\n      testdata/runtime/self_deadlock.py:22 in Task.create\n"
        in stacks
    )
    assert "      testdata/runtime/self_deadlock.py:25 in Task.create\n      testdata/runtime/self_deadlock.py:28 in Task.delete\n" in stacks
    assert "lintlock/runtime" not in result.stderr


def test_lock_order_message_names_both_paths():
    result = run_runtime("testdata/runtime/hang.py")
    line = next(x for x in result.stderr.splitlines() if x.startswith("testdata/runtime/hang.py:20:9: LL102"))
    assert line == (
        "testdata/runtime/hang.py:20:9: LL102 observed at runtime: lock-order inversion between hang.orders_lock and hang.stock_lock: "
        "path 1: thread orders held hang.orders_lock (taken at testdata/runtime/hang.py:18) and took hang.stock_lock at testdata/runtime/hang.py:20; "
        "path 2: thread stock held hang.stock_lock (taken at testdata/runtime/hang.py:25) and took hang.orders_lock at testdata/runtime/hang.py:27. "
        "Threads on these paths can each hold one lock and wait forever for the next"
    )


def _assert_dump(text: str):
    assert "Thread orders (ident" in text and "Thread stock (ident" in text
    assert "  holds hang.orders_lock (threading.Lock, created at testdata/runtime/hang.py:12), taken at testdata/runtime/hang.py:18 in place_order" in text
    assert re.search(r"  waits for hang\.stock_lock \(threading\.Lock, created at testdata/runtime/hang\.py:13\) \(for [\d.]+ s\), held by stock", text)
    cycle = {
        "orders waits for hang.stock_lock (threading.Lock, created at testdata/runtime/hang.py:13) held by stock",
        "stock waits for hang.orders_lock (threading.Lock, created at testdata/runtime/hang.py:12) held by orders",
    }
    [deadlock] = [x for x in text.splitlines() if x.startswith("Deadlock: ")]
    assert set(deadlock[len("Deadlock: ") :].split(". Each waits")[0].split("; ")) == cycle
    assert deadlock.endswith(
        ". Each waits for the next: none of them can ever proceed. Take these locks in one order in every thread, or release one before asking for the other."
    )


def test_hang_dump_at_exit_shows_the_cycle():
    result = run_runtime("testdata/runtime/hang.py")
    assert "hang dump (interpreter exit: threads are stuck)" in result.stderr
    _assert_dump(result.stderr)


def _stuck(*options):
    process = subprocess.Popen(
        [sys.executable, "-m", "lintlock.runtime", *options, "testdata/runtime/hang.py", "--forever"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline() == "started\n"
    return process


def _read_until(process, marker: str, seconds: float = 20) -> str:
    """stderr up to the line starting with `marker` (then the process is killed)."""
    deadline = time.monotonic() + seconds
    lines = []
    try:
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            lines.append(line)
            if line.startswith(marker) or not line:
                break
    finally:
        process.kill()
        process.wait(timeout=10)
    return "".join(lines)


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="no SIGUSR1 on this platform")
def test_hang_dump_on_signal():
    process = _stuck()
    time.sleep(0.3)  # both threads are blocked by now; the dump is asked for only once
    process.send_signal(signal.SIGUSR1)
    text = _read_until(process, "Deadlock: ")
    assert "hang dump (signal SIGUSR1)" in text
    _assert_dump(text)


def test_hang_dump_on_watchdog_timeout():
    text = _read_until(_stuck("--hang-timeout", "0.3"), "Deadlock: ")
    assert "thread(s) blocked for more than 0.3 s)" in text
    _assert_dump(text)


def test_runner_module_mode_status_and_fail(tmp_path):
    (tmp_path / "prog.py").write_text(
        "import sys, threading\na = threading.Lock()\nb = threading.Lock()\nwith a:\n    with b:\n        pass\nwith b:\n    with a:\n        pass\nsys.exit(int(sys.argv[1]))\n"
    )
    assert run_runtime("-m", "prog", "5", cwd=tmp_path).returncode == 5
    result = run_runtime("--fail", "-m", "prog", "0", cwd=tmp_path)
    assert result.returncode == 3
    assert "prog.py:5:5: LL102 observed at runtime: lock-order inversion between prog.a and prog.b" in result.stderr
    assert run_runtime("--fail", "prog.py", "0", cwd=tmp_path).returncode == 3
    (tmp_path / "clean.py").write_text("import threading\nlock = threading.Lock()\nwith lock:\n    pass\n")
    clean = run_runtime("--fail", "clean.py", cwd=tmp_path)
    assert (clean.returncode, clean.stderr) == (0, "lintlock.runtime: no lock-order problem observed (1 lock classes, 0 orders)\n")
    assert (run_runtime("nosuch.py", cwd=tmp_path).returncode, run_runtime("nosuch.py", cwd=tmp_path).stderr) == (
        2,
        "lintlock.runtime: can't open file 'nosuch.py'\n",
    )
    assert run_runtime("-m", "nosuch", cwd=tmp_path).stderr == "lintlock.runtime: no module named nosuch\n"
    bad = run_runtime("--frobnicate", "prog.py", cwd=tmp_path)
    assert bad.returncode == 2 and "unknown option --frobnicate" in bad.stderr


def test_runner_writes_sarif(tmp_path):
    report = tmp_path / "found.sarif"
    run_runtime("--report", str(report), "testdata/runtime/hang.py")
    document = json.loads(report.read_text())
    import jsonschema

    jsonschema.validate(document, json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")))
    [result] = document["runs"][0]["results"]
    assert result["ruleId"] == "LL102" and result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 20,
        "startColumn": 9,
        "endLine": 20,
        "endColumn": 9,
    }
    assert [r["message"]["text"] for r in result["relatedLocations"]][:2] == [
        "path 1: hang.orders_lock taken (thread orders): in place_order",
        "path 1: then hang.stock_lock taken (thread orders): in place_order",
    ]


PYTEST_CASE = """
import threading

A = threading.Lock()
B = threading.Lock()


def test_ab():
    with A:
        with B:
            pass


def test_ba():
    with B:
        with A:
            pass


def test_self_deadlock():
    lock = threading.Lock()
    with lock:
        with lock:
            pass


def test_plain_lock_is_real():
    import _thread
    assert isinstance(threading.Lock(), _thread.LockType) is RUNTIME_OFF
"""


def pytest_run(tmp_path, *options, body=PYTEST_CASE, timeout=60, preexec_fn=None):
    (tmp_path / "test_case.py").write_text(body)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    # hypothesis's plugin (installed with the test extras) is two thirds of a bare pytest's start: not loaded here
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-q", "test_case.py", *options]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=timeout, env=env, preexec_fn=preexec_fn)


def test_pytest_plugin_reports_in_the_summary_and_fails_the_session(tmp_path):
    body = PYTEST_CASE.replace("RUNTIME_OFF", "False").replace("def test_self_deadlock", "def skip_self_deadlock")
    result = pytest_run(tmp_path, "--lintlock-runtime", "--lintlock-report", "found.json", "--lintlock-fail", body=body)
    assert result.returncode == 1, result.stdout
    assert "3 passed" in result.stdout
    assert re.search(r"=+ lintlock runtime: 1 problem observed =+", result.stdout)
    assert "test_case.py:10:9: LL102 observed at runtime: lock-order inversion between test_case.A and test_case.B" in result.stdout
    assert "\n    while running: test_case.py::test_ab, test_case.py::test_ba\n" in result.stdout
    [finding] = json.loads((tmp_path / "found.json").read_text())["findings"]
    assert (finding["code"], finding["line"], finding["context"]) == ("LL102", 10, "test_case.py::test_ab, test_case.py::test_ba")


def test_pytest_plugin_turns_a_self_deadlock_into_a_failure(tmp_path):
    result = pytest_run(tmp_path, "--lintlock-runtime", "--lintlock-grace", "0.2", "-k", "self_deadlock")
    assert result.returncode == 1
    assert "FAILED test_case.py::test_self_deadlock - lintlock.runtime.DeadlockError" in result.stdout
    assert (
        ">           with lock:\nE           lintlock.runtime.DeadlockError: test_case.py:23: observed at runtime: thread MainThread asks for test_self_deadlock.lock (threading.Lock) at test_case.py:23"
        in result.stdout
    )


def test_pytest_plugin_is_inert_without_the_flag(tmp_path):
    body = PYTEST_CASE.replace("RUNTIME_OFF", "True") + textwrap.dedent("""
        def test_nothing_patched(request):
            import threading, _thread
            assert threading.Lock is _thread.allocate_lock
            assert not request.config.pluginmanager.has_plugin("lintlock-runtime")
            assert threading.active_count() == 1
    """)
    result = pytest_run(tmp_path, "-k", "not self_deadlock", body=body)
    assert result.returncode == 0, result.stdout
    assert "lintlock runtime" not in result.stdout


def test_pytest_hang_timeout_dumps_and_interrupts(tmp_path):
    result = pytest_run(tmp_path, "--lintlock-runtime", "--lintlock-hang-timeout", "0.5", body=HANG)
    assert_interrupted_with_a_dump(result)


HANG = textwrap.dedent("""
    import threading

    def test_stuck():
        a, b = threading.Lock(), threading.Lock()
        both = threading.Barrier(2)
        def one(x, y):
            with x:
                both.wait()
                with y:
                    pass
        threads = [threading.Thread(target=one, args=(a, b), daemon=True), threading.Thread(target=one, args=(b, a), daemon=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
""")


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX signal dispositions")
def test_hang_timeout_interrupts_a_run_started_with_sigint_ignored(tmp_path):
    """A background job of a shell script starts with SIGINT ignored: the watchdog must still end the test."""
    result = pytest_run(
        tmp_path, "--lintlock-runtime", "--lintlock-hang-timeout", "0.5", body=HANG, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)
    )
    assert_interrupted_with_a_dump(result)


def assert_interrupted_with_a_dump(result):
    assert "hang dump (test test_case.py::test_stuck has run for more than 0.5 s)" in result.stderr
    assert "Deadlock: " in result.stderr
    assert "KeyboardInterrupt" in result.stdout
    assert (
        "test_case.py:10:13: LL102 observed at runtime: lock-order inversion between threading.Lock at test_case.py:5:12 and threading.Lock at test_case.py:5:30"
        in result.stdout
    )
