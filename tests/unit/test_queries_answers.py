"""Every named query, with exact answers, on the embedded engine (one FalkorDB server per session).

Two graphs: the hand-made one of tests/fixtures/queries_graph.py (its docstring draws it; each
expected table below follows from that picture), and the sample corpus, whose expected rows were
checked against the plan texts (clause lists counted independently of the pipeline) or, for entities
the sample may not carry yet, against the plain-Python oracles of query_oracles.py.
The integration test runs every query on Neo4j too and asserts the same rows.
"""
from __future__ import annotations

import networkx as nx
import pytest

import query_oracles as oracle
from fixtures.queries_graph import small_graph
from fixtures.queries_support import canonical, embedded_engine
from policykg.queries.catalog import load_catalog
from policykg.queries.runner import run_query

KCW = "agency:深圳市|科技创新委员会"
GXJ = "agency:深圳市|工业和信息化局"
FGW = "agency:深圳市|发展和改革委员会"
GAJ = "agency:深圳市|公安局"
JJ = "agency:深圳市|公安局交通警察支队"
ZF = "agency:深圳市|人民政府"
CS_KJ = "agency:长沙市|科学技术局"
CS_GX = "agency:长沙市|工业和信息化局"
CV = "technology:计算机视觉"
ZS = "001_cdc2e9bdfb7cc299"
SZ = "000_279d2fb2746ce7ce"
CSD = "002_efbdcff6e01d2b71"


@pytest.fixture(scope="module")
def small():
    return embedded_engine("small", small_graph())


@pytest.fixture(scope="module")
def sample(sample_build):
    return embedded_engine("sample", sample_build[1])


def rows(engine, name, **params):
    return canonical(run_query(engine, name, params).rows)


