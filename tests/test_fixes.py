"""Autofixes: exact expected output per shape, verification, idempotence, safe writes."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner

from lintlock import pipeline, write
from lintlock.cli import main
from lintlock.pipeline import _plans, check, fix, load, run

ROOT = Path(__file__).resolve().parent.parent
FIXES = ROOT / "testdata" / "fixes"
CASES = sorted(FIXES.glob("*.py"))


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_fix_gives_the_expected_source(case, tmp_path):
    target = tmp_path / case.name
    shutil.copyfile(case, target)
    flags = ["--unsafe-fixes"] if case.stem.startswith("unsafe_") else []
    result = invoke("--fix", *flags, target)
    expected = case.with_name(case.name + ".fixed")
    want = expected.read_bytes() if expected.exists() else case.read_bytes()
    assert target.read_bytes() == want
    # a second run changes nothing
    invoke("--fix", *flags, target)
    assert target.read_bytes() == want
    if expected.exists():
        assert "Fixed " in result.output
        assert " LL101 " not in result.output  # every finding of these cases is fixed
    else:
        assert "Fixed " not in result.output


def test_no_fix_case_offers_nothing():
    findings = run([str(FIXES / "no_fix.py")]).findings
    assert [f.line for f in findings] == [21, 27, 32, 38, 46, 62, 82]
    assert {f.fix for f in findings} == {""}


def test_why_the_split_is_not_offered():
    """The analysis says why it cannot split: a hop also called without the lock, an override."""
    loaded = load([str(FIXES / "no_fix.py")])
    why = sorted(d.fix.split_why for d in check(loaded, ("LL",), ()) if d.fix is not None and d.fix.split_why)
    assert why == ["Chain._helper is also called from Chain.unlocked, maybe without the lock", "Derived overrides step"]


def test_a_lock_test_gets_no_safe_fix(tmp_path):
    """`if other.acquire(False):` decides whether the call runs: only an unsafe fix is offered."""
    assert [(f.line, f.fix) for f in run([str(FIXES / "lock_test.py")]).findings] == [(16, "unsafe")]
    target = tmp_path / "lock_test.py"
    shutil.copyfile(FIXES / "lock_test.py", target)
    assert "Fixed " in invoke("--fix", "--unsafe-fixes", "--no-cache", target).output
    assert target.read_bytes() != (FIXES / "lock_test.py").read_bytes()


def test_unsafe_fixes_are_marked_but_hidden(tmp_path):
    target = tmp_path / "unsafe_order.py"
    shutil.copyfile(FIXES / "unsafe_order.py", target)
    result = invoke(target)
    assert "[*]" not in result.output
    assert "2 hidden fixes can be enabled with --unsafe-fixes." in result.output.splitlines()
    assert invoke("--fix", target).exit_code == 1
    assert target.read_bytes() == (FIXES / "unsafe_order.py").read_bytes()
    shown = invoke("--unsafe-fixes", target).output
    assert shown.count("LL101 [*] ") == 2


def test_diff_writes_nothing(tmp_path):
    target = tmp_path / "two_phase.py"
    shutil.copyfile(FIXES / "two_phase.py", target)
    result = invoke("--diff", target)
    assert result.exit_code == 1
    assert target.read_bytes() == (FIXES / "two_phase.py").read_bytes()
    assert f"--- a/{target}\n+++ b/{target}\n" in result.output
    assert "+        pending_delete = False\n" in result.output
    assert "-                self.delete()  # error: LL101\n" in result.output


def test_crlf_and_bom_survive(tmp_path):
    source = b"\xef\xbb\xbf" + (FIXES / "tail.py").read_bytes().replace(b"\n", b"\r\n")
    target = tmp_path / "bom.py"
    target.write_bytes(source)
    invoke("--fix", target)
    fixed = target.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf")
    assert fixed.count(b"\r\n") == fixed.count(b"\n")
    assert fixed == b"\xef\xbb\xbf" + (FIXES / "tail.py.fixed").read_bytes().replace(b"\n", b"\r\n")


def test_file_mode_is_kept(tmp_path):
    target = tmp_path / "tail.py"
    shutil.copyfile(FIXES / "tail.py", target)
    os.chmod(target, 0o640)
    invoke("--fix", target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert target.read_bytes() == (FIXES / "tail.py.fixed").read_bytes()


def test_failed_write_leaves_the_original(tmp_path, monkeypatch):
    target = tmp_path / "tail.py"
    shutil.copyfile(FIXES / "tail.py", target)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "fsync", full_disk)
    result = invoke("--fix", target)
    assert "not fixed: OSError" in result.output
    assert target.read_bytes() == (FIXES / "tail.py").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tail.py"]  # no temporary file left behind


def test_file_changed_since_reading_is_not_overwritten(tmp_path):
    target = tmp_path / "tail.py"
    shutil.copyfile(FIXES / "tail.py", target)
    with pytest.raises(write.FileChanged):
        write.replace_file(str(target), b"something else", b"new")
    assert target.read_bytes() == (FIXES / "tail.py").read_bytes()


# the fixes' own cases in the fast suite; every case in testdata with the slow tests (CI runs both)
@pytest.mark.parametrize("corpus", ["testdata/fixes", pytest.param("testdata", marks=pytest.mark.slow)])
def test_fixing_every_case_in_testdata(tmp_path, corpus):
    """All safe fixes over the whole tree: everything parses, fixed findings are gone, and it is stable."""
    tree = tmp_path / "testdata"
    shutil.copytree(ROOT / corpus, tree)
    before = run([str(tree)])
    fixable = sum(1 for f in before.findings if f.fix == "safe")
    first = fix([str(tree)])
    assert len(first.fixed) >= fixable > 20
    for path, _, after in first.new_sources:
        write.replace_file(path, Path(path).read_bytes(), after)
    for path in tree.rglob("*.py"):
        cst.parse_module(path.read_bytes())
    after = fix([str(tree)])  # the fixed tree read back: what remains, and nothing more to fix
    assert not any(f.fix == "safe" for f in after.findings)
    assert len(after.findings) == len(before.findings) - len(first.fixed)
    assert after.fixed == () and after.new_sources == ()


ONE_FIX_EACH = ("comments.py", "early_return.py", "tail.py", "two_phase.py")


def test_a_round_of_fixes_is_verified_with_one_analysis(tmp_path, monkeypatch):
    """Four files, one fix each: verified together (one analysis of the fixed program), not four times."""
    for name in ONE_FIX_EACH:
        shutil.copyfile(FIXES / name, tmp_path / name)
    analyses = []

    def counted(loaded, select, ignore):
        analyses.append(sorted(loaded.sources))
        return check(loaded, select, ignore)

    monkeypatch.setattr(pipeline, "check", counted)
    outcome = fix([str(tmp_path)])
    assert sorted(os.path.basename(path) for path, _ in outcome.fixed) == list(ONE_FIX_EACH)
    assert outcome.dropped == ()
    assert {os.path.basename(path): after for path, _, after in outcome.new_sources} == {n: (FIXES / (n + ".fixed")).read_bytes() for n in ONE_FIX_EACH}
    assert len(analyses) <= 3  # the program as read (twice at most: widening to every file, then the fix loop) and fixed


def test_fixes_that_do_not_verify_together_are_tried_one_by_one(tmp_path):
    """One fix of the round does not verify: the others are still applied, it is dropped and said why."""
    shutil.copyfile(FIXES / "tail.py", tmp_path / "tail.py")
    nested = tmp_path / "nested.py"
    nested.write_text(NESTED)
    result = invoke("--fix", "--no-cache", tmp_path)
    assert (tmp_path / "tail.py").read_bytes() == (FIXES / "tail.py.fixed").read_bytes()
    assert nested.read_text() == NESTED
    assert f"{nested}: move the call after the release: not applied, the finding would remain" in result.output
    assert "Fixed 1 error" in result.output


# moving self.inner() out of `with self._a:` leaves it under self._b, which inner() takes too
NESTED = (
    "import threading\n\n\nclass C:\n    def __init__(self):\n        self._a = threading.Lock()\n        self._b = threading.Lock()\n\n"
    "    def outer(self):\n        with self._b:\n            with self._a:\n                self.inner()\n\n"
    "    def inner(self):\n        with self._a:\n            with self._b:\n                pass\n"
)


def test_a_fix_that_does_not_verify_is_dropped_and_said_so(tmp_path):
    target = tmp_path / "nested.py"
    source = NESTED
    target.write_text(source)
    result = invoke("--fix", "--no-cache", target)
    assert target.read_text() == source
    assert f"{target}: move the call after the release: not applied, the finding would remain" in result.output
    assert " LL101 " in result.output


AUGMENTED = "            # advance the clock\n            self.now += dt  # error: LL101\n"


@pytest.mark.parametrize(
    "shape",
    [
        "            dt = dt; self.now += dt\n",  # not alone on its line: three steps do not fit there
        "            if dt: self.now += dt\n",  # the same, in a one-line body
        "            self.now += (self := Clock()) and dt\n",  # the value rebinds the receiver: read and set would differ
    ],
    ids=["shared_line", "one_line_body", "receiver_rebound"],
)
def test_an_augmented_property_update_is_split_only_alone_on_its_line_with_a_stable_receiver(tmp_path, shape):
    source = (FIXES / "split_augmented.py").read_text()
    assert AUGMENTED in source
    target = tmp_path / "augmented.py"
    target.write_text(source.replace(AUGMENTED, shape))
    loaded = load([str(target)])
    found = [d for d in check(loaded, ("LL",), ()) if d.code == "LL101"]
    plans = _plans(loaded, found)
    locate = loaded.locator([d.site for d in found])
    line = source.splitlines().index("            # advance the clock") + 1
    [getter] = [d for d in found if locate(d.site).line == line]
    assert not plans[getter].safe
    assert plans[getter].title.endswith("no _locked split: a property updated this way")
    [setter] = [d for d in found if d is not getter]
    assert plans[setter].safe and plans[setter].title.startswith("split marks()")


def _property_call_plans(method_of_line):
    """The fixes of testdata/ll101/property_calls.py's findings when the analysis points each at
    the method (line -> its name) that `obj.name = property(...)` runs, as a FixRequest does
    for a method summarized from property() (split_kind "method", reached as an attribute)."""
    from dataclasses import replace

    from lintlock import fix as fixer
    from lintlock.summarize import parse

    path = str(ROOT / "testdata" / "ll101" / "property_calls.py")
    loaded = load([path])
    locate = loaded.locator([d.site for d in check(loaded, ("LL",), ())])
    tree = parse(loaded.sources[path])
    nodes = fixer.nodes_of(tree, path, loaded.files[path].module, loaded.files[path].is_package)
    plans = {}
    for diagnostic in check(loaded, ("LL",), ()):
        method = loaded.program.functions["property_calls.VirtualClock." + method_of_line[locate(diagnostic.site).line]]
        acquire = next(e for e in method.events if type(e).__name__ == "Acquire")
        request = replace(
            diagnostic.fix,
            split_site=method.site,
            split_lock=acquire.site,
            split_call=diagnostic.site.site,
            split_target="attr",
            split_kind="method",
            split_via=(),
            split_why="",
        )
        planned = fixer.plan(tree, nodes, request)
        plans[locate(diagnostic.site).line] = (planned.safe, planned.title, planned.tree.code)
    return plans


def test_a_property_made_with_property_is_split_at_its_method():
    """`self.clock` (clock = property(fget=_get_clock)) calls _get_clock_locked(); `self.both = 0.0`
    (both = property(_get_clock, _set_clock)) calls _set_clock_locked(0.0); the property keeps the
    method that takes the lock, for its other users."""
    plans = _property_call_plans({25: "_get_clock", 29: "_set_clock"})
    source = (ROOT / "testdata" / "ll101" / "property_calls.py").read_text()
    getter = source.replace(
        "            return self._clock\n",
        "            return self._get_clock_locked()\n\n    def _get_clock_locked(self):\n"
        '        """The work of _get_clock(), for a caller that already holds self._lock."""\n        return self._clock\n',
    ).replace("return self.clock + 1.0", "return self._get_clock_locked() + 1.0")
    setter = source.replace(
        "            self._clock = value\n",
        "            self._set_clock_locked(value)\n\n    def _set_clock_locked(self, value):\n"
        '        """The work of _set_clock(), for a caller that already holds self._lock."""\n        self._clock = value\n',
    ).replace("self.both = 0.0", "self._set_clock_locked(0.0)")
    assert plans == {
        25: (True, "split _get_clock(): its work under the lock becomes _get_clock_locked(), called here directly", getter),
        29: (True, "split _set_clock(): its work under the lock becomes _set_clock_locked(), called here directly", setter),
    }


def test_a_property_made_with_property_is_not_split_at_a_method_it_does_not_run():
    """The request names a method the property's fget/fset is not: no split (the RLock is all that is left)."""
    plans = _property_call_plans({25: "_set_clock", 29: "_get_clock"})
    assert {line: (safe, title.split(": ")[-1]) for line, (safe, title, _) in plans.items()} == {
        25: (False, "a property used this way"),
        29: (False, "a property used this way"),
    }


