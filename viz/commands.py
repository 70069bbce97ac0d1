"""`policykg view KIND …`: write one self-contained HTML view (or a Gephi/yEd file) of a built graph."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_GRAPH = "out/graph.json"
DEFAULT_DIR = Path("out/views")


def register(sub) -> None:
    p = sub.add_parser("view", help="write an interactive HTML view of a graph (opens offline in any browser)")
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--graph", default=DEFAULT_GRAPH, help=f"graph.json to read (default: {DEFAULT_GRAPH})")
    common.add_argument("-o", "--out", help="HTML file to write (default: out/views/KIND[-NAME].html)")

    k = kinds.add_parser("overview", parents=[common], help="the whole graph, coloured by label, sized by degree")
    k.add_argument("--max-nodes", type=int, default=None,
                   help="above this many nodes keep the best connected ones, with a note (default: 5000)")
    k.set_defaults(func=cmd_overview)

    k = kinds.add_parser("coordination", parents=[common],
                         help="agencies linked by the tasks they share (LEADS/SUPPORTS), weighted by count")
    k.add_argument("--region", help="only the agencies of this region and the regions under it (e.g. 深圳市)")
    k.set_defaults(func=cmd_coordination)

    k = kinds.add_parser("region", parents=[common], help="a region tree with its parks, agencies and their tasks")
    k.add_argument("region", help="region name, /-path or id (e.g. 长沙市, 广东省/深圳市)")
    k.set_defaults(func=cmd_region)

    k = kinds.add_parser("ego", parents=[common], help="one agency, park, technology or task and its neighbourhood")
    k.add_argument("name", help="name, alias or id (e.g. 市工信局, agency:中山市|工业和信息化局)")
    k.add_argument("--depth", type=int, default=1, help="relationships to follow out from it (default: 1)")
    k.add_argument("--region", help="pick among several nodes of the same name by region")
    k.set_defaults(func=cmd_ego)

    k = kinds.add_parser("defaults", help="write the default set of views (what `make run` writes)")
    k.add_argument("--graph", default=DEFAULT_GRAPH, help=f"graph.json to read (default: {DEFAULT_GRAPH})")
    k.add_argument("--out-dir", default=str(DEFAULT_DIR), help=f"folder to write into (default: {DEFAULT_DIR})")
    k.set_defaults(func=cmd_defaults)

    for fmt, helptext in (("gexf", "a GEXF file for Gephi, with the views' colours and sizes"),
                          ("graphml", "a GraphML file for yEd/Gephi (lists and maps as JSON strings)")):
        k = kinds.add_parser(fmt, help=helptext)
        k.add_argument("--graph", default=DEFAULT_GRAPH, help=f"graph.json to read (default: {DEFAULT_GRAPH})")
        k.add_argument("-o", "--out", required=True, help="file to write")
        k.set_defaults(func=cmd_gephi, format=fmt)
    k = kinds.add_parser("query", parents=[common],
                         help="run a named query (policykg query --list) and draw the nodes its rows name")
    k.add_argument("name", help="the query's name")
    k.add_argument("--param", "-p", action="append", default=[], metavar="K=V", help="a parameter (repeat for several)")
    k.add_argument("--engine", choices=["auto", "embedded", "neo4j"], default="auto",
                   help="auto (default): Neo4j when NEO4J_URI is set, else the embedded engine")
    k.add_argument("--workdir", default=None, help="the embedded engine's data folder (default: beside the graph)")
    k.set_defaults(func=cmd_query)


def _write(view, out: str | None, default_name: str) -> int:
    from policykg.viz.render import write_view

    path = write_view(view, out or DEFAULT_DIR / default_name)
    print(f"wrote {path} ({len(view.nodes)} nodes, {len(view.edges)} edges)")
    for note in view.notes:
        if note.startswith("Large graph") or note.startswith("Neighbourhood cut"):
            print(f"note: {note}")
    return 0


def cmd_overview(args) -> int:
    from policykg.viz import views
    from policykg.viz.graphdata import load_graph

    g = load_graph(args.graph)
    max_nodes = args.max_nodes if args.max_nodes is not None else views.OVERVIEW_MAX_NODES
    return _write(views.overview(g, max_nodes=max_nodes), args.out, "overview.html")


def cmd_coordination(args) -> int:
    from policykg.viz import file_slug, views
    from policykg.viz.graphdata import load_graph

    g = load_graph(args.graph)
    name = f"coordination-{file_slug(args.region)}.html" if args.region else "coordination.html"
    return _write(views.coordination(g, args.region), args.out, name)


def cmd_region(args) -> int:
    from policykg.viz import file_slug, views
    from policykg.viz.graphdata import load_graph

    g = load_graph(args.graph)
    return _write(views.region_view(g, args.region), args.out, f"region-{file_slug(args.region)}.html")


def cmd_ego(args) -> int:
    from policykg.viz import file_slug, views
    from policykg.viz.graphdata import load_graph

    g = load_graph(args.graph)
    return _write(views.ego(g, args.name, depth=args.depth, region=args.region), args.out,
                  f"ego-{file_slug(args.name)}.html")


def cmd_query(args) -> int:
    """Rows of a named query -> every node id they (or the parameters) name -> the induced subgraph."""
    from policykg.errors import UsageError
    from policykg.queries.catalog import get_query
    from policykg.queries.commands import parse_params
    from policykg.queries.engines import open_engine
    from policykg.queries.runner import run_query
    from policykg.viz import file_slug, views
    from policykg.viz.graphdata import load_graph

    g = load_graph(args.graph)
    query = get_query(args.name)
    params = query.bind(parse_params(args.param))
    with open_engine(args.graph, args.engine, args.workdir, progress=lambda m: print(m, file=sys.stderr)) as engine:
        result = run_query(engine, query, params)
    ids = views.node_ids_in(g, result.rows, params)
    if not ids:
        raise UsageError(f"query {query.name!r} returned {len(result.rows)} row(s) naming no node of {args.graph}; "
                         "nothing to draw")
    shown = ", ".join(f"{k}={v}" for k, v in sorted(params.items()))
    title = f"Query 查询: {query.name}" + (f" ({shown})" if shown else "")
    return _write(views.subgraph(g, ids, title), args.out, f"query-{file_slug(query.name)}.html")


def cmd_defaults(args) -> int:
    from policykg.viz import write_default_views

    for path in write_default_views(args.graph, args.out_dir):
        print(f"wrote {path}")
    return 0


def cmd_gephi(args) -> int:
    from policykg.viz.gephi import write_gexf, write_graphml

    path = (write_gexf if args.format == "gexf" else write_graphml)(args.graph, args.out)
    print(f"wrote {path}")
    return 0
