"""Starting positions for big views, computed here so that the browser needs only a short physics
run: each connected component as a radial tree grown breadth-first from its best connected node
(a document or region hub in a policy graph), subtrees given angle in proportion to their size.
Linear time, deterministic (ties broken by id), so the same input gives the same page."""
from __future__ import annotations

import math
from collections import deque
from typing import Iterable, Mapping

RING = 160.0  # distance between consecutive depth rings
SPACING = 28.0  # arc length per node on a crowded ring


def radial_layout(node_ids: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    ids = sorted(set(node_ids))
    adj: dict[str, set[str]] = {n: set() for n in ids}
    for a, b in edges:
        if a != b and a in adj and b in adj:
            adj[a].add(b)
            adj[b].add(a)
    order = sorted(ids, key=lambda n: (-len(adj[n]), n))
    placed: dict[str, tuple[float, float]] = {}
    components: list[dict[str, tuple[float, float]]] = []
    seen: set[str] = set()
    for root in order:
        if root in seen:
            continue
        components.append(_tree(root, adj, seen))
    # the largest component in the middle, the rest on rows beneath it
    cursor_x, cursor_y, row_h = 0.0, 0.0, 0.0
    width = None
    for comp in components:
        xs = [p[0] for p in comp.values()]
        ys = [p[1] for p in comp.values()]
        w, h = max(xs) - min(xs) + RING, max(ys) - min(ys) + RING
        if width is None:
            width = max(w, 2000.0)
            ox, oy = -min(xs) - w / 2 + RING / 2, -min(ys) - h / 2 + RING / 2
            cursor_y = h / 2
            cursor_x = -width / 2
        else:
            if cursor_x + w > width / 2:
                cursor_x = -width / 2
                cursor_y += row_h
                row_h = 0.0
            ox, oy = cursor_x - min(xs) + RING / 2, cursor_y - min(ys) + RING / 2
            cursor_x += w
            row_h = max(row_h, h)
        for n, (x, y) in comp.items():
            placed[n] = (x + ox, y + oy)
    return {n: (round(x), round(y)) for n, (x, y) in placed.items()}


def _tree(root: str, adj: Mapping[str, set[str]], seen: set[str]) -> dict[str, tuple[float, float]]:
    parent: dict[str, str | None] = {root: None}
    depth = {root: 0}
    children: dict[str, list[str]] = {root: []}
    bfs = [root]
    seen.add(root)
    queue = deque([root])
    while queue:
        n = queue.popleft()
        for m in sorted(adj[n], key=lambda m: (-len(adj[m]), m)):
            if m not in seen:
                seen.add(m)
                parent[m] = n
                depth[m] = depth[n] + 1
                children[m] = []
                children[n].append(m)
                bfs.append(m)
                queue.append(m)
    size = {n: 1 for n in bfs}
    for n in reversed(bfs):
        if parent[n] is not None:
            size[parent[n]] += size[n]
    per_depth: dict[int, int] = {}
    for n in bfs:
        per_depth[depth[n]] = per_depth.get(depth[n], 0) + 1
    radius = {0: 0.0}
    for d in range(1, max(per_depth) + 1):
        radius[d] = max(radius[d - 1] + RING, per_depth[d] * SPACING / (2 * math.pi))
    pos: dict[str, tuple[float, float]] = {}
    wedge = {root: (0.0, 2 * math.pi)}
    for n in bfs:
        lo, hi = wedge[n]
        mid = (lo + hi) / 2
        pos[n] = (radius[depth[n]] * math.cos(mid), radius[depth[n]] * math.sin(mid))
        start = lo
        total = size[n] - 1
        for c in children[n]:
            span = (hi - lo) * size[c] / total
            wedge[c] = (start, start + span)
            start += span
    return pos
