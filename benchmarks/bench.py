"""lintlock against flake8, thread-safety and the libcst floor, on the running interpreter's standard library.

    pip install '.[bench]' && python benchmarks/bench.py [--jobs 2] [--repeat 3] [--scales 1,4] [--anchors]

--anchors also measures thread-safety 0.4.0 (tree-sitter based; installed by this
script into its own virtual environment, in the temporary folder, from PyPI).
Cold runs are measured at -j 1, 2, 4 and all cores (scaling, and the serial
fraction that Amdahl's law gives for it); flake8 at --jobs and at all cores.

Corpus: the standard library of this Python, without its test directories,
copied to a temporary directory (and a 4x copy of it for scaling, cold runs only).
Every measurement is the median of --repeat alternating runs with the same
job count. Prints files, lines, seconds, peak memory and the ratios that
lintlock's performance targets are written in. A script, not a test: the
numbers depend on the machine.

The lintlock measured is a copy of the one this Python imports, taken when the
script starts: an edit to a checkout during the run would change lintlock's code
fingerprint and with it every cache entry's check. The warm cache is filled by the
measured command itself, from the same folder (a run's memo is keyed by its
working directory too): both once made "warm" a run that reused nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

SKIP = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"}

FLOOR = """
import sys, libcst
from concurrent.futures import ProcessPoolExecutor

def parse(path):
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        libcst.parse_module(data)
    except Exception:
        pass
    return 0

paths = [line.strip() for line in open(sys.argv[2]) if line.strip()]
jobs = int(sys.argv[1])
if jobs == 1:
    for p in paths:
        parse(p)
else:
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(parse, paths, chunksize=8))
"""

# one file changed since the last run: the run's memo misses, every other file's summary is a cache hit.
# A new edit each time (the memo of the last one would answer), undone after the run (the warm runs share
# the corpus); its own cache folder (an edited run's memo replaces the warm runs' one).
EDIT_THEN_RUN = """
import subprocess, sys, time
with open(sys.argv[1], "rb") as handle:
    original = handle.read()
with open(sys.argv[1], "wb") as handle:
    handle.write(original + b"# edited %d\\n" % time.time_ns())
try:
    subprocess.run(sys.argv[2:])
finally:
    with open(sys.argv[1], "wb") as handle:
        handle.write(original)
"""

MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def copy_stdlib(target: Path) -> None:
    source = Path(sysconfig.get_paths()["stdlib"])
    for folder, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if d not in SKIP]
        relative = Path(folder).relative_to(source)
        for name in files:
            if name.endswith(".py"):
                (target / relative).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(folder) / name, target / relative / name)


def corpus(root: Path, scale: int) -> Path:
    folder = root / f"x{scale}"
    if not folder.exists():
        copy_stdlib(folder / "copy0")
        for index in range(1, scale):
            shutil.copytree(folder / "copy0", folder / f"copy{index}")
    return folder


def measure(command, environment: dict) -> tuple:
    # run outside any checkout: `python -m lintlock` would import ./lintlock first
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True, cwd=tempfile.gettempdir(), env=environment)
    seconds, peak = out.stdout.split()
    return float(seconds), int(peak) / 1024  # seconds, peak MB (ru_maxrss is KB on Linux)


def snapshot(root: Path) -> Path:
    """A copy of the lintlock under test (its package and rule tables), measured instead of the
    checkout: an edit there during the run would change lintlock's code fingerprint, and with it
    every cache entry's check (a "warm" run that misses everything)."""
    import lintlock

    package = Path(lintlock.__file__).resolve().parent
    target = root / "lintlock-under-test"
    shutil.copytree(package, target / "lintlock", ignore=shutil.ignore_patterns("__pycache__"))
    if not (package / "rules").is_dir():  # a source checkout: the tables live next to the package
        shutil.copytree(package.parent / "rules", target / "rules")
    return target


PARSED = """
import sys
from lintlock import demand
from lintlock.config import Settings
from lintlock.pipeline import load

loaded = load(sys.argv[1:], Settings(jobs=2))
vocabulary = demand.Vocabulary()
mention = sum(1 for data in loaded.sources.values() if vocabulary.matches(data))
print(len(loaded.sources), mention, len(loaded.summaries))
"""


