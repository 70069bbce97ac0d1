"""Every named query, with exact answers, on the embedded engine (one FalkorDB server per session).

Two graphs: the hand-made one of tests/fixtures/queries_graph.py (its docstring draws it; each
expected table below follows from that picture), and the sample corpus, whose expected rows were
checked against the plan texts (clause lists counted independently of the pipeline) or, for entities
the sample may not carry yet, against the plain-Python oracles of query_oracles.py. The cases with
their expected rows live in tests/fixtures/queries_cases.py.
The integration test runs every query on Neo4j too and asserts the same rows.
"""
from __future__ import annotations

import networkx as nx
import pytest

import query_oracles as oracle
from fixtures.queries_cases import CSD, GXJ, KCW, SAMPLE_CASES, SMALL_CASES, SZ, ZS
from fixtures.queries_graph import small_graph
from fixtures.queries_support import canonical, embedded_engine
from policykg.queries.catalog import load_catalog
from policykg.queries.runner import run_query


@pytest.fixture(scope="module")
def small():
    return embedded_engine("small", small_graph())


@pytest.fixture(scope="module")
def sample(sample_build):
    return embedded_engine("sample", sample_build[1])


def rows(engine, name, **params):
    return canonical(run_query(engine, name, params).rows)


@pytest.mark.parametrize("name,params,expected", SMALL_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(SMALL_CASES)])
def test_small_graph_answers(small, name, params, expected):
    assert rows(small, name, **params) == canonical(expected)


def test_task_detail_lists_every_relationship_with_its_evidence(small):
    result = run_query(small, "task-detail", {"task": "task:sz1#二/一"})
    got = [r[4:10] for r in result.rows]
    assert got == [
        ["TASK", "", "Task", "task:sz1#二/一", "强化基础研究", None],
        ["CONTAINS", "in", "Document", "document:sz1", "深圳市人工智能行动计划(2019-2023年)", None],
        ["FUNDS", "in", "Funding", "funding:sz1@345", "最高1000万元资助", None],
        ["INVOLVES", "out", "Park", "park:深圳湾片区", "深圳湾片区", None],
        ["LEADS", "in", "Agency", KCW, "科技创新委员会", True],
        ["SETS", "out", "Target", "target:sz1@340", "产业规模300亿元", None],
        ["SUBTASK_OF", "in", "Task", "task:sz1#二/一/1", "加强理论研究", None],
        ["SUBTASK_OF", "in", "Task", "task:sz1#二/一/专栏1", "重点方向", None],
        ["SUBTASK_OF", "out", "Task", "task:sz1#二", "主要任务", None],
        ["SUPPORTS", "in", "Agency", GXJ, "工业和信息化局", None]]
    assert all(r[:4] == ["task:sz1#二/一", "sz1", "二/一", "强化基础研究"] for r in result.rows)
    evidence = {(r[4], r[7]): r[10] for r in result.rows}
    assert evidence[("TASK", "task:sz1#二/一")] == [{"doc": "sz1", "start": 310, "end": 321, "text": "二/一 强化基础研究。"}]
    clause = "(牵头单位:市科技创新委,责任单位:市工业和信息化局)"
    assert evidence[("LEADS", KCW)] == [{"doc": "sz1", "start": 320, "end": 320 + len(clause), "text": clause}]
    assert run_query(small, "task-detail", {"task": "task:sz1#九"}).rows == []


def test_communities_are_the_modularity_optimum(small):
    """The fixture's co-assignment network is small enough to try every partition."""
    g = nx.Graph()
    for (a, b), w in oracle.co_assignment_pairs(small_graph()).items():
        g.add_edge(a, b, weight=w)

    def partitions(items):
        if not items:
            yield []
            return
        for p in partitions(items[1:]):
            for i in range(len(p)):
                yield p[:i] + [[items[0]] + p[i]] + p[i + 1:]
            yield [[items[0]]] + p

    best = max(nx.community.modularity(g, p, weight="weight") for p in partitions(sorted(g.nodes)))
    got = {}
    for r in run_query(small, "agency-communities", {}).records():
        got.setdefault(r["community"], []).append(r["agency_id"])
    assert nx.community.modularity(g, list(got.values()), weight="weight") == pytest.approx(best)


