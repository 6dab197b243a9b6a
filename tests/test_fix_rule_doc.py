"""`lintlock rule LL101` shows the fixes as before/after pairs: each pair is executed here.

The python blocks of its "Fix availability" section come in pairs; `--fix` on
the first of a pair must give exactly the second, and leave no LL101 behind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lintlock.cli import main

DOC = Path(__file__).resolve().parent.parent / "rules" / "LL101.md"


def fix_pairs():
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Fix availability\n") : text.index("## Known limitations\n")]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) % 2 == 0
    return list(zip(blocks[::2], blocks[1::2]))


def test_the_document_shows_each_new_shape():
    afters = "".join(after for _, after in fix_pairs())
    assert "def lookup_locked(self, name):" in afters  # the split
    assert "to_submit.append(task)" in afters  # calls deferred from a loop
    assert len(fix_pairs()) == 3


@pytest.mark.parametrize("before, after", fix_pairs(), ids=lambda text: text.splitlines()[3][:30])
def test_the_fix_gives_the_documented_source(before, after, tmp_path):
    target = tmp_path / "example.py"
    target.write_text(before)
    result = CliRunner().invoke(main, ["--fix", "--no-cache", str(target)], catch_exceptions=False)
    assert target.read_text() == after
    assert " LL101 " not in result.output