def test_a_property_made_with_property_and_overridden_in_a_subclass_is_not_split(tmp_path):
    """`self.seen` may run Quiet's `seen`, not the accessor: no split there (the other one still is)."""
    source = (FIXES / "split_property_call.py").read_text().replace("\n\ndef scenario():", "\n\nclass Quiet(Meter):\n    seen = 0\n\n\ndef scenario():")
    target = tmp_path / "overridden.py"
    target.write_text(source)
    loaded = load([str(target)])
    found = check(loaded, ("LL",), ())
    plans = _plans(loaded, found)
    locate = loaded.locator([d.site for d in found])
    assert sorted((locate(d.site).line, d.fix.split_why, plans[d].safe) for d in found) == [(26, "", True), (27, "Quiet overrides seen", False)]


def test_a_property_made_with_property_and_bound_again_in_its_class_is_not_split(tmp_path):
    """`seen` bound twice in the class body: the class keeps the second, so `self.seen` is left alone."""
    source = (FIXES / "split_property_call.py").read_text()
    rebound = "    seen = property(fget=_get_total)\n"
    assert rebound in source
    target = tmp_path / "rebound.py"
    target.write_text(source.replace(rebound, rebound + "    seen = property(lambda self: -1)\n"))
    loaded = load([str(target)])
    found = check(loaded, ("LL",), ())
    plans = _plans(loaded, found)
    locate = loaded.locator([d.site for d in found])
    assert sorted((locate(d.site).line, plans[d].safe, plans[d].title.split(": ")[-1]) for d in found) == [
        (27, True, "its work under the lock becomes _set_total_locked(), called here directly"),
        (28, False, "a property used this way"),
    ]


