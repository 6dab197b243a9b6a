"""The command line, through click's runner and as a real subprocess."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from lintlock import __version__
from lintlock.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "testdata" / "ll101" / "seed_create_delete.py"
SEED_FIXED = ROOT / "testdata" / "ll101" / "seed_two_phase_fix.py"

# the one-line text shows the message's headline; the whole message is in --show-source and JSON
SEED_LINE = ":18:17: LL101 [*] self.delete() is called while holding self._mu (acquired at line 15); Task.delete acquires self._mu again at line 21"
SEED_MESSAGE = (
    "self.delete() is called while holding self._mu (acquired at line 15); "
    "Task.delete acquires self._mu again at line 21, and threading.Lock is not reentrant: "
    "this thread waits for itself forever"
)


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_seed_is_reported_exactly():
    result = invoke(SEED)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        str(SEED) + SEED_LINE,
        "Found 1 error (1 fixable with --fix).",
        "Run `lintlock rule CODE` for what a code means and how to fix it.",
    ]


def test_clean_file_exits_zero():
    result = invoke(SEED_FIXED)
    assert result.exit_code == 0
    assert result.output == "All checks passed!\n"


def test_check_subcommand_is_the_default():
    assert invoke("check", SEED).output == invoke(SEED).output


def test_quiet_and_exit_zero():
    result = invoke("--quiet", "--exit-zero", SEED)
    assert result.exit_code == 0
    assert result.output == str(SEED) + SEED_LINE + "\n"


def test_select_and_ignore_prefixes():
    assert invoke("--ignore", "LL1", SEED).exit_code == 0
    assert invoke("--extend-ignore", "LL101", SEED).exit_code == 0
    assert invoke("--select", "LL101", SEED).exit_code == 1
    assert invoke("--select", "LL0", SEED).exit_code == 0
    bad = invoke("--select", "E501", SEED)
    assert bad.exit_code == 2
    assert "'E501' is not a rule code" in bad.output


def test_unknown_codes_are_an_error_listing_the_known_ones(tmp_path):
    for option in ("--select", "--extend-select", "--ignore", "--extend-ignore"):
        result = invoke(option, "LL999", SEED)
        assert result.exit_code == 2, option
        assert f"Error: {option}: unknown rule code 'LL999' (known: LL001, LL101, LL102, LL103, LL104, LL105, LL900)" in result.output
    assert invoke("--select", "LL2", SEED).exit_code == 2
    assert invoke("--select", "LL9", SEED).exit_code == 0  # a prefix of LL900: nothing else selected
    (tmp_path / "pyproject.toml").write_text('[tool.lintlock]\nselect = ["LL999"]\n')
    (tmp_path / "m.py").write_bytes(SEED.read_bytes())
    configured = invoke(tmp_path / "m.py")
    assert configured.exit_code == 2
    assert f"lintlock: configuration error: {tmp_path / 'pyproject.toml'}: `select`: unknown rule code 'LL999' (known: LL001, " in configured.output


def test_folder_without_python_files_is_a_warning(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("")
    result = CliRunner().invoke(main, [str(tmp_path / "docs")])
    assert result.exit_code == 0
    assert result.stderr == f"lintlock: warning: no Python files in {tmp_path / 'docs'}\n"
    assert result.stdout == "All checks passed!\n"


def test_missing_path_is_a_usage_error(tmp_path):
    result = invoke(tmp_path / "nope")
    assert result.exit_code == 2
    assert "no such file or directory" in result.output
    assert "Traceback" not in result.output


def test_no_paths_checks_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "m.py").write_bytes(SEED.read_bytes())
    monkeypatch.chdir(tmp_path)
    for args in ((), ("check",)):
        result = invoke(*args)
        assert result.exit_code == 1
        assert result.output.splitlines()[0] == "m.py" + SEED_LINE


def test_version_and_help():
    assert invoke("--version").output == f"lintlock {__version__}\n"
    help_text = invoke("--help").output
    assert "lintlock rule LL101" in help_text
    assert "Check options (lintlock [check] [PATHS]...):" in help_text
    for option in ("--select CODES", "--fix", "--show-source", "--add-noqa", "--output-file", "--force-exclude"):
        assert option in help_text
    assert "Exit status: 0 nothing found, 1 findings, 2 usage, configuration or" in invoke("check", "--help").output


def test_rule_command():
    listing = invoke("rule", "--all")
    assert listing.exit_code == 0
    assert "LL101  self-deadlock on a non-reentrant lock" in listing.output.splitlines()
    assert invoke("rule", "ll101").output.startswith("# LL101: self-deadlock on a non-reentrant lock\n")
    unknown = invoke("rule", "LL999")
    assert unknown.exit_code == 2
    assert "unknown rule 'LL999'" in unknown.output


def test_output_is_byte_identical_between_runs():
    first = invoke(ROOT / "testdata").output
    assert first == invoke(ROOT / "testdata").output
    lines = [line for line in first.splitlines() if ": LL" in line]
    def key(line):
        path, row, col, _ = line.split(":", 3)
        return path, int(row), int(col)
    assert lines == sorted(lines, key=key)


def test_python_dash_m_and_argument_order(tmp_path):
    cases = ROOT / "testdata" / "ll101"
    a = subprocess.run([sys.executable, "-m", "lintlock", str(cases / "chains.py"), str(cases / "seed_create_delete.py")], capture_output=True, text=True, cwd=ROOT)
    b = subprocess.run([sys.executable, "-m", "lintlock", str(cases / "seed_create_delete.py"), str(cases / "chains.py")], capture_output=True, text=True, cwd=ROOT)
    assert a.returncode == 1
    assert a.stdout == b.stdout
    assert a.stdout.count(" LL101 ") == 3
    assert a.stderr == ""


def test_bad_file_is_reported_and_others_still_checked(tmp_path):
    (tmp_path / "broken.py").write_text("def broken(:\n    pass\n")
    (tmp_path / "seed.py").write_bytes(SEED.read_bytes())
    result = invoke(tmp_path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'broken.py'}:1:12: LL001 cannot parse: ")
    assert lines[1] == str(tmp_path / "seed.py") + SEED_LINE


def test_readme_demos_are_current(monkeypatch):
    """Every `$ lintlock ...` block in the README prints what the README says."""
    import re
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n\$ (.*?)\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2
    for command, shown in blocks:
        directory = ROOT
        if command.startswith("cd "):
            folder, command = command[3:].split(" && ", 1)
            directory = ROOT / folder
        monkeypatch.chdir(directory)
        args = shlex.split(command)
        assert args[0] == "lintlock"
        result = invoke(*args[1:])
        assert result.output == shown, command
