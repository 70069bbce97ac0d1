"""Small graph.json contracts for the loader's tests, built from per-document fragments so that the
expected database after a replace or a delete is simply the graph of the remaining fragments.

`graph(BACKGROUND, doc_a(), doc_b())` is two plans of one city sharing an agency, a policy and the
region; `doc_b_v2()` is plan B revised (one task renamed, one added, a different lead, the
technology dropped). Names carry quotes, braces, `//`, backslashes, `$` and newlines.
"""
from __future__ import annotations

import copy

A, B = "docA_甲市2023", "docB_甲市2024"
CITY = "region:甲省/甲市"
PROVINCE = "region:甲省"
AGENCY = "agency:甲市|科学技术局"
AGENCY_A_ONLY = "agency:甲市|财政局"
AGENCY_NEW = "agency:甲市|工业和信息化局"
POLICY = "policy:国发〔2017〕35号"
TECH = "technology:人工智能"
ODD_NAME = 'O\'Brien "实验室" {lab: 1} // 注释 \\ $rows `x` }) DETACH DELETE n //'
ODD_ID = "organization:" + ODD_NAME


def ev(doc: str, start: int, text: str) -> dict:
    return {"doc": doc, "start": start, "end": start + len(text), "text": text}


def node(nid, label, name, props=None, evidence=()):
    return {"id": nid, "label": label, "name": name, "props": props or {}, "evidence": list(evidence)}


def edge(source, typ, target, props=None, evidence=()):
    return {"source": source, "target": target, "type": typ, "props": props or {}, "evidence": list(evidence)}


def fragment(documents=(), nodes=(), edges=()):
    return {"documents": list(documents), "nodes": list(nodes), "edges": list(edges)}


BACKGROUND = fragment(
    nodes=[node(PROVINCE, "Region", "甲省", {"code": "990000", "level": "province"}),
           node(CITY, "Region", "甲市", {"code": "990100", "level": "city"})],
    edges=[edge(CITY, "PART_OF", PROVINCE, {"source": "division"})])

_AGENCY_PROPS = {"region": "甲市", "aliases": ["市科技局"], "kind": "government"}


def doc_a() -> dict:
    d = A
    title = "甲市人工智能行动计划(2023-2025年)"
    t1, t11 = f"task:{d}#一", f"task:{d}#一/1"
    target, park, funding = f"target:{d}@300", "park:甲市人工智能产业园", f"funding:{d}@400"
    return fragment(
        documents=[{"id": d, "file": f"{d}.txt", "title": title, "region": "甲市", "sha256": "a" * 64,
                    "period": [2023, 2025], "chars": 5000, "encoding": "utf-8", "format": "text"}],
        nodes=[
            node(f"document:{d}", "Document", title, {"doc": d, "file": f"{d}.txt", "title": title, "region": "甲市",
                                                      "period": [2023, 2025]}, [ev(d, 0, title)]),
            node(t1, "Task", "夯实基础", {"number": "一", "title": "夯实基础", "doc": d, "level": 0, "kind": "cn",
                                      "assigned": False}, [ev(d, 100, "一、夯实基础")]),
            node(t11, "Task", "建设算力中心", {"number": "一/1", "title": "建设算力中心", "doc": d, "level": 1,
                                          "kind": "num", "assigned": True,
                                          "note": 'a "quoted" {brace} // not a comment\nsecond line'},
                 [ev(d, 120, "1.建设算力中心"), ev(d, 121, "")]),
            node(AGENCY, "Agency", "科学技术局", _AGENCY_PROPS, [ev(d, 140, "市科技局")]),
            node(AGENCY_A_ONLY, "Agency", "财政局", {"region": "甲市", "aliases": [], "kind": "government"},
                 [ev(d, 146, "市财政局")]),
            node(target, "Target", "算力规模", {"year": 2025, "value": [3, 5], "unit": "EFLOPS", "op": "range",
                                            "metric": "算力规模", "doc": d}, [ev(d, 300, "到2025年算力规模达到3-5EFLOPS")]),
            node(park, "Park", "甲市人工智能产业园", {"region": "甲市"}, [ev(d, 200, "甲市人工智能产业园")]),
            node(funding, "Funding", "最高1000万元", {"doc": d, "cap": 1000.5, "share": None,
                                                  "rule": {"max": 10000000, "unit": "元", "parts": [1, "a"]}},
                 [ev(d, 400, "最高1000万元")]),
            node(POLICY, "Policy", "国发〔2017〕35号", {}, [ev(d, 30, "国发〔2017〕35号")]),
            node(ODD_ID, "Organization", ODD_NAME, {"quote": ODD_NAME, "tags": ["a;b", "c,d", "{e}"]},
                 [ev(d, 500, ODD_NAME)]),
        ],
        edges=[
            edge(f"document:{d}", "CONTAINS", t1, evidence=[ev(d, 100, "一、夯实基础")]),
            edge(f"document:{d}", "CONTAINS", t11, evidence=[ev(d, 120, "1.建设算力中心")]),
            edge(t11, "SUBTASK_OF", t1, evidence=[ev(d, 120, "1.建设算力中心")]),
            edge(AGENCY, "LEADS", t11, {"explicit": True}, [ev(d, 140, "市科技局")]),
            edge(AGENCY_A_ONLY, "SUPPORTS", t11, evidence=[ev(d, 146, "市财政局")]),
            edge(AGENCY, "BELONGS_TO", CITY, evidence=[ev(d, 140, "市科技局")]),
            edge(AGENCY_A_ONLY, "BELONGS_TO", CITY, evidence=[ev(d, 146, "市财政局")]),
            edge(t11, "SETS", target, evidence=[ev(d, 300, "到2025年算力规模达到3-5EFLOPS")]),
            edge(t11, "INVOLVES", park, evidence=[ev(d, 200, "甲市人工智能产业园")]),
            edge(park, "LOCATED_IN", CITY, evidence=[ev(d, 200, "甲市人工智能产业园")]),
            edge(funding, "FUNDS", t11, evidence=[ev(d, 400, "最高1000万元")]),
            edge(f"document:{d}", "CITES", POLICY, evidence=[ev(d, 30, "国发〔2017〕35号")]),
            edge(f"document:{d}", "COVERS", CITY, {"issuing": True}, [ev(d, 0, "甲市")]),
            edge(t11, "INVOLVES", ODD_ID, {"role": ODD_NAME}, [ev(d, 500, ODD_NAME)]),
        ])