def test_a_suppressed_finding_is_not_fixed(tmp_path):
    target = tmp_path / "tail.py"
    source = (FIXES / "tail.py").read_text().replace("self.trim()  # error: LL101", "self.trim()  # noqa: LL101")
    target.write_text(source)
    result = invoke("--fix", "--no-cache", target)
    assert target.read_text() == source
    assert result.exit_code == 0
    invoke("--fix", "--no-cache", "--disable-noqa", target)
    assert target.read_text() != source


@pytest.mark.parametrize("folder", sorted(p for p in FIXES.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_fix_across_files_gives_the_expected_sources(folder, tmp_path):
    """A folder of testdata/fixes is fixed as a whole: each file becomes its `.fixed`."""
    target = tmp_path / folder.name
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns("*.fixed"))
    result = invoke("--fix", "--no-cache", target)
    assert "Fixed " in result.output and " LL101 " not in result.output
    for case in sorted(folder.glob("*.py")):
        expected = case.with_name(case.name + ".fixed")
        assert (target / case.name).read_bytes() == (expected.read_bytes() if expected.exists() else case.read_bytes())
    invoke("--fix", "--no-cache", target)
    for case in sorted(folder.glob("*.py.fixed")):
        assert (target / case.name[: -len(".fixed")]).read_bytes() == case.read_bytes()  # a second run changes nothing
