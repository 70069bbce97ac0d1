"""Synthetic graphs in the graph.json contract, for the loader's tests and the load benchmark.

`synthetic_graph(n_docs, …)` builds a corpus-shaped graph: each document is a plan with an outline
of tasks (CONTAINS, SUBTASK_OF), each task led and supported by agencies of the document's region
(LEADS, SUPPORTS); agencies BELONG_TO their region and are shared by every document of it, so
facts supported by several documents occur as in a real corpus. Deterministic for a given seed.
About 1,000 relationships per document with the defaults.
"""
from __future__ import annotations

import hashlib
import random

from policykg.graph_build.model import agency_id, document_id, region_id, task_id

_AGENCY_NAMES = ["科技创新委员会", "发展和改革委员会", "工业和信息化局", "财政局", "教育局", "人力资源和社会保障局",
                 "商务局", "市场监督管理局", "自然资源局", "住房和建设局", "交通运输局", "卫生健康委员会",
                 "公安局", "政务服务数据管理局", "金融工作局", "生态环境局", "文化广电旅游体育局", "司法局",
                 "统计局", "税务局"]
_VERBS = ["推动", "建设", "培育", "支持", "加快", "完善", "实施", "打造", "布局", "引进"]
_OBJECTS = ["人工智能开放创新平台", "智能制造示范工厂", "算力基础设施", "数据要素市场", "智能网联汽车测试区",
            "产业创新中心", "高端人才团队", "应用场景示范", "开源社区", "智能机器人产业集群"]
_NUM = "一二三四五六七八九十"


def _cn(i: int) -> str:
    return _NUM[i] if i < 10 else f"十{_NUM[i - 10]}" if i < 19 else str(i + 1)


def synthetic_graph(n_docs: int = 10, sections: int = 6, items_per_section: int = 10, sub_items: int = 3,
                    regions: int = 20, agencies_per_region: int = 20, supports_per_task: int = 2,
                    seed: int = 1, doc_prefix: str = "syn") -> dict:
    rng = random.Random(seed)
    region_names = [f"测试{i:03d}市" for i in range(regions)]
    docs, nodes, edges = [], [], []
    used_agencies: dict[str, dict] = {}
    agency_evidence: dict[str, list] = {}
    region_nodes = {r: {"id": region_id(("测试省", r)), "label": "Region", "name": r,
                        "props": {"code": f"9{i:05d}", "level": "city"}, "evidence": []}
                    for i, r in enumerate(region_names)}
    belongs: dict[str, dict] = {}
    for d in range(n_docs):
        did = f"{doc_prefix}{d:05d}"
        region = region_names[d % regions]
        title = f"{region}人工智能发展行动计划({2019 + d % 5}-{2023 + d % 5}年)第{d}号"
        text_pos = 0

        def ev(text: str) -> dict:
            nonlocal text_pos
            e = {"doc": did, "start": text_pos, "end": text_pos + len(text), "text": text}
            text_pos += len(text) + 1
            return e

        docs.append({"id": did, "file": f"{did}.txt", "title": title, "region": region,
                     "sha256": hashlib.sha256(did.encode()).hexdigest(), "chars": 0, "encoding": "utf-8",
                     "format": "text", "period": [2019 + d % 5, 2023 + d % 5]})
        doc_node = document_id(did)
        nodes.append({"id": doc_node, "label": "Document", "name": title,
                      "props": {"doc": did, "file": f"{did}.txt", "title": title, "region": region},
                      "evidence": [ev(title)]})
        edges.append({"source": doc_node, "target": region_nodes[region]["id"], "type": "COVERS",
                      "props": {"issuing": True}, "evidence": [ev(region)]})
        region_agencies = [agency_id(region, _AGENCY_NAMES[a % len(_AGENCY_NAMES)] + ("" if a < len(_AGENCY_NAMES) else str(a)))
                           for a in range(agencies_per_region)]
        for s in range(sections):
            for i in range(items_per_section):
                path = (_cn(s), str(i + 1))
                parents = [(path, None)] + [((*path, str(k + 1)), path) for k in range(sub_items)]
                for number, parent in parents:
                    tid = task_id(did, number)
                    title_t = f"{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}"
                    nodes.append({"id": tid, "label": "Task", "name": title_t,
                                  "props": {"number": "/".join(number), "title": title_t, "doc": did,
                                            "level": len(number) - 1, "kind": "num", "assigned": True},
                                  "evidence": [ev(title_t)]})
                    edges.append({"source": doc_node, "target": tid, "type": "CONTAINS", "props": {},
                                  "evidence": [ev(title_t)]})
                    if parent:
                        edges.append({"source": tid, "target": task_id(did, parent), "type": "SUBTASK_OF",
                                      "props": {}, "evidence": [ev(title_t)]})
                    units = rng.sample(region_agencies, 1 + supports_per_task)
                    for k, aid in enumerate(units):
                        short = "市" + aid.split("|", 1)[1][:4]
                        e = ev(short)
                        agency_evidence.setdefault(aid, []).append(e)
                        if aid not in used_agencies:
                            used_agencies[aid] = {"region": region, "name": aid.split("|", 1)[1]}
                        edges.append({"source": aid, "target": tid, "type": "LEADS" if k == 0 else "SUPPORTS",
                                      "props": {"explicit": False, "style": "list"} if k == 0 else {"style": "list"},
                                      "evidence": [e]})
                        if aid not in belongs or belongs[aid]["evidence"][-1]["doc"] != did:
                            b = belongs.setdefault(aid, {"source": aid, "target": region_nodes[region]["id"],
                                                         "type": "BELONGS_TO", "props": {}, "evidence": []})
                            b["evidence"].append(ev(short))
        docs[-1]["chars"] = text_pos
    for aid in sorted(used_agencies):
        a = used_agencies[aid]
        nodes.append({"id": aid, "label": "Agency", "name": a["name"],
                      "props": {"region": a["region"], "aliases": ["市" + a["name"][:4]], "kind": "government"},
                      "evidence": agency_evidence[aid][:50]})
    nodes.extend(region_nodes[r] for r in region_names)
    edges.extend(belongs[a] for a in sorted(belongs))
    return {"schema_version": 1, "documents": docs, "nodes": nodes, "edges": edges}
