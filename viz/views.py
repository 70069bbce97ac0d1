"""What each view shows: plain functions from the indexed graph to a `View` (nodes, edges, notes).

Drawing is `render.py`'s business; here is only the choice of nodes and edges, so it can be tested
without a browser."""
from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable, Mapping

from policykg.errors import UsageError
from policykg.viz.graphdata import GraphData
from policykg.viz.style import LABEL_ORDER

# Above this many nodes the overview keeps the best connected ones and says so on the page.
OVERVIEW_MAX_NODES = 5000
EGO_MAX_NODES = 2000
EGO_LABELS = ("Agency", "Park", "Technology", "Task", "Organization")


@dataclass(frozen=True)
class ViewNode:
    id: str
    label: str  # the contract label (Agency, Task …)
    name: str
    group: str  # legend category: the label, or a view-specific refinement (Agency:lead)
    caption: str  # the text drawn under the node
    regions: tuple[str, ...]
    docs: tuple[str, ...]
    aliases: tuple[str, ...]
    size: int  # what the node's size is proportional to (degree, number of tasks)
    props: Mapping = field(default_factory=dict)
    evidence: tuple[dict, ...] = ()


@dataclass(frozen=True)
class ViewEdge:
    id: str
    source: str
    target: str
    type: str  # the contract type, or CO_ASSIGNED
    group: str  # legend category
    directed: bool
    weight: int = 1
    props: Mapping = field(default_factory=dict)
    evidence: tuple[dict, ...] = ()
    docs: tuple[str, ...] = ()


@dataclass(frozen=True)
class View:
    kind: str
    title: str
    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    documents: Mapping[str, dict]
    notes: tuple[str, ...] = ()
    focus: str | None = None  # the node the view is about (ego), selected when the page opens
    size_meaning: str = "degree"


# ---------------------------------------------------------------- helpers


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def caption(node: dict) -> str:
    """The short text drawn under a node: agencies with their region, tasks with their number."""
    props = node.get("props") or {}
    name = str(node.get("name") or node["id"])
    label = node["label"]
    if label == "Agency":
        region = props.get("region") or ""
        if region and region not in name and not name.startswith(("中共", "中国共产党")):
            name = f"{region}{name}"
        return _short(name, 22)
    if label == "Task" and props.get("number"):
        return _short(f"{props['number']} {props.get('title') or name}", 20)
    return _short(name, 22)


def _label_rank(label: str) -> int:
    return LABEL_ORDER.index(label) if label in LABEL_ORDER else len(LABEL_ORDER)


def _edge_docs(edge: dict, documents: Mapping) -> tuple[str, ...]:
    return tuple(sorted({ev["doc"] for ev in edge.get("evidence") or [] if ev.get("doc") in documents}))


def _view_node(g: GraphData, nid: str, group: str | None = None, size: int | None = None,
               extra_props: Mapping | None = None) -> ViewNode:
    n = g.nodes[nid]
    props = dict(n.get("props") or {})
    if extra_props:
        props.update(extra_props)
    aliases = props.get("aliases") or []
    return ViewNode(
        id=nid, label=n["label"], name=str(n["name"]), group=group or n["label"], caption=caption(n),
        regions=g.node_regions(nid), docs=g.node_docs(nid),
        aliases=tuple(str(a) for a in aliases) if isinstance(aliases, list) else (),
        size=g.degree(nid) if size is None else size, props=props,
        evidence=tuple(n.get("evidence") or ()),
    )


def _view_edge(g: GraphData, i: int) -> ViewEdge:
    e = g.edges[i]
    return ViewEdge(
        id=f"e{i}", source=e["source"], target=e["target"], type=e["type"], group=e["type"], directed=True,
        props=dict(e.get("props") or {}), evidence=tuple(e.get("evidence") or ()),
        docs=_edge_docs(e, g.documents),
    )


def _sorted_nodes(g: GraphData, ids: Iterable[str]) -> list[str]:
    return sorted(ids, key=lambda nid: (_label_rank(g.nodes[nid]["label"]), nid))


