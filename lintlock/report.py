"""Stage 6: print findings. flake8-style lines that editors and CI parse."""

from __future__ import annotations

import difflib
import unicodedata
from typing import Dict, Iterable, List, Sequence

from .problems import Finding

_CLAUSE_ENDS = (", and ", ", which ", "; but ", ": ")
_HEAD_MIN = 40  # a headline keeps at least this much of the message


def headline(message: str) -> str:
    """The message's first statement: up to the first clause boundary outside brackets
    (", and", ", which", "; but", ": ") after its first few words, and a trailing
    `[tag]` the message ends with. The full message is in --show-source, --format
    json and sarif."""
    body, tag = message, ""
    if message.endswith("]") and " [" in message:
        body, tag = message.rsplit(" [", 1)
        tag = " [" + tag
    return _first_statement(body) + tag


def _first_statement(message: str) -> str:
    depth = 0
    for index, char in enumerate(message):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif depth == 0 and index >= _HEAD_MIN and message.startswith(_CLAUSE_ENDS, index):
            return message[:index]
    return message


def _paint(text: str, color: bool, **style) -> str:
    if not color:
        return text
    import click

    return click.style(text, **style)


def text_lines(findings: Iterable[Finding], unsafe_fixes: bool = False, color: bool = False) -> List[str]:
    """`path:line:col: CODE [*] headline`; [*] marks a finding --fix can fix (as in ruff). The
    message's headline keeps the line readable; the rest is in the source view."""
    lines = []
    for f in findings:
        marker = _paint("[*] ", color, fg="cyan") if f.fix == "safe" or (f.fix == "unsafe" and unsafe_fixes) else ""
        where = _paint(f.path, color, bold=True) + f":{f.line}:{f.column}:"
        lines.append(f"{where} {_paint(f.code, color, fg='red', bold=True)} {marker}{headline(f.message)}")
    return lines


def _plural(count: int, noun: str, plural: str = "") -> str:
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def _passed(lock_free: int) -> str:
    return f"All checks passed! (no lock acquisition found in {_plural(lock_free, 'file')})" if lock_free else "All checks passed!"


def summary_lines(findings: Sequence[Finding], unsafe_fixes: bool = False, fixed: int = 0, lock_free: int = 0) -> List[str]:
    """ruff's closing lines: what was fixed, what is found, how many more fixes --unsafe-fixes would enable.
    lock_free: the number of files checked when none of them acquires a lock (said, lest a pass mislead)."""
    count = len(findings)
    if fixed:
        head = f"Fixed {_plural(fixed, 'error')}" + (f", {count} remaining." if count else ".")
        if not count:
            return [head]
    elif not count:
        return [_passed(lock_free)]
    else:
        fixable = sum(1 for f in findings if f.fix == "safe" or (f.fix == "unsafe" and unsafe_fixes))
        head = f"Found {_plural(count, 'error')}" + (f" ({fixable} fixable with --fix)." if fixable else ".")
    lines = [head]
    hidden = sum(1 for f in findings if f.fix == "unsafe" and not unsafe_fixes)
    if hidden:
        lines.append(f"{_plural(hidden, 'hidden fix', 'hidden fixes')} can be enabled with --unsafe-fixes.")
    lines.append("Run `lintlock rule CODE` for what a code means and how to fix it.")
    return lines


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    """As `diff -u`/git print it: a last line without a newline is marked, never glued to what follows."""
    old = before.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    new = after.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    lines = []
    for line in difflib.unified_diff(old, new, fromfile=f"a/{path}", tofile=f"b/{path}"):
        lines.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(findings: Iterable[Finding]) -> List[str]:
    """GitHub Actions workflow commands: annotations on the pull request's diff."""
    lines = []
    for f in findings:
        props = f"file={_escape_property(f.path)},line={f.line},col={f.column},endLine={f.end_line},endColumn={f.end_column},title={_escape_property('lintlock (' + f.code + ')')}"
        lines.append(f"::error {props}::{_escape_data(f.code + ' ' + f.message)}")
    return lines


JSON_VERSION = 1


