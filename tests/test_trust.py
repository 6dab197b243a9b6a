"""Safe on an untrusted checkout: the cache never executes code; --fix reports what is on disk."""
from __future__ import annotations

import json
import os
import pickle
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lintlock.cache import SummaryCache
from lintlock.cli import main
from lintlock.codec import Codec, Malformed, dataclasses_and_enums
from lintlock import model
from lintlock.config import Settings
from lintlock.pipeline import Outcome, run
from lintlock.problems import Finding
from lintlock.store import Result

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "testdata" / "ll101" / "seed_create_delete.py"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


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
        "m.py", "m", (), (model.FunctionSummary("m.f", "f", ("a",), (model.Acquire(1, model.LockPath("self", ("_mu",)), (model.Held(0),), True, "with"),)),), (), ()
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


def test_cache_misses_on_foreign_entries(tmp_path):
    cache = SummaryCache(str(tmp_path), CODEC)
    cache.put("runs", "key", "check", 5)
    assert cache.get("runs", "key", "check") == 5
    assert cache.get("runs", "key", "other check") is None
    assert cache.get("runs", "key", "check", str) is None  # not the type asked for
    assert cache.get("runs", "other key", "check") is None
