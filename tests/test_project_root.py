"""The project root of a path outside any pyproject.toml or git work tree: the top of its package."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner

from lintlock.cli import main
from lintlock.config import find_project_root

TASK = """
import threading

from .cleanup import delete


class Task:
    def __init__(self):
        self._mu = threading.Lock()

    def create(self):
        with self._mu:
            delete(self)
"""

CLEANUP = """
def delete(task):
    with task._mu:
        pass
"""


def _unpacked_wheel(tmp_path: Path) -> Path:
    package = tmp_path / "site" / "shim"
    (package / "inner").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "inner" / "__init__.py").write_text("")
    (package / "inner" / "task.py").write_text(textwrap.dedent(TASK))
    (package / "inner" / "cleanup.py").write_text(textwrap.dedent(CLEANUP))
    return package


def test_the_root_of_a_file_in_a_package_outside_any_project_is_the_package_top(tmp_path):
    package = _unpacked_wheel(tmp_path)
    assert find_project_root([str(package / "inner" / "task.py")]) == (str(package), None)


def test_a_file_outside_any_package_and_project_has_no_root(tmp_path):
    (tmp_path / "alone.py").write_text("x = 1\n")
    assert find_project_root([str(tmp_path / "alone.py")]) == (None, None)


def test_a_file_checked_alone_in_an_unpacked_wheel_still_sees_its_package(tmp_path, monkeypatch):
    package = _unpacked_wheel(tmp_path)
    monkeypatch.chdir(package / "inner")
    result = CliRunner().invoke(main, ["--no-cache", "-q", "task.py"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("task.py:13:13: LL101 ")
    assert result.output.count("LL101") == 1
