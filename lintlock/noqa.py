"""`--add-noqa`: write `# noqa: CODE` on the lines of the current findings.

For adopting lintlock on an existing code base: new code is checked, the
known findings are marked where they are. A comment is added only where the
line ends in code (never inside a multi-line string), merged into an existing
`# noqa: ...` on that line, and the file keeps its line endings.
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import Iterable, Mapping, Optional, Set, Tuple

_NOQA_CODES = re.compile(r"#\s*noqa:\s?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*)", re.IGNORECASE)


def commentable_lines(source: bytes) -> Set[int]:
    """Lines whose end is outside any string: a comment can go there."""
    lines: Set[int] = set()
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT):
                lines.add(token.start[0])
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError):
        return set()
    return lines


def add_noqa(source: bytes, codes_by_line: Mapping[int, Iterable[str]]) -> Tuple[bytes, int]:
    """(new source, how many lines got a directive)."""
    allowed = commentable_lines(source)
    lines = source.splitlines(keepends=True)
    added = 0
    for number, codes in sorted(codes_by_line.items()):
        if number not in allowed or not 0 < number <= len(lines):
            continue
        text = lines[number - 1]
        body = text.rstrip(b"\r\n")
        ending = text[len(body) :]
        changed = _with_codes(body.decode("utf-8", "surrogateescape"), sorted(set(codes)))
        if changed is not None:
            lines[number - 1] = changed.encode("utf-8", "surrogateescape") + ending
            added += 1
    return b"".join(lines), added


def _with_codes(line: str, codes: Iterable[str]) -> Optional[str]:
    existing = _NOQA_CODES.search(line)
    if existing is not None:
        present = [c for c in re.split(r"[,\s]+", existing.group("codes")) if c]
        missing = [c for c in codes if not any(c.startswith(p.upper()) for p in present)]
        if not missing:
            return None
        merged = ", ".join(present + missing)
        return line[: existing.start("codes")] + merged + line[existing.end("codes") :]
    return line.rstrip() + "  # noqa: " + ", ".join(codes)
