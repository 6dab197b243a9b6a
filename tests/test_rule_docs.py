"""The rule catalogue: every document's examples are executed (as Fixit does with VALID/INVALID)."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

from lintlock.knowledge import lock_kinds, read_rules_file
from lintlock.pipeline import run

RULES = Path(__file__).resolve().parent.parent / "rules"
DOCS = sorted(RULES.glob("LL*.md"))
HEADINGS = ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix availability", "## Known limitations"]


def section(text: str, heading: str) -> str:
    start = text.index(heading + "\n")
    block = re.search(r"```python\n(.*?)```", text[start:], re.S)
    assert block, f"no python block under {heading}"
    return block.group(1)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.stem)
def test_document_structure(doc):
    text = doc.read_text(encoding="utf-8")
    assert text.startswith(f"# {doc.stem}: ")
    positions = [text.index(h + "\n") for h in HEADINGS]
    assert positions == sorted(positions)


@pytest.mark.parametrize("doc", [d for d in DOCS if d.stem != "LL900"], ids=lambda p: p.stem)  # LL900: a bug in lintlock, no example
def test_example_is_reported_and_fix_is_clean(doc, tmp_path):
    text = doc.read_text(encoding="utf-8")
    bad = tmp_path / "example.py"
    bad.write_text(section(text, "## Example"))
    good = tmp_path / "use_instead.py"
    good.write_text(section(text, "## Use instead"))
    codes = {f.code for f in run([str(bad)]).findings}
    assert codes == {doc.stem}
    assert run([str(good)]).findings == ()


def test_lock_table_is_read():
    kinds = lock_kinds()
    assert kinds["threading.RLock"].reentrant is True
    assert kinds["threading.Lock"].reentrant is False
    assert kinds["threading.Condition"].wraps == 0
    assert kinds["asyncio.Lock"].family == "asyncio"


def test_rules_ship_inside_the_wheel():
    """From a non-editable install (CI), the catalogue is package data."""
    installed = [p for p in sys.path if p.endswith("site-packages")]
    dists = [d for d in metadata.distributions(path=installed) if d.metadata["Name"] == "lintlock"]
    if not dists:
        pytest.skip("lintlock is not installed")
    files = dists[0].files or []
    shipped = {str(f).replace("\\", "/") for f in files}
    if not any(name.startswith("lintlock/") and name.endswith(".py") for name in shipped):
        pytest.skip("editable install: the package is read from the checkout")
    for doc in DOCS + [RULES / "locks.toml", RULES / "blocking.toml"]:
        assert f"lintlock/rules/{doc.name}" in shipped
    package = RULES.parent / "lintlock"
    for module in package.rglob("*.py"):
        assert "lintlock/" + module.relative_to(package).as_posix() in shipped
    assert read_rules_file("LL101.md").startswith("# LL101")


EXACT = {
    "LL101": [
        (
            17,
            17,
            "self.delete() is called while holding self._mu (acquired at line 14); Task.delete acquires self._mu again at line 20, and threading.Lock is not reentrant: this thread waits for itself forever",
        )
    ],
    "LL102": [
        (
            9,
            14,
            "lock-order inversion between example.accounts_lock and example.audit_lock (taken in the other order at line 15): path 1: transfer holds example.accounts_lock (line 8) and takes example.audit_lock at line 9; path 2: report holds example.audit_lock (line 14) and takes example.accounts_lock at line 15. Two threads on these paths each hold one lock and wait forever for the other",
        )
    ],
    "LL103": [
        (
            13,
            17,
            "time.sleep(0.5) blocks while holding self._mu (acquired at line 11) until self._done changes; but TaskMonitor.complete does that only while holding TaskMonitor._mu (at line 17), so it waits for this thread to release it: neither ever proceeds",
        )
    ],
    "LL104": [
        (
            10,
            20,
            '`await session.get("/")` suspends this coroutine while holding self._lock (threading.Lock, acquired at line 9); other tasks run on this thread meanwhile, and the first one that needs self._lock blocks the event loop, so this task never resumes to release it. Use an asyncio.Lock, or release before awaiting',
        )
    ],
    "LL105": [
        (
            8,
            5,
            "lock.acquire() is not followed by try/finally: if anything before lock.release() raises or returns early, the threading.Lock stays held and every later acquire hangs forever. Use `with lock:` or try/finally",
        )
    ],
}


@pytest.mark.parametrize("code", sorted(EXACT))
def test_example_messages_are_exact(code, tmp_path):
    example = tmp_path / "example.py"
    example.write_text(section((RULES / f"{code}.md").read_text(encoding="utf-8"), "## Example"))
    assert [(f.line, f.column, f.message) for f in run([str(example)]).findings] == EXACT[code]
