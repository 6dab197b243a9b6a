"""What a warm run does (issue 16): nothing is parsed or checked again, whichever way the run's memo misses.

The memo of a whole run answers only the same command from the same folder; every other run
(another folder, other options, a file edited) rebuilds the program from the summaries and
syntax verdicts the cache keeps per file. Speed itself is measured by benchmarks/bench.py.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from lintlock import pipeline, store
from lintlock.checks import RULES
from lintlock.config import Settings
from lintlock.pipeline import run

LOCKS = "import threading\n\n_lock = threading.Lock()\n\n\ndef outer():\n    with _lock:\n        helper.inner()\n"
PROJECT = {
    "pkg/__init__.py": "",
    "pkg/app.py": "import threading\n\nfrom pkg import helper\n\n_lock = threading.Lock()\n\n\ndef outer():\n    with _lock:\n        helper.inner()\n",
    # no lock vocabulary: parsed because code under the lock calls into it
    "pkg/helper.py": "from pkg import app\n\n\ndef inner():\n    with app._lock:\n        pass\n",
    # never parsed: only its syntax is checked (CPython's parser), and that verdict is cached too
    "pkg/plain.py": "def add(a, b):\n    return a + b\n",
    "pkg/broken.py": "def broken(:\n    pass\n",
}


def make_project(root: Path) -> Path:
    for name, text in PROJECT.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def watch(monkeypatch) -> dict:
    """Counts of files parsed by libcst and syntax checks computed (cache misses)."""
    counts = {"parsed": [], "syntax": 0}
    summarize, syntax_batch = store.summarize_file, store._syntax_batch

    def parsed(source_file, data):
        counts["parsed"].append(os.path.basename(source_file.path))
        return summarize(source_file, data)

    def checked(items):
        counts["syntax"] += len(items)
        return syntax_batch(items)

    monkeypatch.setattr(store, "summarize_file", parsed)
    monkeypatch.setattr(store, "_syntax_batch", checked)
    return counts


def codes(outcome) -> list:
    return [(os.path.basename(f.path), f.line, f.code) for f in outcome.findings]


def test_a_warm_run_whose_memo_misses_parses_and_checks_nothing(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p")
    counts = watch(monkeypatch)
    cold = run([str(project)], Settings(cache_dir=str(tmp_path / "cache")))
    assert sorted(counts["parsed"]) == ["app.py", "broken.py", "helper.py"]  # broken.py: libcst confirms the LL001
    assert counts["syntax"] == 3  # __init__.py, plain.py and broken.py, by CPython's parser (not helper.py: parsed meanwhile)
    assert codes(cold) == [("app.py", 10, "LL101"), ("broken.py", 1, "LL001")]
    counts["parsed"].clear()
    counts["syntax"] = 0
    # another folder and another option: the run's memo misses, the per-file entries do not
    monkeypatch.chdir(project / "pkg")
    warm = run([str(project)], Settings(cache_dir=str(tmp_path / "cache")), plan_fixes=False)
    assert counts == {"parsed": [], "syntax": 0}
    assert codes(warm) == codes(cold)


def test_an_edited_file_is_the_only_one_parsed_again(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p")
    settings = Settings(cache_dir=str(tmp_path / "cache"))
    run([str(project)], settings)
    counts = watch(monkeypatch)
    (project / "pkg" / "plain.py").write_text("def add(a, b):\n    return b + a\n")
    (project / "pkg" / "helper.py").write_text("from pkg import app\n\n\ndef inner():\n    pass\n")
    assert codes(run([str(project)], settings)) == [("broken.py", 1, "LL001")]
    assert counts == {"parsed": ["helper.py"], "syntax": 1}


def test_collections_are_rarer_during_a_run_and_restored_after(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p")
    seen = []
    rule = RULES[0]
    original = type(rule).check

    def check(self, program):
        seen.append(gc.get_threshold())
        return original(self, program)

    monkeypatch.setattr(type(rule), "check", check)
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # CPython's defaults
    try:
        run([str(project)], Settings(cache_dir=None))
        pipeline.load([str(project)], Settings(cache_dir=None))
        during_load = None
        with pipeline.fewer_collections():
            during_load = gc.get_threshold()
        after = gc.get_threshold()
    finally:
        gc.set_threshold(*before)
    assert seen and seen[0][0] >= 100_000
    assert during_load is not None and during_load[0] >= 100_000
    assert after == (700, 10, 10)
