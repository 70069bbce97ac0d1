"""A `View` to one self-contained HTML page: pyvis builds the vis-network nodes, edges and options;
our own template inlines vis-network (from pyvis's bundled copy), the page script and the data, so
the file opens from disk with no request leaving the page.

Safety: every text the graph supplies reaches the page only (a) through Jinja's autoescaping, or
(b) inside the JSON data block with `<`, `>` and `&` written as \\u escapes, and the page script
puts it on screen with `textContent`; vis-network draws labels on a canvas and gets no `title`
(which it would render as HTML)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2
from pyvis.network import Network

from policykg.viz.layout import radial_layout
from policykg.viz.style import CJK_FONT_STACK, EDGE_ORDER, LABEL_ORDER, edge_look, node_look
from policykg.viz.views import View

VIS_VERSION = "9.1.2"
LAYOUT_SEED = 20190601
BIG_NODES = 1000
BIG_EDGES = 3000
PREPLACE_NODES = 400  # above this, starting positions come from Python (layout.py)


class _IdList(list):
    """pyvis keeps node ids in a list and tests membership on every add_node/add_edge, which is
    quadratic; this list answers `in` from a set so that 5,000-node views build in well under a second."""

    def __init__(self):
        super().__init__()
        self._ids: set = set()

    def append(self, item) -> None:
        self._ids.add(item)
        super().append(item)

    def __contains__(self, item) -> bool:
        return item in self._ids


def _network(directed: bool = True) -> Network:
    net = Network(height="100%", width="100%", directed=directed, cdn_resources="in_line")
    net.node_ids = _IdList()
    return net


def embed_json(data) -> str:
    """JSON that is safe inside an HTML <script> element: no `</script`, `<!--` or `]]>` can occur."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def is_big(n_nodes: int, n_edges: int) -> bool:
    """Big views get starting positions from Python, straight undashed edges and no edges while
    dragging or zooming: drawing 10,000 edges on a canvas takes a good part of a second."""
    return n_nodes > BIG_NODES or n_edges > BIG_EDGES


def vis_options(n_nodes: int, n_edges: int, weighted_edges: bool) -> dict:
    """vis-network options: a seeded layout, physics that stabilises in a bounded number of
    iterations (the page then switches it off), and cheaper drawing for big graphs."""
    big = is_big(n_nodes, n_edges)
    iterations = 400 if n_nodes <= PREPLACE_NODES else 80 if n_nodes <= 2000 else 30
    options = {
        "autoResize": True,
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": n_nodes <= 150},
        "nodes": {
            "font": {"face": CJK_FONT_STACK, "size": 14, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"min": 8, "max": 36, "label": {"enabled": False}},
            "borderWidth": 1,
            "borderWidthSelected": 3,
        },
        "edges": {
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "arrows": {"to": {"scaleFactor": 0.5}},
            "selectionWidth": 2,
            "hoverWidth": 1.5,
            "font": {"face": CJK_FONT_STACK, "size": 11, "align": "middle"},
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -120 if n_nodes <= 100 else -60, "centralGravity": 0.012,
                                 "springLength": 150 if n_nodes <= 100 else 90, "springConstant": 0.06,
                                 "damping": 0.5, "avoidOverlap": 0.0,
                                 # a coarser Barnes-Hut tree: each iteration of a 5,000-node view about halves
                                 "theta": 1.0 if n_nodes > 2000 else 0.5},
            "maxVelocity": 60,
            "minVelocity": 1.0,
            "timestep": 0.5,
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": False,
            "multiselect": False,
            "navigationButtons": False,
        },
    }
    if weighted_edges:
        options["edges"]["scaling"] = {"min": 1, "max": 10, "label": {"enabled": False}}
    return options


def _rank(order: tuple, key: str) -> int:
    return order.index(key) if key in order else len(order)


