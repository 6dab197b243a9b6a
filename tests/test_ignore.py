""".gitignore rules, read with pathspec: the same verdicts as git, without running git."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from lintlock.config import Settings
from lintlock.ignore import GitIgnored
from lintlock.pipeline import load

TREE = {
    ".gitignore": "*.gen.py\nout/\n/top_only.py\n",
    ".git/info/exclude": "secret.py\n",
    "a.py": "",
    "x.gen.py": "",
    "secret.py": "",
    "top_only.py": "",
    "out/o.py": "",
    "sub/.gitignore": "!keep.gen.py\n",
    "sub/keep.gen.py": "",
    "sub/y.gen.py": "",
    "sub/top_only.py": "",
    "sub/out.py": "",
}


def make(root, tree=TREE):
    for name, text in tree.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_verdicts(tmp_path, monkeypatch):
    make(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    ignored = GitIgnored()
    verdicts = {name: ignored(str(tmp_path / name)) for name in TREE if not name.startswith((".", "sub/."))}
    assert verdicts == {
        "a.py": False,
        "x.gen.py": True,
        "secret.py": True,  # .git/info/exclude
        "top_only.py": True,
        "out/o.py": True,  # in an ignored folder
        "sub/keep.gen.py": False,  # re-included by the deeper file
        "sub/y.gen.py": True,
        "sub/top_only.py": False,  # anchored to the root
        "sub/out.py": False,
    }
    assert ignored(str(tmp_path / "out")) is True


def test_the_walk_skips_ignored_files_and_folders_without_git(tmp_path, monkeypatch):
    make(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    monkeypatch.setenv("PATH", "")  # no git binary needed
    found = sorted(os.path.relpath(p, tmp_path) for p in load([str(tmp_path)], Settings(root=str(tmp_path))).targets)
    assert found == ["a.py", os.path.join("sub", "keep.gen.py"), os.path.join("sub", "out.py"), os.path.join("sub", "top_only.py")]
    everything = load([str(tmp_path)], Settings(root=str(tmp_path), respect_gitignore=False)).targets
    assert len(everything) == 9


def test_global_ignore_file_and_no_work_tree(tmp_path, monkeypatch):
    make(tmp_path / "repo", {".git/HEAD": "", "a.py": "", "local_notes.py": ""})
    (tmp_path / "config" / "git").mkdir(parents=True)
    (tmp_path / "config" / "git" / "ignore").write_text("local_*.py\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert GitIgnored()(str(tmp_path / "repo" / "local_notes.py")) is True
    make(tmp_path / "plain", {".gitignore": "a.py\n", "a.py": ""})  # not a work tree: git ignores nothing
    assert GitIgnored()(str(tmp_path / "plain" / "a.py")) is False


def test_same_verdicts_as_git(tmp_path, monkeypatch):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
    make(tmp_path)
    names = [n for n in TREE if not n.startswith((".", "sub/."))] + ["out"]
    result = subprocess.run([git, "check-ignore", "--no-index", *names], cwd=tmp_path, capture_output=True, text=True)
    by_git = set(result.stdout.split())
    ignored = GitIgnored()
    assert "out/o.py" in by_git and "sub/keep.gen.py" not in by_git
    assert {n for n in names if ignored(str(tmp_path / n))} == by_git
