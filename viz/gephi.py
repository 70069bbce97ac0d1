"""GEXF (Gephi) and GraphML (yEd, Gephi, Cytoscape) files carrying the same attributes as the HTML
views: label, name, legend group, regions, documents, aliases, degree, colour and size, and every
property and evidence list (as JSON strings: GraphML and GEXF hold scalars only)."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Mapping

import networkx as nx

from policykg.viz.graphdata import GraphData, load_graph
from policykg.viz.style import edge_look, node_look, rgb
from policykg.viz.views import caption


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _size(degree: int) -> float:
    return round(8.0 + 4.0 * (degree ** 0.5), 2)


def gephi_graph(graph: "str | Path | Mapping | GraphData", viz: bool = False) -> nx.MultiDiGraph:
    """A networkx graph with scalar attributes only; with `viz`, GEXF viz colour and size."""
    g = load_graph(graph)
    out = nx.MultiDiGraph()
    for nid, n in g.nodes.items():
        props = n.get("props") or {}
        look = node_look(n["label"])
        deg = g.degree(nid)
        attrs = {
            "label": caption(n),  # what Gephi and yEd show on the node
            "type": n["label"],
            "name": str(n["name"]),
            "region": "、".join(g.node_regions(nid)),
            "docs": _json(list(g.node_docs(nid))),
            "aliases": _json(list(props.get("aliases") or [])),
            "degree": deg,
            "color": look.color,
            "size": _size(deg),
            "props": _json(props),
            "evidence": _json(n.get("evidence") or []),
        }
        if viz:
            r, gr, b = rgb(look.color)
            attrs["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0}, "size": attrs["size"]}
        out.add_node(nid, **attrs)
    for i, e in enumerate(g.edges):
        look = edge_look(e["type"])
        attrs = {
            "id": f"e{i}",
            "relationship": e["type"],  # GEXF reserves an edge's `type` for directed/undirected
            "label": e["type"],
            "color": look.color,
            "props": _json(e.get("props") or {}),
            "evidence": _json(e.get("evidence") or []),
        }
        if viz:
            r, gr, b = rgb(look.color)
            attrs["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0}, "thickness": look.width}
        out.add_edge(e["source"], e["target"], key=f"e{i}", **attrs)
    return out


def _write(data: bytes, path: str | Path) -> Path:
    from policykg.graph_build.export import atomic_write

    return atomic_write(path, data)


def write_gexf(graph: "str | Path | Mapping | GraphData", path: str | Path) -> Path:
    """GEXF 1.2 with viz colours and sizes. networkx stamps today's date into <meta>; it is dropped so
    that the same graph always gives the same bytes."""
    buf = io.BytesIO()
    nx.write_gexf(gephi_graph(graph, viz=True), buf, version="1.2draft")
    data = re.sub(rb' lastmodifieddate="[^"]*"', b"", buf.getvalue(), count=1)
    return _write(data, path)


def write_graphml(graph: "str | Path | Mapping | GraphData", path: str | Path) -> Path:
    buf = io.BytesIO()
    g = gephi_graph(graph, viz=False)
    for _, _, attrs in g.edges(data=True):
        attrs.pop("id", None)  # GraphML edge ids come from the multigraph keys
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return _write(buf.getvalue(), path)
