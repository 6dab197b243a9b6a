"""Test-suite options.

`pytest` runs the fast suite. Tests marked `slow` (the soak tests: the whole
standard library, fuzzing at scale, pre-commit end to end) are skipped unless
asked for:

- `pytest --slow`: everything, at full size;
- `pytest -m slow --slow-sample N`: the slow tests on a fixed, deterministic
  sample of N standard-library files and scaled-down fuzzing (what CI runs
  after the fast suite).
"""

from __future__ import annotations

import os
import shutil
import sysconfig
import tempfile
from pathlib import Path
from typing import Optional

import pytest

STDLIB = Path(sysconfig.get_paths()["stdlib"])

# lintlock's default cache is the user's cache folder: keep the tests' cache private
os.environ.setdefault("LINTLOCK_CACHE_DIR", tempfile.mkdtemp(prefix="lintlock-test-cache-"))


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="also run the slow soak tests, at full size")
    parser.addoption("--slow-sample", type=int, default=None, metavar="N", help="run the slow tests on a deterministic sample of N standard-library files")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a soak test; skipped unless --slow or --slow-sample is given")


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
