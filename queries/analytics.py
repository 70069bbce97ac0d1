"""Analytics where Cypher is the wrong tool, computed with networkx over rows fetched by Cypher.

They are named queries like the `.cypher` ones (same catalog, same `policykg query NAME` interface,
same parameters and output formats) and run on either engine: each fetches its input with a named
Cypher query through the engine, so the numbers depend only on the graph, not on the store.

- broker-agencies: betweenness centrality in the co-assignment network (agencies that connect
  otherwise separate groups);
- agency-communities: modularity communities of the co-assignment network (greedy modularity,
  weighted by shared tasks; deterministic);
- portfolio-overlap: Jaccard overlap of two agencies' task portfolios;
- actor-path: all shortest paths between two actors (a bidirectional search, queries/paths.py).
"""
from __future__ import annotations

from typing import Any

import networkx as nx

from policykg.errors import QueryError
from policykg.queries.catalog import Column, NamedQuery, Param


def _fetch(engine, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    from policykg.queries.runner import run_query

    return run_query(engine, name, params).records()


def co_assignment_graph(engine, region: str | None, doc: str | None) -> nx.Graph:
    """Agencies as nodes (name, region), shared tasks as edge weight; built in sorted order."""
    rows = _fetch(engine, "co-assignment", {"region": region, "doc": doc, "min_shared": 1, "limit": 10_000_000})
    workload = _fetch(engine, "agency-workload", {"region": region, "doc": doc})
    g = nx.Graph()
    for w in sorted(workload, key=lambda r: r["agency_id"]):
        g.add_node(w["agency_id"], name=w["agency"], region=w["region"], tasks=w["total"])
    for r in sorted(rows, key=lambda r: (r["agency_a_id"], r["agency_b_id"])):
        for side in ("a", "b"):
            if r[f"agency_{side}_id"] not in g:  # outside the region filter, still a neighbour
                g.add_node(r[f"agency_{side}_id"], name=r[f"agency_{side}"], region=None, tasks=None)
        g.add_edge(r["agency_a_id"], r["agency_b_id"], weight=r["shared"])
    return g


def broker_agencies(engine, params: dict[str, Any]) -> list[list[Any]]:
    g = co_assignment_graph(engine, params["region"], params["doc"])
    if g.number_of_nodes() == 0:
        return []
    bc = nx.betweenness_centrality(g, normalized=True)
    rows = []
    for node in g.nodes:
        a = g.nodes[node]
        rows.append([node, a["name"], a["region"], round(bc[node], 6), g.degree(node),
                     sum(d["weight"] for _, _, d in g.edges(node, data=True))])
    rows.sort(key=lambda r: (-r[3], -r[4], r[0]))
    return rows[: params["limit"]]


def agency_communities(engine, params: dict[str, Any]) -> list[list[Any]]:
    g = co_assignment_graph(engine, params["region"], params["doc"])
    g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])
    if g.number_of_edges() == 0:
        return []
    communities = nx.community.greedy_modularity_communities(g, weight="weight", resolution=params["resolution"])
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    rows = []
    for i, members in enumerate(ordered, start=1):
        sub = g.subgraph(members)
        internal = sum(d["weight"] for _, _, d in sub.edges(data=True))
        for node in members:
            rows.append([i, len(members), internal, node, g.nodes[node]["name"], g.nodes[node]["region"],
                         sum(d["weight"] for _, _, d in sub.edges(node, data=True))])
    return rows


def portfolio_overlap(engine, params: dict[str, Any]) -> list[list[Any]]:
    """Jaccard coefficient of the two agencies' neighbourhoods in the agency-task bipartite graph."""
    from policykg.queries.paths import statement

    a, b = params["agency_a"], params["agency_b"]
    role = params["role"]
    if role is not None and role not in ("LEADS", "SUPPORTS"):
        raise QueryError(f"parameter 'role' must be LEADS or SUPPORTS, got {role!r}")
    g = nx.Graph()
    g.add_nodes_from([a, b])
    tasks = {}
    for agency in (a, b):
        _, rows = engine.run(statement("agency_task_ids"), {"agency": agency, "role": role})
        tasks[agency] = set(rows[0][0]) if rows else set()
        g.add_edges_from((agency, t) for t in tasks[agency])
    shared = sorted(nx.common_neighbors(g, a, b)) if a != b else sorted(tasks[a])
    union = tasks[a] | tasks[b]
    if not union:
        jaccard = 0.0
    elif a == b:
        jaccard = 1.0
    else:
        jaccard = next(nx.jaccard_coefficient(g, [(a, b)]))[2]
    return [[a, b, len(tasks[a]), len(tasks[b]), len(shared), len(union), round(jaccard, 6), shared]]


_REGION = Param("region", "string", None, False, "only agencies of this region")
_DOC = Param("doc", "string", None, False, "only tasks of this document")


def actor_path(engine, params: dict[str, Any]) -> list[list[Any]]:
    from policykg.queries.paths import all_shortest_paths

    if params["max_hops"] < 1:
        raise QueryError("parameter 'max_hops' must be at least 1")
    return all_shortest_paths(engine, params["source"], params["target"], params["max_hops"], params["limit"])


ANALYTICS: tuple[NamedQuery, ...] = (
    NamedQuery(
        name="actor-path",
        question="How are two actors (agencies or organisations) connected: every shortest path through tasks, "
                 "sub-tasks, parts and the documents they issue or coordinate?",
        params=(Param("source", "string", None, True, "id of the first actor, e.g. agency:深圳市|科技创新委员会"),
                Param("target", "string", None, True, "id of the second actor"),
                Param("max_hops", "int", 8, False, "longest path to look for"),
                Param("limit", "int", 10, False, "at most this many paths")),
        columns=tuple(Column(c) for c in ("hops", "node_ids", "names", "steps")),
        kind="python", source="paths.py", func=actor_path),
    NamedQuery(
        name="agency-communities",
        question="Which groups of agencies work together (communities of the co-assignment network)?",
        params=(_REGION, _DOC, Param("resolution", "float", 1.0, False, "modularity resolution (> 1: smaller groups)")),
        columns=tuple(Column(c) for c in ("community", "size", "internal_shared", "agency_id", "agency",
                                          "region", "shared_in_community")),
        kind="python", source="analytics.py", func=agency_communities),
    NamedQuery(
        name="broker-agencies",
        question="Which agencies broker between others (betweenness in the co-assignment network)?",
        params=(_REGION, _DOC, Param("limit", "int", 20, False, "at most this many agencies")),
        columns=tuple(Column(c) for c in ("agency_id", "agency", "region", "betweenness", "partners",
                                          "shared_tasks")),
        kind="python", source="analytics.py", func=broker_agencies),
    NamedQuery(
        name="portfolio-overlap",
        question="How much do two agencies' task portfolios overlap (Jaccard)?",
        params=(Param("agency_a", "string", None, True, "first agency id"),
                Param("agency_b", "string", None, True, "second agency id"),
                Param("role", "string", None, False, "only LEADS or only SUPPORTS tasks")),
        columns=tuple(Column(c) for c in ("agency_a_id", "agency_b_id", "tasks_a", "tasks_b", "shared",
                                          "union", "jaccard", "shared_tasks")),
        kind="python", source="analytics.py", func=portfolio_overlap),
)

