"""Safe on an untrusted checkout: the cache never executes code; --fix reports what is on disk."""

from __future__ import annotations

import dataclasses
import enum
import json
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import FrozenSet, Optional

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lintlock import model
from lintlock.cache import SummaryCache
from lintlock.cli import main
from lintlock.codec import Codec, Malformed, dataclasses_and_enums
from lintlock.config import Settings
from lintlock.pipeline import Outcome, run
from lintlock.problems import Finding
from lintlock.store import Result

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "testdata" / "ll101" / "seed_create_delete.py"


def invoke(*args):
    """stdout and stderr apart (click 8.2+ always keeps both; 8.1, on Python 3.9, needs mix_stderr=False)."""
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


class _Exploit:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_cache_entry_runs_nothing(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "mod.py").write_bytes(SEED.read_bytes())
    cache = project / ".lintlock_cache"
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Exploit(str(marker)))
    assert b"system" in payload
    settings = Settings(cache_dir=str(cache), full=True)
    expected = run([str(project)], Settings(full=True))
    run([str(project)], settings)
    entries = sorted(cache.rglob("*.json"))
    assert entries
    # every entry replaced: by a pickle (the old format), and by JSON naming a callable
    for number, entry in enumerate(entries):
        planted = [payload, json.dumps([2, "k", "c", {"!": "system", "command": f"touch {marker}"}]).encode()][number % 2]
        entry.write_bytes(planted)
        entry.with_suffix(".pickle").write_bytes(payload)
    outcome = run([str(project)], settings)
    assert not marker.exists()
    assert outcome.findings == expected.findings  # the planted entries were misses
    # and through the command line, with the cache inside the analysed tree
    result = invoke("--cache-dir", cache, project / "mod.py")
    assert result.exit_code == 1 and not marker.exists()


def test_lintlock_never_loads_pickle():
    source = "\n".join(p.read_text() for p in (ROOT / "lintlock").rglob("*.py") if "runtime" not in p.parts)
    for forbidden in ("import pickle", "import marshal", "import shelve", "eval(", "exec("):
        assert forbidden not in source


CODEC = Codec(dataclasses_and_enums(model) + (Finding, Result, Outcome))


def test_codec_round_trips_the_model():
    outcome = run([str(ROOT / "testdata" / "ll101")], Settings(full=True))
    assert CODEC.loads(CODEC.dumps(outcome), Outcome) == outcome
    summary = model.ModuleSummary(
        "m.py",
        "m",
        (),
        (model.FunctionSummary("m.f", "f", ("a",), (model.Acquire(1, model.LockPath("self", ("_mu",)), (model.Held(0),), True, "with"),)),),
        (),
        (),
    )
    assert CODEC.loads(CODEC.dumps(Result(summary, None)), Result) == Result(summary, None)


@pytest.mark.parametrize(
    "document",
    [
        '{"!": "Finding", "path": "p"}',  # fields missing
        '{"!": "Finding", "path": "p", "line": "1", "column": 1, "end_line": 1, "end_column": 1, "code": "LL101", "message": "m"}',  # a str for an int
        '{"!": "Finding", "path": "p", "line": true, "column": 1, "end_line": 1, "end_column": 1, "code": "LL101", "message": "m"}',  # a bool for an int
        '{"!": "Finding", "path": "p", "line": 1, "column": 1, "end_line": 1, "end_column": 1, "code": "LL101", "message": "m", "extra": 1}',
        '{"!": "Popen", "args": "id"}',  # not a registered class
        '{"!": "frozenset", "=": 3}',
        "[" * 100000,  # nested too deeply
        "not json",
    ],
)
def test_codec_rejects_malformed_data(document):
    with pytest.raises(Malformed):
        CODEC.loads(document.encode(), Finding)


def test_codec_checks_events_and_closed_string_sets():
    """FunctionSummary.events holds only events, and Literal-typed fields only their strings."""
    function = model.FunctionSummary("m.f", "f", (), (model.Await(1, (), "async for"),), kind="setter")
    document = CODEC.dumps(function)
    assert CODEC.loads(document, model.FunctionSummary) == function
    another_class = document.replace(b'{"!":"Await","site":1,"held":[],"how":"async for"}', b'{"!":"LockPath","base":"x"}')
    misspelt = document.replace(b'"async for"', b'"async fro"')
    unknown_kind = document.replace(b'"setter"', b'"getter"')
    for bad in (another_class, misspelt, unknown_kind):
        assert bad != document
        with pytest.raises(Malformed):
            CODEC.loads(bad, model.FunctionSummary)


