from __future__ import annotations

import os

import pytest

from lintlock.discover import PathNotFound, discover, unique_modules


def make(tmp_path, *names):
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")


def test_module_names_climb_packages(tmp_path, monkeypatch):
    make(tmp_path, "src/pkg/__init__.py", "src/pkg/mod.py", "src/pkg/sub/__init__.py", "src/pkg/sub/deep.py", "src/script.py")
    monkeypatch.chdir(tmp_path)
    whole = {f.path: f.module for f in discover(["src"])}
    assert whole == {
        os.path.join("src", "pkg", "__init__.py"): "pkg",
        os.path.join("src", "pkg", "mod.py"): "pkg.mod",
        os.path.join("src", "pkg", "sub", "__init__.py"): "pkg.sub",
        os.path.join("src", "pkg", "sub", "deep.py"): "pkg.sub.deep",
        os.path.join("src", "script.py"): "script",
    }
    part = {f.path: f.module for f in discover([os.path.join("src", "pkg")])}
    assert part[os.path.join("src", "pkg", "mod.py")] == "pkg.mod"
    assert [f.is_package for f in discover([os.path.join("src", "pkg", "__init__.py")])] == [True]


def test_skipped_directories(tmp_path):
    make(
        tmp_path,
        "a.py",
        ".hidden/b.py",
        "__pycache__/c.py",
        "venv/d.py",
        ".venv/e.py",
        "env/pyvenv.cfg",
        "env/f.py",
        "build/g.py",
        "dist/h.py",
        ".tox/i.py",
        ".nox/j.py",
        "node_modules/k.py",
        "pkg/l.py",
        "notes.txt",
    )
    found = [os.path.relpath(f.path, tmp_path) for f in discover([str(tmp_path)])]
    assert found == ["a.py", os.path.join("pkg", "l.py")]


def test_explicit_files_are_always_checked(tmp_path):
    make(tmp_path, "build/generated.py", "tool")
    named = [str(tmp_path / "build" / "generated.py"), str(tmp_path / "tool")]
    assert [f.path for f in discover(named)] == sorted(os.path.normpath(p) for p in named)


def test_duplicates_and_order(tmp_path):
    make(tmp_path, "b.py", "a.py")
    twice = discover([str(tmp_path / "b.py"), str(tmp_path), str(tmp_path / "a.py")])
    assert [os.path.basename(f.path) for f in twice] == ["a.py", "b.py"]


def test_missing_path(tmp_path):
    with pytest.raises(PathNotFound):
        discover([str(tmp_path / "missing")])


def test_same_module_name_in_two_folders_keeps_both(tmp_path):
    make(tmp_path, "a/tool.py", "b/tool.py")
    modules = [f.module for f in unique_modules(discover([str(tmp_path)]))]
    assert modules == ["tool", "tool@2"]


def test_default_exclusions_spare_packages(tmp_path):
    make(tmp_path, "pkg/__init__.py", "pkg/build/steps.py", "pkg/dist/__init__.py", "build/lib/pkg/x.py", "tools/venv/y.py")
    found = [os.path.relpath(f.path, tmp_path) for f in discover([str(tmp_path)])]
    assert found == [os.path.join("pkg", "__init__.py"), os.path.join("pkg", "build", "steps.py"), os.path.join("pkg", "dist", "__init__.py")]


def test_force_exclude_applies_to_named_files(tmp_path):
    make(tmp_path, "build/generated.py", "ok.py")
    named = [str(tmp_path / "build" / "generated.py"), str(tmp_path / "ok.py")]
    in_build = lambda path: "build" in path.split(os.sep)  # noqa: E731
    assert [os.path.basename(f.path) for f in discover(named, in_build, force_exclude=True)] == ["ok.py"]
    assert [os.path.basename(f.path) for f in discover(named, in_build)] == ["generated.py", "ok.py"]


def test_default_names_above_the_project_do_not_exclude_it(tmp_path):
    from lintlock.config import Settings

    checkout = tmp_path / "build" / "project"  # a CI machine that clones into ~/build/
    make(checkout, "app.py", "dist/x.py")
    settings = Settings(root=None)
    found = [os.path.relpath(f.path, checkout) for f in discover([str(checkout)], settings.excluded)]
    assert found == ["app.py"]
    inside = Settings(root=str(checkout))
    assert [os.path.relpath(f.path, checkout) for f in discover([str(checkout)], inside.excluded)] == ["app.py"]