def print_parsed(folder: Path, measured: Path, baselines: list) -> None:
    for label, path in [("", str(measured))] + [(f"{_baseline_label(b)}: ", b) for b in baselines]:
        env = dict(os.environ, PYTHONPATH=path)
        command = [sys.executable, "-c", PARSED, str(folder)]
        files, mention, parsed = subprocess.run(command, capture_output=True, text=True, check=True, env=env, cwd=tempfile.gettempdir()).stdout.split()
        print(f"  {label}files parsed (on demand): {parsed} of {files}; {mention} name lock vocabulary (as this lintlock scans)")


def thread_safety(root: Path) -> list:
    """The thread-safety command, installed in its own virtual environment (PyPI)."""
    venv = root / "thread-safety-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "thread-safety==0.4.0"], check=True)
    return [str(venv / "bin" / "thread-safety"), "analyze", "--output", "json"]


def all_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def commands_at(scale: int, folder: Path, root: Path, args, anchor: list) -> dict:
    """What to measure on the corpus copied `scale` times: everything at 1x, cold runs at larger scales."""
    lintlock = [sys.executable, "-m", "lintlock", "--exit-zero", "-q"]
    counts = {1, args.jobs, 4, all_cores()} | ({8} if all_cores() >= 8 else set())
    cold = {f"cold -j{j}": lintlock + ["-j", str(j), "--no-cache", str(folder)] for j in sorted(counts)}
    if scale != 1:
        return {"cold": lintlock + ["-j", str(args.jobs), "--no-cache", str(folder)]}
    listing = root / "files.txt"
    listing.write_text("\n".join(sorted(str(p) for p in folder.rglob("*.py"))))
    cache = root / f"cache{scale}"
    commands = {"cold": cold.pop(f"cold -j{args.jobs}")}
    commands.update(cold)
    commands["warm"] = lintlock + ["-j", str(args.jobs), "--cache-dir", str(cache), str(folder)]
    edited = [sys.executable, "-c", EDIT_THEN_RUN, str(folder / "copy0" / "threading.py")]
    commands["edited"] = edited + lintlock + ["-j", str(args.jobs), "--cache-dir", f"{cache}-edited", str(folder)]
    commands["full"] = lintlock + ["-j", str(args.jobs), "--no-cache", "--full", str(folder)]
    commands["floor"] = [sys.executable, "-c", FLOOR, str(args.jobs), str(listing)]
    flake8 = [sys.executable, "-m", "flake8", "--exit-zero", "--select", "E,F,W,C90"]
    commands["flake8"] = flake8 + ["-j", str(args.jobs), str(folder)]
    commands["flake8 all"] = flake8 + ["-j", str(all_cores()), str(folder)]
    if anchor:
        commands["thread-safety"] = anchor + [str(folder)]
    for baseline in args.baseline or ():  # another lintlock (a checkout's folder): before and after in one run
        label = _baseline_label(baseline)
        commands[f"{label} cold"] = ["env", f"PYTHONPATH={baseline}"] + commands["cold"]
        if all_cores() > args.jobs:
            commands[f"{label} cold -j{all_cores()}"] = ["env", f"PYTHONPATH={baseline}"] + commands[f"cold -j{all_cores()}"]
    return commands


def _baseline_label(folder: str) -> str:
    return f"baseline {Path(folder).name.lstrip('.')}"


