"""The command line, through click's runner and as a real subprocess."""

from __future__ import annotations

import os
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


def lone_seed(folder: Path) -> Path:
    """A copy of the seed, a project of its own (not the other cases of testdata): quick to check."""
    copy = folder / "seed.py"
    copy.write_bytes(SEED.read_bytes())
    return copy


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def split(*args):
    """A run with stdout and stderr apart (click 8.2+ always keeps both; 8.1, on Python 3.9, needs mix_stderr=False)."""
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_seed_is_reported_exactly(tmp_path):
    seed = lone_seed(tmp_path)  # in place, inside the repository: test_readme_demos_are_current
    result = invoke(seed)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        str(seed) + SEED_LINE,
        "Found 1 error (1 fixable with --fix).",
        "Run `lintlock rule CODE` for what a code means and how to fix it.",
    ]


def test_clean_file_exits_zero(tmp_path):
    clean = tmp_path / "fixed.py"
    clean.write_bytes(SEED_FIXED.read_bytes())
    result = invoke(clean)
    assert result.exit_code == 0
    assert result.output == "All checks passed!\n"


def test_check_subcommand_is_the_default(tmp_path):
    seed = lone_seed(tmp_path)
    assert invoke("check", seed).output == invoke(seed).output


def test_quiet_and_exit_zero(tmp_path):
    seed = lone_seed(tmp_path)
    result = invoke("--quiet", "--exit-zero", seed)
    assert result.exit_code == 0
    assert result.output == str(seed) + SEED_LINE + "\n"


def test_select_and_ignore_prefixes(tmp_path):
    seed = lone_seed(tmp_path)
    assert invoke("--ignore", "LL1", seed).exit_code == 0
    assert invoke("--extend-ignore", "LL101", seed).exit_code == 0
    assert invoke("--select", "LL101", seed).exit_code == 1
    assert invoke("--select", "LL0", seed).exit_code == 0
    bad = invoke("--select", "E501", seed)
    assert bad.exit_code == 2
    assert "'E501' is not a rule code" in bad.output


def test_unknown_codes_are_an_error_listing_the_known_ones(tmp_path):
    (tmp_path / "alone").mkdir()
    seed = lone_seed(tmp_path / "alone")
    for option in ("--select", "--extend-select", "--ignore", "--extend-ignore"):
        result = invoke(option, "LL999", seed)
        assert result.exit_code == 2, option
        assert f"Error: {option}: unknown rule code 'LL999' (known: LL001, LL101, LL102, LL103, LL104, LL105, LL900)" in result.output
    assert invoke("--select", "LL2", seed).exit_code == 2
    assert invoke("--select", "LL9", seed).exit_code == 0  # a prefix of LL900: nothing else selected
    (tmp_path / "pyproject.toml").write_text('[tool.lintlock]\nselect = ["LL999"]\n')
    (tmp_path / "m.py").write_bytes(SEED.read_bytes())
    configured = invoke(tmp_path / "m.py")
    assert configured.exit_code == 2
    assert f"lintlock: configuration error: {tmp_path / 'pyproject.toml'}: `select`: unknown rule code 'LL999' (known: LL001, " in configured.output


