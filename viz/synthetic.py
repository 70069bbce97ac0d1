"""Synthetic graphs in the graph.json contract, for benchmarks and tests of large views: the same
shape as a real build (documents containing task trees, agencies of a region leading and supporting
tasks), any size, the same bytes for the same arguments."""
from __future__ import annotations

import random

_BUREAUS = ["科技局", "工业和信息化局", "发展和改革局", "财政局", "教育局", "人力资源和社会保障局", "商务局",
            "市场监督管理局", "自然资源局", "交通运输局", "卫生健康局", "公安局", "政务服务数据管理局", "金融工作局",
            "住房和城乡建设局", "生态环境局", "农业农村局", "文化广电旅游体育局", "统计局", "税务局"]
_SHORT = {"科技局": "市科技局", "工业和信息化局": "市工信局", "发展和改革局": "市发改局", "人力资源和社会保障局": "市人社局",
          "市场监督管理局": "市场监管局", "政务服务数据管理局": "市政数局", "住房和城乡建设局": "市住建局"}
_TOPICS = ["人工智能芯片", "智能制造", "智慧医疗", "自动驾驶", "算力基础设施", "数据开放", "人才引进", "产业园区",
           "智能家居", "机器人", "智慧城市", "开源平台", "核心算法", "应用示范", "金融支持", "标准体系"]
_CITIES = ["深圳市", "长沙市", "中山市", "广州市", "杭州市", "成都市", "武汉市", "苏州市"]
_PROVINCE = {"深圳市": "广东省", "中山市": "广东省", "广州市": "广东省", "长沙市": "湖南省", "杭州市": "浙江省",
             "成都市": "四川省", "武汉市": "湖北省", "苏州市": "江苏省"}