def induced(g: GraphData, node_ids: Iterable[str], kind: str, title: str, notes: Iterable[str] = (),
            focus: str | None = None, edge_filter=None) -> View:
    """The view of `node_ids` and every relationship among them."""
    keep = set(node_ids)
    unknown = sorted(n for n in keep if n not in g.nodes)
    if unknown:
        raise UsageError(f"unknown node id(s): {', '.join(unknown[:5])}" + (" …" if len(unknown) > 5 else ""))
    edges = [
        _view_edge(g, i)
        for i, e in enumerate(g.edges)
        if e["source"] in keep and e["target"] in keep and (edge_filter is None or edge_filter(e))
    ]
    return View(kind=kind, title=title, nodes=tuple(_view_node(g, n) for n in _sorted_nodes(g, keep)),
                edges=tuple(edges), documents=g.documents, notes=tuple(notes), focus=focus)


# ---------------------------------------------------------------- overview


def overview(g: GraphData, max_nodes: int = OVERVIEW_MAX_NODES) -> View:
    """The whole graph; above `max_nodes`, the best connected `max_nodes` nodes with a note."""
    total = len(g.nodes)
    notes = []
    if total > max_nodes:
        ranked = sorted(g.nodes, key=lambda nid: (-g.degree(nid), _label_rank(g.nodes[nid]["label"]), nid))
        keep = ranked[:max_nodes]
        notes.append(
            f"Large graph: showing the {max_nodes:,} best connected of {total:,} nodes "
            f"({total - max_nodes:,} left out). Use `policykg view region`, `coordination` or `ego` for the rest. "
            f"图太大：仅显示连接最多的 {max_nodes:,} 个节点。"
        )
    else:
        keep = list(g.nodes)
    return induced(g, keep, "overview", "Overview 全图", notes)


# ---------------------------------------------------------------- regions


def _region_children(g: GraphData) -> dict[str, list[str]]:
    children: dict[str, list[str]] = defaultdict(list)
    for e in g.edges:
        if e["type"] == "PART_OF" and g.nodes[e["source"]]["label"] == "Region" and g.nodes[e["target"]]["label"] == "Region":
            children[e["target"]].append(e["source"])
    return children


def region_names(g: GraphData) -> list[str]:
    names = {g.nodes[n]["name"] for n in g.by_label("Region")}
    names.update(r for n in g.by_label("Agency") if isinstance(r := g.props(n).get("region"), str) and r)
    return sorted(names)


def resolve_region(g: GraphData, region: str) -> list[str]:
    """The Region node ids a user's region argument names: an id, a `/`-path or a name."""
    key = region.strip()
    regions = g.by_label("Region")
    for candidates in (
        [n for n in regions if n == key],
        [n for n in regions if n == f"region:{key}"],
        [n for n in regions if g.nodes[n]["name"] == key],
        [n for n in regions if n.endswith(f"/{key}")],
    ):
        if len(candidates) == 1:
            return candidates
        if len(candidates) > 1:
            raise UsageError(f"region {region!r} is ambiguous: {', '.join(sorted(candidates))}; give the id")
    return []


def region_subtree(g: GraphData, region: str) -> tuple[list[str], set[str]]:
    """(Region node ids of `region` and everything under it, their names). A region that has no
    Region node but is an agency's region is accepted by name alone."""
    roots = resolve_region(g, region)
    if not roots:
        if any(g.props(n).get("region") == region.strip() for n in g.by_label("Agency")):
            return [], {region.strip()}
        known = region_names(g)
        raise UsageError(f"no region {region!r} in this graph; known: {'、'.join(known[:30]) or 'none'}")
    children = _region_children(g)
    seen: list[str] = []
    queue = deque(roots)
    while queue:
        r = queue.popleft()
        if r in seen:
            continue
        seen.append(r)
        queue.extend(sorted(children.get(r, ())))
    return seen, {g.nodes[r]["name"] for r in seen}


def _agencies_in(g: GraphData, region_ids: list[str], names: set[str]) -> set[str]:
    ids = set(region_ids)
    out = {n for n in g.by_label("Agency") if g.props(n).get("region") in names}
    for e in g.edges:
        if e["type"] == "BELONGS_TO" and e["target"] in ids and g.nodes[e["source"]]["label"] == "Agency":
            out.add(e["source"])
    return out


