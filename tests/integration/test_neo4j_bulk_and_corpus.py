"""The sample corpus built by `policykg build` and loaded by `policykg load`; the bulk path
(`neo4j-admin database import full` on a separate data folder, then a server started on it with
`policykg neo4j start`) against the online loader."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from neo4j_graphs import A, B, BACKGROUND, doc_a, doc_b, graph
from policykg.graph_build.neo4j_import import bulk_import, write_neo4j_import
from policykg.graph_build.neo4j_load import load_graph, normalized, read_graph
from policykg.graph_build.neo4j_synthetic import synthetic_graph

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
DB = "neo4j"
POLICYKG = [sys.executable, "-m", "policykg.cli"]


def run_cli(args, env=None, **kw):
    return subprocess.run(POLICYKG + list(args), env=env, capture_output=True, text=True, timeout=900, **kw)


def counts(driver):
    labels = {r["label"]: r["count"] for r in driver.execute_query(
        "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count", database_=DB).records}
    types = {r["type"]: r["count"] for r in driver.execute_query(
        "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count", database_=DB).records}
    return labels, types


def test_sample_corpus_is_built_and_loaded_exactly(db, neo4j_env, tmp_path):
    out = tmp_path / "out"
    built = run_cli(["build", str(ROOT / "data" / "corpus"), "--out", str(out), "--no-progress"], neo4j_env)
    assert built.returncode == 0, built.stderr
    contract = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert len(contract["documents"]) == 5
    proc = run_cli(["load", str(out / "graph.json")], neo4j_env)
    assert proc.returncode == 0, proc.stderr
    labels, types = counts(db)
    assert labels == dict(Counter(n["label"] for n in contract["nodes"]))
    assert types == dict(Counter(e["type"] for e in contract["edges"]))
    assert read_graph(db, DB) == normalized(contract)
    again = run_cli(["load", str(out / "graph.json")], neo4j_env)
    assert "loaded 0 document(s), 5 unchanged skipped" in again.stdout


def _combined() -> dict:
    fixture = graph(BACKGROUND, doc_a(), doc_b())
    syn = synthetic_graph(n_docs=8, sections=3, items_per_section=4, sub_items=2, regions=2)
    return {"schema_version": 1, **{k: fixture[k] + syn[k] for k in ("documents", "nodes", "edges")}}


def test_bulk_import_gives_the_same_database_as_the_online_loader(db, tmp_path):
    from neo4j import GraphDatabase

    g = _combined()
    load_graph(db, DB, g)
    online = read_graph(db, DB)
    online_counts = counts(db)
    assert online == normalized(g)

    csv_dir = tmp_path / "import"
    files = write_neo4j_import(g, csv_dir)
    assert (csv_dir / "import.args").exists() and (csv_dir / "nodes_Agency.csv") in files
    home = tmp_path / "imported"
    report = bulk_import(home, csv_dir)
    assert f"{len(g['nodes'])} nodes" in report and f"{len(g['edges'])} relationships" in report

    started = run_cli(["neo4j", "start", "--home", str(home), "--port", "0"])
    try:
        assert started.returncode == 0, started.stderr
        uri = re.search(r"running: (bolt://127\.0\.0\.1:\d+)", started.stdout).group(1)
        password = (home / "password").read_text(encoding="utf-8").strip()
        assert password not in started.stdout + started.stderr
        status = run_cli(["neo4j", "status", "--home", str(home)])
        assert status.returncode == 0 and uri in status.stdout
        with GraphDatabase.driver(uri, auth=("neo4j", password), notifications_min_severity="OFF") as imported:
            assert counts(imported) == online_counts
            assert read_graph(imported, DB) == online
            # the imported database is a complete load: the online loader finds nothing to do
            again = load_graph(imported, DB, g)
            assert again.documents_skipped == sorted(d["id"] for d in g["documents"])
            assert A in again.documents_skipped and B in again.documents_skipped
            assert read_graph(imported, DB) == online
    finally:
        stopped = run_cli(["neo4j", "stop", "--home", str(home)])
    assert stopped.returncode == 0 and "Neo4j stopped" in stopped.stdout
    after = run_cli(["neo4j", "status", "--home", str(home)])
    assert after.returncode == 3 and "not running" in after.stdout
