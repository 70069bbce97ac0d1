"""One query text, two engines: EVERY named query runs on the real Neo4j of the test session and on
the embedded FalkorDB, over the same graph (loaded by each engine's loader from the same contract),
and the rows must be equal — and equal to the exact answers of tests/fixtures/queries_cases.py.

Needs Neo4j: it FAILS (never skips) when Neo4j cannot start.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.queries_cases import SAMPLE_CASES, SMALL_CASES
from fixtures.queries_graph import small_graph
from fixtures.queries_support import canonical, embedded_engine
from policykg.queries.catalog import load_catalog
from policykg.queries.engines import Neo4jEngine
from policykg.queries.runner import run_query

pytestmark = pytest.mark.integration

# Parameters for the queries that need some, per graph; every other query runs with its defaults.
REQUIRED = {
    "small": {"actor-path": {"source": "agency:深圳市|科技创新委员会", "target": "agency:长沙市|科学技术局"},
              "agency-ego": {"agency": "agency:深圳市|公安局"},
              "agency-tasks": {"agency": "agency:深圳市|工业和信息化局"},
              "task-detail": {"task": "task:sz1#二/一"},
              "portfolio-overlap": {"agency_a": "agency:深圳市|科技创新委员会", "agency_b": "agency:深圳市|发展和改革委员会"}},
    "sample": {"actor-path": {"source": "agency:中山市|商务局", "target": "agency:中山市|金融工作局"},
               "agency-ego": {"agency": "agency:长沙市|公安局"},
               "agency-tasks": {"agency": "agency:深圳市|工业和信息化局"},
               "task-detail": {"task": "task:000_279d2fb2746ce7ce#三/一/1"},
               "portfolio-overlap": {"agency_a": "agency:长沙市|科学技术局", "agency_b": "agency:长沙市|园区管委会"}},
}
CASES = {"small": SMALL_CASES, "sample": SAMPLE_CASES}


@pytest.fixture(scope="module")
def neo4j(neo4j_driver, neo4j_database):
    return Neo4jEngine(neo4j_driver, neo4j_database)


@pytest.fixture(scope="module", params=["small", "sample"])
def engines(request, neo4j, sample_build):
    """(graph name, Neo4j engine, embedded engine) with the same graph loaded in both."""
    contract = small_graph() if request.param == "small" else sample_build[1]
    neo4j.load(contract, replace=True)
    return request.param, neo4j, embedded_engine(request.param, contract)


def _both(engines, name, params):
    _, neo, embedded = engines
    a = run_query(neo, name, params)
    b = run_query(embedded, name, params)
    assert a.columns == b.columns
    return canonical(a.rows), canonical(b.rows)


def test_every_query_gives_the_same_rows_on_both_engines(engines):
    graph = engines[0]
    nonempty = 0
    for name in load_catalog():
        on_neo4j, on_embedded = _both(engines, name, REQUIRED[graph].get(name, {}))
        assert on_neo4j == on_embedded, name
        nonempty += bool(on_neo4j)
    assert nonempty >= 14  # the comparison is not between empty answers


def test_exact_answers_on_neo4j_and_embedded(engines):
    for name, params, expected in CASES[engines[0]]:
        on_neo4j, on_embedded = _both(engines, name, params)
        assert on_neo4j == canonical(expected), (name, params)
        assert on_embedded == on_neo4j, (name, params)


def test_query_and_report_commands_use_neo4j_when_NEO4J_URI_is_set(engines, neo4j_env, tmp_path):
    _, _, embedded = engines
    exe = Path(sys.executable).parent / "policykg"
    r = subprocess.run([str(exe), "query", "agency-workload", "--format", "json"], cwd=tmp_path, env=neo4j_env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["engine"] == "neo4j"
    assert canonical(doc["rows"]) == canonical(run_query(embedded, "agency-workload").records())
    assert doc["rows"], "the loaded graph has assignments"
    r = subprocess.run([str(exe), "report", "--out", str(tmp_path / "rep")], cwd=tmp_path, env=neo4j_env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    md = (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    assert "engine: neo4j (neo4j)" in md
    assert not (tmp_path / "out").exists()  # no embedded engine was started