def region_view(g: GraphData, region: str) -> View:
    """The region tree under `region` with its parks, organisations, agencies and their tasks."""
    region_ids, names = region_subtree(g, region)
    ids = set(region_ids)
    keep = set(region_ids)
    for e in g.edges:
        if e["type"] == "LOCATED_IN" and e["target"] in ids:
            keep.add(e["source"])
    for n in g.by_label("Park"):
        if g.props(n).get("region") in names:
            keep.add(n)
    agencies = _agencies_in(g, region_ids, names)
    keep |= agencies
    for e in g.edges:
        if e["type"] in ("LEADS", "SUPPORTS") and e["source"] in agencies:
            keep.add(e["target"])
    title_region = g.nodes[region_ids[0]]["name"] if region_ids else region.strip()
    return induced(g, keep, "region", f"Region 地区: {title_region}")


# ---------------------------------------------------------------- coordination


def coordination(g: GraphData, region: str | None = None) -> View:
    """Agencies only; one edge per pair of agencies assigned to the same task (LEADS or SUPPORTS),
    weighted by the number of shared tasks, coloured by whether one of them leads."""
    if region:
        region_ids, names = region_subtree(g, region)
        agencies = _agencies_in(g, region_ids, names)
        title = f"Coordination 协同: {g.nodes[region_ids[0]]['name'] if region_ids else region.strip()}"
    else:
        agencies = set(g.by_label("Agency"))
        title = "Coordination 协同"
    roles: dict[str, dict[str, str]] = defaultdict(dict)  # task -> agency -> lead|support
    clause: dict[tuple[str, str], list[dict]] = defaultdict(list)  # (task, agency) -> evidence
    for e in g.edges:
        if e["type"] in ("LEADS", "SUPPORTS") and e["source"] in agencies:
            role = "lead" if e["type"] == "LEADS" else "support"
            if roles[e["target"]].get(e["source"]) != "lead":
                roles[e["target"]][e["source"]] = role
            clause[(e["target"], e["source"])].extend(e.get("evidence") or [])
    leads: dict[str, int] = defaultdict(int)
    supports: dict[str, int] = defaultdict(int)
    pairs: dict[tuple[str, str], dict] = {}
    for task in sorted(roles):
        assigned = roles[task]
        for a, role in assigned.items():
            (leads if role == "lead" else supports)[a] += 1
        for a, b in combinations(sorted(assigned), 2):
            p = pairs.setdefault((a, b), {"shared_tasks": 0, "a_leads": 0, "b_leads": 0, "both_lead": 0,
                                          "both_support": 0, "tasks": []})
            p["shared_tasks"] += 1
            ra, rb = assigned[a], assigned[b]
            key = {("lead", "lead"): "both_lead", ("lead", "support"): "a_leads",
                   ("support", "lead"): "b_leads", ("support", "support"): "both_support"}[(ra, rb)]
            p[key] += 1
            p["tasks"].append(task)
    active = {a for a in agencies if leads[a] or supports[a]}
    nodes = []
    for a in _sorted_nodes(g, active):
        share = leads[a] / (leads[a] + supports[a])
        nodes.append(_view_node(g, a, group="Agency:lead" if share >= 0.5 else "Agency:support",
                                size=leads[a] + supports[a],
                                extra_props={"leads_tasks": leads[a], "supports_tasks": supports[a]}))
    edges = []
    for k, ((a, b), p) in enumerate(sorted(pairs.items())):
        any_lead = p["a_leads"] + p["b_leads"] + p["both_lead"] > 0
        source, target, directed = a, b, False
        if p["b_leads"] > p["a_leads"]:
            source, target = b, a
        if p["a_leads"] != p["b_leads"]:
            directed = True  # the arrow points from the one that leads more often
        evidence = []
        for task in p["tasks"]:
            about = caption(g.nodes[task])
            seen = set()
            for agency in (a, b):
                for ev in clause[(task, agency)]:
                    key = (ev.get("doc"), ev.get("start"), ev.get("end"))
                    if key not in seen:
                        seen.add(key)
                        evidence.append({**ev, "about": about})
        props = {
            "shared_tasks": p["shared_tasks"],
            f"{caption(g.nodes[a])} leads": p["a_leads"],
            f"{caption(g.nodes[b])} leads": p["b_leads"],
            "both lead": p["both_lead"],
            "both support": p["both_support"],
            "tasks": [caption(g.nodes[t]) for t in p["tasks"]],
        }
        edges.append(ViewEdge(
            id=f"c{k}", source=source, target=target, type="CO_ASSIGNED",
            group="CO_ASSIGNED:lead" if any_lead else "CO_ASSIGNED:support", directed=directed,
            weight=p["shared_tasks"], props=props, evidence=tuple(evidence),
            docs=tuple(sorted({ev["doc"] for ev in evidence if ev.get("doc") in g.documents})),
        ))
    return View(kind="coordination", title=title, nodes=tuple(nodes), edges=tuple(edges), documents=g.documents,
                size_meaning="tasks assigned",
                notes=("Edge width = tasks the two agencies share; the arrow points from the agency that leads "
                       "more of them. 连线粗细 = 共同承担的任务数，箭头由牵头较多的一方指向另一方。",))


