"""Never crash, never lose a byte: bad input, internal errors, fuzzing, determinism, concurrency."""

from __future__ import annotations

import os
import random
import shutil
import sysconfig
from pathlib import Path

import pytest
from click.testing import CliRunner

from lintlock import pipeline
from lintlock import summarize as summarize_module
from lintlock.cli import main
from lintlock.config import Settings
from lintlock.pipeline import run

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "testdata" / "ll101" / "seed_create_delete.py").read_bytes()
STDLIB = Path(sysconfig.get_paths()["stdlib"])


def invoke(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def with_seed(tmp_path: Path) -> Path:
    """Every bad input sits next to a real bug, which must still be found."""
    (tmp_path / "seed.py").write_bytes(SEED)
    return tmp_path


def reported(result):
    return [line for line in result.output.splitlines() if ": LL" in line]


BAD_INPUTS = {
    "syntax.py": (b"def f(:\n    pass\n", "syntax.py:1:7: LL001 cannot parse: invalid syntax"),
    "python2.py": (b"print 'hello'\n", "python2.py:1:"),  # position and wording are CPython's, per version
    "raise2.py": (b"raise E, 'msg'\n", "raise2.py:1:8: LL001 cannot parse: invalid syntax"),
    "octal2.py": (b"x = 0777\n", "octal2.py:1:"),
    "latin1.py": (b"name = '\xe9t\xe9'\nLock = 1\n", "latin1.py:1:1: LL001 cannot parse: invalid or missing encoding declaration"),
    "nul.py": (b"x = 1\x00\nLock = 2\n", "nul.py:1:1: LL001 "),
    "deep_expression.py": (b"Lock = " + b"(" * 2000 + b"1" + b")" * 2000 + b"\n", "deep_expression.py:1:1: LL001 "),
    "deep_chain.py": (b"Lock = " + b"1+" * 20000 + b"1\n", "deep_chain.py:1:1: LL001 cannot analyse: an expression nests more than 2500 levels deep"),
    "deep_blocks.py": (b"".join(b"    " * i + b"if Lock:\n" for i in range(2000)) + b"    " * 2000 + b"pass\n", "deep_blocks.py:"),
}
GOOD_INPUTS = {
    "latin1_cookie.py": b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\nimport threading\nLock = threading.Lock\n",
    "bom.py": b"\xef\xbb\xbfimport threading\nlock = threading.Lock()\n",
    "crlf.py": SEED.replace(b"\n", b"\r\n"),
    "cr.py": SEED.replace(b"\n", b"\r"),
    "empty.py": b"",
    "café_✓.py": SEED,
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_a_diagnostic(tmp_path, name):
    data, expected = BAD_INPUTS[name]
    with_seed(tmp_path)
    (tmp_path / name).write_bytes(data)
    result = invoke("--no-cache", tmp_path)
    lines = reported(result)
    assert result.exit_code == 1
    mine = [line for line in lines if line.startswith(str(tmp_path / name) + ":")]
    assert mine and all(" LL001 " in line for line in mine), lines
    assert any(line.startswith(f"{tmp_path / expected}") for line in mine), lines
    assert any(line.startswith(f"{tmp_path / 'seed.py'}:18:17: LL101") for line in lines)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(GOOD_INPUTS))
def test_odd_but_valid_input(tmp_path, name):
    (tmp_path / name).write_bytes(GOOD_INPUTS[name])
    lines = reported(invoke("--no-cache", tmp_path))
    assert not any(" LL001 " in line or " LL900 " in line for line in lines), lines
    if GOOD_INPUTS[name] in (SEED, SEED.replace(b"\n", b"\r\n"), SEED.replace(b"\n", b"\r")):
        assert [line.split(": ", 1)[1][:5] for line in lines] == ["LL101"]
        assert lines[0].startswith(f"{tmp_path / name}:18:17:")


@pytest.mark.slow  # scale: a 5 MB module (CI runs the slow tests after the fast suite)
def test_five_megabyte_file(tmp_path):
    body = "".join(f"def f{i}(lock):\n    with lock:\n        return {i}\n" for i in range(100_000))
    (tmp_path / "big.py").write_text("import threading\n" + body)
    assert (tmp_path / "big.py").stat().st_size > 5_000_000
    with_seed(tmp_path)
    result = invoke("--no-cache", "-j", "1", tmp_path)
    assert [line.split(": ", 1)[1][:5] for line in reported(result)] == ["LL101"]


def test_paths_that_are_not_files(tmp_path):
    with_seed(tmp_path)
    (tmp_path / "dir.py").mkdir()
    (tmp_path / "dir.py" / "inner.py").write_bytes(SEED)
    (tmp_path / "loop_a.py").symlink_to(tmp_path / "loop_b.py")
    (tmp_path / "loop_b.py").symlink_to(tmp_path / "loop_a.py")
    (tmp_path / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    (tmp_path / "cycle").symlink_to(tmp_path)  # a directory symlink loop: not followed
    result = invoke("--no-cache", tmp_path)
    lines = reported(result)
    assert f"{tmp_path / 'dir.py' / 'inner.py'}:18:17: LL101" in "\n".join(lines)
    for broken in ("loop_a.py", "loop_b.py", "dangling.py"):
        assert any(line.startswith(f"{tmp_path / broken}:1:1: LL001 cannot read:") for line in lines), lines
    assert len([line for line in lines if " LL101 " in line]) == 2
    assert "Traceback" not in result.output


def test_unreadable_and_vanishing_files(tmp_path, monkeypatch):
    with_seed(tmp_path)
    (tmp_path / "secret.py").write_bytes(SEED)
    (tmp_path / "gone.py").write_bytes(SEED)
    real_open = open

    def guarded_open(path, *args, **kwargs):
        name = os.path.basename(str(path))
        if name == "secret.py":
            raise PermissionError(13, "Permission denied", str(path))
        if name == "gone.py":
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "open", guarded_open, raising=False)
    lines = [(os.path.basename(f.path), f.line, f.code, f.message) for f in run([str(tmp_path)]).findings]
    assert ("secret.py", 1, "LL001", "cannot read: Permission denied") in lines
    assert ("gone.py", 1, "LL001", "cannot read: No such file or directory") in lines
    assert [name for name, _, code, _ in lines if code == "LL101"] == ["seed.py"]


def test_missing_path_argument(tmp_path):
    result = invoke(tmp_path / "missing.py")
    assert result.exit_code == 2
    assert "missing.py: no such file or directory" in result.output
    assert "Traceback" not in result.output


def test_internal_error_is_ll900_and_the_run_goes_on(tmp_path, monkeypatch):
    with_seed(tmp_path)
    (tmp_path / "trigger.py").write_text("import threading\nlock = threading.Lock()\n")
    original = summarize_module.summarize  # what store.summarize_file imports when it parses

    def buggy(source, path, *args, **kwargs):
        if path.endswith("trigger.py"):
            raise KeyError("a bug")
        return original(source, path, *args, **kwargs)

    monkeypatch.setattr(summarize_module, "summarize", buggy)
    result = invoke("--no-cache", "-j", "1", tmp_path)
    assert result.exit_code == 2
    lines = reported(result)
    assert any(line.startswith(f"{tmp_path / 'trigger.py'}:1:1: LL900 internal error: KeyError: 'a bug'") for line in lines)
    assert any(" LL101 " in line for line in lines)
    assert "Traceback" not in result.output
    verbose = invoke("--no-cache", "-j", "1", "--verbose", tmp_path)
    assert "Traceback (most recent call last)" in verbose.output


# -- fuzzing ---------------------------------------------------------------------------


def _analyse_source(tmp_path: Path, data: bytes) -> None:
    """The whole pipeline on one file: findings or LL001, never an exception or LL900."""
    target = tmp_path / "fuzz.py"
    target.write_bytes(data)
    outcome = run([str(target)], Settings(full=True))
    assert outcome.internal_errors == 0, [f.message for f in outcome.findings if f.code == "LL900"]


@pytest.mark.slow
def test_generated_programs_never_crash(tmp_path_factory, slow):
    hypothesmith = pytest.importorskip("hypothesmith")
    from hypothesis import HealthCheck, given, settings

    folder = tmp_path_factory.mktemp("fuzz")

    @settings(max_examples=2000 if slow else 150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=not slow)
    @given(hypothesmith.from_node())
    def check(source):
        _analyse_source(folder, ("import threading\nlock = threading.Lock()\n" + source).encode("utf-8", "surrogatepass"))

    check()


def _mutants(data: bytes, rng: random.Random, count: int):
    lines = data.split(b"\n")
    tokens = [b"(", b")", b":", b"with ", b"    ", b"lock", b".acquire()", b"await ", b"yield", b"lambda: ", b"\\", b"'''", b"#", b","]
    for _ in range(count):
        mutant = list(lines)
        for _ in range(rng.randint(1, 4)):
            index = rng.randrange(len(mutant))
            action = rng.randrange(4)
            if action == 0:
                del mutant[index]
            elif action == 1:
                mutant[index] = b"    " * rng.randint(0, 3) + mutant[index].lstrip()
            elif action == 2:
                at = rng.randint(0, len(mutant[index]))
                mutant[index] = mutant[index][:at] + rng.choice(tokens) + mutant[index][at:]
            else:
                other = rng.randrange(len(mutant))
                mutant[index], mutant[other] = mutant[other], mutant[index]
            if not mutant:
                mutant = [b""]
        yield b"\n".join(mutant)


@pytest.mark.slow
def test_mutated_testdata_never_crashes(tmp_path, slow):
    rng = random.Random(20261128)
    cases = sorted((ROOT / "testdata").rglob("*.py"))
    tried = 0
    for case in cases:
        for mutant in _mutants(case.read_bytes(), rng, 20 if slow else 3):
            _analyse_source(tmp_path, mutant)
            tried += 1
    assert tried >= 3 * len(cases)


@pytest.mark.slow
def test_standard_library_with_its_tests_has_no_internal_error(stdlib_corpus, slow):
    """Includes CPython's deliberately broken test files: LL001 for them, LL900 for nothing."""
    corpus = stdlib_corpus(with_tests=True)
    outcome = run([str(corpus)], Settings(jobs=2, respect_gitignore=False))
    assert outcome.internal_errors == 0
    assert [f for f in outcome.findings if f.code == "LL900"] == []
    assert outcome.files > (500 if slow else 50)


# -- --fix at scale ------------------------------------------------------------------------


def _comments(data: bytes):
    import io
    import tokenize

    try:
        return sorted(t.string for t in tokenize.tokenize(io.BytesIO(data).readline) if t.type == tokenize.COMMENT)
    except (tokenize.TokenError, SyntaxError):
        return None


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["testdata", "stdlib"])
def test_fix_everything_on_stdlib_and_testdata(tmp_path, stdlib_corpus, corpus):
    """`--fix --unsafe-fixes` on all of testdata, and on the standard library (whole with --slow,
    else the sample): every fixed file parses and keeps its comments; a second run applies nothing.
    Two projects, two runs: a fix is verified by analysing its own project again, not the other."""
    root = tmp_path / "corpus"
    if corpus == "testdata":
        shutil.copytree(ROOT / "testdata", root / "testdata")
    else:
        stdlib = stdlib_corpus(with_tests=False)
        shutil.copytree(stdlib, root / "stdlib", ignore=shutil.ignore_patterns("__pycache__", "site-packages", "test", "tests", "idle_test", "*.so", "*.pyc"))
    before = {p: p.read_bytes() for p in root.rglob("*.py")}
    first = invoke("--fix", "--unsafe-fixes", "--no-cache", "-q", "--exit-zero", "-j", "2", root)
    assert first.exit_code == 0
    changed = [p for p, data in before.items() if p.read_bytes() != data]
    if corpus == "testdata":
        assert len(changed) > 10
    import libcst

    for path in changed:
        now = path.read_bytes()
        libcst.parse_module(now)
        if _comments(before[path]) is not None:
            assert _comments(now) == _comments(before[path]), path
    snapshot = {p: p.read_bytes() for p in before}
    invoke("--fix", "--unsafe-fixes", "--no-cache", "-q", "--exit-zero", "-j", "2", root)
    assert {p: p.read_bytes() for p in before} == snapshot  # a second run applies nothing


