"""The loader against a real Neo4j: exact read-back, repeatable and incremental loads, delete,
interrupted loads, and the CLI's errors."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from db_faults_support import POLICYKG, interrupt_cli_run
from neo4j_graphs import (A, AGENCY, AGENCY_A_ONLY, AGENCY_NEW, B, BACKGROUND, CITY, ODD_ID, ODD_NAME, POLICY, TECH,
                          doc_a, doc_b, doc_b_v2, graph)
from policykg.graph_build import neo4j_load
from policykg.graph_build.neo4j_load import load_graph, normalized, read_graph
from policykg.graph_build.neo4j_synthetic import synthetic_graph

pytestmark = pytest.mark.integration
DB = "neo4j"


def counts(driver) -> tuple[dict, dict]:
    labels = {r["label"]: r["count"] for r in driver.execute_query(
        "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count", database_=DB).records}
    types = {r["type"]: r["count"] for r in driver.execute_query(
        "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count", database_=DB).records}
    return labels, types


def raw_dump(driver) -> tuple[list, list]:
    """Every stored property of every node and relationship (bookkeeping included)."""
    nodes = driver.execute_query("MATCH (n) RETURN labels(n) AS l, properties(n) AS p ORDER BY n.id", database_=DB).records
    rels = driver.execute_query("MATCH (a)-[r]->(b) RETURN a.id AS s, type(r) AS t, b.id AS o, properties(r) AS p "
                                "ORDER BY s, t, o", database_=DB).records
    return [(r["l"], r["p"]) for r in nodes], [(r["s"], r["t"], r["o"], r["p"]) for r in rels]


def doc_state(driver) -> dict:
    return {r["d"]: (r["c"], r["h"]) for r in driver.execute_query(
        "MATCH (n:Document) RETURN n.document_id AS d, n.load_complete AS c, n.load_hash AS h", database_=DB).records}


def run_cli(args, env, **kw):
    return subprocess.run(POLICYKG + list(args), env=env, capture_output=True, text=True, timeout=600, **kw)


def test_load_reads_back_exactly_the_exported_graph(db):
    g = graph(BACKGROUND, doc_a(), doc_b())
    summary = load_graph(db, DB, g)
    assert summary.nodes_created == len(g["nodes"]) == 15
    assert summary.relationships_created == len(g["edges"]) == 20
    labels, types = counts(db)
    assert labels == dict(Counter(n["label"] for n in g["nodes"]))
    assert labels == {"Region": 2, "Document": 2, "Task": 3, "Agency": 2, "Target": 1, "Park": 1, "Funding": 1,
                      "Policy": 1, "Organization": 1, "Technology": 1}
    assert types == dict(Counter(e["type"] for e in g["edges"]))
    back = read_graph(db, DB)
    assert back == normalized(g)
    assert sorted(n["id"] for n in back["nodes"]) == sorted(n["id"] for n in g["nodes"])
    # sample properties, as Neo4j stores them
    rec = db.execute_query("MATCH (t:Target) RETURN t.value AS v, t.year AS y, t.op AS op", database_=DB).records[0]
    assert (rec["v"], rec["y"], rec["op"]) == ([3, 5], 2025, "range")
    rec = db.execute_query("MATCH (a:Agency {id: $id}) RETURN a.aliases AS al, a.docs AS docs, a.evidence AS ev",
                           {"id": AGENCY}, database_=DB).records[0]
    assert rec["al"] == ["市科技局"]
    assert rec["docs"] == sorted([A, B])
    assert sorted((e["doc"], e["start"], e["text"]) for e in json.loads(rec["ev"])) == [(A, 140, "市科技局"),
                                                                                        (B, 70, "市科技局")]
    # a null prop is no property (absent, not the string "null"), and reads back as null
    rec = db.execute_query("MATCH (f:Funding) RETURN f.share AS share, f.null_props AS np, keys(f) AS k",
                           database_=DB).records[0]
    assert rec["share"] is None and rec["np"] == ["share"] and "share" not in rec["k"]
    # a region without evidence (from the division data set) is background: no document owns it
    rec = db.execute_query("MATCH (r:Region {id: $id}) RETURN r.docs AS docs", {"id": CITY}, database_=DB).records[0]
    assert rec["docs"] == []
    funding = next(n for n in back["nodes"] if n["label"] == "Funding")
    assert funding["props"] == {"doc": A, "cap": 1000.5, "share": None,
                                "rule": {"max": 10000000, "unit": "元", "parts": [1, "a"]}}
    assert doc_state(db) == {A: (True, rec_hash(g, A)), B: (True, rec_hash(g, B))}


def rec_hash(g, doc):
    return neo4j_load.prepare(g).hashes[doc]


def test_name_with_quotes_braces_and_comment_marks_round_trips(db):
    g = graph(BACKGROUND, doc_a())
    load_graph(db, DB, g)
    rec = db.execute_query("MATCH (o:Organization {id: $id}) RETURN o.name AS name, o.quote AS q, o.tags AS tags",
                           {"id": ODD_ID}, database_=DB).records
    assert len(rec) == 1
    assert rec[0]["name"] == ODD_NAME == 'O\'Brien "实验室" {lab: 1} // 注释 \\ $rows `x` }) DETACH DELETE n //'
    assert rec[0]["q"] == ODD_NAME and rec[0]["tags"] == ["a;b", "c,d", "{e}"]
    rel = db.execute_query("MATCH (:Task)-[r:INVOLVES]->(:Organization) RETURN r.role AS role", database_=DB).records
    assert [r["role"] for r in rel] == [ODD_NAME]
    note = db.execute_query("MATCH (t:Task) WHERE t.note IS NOT NULL RETURN t.note AS n", database_=DB).records
    assert [r["n"] for r in note] == ['a "quoted" {brace} // not a comment\nsecond line']
    assert read_graph(db, DB) == normalized(g)


def test_loading_twice_changes_nothing(db):
    g = graph(BACKGROUND, doc_a(), doc_b())
    load_graph(db, DB, g)
    first = raw_dump(db)
    again = load_graph(db, DB, g)
    assert again.documents_loaded == [] and again.documents_skipped == sorted([A, B])
    assert again.nodes_created == again.relationships_created == 0
    assert raw_dump(db) == first
    forced = load_graph(db, DB, g, force=True)
    assert forced.documents_loaded == sorted([A, B])
    assert (forced.nodes_created, forced.relationships_created) == (0, 0)
    assert (forced.nodes_deleted, forced.relationships_deleted) == (0, 0)
    assert raw_dump(db) == first


def test_replacing_a_changed_document_changes_only_its_facts(db):
    load_graph(db, DB, graph(BACKGROUND, doc_a(), doc_b()))
    before_nodes, before_rels = raw_dump(db)
    v2 = graph(BACKGROUND, doc_a(), doc_b_v2())
    summary = load_graph(db, DB, v2, documents=[B])
    assert summary.documents_loaded == [B]
    assert read_graph(db, DB) == normalized(v2)
    # B's old-only facts are gone: the technology, its ADDRESSES, 科技局's lead of B's task
    ids = {p["id"] for _, p in raw_dump(db)[0]}
    assert TECH not in ids
    assert AGENCY in ids and AGENCY_NEW in ids
    leads = {(r["a"], r["t"]) for r in db.execute_query(
        "MATCH (a:Agency)-[:LEADS]->(t:Task) RETURN a.id AS a, t.id AS t", database_=DB).records}
    assert leads == {(AGENCY, f"task:{A}#一/1"), (AGENCY_NEW, f"task:{B}#二")}
    # 科技局 stays, with its evidence from A only; the policy keeps the evidence of both
    rec = db.execute_query("MATCH (n {id: $id}) RETURN n.docs AS d, n.evidence AS e", {"id": AGENCY},
                           database_=DB).records[0]
    assert (rec["d"], [e["doc"] for e in json.loads(rec["e"])]) == ([A], [A])
    rec = db.execute_query("MATCH (n {id: $id}) RETURN n.docs AS d", {"id": POLICY}, database_=DB).records[0]
    assert rec["d"] == sorted([A, B])
    # every fact only A supports is byte-for-byte what it was
    after_nodes, after_rels = raw_dump(db)
    only_a = [x for x in before_nodes if x[1].get("docs") == [A]]
    assert only_a and all(x in after_nodes for x in only_a)
    only_a_rels = [x for x in before_rels if {e["doc"] for e in json.loads(x[3].get("evidence") or "[]")} == {A}]
    assert len(only_a_rels) == 13 and all(x in after_rels for x in only_a_rels)
    assert doc_state(db)[A] == (True, rec_hash(v2, A))
    assert doc_state(db)[B] == (True, rec_hash(v2, B))


def test_a_database_in_the_earlier_layout_is_rewritten_by_the_next_load(db):
    """The loader's earlier layout kept evidence in parallel lists evidence_doc/start/end/text and
    its hashes did not name a layout: the next load of the graph rewrites every document, and
    removes what only an old version of a changed document supported."""
    g = graph(BACKGROUND, doc_a(), doc_b())
    load_graph(db, DB, g)
    for what in ("(n)", "()-[n]->()"):  # every evidence back into the earlier layout
        for rec in db.execute_query(f"MATCH {what} WHERE n.evidence IS NOT NULL RETURN elementId(n) AS eid, "
                                    "n.evidence AS ev", database_=DB).records:
            items = json.loads(rec["ev"])
            db.execute_query(f"MATCH {what} WHERE elementId(n) = $eid SET n.evidence_doc = $d, n.evidence_start = $s, "
                             "n.evidence_end = $e, n.evidence_text = $t REMOVE n.evidence",
                             {"eid": rec["eid"], "d": [x["doc"] for x in items], "s": [x["start"] for x in items],
                              "e": [x["end"] for x in items], "t": [x["text"] for x in items]}, database_=DB)
    db.execute_query("MATCH ()-[r]->() REMOVE r.docs", database_=DB)
    db.execute_query("MATCH (d:Document) SET d.load_hash = $old", {"old": "earlier"}, database_=DB)
    v2 = graph(BACKGROUND, doc_a(), doc_b_v2())
    summary = load_graph(db, DB, v2)
    assert summary.documents_loaded == sorted([A, B])
    assert read_graph(db, DB) == normalized(v2)
    legacy = db.execute_query("MATCH (n) WHERE n.evidence_doc IS NOT NULL RETURN count(n) AS c", database_=DB)
    assert legacy.records[0]["c"] == 0
    legacy = db.execute_query("MATCH ()-[r]->() WHERE r.evidence_doc IS NOT NULL RETURN count(r) AS c", database_=DB)
    assert legacy.records[0]["c"] == 0


def test_delete_document_removes_its_contribution(db, neo4j_env):
    load_graph(db, DB, graph(BACKGROUND, doc_a(), doc_b()))
    proc = run_cli(["load", "--document", B, "--delete"], neo4j_env)
    assert proc.returncode == 0, proc.stderr
    assert f"{B}: deleted 1 document(s)" in proc.stdout
    assert read_graph(db, DB) == normalized(graph(BACKGROUND, doc_a()))
    assert B not in doc_state(db)
    proc = run_cli(["load", "--document", A, "--delete"], neo4j_env)
    assert proc.returncode == 0, proc.stderr
    assert read_graph(db, DB) == normalized(graph(BACKGROUND))  # the background stays
    proc = run_cli(["load", "--document", A, "--delete"], neo4j_env)
    assert proc.returncode != 0 and proc.stderr.strip() == f"policykg: error: the database has no document {A!r}"


class Interrupt(Exception):
    pass


def _interrupt_after(monkeypatch, n: int) -> list:
    calls = []
    real = neo4j_load.write_batch

    def flaky(session, statement, params):
        if len(calls) >= n:
            raise Interrupt(f"stopped after {n} batches")
        calls.append(statement)
        return real(session, statement, params)

    monkeypatch.setattr(neo4j_load, "write_batch", flaky)
    return calls


@pytest.mark.parametrize("stop_after", [1, 3, 16])
def test_interrupted_load_is_completed_by_running_it_again(db, monkeypatch, stop_after):
    g = graph(BACKGROUND, doc_a(), doc_b())
    calls = _interrupt_after(monkeypatch, stop_after)
    with pytest.raises(Interrupt):
        load_graph(db, DB, g, batch_size=2)
    assert len(calls) == stop_after
    assert all(complete is False for complete, _ in doc_state(db).values())  # nothing visible as complete
    monkeypatch.undo()
    load_graph(db, DB, g, batch_size=2)
    assert read_graph(db, DB) == normalized(g)
    labels, types = counts(db)
    assert sum(labels.values()) == len(g["nodes"]) and sum(types.values()) == len(g["edges"])
    assert doc_state(db) == {A: (True, rec_hash(g, A)), B: (True, rec_hash(g, B))}


@pytest.mark.parametrize("stop_after", [2, 9, 20, 35])
def test_interrupted_replace_is_completed_by_running_it_again(db, monkeypatch, stop_after):
    load_graph(db, DB, graph(BACKGROUND, doc_a(), doc_b()))
    v2 = graph(BACKGROUND, doc_a(), doc_b_v2())
    _interrupt_after(monkeypatch, stop_after)
    with pytest.raises(Interrupt):
        load_graph(db, DB, v2, documents=[B], batch_size=1)
    assert doc_state(db)[B][0] is False and doc_state(db)[A][0] is True
    monkeypatch.undo()
    load_graph(db, DB, v2, documents=[B], batch_size=1)
    assert read_graph(db, DB) == normalized(v2)


def test_killed_cli_load_is_completed_by_running_it_again(db, neo4j_env, tmp_path):
    g = synthetic_graph(n_docs=12, sections=4, items_per_section=5, sub_items=2, regions=3)
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    args = ["load", str(path), "--batch-size", "20", "--no-progress"]

    def relationships() -> int:
        return db.execute_query("MATCH ()-[r]->() RETURN count(r) AS c", database_=DB).records[0]["c"]

    def kill(proc):
        proc.send_signal(signal.SIGKILL)
        proc.communicate()

    proc, written = interrupt_cli_run(args, neo4j_env, relationships, 200, kill, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert 200 <= written <= relationships() < len(g["edges"])
    states = doc_state(db)
    assert states and all(complete is False for complete, _ in states.values())
    again = run_cli(args, neo4j_env)
    assert again.returncode == 0, again.stderr
    assert read_graph(db, DB) == normalized(g)
    dup = db.execute_query("MATCH (n) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(*) AS d",
                           database_=DB).records[0]["d"]
    assert dup == 0


def test_cli_load_and_schema_apply(db, neo4j_env, tmp_path):
    g = graph(BACKGROUND, doc_a(), doc_b())
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    proc = run_cli(["schema", "--apply"], neo4j_env)
    assert proc.returncode == 0, proc.stderr
    assert "schema applied" in proc.stdout
    names = {r["name"] for r in db.execute_query("SHOW CONSTRAINTS YIELD name", database_=DB).records}
    assert {"Agency_id_unique", "Task_id_unique", "Document_id_unique", "Policy_id_unique"} <= names
    indexes = {r["name"] for r in db.execute_query("SHOW INDEXES YIELD name", database_=DB).records}
    assert {"Agency_name", "Task_doc", "Document_document_id"} <= indexes
    proc = run_cli(["load", str(path), "--batch-size", "3"], neo4j_env)
    assert proc.returncode == 0, proc.stderr
    assert "loaded 2 document(s); nodes: 15 created, 0 updated, 0 deleted; relationships: 20 created" in proc.stdout
    assert read_graph(db, DB) == normalized(g)
    proc = run_cli(["load", str(path)], neo4j_env)
    assert "loaded 0 document(s), 2 unchanged skipped" in proc.stdout


def _one_error_line(proc) -> str:
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("policykg: error: ")
    assert "Traceback" not in proc.stderr
    return lines[0]


def test_wrong_password_is_one_clear_line(neo4j_env, neo4j_server_state, tmp_path):
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(graph(BACKGROUND, doc_a())), encoding="utf-8")
    env = dict(neo4j_env, NEO4J_PASSWORD="not-the-password-42")
    line = _one_error_line(run_cli(["load", str(path)], env))
    assert line == (f"policykg: error: Neo4j at {neo4j_server_state.uri} refused the login of user 'neo4j': "
                    "wrong user name or password (NEO4J_USERNAME / NEO4J_PASSWORD)")
    proc = run_cli(["load", str(path)], env)
    assert "not-the-password-42" not in proc.stdout + proc.stderr
    assert neo4j_server_state.password not in proc.stdout + proc.stderr


def test_unreachable_server_is_one_clear_line(neo4j_env, tmp_path):
    from policykg.graph_build.neo4j_server import free_port

    path = tmp_path / "graph.json"
    path.write_text(json.dumps(graph(BACKGROUND, doc_a())), encoding="utf-8")
    uri = f"bolt://127.0.0.1:{free_port()}"
    t0 = time.monotonic()
    line = _one_error_line(run_cli(["load", str(path)], dict(neo4j_env, NEO4J_URI=uri)))
    assert line.startswith(f"policykg: error: cannot reach Neo4j at {uri} (environment): ")
    assert time.monotonic() - t0 < 30  # no retry loop


@pytest.mark.parametrize("breakage, message", [
    (lambda g: g["nodes"].append({"id": "x:1", "label": "Ministry", "name": "x", "props": {}, "evidence": []}),
     "node 'x:1': unknown label 'Ministry'"),
    (lambda g: g["nodes"].append({"label": "Agency", "name": "无键", "props": {}, "evidence": []}),
     "missing key `id`"),
    (lambda g: g["edges"].append({"source": AGENCY_A_ONLY, "target": CITY, "type": "OWNS", "props": {}, "evidence": []}),
     "unknown relationship type 'OWNS'"),
])
def test_non_conforming_graph_is_refused_before_anything_is_written(db, neo4j_env, tmp_path, breakage, message):
    g = graph(BACKGROUND, doc_a())
    breakage(g)
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    line = _one_error_line(run_cli(["load", str(path)], neo4j_env))
    assert line.startswith(f"policykg: error: {path} does not conform to schema/schema.yaml: ")
    assert message in line
    assert counts(db) == ({}, {})


def test_no_graph_file_is_one_clear_line(neo4j_env, tmp_path):
    line = _one_error_line(run_cli(["load", str(tmp_path / "missing.json")], neo4j_env))
    assert "no such graph file" in line