# ---------------------------------------------------------------- ego


def find_nodes(g: GraphData, name: str, labels: Iterable[str] = EGO_LABELS, region: str | None = None) -> list[str]:
    """Nodes called `name`: by id, else by name, else by alias (then by caption)."""
    key = name.strip()
    if key in g.nodes:
        return [key]
    labels = set(labels)
    pool = [n for n, d in g.nodes.items() if d["label"] in labels]
    if region:
        pool = [n for n in pool if region in g.node_regions(n)]
    for match in (
        lambda n: g.nodes[n]["name"] == key,
        lambda n: key in (g.props(n).get("aliases") or []),
        lambda n: caption(g.nodes[n]) == key,
    ):
        found = [n for n in pool if match(n)]
        if found:
            return sorted(found)
    return []


def ego(g: GraphData, name: str, depth: int = 1, region: str | None = None,
        max_nodes: int = EGO_MAX_NODES) -> View:
    """One agency, park, technology or task and everything within `depth` relationships of it."""
    if depth < 1:
        raise UsageError("--depth must be 1 or more")
    found = find_nodes(g, name, region=region)
    if not found:
        raise UsageError(f"no agency, park, technology or task called {name!r}"
                         + (f" in {region}" if region else ""))
    if len(found) > 1:
        raise UsageError(f"{name!r} names {len(found)} nodes: {', '.join(found[:8])}; give an id or --region")
    center = found[0]
    dist = {center: 0}
    frontier = [center]
    truncated = False
    for level in range(1, depth + 1):
        nxt = []
        for nid in frontier:
            for i in g.incident(nid):
                e = g.edges[i]
                for other in (e["source"], e["target"]):
                    if other not in dist:
                        dist[other] = level
                        nxt.append(other)
        nxt = _sorted_nodes(g, set(nxt))
        if len(dist) > max_nodes:
            truncated = True
            keep_now = max_nodes - (len(dist) - len(nxt))
            for other in nxt[keep_now:]:
                del dist[other]
            break
        frontier = nxt
    notes = []
    if truncated:
        notes.append(f"Neighbourhood cut at {max_nodes:,} nodes. 邻域过大，已截断。")
    node = g.nodes[center]
    return induced(g, dist, "ego", f"Ego 关系: {caption(node)} (depth {depth})", notes, focus=center)


# ---------------------------------------------------------------- any list of nodes or edges


def subgraph(g: GraphData, node_ids: Iterable[str] = (), title: str = "Subgraph",
             edges: Iterable[tuple] | None = None) -> View:
    """The induced subgraph of `node_ids`; with `edges` ((source, target) or (source, target, type)),
    those edges' endpoints join the nodes and only those edges are drawn."""
    keep = list(node_ids)
    wanted = None
    if edges is not None:
        wanted = set()
        for e in edges:
            if len(e) not in (2, 3):
                raise UsageError(f"an edge is (source, target) or (source, target, type), not {e!r}")
            wanted.add(tuple(e))
            keep.extend(e[:2])

    def edge_filter(e: dict) -> bool:
        return wanted is None or (e["source"], e["target"]) in wanted or (e["source"], e["target"], e["type"]) in wanted

    return induced(g, keep, "subgraph", title, edge_filter=edge_filter)


def node_ids_in(g: GraphData, *values) -> list[str]:
    """Every node id of `g` found in query rows and parameters (cells, lists such as paths, maps),
    in order of first appearance."""
    found: dict[str, None] = {}

    def walk(v) -> None:
        if isinstance(v, str):
            if v in g.nodes:
                found.setdefault(v, None)
        elif isinstance(v, Mapping):
            for k in v:
                walk(v[k])
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    for v in values:
        walk(v)
    return list(found)
