"""The named-query catalog, parameters, the engine adapters, load rows and output formats (no server)."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from policykg.errors import QueryError, SchemaError
from policykg.queries import engines
from policykg.queries.catalog import QUERY_DIR, Param, get_query, load_catalog, parse_query
from policykg.queries.formats import as_csv, as_markdown, as_table, cell_text, render, width
from policykg.queries.runner import QueryResult
from policykg.queries.schema_names import lookup_indexes, schema_labels, schema_types

CYPHER = {q.name: q for q in load_catalog().values() if q.kind == "cypher"}
REQUIRED_QUESTIONS = {
    "agency-workload", "co-assignment", "overlapping-mandates", "orphan-tasks", "over-assigned-tasks",
    "lead-concentration", "cross-region-technologies", "cross-region-targets", "target-timeline",
    "parks-by-region", "actor-path", "agency-ego", "task-detail", "documents-citing-policy",
    "broker-agencies", "agency-communities", "portfolio-overlap"}


def test_catalog_has_every_question_and_the_analytics():
    catalog = load_catalog()
    assert REQUIRED_QUESTIONS <= set(catalog)
    assert {n for n, q in catalog.items() if q.kind == "python"} == {
        "broker-agencies", "agency-communities", "portfolio-overlap", "actor-path"}
    assert list(catalog) == sorted(catalog)
    assert len(list(QUERY_DIR.glob("*.cypher"))) == len(CYPHER)
    for q in catalog.values():
        assert q.question.endswith("?"), q.name
        assert q.columns, q.name


@pytest.mark.parametrize("name", sorted(CYPHER))
def test_query_text_uses_exactly_its_declared_parameters(name):
    q = CYPHER[name]
    used = set(re.findall(r"\$([A-Za-z_]\w*)", q.text))
    assert used == {p.name for p in q.params}


@pytest.mark.parametrize("name", sorted(CYPHER))
def test_query_text_names_only_schema_labels_and_types(name):
    text = CYPHER[name].text
    labels = set(re.findall(r"\(\s*\w*\s*:\s*([A-Z]\w*)", text))
    types = set()
    for group in re.findall(r"\[\s*\w*\s*:\s*([A-Z_|]+)", text):
        types.update(group.split("|"))
    assert labels and labels <= schema_labels()
    assert types <= schema_types()


@pytest.mark.parametrize("name", sorted(CYPHER))
def test_query_text_stays_in_the_subset_both_engines_run(name):
    """What FalkorDB rejects or answers differently: no EXISTS {} subqueries, no shortestPath, no
    sum() left as a float, no multi-hop OPTIONAL MATCH (FalkorDB evaluates it
    as a chain of one-hop optional matches), no round() with a precision."""
    text = CYPHER[name].text
    assert not re.search(r"EXISTS\s*\{", text, re.I)
    assert not re.search(r"shortestPath\s*\(", text, re.I)
    assert not re.search(r"(?<!toInteger\()\bsum\(", text)
    assert not re.search(r"round\([^()]*,", text)
    for line in text.splitlines():
        if line.strip().upper().startswith("OPTIONAL MATCH"):
            assert len(re.findall(r"-\[", line)) <= 1, line
    # values come in as parameters: no quoted literal in a node or relationship pattern's property map
    assert not re.search(r"\(\s*\w*\s*(:\s*\w+)?\s*\{[^}]*:\s*'", text), "literal in a node pattern"
    assert not re.search(r"-\[[^\]]*\{[^}]*:\s*'", text), "literal in a relationship pattern"


def test_parameters_are_checked_and_typed():
    q = get_query("co-assignment")
    assert q.bind({}) == {"region": None, "doc": None, "min_shared": 1, "limit": 1000}
    assert q.bind({"min_shared": "3", "region": "深圳市"})["min_shared"] == 3
    with pytest.raises(QueryError, match="'min_shared' must be int"):
        q.bind({"min_shared": "three"})
    with pytest.raises(QueryError, match="no parameter 'regoin'"):
        q.bind({"regoin": "深圳市"})
    with pytest.raises(QueryError, match="needs parameter 'agency'"):
        get_query("agency-ego").bind({})
    with pytest.raises(QueryError, match="must be float"):
        get_query("agency-communities").bind({"resolution": "high"})
    assert get_query("agency-communities").bind({"resolution": "1.5"})["resolution"] == 1.5
    flag = Param("flag", "bool", False, False)
    assert [flag.convert(v) for v in ("true", "No", "1", True)] == [True, False, True, True]
    with pytest.raises(QueryError):
        flag.convert("maybe")
    with pytest.raises(QueryError):
        Param("n", "int").convert(2.5)


def test_unknown_query_is_a_query_error_with_a_hint():
    with pytest.raises(QueryError, match="no named query 'workload'.*agency-workload"):
        get_query("workload")


def test_bad_headers_are_refused():
    with pytest.raises(QueryError, match="no 'columns:' line"):
        parse_query("// name: x\n// question: Q?\nMATCH (n) RETURN n", "x.cypher")
    with pytest.raises(QueryError, match="bad parameter line"):
        parse_query("// name: x\n// question: Q?\n// param: n integer\n// columns: n\nRETURN 1 AS n", "x.cypher")
    with pytest.raises(QueryError, match="default 'abc' is not a int"):
        parse_query("// name: x\n// question: Q?\n// param: n int = abc\n// columns: n\nRETURN $n AS n", "x.cypher")
    with pytest.raises(QueryError, match="no Cypher text"):
        parse_query("// name: x\n// question: Q?\n// columns: n\n", "x.cypher")
    q = parse_query("// name: x\n// question: Q?\n// param: s string -- the s\n// columns: a, ev:json\nRETURN 1", "x")
    assert q.params[0].required and q.params[0].description == "the s"
    assert [(c.name, c.json) for c in q.columns] == [("a", False), ("ev", True)]


def test_internal_statements_take_names_only_from_the_schema():
    from policykg.queries.paths import PATH_TYPES, statement

    text = statement("neighbours", "Agency", PATH_TYPES)
    assert text.startswith("MATCH (n:Agency) WHERE n.id IN $ids\n"
                           "MATCH (n)-[r:LEADS|SUPPORTS|SUBTASK_OF|PART_OF|INVOLVES|ISSUED_BY|COORDINATES]-(m)")
    with pytest.raises(SchemaError, match="label"):
        statement("neighbours", "Agency) DETACH DELETE (n", PATH_TYPES)
    with pytest.raises(SchemaError, match="relationship type"):
        statement("neighbours", "Task", ("LEADS]-() DELETE (",))
    with pytest.raises(QueryError, match="placeholder"):
        engines.FALKORDB.render("MATCH (n:{label}) RETURN n")


def test_embedded_load_uses_the_neo4j_loaders_rows_and_statements():
    """Both engines hold the same graph: the embedded plan is the Neo4j loader's prepare() rows written
    by schema/fresh_*.cypher (the load statements less the evidence merge), nodes first, checked
    against schema.yaml before anything runs."""
    from policykg.graph_build.neo4j_load import prepare
    from policykg.graph_build.neo4j_schema import cypher

    contract = {"schema_version": 1, "documents": [{"id": "d", "file": "d.txt", "title": "T", "region": "深圳市"}],
                "nodes": [
                    {"id": "document:d", "label": "Document", "name": "T", "props": {"doc": "d"},
                     "evidence": [{"doc": "d", "start": 0, "end": 1, "text": "T"}]},
                    {"id": "target:d@1", "label": "Target", "name": "规模", "evidence": [],
                     "props": {"doc": "d", "value": [3.0, 5.5], "year": None, "metric": "规模"}}],
                "edges": [{"source": "document:d", "target": "target:d@1", "type": "SETS", "props": {},
                           "evidence": [{"doc": "d", "start": 1, "end": 3, "text": "规模"}]}]}
    plan = engines.load_plan(contract)
    assert [p[0] for p in plan] == [cypher("fresh_nodes", label="Document"), cypher("fresh_nodes", label="Target"),
                                    cypher("fresh_relationships", type="SETS", source_label="Document",
                                           target_label="Target")]
    prepared = prepare(contract)
    assert plan[1][1] == [prepared.nodes[1].row(None)]
    assert all(p[2] == ["d"] for p in plan)
    bad = dict(contract, nodes=[dict(contract["nodes"][0], label="Agency) DETACH DELETE (x")])
    with pytest.raises(SchemaError):
        engines.load_plan(bad)


def test_indexes_come_from_the_schema():
    idx = lookup_indexes()
    assert ("Agency", "id") in idx and ("Task", "id") in idx
    assert ("Agency", "region") in idx and ("Task", "doc") in idx and ("Document", "document_id") in idx
    assert {label for label, _ in idx} == set(schema_labels())


def test_formats():
    result = QueryResult("q", ["name", "n", "share", "tags", "ok", "evidence"], [
        ["科技局", 3, 0.333333333, ["a", "b"], True, [{"doc": "d", "start": 1, "end": 4, "text": "市科技局"}]],
        ["a|b", None, 1.0, [], False, None]], {"x": 1}, "falkordb")
    table = as_table(result.columns, result.rows)
    lines = table.splitlines()
    assert lines[0].startswith("name    n  share")
    assert width(lines[2].split("  ")[0]) == 6  # 科技局: three wide characters
    assert "«市科技局» (d@1-4)" in lines[2] and lines[-1] == "(2 rows)"
    assert cell_text(0.333333333) == "0.333333" and cell_text(1.0) == "1" and cell_text(None) == ""
    parsed = list(csv.reader(io.StringIO(as_csv(result.columns, result.rows))))
    assert parsed[1] == ["科技局", "3", "0.333333333", '["a", "b"]', "true",
                         '[{"doc": "d", "end": 4, "start": 1, "text": "市科技局"}]']
    assert parsed[2][:3] == ["a|b", "", "1.0"]
    md = as_markdown(result.columns, result.rows)
    assert "| a\\|b |" in md
    assert json.loads(render(result, "json"))["rows"][0]["tags"] == ["a", "b"]
    assert json.loads(render(result, "json"))["params"] == {"x": 1}
