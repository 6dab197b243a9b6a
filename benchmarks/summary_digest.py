"""Digest of the summaries lintlock computes: proves a refactor of the summarizer
changed nothing it produces.

    python benchmarks/summary_digest.py testdata /path/to/stdlib > before.txt
    ... refactor ...
    python benchmarks/summary_digest.py testdata /path/to/stdlib > after.txt
    diff before.txt after.txt

One line per file: its path and the sha256 of the pickled ModuleSummary (or of
the LL001/LL900 finding). pickle is only *written* here, to compare bytes;
nothing is ever loaded from it.
"""

from __future__ import annotations

import hashlib
import pickle
import sys

from lintlock.discover import discover
from lintlock.store import on_big_stack, summarize_file


def main(paths) -> int:
    total = hashlib.sha256()
    for source_file in discover(paths):
        try:
            with open(source_file.path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        result = on_big_stack(summarize_file, source_file, data)
        value = result.summary if result.summary is not None else result.problem
        digest = hashlib.sha256(pickle.dumps(value, protocol=4)).hexdigest()
        total.update(digest.encode())
        print(f"{source_file.path} {digest}")
    print(f"TOTAL {total.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["testdata"]))
