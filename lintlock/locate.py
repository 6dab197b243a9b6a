"""Stage 5a: positions, computed late and only for the files findings point into.

libcst positions cost about twice the parse; findings are rare. So the
summaries carry site numbers, and here the few files that matter are
summarized again with positions (the same walk, so the site numbers agree).
"""

from __future__ import annotations

from typing import Dict, Iterable, Mapping, NamedTuple

from .discover import SourceFile
from .model import Site
from .store import on_big_stack


class Located(NamedTuple):
    line: int
    column: int  # 1-based, as flake8 prints it
    end_line: int
    end_column: int
    text: str  # the node's source, on one line


UNKNOWN = Located(1, 1, 1, 1, "")


def locate_sites(sites: Iterable[Site], files: Mapping[str, SourceFile], sources: Mapping[str, bytes]) -> Dict[Site, Located]:
    wanted: Dict[str, set] = {}
    for site in sites:
        wanted.setdefault(site.path, set()).add(site.site)
    found: Dict[Site, Located] = {}
    if not wanted:
        return found
    from .summarize import summarize  # libcst: imported only when there is something to locate

    for path in sorted(wanted):
        source = files[path]
        located = on_big_stack(summarize, sources[path], path, source.module, source.is_package, True)
        for site, line, col, end_line, end_col, text in located.positions:
            if site in wanted[path]:
                found[Site(path, site)] = Located(line, col, end_line, end_col, text)
    return found