def json_document(findings: Sequence[Finding], files: int) -> dict:
    """The --format json schema (documented in README): stable, versioned."""
    return {
        "version": JSON_VERSION,
        "tool": "lintlock",
        "files": files,
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "end_line": f.end_line,
                "end_column": f.end_column,
                "code": f.code,
                "message": f.message,
                "lock": f.lock or None,
                "chain": list(f.chain),
                "fix": f.fix or None,
                "related": [{"path": p, "line": line, "column": col, "message": label} for p, line, col, label in f.related],
            }
            for f in findings
        ],
    }


def _uri(path: str) -> str:
    import os
    from urllib.parse import quote

    if os.path.isabs(path):
        return "file://" + quote(path.replace(os.sep, "/"))
    return quote(path.replace(os.sep, "/"))


def sarif_document(findings: Sequence[Finding], rules: Sequence[tuple], version: str) -> dict:
    """SARIF 2.1.0, as GitHub code scanning reads it. `rules`: (code, title, markdown help)."""
    index = {code: i for i, (code, _, _) in enumerate(rules)}
    results = []
    for f in findings:
        result: Dict[str, object] = {
            "ruleId": f.code,
            "level": "error",
            "message": {"text": f.message},
            "locations": [_location(f.path, f.line, f.column, f.end_line, f.end_column)],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.related:
            result["relatedLocations"] = [dict(_location(p, line, col), id=i, message={"text": label}) for i, (p, line, col, label) in enumerate(f.related)]
        results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lintlock",
                        "version": version,
                        "informationUri": "https://pypi.org/project/lintlock/",
                        "rules": [
                            {
                                "id": code,
                                "name": title,
                                "shortDescription": {"text": title},
                                "fullDescription": {"text": help_text.split("\n## ", 2)[1].split("\n", 1)[-1].strip() if "\n## " in help_text else title},
                                "help": {"text": help_text, "markdown": help_text},
                                "defaultConfiguration": {"level": "error"},
                            }
                            for code, title, help_text in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }


def _location(path: str, line: int, column: int, end_line: int = 0, end_column: int = 0) -> dict:
    region = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    if end_line >= line and end_line > 0:
        region["endLine"] = end_line
        if end_column > 0 and (end_line > line or end_column >= column):
            region["endColumn"] = end_column
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(path)}, "region": region}}


def _columns(text: str) -> List[int]:
    """Display width of each character: 2 for wide (East Asian) ones, 0 for combining marks."""
    widths = []
    for char in text:
        if unicodedata.combining(char):
            widths.append(0)
        else:
            widths.append(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1)
    return widths


def _caret(text: str, column: int, end_column: int) -> str:
    """Carets under characters column..end_column (1-based), keeping the line's tabs so they align."""
    start = max(column, 1) - 1
    stop = max(end_column - 1, start + 1) if end_column > column else start + 1
    stop = min(stop, max(len(text), start + 1))
    widths = _columns(text)
    lead = "".join("\t" if char == "\t" else " " * width for char, width in zip(text[:start], widths[:start]))
    marks = sum(width if char != "\t" else 1 for char, width in zip(text[start:stop], widths[start:stop]))
    return lead + "^" * max(marks, 1)


def source_lines(finding: Finding, source: bytes) -> List[str]:
    """--show-source: the reported line with carets under the finding, the whole
    message, and where each step of it happens (path:line: what)."""
    lines = source.splitlines()
    shown: List[str] = []
    if 0 < finding.line <= len(lines):
        text = lines[finding.line - 1].decode("utf-8", "replace")
        gutter = str(finding.line)
        end_column = finding.end_column if finding.end_line == finding.line else len(text) + 1
        shown += [f"{gutter} | {text}", f"{' ' * len(gutter)} | {_caret(text, finding.column, end_column)}"]
    if finding.message != headline(finding.message) or finding.related:
        shown.append(f"  = {finding.message}")
    for path, line, column, label in finding.related:
        shown.append(f"  - {path}:{line}:{column}: {label}")
    return shown


def statistics_lines(findings: Sequence[Finding], titles: dict) -> List[str]:
    counts: dict = {}
    for f in findings:
        counts[f.code] = counts.get(f.code, 0) + 1
    return [f"{count:<5} {code} {titles.get(code, '')}".rstrip() for code, count in sorted(counts.items())]
