from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lintlock.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def in_copy(testdata_copy, monkeypatch):
    """The working directory: a session copy of testdata's ll102 and valueflow folders, as
    `testdata/...` (the same paths and modules as in the repository, without the rest of it to look through)."""
    monkeypatch.chdir(testdata_copy(("ll102", "valueflow")))


def graph(*args):
    result = CliRunner().invoke(main, ["graph", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_dot(in_copy):
    assert graph("testdata/ll102/direct.py") == (
        "digraph lock_order {\n"
        "  node [shape=box];\n"
        '  "direct.accounts_lock" [label="direct.accounts_lock\\nthreading.Lock\\ntestdata/ll102/direct.py:4"];\n'
        '  "direct.audit_lock" [label="direct.audit_lock\\nthreading.Lock\\ntestdata/ll102/direct.py:5"];\n'
        '  "direct.accounts_lock" -> "direct.audit_lock" [label="testdata/ll102/direct.py:10", color=red, penwidth=2];\n'
        '  "direct.audit_lock" -> "direct.accounts_lock" [label="testdata/ll102/direct.py:16", color=red, penwidth=2];\n'
        "}\n"
    )


def test_consistent_order_is_not_red(in_copy):
    out = graph("--format", "mermaid", "testdata/ll102/consistent.py")
    assert '-->|"testdata/ll102/consistent.py:13"|' in out
    assert "linkStyle" not in out  # gated and same-order edges are not inversions


def test_readme_embeds_the_current_mermaid_graph(monkeypatch):
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- lintlock graph --format mermaid (\S+) -->\n```mermaid\n(.*?)```", readme, re.S)
    assert match, "README lost its embedded graph"
    assert match.group(2) == graph("--format", "mermaid", match.group(1))


def test_missing_path_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["graph", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_json_lock_graph(in_copy):
    data = json.loads(graph("--format", "json", "testdata/ll102/direct.py"))
    assert data["locks"][0] == {"lock": "direct.accounts_lock", "kind": "threading.Lock", "created": "testdata/ll102/direct.py:4"}
    assert [(e["first"], e["second"], e["witness"], e["inverted"]) for e in data["edges"]] == [
        ("direct.accounts_lock", "direct.audit_lock", "testdata/ll102/direct.py:10", True),
        ("direct.audit_lock", "direct.accounts_lock", "testdata/ll102/direct.py:16", True),
    ]


def test_call_graph_says_why(in_copy):
    """Each call site with its callees and how they were found."""
    calls = json.loads(graph("--calls", "testdata/valueflow/callbacks.py", "testdata/valueflow/overrides.py"))["calls"]
    found = {(c["path"].rsplit("/", 1)[-1], c["line"]): [(e["callee"], e["why"]) for e in c["callees"]] for c in calls}
    assert found[("callbacks.py", 22)] == [("callbacks.Flags._changed", "value flow")]
    assert found[("callbacks.py", 63)] == [("callbacks.Attribute._handle", "value flow")]
    assert found[("overrides.py", 13)] == [("overrides.AuditedStore.on_saved", "override"), ("overrides.Store.on_saved", "method")]
    assert found[("overrides.py", 31)] == [("overrides.Quiet.on_saved", "method")]  # NeverBuilt is never constructed
    assert found[("overrides.py", 46)] == [("overrides.Store.__init__", "direct")]  # inherited