@pytest.mark.parametrize("name,func,params", [
    ("overlapping-mandates", oracle.overlapping_mandates, {}),
    ("overlapping-mandates", oracle.overlapping_mandates, {"region": "深圳市", "doc": "sz1"}),
    ("cross-region-technologies", oracle.cross_region_technologies, {}),
    ("cross-region-targets", oracle.cross_region_targets, {}),
    ("target-timeline", oracle.target_timeline, {}),
    ("parks-by-region", oracle.parks_by_region, {}),
    ("parks-by-region", oracle.parks_by_region, {"region": "深圳市"}),
    ("documents-citing-policy", oracle.documents_citing_policy, {}),
])
def test_oracles_agree_on_the_small_graph(small, name, func, params):
    """The oracles that check the sample corpus are themselves checked on the hand-made graph."""
    assert rows(small, name, **params) == canonical(func(small_graph(), **params))


@pytest.mark.parametrize("name,params,expected", SAMPLE_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(SAMPLE_CASES)])
def test_sample_corpus_answers(sample, name, params, expected):
    assert rows(sample, name, **params) == canonical(expected)


def test_sample_plans(sample, sample_build):
    """Assigned tasks = clauses in the text (16 in 深圳 000, 25 in 中山, 27 in 长沙; 003 and 004 have
    none); tasks = the outline items the build found for each document."""
    contract = sample_build[1]
    outline = {}
    for n in contract["nodes"]:
        if n["label"] == "Task":
            outline[n["props"]["doc"]] = outline.get(n["props"]["doc"], 0) + 1
    got = rows(sample, "plans")
    assert [r[1] for r in got] == [ZS, "003_b10e5fe339225739", SZ, "004_03121f4048231bdc", CSD]
    assert [r[0] for r in got] == ["中山市", "广东省", "深圳市", "深圳市", "长沙市"]
    assert [r[4] for r in got] == [outline[r[1]] for r in got]
    assert [r[5] for r in got] == [25, 0, 16, 0, 27]
    assert [r[6] for r in got] == [8, 0, 6, 0, 7]
    assert got[0][2:4] == ["中山市加快新一代人工智能发展行动计划(2019-2021年)(征求意见稿)", [2019, 2021]]


def test_sample_task_detail_shows_the_clause(sample):
    task = f"task:{ZS}#二/一/2"
    result = run_query(sample, "task-detail", {"task": task})
    assert [r[4:9] for r in result.rows] == [
        ["TASK", "", "Task", task, "引进具有创新活力的龙头企业"],
        ["CONTAINS", "in", "Document", f"document:{ZS}", "中山市加快新一代人工智能发展行动计划(2019-2021年)(征求意见稿)"],
        ["LEADS", "in", "Agency", "agency:中山市|商务局", "商务局"],
        ["SUBTASK_OF", "out", "Task", f"task:{ZS}#二/一", "加快人工智能产业培育"],
        ["SUPPORTS", "in", "Agency", "agency:中山市|发展和改革局", "发展和改革局"],
        ["SUPPORTS", "in", "Agency", "agency:中山市|工业和信息化局", "工业和信息化局"],
        ["SUPPORTS", "in", "Agency", "agency:中山市|科学技术局", "科学技术局"]]
    lead = next(r for r in result.records() if r["relation"] == "LEADS")
    assert lead["explicit"] is False
    assert [e["text"] for e in lead["evidence"]] == ["(市商务局、市工信局、市科技局、市发改局)"]
    own = result.records()[0]["evidence"][0]
    assert own["doc"] == ZS and own["text"].startswith("2、引进具有创新活力的龙头企业。")