def doc_b() -> dict:
    d = B
    title = "甲市人工智能应用场景方案"
    t1 = f"task:{d}#一"
    return fragment(
        documents=[{"id": d, "file": f"{d}.html", "title": title, "region": "甲市", "sha256": "b" * 64,
                    "period": None, "chars": 3000, "encoding": "gb18030", "format": "html"}],
        nodes=[
            node(f"document:{d}", "Document", title, {"doc": d, "file": f"{d}.html", "title": title, "region": "甲市",
                                                      "period": None}, [ev(d, 0, title)]),
            node(t1, "Task", "开放应用场景", {"number": "一", "title": "开放应用场景", "doc": d, "level": 0, "kind": "cn",
                                         "assigned": True}, [ev(d, 50, "一、开放应用场景")]),
            node(AGENCY, "Agency", "科学技术局", _AGENCY_PROPS, [ev(d, 70, "市科技局")]),
            node(TECH, "Technology", "人工智能", {}, [ev(d, 60, "人工智能")]),
            node(POLICY, "Policy", "国发〔2017〕35号", {}, [ev(d, 10, "国发〔2017〕35号")]),
        ],
        edges=[
            edge(f"document:{d}", "CONTAINS", t1, evidence=[ev(d, 50, "一、开放应用场景")]),
            edge(AGENCY, "LEADS", t1, {"explicit": False}, [ev(d, 70, "市科技局")]),
            edge(AGENCY, "BELONGS_TO", CITY, evidence=[ev(d, 70, "市科技局")]),
            edge(t1, "ADDRESSES", TECH, evidence=[ev(d, 60, "人工智能")]),
            edge(f"document:{d}", "CITES", POLICY, evidence=[ev(d, 10, "国发〔2017〕35号")]),
            edge(f"document:{d}", "COVERS", CITY, {"issuing": True}, [ev(d, 0, "甲市")]),
        ])


def doc_b_v2() -> dict:
    """Plan B revised: task 一 renamed, task 二 added and led by a new agency, the technology and
    task 一's lead by 科技局 dropped (科技局 stays: plan A still names it)."""
    d = B
    frag = copy.deepcopy(doc_b())
    frag["documents"][0]["sha256"] = "c" * 64
    t1, t2 = f"task:{d}#一", f"task:{d}#二"
    nodes = [n for n in frag["nodes"] if n["id"] not in (TECH, AGENCY)]
    for n in nodes:
        if n["id"] == t1:
            n["name"] = n["props"]["title"] = "全面开放应用场景"
    nodes += [node(t2, "Task", "培育企业", {"number": "二", "title": "培育企业", "doc": d, "level": 0, "kind": "cn",
                                          "assigned": True}, [ev(d, 90, "二、培育企业")]),
              node(AGENCY_NEW, "Agency", "工业和信息化局", {"region": "甲市", "aliases": ["市工信局"], "kind": "government"},
                   [ev(d, 95, "市工信局")])]
    edges = [e for e in frag["edges"] if e["type"] not in ("ADDRESSES", "LEADS", "BELONGS_TO")]
    edges += [edge(f"document:{d}", "CONTAINS", t2, evidence=[ev(d, 90, "二、培育企业")]),
              edge(AGENCY_NEW, "LEADS", t2, {"explicit": True}, [ev(d, 95, "市工信局")]),
              edge(AGENCY_NEW, "SUPPORTS", t1, evidence=[ev(d, 96, "市工信局")]),
              edge(AGENCY_NEW, "BELONGS_TO", CITY, evidence=[ev(d, 95, "市工信局")])]
    return fragment(frag["documents"], nodes, edges)


def graph(*fragments) -> dict:
    """Merge fragments as the assembler does: one node per id and one edge per (source, type,
    target), evidence concatenated, props of the first fragment (shared facts agree on them)."""
    nodes: dict[str, dict] = {}
    edges: dict[tuple, dict] = {}
    documents = []
    for frag in fragments:
        documents += copy.deepcopy(frag["documents"])
        for n in frag["nodes"]:
            if n["id"] in nodes:
                nodes[n["id"]]["evidence"] += copy.deepcopy(n["evidence"])
            else:
                nodes[n["id"]] = copy.deepcopy(n)
        for e in frag["edges"]:
            key = (e["source"], e["type"], e["target"])
            if key in edges:
                edges[key]["evidence"] += copy.deepcopy(e["evidence"])
            else:
                edges[key] = copy.deepcopy(e)
    return {"schema_version": 1, "documents": documents, "nodes": list(nodes.values()), "edges": list(edges.values())}
