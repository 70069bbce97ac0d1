"""`policykg build` and `policykg export`."""
from __future__ import annotations

import sys
from pathlib import Path

from policykg.errors import UsageError
from policykg.graph_build import export
from policykg.graph_build.ingest import MAX_BYTES

DEFAULT_TIMEOUT = 300.0


def _size(text: str) -> int:
    """'50M' -> 52428800; a plain number is bytes."""
    import argparse

    units = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
    t = text.strip().upper().removesuffix("B")
    try:
        n = float(t[:-1]) * units[t[-1]] if t[-1:] in units else float(t)
    except (ValueError, IndexError):
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 50M)") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("the size must be positive")
    return int(n)


def register(sub) -> None:
    p = sub.add_parser("build", help="read documents (files or folders) and write DIR/graph.json and graph.graphml")
    p.add_argument("paths", nargs="+", help="documents or folders (read recursively)")
    p.add_argument("--out", default="out", help="output folder (default: out)")
    p.add_argument("--workers", type=int, default=1, help="extraction processes (0 = one per core)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--max-bytes", type=_size, default=MAX_BYTES, metavar="N",
                   help="refuse documents larger than N bytes as 'too large' (suffixes K, M, G; default 50M)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time budget per document, after which it fails as 'timed out' (default {DEFAULT_TIMEOUT:g}; 0 = none)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("export", help="convert a built graph.json to another format")
    p.add_argument("--graph", default="out/graph.json", help="graph.json to read (default: out/graph.json)")
    p.add_argument("--format", required=True, choices=["json", "graphml", "csv", "neo4j-import", "gexf"])
    p.add_argument("--out", required=True, help="output file (json, graphml, gexf) or folder (csv, neo4j-import)")
    p.set_defaults(func=cmd_export)


def build_to(paths: list[str], out_dir: str | Path, workers: int = 1, progress: bool = False,
             timeout: float | None = None, max_bytes: int | None = MAX_BYTES):
    """Build the graph of `paths` and write the documents' texts, graph.graphml and graph.json.
    Every file is written whole and renamed into place; graph.json comes last, so a run stopped
    part-way leaves the previous graph.json (or none), never a half-written one."""
    from policykg.graph_build.pipeline import build_corpus

    result = build_corpus(paths, workers=workers, progress=progress, timeout=timeout, max_bytes=max_bytes)
    out_dir = Path(out_dir)
    for did, text in sorted(result.texts.items()):
        export.atomic_write(out_dir / "texts" / f"{did}.txt", text)
    # streamed from the merged store: the contract is never one object in memory
    export.write_store_exports(result.store, out_dir / "graph.graphml", out_dir / "graph.json")
    return result


def cmd_build(args) -> int:
    result = build_to(args.paths, args.out, args.workers, progress=not args.no_progress and sys.stderr.isatty(),
                         timeout=args.timeout or None, max_bytes=args.max_bytes)
    for f in result.failures:
        print(f"policykg: error: {f}", file=sys.stderr)
    print(result.summary())
    print(f"wrote {Path(args.out) / 'graph.json'} and {Path(args.out) / 'graph.graphml'}")
    return 1 if result.failures else 0


def cmd_export(args) -> int:
    contract = export.read_json(args.graph)
    fmt = args.format
    if fmt == "json":
        export.write_json(contract, args.out)
    elif fmt == "graphml":
        export.write_graphml(contract, args.out)
    elif fmt == "csv":
        export.write_csv(contract, args.out)
    elif fmt == "gexf":
        import io

        import networkx as nx
        buf = io.BytesIO()
        nx.write_gexf(export.flat_graph(contract), buf)
        export.atomic_write(args.out, buf.getvalue())
    elif fmt == "neo4j-import":
        try:
            from policykg.graph_build.neo4j_import import write_neo4j_import
        except ImportError:
            raise UsageError("the neo4j-import format is not available in this build") from None
        write_neo4j_import(contract, args.out)
    print(f"wrote {args.out}")
    return 0
