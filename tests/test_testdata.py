"""Every case in testdata/ carries its expected findings inline (`# error: LL101`).

lintlock runs once over the whole tree (the cases include packages that import
each other) and each file's findings must be exactly the ones it announces.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"
EXPECT = re.compile(r"#\s*error:\s*(LL\d{3}(?:\s*,\s*LL\d{3})*)")
CASES = sorted(TESTDATA.rglob("*.py"))


def expected(path: Path):
    found = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for code in match.group(1).split(","):
                found.add((number, code.strip()))
    return found


FINDING = re.compile(r"^(.+?):(\d+):\d+: (LL\d{3}) ")  # path:line:column: CODE message


@pytest.fixture(scope="module")
def actual(testdata_report):
    # `lintlock testdata` from the repository root, made once per session (tests/conftest.py)
    by_file = {}
    for line in testdata_report.splitlines():
        match = FINDING.match(line)
        if match:
            path, number, code = match.groups()
            by_file.setdefault((ROOT / path).resolve(), set()).add((int(number), code))
    assert by_file, testdata_report
    return by_file


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(TESTDATA)))
def test_case(case: Path, actual):
    assert actual.get(case.resolve(), set()) == expected(case)


def test_every_finding_is_in_a_case(actual):
    assert set(actual) <= {c.resolve() for c in CASES}


def test_cases_announce_findings():
    """The harness itself: a case file without any expectation would test only silence."""
    announced = sum(len(expected(c)) for c in CASES)
    assert announced >= 40
