"""schema/ and the Neo4j pieces that need no server: the whitelist, the conformance check, the
property encoding, provenance and hashes, connection settings and the bulk-import CSVs."""
from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integration.neo4j_graphs import (A, AGENCY, B, BACKGROUND, CITY, ODD_ID, PROVINCE, TECH, doc_a, doc_b,
                                      doc_b_v2, graph)
from policykg.errors import SchemaError, UsageError
from policykg.graph_build import neo4j_config
from policykg.graph_build.neo4j_import import ARRAY_DELIMITER, write_neo4j_import
from policykg.graph_build.neo4j_load import decode_props, encode_props, prepare, storable
from policykg.graph_build.neo4j_schema import (check_graph, cypher, load_schema, schema_statements, type_matches,
                                               validate_graph)

LABELS = ["Document", "Region", "Agency", "Organization", "Task", "Technology", "Park", "Target", "Funding", "Policy"]
TYPES = ["LEADS", "SUPPORTS", "CONTAINS", "SUBTASK_OF", "ADDRESSES", "INVOLVES", "LOCATED_IN", "PART_OF", "BELONGS_TO",
         "SETS", "FUNDS", "CITES", "COVERS", "ISSUED_BY", "COORDINATES", "FOCUSES_ON"]


def test_schema_has_the_labels_and_types_of_the_spec():
    s = load_schema()
    assert set(LABELS) <= set(s.labels) and set(TYPES) <= set(s.relationships)
    assert s.key == "id"
    assert s.relationships["LEADS"].sources == {"Agency"} and s.relationships["LEADS"].targets == {"Task"}
    assert {"id", "docs", "evidence", "load_complete", "json_props", "null_props"} <= s.reserved


def test_schema_statements_are_idempotent_and_cover_every_label():
    stmts = schema_statements()
    for label in LABELS:
        assert (f"CREATE CONSTRAINT {label}_id_unique IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
                in stmts)
    assert "CREATE INDEX Agency_name IF NOT EXISTS FOR (n:Agency) ON (n.name)" in stmts
    assert all("IF NOT EXISTS" in s for s in stmts)


def test_templates_take_names_only_from_the_whitelist():
    stmt = cypher("load_nodes", label="Agency")
    assert stmt.startswith("UNWIND $rows AS row\nMERGE (n:Agency {id: row[0]})")
    assert "{label}" not in stmt and "//" not in stmt
    rel = cypher("load_relationships", type="LEADS", source_label="Agency", target_label="Task")
    assert "MATCH (a:Agency {id: row[0]})" in rel and "MERGE (a)-[r:LEADS]->(b)" in rel
    with pytest.raises(SchemaError, match="is not in schema/schema.yaml"):
        cypher("load_nodes", label="Agency) DETACH DELETE n //")
    with pytest.raises(SchemaError, match="is not in schema/schema.yaml"):
        cypher("load_relationships", type="OWNS", source_label="Agency", target_label="Task")
    with pytest.raises(SchemaError, match="not given"):
        cypher("load_nodes")
    with pytest.raises(SchemaError, match="no Cypher template"):
        cypher("../schema")


def test_every_value_in_the_load_statements_is_a_parameter():
    for name in ("load_nodes", "load_relationships", "create_nodes", "create_relationships", "strip_nodes",
                 "strip_relationships", "document_begin", "fresh_nodes", "fresh_relationships"):
        kw = {"label": "Task", "type": "LEADS", "source_label": "Agency", "target_label": "Task"}
        text = cypher(name, **kw)
        # no string literal (values come in as $rows / $docs / $ids) but the comma that joins two
        # JSON arrays of evidence and the empty array
        assert "'" not in text.replace("+ ',' +", "").replace("'[]'", ""), name


def test_fixture_graphs_conform():
    for g in (graph(BACKGROUND, doc_a(), doc_b()), graph(BACKGROUND, doc_a(), doc_b_v2())):
        assert check_graph(g) == []