def synthetic_graph(n_nodes: int, seed: int = 7) -> dict:
    """A contract graph with exactly `n_nodes` nodes (at least 40)."""
    if n_nodes < 40:
        raise ValueError("a synthetic graph has at least 40 nodes")
    rnd = random.Random(seed)
    cities = _CITIES[: max(2, min(len(_CITIES), n_nodes // 400))]
    provinces = sorted({_PROVINCE[c] for c in cities})
    n_docs = max(2, n_nodes // 150)
    n_agencies = min(len(cities) * len(_BUREAUS), max(10, n_nodes // 12))
    nodes, edges, documents = [], [], []
    texts: dict[str, list[str]] = {}

    def evidence(doc: str, text: str) -> list[dict]:
        body = texts.setdefault(doc, [])
        start = sum(len(t) for t in body)
        body.append(text)
        return [{"doc": doc, "start": start, "end": start + len(text), "text": text}]

    for p in provinces:
        nodes.append({"id": f"region:{p}", "label": "Region", "name": p, "props": {"level": "province"}, "evidence": []})
    for c in cities:
        nodes.append({"id": f"region:{_PROVINCE[c]}/{c}", "label": "Region", "name": c, "props": {"level": "city"}, "evidence": []})
        edges.append({"source": f"region:{_PROVINCE[c]}/{c}", "target": f"region:{_PROVINCE[c]}", "type": "PART_OF",
                      "props": {}, "evidence": []})
    doc_city = {}
    for i in range(n_docs):
        city = cities[i % len(cities)]
        did = f"{i:03d}_synthetic"
        title = f"{city}人工智能产业发展行动计划(第{i + 1}号)"
        doc_city[did] = city
        documents.append({"id": did, "file": f"{did}.txt", "title": title, "region": city, "sha256": f"{i:064x}"})
        nodes.append({"id": f"document:{did}", "label": "Document", "name": title,
                      "props": {"doc": did, "region": city, "title": title}, "evidence": evidence(did, title)})
        edges.append({"source": f"document:{did}", "target": f"region:{_PROVINCE[city]}/{city}", "type": "COVERS",
                      "props": {}, "evidence": evidence(did, city)})
    agencies_of: dict[str, list[str]] = {c: [] for c in cities}
    alias_of: dict[str, str] = {}
    for k in range(n_agencies):
        city = cities[k % len(cities)]
        bureau = _BUREAUS[(k // len(cities)) % len(_BUREAUS)]
        aid = f"agency:{city}|{bureau}"
        alias = _SHORT.get(bureau, "市" + bureau)
        doc = next(d for d, c in doc_city.items() if c == city)
        nodes.append({"id": aid, "label": "Agency", "name": bureau,
                      "props": {"region": city, "aliases": [alias], "kind": "government"},
                      "evidence": evidence(doc, alias)})
        edges.append({"source": aid, "target": f"region:{_PROVINCE[city]}/{city}", "type": "BELONGS_TO",
                      "props": {}, "evidence": evidence(doc, alias)})
        agencies_of[city].append(aid)
        alias_of[aid] = alias
    n_tasks = n_nodes - len(nodes)
    docs = [d["id"] for d in documents]
    tasks_of: dict[str, list[str]] = {d: [] for d in docs}
    for t in range(n_tasks):
        did = docs[t % len(docs)]
        siblings = tasks_of[did]
        parent = siblings[rnd.randrange(len(siblings))] if siblings and rnd.random() < 0.7 else None
        number = f"{len(siblings) + 1}" if parent is None else f"{parent.split('#', 1)[1]}/{len(siblings) + 1}"
        topic = _TOPICS[rnd.randrange(len(_TOPICS))]
        title = f"推进{topic}建设"
        tid = f"task:{did}#{number}"
        nodes.append({"id": tid, "label": "Task", "name": title,
                      "props": {"doc": did, "number": number, "title": title},
                      "evidence": evidence(did, f"{number}.{title}。")})
        siblings.append(tid)
        edges.append({"source": f"document:{did}", "target": tid, "type": "CONTAINS", "props": {},
                      "evidence": evidence(did, title)})
        if parent:
            edges.append({"source": tid, "target": parent, "type": "SUBTASK_OF", "props": {}, "evidence": []})
        pool = agencies_of[doc_city[did]]
        if pool and rnd.random() < 0.6:
            chosen = rnd.sample(pool, min(len(pool), 1 + rnd.randrange(3)))
            clause = "(" + "、".join(alias_of[a] for a in chosen) + ")"
            ev = evidence(did, clause)
            for j, a in enumerate(chosen):
                edges.append({"source": a, "target": tid, "type": "LEADS" if j == 0 else "SUPPORTS",
                              "props": {"explicit": False} if j == 0 else {}, "evidence": ev})
    return {"schema_version": 1, "documents": documents, "nodes": nodes, "edges": edges}


HOSTILE_NAME = "<script>alert(1)</script>\"'</div>"
HOSTILE_ALIAS = "<img src=x onerror=alert(2)>"
HOSTILE_TITLE = "</title><script>alert(3)</script>恶意文件\"'"


def small_graph() -> dict:
    """A hand-made contract graph for tests: two cities' plans, Chinese names and aliases (one alias,
    市工信局, shared by two regions' agencies), and an agency, alias and document title that try to
    inject markup into a page."""
    texts = {
        "d1": "深圳市人工智能行动计划\n一、核心技术\n1.建设人工智能芯片平台。(市科技创新委牵头,市工信局、市发展改革委配合)\n"
              "2.推进深圳湾科技生态园建设。(市工信局牵头,市科技创新委配合)\n二、应用\n1.开展示范应用。(" + HOSTILE_NAME + "、市工信局)\n",
        "d2": "中山市人工智能计划\n一、任务\n1.发展智能制造。(市工信局)\n",
        "d3": HOSTILE_TITLE + "\n本文件只有标题。\n",
    }

    def ev(doc: str, text: str, nth: int = 0) -> dict:
        start = -1
        for _ in range(nth + 1):
            start = texts[doc].index(text, start + 1)
        return {"doc": doc, "start": start, "end": start + len(text), "text": text}

    documents = [
        {"id": "d1", "file": "d1.txt", "title": "深圳市人工智能行动计划", "region": "深圳市", "sha256": "0" * 64},
        {"id": "d2", "file": "d2.txt", "title": "中山市人工智能计划", "region": "中山市", "sha256": "1" * 64},
        {"id": "d3", "file": "d3.txt", "title": HOSTILE_TITLE, "region": "深圳市", "sha256": "2" * 64},
    ]
    sz, zs, gd = "region:广东省/深圳市", "region:广东省/中山市", "region:广东省"
    kc, gx, fg = "agency:深圳市|科技创新委员会", "agency:深圳市|工业和信息化局", "agency:深圳市|发展和改革委员会"
    bad, zgx = f"agency:深圳市|{HOSTILE_NAME}", "agency:中山市|工业和信息化局"
    t11, t12, t21, z11 = "task:d1#一/1", "task:d1#一/2", "task:d1#二/1", "task:d2#一/1"
    park, chip = "park:深圳湾科技生态园", "technology:人工智能芯片"
    clause1 = ev("d1", "(市科技创新委牵头,市工信局、市发展改革委配合)")
    clause2 = ev("d1", "(市工信局牵头,市科技创新委配合)")
    clause3 = ev("d1", "(" + HOSTILE_NAME + "、市工信局)")
    clause4 = ev("d2", "(市工信局)")

    def agency(nid, region, name, aliases, evidence):
        return {"id": nid, "label": "Agency", "name": name,
                "props": {"region": region, "aliases": aliases, "kind": "government"}, "evidence": evidence}

    def task(nid, doc, number, title):
        return {"id": nid, "label": "Task", "name": title, "props": {"doc": doc, "number": number, "title": title},
                "evidence": [ev(doc, title)]}

    nodes = [
        {"id": "document:d1", "label": "Document", "name": documents[0]["title"], "props": {"doc": "d1", "region": "深圳市"},
         "evidence": [ev("d1", documents[0]["title"])]},
        {"id": "document:d2", "label": "Document", "name": documents[1]["title"], "props": {"doc": "d2", "region": "中山市"},
         "evidence": [ev("d2", documents[1]["title"])]},
        {"id": "document:d3", "label": "Document", "name": HOSTILE_TITLE, "props": {"doc": "d3", "region": "深圳市"},
         "evidence": [ev("d3", HOSTILE_TITLE)]},
        {"id": gd, "label": "Region", "name": "广东省", "props": {"level": "province"}, "evidence": []},
        {"id": sz, "label": "Region", "name": "深圳市", "props": {"level": "city"}, "evidence": []},
        {"id": zs, "label": "Region", "name": "中山市", "props": {"level": "city"}, "evidence": []},
        agency(kc, "深圳市", "科技创新委员会", ["市科技创新委"], [ev("d1", "市科技创新委"), ev("d1", "市科技创新委", 1)]),
        agency(gx, "深圳市", "工业和信息化局", ["市工信局"], [ev("d1", "市工信局"), ev("d1", "市工信局", 1), ev("d1", "市工信局", 2)]),
        agency(fg, "深圳市", "发展和改革委员会", ["市发展改革委"], [ev("d1", "市发展改革委")]),
        agency(bad, "深圳市", HOSTILE_NAME, [HOSTILE_ALIAS], [ev("d1", HOSTILE_NAME)]),
        agency(zgx, "中山市", "工业和信息化局", ["市工信局"], [ev("d2", "市工信局")]),
        task(t11, "d1", "一/1", "建设人工智能芯片平台"),
        task(t12, "d1", "一/2", "推进深圳湾科技生态园建设"),
        task(t21, "d1", "二/1", "开展示范应用"),
        task(z11, "d2", "一/1", "发展智能制造"),
        {"id": park, "label": "Park", "name": "深圳湾科技生态园", "props": {"region": "深圳市"}, "evidence": [ev("d1", "深圳湾科技生态园")]},
        {"id": chip, "label": "Technology", "name": "人工智能芯片", "props": {}, "evidence": [ev("d1", "人工智能芯片")]},
    ]

    def edge(s, t, typ, evidence, **props):
        return {"source": s, "target": t, "type": typ, "props": props, "evidence": evidence}

    edges = [
        edge(sz, gd, "PART_OF", []), edge(zs, gd, "PART_OF", []),
        edge("document:d1", sz, "COVERS", [ev("d1", "深圳市")]),
        edge("document:d2", zs, "COVERS", [ev("d2", "中山市")]),
        edge("document:d3", sz, "COVERS", [ev("d3", HOSTILE_TITLE)]),
        edge("document:d1", t11, "CONTAINS", [ev("d1", "建设人工智能芯片平台")]),
        edge("document:d1", t12, "CONTAINS", [ev("d1", "推进深圳湾科技生态园建设")]),
        edge("document:d1", t21, "CONTAINS", [ev("d1", "开展示范应用")]),
        edge("document:d2", z11, "CONTAINS", [ev("d2", "发展智能制造")]),
        edge(kc, sz, "BELONGS_TO", [ev("d1", "市科技创新委")]),
        edge(gx, sz, "BELONGS_TO", [ev("d1", "市工信局")]),
        edge(fg, sz, "BELONGS_TO", [ev("d1", "市发展改革委")]),
        edge(bad, sz, "BELONGS_TO", [ev("d1", HOSTILE_NAME)]),
        edge(zgx, zs, "BELONGS_TO", [ev("d2", "市工信局")]),
        edge(kc, t11, "LEADS", [clause1], explicit=True),
        edge(gx, t11, "SUPPORTS", [clause1]),
        edge(fg, t11, "SUPPORTS", [clause1]),
        edge(gx, t12, "LEADS", [clause2], explicit=True),
        edge(kc, t12, "SUPPORTS", [clause2]),
        edge(bad, t21, "LEADS", [clause3], explicit=False),
        edge(gx, t21, "SUPPORTS", [clause3]),
        edge(zgx, z11, "LEADS", [clause4], explicit=False),
        edge(t12, park, "INVOLVES", [ev("d1", "深圳湾科技生态园")]),
        edge(park, sz, "LOCATED_IN", [ev("d1", "深圳湾科技生态园")]),
        edge(t11, chip, "ADDRESSES", [ev("d1", "人工智能芯片")]),
    ]
    return {"schema_version": 1, "documents": documents, "nodes": nodes, "edges": edges}
