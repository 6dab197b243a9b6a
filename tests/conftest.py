"""Test-suite options.

`pytest` runs the fast suite. Tests marked `slow` (the soak tests: the whole
standard library, fuzzing at scale, pre-commit end to end) are skipped unless
asked for:

- `pytest --slow`: everything, at full size;
- `pytest -m slow --slow-sample N`: the slow tests on a fixed, deterministic
  sample of N standard-library files and scaled-down fuzzing (what CI runs
  after the fast suite).

Hypothesis tests run a smaller number of examples in the fast suite (the
"fast" profile) and their full number with --slow.

Expensive command-line runs over testdata that several tests compare against
are made once per session (`testdata_runs`, `testdata_cache_runs`), in a copy no
test changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import pytest
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parent.parent

STDLIB = Path(sysconfig.get_paths()["stdlib"])

# lintlock's default cache is the user's cache folder: keep the tests' cache private
os.environ.setdefault("LINTLOCK_CACHE_DIR", tempfile.mkdtemp(prefix="lintlock-test-cache-"))


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="also run the slow soak tests, at full size")
    parser.addoption("--slow-sample", type=int, default=None, metavar="N", help="run the slow tests on a deterministic sample of N standard-library files")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a soak test; skipped unless --slow or --slow-sample is given")
    # tests that set no count of their own: 300 examples with --slow, 60 in the fast suite
    hypothesis_settings.register_profile("slow", max_examples=300, deadline=None)
    hypothesis_settings.register_profile("fast", max_examples=60, deadline=None)
    hypothesis_settings.load_profile("slow" if config.getoption("--slow") else "fast")


def _sample_size(config) -> Optional[int]:
    return config.getoption("--slow-sample")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow") or _sample_size(config) is not None:
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (full size) or --slow-sample N")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def slow(request):
    """True when the run asked for the full-size soak tests (--slow)."""
    return request.config.getoption("--slow")


def stdlib_sample(count: int, into: Path, with_tests: bool) -> Path:
    """Every k-th standard-library file (sorted by path), copied under `into`:
    the same files on every run of the same Python."""
    skipped = {"__pycache__", "site-packages"} | (set() if with_tests else {"test", "tests", "idle_test"})
    files = sorted(p for p in STDLIB.rglob("*.py") if not skipped & set(p.relative_to(STDLIB).parts[:-1]))
    step = max(1, len(files) // max(count, 1))
    for source in files[::step][:count]:
        target = into / source.relative_to(STDLIB)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return into


@pytest.fixture
def stdlib_corpus(request, tmp_path_factory):
    """A copy of the standard library to soak-test on: whole with --slow, else the sample.

    Returns (path, with_tests): with_tests=True means CPython's own tests are included."""

    def make(with_tests: bool) -> Path:
        count = _sample_size(request.config)
        if request.config.getoption("--slow") or count is None:
            return STDLIB
        return stdlib_sample(count, tmp_path_factory.mktemp("stdlib"), with_tests)

    return make


# -- command-line runs over testdata, shared by the tests that compare against them ----------

Parts = Optional[Tuple[str, ...]]  # folders of testdata; None: all of it


@pytest.fixture(scope="session")
def testdata_copy(tmp_path_factory) -> Callable[[Parts], Path]:
    """A folder holding a copy of testdata (or of these folders of it) as `testdata`, made
    once per session. Tests read it and run lintlock in it; they never change it."""
    copies: Dict[Parts, Path] = {}

    def make(parts: Parts) -> Path:
        if parts not in copies:
            root = tmp_path_factory.mktemp("testdata-copy")
            for part in parts if parts is not None else ("",):
                shutil.copytree(ROOT / "testdata" / part, root / "testdata" / part)
            copies[parts] = root
        return copies[parts]

    return make


@pytest.fixture(scope="session")
def testdata_runs(testdata_copy) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`python -m lintlock ARGS` in a session copy of testdata (`run(parts, *args, seed=...)`),
    with PYTHONHASHSEED=seed when given: each distinct run is made once per session."""
    done: Dict[tuple, subprocess.CompletedProcess[str]] = {}

    def run(parts: Parts, *args: str, seed: Optional[str] = None) -> subprocess.CompletedProcess[str]:
        key = (parts, args, seed)
        if key not in done:
            env = dict(os.environ, PYTHONHASHSEED=seed) if seed is not None else None
            command = [sys.executable, "-m", "lintlock", *args]
            done[key] = subprocess.run(command, capture_output=True, text=True, cwd=testdata_copy(parts), env=env)
        return done[key]

    return run


@pytest.fixture(scope="session")
def testdata_cache_runs(testdata_copy, tmp_path_factory) -> Callable[..., Tuple[List[str], str]]:
    """`python -m lintlock --cache-dir CACHE PATHS` in a session copy of testdata
    (`runs(parts, *paths)`): two runs started together on one empty cache, the first with
    -j 1 (PYTHONHASHSEED 3), the second with -j 2 and the paths in reverse order (seed 2);
    then a third (-j 1, seed 4) on the cache they filled. Made once per session; returns
    the stdout of the two, and of the third."""
    done: Dict[tuple, Tuple[List[str], str]] = {}

    def runs(parts: Parts, *paths: str) -> Tuple[List[str], str]:
        key = (parts, paths)
        if key not in done:
            folder = testdata_copy(parts)
            command = [sys.executable, "-m", "lintlock", "--cache-dir", str(tmp_path_factory.mktemp("shared-cache"))]
            variants = (("3", ["-j", "1", *paths]), ("2", ["-j", "2", *reversed(paths)]))
            together = [
                subprocess.Popen(
                    [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=folder, env=dict(os.environ, PYTHONHASHSEED=seed)
                )
                for seed, args in variants
            ]
            outputs = [process.communicate()[0] for process in together]
            warm = subprocess.run([*command, "-j", "1", *paths], capture_output=True, text=True, cwd=folder, env=dict(os.environ, PYTHONHASHSEED="4"))
            done[key] = (outputs, warm.stdout)
        return done[key]

    return runs


@pytest.fixture(scope="session")
def testdata_report() -> str:
    """The text output of `lintlock testdata` from the repository root, made once per session
    (test_testdata reads its findings, test_cli compares it with a second run)."""
    from click.testing import CliRunner

    from lintlock.cli import main

    before = os.getcwd()
    os.chdir(ROOT)
    try:
        return CliRunner().invoke(main, ["testdata"], catch_exceptions=False).output
    finally:
        os.chdir(before)
