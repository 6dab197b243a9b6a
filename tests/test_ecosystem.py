"""Configuration, suppression, output formats, editors, flake8 and pre-commit, through the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from lintlock.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "testdata" / "ll101" / "seed_create_delete.py"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"  # OASIS's published schema

BUG = """\
import threading

lock = threading.Lock()


def outer():
    with lock:
        inner(){comment}


def inner():
    with lock:
        pass
"""


def invoke(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def project(tmp_path, config="", files=None):
    (tmp_path / "pyproject.toml").write_text(config)
    for name, text in (files or {"mod.py": BUG.format(comment="")}).items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def codes(result):
    return [line.split(": ", 1)[1].split(" ", 1)[0] for line in result.output.splitlines() if ": LL" in line]


# -- configuration ---------------------------------------------------------------


def test_config_select_and_ignore(tmp_path, monkeypatch):
    project(tmp_path, '[tool.lintlock]\nignore = ["LL101"]\n')
    monkeypatch.chdir(tmp_path)
    assert invoke("mod.py").exit_code == 0
    assert codes(invoke("--select", "LL101", "mod.py")) == []  # the file's ignore still applies after --select...
    assert codes(invoke("--ignore", "LL105", "mod.py")) == ["LL101"]  # ...but --ignore on the command line replaces it


def test_config_extend_select_and_per_file_ignores(tmp_path, monkeypatch):
    files = {"mod.py": BUG.format(comment=""), "tests/test_mod.py": BUG.format(comment="")}
    project(tmp_path, '[tool.lintlock]\nselect = ["LL102"]\nextend-select = ["LL101"]\n[tool.lintlock.per-file-ignores]\n"tests/*" = ["LL1"]\n', files)
    monkeypatch.chdir(tmp_path)
    result = invoke(".")
    assert [line.split(":")[0] for line in result.output.splitlines() if ": LL" in line] == ["mod.py"]


def test_config_exclude(tmp_path, monkeypatch):
    files = {"mod.py": BUG.format(comment=""), "vendored/copy.py": BUG.format(comment=""), "gen/out.py": BUG.format(comment="")}
    project(tmp_path, '[tool.lintlock]\nextend-exclude = ["vendored", "gen/*.py"]\n', files)
    monkeypatch.chdir(tmp_path)
    assert [line.split(":")[0] for line in invoke(".").output.splitlines() if ": LL" in line] == ["mod.py"]
    assert codes(invoke(os.path.join("vendored", "copy.py"))) == ["LL101"]  # named files are always checked


def test_lock_factories(tmp_path, monkeypatch):
    files = {
        "mod.py": """\
            from vendor import make_mutex, make_reentrant


            class A:
                def __init__(self):
                    self._lock = make_mutex()
                    self._rlock = make_reentrant()

                def outer(self):
                    with self._lock:
                        self.inner()
                    with self._rlock:
                        self.inner_r()

                def inner(self):
                    with self._lock:
                        pass

                def inner_r(self):
                    with self._rlock:
                        pass
        """
    }
    project(tmp_path, '[tool.lintlock.lock-factories]\n"vendor.make_mutex" = {reentrant = false}\n"vendor.make_reentrant" = true\n', files)
    monkeypatch.chdir(tmp_path)
    result = invoke("--show-source", "mod.py")
    assert codes(result) == ["LL101"]
    assert "make_mutex() is not reentrant" in result.output


def test_blocking_calls(tmp_path, monkeypatch):
    files = {
        "mod.py": """\
            import threading

            import mylib


            class M:
                def __init__(self):
                    self._lock = threading.Lock()
                    self._done = False

                def wait(self):
                    with self._lock:
                        while not self._done:
                            mylib.nap()

                def finish(self):
                    with self._lock:
                        self._done = True
        """
    }
    project(tmp_path, "", files)
    monkeypatch.chdir(tmp_path)
    assert codes(invoke("mod.py")) == []
    (tmp_path / "pyproject.toml").write_text('[tool.lintlock]\nblocking-calls = ["mylib.nap"]\n')
    assert codes(invoke("mod.py")) == ["LL103"]


@pytest.mark.parametrize(
    "config, message",
    [
        ('[tool.lintlock]\nselct = ["LL1"]\n', "unknown key `selct` in [tool.lintlock]"),
        ('[tool.lintlock]\nselect = "LL1"\n', "`select` must be a list of strings"),
        ('[tool.lintlock]\nignore = ["E501"]\n', "`ignore`: 'E501' is not a rule code"),
        ('[tool.lintlock.lock-factories]\n"pkg.make" = {reentrant = "no"}\n', "`lock-factories.pkg.make` must be { reentrant = true/false }"),
        ("[tool.lintlock]\nrespect-gitignore = 1\n", "`respect-gitignore` must be true or false"),
        ("[tool.lintlock\n", "invalid TOML"),
    ],
)
def test_config_errors_name_key_and_file(tmp_path, monkeypatch, config, message):
    project(tmp_path, config)
    monkeypatch.chdir(tmp_path)
    result = invoke("mod.py")
    assert result.exit_code == 2
    assert "pyproject.toml" in result.output and message in result.output
    assert "Traceback" not in result.output


def test_config_file_option(tmp_path, monkeypatch):
    project(tmp_path, '[tool.lintlock]\nignore = ["LL101"]\n')
    other = tmp_path / "strict.toml"
    other.write_text('[tool.lintlock]\nselect = ["LL"]\n')
    monkeypatch.chdir(tmp_path)
    assert codes(invoke("--config", other, "mod.py")) == ["LL101"]
    missing = invoke("--config", tmp_path / "nope.toml", "mod.py")
    assert missing.exit_code == 2


def test_gitignore(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    files = {"mod.py": BUG.format(comment=""), "generated.py": BUG.format(comment="")}
    project(tmp_path, "", files)
    (tmp_path / ".gitignore").write_text("generated.py\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    files_of = lambda result: sorted({line.split(":")[0] for line in result.output.splitlines() if ": LL" in line})
    assert files_of(invoke(".")) == ["mod.py"]
    assert files_of(invoke("--no-respect-gitignore", ".")) == ["generated.py", "mod.py"]
    assert files_of(invoke("generated.py")) == ["generated.py"]


# -- noqa ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment, reported",
    [("  # noqa: LL101", False), ("  # noqa", False), ("  # NOQA:LL1", False), ("  # noqa: LL102", True), ("  # noqa: LL102, LL101", False)],
)
def test_noqa(tmp_path, monkeypatch, comment, reported):
    project(tmp_path, "", {"mod.py": BUG.format(comment=comment)})
    monkeypatch.chdir(tmp_path)
    assert codes(invoke("mod.py")) == (["LL101"] if reported else [])
    assert codes(invoke("--disable-noqa", "mod.py")) == ["LL101"]


def test_noqa_on_the_reported_line_of_a_multiline_call(tmp_path, monkeypatch):
    text = BUG.format(comment="").replace("        inner()", "        inner(  # noqa: LL101\n        )")
    project(tmp_path, "", {"mod.py": text})
    monkeypatch.chdir(tmp_path)
    assert codes(invoke("mod.py")) == []


# -- output -----------------------------------------------------------------------------


def test_json(tmp_path, monkeypatch):
    project(tmp_path, "")
    monkeypatch.chdir(tmp_path)
    result = invoke("--format", "json", "mod.py")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["version"] == 1 and document["files"] == 1
    [finding] = document["findings"]
    assert {k: finding[k] for k in ("path", "line", "column", "end_line", "end_column", "code", "lock", "chain", "fix")} == {
        "path": "mod.py",
        "line": 8,
        "column": 9,
        "end_line": 8,
        "end_column": 16,
        "code": "LL101",
        "lock": "lock",
        "chain": ["inner"],
        "fix": "safe",
    }
    assert finding["related"] == [
        {"path": "mod.py", "line": 7, "column": 10, "message": "lock acquired here"},
        {"path": "mod.py", "line": 12, "column": 10, "message": "lock acquired again here"},
    ]
    assert invoke("--output-format", "json", "mod.py").output == result.output


def test_sarif_validates_against_the_official_schema(tmp_path, monkeypatch):
    import jsonschema

    monkeypatch.chdir(ROOT)
    result = invoke("--format", "sarif", "testdata")
    document = json.loads(result.output)
    jsonschema.validate(document, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    run = document["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["LL001", "LL101", "LL102", "LL103", "LL104", "LL105", "LL900"]
    assert run["tool"]["driver"]["rules"][1]["help"]["markdown"].startswith("# LL101")
    seed = next(r for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "testdata/ll101/seed_create_delete.py")
    assert seed["ruleId"] == "LL101" and seed["locations"][0]["physicalLocation"]["region"]["startLine"] == 18
    assert [loc["message"]["text"] for loc in seed["relatedLocations"]] == ["self._mu acquired here", "self._mu acquired again here"]
    chained = next(r for r in run["results"] if "chains.py" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
    assert [loc["message"]["text"] for loc in chained["relatedLocations"]][1:3] == [
        "BlobStore._spill calls BlobStore._rotate",
        "BlobStore._rotate calls BlobStore.compact",
    ]


def test_github(tmp_path, monkeypatch):
    project(tmp_path, "")
    monkeypatch.chdir(tmp_path)
    [line] = invoke("--format", "github", "mod.py").output.splitlines()
    assert line.startswith("::error file=mod.py,line=8,col=9,endLine=8,endColumn=16,title=lintlock (LL101)::LL101 inner() is called")


def test_show_source_quiet_exit_zero(tmp_path, monkeypatch):
    project(tmp_path, "")
    monkeypatch.chdir(tmp_path)
    lines = invoke("--show-source", "mod.py").output.splitlines()
    assert lines[1:3] == ["8 |         inner()", "  |         ^^^^^^^"]
    assert lines[3].startswith("  = inner() is called while holding lock (acquired at line 7); ")  # the whole message
    assert "LL101 self-deadlock on a non-reentrant lock" not in "\n".join(lines)  # the counts only with --statistics
    quiet = invoke("-q", "--exit-zero", "mod.py")
    assert quiet.exit_code == 0 and len(quiet.output.splitlines()) == 1


UNGUARDED = "import threading\n\nlock = threading.Lock()\n\n\ndef work():\n    lock.acquire()\n    print()\n    lock.release()\n"


def test_statistics_print_the_counts_instead_of_the_findings(tmp_path, monkeypatch):
    """As `ruff check --statistics`: one line per code, then the summary; no finding, no source."""
    project(tmp_path, "", {"a.py": BUG.format(comment=""), "b.py": BUG.format(comment=""), "c.py": UNGUARDED})
    monkeypatch.chdir(tmp_path)
    result = invoke("--statistics", "--show-source", ".")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "2     LL101 self-deadlock on a non-reentrant lock",
        "1     LL105 acquire without a guaranteed release",
        "Found 3 errors (2 fixable with --fix).",
        "Run `lintlock rule CODE` for what a code means and how to fix it.",
    ]
    assert invoke("-q", "--statistics", ".").output.splitlines() == result.output.splitlines()[:2]
    # the machine formats are the same with or without it
    for fmt in ("json", "github"):
        assert invoke("--statistics", "--format", fmt, ".").output == invoke("--format", fmt, ".").output


def test_no_progress_bar_without_a_terminal(tmp_path, monkeypatch):
    files = {f"m{i}.py": "x = 1\n" for i in range(60)}
    project(tmp_path, "", files)
    monkeypatch.chdir(tmp_path)
    assert invoke(".").output == "All checks passed! (no lock acquisition found in 60 files)\n"


def test_a_pass_without_any_lock_acquisition_says_so(tmp_path, monkeypatch):
    plain = "def read(path):\n    with open(path) as handle:\n        return handle.read()\n"
    project(tmp_path, "", {"plain.py": plain, "created.py": "import threading\n\nlock = threading.Lock()\n"})
    monkeypatch.chdir(tmp_path)
    assert invoke(".").output == "All checks passed! (no lock acquisition found in 2 files)\n"
    assert invoke("plain.py").output == "All checks passed! (no lock acquisition found in 1 file)\n"
    assert invoke("-q", ".").output == ""
    assert json.loads(invoke("--format", "json", ".").output)["findings"] == []
    # one lock taken the right way: a plain pass
    (tmp_path / "fine.py").write_text("import threading\n\nlock = threading.Lock()\n\n\ndef f():\n    with lock:\n        pass\n")
    assert invoke(".").output == "All checks passed!\n"


# -- editors and partial file lists ------------------------------------------------------

CROSS = {
    "pkg/__init__.py": "",
    "pkg/locks.py": "import threading\nregistry = threading.Lock()\n",
    "pkg/store.py": "from pkg.locks import registry\n\n\ndef save():\n    with registry:\n        pass\n",
    "pkg/api.py": "from pkg import locks, store\n\n\ndef handle():\n    with locks.registry:\n        store.save()\n",
}


def test_partial_file_list_uses_the_rest_of_the_project(tmp_path, monkeypatch):
    project(tmp_path, "", CROSS)
    monkeypatch.chdir(tmp_path / "pkg")  # pre-commit runs from anywhere below the root
    result = invoke("api.py")
    assert codes(result) == ["LL101"]
    assert "save acquires registry again at store.py:5" in result.output
    assert invoke("store.py").exit_code == 0  # the finding is in api.py, which was not given


def test_stdin_buffer_with_project_context(tmp_path, monkeypatch):
    project(tmp_path, "", CROSS)
    monkeypatch.chdir(tmp_path)
    buffer = CROSS["pkg/api.py"].replace("store.save()", "pass\n        store.save()")
    result = invoke("--stdin-filename", os.path.join("pkg", "api.py"), "-", input=buffer)
    assert result.output.splitlines()[0].startswith(os.path.join("pkg", "api.py") + ":7:9: LL101 ")
    clean = invoke("--stdin-filename", os.path.join("pkg", "api.py"), "-", input="x = 1\n")
    assert clean.exit_code == 0
    assert invoke("-").exit_code == 2


# -- integrations ------------------------------------------------------------------------


def flake8(*paths, cwd):
    """One `flake8 --select LL` process over these files (the plugin as flake8 loads it)."""
    return subprocess.run([sys.executable, "-m", "flake8", "--select", "LL", *map(str, paths)], capture_output=True, text=True, cwd=cwd)


def test_flake8_plugin(tmp_path):
    pytest.importorskip("flake8")
    target, quiet = tmp_path / "mod.py", tmp_path / "quiet.py"
    target.write_text(BUG.format(comment=""))
    quiet.write_text(BUG.format(comment="  # noqa: LL101"))
    result = flake8(target, quiet, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    [line] = result.stdout.splitlines()  # nothing for quiet.py
    assert line.startswith(f"{target}:8:9: LL101 inner() is called while holding lock (acquired at line 7)")


@pytest.mark.slow
def test_pre_commit_hook(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "bug.py").write_text(BUG.format(comment=""))
    (repo / "fine.py").write_text("x = 1\n")
    env = dict(
        os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t"
    )
    for command in (["git", "init", "-q"], ["git", "add", "."]):
        subprocess.run(command, cwd=repo, check=True, env=env)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "lintlock", "--all-files"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bug.py:8:9: LL101" in result.stdout
    assert "fine.py" not in result.stdout.split("lintlock", 1)[-1]


def test_progress_bar_on_a_terminal_only(tmp_path):
    pty = pytest.importorskip("pty")
    for i in range(60):
        (tmp_path / f"m{i}.py").write_text("import threading\nlock = threading.Lock()\n")
    outputs = {}
    for flags in ((), ("-q",)):
        leader, follower = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "lintlock", "--no-cache", "-j", "1", *flags, str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=follower,
            cwd=tmp_path,
        )
        process.wait(timeout=120)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        outputs[flags] = b"".join(chunks).decode("utf-8", "replace")
    assert "lintlock" in outputs[()] and "100%" in outputs[()]
    assert outputs[("-q",)] == ""


def test_flake8_plugin_reads_the_configuration(tmp_path):
    """Each file under its own project's [tool.lintlock]: two projects, one flake8 process."""
    pytest.importorskip("flake8")
    source = (
        "from vendor import make_lock\n\nlock = make_lock()\n\n\ndef outer():\n    with lock:\n        inner()\n\n\ndef inner():\n    with lock:\n        pass\n\n\n"
        "def unguarded():\n    lock.acquire()\n    lock.release()\n"
    )
    configs = {
        "good": '[tool.lintlock]\nignore = ["LL105"]\n[tool.lintlock.lock-factories]\n"vendor.make_lock" = { reentrant = false }\n',
        "broken": "[tool.lintlock]\nselect = [1]\n",
    }
    for name, config in configs.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "pyproject.toml").write_text(config)
        (tmp_path / name / "mod.py").write_text(source)
    good, broken = tmp_path / "good" / "mod.py", tmp_path / "broken" / "mod.py"
    lines = flake8(good, broken, cwd=tmp_path).stdout.splitlines()
    assert [line.split(" ", 2)[:2] for line in lines if line.startswith(str(good))] == [[f"{good}:8:9:", "LL101"]]
    assert any(line.startswith(f"{broken}:1:1: LL001 cannot read the [tool.lintlock] configuration") for line in lines), lines


