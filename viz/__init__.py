"""Interactive HTML views of the graph (one self-contained file each, opens offline) and Gephi/yEd exports.

    from policykg.viz import write_default_views, render_subgraph
    write_default_views("out/graph.json", "out/views")
    render_subgraph(graph, ["agency:深圳市|科技创新委员会"], "My query", "out/q.html")
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Iterable, Mapping

from policykg.errors import UsageError
from policykg.viz.gephi import write_gexf, write_graphml
from policykg.viz.graphdata import GraphData, load_graph
from policykg.viz.render import render_html, write_view
from policykg.viz import views

__all__ = ["render_subgraph", "write_default_views", "write_view", "render_html", "load_graph", "views",
           "write_gexf", "write_graphml", "GraphData"]


def render_subgraph(graph: "str | Path | Mapping | GraphData", node_ids: Iterable[str], title: str,
                    out: str | Path, edges: Iterable[tuple] | None = None) -> Path:
    """Draw the subgraph induced by `node_ids` (plus the endpoints of `edges`, and then only those
    edges: (source, target) or (source, target, type)) into one HTML file. For query results."""
    g = load_graph(graph)
    return write_view(views.subgraph(g, node_ids, title, edges), out)


def file_slug(text: str) -> str:
    """A file-name-safe form of a region or node name (Chinese kept, separators and punctuation dropped)."""
    slug = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", text).strip("_")
    return slug[:60] or "view"


def default_view_specs(g: GraphData) -> list[tuple[str, "views.View"]]:
    """The views `make run` writes: the overview; for each issuing region of the documents, its
    coordination network and its region tree; the ego network of the agency with most tasks."""
    specs = [("overview.html", views.overview(g))]
    regions = sorted({d.get("region") for d in g.documents.values() if isinstance(d.get("region"), str) and d.get("region")})
    for region in regions:
        try:
            coord = views.coordination(g, region)
            tree = views.region_view(g, region)
        except UsageError:
            continue  # a document's region the graph has no node and no agency for
        if coord.nodes:
            specs.append((f"coordination-{file_slug(region)}.html", coord))
        specs.append((f"region-{file_slug(region)}.html", tree))
    tasks = Counter(e["source"] for e in g.edges if e["type"] in ("LEADS", "SUPPORTS"))
    if tasks:
        busiest = sorted(tasks.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        specs.append((f"ego-{file_slug(views.caption(g.nodes[busiest]))}.html", views.ego(g, busiest)))
    return specs


def write_default_views(graph_json_path_or_graph: "str | Path | Mapping | GraphData", out_dir: str | Path) -> list[Path]:
    """Write the default set of views for a graph into `out_dir`; returns the files written."""
    g = load_graph(graph_json_path_or_graph)
    out_dir = Path(out_dir)
    return [write_view(view, out_dir / name) for name, view in default_view_specs(g)]