@pytest.mark.parametrize("breakage, problem", [
    (lambda g: g["nodes"].append({"id": "x:1", "label": "Ministry", "name": "x", "props": {}, "evidence": []}),
     "node 'x:1': unknown label 'Ministry'"),
    (lambda g: g["nodes"].append({"label": "Task", "name": "x", "props": {}, "evidence": []}),
     "missing key `id` (a non-empty string)"),
    (lambda g: g["nodes"].append({"id": "", "label": "Task", "name": "x", "props": {}, "evidence": []}),
     "missing key `id` (a non-empty string)"),
    (lambda g: g["nodes"].append(dict(g["nodes"][0])), "duplicate node id"),
    (lambda g: g["edges"].append({"source": AGENCY, "target": CITY, "type": "OWNS", "props": {}, "evidence": []}),
     "unknown relationship type 'OWNS'"),
    (lambda g: g["edges"].append({"source": CITY, "target": f"task:{A}#一", "type": "LEADS", "props": {},
                                  "evidence": []}),
     "LEADS may not go from Region to Task (schema: Agency -> Task)"),
    (lambda g: g["edges"].append({"source": AGENCY, "target": "task:nowhere", "type": "LEADS", "props": {},
                                  "evidence": []}),
     "endpoint 'task:nowhere' is not a node of the graph"),
    (lambda g: g["edges"].append(dict(g["edges"][0])), "duplicate relationship"),
    (lambda g: g["nodes"][0]["props"].update(docs=["x"]), "property 'docs' is reserved by the loader"),
    (lambda g: g["nodes"][0]["props"].update(code=990000), "property 'code' = 990000 is not of type string | null"),
    (lambda g: g["nodes"][-1]["evidence"].append({"doc": "nope", "start": 1, "end": 2, "text": "x"}),
     "cites unknown document 'nope'"),
    (lambda g: g["nodes"][-1]["evidence"].append({"doc": A, "start": 5, "end": 2, "text": "x"}),
     "start/end must be integers with 0 <= start <= end"),
    (lambda g: [n["props"].pop("number") for n in g["nodes"] if n["label"] == "Task"][:1],
     "Task needs property 'number'"),
    (lambda g: g["documents"].append({"id": "docZ"}), "document 'docZ': no Document node 'document:docZ'"),
    (lambda g: g.pop("edges"), "the graph has no `edges` list"),
    # Neo4j's index keys hold at most ~8 kB: an indexed value longer than that is refused before writing
    (lambda g: next(n for n in g["nodes"] if n["label"] == "Agency").update(name="局" * 2667),
     "indexed property 'name' is 8,001 bytes of UTF-8; Neo4j's indexes hold at most 8,000"),
    (lambda g: next(n for n in g["nodes"] if n["label"] == "Task")["props"].update(number="1/" * 4001),
     "indexed property 'number' is 8,002 bytes"),
])
def test_non_conforming_graphs_are_named_precisely(breakage, problem):
    g = graph(BACKGROUND, doc_a())
    breakage(g)
    problems = check_graph(g)
    assert any(problem in p for p in problems), problems
    with pytest.raises(SchemaError) as err:
        validate_graph(g, source="g.json")
    assert str(err.value).startswith("g.json does not conform to schema/schema.yaml: ")
    assert "\n" not in str(err.value)


def test_indexed_values_up_to_the_limit_pass():
    g = graph(BACKGROUND, doc_a())
    next(n for n in g["nodes"] if n["label"] == "Agency").update(name="局" * 2666 + "ab")  # 8,000 bytes
    assert check_graph(g) == []


def test_type_matches():
    assert type_matches([3, 5], "number | list<number> | null")
    assert type_matches(2.5, "number") and not type_matches(True, "number") and not type_matches("3", "number")
    assert type_matches(None, "string | null") and not type_matches(None, "string")
    assert not type_matches(["a", 1], "list<string>") and type_matches([], "list<string>")


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(), lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=10))
@settings(max_examples=300, deadline=None)
def test_props_encode_so_neo4j_can_store_them_and_decode_back(value):
    stored = encode_props({"v": value}, {"id": "x", "name": "n"})
    assert ("v" in stored) == (value is not None)  # a null is no property (named in null_props)
    assert storable(stored.get("v", "")) and None not in stored.values()  # scalars or homogeneous lists of scalars
    assert decode_props(stored, load_schema().reserved) == {"v": value}


def test_storable_is_what_neo4j_accepts():
    assert storable("a") and storable(1) and storable(1.5) and storable(True) and storable([]) and storable(["a"])
    assert not storable(None) and not storable({"a": 1}) and not storable([1, "a"]) and not storable([1, 2.0])
    assert not storable([True, 1]) and not storable([[1]]) and not storable(2 ** 64)


def test_provenance_and_background():
    p = prepare(graph(BACKGROUND, doc_a(), doc_b()))
    docs = {el.key[1]: el.docs for el in p.nodes}
    assert docs[AGENCY] == {A, B}
    assert docs[TECH] == {B}
    assert docs[CITY] == frozenset() and docs[PROVINCE] == frozenset()  # no evidence: background
    assert docs[f"document:{A}"] == {A}
    edge_docs = {el.key: el.docs for el in p.edges}
    assert edge_docs[("r", CITY, "PART_OF", PROVINCE)] == frozenset()
    assert edge_docs[("r", AGENCY, "BELONGS_TO", CITY)] == {A, B}
    nodes, edges = p.touched(frozenset({B}))
    assert {n.key[1] for n in nodes} == {f"document:{B}", f"task:{B}#一", AGENCY, TECH,
                                         "policy:国发〔2017〕35号", CITY, PROVINCE}
    assert len(edges) == 7  # B's six and the background PART_OF


def test_document_hash_changes_only_for_the_changed_document():
    h1 = prepare(graph(BACKGROUND, doc_a(), doc_b())).hashes
    h2 = prepare(graph(BACKGROUND, doc_a(), doc_b_v2())).hashes
    assert h1[A] == h2[A] and h1[B] != h2[B]
    assert h1 == prepare(graph(BACKGROUND, doc_a(), doc_b())).hashes


