"""What lintlock.runtime costs: acquire/release of a tracked lock vs a real one, and test suites with and without the plugin.

    python benchmarks/runtime_overhead.py
    python benchmarks/runtime_overhead.py --suite DIR[:PYTEST ARGS] --python VENV/bin/python --runs 5

Prints ratios (tracked / untracked); it asserts nothing (timings are not tests).
The suites' interpreter needs pytest and lintlock installed (`pip install -e .`).
Each suite is run alternately without and with `--lintlock-runtime`, and the
best of the runs is compared (the least disturbed by other load).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
import timeit

PAIRS = 200_000


def micro() -> None:
    import lintlock.runtime as runtime

    plain_lock, plain_rlock = threading.Lock(), threading.RLock()
    runtime.install(signals=False, at_exit=False)
    try:
        tracked_lock, tracked_rlock = threading.Lock(), threading.RLock()
        outer = threading.Lock()
        for name, plain, tracked in (("Lock", plain_lock, tracked_lock), ("RLock", plain_rlock, tracked_rlock)):
            base = _best(lambda lock=plain: _with(lock))
            cost = _best(lambda lock=tracked: _with(lock))
            print(f"with {name}: untracked {base / PAIRS * 1e9:7.0f} ns, tracked {cost / PAIRS * 1e9:7.0f} ns, ratio {cost / base:5.1f}x")
        with outer:  # one lock held: the order edge is checked at each acquisition
            nested = _best(lambda: _with(tracked_lock))
        print(f"with Lock, another tracked lock held: {nested / PAIRS * 1e9:7.0f} ns per pair")
    finally:
        runtime.uninstall()


def _with(lock) -> None:
    for _ in range(PAIRS):
        with lock:
            pass


def _best(action, repeat: int = 5) -> float:
    return min(timeit.repeat(action, number=1, repeat=repeat))


def suite(python: str, spec: str, runs: int) -> None:
    directory, _, args = spec.partition(":")
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.split()]
    times = {False: [], True: []}
    for _ in range(runs):
        for tracked in (False, True):
            started = time.perf_counter()
            result = subprocess.run(command + (["--lintlock-runtime"] if tracked else []), cwd=directory, capture_output=True, text=True)
            times[tracked].append(time.perf_counter() - started)
            if tracked:
                summary = [line for line in result.stdout.splitlines() if "lintlock runtime" in line]
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "(no output)"
    base, cost = min(times[False]), min(times[True])
    print(f"{directory} {args}: {last}")
    print(f"  wall time, best of {runs}: without {base:6.2f} s, with --lintlock-runtime {cost:6.2f} s, ratio {cost / base:4.2f}x")
    print(f"  {summary[0].strip('= ') if summary else 'no lintlock summary line'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="append", default=[], help="DIR[:PYTEST ARGS], run from DIR")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the suites")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    micro()
    for spec in options.suite:
        suite(options.python, spec, options.runs)


if __name__ == "__main__":
    main()