def test_folder_without_python_files_is_a_warning(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("")
    result = split(tmp_path / "docs")
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
    assert invoke("rule", "LL900").output.startswith("# LL900: internal error in lintlock\n")
    assert "LL900  internal error in lintlock" in listing.output.splitlines()
    unknown = invoke("rule", "LL999")
    assert unknown.exit_code == 2
    assert "unknown rule 'LL999'" in unknown.output


def test_output_is_byte_identical_between_runs(monkeypatch, testdata_report):
    monkeypatch.chdir(ROOT)
    first = testdata_report  # `lintlock testdata` from the repository root, made once per session
    assert first == invoke("testdata").output
    lines = [line for line in first.splitlines() if ": LL" in line]

    def key(line):
        path, row, col, _ = line.split(":", 3)
        return path, int(row), int(col)

    assert lines == sorted(lines, key=key)


def test_python_dash_m_and_argument_order(tmp_path, monkeypatch):
    # copies: a project of two files, not the repository around testdata
    for name in ("chains.py", "seed_create_delete.py"):
        (tmp_path / name).write_bytes((ROOT / "testdata" / "ll101" / name).read_bytes())
    a = subprocess.run([sys.executable, "-m", "lintlock", "chains.py", "seed_create_delete.py"], capture_output=True, text=True, cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    b = invoke("seed_create_delete.py", "chains.py")  # the other order: in process, the same output
    assert a.returncode == 1
    assert a.stdout == b.output
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


def _project(root, config=""):
    (root / "pkg" / "build").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "build" / "steps.py").write_bytes(SEED.read_bytes())
    (root / "build").mkdir()
    (root / "build" / "copy.py").write_bytes(SEED.read_bytes())
    (root / "pyproject.toml").write_text(config)
    return root


def test_build_inside_a_package_is_checked_and_exclude_replaces_the_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(_project(tmp_path))
    default = invoke("--no-cache", "-q", ".")
    assert default.output.splitlines() == [os.path.join("pkg", "build", "steps.py") + SEED_LINE]
    (tmp_path / "pyproject.toml").write_text("[tool.lintlock]\nexclude = []\n")
    everything = invoke("--no-cache", "-q", ".")
    assert [line.split(":")[0] for line in everything.output.splitlines()] == [os.path.join("build", "copy.py"), os.path.join("pkg", "build", "steps.py")]
    assert invoke("--no-cache", "-q", "--exclude", "pkg", ".").output.splitlines() == [os.path.join("build", "copy.py") + SEED_LINE]


def test_force_exclude_skips_named_files(tmp_path, monkeypatch):
    monkeypatch.chdir(_project(tmp_path, '[tool.lintlock]\nextend-exclude = ["pkg/build"]\n'))
    named = os.path.join("pkg", "build", "steps.py")
    assert invoke("--no-cache", "-q", named).exit_code == 1  # named explicitly: checked
    forced = split("--no-cache", "--force-exclude", named)
    assert (forced.exit_code, forced.stdout) == (0, "All checks passed!\n")
    (tmp_path / "pyproject.toml").write_text('[tool.lintlock]\nextend-exclude = ["pkg/build"]\nforce-exclude = true\n')
    assert invoke("--no-cache", named).exit_code == 0


def test_each_path_gets_its_own_project_settings_in_any_order(tmp_path):
    for name, config in (("strict", ""), ("lenient", '[tool.lintlock]\nignore = ["LL101"]\n')):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pyproject.toml").write_text(config)
        (tmp_path / name / "mod.py").write_bytes(SEED.read_bytes())
    first, second = tmp_path / "strict" / "mod.py", tmp_path / "lenient" / "mod.py"
    one = invoke("--no-cache", "-q", first, second)
    other = invoke("--no-cache", "-q", second, first)
    assert one.output == other.output == str(first) + SEED_LINE + "\n"


def test_output_file_show_fixes_and_no_color(tmp_path, monkeypatch):
    target = tmp_path / "mod.py"
    target.write_bytes(SEED.read_bytes())
    report = tmp_path / "report.txt"
    result = split("--no-cache", "--output-file", report, target)
    assert (result.exit_code, result.stdout) == (1, "")
    assert report.read_text().splitlines()[0] == str(target) + SEED_LINE
    fixed = split("--no-cache", "--fix", "--show-fixes", target).stdout.splitlines()
    assert fixed[:2] == ["Applied 1 fix:", f"- {target}:"] and fixed[3:] == ["Fixed 1 error."]
    assert fixed[2].startswith("    ") and len(fixed[2]) > 10  # the fix's title


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    import lintlock.cli as cli

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(cli.sys.stdout, "isatty", lambda: True, raising=False)
    assert cli._color(None) is True
    assert cli._color(open(os.devnull, "w")) is False  # --output-file
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._color(None) is False
    from lintlock.problems import Finding
    from lintlock.report import text_lines

    painted = text_lines([Finding("a.py", 1, 2, 1, 3, "LL101", "m", "safe")], color=True)[0]
    assert painted == "\x1b[1ma.py\x1b[0m:1:2: \x1b[31m\x1b[1mLL101\x1b[0m \x1b[36m[*] \x1b[0mm"


def test_add_noqa_marks_current_findings(tmp_path):
    target = tmp_path / "mod.py"
    source = SEED.read_bytes().replace(b"\n", b"\r\n")
    target.write_bytes(source)
    result = split("--no-cache", "--add-noqa", target)
    assert result.exit_code == 0
    assert result.stderr == "Added 1 noqa directive.\n"
    lines = target.read_bytes().split(b"\r\n")
    assert lines[17] == b"                self.delete()  # error: LL101  # noqa: LL101"
    assert target.read_bytes().replace(lines[17], b"") == source.replace(source.split(b"\r\n")[17], b"")
    assert invoke("--no-cache", target).exit_code == 0
    assert split("--no-cache", "--add-noqa", target).stderr == "Added 0 noqa directives.\n"


def test_add_noqa_merges_and_never_writes_into_a_string():
    from lintlock.noqa import add_noqa

    source = b'x = 1  # noqa: LL105\ny = """\ninside\n"""\n'
    assert add_noqa(source, {1: ["LL101"], 3: ["LL101"], 4: ["LL102"]}) == (b'x = 1  # noqa: LL105, LL101\ny = """\ninside\n"""  # noqa: LL102\n', 2)


def test_show_source_keeps_tabs_and_aligns_under_wide_characters():
    from lintlock.problems import Finding
    from lintlock.report import source_lines

    source = "def f():\n\tx = '漢字'; lock.acquire()\n".encode()
    finding = Finding("a.py", 2, 12, 2, 26, "LL105", "lock.acquire() is not followed by try/finally: it stays held", related=(("a.py", 1, 1, "here"),))
    assert source_lines(finding, source) == [
        "2 | \tx = '漢字'; lock.acquire()",
        "  | \t" + " " * 12 + "^" * 14,
        "  = lock.acquire() is not followed by try/finally: it stays held",
        "  - a.py:1:1: here",
    ]


def test_diff_of_a_file_without_final_newline_is_not_glued(tmp_path):
    from lintlock.report import unified_diff

    assert unified_diff("m.py", b"a\nb", b"a\nc") == (
        "--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
    )
    target = tmp_path / "mod.py"
    target.write_bytes(SEED.read_bytes().rstrip(b"\n"))
    result = split("--no-cache", "--diff", target)
    assert result.exit_code == 1
    assert result.stdout.endswith("\n")
    assert result.stderr == "Would fix 1 error.\n"


def test_headline_cuts_at_a_clause_outside_brackets():
    from lintlock.report import headline

    long = "a.b() is called while holding self._mu (acquired at line 3: here); T.b acquires self._mu again at line 9, and threading.Lock is not reentrant"
    assert headline(long) == "a.b() is called while holding self._mu (acquired at line 3: here); T.b acquires self._mu again at line 9"
    assert headline("short: kept whole") == "short: kept whole"
    assert headline(long + " [confirmed at runtime]") == headline(long) + " [confirmed at runtime]"


def test_graph_reads_the_configuration_and_the_project(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.lintlock]\n[tool.lintlock.lock-factories]\n"vendor.make_lock" = { reentrant = false }\n')
    (tmp_path / "locks.py").write_text("from vendor import make_lock\n\nfirst = make_lock()\nsecond = make_lock()\n")
    (tmp_path / "a.py").write_text("from locks import first, second\n\n\ndef one():\n    with first:\n        with second:\n            pass\n")
    (tmp_path / "b.py").write_text("from locks import first, second\n\n\ndef two():\n    with second:\n        with first:\n            pass\n")
    monkeypatch.chdir(tmp_path)
    assert invoke("--no-cache", "-q", "a.py").exit_code == 1
    dot = invoke("graph", "--no-cache", "a.py").output
    assert '"locks.first" -> "locks.second" [label="a.py:6", color=red, penwidth=2];' in dot
    assert "b.py" not in dot.split("->", 1)[1]
