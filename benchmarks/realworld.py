"""Run lintlock on real threaded projects and write benchmarks/realworld.md.

    pip install . && python benchmarks/realworld.py

Downloads pinned releases from PyPI (`pip download --no-deps`, wheels where
there are, cached in benchmarks/.cache/), unpacks them, runs
`lintlock --format json` on each (and on the standard library of the running
interpreter), and writes a report: counts per project and per code, lines
analysed, and every finding with its verdict from benchmarks/realworld_triage.toml
(`untriaged` until someone has looked at it). Re-run it whenever the analysis changes.

With --compare-full each target is also analysed with `lintlock --full` (every file
parsed up front) and the report says whether the on-demand findings are the same
(issue 16); with --keep DIR the unpacked projects and each run's JSON stay in DIR
for triage.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
TRIAGE = HERE / "realworld_triage.toml"
REPORT = HERE / "realworld.md"

# (distribution, version, the import package(s) inside it)
PROJECTS = [
    ("urllib3", "2.8.0", ["urllib3"]),
    ("cachetools", "8.0.0", ["cachetools"]),
    ("apscheduler", "3.11.3", ["apscheduler"]),
    ("kazoo", "2.11.0", ["kazoo"]),
    ("paramiko", "5.1.0", ["paramiko"]),
    ("pika", "1.4.4", ["pika"]),
    ("redis", "8.1.0", ["redis"]),
    ("pymongo", "4.20.0", ["pymongo", "bson", "gridfs"]),
    ("sqlalchemy", "2.1.9", ["sqlalchemy"]),
    ("prometheus-client", "0.26.0", ["prometheus_client"]),
    ("opentelemetry-sdk", "1.45.2", ["opentelemetry"]),
    ("sentry-sdk", "2.75.0", ["sentry_sdk"]),
    ("watchdog", "7.1.0", ["watchdog"]),
    ("distributed", "2026.8.0", ["distributed"]),
    ("concurrent-log-handler", "0.9.31", ["concurrent_log_handler"]),
    ("locust", "2.47.0", ["locust"]),
    ("tornado", "6.6.1", ["tornado"]),
    ("aiohttp", "3.14.5", ["aiohttp"]),
    # added in precision round 2 (issue 12): lock-heavy projects lintlock had not been tuned on
    ("s3transfer", "0.19.3", ["s3transfer"]),
    ("kafka-python", "3.0.12", ["kafka"]),
    ("tqdm", "4.70.1", ["tqdm"]),
    ("filelock", "4.2.11", ["filelock"]),
    ("fasteners", "0.20", ["fasteners"]),
    ("cheroot", "11.1.2", ["cheroot"]),
    ("waitress", "3.0.2", ["waitress"]),
    ("pebble", "5.2.3", ["pebble"]),
    ("cassandra-driver", "3.30.1", ["cassandra"]),
    ("eventlet", "0.41.3", ["eventlet"]),
    ("kombu", "5.7.0", ["kombu"]),
    ("dramatiq", "2.2.1", ["dramatiq"]),
    # added with value flow (issue 14): callback-heavy clients, RPC and signal libraries
    ("paho-mqtt", "2.2.0", ["mqtt"]),
    ("stomp.py", "9.0.0", ["stomp"]),
    ("rpyc", "6.0.2", ["rpyc"]),
    ("blinker", "1.9.0", ["blinker"]),
    # added after a newcomer's triage of six projects lintlock had never seen (issue 14, round 2)
    ("amqpstorm", "3.1.4", ["amqpstorm"]),
    ("reactivex", "6.1.0", ["reactivex"]),
    ("futurist", "3.5.0", ["futurist"]),
    ("pykka", "4.5.0", ["pykka"]),
    ("dbutils", "3.2.0", ["dbutils"]),
    ("psycopg-pool", "3.3.3", ["psycopg_pool"]),
]
VERDICTS = ("real bug", "real risk", "false positive")


def fetch(distribution: str, version: str) -> Path:
    """The downloaded wheel or sdist (cached)."""
    folder = CACHE / "downloads" / f"{distribution}-{version}"
    if not folder.exists() or not any(folder.iterdir()):
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--prefer-binary", "--dest", str(folder), f"{distribution}=={version}"],
            check=True,
        )
    return next(p for p in sorted(folder.iterdir()) if p.suffix in (".whl", ".gz", ".zip"))


def unpack(archive: Path, target: Path) -> Path:
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(target)
    else:
        with tarfile.open(archive) as tarred:
            tarred.extractall(target, filter="data") if hasattr(tarfile, "data_filter") else tarred.extractall(target)
    return target


def package_dirs(root: Path, packages):
    found = []
    for name in packages:
        matches = sorted(p for p in root.rglob(name) if p.is_dir() and (p / "__init__.py").exists() or (p.is_dir() and name == "opentelemetry"))
        matches = [m for m in matches if "tests" not in m.parts and "test" not in m.parts]
        if matches:
            found.append(min(matches, key=lambda p: len(p.parts)))
    return found


def count_lines(folders) -> int:
    return sum(p.read_bytes().count(b"\n") for folder in folders for p in Path(folder).rglob("*.py"))


def lintlock(folders, cwd: Path, options=()):
    result = subprocess.run(
        [sys.executable, "-m", "lintlock", "--format", "json", "--no-cache", "--exit-zero", "--no-respect-gitignore", *options, *map(str, folders)],
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    if result.returncode not in (0, 1):
        raise RuntimeError(f"lintlock failed on {folders}: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def differences(on_demand, full):
    """Findings only one of the two runs reported: [(which run, finding)], in report order."""

    def key(finding):
        return json.dumps(finding, sort_keys=True)

    demand_keys = {key(f) for f in on_demand}
    full_keys = {key(f) for f in full}
    only = [("on demand only", f) for f in on_demand if key(f) not in full_keys]
    return only + [("--full only", f) for f in full if key(f) not in demand_keys]


def load_triage():
    """(verdicts by finding, the false-positive causes fixed so far, verdicts revised, rounds)."""
    if not TRIAGE.exists():
        return {}, [], [], []
    document = tomllib.loads(TRIAGE.read_text(encoding="utf-8"))
    entries = document.get("finding", [])
    return (
        {(e["project"], e["path"], e["code"], e["line"]): e for e in entries},
        document.get("fixed", []),
        document.get("revised", []),
        document.get("round", []),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated distributions to run (default: all, and the standard library)")
    parser.add_argument("--compare-full", action="store_true", help="also run each target with --full and report the findings that differ")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="unpack into DIR (made empty first) and keep it, with DIR/<target>.json")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    triage, fixed, revised, rounds = load_triage()
    rows, summary, full_differences = [], [], []
    with tempfile.TemporaryDirectory(prefix="lintlock-realworld-") as temporary:
        work = Path(temporary)
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            args.keep.mkdir(parents=True)
            work = args.keep.resolve()
        targets = []
        if only is None or "stdlib" in only:
            stdlib = Path(sysconfig.get_paths()["stdlib"])
            copy = work / "stdlib"
            shutil.copytree(stdlib, copy, ignore=shutil.ignore_patterns("site-packages", "test", "tests", "idle_test", "__pycache__"))
            targets.append(("stdlib", sys.version.split()[0], copy, [copy]))
        for distribution, version, packages in PROJECTS:
            if only is not None and distribution not in only:
                continue
            root = unpack(fetch(distribution, version), work / distribution)
            targets.append((distribution, version, root, package_dirs(root, packages)))
        for name, version, root, folders in targets:
            document = lintlock(folders, cwd=root)
            findings = document["findings"]
            if args.keep:
                (work / f"{name}.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
            if args.compare_full:
                full = lintlock(folders, cwd=root, options=["--full"])["findings"]
                if args.keep:
                    (work / f"{name}.full.json").write_text(json.dumps(full, indent=2), encoding="utf-8")
                full_differences += [(name, which, f) for which, f in differences(findings, full)]
            codes = Counter(f["code"] for f in findings)
            summary.append((name, version, document["files"], count_lines(folders), len(findings), codes))
            for f in findings:
                path = os.path.relpath(f["path"], root) if os.path.isabs(f["path"]) else f["path"]
                entry = triage.get((name, path, f["code"], f["line"]))
                verdict = entry["verdict"] if entry else "untriaged"
                reason = entry.get("reason", "") if entry else ""
                rows.append((name, path, f["line"], f["code"], verdict, reason, f["message"]))
    write_report(summary, rows, fixed, revised, rounds, full_differences if args.compare_full else None)
    print(REPORT.read_text(encoding="utf-8"))


def write_report(summary, rows, fixed, revised=(), rounds=(), full_differences=None) -> None:
    total = len(rows)
    verdicts = Counter(r[4] for r in rows)
    good = verdicts["real bug"] + verdicts["real risk"]
    judged = sum(verdicts[v] for v in VERDICTS)
    lines = [
        "# lintlock on real threaded code",
        "",
        "Generated by `python benchmarks/realworld.py` (do not edit by hand; verdicts live in",
        "`benchmarks/realworld_triage.toml`).",
        "",
        f"- Findings: {total}; real bugs {verdicts['real bug']}, real risks {verdicts['real risk']}, "
        f"false positives {verdicts['false positive']}, untriaged {verdicts['untriaged']}.",
        f"- Precision (real bugs and risks among triaged findings): {good}/{judged}" + (f" = {100 * good / judged:.0f} %" if judged else ""),
        f"- LL900 (internal errors): {sum(1 for r in rows if r[3] == 'LL900')}.",
        "",
        "| project | version | files | lines | findings | per code |",
        "|---|---|---:|---:|---:|---|",
    ]
    for name, version, files, loc, count, codes in summary:
        per_code = ", ".join(f"{code} {n}" for code, n in sorted(codes.items())) or "-"
        lines.append(f"| {name} | {version} | {files} | {loc} | {count} | {per_code} |")
    lines += [
        f"| **total** | | {sum(s[2] for s in summary)} | {sum(s[3] for s in summary)} | {total} | |",
        "",
        "## Findings",
        "",
        "| project | location | code | verdict | reasoning |",
        "|---|---|---|---|---|",
    ]
    for name, path, line, code, verdict, reason, message in rows:
        lines.append(f"| {name} | `{path}:{line}` | {code} | {verdict} | {reason or message.replace('|', '/')} |")
    if full_differences is not None:
        lines += ["", "## On demand vs --full", ""]
        if not full_differences:
            lines.append(f"Findings identical to `lintlock --full` (every file parsed up front) on all {len(summary)} targets.")
        else:
            lines += ["Findings that differ from `lintlock --full`:", "", "| project | run | location | code | message |", "|---|---|---|---|---|"]
            for name, which, f in full_differences:
                message = f["message"].replace("|", "/")
                lines.append(f"| {name} | {which} | `{f['path']}:{f['line']}` | {f['code']} | {message} |")
    if fixed:
        lines += [
            "",
            "## False positives fixed",
            "",
            f"Earlier runs reported {sum(f['count'] for f in fixed)} more findings, all false positives. Each came from a",
            "general cause, fixed in the analysis and reproduced by a test case:",
            "",
            "| where | count | cause | case |",
            "|---|---:|---|---|",
        ]
        for entry in fixed:
            lines.append(f"| {entry['projects']} | {entry['count']} | {entry['cause']} | `{entry['case']}` |")
    if revised:
        lines += [
            "",
            "## Verdicts revised",
            "",
            'Findings whose verdict changed on a stricter reading ("real risk" only where a plausible',
            "exception or exit really leaves the lock held):",
            "",
            "| where | code | was | now | why |",
            "|---|---|---|---|---|",
        ]
        for entry in revised:
            lines.append(f"| {entry['project']} `{entry['path']}:{entry['line']}` | {entry['code']} | {entry['was']} | {entry['now']} | {entry['why']} |")
    if rounds:
        lines += ["", "## Rounds", "", "| round | run on | findings before | after | precision before | after |", "|---|---|---:|---:|---|---|"]
        for entry in rounds:
            lines.append(
                f"| {entry['name']} | {entry['scope']} | {entry['before']} | {entry['after']} | {entry['precision_before']} | {entry['precision_after']} |"
            )
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
