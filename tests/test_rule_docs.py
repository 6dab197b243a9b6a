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


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.stem)
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