def test_flake8_plugin_does_no_work_unless_selected():
    pytest.importorskip("flake8")
    from flake8.options.parse_args import parse_args

    from lintlock.flake8_plugin import Plugin

    try:
        for options, expected in (([], True), (["--select", "LL"], True), (["--extend-ignore", "LL"], False), (["--select", "E,F"], False)):
            parse_args([*options, "x.py"])  # flake8 parses its options and tells the plugin
            assert Plugin.selected is expected, options
            if not expected:
                assert list(Plugin(None, "never-read.py").run()) == []  # not even the file is read
    finally:
        Plugin.selected = True


def test_readme_vscode_task_and_actions_recipes(tmp_path, monkeypatch):
    """The VS Code task's command, run where its `cwd` says, prints paths its matcher resolves;
    the GitHub Actions step writes a SARIF file and exits 0."""
    import json as json_module
    import re as re_module

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    task_text = re_module.search(r"```json\n(\s*\{\s*\"version\": \"2.0.0\".*?)```", readme, re_module.S).group(1)
    task = json_module.loads(task_text)["tasks"][0]
    assert task["options"]["cwd"] == "${workspaceFolder}"
    assert task["problemMatcher"]["fileLocation"] == ["relative", "${workspaceFolder}"]
    project(tmp_path, "")
    monkeypatch.chdir(tmp_path)
    args = task["command"].split()
    assert args[0] == "lintlock"
    result = invoke(*args[1:])
    pattern = re_module.compile(task["problemMatcher"]["pattern"]["regexp"])
    matches = [pattern.match(line) for line in result.output.splitlines()]
    assert matches and all(matches)
    assert all((tmp_path / m.group(1)).is_file() for m in matches)
    step = re_module.search(r"- run: (lintlock --format sarif .*)", readme).group(1).split()
    sarif = invoke(*step[1:])
    assert sarif.exit_code == 0 and sarif.output == ""
    assert json_module.loads((tmp_path / "lintlock.sarif").read_text())["version"] == "2.1.0"