def test_cache_misses_on_foreign_entries(tmp_path):
    cache = SummaryCache(str(tmp_path), CODEC)
    cache.put("runs", "key", "check", 5)
    assert cache.get("runs", "key", "check") == 5
    assert cache.get("runs", "key", "other check") is None
    assert cache.get("runs", "key", "check", str) is None  # not the type asked for
    assert cache.get("runs", "other key", "check") is None


SEED_LINE_END = "LL101 [*] self.delete() is called while holding self._mu (acquired at line 15); Task.delete acquires self._mu again at line 21"


def _unwritable(monkeypatch):
    import lintlock.cli as cli

    def refuse(path, before, after):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(cli, "replace_file", refuse)


def test_fix_that_cannot_be_written_is_not_a_success(tmp_path, monkeypatch):
    target = tmp_path / "mod.py"
    target.write_bytes(SEED.read_bytes())
    _unwritable(monkeypatch)
    result = invoke("--no-cache", "--fix", target)
    assert result.exit_code == 2
    assert result.stderr == f"{target}: not fixed: PermissionError: Permission denied\n"
    assert result.stdout.splitlines() == [
        f"{target}:18:17: {SEED_LINE_END}",
        "Found 1 error (1 fixable with --fix).",
        "Run `lintlock rule CODE` for what a code means and how to fix it.",
    ]
    assert target.read_bytes() == SEED.read_bytes()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write read-only files")
def test_fix_on_a_read_only_folder_exits_non_zero(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "mod.py").write_bytes(SEED.read_bytes())
    folder.chmod(0o555)
    try:
        result = invoke("--no-cache", "--fix", folder / "mod.py")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2
    assert "All checks passed!" not in result.output
    assert f"{folder / 'mod.py'}:18:17: LL101" in result.output


def test_file_changed_during_the_run_is_not_overwritten(tmp_path, monkeypatch):
    import lintlock.cli as cli

    target = tmp_path / "mod.py"
    target.write_bytes(SEED.read_bytes())
    edited = SEED.read_bytes() + b"\n# edited meanwhile\n"
    original_fix = cli.fix

    def fix_then_edit(*args, **kwargs):
        outcome = original_fix(*args, **kwargs)
        target.write_bytes(edited)  # the user saves in the editor while lintlock runs
        return outcome

    monkeypatch.setattr(cli, "fix", fix_then_edit)
    result = invoke("--no-cache", "--fix", target)
    assert result.exit_code == 2
    assert result.stderr == f"{target}: not fixed: it changed on disk during the run\n"
    assert f"{target}:18:17: {SEED_LINE_END}" in result.stdout.splitlines()
    assert target.read_bytes() == edited


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_fix_through_a_symlink_fixes_the_target_and_keeps_links(tmp_path):
    real = tmp_path / "real.py"
    real.write_bytes(SEED.read_bytes())
    real.chmod(0o640)
    hard = tmp_path / "hard.py.bak"
    os.link(real, hard)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    result = invoke("--no-cache", "--fix", link)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Fixed 1 error.\n"
    assert link.is_symlink() and os.readlink(link) == str(real)
    fixed = real.read_bytes()
    assert fixed != SEED.read_bytes() and run([str(real)]).findings == ()  # the target is fixed
    assert hard.read_bytes() == fixed and os.stat(hard).st_ino == os.stat(real).st_ino  # one file, every link sees the fix
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".lintlock-")]  # no temporary left


def test_fixed_count_is_the_findings_removed(tmp_path):
    """One fix can remove two findings (two calls under one lock moved together)."""
    target = tmp_path / "mod.py"
    target.write_text(
        "import threading\n\n\nclass Task:\n    def __init__(self):\n        self._mu = threading.Lock()\n\n"
        "    def create(self):\n        with self._mu:\n            self.delete()\n            self.delete()\n\n"
        "    def delete(self):\n        with self._mu:\n            pass\n"
    )
    before = run([str(target)])
    assert [f.line for f in before.findings] == [10, 11]
    result = invoke("--no-cache", "--fix", target)
    after = run([str(target)])
    removed = len(before.findings) - len(after.findings)
    assert removed >= 1
    assert f"Fixed {removed} error{'s' if removed != 1 else ''}" in result.stdout


