"""actor-path: every shortest path between two actors, by a bidirectional breadth-first search that
expands one level at a time through the engine (`statements.yaml: neighbours`, an index lookup on the
frontier's ids per label), the smaller side first.

Why not the engines' own shortest paths: FalkorDB's `algo.SPpaths` explores up to `maxLen` whatever the
actual distance (on the 1.3M-relationship benchmark graph: 6 ms at maxLen 2, 91 ms at 4, 9.7 s at 8,
for two agencies two hops apart), and `shortestPath` is not available there in MATCH or undirected;
Neo4j's `shortestPath` picks one path of several arbitrarily. Here both engines give the same rows: all
shortest paths, in a fixed order (by the ids and steps along the path), cut at `limit`.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from policykg.queries.schema_names import check_names, schema_labels, schema_types

PATH_TYPES = ("LEADS", "SUPPORTS", "SUBTASK_OF", "PART_OF", "INVOLVES", "ISSUED_BY", "COORDINATES")
CHUNK = 5000


@lru_cache(maxsize=1)
def statements() -> dict[str, str]:
    return yaml.safe_load(resources.files("policykg.queries").joinpath("statements.yaml").read_text(encoding="utf-8"))


def statement(name: str, label: str | None = None, types: tuple[str, ...] = ()) -> str:
    text = statements()[name]
    if label is not None:
        check_names([label], schema_labels(), "label")
        text = text.replace("{label}", label)
    if types:
        check_names(types, schema_types(), "relationship type")
        text = text.replace("{types}", "|".join(types))
    return text


class _Side:
    """One end of the search: distances and the parents that reach each node on a shortest route."""

    def __init__(self, start: str, label: str, name: str, toward_start: bool):
        self.dist = {start: 0}
        self.parents: dict[str, list[tuple[str, str]]] = defaultdict(list)  # node -> [(parent, step)]
        self.frontier = {start: label}
        self.level = 0
        self.toward_start = toward_start  # False for the source side: steps read parent -> node
        self.names = {start: name}


def _step(rel_type: str, out: bool) -> str:
    return f"{rel_type}>" if out else f"<{rel_type}"


def _expand(engine, side: _Side, labels: dict[str, str], names: dict[str, str]) -> None:
    by_label: dict[str, list[str]] = defaultdict(list)
    for node, label in side.frontier.items():
        by_label[label].append(node)
    nxt: dict[str, str] = {}
    level = side.level + 1
    for label in sorted(by_label):
        ids = sorted(by_label[label])
        text = statement("neighbours", label, PATH_TYPES)
        for i in range(0, len(ids), CHUNK):
            _, rows = engine.run(text, {"ids": ids[i:i + CHUNK]})
            for node, links in rows:
                for rel_type, out, other, other_label, other_name in links:
                    _link(side, level, nxt, labels, names, node, rel_type, out, other, other_label, other_name)
    side.frontier = nxt
    side.level = level


def _link(side: _Side, level: int, nxt: dict, labels: dict, names: dict, node: str, rel_type: str, out: bool,
          other: str, other_label: str, other_name: str) -> None:
    labels[other] = other_label
    names[other] = other_name
    d = side.dist.get(other)
    if d is None:
        side.dist[other] = d = level
        nxt[other] = other_label
    if d == level:
        # the source side walks node -> other; the target side walks other -> node
        step = _step(rel_type, out) if not side.toward_start else _step(rel_type, not out)
        side.parents[other].append((node, step))


def all_shortest_paths(engine, source: str, target: str, max_hops: int, limit: int) -> list[list[Any]]:
    if source == target or limit <= 0:
        return []
    _, rows = engine.run(statement("actors"), {"ids": [source, target]})
    found = {r[0]: r for r in rows}
    if source not in found or target not in found:
        return []
    labels = {source: found[source][1], target: found[target][1]}
    names = {source: found[source][2], target: found[target][2]}
    a = _Side(source, labels[source], names[source], toward_start=False)
    b = _Side(target, labels[target], names[target], toward_start=True)
    meeting: list[str] = []
    while a.frontier and b.frontier and a.level + b.level < max_hops:
        side = a if len(a.frontier) <= len(b.frontier) else b
        _expand(engine, side, labels, names)
        other = b if side is a else a
        meeting = sorted(n for n in side.frontier if n in other.dist)
        if meeting:
            break
    if not meeting:
        return []
    hops = a.level + b.level
    # nodes of the source side that lead to a meeting node (ancestors of the meeting nodes)
    useful = set(meeting)
    stack = list(meeting)
    while stack:
        for parent, _ in a.parents.get(stack.pop(), ()):
            if parent not in useful:
                useful.add(parent)
                stack.append(parent)
    children: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for node in useful:
        for parent, step in a.parents.get(node, ()):
            children[parent].append((node, step))
    for lst in children.values():
        lst.sort()
    meeting_set = set(meeting)
    out: list[list[Any]] = []

    def toward_target(node: str, ids: list[str], steps: list[str]) -> bool:
        if node == target:
            out.append([hops, list(ids), [names.get(i) for i in ids], list(steps)])
            return len(out) >= limit
        for parent, step in sorted(b.parents.get(node, ())):
            if b.dist.get(parent) == b.dist[node] - 1:
                if toward_target(parent, ids + [parent], steps + [step]):
                    return True
        return False

    def from_source(node: str, ids: list[str], steps: list[str]) -> bool:
        if node in meeting_set and a.dist[node] == a.level:
            return toward_target(node, ids, steps)
        for child, step in children.get(node, ()):
            if from_source(child, ids + [child], steps + [step]):
                return True
        return False

    from_source(source, [source], [])
    return out