# ---------------------------------------------------------------- the hand-made graph
SMALL_CASES = [
    ("agency-workload", {}, [
        ["深圳市", KCW, "科技创新委员会", 2, 1, 3],
        ["深圳市", FGW, "发展和改革委员会", 2, 0, 2],
        ["深圳市", GXJ, "工业和信息化局", 1, 1, 2],
        ["深圳市", GAJ, "公安局", 0, 1, 1],
        ["深圳市", JJ, "公安局交通警察支队", 0, 1, 1],
        ["长沙市", CS_GX, "工业和信息化局", 1, 1, 2],
        ["长沙市", CS_KJ, "科学技术局", 1, 0, 1]]),
    ("agency-workload", {"region": "长沙市", "doc": "cs1"}, [
        ["长沙市", CS_GX, "工业和信息化局", 1, 1, 2],
        ["长沙市", CS_KJ, "科学技术局", 1, 0, 1]]),
    ("agency-workload", {"doc": "sz2"}, [["深圳市", FGW, "发展和改革委员会", 1, 0, 1]]),
    ("co-assignment", {}, [
        [GXJ, "工业和信息化局", KCW, "科技创新委员会", 2, 1, 1],
        [GAJ, "公安局", JJ, "公安局交通警察支队", 1, 0, 0],
        [GAJ, "公安局", FGW, "发展和改革委员会", 1, 0, 1],
        [GAJ, "公安局", KCW, "科技创新委员会", 1, 0, 1],
        [JJ, "公安局交通警察支队", FGW, "发展和改革委员会", 1, 0, 1],
        [JJ, "公安局交通警察支队", KCW, "科技创新委员会", 1, 0, 1],
        [FGW, "发展和改革委员会", KCW, "科技创新委员会", 1, 1, 1],
        [CS_GX, "工业和信息化局", CS_KJ, "科学技术局", 1, 0, 1]]),
    ("co-assignment", {"min_shared": 2}, [[GXJ, "工业和信息化局", KCW, "科技创新委员会", 2, 1, 1]]),
    ("co-assignment", {"region": "长沙市"}, [[CS_GX, "工业和信息化局", CS_KJ, "科学技术局", 1, 0, 1]]),
    ("co-assignment", {"limit": 2}, [
        [GXJ, "工业和信息化局", KCW, "科技创新委员会", 2, 1, 1],
        [GAJ, "公安局", JJ, "公安局交通警察支队", 1, 0, 0]]),
    # 计算机视觉 is led in 深圳市 by 科创委 (through the 专栏 entry under 二/一), 工信局 (二/二/1) and
    # 发改委 (sz2 一/一); 智能芯片 only by 发改委; in 长沙市 each technology has one lead.
    ("overlapping-mandates", {}, [
        ["深圳市", CV, "计算机视觉", 3, FGW, "发展和改革委员会", ["task:sz2#一/一"]],
        ["深圳市", CV, "计算机视觉", 3, GXJ, "工业和信息化局", ["task:sz1#二/二/1"]],
        ["深圳市", CV, "计算机视觉", 3, KCW, "科技创新委员会", ["task:sz1#二/一/专栏1/1"]]]),
    ("overlapping-mandates", {"doc": "sz1"}, [
        ["深圳市", CV, "计算机视觉", 2, GXJ, "工业和信息化局", ["task:sz1#二/二/1"]],
        ["深圳市", CV, "计算机视觉", 2, KCW, "科技创新委员会", ["task:sz1#二/一/专栏1/1"]]]),
    ("overlapping-mandates", {"region": "长沙市", "min_agencies": 1}, [
        ["长沙市", "technology:智能语音", "智能语音", 1, CS_GX, "工业和信息化局", ["task:cs1#一/二"]],
        ["长沙市", CV, "计算机视觉", 1, CS_KJ, "科学技术局", ["task:cs1#一/一"]]]),  # ids by code point: 智 < 计
    # 二/三 and 二/三/1: nothing assigned on them, above or below; 一 (指导思想) is not a task section.
    ("orphan-tasks", {}, [
        ["深圳市", "sz1", "task:sz1#二/三", "二/三", "优化产业生态", "paren_cn"],
        ["深圳市", "sz1", "task:sz1#二/三/1", "二/三/1", "培育骨干企业", "num"]]),
    ("orphan-tasks", {"region": "长沙市"}, []),
    ("over-assigned-tasks", {}, [["sz1", "task:sz1#二/四", "二/四", "智慧交通应用", 2, 2, ["发展和改革委员会", "科技创新委员会"]]]),
    ("over-assigned-tasks", {"min_leads": 9, "min_units": 2}, [
        ["sz1", "task:sz1#二/四", "二/四", "智慧交通应用", 2, 2, ["发展和改革委员会", "科技创新委员会"]],
        ["cs1", "task:cs1#一/一", "一/一", "发展计算机视觉", 1, 1, ["科学技术局"]],
        ["sz1", "task:sz1#二/一", "二/一", "强化基础研究", 1, 1, ["科技创新委员会"]],
        ["sz1", "task:sz1#二/二/1", "二/二/1", "建设视觉平台", 1, 1, ["工业和信息化局"]]]),
    # sz1: 科创委 leads 2 of 4 lead assignments, 工信局 1, 发改委 1: HHI .25 + .0625 + .0625;
    # cs1: a tie of 1 and 1 goes to the smaller id (工 < 科).
    ("lead-concentration", {}, [
        ["深圳市", "sz1", "深圳市人工智能行动计划(2019-2023年)", 4, 3, KCW, "科技创新委员会", 2, 0.5, 0.375],
        ["深圳市", "sz2", "深圳市人工智能若干措施", 1, 1, FGW, "发展和改革委员会", 1, 1.0, 1.0],
        ["长沙市", "cs1", "长沙市人工智能产业发展行动计划", 2, 2, CS_GX, "工业和信息化局", 1, 0.5, 0.5]]),
    ("cross-region-technologies", {}, [
        [CV, "计算机视觉", 2, True, ["深圳市", "长沙市"], 4],
        ["technology:智能芯片", "智能芯片", 1, False, ["深圳市"], 1],
        ["technology:智能语音", "智能语音", 1, False, ["长沙市"], 1]]),
    ("cross-region-technologies", {"region": "长沙市"}, [
        [CV, "计算机视觉", 2, True, ["深圳市", "长沙市"], 4],
        ["technology:智能语音", "智能语音", 1, False, ["长沙市"], 1]]),
    ("cross-region-targets", {}, [
        ["产业规模", 2, True, ["深圳市", "长沙市"], 2, [2023, 2025]],
        ["新增企业", 1, False, ["深圳市"], 1, []],
        ["智能语音企业", 1, False, ["长沙市"], 1, [2023]]]),
    ("target-timeline", {}, [
        ["深圳市", 2023, "产业规模", ">", 300, "亿元", "sz1", "target:sz1@340"],
        ["深圳市", None, "新增企业", ">=", 10, "家", "sz1", "target:sz1@800"],
        ["长沙市", 2023, "智能语音企业", ">=", 20, "家", "cs1", "target:cs1@210"],
        ["长沙市", 2025, "产业规模", "range", [100, 150], "亿元", "cs1", "target:cs1@150"]]),
    ("target-timeline", {"metric": "规模", "year_from": 2024}, [
        ["长沙市", 2025, "产业规模", "range", [100, 150], "亿元", "cs1", "target:cs1@150"]]),
    ("target-timeline", {"region": "深圳市", "year_to": 2030}, [
        ["深圳市", 2023, "产业规模", ">", 300, "亿元", "sz1", "target:sz1@340"]]),
    ("parks-by-region", {}, [
        ["region:广东省/深圳市", "深圳市", "park:罗湖人工智能产业基地", "罗湖人工智能产业基地", [], 0],
        ["region:广东省/深圳市/南山区", "南山区", "park:深圳湾片区", "深圳湾片区", ["智能芯片", "计算机视觉"], 2],
        ["region:湖南省/长沙市", "长沙市", "park:岳麓山大学科技城", "岳麓山大学科技城", ["智能语音"], 0]]),
    ("parks-by-region", {"region": "南山区"}, [
        ["region:广东省/深圳市/南山区", "南山区", "park:深圳湾片区", "深圳湾片区", ["智能芯片", "计算机视觉"], 2]]),
    ("parks-by-region", {"region": "广东省"}, [
        ["region:广东省/深圳市", "深圳市", "park:罗湖人工智能产业基地", "罗湖人工智能产业基地", [], 0],
        ["region:广东省/深圳市/南山区", "南山区", "park:深圳湾片区", "深圳湾片区", ["智能芯片", "计算机视觉"], 2]]),
    # Across regions only through 鹏城实验室, which tasks of both plans involve.
    ("actor-path", {"source": KCW, "target": CS_KJ}, [
        [4, [KCW, "task:sz1#二/二/1", "organization:鹏城实验室", "task:cs1#一/一", CS_KJ],
         ["科技创新委员会", "建设视觉平台", "鹏城实验室", "发展计算机视觉", "科学技术局"],
         ["SUPPORTS>", "INVOLVES>", "<INVOLVES", "<LEADS"]]]),
    ("actor-path", {"source": GXJ, "target": KCW}, [
        [2, [GXJ, "task:sz1#二/一", KCW], ["工业和信息化局", "强化基础研究", "科技创新委员会"], ["SUPPORTS>", "<LEADS"]],
        [2, [GXJ, "task:sz1#二/二/1", KCW], ["工业和信息化局", "建设视觉平台", "科技创新委员会"], ["LEADS>", "<SUPPORTS"]]]),
    ("actor-path", {"source": GXJ, "target": KCW, "limit": 1}, [
        [2, [GXJ, "task:sz1#二/一", KCW], ["工业和信息化局", "强化基础研究", "科技创新委员会"], ["SUPPORTS>", "<LEADS"]]]),
    # organisation to agency: 鹏城实验室 is involved in 二/二/1, which 工信局 leads
    ("actor-path", {"source": "organization:鹏城实验室", "target": GXJ}, [
        [2, ["organization:鹏城实验室", "task:sz1#二/二/1", GXJ], ["鹏城实验室", "建设视觉平台", "工业和信息化局"],
         ["<INVOLVES", "<LEADS"]]]),
    ("actor-path", {"source": KCW, "target": "agency:长沙市|不存在"}, []),
    ("agency-ego", {"agency": KCW}, [
        ["co-assigned", GXJ, "工业和信息化局", "深圳市", 2, 1, 1],
        ["co-assigned", GAJ, "公安局", "深圳市", 1, 1, 0],
        ["co-assigned", JJ, "公安局交通警察支队", "深圳市", 1, 1, 0],
        ["co-assigned", FGW, "发展和改革委员会", "深圳市", 1, 1, 1],
        ["co-issuer", ZF, "人民政府", "深圳市", 1, 0, 0]]),
    ("agency-ego", {"agency": GAJ, "min_shared": 1}, [
        ["co-assigned", JJ, "公安局交通警察支队", "深圳市", 1, 0, 0],
        ["co-assigned", FGW, "发展和改革委员会", "深圳市", 1, 0, 1],
        ["co-assigned", KCW, "科技创新委员会", "深圳市", 1, 0, 1],
        ["has-part", JJ, "公安局交通警察支队", "深圳市", 0, 0, 0]]),
    ("agency-ego", {"agency": JJ, "min_shared": 2}, [["part-of", GAJ, "公安局", "深圳市", 0, 0, 0]]),
    ("agency-ego", {"agency": "agency:深圳市|不存在"}, []),
    ("agency-tasks", {"agency": KCW}, [
        ["LEADS", "sz1", "task:sz1#二/一", "二/一", "强化基础研究", True],
        ["LEADS", "sz1", "task:sz1#二/四", "二/四", "智慧交通应用", True],
        ["SUPPORTS", "sz1", "task:sz1#二/二/1", "二/二/1", "建设视觉平台", None]]),
    ("agency-tasks", {"agency": GXJ, "role": "SUPPORTS"}, [
        ["SUPPORTS", "sz1", "task:sz1#二/一", "二/一", "强化基础研究", None]]),
    ("documents-citing-policy", {}, [
        ["policy:国发〔2017〕35号", "国发〔2017〕35号", 2, ["cs1", "sz2"], ["深圳市", "长沙市"]]]),
    ("documents-citing-policy", {"policy": "policy:粤府〔2018〕64号"}, [
        ["policy:粤府〔2018〕64号", "粤府〔2018〕64号", 1, ["sz1"], ["深圳市"]]]),
    ("plans", {}, [
        ["深圳市", "sz1", "深圳市人工智能行动计划(2019-2023年)", [2019, 2023], 11, 3, 3, 5],
        ["深圳市", "sz2", "深圳市人工智能若干措施", None, 2, 1, 1, 1],
        ["长沙市", "cs1", "长沙市人工智能产业发展行动计划", None, 3, 2, 2, 2]]),
    # 科创委 is the only link between 工信局 and the 二/四 group: it lies on 3 of the 15 shortest
    # paths between the other 6 agencies (normalised betweenness 0.2).
    ("broker-agencies", {"limit": 3}, [
        [KCW, "科技创新委员会", "深圳市", 0.2, 4, 5],
        [GAJ, "公安局", "深圳市", 0.0, 3, 3],
        [JJ, "公安局交通警察支队", "深圳市", 0.0, 3, 3]]),
    ("broker-agencies", {"region": "长沙市"}, [
        [CS_GX, "工业和信息化局", "长沙市", 0.0, 1, 1],
        [CS_KJ, "科学技术局", "长沙市", 0.0, 1, 1]]),
    # The partition with the highest modularity among all 877 partitions (checked by brute force in
    # test_communities_are_the_modularity_optimum).
    ("agency-communities", {}, [
        [1, 3, 3, GAJ, "公安局", "深圳市", 2],
        [1, 3, 3, JJ, "公安局交通警察支队", "深圳市", 2],
        [1, 3, 3, FGW, "发展和改革委员会", "深圳市", 2],
        [2, 2, 2, GXJ, "工业和信息化局", "深圳市", 2],
        [2, 2, 2, KCW, "科技创新委员会", "深圳市", 2],
        [3, 2, 1, CS_GX, "工业和信息化局", "长沙市", 1],
        [3, 2, 1, CS_KJ, "科学技术局", "长沙市", 1]]),
    ("portfolio-overlap", {"agency_a": KCW, "agency_b": GXJ}, [
        [KCW, GXJ, 3, 2, 2, 3, 0.666667, ["task:sz1#二/一", "task:sz1#二/二/1"]]]),
    ("portfolio-overlap", {"agency_a": KCW, "agency_b": GXJ, "role": "LEADS"}, [
        [KCW, GXJ, 2, 1, 0, 3, 0.0, []]]),
]

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


