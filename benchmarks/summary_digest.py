"""Digest of the summaries lintlock computes: proves a refactor of the summarizer
changed nothing it produces.

    python benchmarks/summary_digest.py testdata /path/to/stdlib > before.txt
    ... refactor ...
    python benchmarks/summary_digest.py testdata /path/to/stdlib > after.txt
    diff before.txt after.txt

One line per file: its path and the sha256 of its ModuleSummary (or of the
LL001/LL900 finding), then TOTAL over all of them. By default a summary is
digested in the cache's JSON encoding (lintlock.codec), which leaves out the
fields equal to their default: a new field that keeps its default everywhere
changes no digest, a changed value does. --pickle digests the pickled object
instead (every field, defaults included). pickle is only *written* here, to
compare bytes; nothing is ever loaded from it. --show FILE prints one file's
summary in the JSON encoding, to see what a difference is; --dump OUT writes
every file's path and JSON encoding to OUT, one line each (tab-separated), to
compare two trees' summaries field by field.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
from typing import List, Optional

from lintlock import model
from lintlock.codec import Codec, dataclasses_and_enums
from lintlock.discover import discover
from lintlock.problems import Finding
from lintlock.store import on_big_stack, summarize_file


def _arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="sha256 of the summary of every Python file under PATHS (default: testdata)")
    parser.add_argument("paths", nargs="*", default=["testdata"], metavar="PATHS")
    parser.add_argument("--pickle", action="store_true", help="digest pickled summaries (every field) instead of their JSON encoding")
    parser.add_argument("--show", metavar="FILE", help="print the JSON encoding of FILE's summary and stop")
    parser.add_argument("--dump", metavar="OUT", help="also write each file's path and JSON encoding to OUT, one line each")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    arguments = _arguments(argv)
    codec = Codec(dataclasses_and_enums(model) + (Finding,))
    paths = [arguments.show] if arguments.show else arguments.paths
    total = hashlib.sha256()
    dump = open(arguments.dump, "w", encoding="utf-8") if arguments.dump else None
    for source_file in discover(paths):
        try:
            with open(source_file.path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        result = on_big_stack(summarize_file, source_file, data)
        value = result.summary if result.summary is not None else result.problem
        encoded = pickle.dumps(value, protocol=4) if arguments.pickle else codec.dumps(value)
        if arguments.show:
            print(encoded.decode("utf-8") if not arguments.pickle else encoded)
            return 0
        if dump is not None:
            dump.write(f"{source_file.path}\t{codec.dumps(value).decode('utf-8')}\n")
        digest = hashlib.sha256(encoded).hexdigest()
        total.update(digest.encode())
        print(f"{source_file.path} {digest}")
    print(f"TOTAL {total.hexdigest()}")
    if dump is not None:
        dump.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
