"""Load throughput into Neo4j for a synthetic graph of >= 1,000,000 relationships: the online
loader (graph_build/neo4j_load.py, batched UNWIND … MERGE in managed transactions) and the bulk
path (graph_build/neo4j_import.py CSVs + `neo4j-admin database import full`), side by side.

    .venv/bin/python tests/bench/bench_load.py [--rels 1000000] [--batch-size 5000]
                                              [--heap 2g] [--pagecache 1g] [--out out/bench_load.json]

Each path gets its own fresh server folder under .cache/neo4j/bench-* (removed afterwards), started
on a free loopback port. The online figure is end to end (schema check, preparation, writes,
completion marks); the bulk figures are the CSV writing and the import tool, and the imported
database is started and its counts compared with the online load's. Prints the figures and writes
them to --out.
"""
from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import sys
import time
from pathlib import Path

from collect import write_figures  # tests/bench/ is on sys.path when a bench runs as a script

ROOT = Path(__file__).resolve().parents[2]
RELS_PER_DOC = 1141  # synthetic_graph's defaults: 240 tasks, each contained, led and supported twice, …


def counts(driver, database: str) -> tuple[dict, dict]:
    labels = {r["label"]: r["count"] for r in driver.execute_query(
        "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count ORDER BY label", database_=database).records}
    types = {r["type"]: r["count"] for r in driver.execute_query(
        "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count ORDER BY type", database_=database).records}
    return labels, types


