"""`lintlock check --runtime-report FILE.json`: static findings confirmed at runtime, and what only the runtime saw.

Matching: a static finding is confirmed by a runtime finding of the same
code when the static finding's own line (path:line, where it reports the
call or acquisition under the lock) is one of the frames of the runtime
finding's stacks. Those stacks contain every acquisition and wait involved
and the calls that led to them, so the line the static analysis points at is
there when both describe the same bug, whichever end each reports.

The report is only parsed as JSON (nothing in it runs); a file that cannot be
read or is not a runtime report becomes an LL001 finding on that file.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from typing import List, Sequence, Set, Tuple

from ..problems import Finding
from .frames import display_path

CONFIRMED = " [confirmed at runtime]"
MAX_REPORT_BYTES = 64 * 1024 * 1024


class ReportError(ValueError):
    pass


def merge_runtime_report(findings: Sequence[Finding], report_path: str) -> List[Finding]:
    """The static `findings` with those the runtime confirmed marked, plus the runtime-only ones, sorted."""
    try:
        observed = read_report(report_path)
    except ReportError as error:
        return sorted(list(findings) + [Finding(report_path, 1, 1, 1, 1, "LL001", f"cannot read runtime report: {error}")], key=Finding.sort_key)
    confirming = [False] * len(observed)
    merged = []
    for finding in findings:
        where = (_key(finding.path, os.getcwd())[0], finding.line)
        hits = [i for i, (code, _, sites) in enumerate(observed) if code == finding.code and where in sites]
        for i in hits:
            confirming[i] = True
        merged.append(replace(finding, message=finding.message + CONFIRMED) if hits and not finding.message.endswith(CONFIRMED) else finding)
    merged.extend(runtime for (_, runtime, _), used in zip(observed, confirming) if not used)
    return sorted(merged, key=Finding.sort_key)


def _key(path: str, root: str) -> Tuple[str]:
    absolute = path if os.path.isabs(path) else os.path.join(root, path)
    return (os.path.normcase(os.path.realpath(absolute)),)


def read_report(report_path: str) -> List[Tuple[str, Finding, Set[Tuple[str, int]]]]:
    """Each runtime finding: its code, as a Finding, and the (real path, line) of every frame in its stacks."""
    try:
        if os.path.getsize(report_path) > MAX_REPORT_BYTES:
            raise ReportError("file too large")
        with open(report_path, "rb") as handle:
            document = json.loads(handle.read().decode("utf-8"))
    except OSError as error:
        raise ReportError(error.strerror or str(error)) from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ReportError(f"not JSON ({error})") from None
    if not isinstance(document, dict) or document.get("tool") != "lintlock.runtime" or not isinstance(document.get("findings"), list):
        raise ReportError("not a lintlock.runtime JSON report")
    root = document["root"] if isinstance(document.get("root"), str) else os.path.dirname(os.path.abspath(report_path))
    try:
        return [_entry(entry, root) for entry in document["findings"]]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ReportError(f"malformed finding ({error.__class__.__name__}: {error})") from None


def _entry(entry: dict, root: str) -> Tuple[str, Finding, Set[Tuple[str, int]]]:
    code, path, line, column = str(entry["code"]), str(entry["path"]), int(entry["line"]), int(entry["column"])
    frames = [
        (str(s["label"]), str(f["path"]), int(f["line"]), int(f.get("column", 1)), str(f.get("function", "")))
        for s in entry.get("stacks", [])
        for f in s["frames"]
    ]
    sites = {(_key(path, root)[0], line)} | {(_key(p, root)[0], n) for _, p, n, _, _ in frames}
    shown = _display(path, root)
    finding = Finding(
        shown,
        line,
        column,
        line,
        column,
        code,
        str(entry["message"]),
        lock=str(entry.get("lock") or ""),
        chain=tuple(f"{label}: {_display(p, root)}:{n} in {function}" for label, p, n, _, function in frames),
        related=tuple((_display(p, root), n, c, f"{label}: in {function}") for label, p, n, c, function in frames),
    )
    return code, finding, sites


def _display(path: str, root: str) -> str:
    """Relative to the current directory when under it (as static findings are printed)."""
    return display_path(path if os.path.isabs(path) or path.startswith("<") else os.path.join(root, path))