def test_runtime_report_is_merged(tmp_path, monkeypatch):
    """`lintlock --runtime-report`: what a run observed confirms static findings and adds its own."""
    case = tmp_path / "case" / "lock_order.py"  # a copy: a project of one file, not the repository around testdata
    case.parent.mkdir()
    case.write_bytes((ROOT / "testdata" / "runtime" / "lock_order.py").read_bytes())
    report = tmp_path / "r.json"
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # as from the repository root: the case is not below
    observed = subprocess.run([sys.executable, "-m", "lintlock.runtime", "--report", str(report), str(case)], capture_output=True, text=True, timeout=300)
    assert report.exists(), observed.stdout + observed.stderr
    result = invoke("--no-cache", "-q", "--runtime-report", report, case)
    assert result.exit_code == 1
    assert (
        f"{case}:15:14: LL102 lock-order inversion between lock_order.accounts_lock and lock_order.audit_lock (taken in the other order at line 21) [confirmed at runtime]"
        in result.output.splitlines()
    )
    assert f"{case}:90:9: LL102 observed at runtime: lock-order inversion between Metrics._lock and Scheduler._lock" in result.output
    (tmp_path / "bad.json").write_text("{not json")
    broken = invoke("--no-cache", "-q", "--runtime-report", tmp_path / "bad.json", case)
    assert f"{tmp_path / 'bad.json'}:1:1: LL001 cannot read runtime report: " in broken.output