# ---------------------------------------------------------------- the sample corpus
# 中山市 plan: every unit list closing a numbered item, counted by a regex over the text (first unit
# leads, the others support; 卫计局 is 卫生健康局 renamed; 通建办 and 市通建办 are one office).
ZS_WORKLOAD = [
    ["中山市", "agency:中山市|工业和信息化局", "工业和信息化局", 11, 9, 20],
    ["中山市", "agency:中山市|科学技术局", "科学技术局", 6, 6, 12],
    ["中山市", "agency:中山市|发展和改革局", "发展和改革局", 0, 5, 5],
    ["中山市", "agency:中山市|商务局", "商务局", 2, 2, 4],
    ["中山市", "agency:中山市|教育和体育局", "教育和体育局", 1, 3, 4],
    ["中山市", "agency:中山市|公安局", "公安局", 2, 1, 3],
    ["中山市", "agency:中山市|政务服务数据管理局", "政务服务数据管理局", 1, 2, 3],
    ["中山市", "agency:中山市|人力资源和社会保障局", "人力资源和社会保障局", 1, 1, 2],
    ["中山市", "agency:中山市|卫生健康局", "卫生健康局", 1, 1, 2],
    ["中山市", "agency:中山市|交通运输局", "交通运输局", 0, 2, 2],
    ["中山市", "agency:中山市|通信基础设施建设办公室", "通信基础设施建设办公室", 0, 2, 2],
    ["中山市", "agency:中山市|住房和城乡建设局", "住房和城乡建设局", 0, 1, 1],
    ["中山市", "agency:中山市|市场监督管理局", "市场监督管理局", 0, 1, 1],
    ["中山市", "agency:中山市|财政局", "财政局", 0, 1, 1],
    ["中山市", "agency:中山市|金融工作局", "金融工作局", 0, 1, 1],
]
CS_POLICE = "agency:长沙市|公安局"
CS_JJ = "agency:长沙市|公安局交通警察支队"