def server_ceiling(driver, database: str, n: int, batch: int, seed: int = 7) -> dict:
    """What the server alone does: CREATE `n` relationships with no properties between random pairs of
    existing Task nodes (by element id, as the loader's create path), `batch` per managed
    transaction, rows built before the clock starts. The loader cannot beat this rate; it also
    writes evidence and properties, and the nodes. (A benchmark-only type, on the
    benchmark's own server, measured after the loader's counts were taken.)"""
    import random

    eids = [r["e"] for r in driver.execute_query("MATCH (t:Task) RETURN elementId(t) AS e", database_=database).records]
    rng = random.Random(seed)
    rows = [[eids[rng.randrange(len(eids))], eids[rng.randrange(len(eids))]] for _ in range(n)]
    stmt = ("UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row[0] MATCH (b) WHERE elementId(b) = row[1] "
            "CREATE (a)-[r:BENCH_CEILING]->(b) RETURN count(r) AS n")

    def write(tx, chunk):
        return tx.run(stmt, {"rows": chunk}).single()["n"]

    written = 0
    t0 = time.perf_counter()
    with driver.session(database=database) as session:
        for i in range(0, n, batch):
            written += session.execute_write(write, rows[i:i + batch])
    seconds = time.perf_counter() - t0
    return {"relationships": written, "seconds": round(seconds, 1), "relationships_per_second": round(written / seconds, 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rels", type=int, default=1_000_000, help="at least this many relationships")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--pagecache", default="1g")
    ap.add_argument("--skip-bulk", action="store_true")
    ap.add_argument("--skip-ceiling", action="store_true", help="skip the server's bare relationship-creation rate")
    ap.add_argument("--out", default=str(ROOT / "out" / "bench_load.json"))
    args = ap.parse_args(argv)

    from neo4j import GraphDatabase

    from policykg.graph_build import neo4j_server
    from policykg.graph_build.neo4j_import import bulk_import, write_neo4j_import
    from policykg.graph_build.neo4j_load import DEFAULT_BATCH_SIZE, gc_paused, load_graph
    from policykg.graph_build.neo4j_synthetic import synthetic_graph

    batch = args.batch_size or DEFAULT_BATCH_SIZE
    bench_root = neo4j_server.cache_dir() / "neo4j"
    result: dict = {"benchmark": "neo4j-load", "neo4j": neo4j_server.NEO4J_VERSION, "heap": args.heap,
                    "pagecache": args.pagecache, "batch_size": batch, "cores": os.cpu_count(),
                    "python": platform.python_version(), "loadavg_start": os.getloadavg()[0]}
    with gc_paused():
        t0 = time.perf_counter()
        n_docs = math.ceil(args.rels / RELS_PER_DOC)
        g = synthetic_graph(n_docs=n_docs)
        while len(g["edges"]) < args.rels:
            n_docs += max(1, (args.rels - len(g["edges"])) // RELS_PER_DOC + 1)
            g = synthetic_graph(n_docs=n_docs)
        result["graph"] = {"documents": len(g["documents"]), "nodes": len(g["nodes"]),
                           "relationships": len(g["edges"]), "generate_seconds": round(time.perf_counter() - t0, 1)}
    print(f"synthetic graph: {len(g['documents']):,} documents, {len(g['nodes']):,} nodes, "
          f"{len(g['edges']):,} relationships", flush=True)

    online_home = bench_root / "bench-online"
    shutil.rmtree(online_home, ignore_errors=True)
    state = neo4j_server.start(online_home, port=0, heap=args.heap, pagecache=args.pagecache)
    try:
        with GraphDatabase.driver(state.uri, auth=(state.username, state.password),
                                  notifications_min_severity="OFF") as driver:
            summary = load_graph(driver, "neo4j", g, batch_size=batch, progress=sys.stderr.isatty())
            online_counts = counts(driver, "neo4j")
            if not args.skip_ceiling:
                ceiling = server_ceiling(driver, "neo4j", len(g["edges"]), batch)
    finally:
        neo4j_server.stop(online_home)
        shutil.rmtree(online_home, ignore_errors=True)
    phases = summary.phases
    result["online"] = {**summary.as_dict(), "relationships": summary.relationships_written,
                        "nodes": summary.nodes_written,
                        # the write phases alone (the server creating nodes, then relationships)
                        "nodes_per_second_writing": round(summary.nodes_written / phases["nodes"], 1),
                        "relationships_per_second_writing": round(summary.relationships_written / phases["relationships"], 1)}
    print(f"online loader: {summary.relationships_written:,} relationships and {summary.nodes_written:,} nodes in "
          f"{summary.seconds:.1f}s = {summary.relationships_per_second:,.0f} relationships/s (end to end, batch {batch})",
          flush=True)
    print(f"  of which: nodes written at {result['online']['nodes_per_second_writing']:,.0f}/s, relationships at "
          f"{result['online']['relationships_per_second_writing']:,.0f}/s; phases (s): "
          + ", ".join(f"{k} {v:.1f}" for k, v in phases.items()), flush=True)
    if not args.skip_ceiling:
        result["server_ceiling"] = ceiling
        print(f"server ceiling: bare CREATE of {ceiling['relationships']:,} relationships without properties between "
              f"existing nodes, {batch} per transaction: {ceiling['relationships_per_second']:,.0f}/s", flush=True)

    if not args.skip_bulk:
        csv_dir = bench_root / "bench-import-csv"
        bulk_home = bench_root / "bench-bulk"
        shutil.rmtree(csv_dir, ignore_errors=True)
        shutil.rmtree(bulk_home, ignore_errors=True)
        try:
            with gc_paused():
                t0 = time.perf_counter()
                write_neo4j_import(g, csv_dir)
                csv_seconds = time.perf_counter() - t0
            t0 = time.perf_counter()
            bulk_import(bulk_home, csv_dir, heap=args.heap)
            import_seconds = time.perf_counter() - t0
            state = neo4j_server.start(bulk_home, port=0, heap=args.heap, pagecache=args.pagecache)
            try:
                with GraphDatabase.driver(state.uri, auth=(state.username, state.password),
                                          notifications_min_severity="OFF") as driver:
                    bulk_counts = counts(driver, "neo4j")
            finally:
                neo4j_server.stop(bulk_home)
        finally:
            shutil.rmtree(csv_dir, ignore_errors=True)
            shutil.rmtree(bulk_home, ignore_errors=True)
        rels = len(g["edges"])
        result["bulk"] = {"csv_seconds": round(csv_seconds, 1), "import_seconds": round(import_seconds, 1),
                          "relationships_per_second_import": round(rels / import_seconds, 1),
                          "relationships_per_second_end_to_end": round(rels / (csv_seconds + import_seconds), 1),
                          "counts_equal_online": bulk_counts == online_counts}
        result["counts"] = {"labels": online_counts[0], "types": online_counts[1]}
        print(f"bulk import:   CSV {csv_seconds:.1f}s + neo4j-admin import {import_seconds:.1f}s = "
              f"{rels / (csv_seconds + import_seconds):,.0f} relationships/s end to end "
              f"({rels / import_seconds:,.0f}/s for the import tool alone); "
              f"counts {'equal' if bulk_counts == online_counts else 'DIFFER from'} the online load", flush=True)
        if bulk_counts != online_counts:
            print(f"online {online_counts}\nbulk   {bulk_counts}", file=sys.stderr)
    result["loadavg_end"] = os.getloadavg()[0]
    write_figures(args.out, result)
    return 0 if result.get("bulk", {}).get("counts_equal_online", True) else 1


if __name__ == "__main__":
    sys.exit(main())
