"""`lintlock graph`: the program's lock-order graph, as Graphviz dot, Mermaid or JSON;
with `--calls`, the resolved call graph as JSON.

Nodes are locks by class-level identity; an edge A -> B says some path holds
A and then takes B, with one witness location. Edges on an inversion (the
pair LL102 reports) are drawn red.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Callable, Dict, List, Literal, Tuple, Union

from .checks.ll102 import inversions, order_witnesses
from .link import LockRef
from .locate import Located
from .model import Call, CallWhy, Site, TargetKind
from .pipeline import Loaded


@dataclass(frozen=True)
class Node:
    lock: str
    kind: str
    created: str  # path:line, or "" when unknown


@dataclass(frozen=True)
class Edge:
    first: str
    second: str
    witness: str  # path:line where the second lock is taken (or the call leading to it)
    inverted: bool


def lock_graph(loaded: Loaded) -> Tuple[List[Node], List[Edge]]:
    """The edges witnessed in the target files (the rest of the project is context, as for `check`)."""
    program = loaded.program
    every = order_witnesses(program)
    inverted = {pair for here, other in inversions(every) for pair in ((here.first, here.second), (other.first, other.second))}
    witnesses = {pair: w for pair, w in every.items() if w.site.path in loaded.targets}
    locks = sorted({lock for pair in witnesses for lock in pair})
    refs = [ref for ref in map(program.lock_ref_by_id, locks) if ref is not None]
    locate = loaded.locator([w.site for w in witnesses.values()] + [ref.created for ref in refs if ref.created is not None])
    known = {ref.id: _node(ref, locate) for ref in refs}
    nodes = [known.get(lock, Node(lock, "lock", "")) for lock in locks]
    edges = [Edge(first, second, f"{w.site.path}:{locate(w.site).line}", (first, second) in inverted) for (first, second), w in sorted(witnesses.items())]
    return nodes, edges


def _node(ref: LockRef, locate: Callable[[Site], Located]) -> Node:
    created = f"{ref.created.path}:{locate(ref.created).line}" if ref.created is not None else ""
    return Node(ref.id, ref.kind.display if ref.kind is not None else "lock", created)


def merge_graphs(parts: List[Tuple[List[Node], List[Edge]]]) -> Tuple[List[Node], List[Edge]]:
    """The graphs of several projects as one (each lock once)."""
    nodes = {node.lock: node for part_nodes, _ in parts for node in part_nodes}
    edges = {(edge.first, edge.second): edge for _, part_edges in parts for edge in part_edges}
    return [nodes[lock] for lock in sorted(nodes)], [edges[pair] for pair in sorted(edges)]


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def to_dot(nodes: List[Node], edges: List[Edge]) -> str:
    lines = ["digraph lock_order {", "  node [shape=box];"]
    for node in nodes:
        label = "\\n".join(_quote(part) for part in (node.lock, node.kind, node.created) if part)
        lines.append(f'  "{_quote(node.lock)}" [label="{label}"];')
    for edge in edges:
        style = ", color=red, penwidth=2" if edge.inverted else ""
        lines.append(f'  "{_quote(edge.first)}" -> "{_quote(edge.second)}" [label="{_quote(edge.witness)}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(nodes: List[Node], edges: List[Edge]) -> str:
    ids = {node.lock: f"L{i}" for i, node in enumerate(nodes)}
    lines = ["graph LR"]
    for node in nodes:
        label = "<br/>".join(part for part in (node.lock, node.kind, node.created) if part)
        lines.append(f'  {ids[node.lock]}["{label.replace(chr(34), "#quot;")}"]')
    red = []
    for index, edge in enumerate(edges):
        lines.append(f'  {ids[edge.first]} -->|"{edge.witness}"| {ids[edge.second]}')
        if edge.inverted:
            red.append(str(index))
    if red:
        lines.append(f"  linkStyle {','.join(red)} stroke:#d00,stroke-width:3px")
    return "\n".join(lines) + "\n"


def to_json(nodes: List[Node], edges: List[Edge]) -> str:
    return json.dumps({"version": 1, "locks": [asdict(n) for n in nodes], "edges": [asdict(e) for e in edges]}, indent=2) + "\n"


# what `graph --calls` says of a callee: how the call was resolved, a call by name split into
# "direct" (a function) and "method", and "decorator" for the wrapper a decorator put around it
GraphWhy = Union[CallWhy, Literal["method", "decorator"]]


def _why(kind: TargetKind, why: CallWhy, decorated: bool) -> GraphWhy:
    """How a call was resolved: direct (a function by name), method, decorator, value flow, override."""
    if decorated:
        return "decorator"
    if why != "direct":
        return why
    return "direct" if kind in ("global", "local") else "method"


def call_graph(loaded: Loaded) -> Dict[str, Any]:
    """Every call site of the target files that runs an in-tree function: caller, callees and why."""
    program = loaded.program
    rows = []
    for name, fn, path in program.each_function():
        if path not in loaded.targets:
            continue
        for event in fn.events:
            if not isinstance(event, Call) or event.target.kind == "attr":
                continue
            callees = sorted(
                {(edge.callee, _why(event.target.kind, edge.why, edge.decorated is not None)) for edge in program.callees(fn, event, overrides=True)}
            )
            if callees:
                rows.append((path, event.site, name, callees))
    locate = loaded.locator([Site(path, site) for path, site, _, _ in rows])
    calls = []
    for path, site, caller, callees in rows:
        where = locate(Site(path, site))
        calls.append({"path": path, "line": where.line, "column": where.column, "caller": caller, "callees": [{"callee": c, "why": w} for c, w in callees]})
    calls.sort(key=lambda c: (c["path"], c["line"], c["column"], c["caller"]))
    return {"version": 1, "calls": calls}


def calls_to_json(graph: Dict[str, Any]) -> str:
    return json.dumps(graph, indent=2) + "\n"