SAMPLE_CASES = [
    ("agency-workload", {"region": "中山市"}, ZS_WORKLOAD),
    ("agency-workload", {"doc": ZS}, ZS_WORKLOAD),
    # 工信局 and 科技局 share 10 clauses of the 中山 plan; 工信局 is named first in 4, 科技局 in 5.
    ("co-assignment", {"doc": ZS, "limit": 3}, [
        ["agency:中山市|工业和信息化局", "工业和信息化局", "agency:中山市|科学技术局", "科学技术局", 10, 4, 5],
        ["agency:中山市|发展和改革局", "发展和改革局", "agency:中山市|工业和信息化局", "工业和信息化局", 5, 0, 2],
        ["agency:中山市|发展和改革局", "发展和改革局", "agency:中山市|科学技术局", "科学技术局", 5, 0, 2]]),
    # Leads of the 中山 plan: 11, 6, 2, 2, 1, 1, 1, 1 = 25 -> HHI 169/625; 深圳: 4, 4, 4, 2, 1, 1 = 16 ->
    # HHI 54/256, the three-way tie for the top going to the smallest id (发 < 工 < 科).
    ("lead-concentration", {"doc": ZS}, [
        ["中山市", ZS, "中山市加快新一代人工智能发展行动计划(2019-2021年)(征求意见稿)", 25, 8,
         "agency:中山市|工业和信息化局", "工业和信息化局", 11, 0.44, 0.2704]]),
    ("lead-concentration", {"region": "深圳市"}, [
        ["深圳市", SZ, "深圳市新一代人工智能发展行动计划(2019-2023年)", 16, 6,
         "agency:深圳市|发展和改革委员会", "发展和改革委员会", 4, 0.25, 54 / 256]]),
    # Every numbered item of the sample plans' task sections has a clause of its own or above/below it.
    ("orphan-tasks", {}, []),
    # 三/二/7/1 and /2 of the 长沙 plan: 湘江新区管委会 leads, eight units support.
    ("over-assigned-tasks", {"min_units": 9}, [
        [CSD, f"task:{CSD}#三/二/7/1", "三/二/7/1", "加快车联网先导区基础设施建设", 1, 8, ["湘江新区管委会"]],
        [CSD, f"task:{CSD}#三/二/7/2", "三/二/7/2", "推进车联网多场景规模化应用测试", 1, 8, ["湘江新区管委会"]]]),
    ("over-assigned-tasks", {}, []),  # no clause of the samples names two lead units
    # 交警支队 and 科技局 support the same two 车联网 items (lines 24-25 of the 长沙 plan).
    ("actor-path", {"source": CS_JJ, "target": CS_KJ}, [
        [2, [CS_JJ, f"task:{CSD}#三/二/7/1", CS_KJ], ["公安局交通警察支队", "加快车联网先导区基础设施建设", "科学技术局"],
         ["SUPPORTS>", "<SUPPORTS"]],
        [2, [CS_JJ, f"task:{CSD}#三/二/7/2", CS_KJ], ["公安局交通警察支队", "推进车联网多场景规模化应用测试", "科学技术局"],
         ["SUPPORTS>", "<SUPPORTS"]]]),
    # 长沙 公安局 supports 三/三/11/1-3 (led by 科技局) and 14. (led by 知识产权局).
    ("agency-ego", {"agency": CS_POLICE}, [
        ["co-assigned", "agency:长沙市|各区县市人民政府", "各区县市人民政府", "长沙市", 4, 0, 0],
        ["co-assigned", "agency:长沙市|园区管委会", "园区管委会", "长沙市", 4, 0, 0],
        ["co-assigned", "agency:长沙市|工业和信息化局", "工业和信息化局", "长沙市", 4, 0, 0],
        ["co-assigned", CS_KJ, "科学技术局", "长沙市", 4, 0, 3],
        ["co-assigned", "agency:长沙市|市场监督管理局", "市场监督管理局", "长沙市", 3, 0, 0],
        ["co-assigned", "agency:长沙市|数据资源管理局", "数据资源管理局", "长沙市", 3, 0, 0],
        ["co-assigned", "agency:长沙市|司法局", "司法局", "长沙市", 1, 0, 0],
        ["co-assigned", "agency:长沙市|知识产权局", "知识产权局", "长沙市", 1, 0, 1],
        ["has-part", CS_JJ, "公安局交通警察支队", "长沙市", 0, 0, 0]]),
    ("agency-tasks", {"agency": "agency:中山市|商务局"}, [
        ["LEADS", ZS, f"task:{ZS}#二/一/2", "二/一/2", "引进具有创新活力的龙头企业", False],
        ["LEADS", ZS, f"task:{ZS}#二/三/12", "二/三/12", "加快发展智能物流", False],
        ["SUPPORTS", ZS, f"task:{ZS}#二/一/4", "二/一/4", "加强与先进国家和地区的合作发展", None],
        ["SUPPORTS", ZS, f"task:{ZS}#二/二/5", "二/二/5", "培育人工智能应用服务企业", None]]),
    # the 10 clauses that name both (see co-assignment above)
    ("portfolio-overlap", {"agency_a": "agency:中山市|科学技术局", "agency_b": "agency:中山市|工业和信息化局"}, [
        ["agency:中山市|科学技术局", "agency:中山市|工业和信息化局", 12, 20, 10, 22, 0.454545,
         [f"task:{ZS}#{n}" for n in ("三/一", "三/二", "二/一/1", "二/一/2", "二/一/3", "二/一/4", "二/三/10", "二/三/9",
                                     "二/二/6", "二/四/16")]]]),
]


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
    assert rows(sample, name, **params) == canonical(func(sample_build[1], **params))


def test_every_named_query_has_exact_answers_on_both_graphs():
    catalog = set(load_catalog())
    small = {c[0] for c in SMALL_CASES} | {"task-detail"}
    sample = {c[0] for c in SAMPLE_CASES} | {"plans", "task-detail", "broker-agencies", "agency-communities",
                                             "overlapping-mandates", "cross-region-technologies",
                                             "cross-region-targets", "target-timeline", "parks-by-region",
                                             "documents-citing-policy"}
    assert small == catalog
    assert sample == catalog
