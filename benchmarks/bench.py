"""lintlock against flake8 and the libcst floor, on the running interpreter's standard library.

    pip install '.[bench]' && python benchmarks/bench.py [--jobs 2] [--repeat 3] [--scales 1,2,4]

Corpus: the standard library of this Python, without its test directories,
copied to a temporary directory (and 2x, 4x copies of it for scaling).
Every measurement is the median of --repeat alternating runs with the same
job count. Prints files, lines, seconds, peak memory and the ratios that
lintlock's performance targets are written in. A script, not a test: the
numbers depend on the machine.
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

# one file changed since the last run: the run's memo misses, every other file's summary is a cache hit
EDIT_THEN_RUN = """
import subprocess, sys
with open(sys.argv[1], "a") as handle:
    handle.write("# edited\\n")
subprocess.run(sys.argv[2:])
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


def measure(command) -> tuple:
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024  # seconds, peak MB (ru_maxrss is KB on Linux)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scales", default="1,2,4")
    args = parser.parse_args()
    lintlock = [sys.executable, "-m", "lintlock", "--exit-zero", "-q", "-j", str(args.jobs)]
    scales = [int(s) for s in args.scales.split(",")]
    with tempfile.TemporaryDirectory(prefix="lintlock-bench-") as temporary:
        root = Path(temporary)
        results = {}
        for scale in scales:
            folder = corpus(root, scale)
            paths = sorted(str(p) for p in folder.rglob("*.py"))
            lines = sum(p.read_bytes().count(b"\n") for p in map(Path, paths))
            listing = root / f"files{scale}.txt"
            listing.write_text("\n".join(paths))
            cache = root / f"cache{scale}"
            commands = {
                "cold": lintlock + ["--no-cache", str(folder)],
                "warm": lintlock + ["--cache-dir", str(cache), str(folder)],
                "edited": [sys.executable, "-c", EDIT_THEN_RUN, str(folder / "copy0" / "threading.py")] + lintlock + ["--cache-dir", str(cache), str(folder)],
                "full": lintlock + ["--no-cache", "--full", str(folder)],
                "floor": [sys.executable, "-c", FLOOR, str(args.jobs), str(listing)],
            }
            if scale == 1:
                commands["flake8"] = [sys.executable, "-m", "flake8", "-j", str(args.jobs), "--exit-zero", "--select", "E,F,W,C90", str(folder)]
            subprocess.run(commands["warm"], stdout=subprocess.DEVNULL)  # fill the cache
            runs = {name: [] for name in commands}
            for _ in range(args.repeat):  # alternate, so drift hits every tool alike
                for name, command in commands.items():
                    runs[name].append(measure(command))
            medians = {name: (statistics.median(r[0] for r in rs), max(r[1] for r in rs)) for name, rs in runs.items()}
            results[scale] = medians
            print(f"\ncorpus x{scale}: {len(paths)} files, {lines} lines, -j {args.jobs}, median of {args.repeat}")
            for name, (seconds, peak) in medians.items():
                print(f"  {name:<7} {seconds:8.2f} s  {peak:7.0f} MB peak")
        one = results[scales[0]]
        print("\nratio                          measured  target")
        rows = []
        if "flake8" in one:
            rows.append(("cold / flake8", one["cold"][0] / one["flake8"][0], "<= 0.4"))
        rows += [
            ("cold / libcst floor", one["cold"][0] / one["floor"][0], "<= 0.6"),
            ("full / libcst floor", one["full"][0] / one["floor"][0], "<= 1.3"),
            ("warm / cold", one["warm"][0] / one["cold"][0], "<= 0.05"),
            ("one file edited / cold", one["edited"][0] / one["cold"][0], "(no target)"),
        ]
        if 4 in results and 1 in results:
            rows.append(("time(4x) / time(1x), cold", results[4]["cold"][0] / results[1]["cold"][0], "<= 4.4"))
        for label, value, target in rows:
            print(f"  {label:<28} {value:8.3f}  {target}")
        print(f"  {'peak memory, 1x cold':<28} {one['cold'][1]:6.0f} MB  <= 500 MB")


if __name__ == "__main__":
    main()
