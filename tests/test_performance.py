"""The machinery behind speed: on-demand parsing, the summary cache, parallel parsing.

Speed itself is measured by benchmarks/bench.py, never by a timed test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_reliability import CORPORA, cache_runs, reference_run

from lintlock import cache as cache_module
from lintlock import store
from lintlock.config import LockFactory, Settings
from lintlock.pipeline import load, run

ROOT = Path(__file__).resolve().parent.parent

# A chain that passes through files that never mention a lock.
CORPUS = {
    "app/__init__.py": "",
    "app/locks.py": "import threading\n\n\nclass Base:\n    def __init__(self):\n        self._mu = threading.Lock()\n\n    def reset(self):\n        with self._mu:\n            pass\n",
    # uses the lock by name only: found through the learned name `_mu`
    "app/child.py": "from app.locks import Base\nfrom app import relay\n\n\nclass Child(Base):\n    def run(self):\n        with self._mu:\n            relay.forward(self)\n",
    # no lock vocabulary at all: parsed only because a locked region calls into it
    "app/relay.py": "from app import hop\n\n\ndef forward(obj):\n    hop.again(obj)\n",
    "app/hop.py": "from app.locks import Base\n\n\ndef again(obj: Base):\n    obj.reset()\n",
    # a decorator that locks, used where no lock is mentioned
    "app/sync.py": "import functools\n\n\ndef synchronized(method):\n    @functools.wraps(method)\n    def wrapper(self, *args):\n        with self._mu:\n            return method(self, *args)\n\n    return wrapper\n",
    "app/user.py": "from app.locks import Base\nfrom app.sync import synchronized\n\n\nclass User(Base):\n    @synchronized\n    def save(self):\n        self.reset()\n",
    # unrelated, lock-free: never needs parsing
    "app/unrelated.py": "def add(a, b):\n    return a + b\n",
}


def make_corpus(root: Path) -> Path:
    for name, text in CORPUS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def lines(outcome):
    return [(os.path.basename(f.path), f.line, f.code, f.message) for f in outcome.findings]


@pytest.mark.parametrize("parts", CORPORA)
def test_on_demand_equals_full_on_testdata(parts):
    paths = [str(ROOT / "testdata" / part) for part in parts] if parts else [str(ROOT / "testdata")]
    # the findings are compared, not their fixes: no fix planning (a third of each run)
    on_demand = run(paths, Settings(full=False), plan_fixes=False)
    assert len(on_demand.findings) > 80
    assert lines(on_demand) == lines(run(paths, Settings(full=True), plan_fixes=False))


def test_on_demand_equals_full_through_lock_free_files(tmp_path):
    make_corpus(tmp_path)
    on_demand = run([str(tmp_path)], Settings())
    full = run([str(tmp_path)], Settings(full=True))
    assert lines(on_demand) == lines(full)
    assert [(name, line, code) for name, line, code, _ in lines(full)] == [("child.py", 8, "LL101"), ("user.py", 8, "LL101")]
    assert "via forward -> again -> reset" in lines(full)[0][3]
    loaded = load([str(tmp_path)], Settings())
    parsed = sorted(os.path.basename(p) for p in loaded.summaries)
    assert "unrelated.py" not in parsed and "relay.py" in parsed and "hop.py" in parsed


def test_generated_corpus_on_demand_equals_full(tmp_path):
    """Many modules; every third one is lock-free and sits in the middle of a chain."""
    for i in range(30):
        if i % 3 == 0:
            text = f"import threading\nfrom gen import m{i + 1}\n\nlock{i} = threading.Lock()\n\n\ndef entry():\n    with lock{i}:\n        m{i + 1}.step()\n\n\ndef take():\n    with lock{i}:\n        pass\n"
        elif i % 3 == 1:
            text = f"from gen import m{i + 1}\n\n\ndef step():\n    m{i + 1}.finish()\n"
        else:
            text = f"from gen import m{i - 2}\n\n\ndef finish():\n    m{i - 2}.take()\n"
        path = tmp_path / "gen" / f"m{i}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    (tmp_path / "gen" / "__init__.py").write_text("")
    full = run([str(tmp_path)], Settings(full=True))
    assert len(full.findings) == 10
    assert lines(run([str(tmp_path)], Settings())) == lines(full)


def counting(monkeypatch):
    calls = []
    original = store.summarize_file

    def counted(source_file, data):
        calls.append(os.path.basename(source_file.path))
        return original(source_file, data)

    monkeypatch.setattr(store, "summarize_file", counted)
    return calls


def test_cache_hit_and_content_invalidation(tmp_path, monkeypatch):
    project = make_corpus(tmp_path / "p")
    settings = Settings(cache_dir=str(tmp_path / "cache"), full=True)
    calls = counting(monkeypatch)
    first = run([str(project)], settings)
    assert len(calls) == len(CORPUS)
    calls.clear()
    assert run([str(project)], settings) == first and calls == []  # nothing changed: the run's memo
    hop = project / "app" / "hop.py"
    hop.write_text("def again(obj):\n    pass\n")
    changed = run([str(project)], settings)
    assert calls == ["hop.py"]  # only the changed file is summarized again
    assert [line[0] for line in lines(changed)] == ["user.py"]


def test_version_and_config_invalidate(tmp_path, monkeypatch):
    project = make_corpus(tmp_path / "p")
    settings = Settings(cache_dir=str(tmp_path / "cache"))
    run([str(project)], settings)
    calls = counting(monkeypatch)
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another lintlock")
    run([str(project)], settings)
    assert calls  # a new lintlock does not trust the old summaries
    factory = tmp_path / "p" / "app" / "locks.py"
    factory.write_text(factory.read_text().replace("threading.Lock()", "make()").replace("import threading", "from vendor import make"))
    assert run([str(project)], settings).findings == ()
    configured = Settings(cache_dir=str(tmp_path / "cache"), lock_factories=(LockFactory("vendor.make", False),))
    assert len(run([str(project)], configured).findings) == 2


def test_corrupt_cache_entries_are_ignored_and_rewritten(tmp_path, monkeypatch):
    project = make_corpus(tmp_path / "p")
    directory = tmp_path / "cache"
    settings = Settings(cache_dir=str(directory), full=True)
    expected = run([str(project)], settings)
    entries = sorted((directory / "summaries").rglob("*.json"))
    assert len(entries) == len(CORPUS)  # one entry per file
    for number, entry in enumerate(entries):
        data = entry.read_bytes()
        entry.write_bytes([b"", data[: len(data) // 2], b"garbage", b'[2, "k", "c", {"!": "Result", "summary": 1}]'][number % 4])
    shutil.rmtree(directory / "runs")
    calls = counting(monkeypatch)
    assert lines(run([str(project)], settings)) == lines(expected)
    assert sorted(calls) == sorted(os.path.basename(name) for name in CORPUS)
    calls.clear()
    shutil.rmtree(directory / "runs")
    assert run([str(project)], settings) == expected and calls == []  # rewritten: whole and readable again
    assert (directory / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (directory / ".gitignore").read_text().endswith("*\n")


def test_edits_and_other_working_directories_reuse_one_entry_per_file(tmp_path, monkeypatch):
    project = make_corpus(tmp_path / "p")
    directory = tmp_path / "cache"
    settings = Settings(cache_dir=str(directory), full=True)
    hop = project / "app" / "hop.py"
    for edit in range(5):
        hop.write_text(f"def again(obj):\n    return {edit}\n")
        run([str(project)], settings)
    hop.write_text(CORPUS["app/hop.py"])
    run([str(project)], settings)
    assert len(list((directory / "summaries").rglob("*.json"))) == len(CORPUS)
    assert len(list((directory / "runs").rglob("*.json"))) == 1
    calls = counting(monkeypatch)
    monkeypatch.chdir(project / "app")
    moved = run([".."], settings)  # other displayed paths: summaries reused, shown under the new paths
    assert calls == []
    assert sorted({f.path for f in moved.findings}) == [os.path.join("..", "app", "child.py"), os.path.join("..", "app", "user.py")]


def test_run_memos_are_pruned(tmp_path):
    from lintlock.cache import SummaryCache

    cache = SummaryCache(str(tmp_path))
    for number in range(40):
        cache.put("runs", f"run {number}", "check", number)
        os.utime(cache._file("runs", f"run {number}"), (number, number))
    cache.put("summaries", "old file", "check", 1)
    os.utime(cache._file("summaries", "old file"), (0, 0))
    cache.put("summaries", "new file", "check", 1)
    cache.prune(now=40 * 24 * 3600)
    assert [cache.get("runs", f"run {n}", "check") for n in (0, 7, 8, 39)] == [None, None, 8, 39]
    assert cache.get("summaries", "old file", "check") is None
    assert cache.get("summaries", "new file", "check") == 1


def test_default_cache_is_outside_the_project(tmp_path, monkeypatch):
    make_corpus(tmp_path / "project")
    (tmp_path / "project" / "pyproject.toml").write_text("")
    monkeypatch.chdir(tmp_path / "project" / "app")
    monkeypatch.delenv("LINTLOCK_CACHE_DIR", raising=False)
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda name, appauthor=None: str(tmp_path / "user-cache" / name))
    from click.testing import CliRunner

    from lintlock.cli import main

    assert CliRunner().invoke(main, ["child.py"]).exit_code == 1
    made = list((tmp_path / "user-cache" / "lintlock").iterdir())
    assert [p.name.split("-")[0] for p in made] == ["project"]
    assert (made[0] / "CACHEDIR.TAG").exists()
    assert not list((tmp_path / "project").rglob("*.json"))
    # configured in the project, relative to its file; the environment variable moves it too
    (tmp_path / "project" / "pyproject.toml").write_text('[tool.lintlock]\ncache-dir = ".cache/ll"\n')
    CliRunner().invoke(main, ["child.py"])
    assert (tmp_path / "project" / ".cache" / "ll" / "CACHEDIR.TAG").exists()
    monkeypatch.setenv("LINTLOCK_CACHE_DIR", str(tmp_path / "env"))
    CliRunner().invoke(main, ["child.py"])
    assert (tmp_path / "env" / "CACHEDIR.TAG").exists()
    # `lintlock clean` removes the project's cache, and only a folder lintlock made
    assert CliRunner().invoke(main, ["clean"]).output == f"Removed {tmp_path / 'env'}\n"
    assert not (tmp_path / "env").exists()
    monkeypatch.delenv("LINTLOCK_CACHE_DIR")
    assert CliRunner().invoke(main, ["clean"]).output == f"Removed {tmp_path / 'project' / '.cache' / 'll'}\n"
    (tmp_path / "project" / "mine").mkdir()
    assert CliRunner().invoke(main, ["clean", "--cache-dir", str(tmp_path / "project" / "mine")]).output == ""
    assert (tmp_path / "project" / "mine").exists()


@pytest.mark.parametrize("parts", CORPORA)
def test_jobs_do_not_change_the_output(parts, testdata_runs, testdata_cache_runs):
    # the same runs as test_reliability's determinism test: made once per session (-j 1; -j 2)
    outputs = [reference_run(testdata_runs, parts).stdout, cache_runs(testdata_cache_runs, parts)[0][1]]
    assert outputs[0] == outputs[1]
    assert outputs[0].count(" LL1") > 80


def test_fingerprint_covers_the_tables_not_the_runtime(tmp_path, monkeypatch):
    from lintlock import knowledge

    first = cache_module.code_fingerprint()
    assert cache_module.code_fingerprint() == first
    tables = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", tables)
    (tables / "locks.toml").write_text((tables / "locks.toml").read_text() + "\n# changed\n")
    monkeypatch.setattr(knowledge, "rules_dir", lambda: tables)
    cache_module.code_fingerprint.cache_clear()
    try:
        assert cache_module.code_fingerprint() != first
    finally:
        cache_module.code_fingerprint.cache_clear()