# -- determinism and concurrency -----------------------------------------------------------


# the fast suite runs these subprocess tests on a part of testdata (over 100 findings of
# four rules, many fixable); the slow tests (CI runs them too) on all of it
SOME_OF_TESTDATA = ("ll101", "ll102", "ll103", "ll105", "runtime")
CORPORA = [pytest.param(SOME_OF_TESTDATA, id="part"), pytest.param(None, marks=pytest.mark.slow, id="all")]


def cases_of(parts) -> list:
    """The command-line arguments naming these folders of testdata (all of it: None)."""
    return sorted(f"testdata/{p.name}" for p in (ROOT / "testdata").iterdir() if p.is_dir() and (parts is None or p.name in parts))


def reference_run(testdata_runs, parts):
    """The run the others are compared with (made once per session: tests/conftest.py)."""
    return testdata_runs(parts, "--no-cache", "-j", "1", *cases_of(parts), seed="1")


def cache_runs(testdata_cache_runs, parts):
    """Two runs started together on one empty cache (-j 1, seed 3; -j 2 on the folders in
    reverse order, seed 2), then a warm one (seed 4): made once per session (tests/conftest.py)."""
    return testdata_cache_runs(parts, *cases_of(parts))


@pytest.mark.parametrize("parts", CORPORA)
def test_output_does_not_depend_on_hash_seed_order_jobs_or_cache(parts, testdata_runs, testdata_cache_runs):
    reference = reference_run(testdata_runs, parts).stdout  # seed 1, -j 1, no cache
    assert reference.count(" LL") > 80
    cold, warm = cache_runs(testdata_cache_runs, parts)
    for variant in [*cold, warm]:
        assert variant == reference


@pytest.mark.parametrize("parts", CORPORA)
def test_two_concurrent_runs_share_one_cache(parts, testdata_runs, testdata_cache_runs):
    # the same runs as the test above (made once per session), asked for what concurrency needs
    expected = reference_run(testdata_runs, parts).stdout
    assert expected.count(" LL") > 80
    together, after = cache_runs(testdata_cache_runs, parts)
    assert together == [expected, expected]
    assert after == expected