def page_data(view: View) -> dict:
    """Everything the page script needs, as plain JSON."""
    net = _network()
    big = is_big(len(view.nodes), len(view.edges))
    preplace = len(view.nodes) > PREPLACE_NODES
    places = radial_layout([n.id for n in view.nodes], [(e.source, e.target) for e in view.edges]) if preplace else {}
    groups: dict[str, int] = {}
    for n in view.nodes:
        look = node_look(n.group)
        groups[n.group] = groups.get(n.group, 0) + 1
        where = {"x": places[n.id][0], "y": places[n.id][1]} if preplace else {}
        net.add_node(
            n.id, label=n.caption or n.id, shape=look.shape, value=n.size,
            color={"background": look.color, "border": look.color,
                   "highlight": {"background": look.color, "border": "#1A1A1A"},
                   "hover": {"background": look.color, "border": "#1A1A1A"}},
            kind=n.label, cat=n.group, name=n.name, aliases=list(n.aliases), regions=list(n.regions), docs=list(n.docs),
            **where,
        )
    etypes: dict[str, int] = {}
    weighted = any(e.weight != 1 for e in view.edges)
    for e in view.edges:
        look = edge_look(e.group)
        etypes[e.group] = etypes.get(e.group, 0) + 1
        extra = {"value": e.weight} if weighted else {"width": look.width}
        if weighted and e.weight > 1:
            extra["label"] = str(e.weight)
        net.add_edge(
            e.source, e.target, id=e.id, arrows="to" if e.directed else "", dashes=look.dashes and not big,
            color={"color": look.color, "highlight": "#1A1A1A", "hover": "#1A1A1A", "inherit": False},
            kind=e.type, cat=e.group, docs=list(e.docs), **extra,
        )
    nodes, edges, _heading, _h, _w, _options = net.get_network_data()
    legend_nodes = [
        {"key": g, "text": node_look(g).text, "color": node_look(g).color, "shape": node_look(g).shape, "count": c}
        for g, c in sorted(groups.items(), key=lambda kv: (_rank(LABEL_ORDER, kv[0]), kv[0]))
    ]
    legend_edges = [
        {"key": t, "text": edge_look(t).text, "color": edge_look(t).color, "dashes": edge_look(t).dashes and not big, "count": c}
        for t, c in sorted(etypes.items(), key=lambda kv: (_rank(EDGE_ORDER, kv[0]), kv[0]))
    ]
    used_docs = sorted({d for n in view.nodes for d in n.docs} | {d for e in view.edges for d in e.docs})
    return {
        "meta": {"kind": view.kind, "title": view.title, "notes": list(view.notes), "focus": view.focus,
                 "sizeMeaning": view.size_meaning, "nodeCount": len(nodes), "edgeCount": len(edges)},
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(len(nodes), len(edges), weighted),
        "legend": {"nodes": legend_nodes, "edges": legend_edges},
        "documents": {d: {"title": str(view.documents[d].get("title") or ""), "region": view.documents[d].get("region") or "",
                          "file": str(view.documents[d].get("file") or "")} for d in used_docs},
        "nodeInfo": {n.id: {"props": n.props, "evidence": list(n.evidence)} for n in view.nodes},
        "edgeInfo": {e.id: {"props": e.props, "evidence": list(e.evidence)} for e in view.edges},
    }


@lru_cache(maxsize=None)
def _asset(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def _inline_script(text: str) -> str:
    if "</script" in text.lower() or "<!--" in text:
        raise ValueError("a script to inline contains </script or <!--")
    return text


def _inline_style(text: str) -> str:
    if "</style" in text.lower():
        raise ValueError("a style sheet to inline contains </style")
    return text


@lru_cache(maxsize=None)
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(_asset("policykg.viz", "templates/view.html.j2"))


def render_html(view: View) -> str:
    data = page_data(view)
    return _template().render(
        title=view.title,
        notes=view.notes,
        font_stack=CJK_FONT_STACK,
        vis_css=_inline_style(_asset("pyvis", f"lib/vis-{VIS_VERSION}/vis-network.css")),
        vis_js=_inline_script(_asset("pyvis", f"lib/vis-{VIS_VERSION}/vis-network.min.js")),
        page_css=_inline_style(_asset("policykg.viz", "assets/view.css")),
        page_js=_inline_script(_asset("policykg.viz", "assets/view.js")),
        data_json=embed_json(data),
    )


def write_view(view: View, out: str | Path) -> Path:
    from policykg.graph_build.export import atomic_write

    return atomic_write(out, render_html(view))