def test_rows_carry_only_the_loaded_documents_evidence():
    p = prepare(graph(BACKGROUND, doc_a(), doc_b()))
    agency = next(el for el in p.nodes if el.key[1] == AGENCY)
    row = agency.row(frozenset({B}))
    assert row[0] == AGENCY and row[2] == [B]
    assert json.loads(row[3]) == [{"doc": B, "start": 70, "end": 74, "text": "市科技局"}]
    full = agency.row(None)
    assert full[2] == [A, B] and [e["doc"] for e in json.loads(full[3])] == [A, B]
    assert full[1] == {"id": AGENCY, "name": "科学技术局", "region": "甲市", "aliases": ["市科技局"], "kind": "government"}


def test_connection_settings_precedence_and_secrecy(tmp_path):
    dot = tmp_path / ".env"
    dot.write_text("NEO4J_URI=neo4j+s://dotenv.example:7687\nNEO4J_PASSWORD=from-dotenv\nNEO4J_DATABASE=plans\n")
    cfg = neo4j_config.resolve(env={}, dotenv_path=dot, server_home=tmp_path / "none")
    assert (cfg.uri, cfg.username, cfg.password, cfg.database) == ("neo4j+s://dotenv.example:7687", "neo4j",
                                                                     "from-dotenv", "plans")
    cfg = neo4j_config.resolve(env={"NEO4J_URI": "bolt://env:7687", "NEO4J_PASSWORD": "from-env"}, dotenv_path=dot,
                               server_home=tmp_path / "none")
    assert (cfg.uri, cfg.password, cfg.database, cfg.source) == ("bolt://env:7687", "from-env", "plans", "environment")
    cfg = neo4j_config.resolve(uri="neo4j://flag:7687", env={"NEO4J_URI": "bolt://env:7687"}, dotenv_path=dot,
                               server_home=tmp_path / "none")
    assert cfg.uri == "neo4j://flag:7687" and cfg.source == "flags"
    assert "from-dotenv" not in repr(cfg) and "from-dotenv" not in str(cfg)
    with pytest.raises(UsageError, match="the scheme must be one of"):
        neo4j_config.resolve(uri="http://x:7474", env={}, dotenv_path=dot, server_home=tmp_path / "none")
    pw = tmp_path / "pw"
    pw.write_text("from-file\n")
    assert neo4j_config.resolve(password_file=str(pw), env={}, dotenv_path=dot,
                                server_home=tmp_path / "none").password == "from-file"


def _read_csv(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_import_csvs_have_the_admin_import_header_format(tmp_path):
    g = graph(BACKGROUND, doc_a(), doc_b())
    files = write_neo4j_import(g, tmp_path)
    names = sorted(f.name for f in files)
    assert names[:3] == ["import.args", "nodes_Agency.csv", "nodes_Document.csv"]
    agency = _read_csv(tmp_path / "nodes_Agency.csv")
    assert agency[0] == ["id:ID", "aliases:string[]", "docs:string[]", "empty_lists:string[]", "evidence:string",
                         "kind:string", "name:string", "region:string"]
    row = dict(zip(agency[0], next(r for r in agency[1:] if r[0] == AGENCY)))
    assert row["docs:string[]"] == f"{A}{ARRAY_DELIMITER}{B}"
    assert [e["start"] for e in json.loads(row["evidence:string"])] == [140, 70]
    other = dict(zip(agency[0], next(r for r in agency[1:] if r[0] != AGENCY)))
    assert other["aliases:string[]"] == "" and other["empty_lists:string[]"] == "aliases"
    leads = _read_csv(tmp_path / "relationships_LEADS.csv")
    assert leads[0] == [":START_ID", ":END_ID", "evidence:string", "explicit:boolean"]
    org = (tmp_path / "nodes_Organization.csv").read_text(encoding="utf-8")
    assert '"' + ODD_ID.replace('"', '""') + '"' in org
    target = _read_csv(tmp_path / "nodes_Target.csv")
    assert dict(zip(target[0], target[1]))["value:long[]"] == f"3{ARRAY_DELIMITER}5"
    args = (tmp_path / "import.args").read_text(encoding="utf-8").splitlines()
    assert args[:2] == ["--array-delimiter=U+001F", "--multiline-fields=true"]
    assert "--nodes=Agency=nodes_Agency.csv" in args and "--relationships=LEADS=relationships_LEADS.csv" in args
    funding = _read_csv(tmp_path / "nodes_Funding.csv")
    frow = dict(zip(funding[0], funding[1]))
    assert json.loads(frow["rule:string"]) == {"max": 10000000, "parts": [1, "a"], "unit": "元"}
    assert frow["json_props:string[]"] == "rule" and frow["null_props:string[]"] == "share"
    assert not any(c.startswith("share:") for c in funding[0])  # null: no property