def _co_assignment_graph(contract, region):
    names = {n["id"]: n for n in contract["nodes"]}
    g = nx.Graph()
    for (a, b), w in oracle.co_assignment_pairs(contract).items():
        if region in (names[a]["props"].get("region"), names[b]["props"].get("region")):
            g.add_edge(a, b, weight=w)
    return g


def test_sample_brokers_match_networkx_on_the_contract(sample, sample_build):
    """Betweenness over the co-assignment network built straight from graph.json. In 中山 the 工信局,
    named in 20 of the 25 clauses, is the broker."""
    g = _co_assignment_graph(sample_build[1], "中山市")
    bc = nx.betweenness_centrality(g, normalized=True)
    got = run_query(sample, "broker-agencies", {"region": "中山市", "limit": 100}).records()
    assert len(got) == g.number_of_nodes() == 15
    assert {r["agency_id"]: r["betweenness"] for r in got} == {k: round(v, 6) for k, v in bc.items()}
    assert [r["agency"] for r in got[:2]] == ["工业和信息化局", "科学技术局"]
    assert got[0]["betweenness"] == 0.525641 and got[0]["partners"] == 12 and got[0]["shared_tasks"] == 34


def test_sample_communities_partition_the_region(sample, sample_build):
    g = _co_assignment_graph(sample_build[1], "中山市")
    expected = nx.community.greedy_modularity_communities(g, weight="weight")
    got = {}
    for r in run_query(sample, "agency-communities", {"region": "中山市"}).records():
        got.setdefault(r["community"], set()).add(r["agency_id"])
    assert sorted(map(sorted, got.values())) == sorted(map(sorted, expected))
    assert sum(len(c) for c in got.values()) == 15
    assert {"agency:中山市|财政局", "agency:中山市|金融工作局"} in got.values()  # the 科技金融 item's pair


@pytest.mark.parametrize("name,func,params", [
    ("overlapping-mandates", oracle.overlapping_mandates, {}),
    ("cross-region-technologies", oracle.cross_region_technologies, {}),
    ("cross-region-targets", oracle.cross_region_targets, {}),
    ("target-timeline", oracle.target_timeline, {}),
    ("parks-by-region", oracle.parks_by_region, {}),
    ("documents-citing-policy", oracle.documents_citing_policy, {"min_documents": 1}),
])
def test_sample_entity_questions_match_the_oracles(sample, sample_build, name, func, params):
    """Technologies, targets, parks and policies of the sample corpus, as the build extracts them."""
    got = rows(sample, name, **params)
    assert got == canonical(func(sample_build[1], **params))
    assert got, f"{name}: the sample corpus gives no answer (are its entities still extracted?)"


def test_every_named_query_has_exact_answers_on_both_graphs():
    catalog = set(load_catalog())
    small = {c[0] for c in SMALL_CASES} | {"task-detail"}
    sample = {c[0] for c in SAMPLE_CASES} | {"plans", "task-detail", "broker-agencies", "agency-communities",
                                             "overlapping-mandates", "cross-region-technologies",
                                             "cross-region-targets", "target-timeline", "parks-by-region",
                                             "documents-citing-policy"}
    assert small == catalog
    assert sample == catalog


def test_embedded_schema_indexes_the_lookup_properties_and_keys(small):
    from policykg.queries.schema_names import lookup_indexes

    indexed = {(row[0], prop) for row in small.graph.query("CALL db.indexes()").result_set for prop in row[1]}
    assert set(lookup_indexes()) <= indexed
    unique = {(c["label"], tuple(c["properties"]), c["status"]) for c in small.graph.list_constraints()}
    assert ("Agency", ("id",), "OPERATIONAL") in unique and ("Task", ("id",), "OPERATIONAL") in unique
    with pytest.raises(Exception, match="(?i)unique"):
        small.graph.query("CREATE (:Agency {id: 'agency:深圳市|科技创新委员会'})")