def test_fixed_count_counts_findings_not_fixes():
    from lintlock.cli import _fixed_count

    remaining = Finding("a.py", 9, 1, 9, 2, "LL101", "m")
    outcome = Outcome((remaining, Finding("b.py", 1, 1, 1, 1, "LL101", "m")), 2, 0, fixed=(("a.py", "one fix"),), before_fixes=(("a.py", 3),))
    assert _fixed_count(outcome, {"a.py": (b"", b"")}) == 2
    assert _fixed_count(outcome, {}) == 0  # nothing written, nothing fixed


def test_fifo_is_ll001_and_does_not_hang(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "seed.py").write_bytes(SEED.read_bytes())
    result = invoke("--no-cache", tmp_path)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        f"{tmp_path / 'pipe.py'}:1:1: LL001 cannot read: a FIFO, not a regular file",
        f"{tmp_path / 'seed.py'}:18:17: {SEED_LINE_END}",
    ]
    named = invoke("--no-cache", tmp_path / "pipe.py")
    assert named.stdout.splitlines()[0] == f"{tmp_path / 'pipe.py'}:1:1: LL001 cannot read: a FIFO, not a regular file"


class _Mode(enum.Enum):
    READ = "read"
    WRITE = "write"


@dataclasses.dataclass(frozen=True)
class _Checked:
    name: str
    mode: _Mode
    tags: FrozenSet[str] = frozenset()
    limit: Optional[int] = None

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a name is needed")


def test_codec_is_generic_enums_frozensets_and_validating_init():
    codec = Codec((_Checked, _Mode))
    value = _Checked("a", _Mode.WRITE, frozenset({"x", "y"}), 3)
    assert codec.loads(codec.dumps(value), _Checked) == value
    assert codec.dumps(_Checked("b", _Mode.READ)) == b'{"!":"_Checked","name":"b","mode":{"!":"_Mode","=":"read"}}'
    for bad in (b'{"!":"_Checked","name":"","mode":{"!":"_Mode","=":"read"}}', b'{"!":"_Checked","name":"a","mode":{"!":"_Mode","=":"exec"}}'):
        with pytest.raises(Malformed):
            codec.loads(bad, _Checked)
    with pytest.raises(TypeError):
        codec.dumps(object())  # not plain data: the cache skips it


def test_a_checkout_cannot_point_the_cache_elsewhere(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / "mod.py").write_bytes(SEED.read_bytes())
    monkeypatch.delenv("LINTLOCK_CACHE_DIR", raising=False)
    for value in ("../outside", "/tmp/x", "~/x", "."):
        (project / "pyproject.toml").write_text(f'[tool.lintlock]\ncache-dir = "{value}"\n')
        result = invoke(project / "mod.py")
        assert result.exit_code == 2, value
        assert "`cache-dir` must be a folder inside the project" in result.stderr
    assert not (tmp_path / "outside").exists()


def test_the_cache_never_writes_into_a_folder_it_did_not_make(tmp_path):
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "letter.txt").write_text("dear")
    (tmp_path / "mod.py").write_bytes(SEED.read_bytes())
    assert invoke("--cache-dir", foreign, tmp_path / "mod.py").exit_code == 1
    assert sorted(p.name for p in foreign.iterdir()) == ["letter.txt"]
    assert invoke("clean", "--cache-dir", foreign).stdout == ""
    assert (foreign / "letter.txt").read_text() == "dear"


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5) | st.sampled_from(["!", "=", "Finding", "Result", "LockPath"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["!", "=", "path", "line", "summary", "base", "attrs", "x"]), inner, max_size=4)
    ),
    max_leaves=20,
)


@hypothesis_settings(deadline=None)  # examples: the profile (tests/conftest.py), 300 with --slow
@given(_json, st.sampled_from([object, Finding, Result, Outcome, model.LockPath]))
def test_codec_raises_only_malformed_on_any_json(document, hint):
    try:
        CODEC.decode(document, hint)
    except Malformed:
        pass


@hypothesis_settings(deadline=None)  # examples: the profile (tests/conftest.py), 300 with --slow
@given(
    st.builds(
        Finding,
        st.text(),
        st.integers(),
        st.integers(),
        st.integers(),
        st.integers(),
        st.text(),
        st.text(),
        st.sampled_from(["", "safe", "unsafe"]),
        st.text(),
        st.lists(st.text()).map(tuple),
    )
)
def test_codec_round_trips_any_finding(finding):
    assert CODEC.loads(CODEC.dumps(finding), Finding) == finding
