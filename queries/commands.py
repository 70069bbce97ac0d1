"""`policykg query` and `policykg report`.

Engine: the embedded FalkorDB over `--graph` (default out/graph.json; its data lives in
`<graph dir>/.falkordb/`, reloaded only when graph.json changed), or Neo4j when NEO4J_URI is set
(or `--engine neo4j`), which must already hold the graph (`policykg load`).
"""
from __future__ import annotations

import sys

from policykg.errors import UsageError
from policykg.queries.formats import FORMATS

DEFAULT_GRAPH = "out/graph.json"


def _engine_args(p) -> None:
    p.add_argument("--graph", default=DEFAULT_GRAPH,
                   help=f"graph.json for the embedded engine (default: {DEFAULT_GRAPH})")
    p.add_argument("--engine", choices=["auto", "embedded", "neo4j"], default="auto",
                   help="auto (default): Neo4j when NEO4J_URI is set, else the embedded engine")
    p.add_argument("--workdir", default=None,
                   help="the embedded engine's data folder (default: .falkordb/ beside the graph)")


def register(sub) -> None:
    p = sub.add_parser("query", help="run a named query (policykg query --list shows them)",
                       description="Run a named query: policykg query NAME [--param k=v ...] [--format F]")
    p.add_argument("name", nargs="?", help="the query's name")
    p.add_argument("--list", action="store_true", help="list the named queries with their parameters")
    p.add_argument("--param", "-p", action="append", default=[], metavar="K=V",
                   help="a parameter (repeat for several)")
    p.add_argument("--format", "-f", choices=FORMATS, default="table", help="output format (default: table)")
    _engine_args(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("report", help="write a Markdown and an HTML report (per plan: workload, overlaps, "
                                      "orphan tasks, concentration, targets)")
    p.add_argument("--region", help="only the plans of this region (e.g. 深圳市)")
    p.add_argument("--out", default=None, help="folder to write into (default: the graph's folder)")
    p.add_argument("--views-dir", default=None, help="folder of the interactive views to link (default: OUT/views)")
    p.add_argument("--top", type=int, default=10, help="rows in the top-N tables (default: 10)")
    _engine_args(p)
    p.set_defaults(func=cmd_report)


def parse_params(items: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--param {item!r}: expected KEY=VALUE")
        if key in params:
            raise UsageError(f"--param {key} given twice")
        params[key] = value
    return params


def list_text() -> str:
    from policykg.queries.catalog import load_catalog

    lines = []
    for q in load_catalog().values():
        kind = "" if q.kind == "cypher" else "  [computed in Python: queries/" + q.source + "]"
        lines.append(f"{q.name}{kind}")
        lines.append(f"    {q.question}")
        for p in q.params:
            desc = f" — {p.description}" if p.description else ""
            lines.append(f"    --param {p.name}=…  {p.usage()}{desc}")
        lines.append(f"    columns: {', '.join(q.column_names)}")
    return "\n".join(lines) + "\n"


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr)


def cmd_query(args) -> int:
    from policykg.queries.catalog import get_query
    from policykg.queries.engines import open_engine
    from policykg.queries.formats import render
    from policykg.queries.runner import run_query

    if args.list:
        sys.stdout.write(list_text())
        return 0
    if not args.name:
        raise UsageError("give a query name, or --list to see them")
    query = get_query(args.name)
    params = query.bind(parse_params(args.param))  # check before starting an engine
    with open_engine(args.graph, args.engine, args.workdir, progress=_progress) as engine:
        result = run_query(engine, query, params)
    sys.stdout.write(render(result, args.format))
    return 0


def cmd_report(args) -> int:
    from pathlib import Path

    from policykg.queries.engines import open_engine
    from policykg.queries.report import write_report

    out = Path(args.out) if args.out else Path(args.graph).parent
    with open_engine(args.graph, args.engine, args.workdir, progress=_progress) as engine:
        md, page = write_report(engine, out, args.region, args.views_dir, args.top)
    print(f"wrote {md} and {page}")
    return 0