def ratios(one: dict, results: dict, jobs: int) -> list:
    """(label, measured, target) rows, in the terms of lintlock's performance targets (the
    rows whose measurements were all taken)."""
    cores = all_cores()
    seconds = {name: value[0] for name, value in one.items()}
    seconds[f"cold -j{jobs}"] = seconds.get("cold")
    wanted = [
        (f"cold -j{jobs} / flake8 -j{jobs}", "cold", "flake8", "<= 0.30"),
        (f"cold -j{cores} / flake8 -j{cores} (all cores)", f"cold -j{cores}", "flake8 all", "<= 0.6 (>= 8 cores)"),
        (f"cold -j{jobs} / thread-safety 0.4.0", "cold", "thread-safety", "<= 1.0"),
        ("cold / libcst floor", "cold", "floor", "<= 0.6"),
        ("full / libcst floor", "full", "floor", "<= 1.3"),
        ("warm / cold", "warm", "cold", "<= 0.05"),
        ("one file edited / cold", "edited", "cold", "(no target)"),
    ]
    for name in sorted(n for n in seconds if n.startswith("baseline ")):
        mine = f"cold -j{name.split(' -j')[1]}" if " -j" in name else "cold"
        wanted.append((f"{mine} / {name}", mine, name, "(before/after)"))
    rows = [(label, seconds[top] / seconds[bottom], target) for label, top, bottom, target in wanted if seconds.get(top) and seconds.get(bottom)]
    cold = {int(name.split("-j")[1]): value for name, value in seconds.items() if name.startswith("cold -j") and value}
    for count in sorted(c for c in cold if c > 1 and 1 in cold):
        speedup = cold[1] / cold[count]
        serial = (count / speedup - 1) / (count - 1)  # Amdahl: speedup = 1 / (s + (1 - s) / n)
        rows.append((f"speedup -j{count} vs -j1", speedup, f"serial fraction {serial:.2f}"))
    if 4 in results and 1 in results and "cold" in results[4] and "cold" in results[1]:
        rows.append(("time(4x) / time(1x), cold", results[4]["cold"][0] / results[1]["cold"][0], "<= 4.4"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scales", default="1,4")
    parser.add_argument("--anchors", action="store_true", help="also measure thread-safety 0.4.0 (installed from PyPI into its own venv)")
    parser.add_argument(
        "--only", metavar="NAMES", help="measure only these (comma separated: cold, warm, edited, full, floor, flake8, 'baseline prevf cold'...)"
    )
    parser.add_argument(
        "--baseline",
        metavar="FOLDER",
        action="append",
        help="also measure the lintlock package in FOLDER (first on PYTHONPATH), cold at --jobs and at all cores; repeatable",
    )
    args = parser.parse_args()
    scales = sorted({1} | {int(s) for s in args.scales.split(",")})
    with tempfile.TemporaryDirectory(prefix="lintlock-bench-") as temporary:
        root = Path(temporary)
        anchor = thread_safety(root) if args.anchors else []
        measured = snapshot(root)
        environment = dict(os.environ, PYTHONPATH=str(measured))  # `--baseline` sets its own
        results = {}
        for scale in scales:
            folder = corpus(root, scale)
            paths = sorted(folder.rglob("*.py"))
            lines = sum(p.read_bytes().count(b"\n") for p in paths)
            commands = commands_at(scale, folder, root, args, anchor)
            if args.only:
                commands = {name: command for name, command in commands.items() if name in args.only.split(",")}
            for name in ("warm", "edited"):  # fill the caches: the same commands, from the same folder, as measured
                if name in commands:
                    measure(commands[name], environment)
            runs: dict = {name: [] for name in commands}
            for _ in range(args.repeat):  # alternate, so drift hits every tool alike
                for name, command in commands.items():
                    runs[name].append(measure(command, environment))
            medians = {name: (statistics.median(r[0] for r in rs), max(r[1] for r in rs)) for name, rs in runs.items()}
            results[scale] = medians
            print(f"\ncorpus x{scale}: {len(paths)} files, {lines} lines, -j {args.jobs} unless named, median of {args.repeat}, {all_cores()} cores")
            for name, (seconds, peak) in medians.items():
                print(f"  {name:<28} {seconds:8.2f} s  {peak:7.0f} MB peak")
            if scale == 1:
                print_parsed(folder, measured, args.baseline or [])
        one = results[1]
        print("\nratio                                  measured  target")
        for label, value, target in ratios(one, results, args.jobs):
            print(f"  {label:<48} {value:8.3f}  {target}")
        if "cold" in one:
            print(f"  {'peak memory, 1x cold':<48} {one['cold'][1]:6.0f} MB  <= 500 MB")


if __name__ == "__main__":
    main()
