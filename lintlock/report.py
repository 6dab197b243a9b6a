"""Stage 6: print findings. flake8-style lines that editors and CI parse."""
from __future__ import annotations

import difflib
from typing import Iterable, List, Sequence

from .problems import Finding


def text_lines(findings: Iterable[Finding], unsafe_fixes: bool = False) -> List[str]:
    """`path:line:col: CODE [*] message`; [*] marks a finding --fix can fix (as in ruff)."""
    lines = []
    for f in findings:
        marker = "[*] " if f.fix == "safe" or (f.fix == "unsafe" and unsafe_fixes) else ""
        lines.append(f"{f.path}:{f.line}:{f.column}: {f.code} {marker}{f.message}")
    return lines


def summary_lines(findings: Sequence[Finding], unsafe_fixes: bool = False, fixed: int = 0) -> List[str]:
    count = len(findings)
    lines = []
    if fixed:
        lines.append(f"Fixed {fixed} error{'s' if fixed != 1 else ''}, {count} remaining." if count else f"Fixed {fixed} error{'s' if fixed != 1 else ''}.")
        if not count:
            return lines
    if count == 0:
        return lines or ["All checks passed!"]
    fixable = sum(1 for f in findings if f.fix == "safe" or (f.fix == "unsafe" and unsafe_fixes))
    hidden = sum(1 for f in findings if f.fix == "unsafe" and not unsafe_fixes)
    noun = "error" if count == 1 else "errors"
    if not fixed:
        lines.append(f"Found {count} {noun}." if not fixable else f"Found {count} {noun} ({fixable} fixable with --fix).")
    if hidden:
        lines.append(f"{hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with --unsafe-fixes.")
    lines.append("Run `lintlock rule CODE` for what a code means and how to fix it.")
    return lines


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    old = before.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    new = after.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, fromfile=f"a/{path}", tofile=f"b/{path}"))


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
        result = {
            "ruleId": f.code,
            "level": "error",
            "message": {"text": f.message},
            "locations": [_location(f.path, f.line, f.column, f.end_line, f.end_column)],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.related:
            result["relatedLocations"] = [
                dict(_location(p, line, col), id=i, message={"text": label}) for i, (p, line, col, label) in enumerate(f.related)
            ]
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


def source_lines(finding: Finding, source: bytes) -> List[str]:
    """--show-source: the reported line, and a caret under the column."""
    lines = source.splitlines()
    if not 0 < finding.line <= len(lines):
        return []
    text = lines[finding.line - 1].decode("utf-8", "replace").expandtabs(1)
    return [text, " " * (max(finding.column, 1) - 1) + "^"]


def statistics_lines(findings: Sequence[Finding], titles: dict) -> List[str]:
    counts: dict = {}
    for f in findings:
        counts[f.code] = counts.get(f.code, 0) + 1
    return [f"{count:<5} {code} {titles.get(code, '')}".rstrip() for code, count in sorted(counts.items())]
