"""Latency of every named query on a synthetic graph of >= 100,000 nodes and >= 1,000,000
relationships, on both engines: the embedded FalkorDB and Neo4j (NEO4J_URI/.env when set, else a
local server started for the run and stopped after it).

    .venv/bin/python tests/bench/bench_queries.py [--scale 1.0] [--runs 30] [--engines embedded,neo4j]
                                                 [--out out/bench_queries.json]

Per-entity queries (one agency, task, plan, pair of actors, policy) get different parameters on each
run, drawn with a fixed seed; graph-wide queries run with their defaults. Prints p50/p95 per query and
engine and writes them, with the graph's size and the load times, to the --out JSON file.
"""
from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from collect import write_figures  # tests/bench/ is on sys.path when a bench runs as a script

ROOT = Path(__file__).resolve().parents[2]
PER_ENTITY_TARGET_MS = 100.0

_AGENCIES = ["科技创新委员会", "发展和改革委员会", "工业和信息化局", "财政局", "教育局", "人力资源和社会保障局", "商务局",
             "市场监督管理局", "自然资源局", "住房和建设局", "交通运输局", "卫生健康委员会", "公安局", "政务服务数据管理局",
             "金融工作局", "生态环境局", "文化广电旅游体育局", "司法局", "统计局", "税务局", "知识产权局", "数据资源管理局",
             "农业农村局", "应急管理局", "水务局", "城市管理局", "国有资产监督管理委员会", "外事办公室", "投资促进局", "档案局"]
_TECH = ["计算机视觉", "语音识别", "自然语言处理", "机器学习", "知识图谱", "智能芯片", "智能传感器", "类脑智能", "自动驾驶",
         "智能机器人", "无人机", "区块链", "云计算", "边缘计算", "大数据", "物联网", "虚拟现实", "增强现实", "脑机接口", "量子计算"]
_NUM = "一二三四五六七八九十"


def synthetic_contract(scale: float = 1.0, seed: int = 7) -> dict:
    """A corpus-shaped graph.json contract with every label and relationship type the queries read."""
    rng = random.Random(seed)
    n_regions = max(2, int(40 * scale))
    n_docs = max(2, int(1000 * scale))
    nodes, edges, documents = [], [], []

    def node(nid, label, name, ev_doc, **props):
        nodes.append({"id": nid, "label": label, "name": name, "props": props,
                      "evidence": [{"doc": ev_doc, "start": 0, "end": len(name), "text": name}] if ev_doc else []})

    def edge(s, t, typ, ev_doc, text="x", **props):
        edges.append({"source": s, "target": t, "type": typ, "props": props,
                      "evidence": [{"doc": ev_doc, "start": 1, "end": 1 + len(text), "text": text}] if ev_doc else []})

    provinces = [f"测试{i}省" for i in range(max(1, n_regions // 10))]
    for p in provinces:
        node(f"region:{p}", "Region", p, None, level="province", code="0")
    regions = []
    for i in range(n_regions):
        prov = provinces[i % len(provinces)]
        name = f"测试{i:03d}市"
        rid = f"region:{prov}/{name}"
        regions.append((rid, name))
        node(rid, "Region", name, None, level="city", code=str(i))
        edge(rid, f"region:{prov}", "PART_OF", None)
    techs = [f"{t}{i}" if i else t for i in range(max(1, int(15 * scale))) for t in _TECH]
    for t in techs:
        node(f"technology:{t}", "Technology", t, None)
    policies = [f"国发〔{2000 + i // 50}〕{i % 50 + 1}号" for i in range(max(4, int(200 * scale)))]
    for p in policies:
        node(f"policy:{p}", "Policy", p, None)
    agencies_of, parks_of, orgs_of = {}, {}, {}
    for rid, rname in regions:
        agencies_of[rname] = [f"agency:{rname}|{a}" for a in _AGENCIES]
        parks_of[rname] = [f"park:{rname}{k}号产业园" for k in range(50)]
        orgs_of[rname] = [f"organization:{rname}第{k}实验室" for k in range(25)]
    seen_agency, seen_park, seen_org = set(), set(), set()
    weights = [1.0 / (k + 1) for k in range(len(_AGENCIES))]  # a few agencies carry most of the leads
    for d in range(n_docs):
        rid, rname = regions[d % n_regions]
        did = f"syn{d:05d}"
        title = f"{rname}人工智能行动计划第{d}号"
        documents.append({"id": did, "file": f"{did}.txt", "title": title, "region": rname, "sha256": "0" * 64})
        node(f"document:{did}", "Document", title, did, doc=did, file=f"{did}.txt", title=title, region=rname,
             period=[2019 + d % 5, 2023 + d % 5])
        edge(f"document:{did}", rid, "COVERS", did, issuing=True)
        for a in agencies_of[rname]:
            if a not in seen_agency:
                seen_agency.add(a)
                node(a, "Agency", a.split("|")[1], did, region=rname, aliases=[], kind="government")
                edge(a, rid, "BELONGS_TO", did)
        edge(f"document:{did}", agencies_of[rname][0], "ISSUED_BY", did)
        if d % 3 == 0:
            edge(f"document:{did}", agencies_of[rname][1], "ISSUED_BY", did)
        edge(agencies_of[rname][2], f"document:{did}", "COORDINATES", did, role="coordinator")
        for p in rng.sample(policies, 3):
            edge(f"document:{did}", f"policy:{p}", "CITES", did)
        for s in range(6):
            sec = f"task:{did}#{_NUM[s]}"
            node(sec, "Task", f"第{s}部分", did, number=_NUM[s], title=f"第{s}部分", doc=did, kind="cn", level=0,
                 assigned=False)
            edge(f"document:{did}", sec, "CONTAINS", did)
            for u in range(5):
                sub = f"{sec}/{_NUM[u]}"
                num = f"{_NUM[s]}/{_NUM[u]}"
                node(sub, "Task", f"第{s}.{u}项", did, number=num, title=f"第{s}.{u}项", doc=did, kind="paren_cn",
                     level=1, assigned=False)
                edge(f"document:{did}", sub, "CONTAINS", did)
                edge(sub, sec, "SUBTASK_OF", did)
                for x in rng.sample(techs, 2):
                    edge(sub, f"technology:{x}", "ADDRESSES", did)
                for i in range(3):
                    item = f"{sub}/{i + 1}"
                    assigned = rng.random() > 0.03  # a few orphans
                    node(item, "Task", f"任务{d}-{s}-{u}-{i}", did, number=f"{num}/{i + 1}",
                         title=f"任务{d}-{s}-{u}-{i}", doc=did, kind="num", level=2, assigned=assigned)
                    edge(f"document:{did}", item, "CONTAINS", did)
                    edge(item, sub, "SUBTASK_OF", did)
                    if assigned:
                        units = []
                        while len(units) < 7:
                            a = rng.choices(agencies_of[rname], weights)[0]
                            if a not in units:
                                units.append(a)
                        edge(units[0], item, "LEADS", did, "(责任单位)", explicit=rng.random() < 0.5)
                        if rng.random() < 0.02:
                            edge(units[6], item, "LEADS", did, "(牵头单位)", explicit=True)
                        for a in units[1:6]:
                            edge(a, item, "SUPPORTS", did, "(责任单位)")
                    for x in rng.sample(techs, 3):
                        edge(item, f"technology:{x}", "ADDRESSES", did)
                    park = rng.choice(parks_of[rname])
                    org = rng.choice(orgs_of[rname])
                    for target, seen, label, props in ((park, seen_park, "Park", {"region": rname}),
                                                       (org, seen_org, "Organization", {})):
                        if target not in seen:
                            seen.add(target)
                            node(target, label, target.split(":", 1)[1], did, **props)
                            edge(target, rid, "LOCATED_IN", did)
                            if label == "Park":
                                for x in rng.sample(techs, 3):
                                    edge(target, f"technology:{x}", "FOCUSES_ON", did)
                        edge(item, target, "INVOLVES", did)
        for k in range(10):
            tid = f"target:{did}@{k}"
            metric = f"指标{k}"
            node(tid, "Target", f"{metric}{k * 10}", did, doc=did, year=2020 + k % 6, metric=metric, value=k * 10,
                 unit="亿元", op=">=")
            edge(f"task:{did}#{_NUM[k % 6]}/{_NUM[k % 5]}/1", tid, "SETS", did)
    return {"schema_version": 1, "documents": documents, "nodes": nodes, "edges": edges}


def _params(contract: dict, runs: int, seed: int = 11) -> dict[str, list[dict]]:
    """Per-run parameters of the per-entity queries (None: a graph-wide query, defaults only)."""
    rng = random.Random(seed)
    agencies = [n["id"] for n in contract["nodes"] if n["label"] == "Agency"]
    led = sorted({e["source"] for e in contract["edges"] if e["type"] == "LEADS"})
    items = [n["id"] for n in contract["nodes"] if n["label"] == "Task" and n["props"].get("level") == 2]
    docs = [d["id"] for d in contract["documents"]]
    regions = sorted({d["region"] for d in contract["documents"]})
    policies = [n["id"] for n in contract["nodes"] if n["label"] == "Policy"]
    by_region: dict[str, list] = {}
    for a in led:
        by_region.setdefault(a.split(":", 1)[1].split("|")[0], []).append(a)

    def pair():
        group = by_region[rng.choice(sorted(by_region))]
        return rng.sample(group, 2)

    out = {}
    for i in range(runs):
        a, b = pair()
        doc, region = rng.choice(docs), rng.choice(regions)
        for name, p in {
            "agency-ego": {"agency": rng.choice(agencies)},
            "agency-tasks": {"agency": rng.choice(agencies)},
            "task-detail": {"task": rng.choice(items)},
            "actor-path": {"source": a, "target": b},
            "portfolio-overlap": {"agency_a": a, "agency_b": b},
            "documents-citing-policy": {"policy": rng.choice(policies)},
            "agency-workload": {"doc": doc},
            "co-assignment": {"doc": doc, "limit": 10},
            "lead-concentration": {"doc": doc},
            "orphan-tasks": {"doc": doc},
            "over-assigned-tasks": {"doc": doc},
            "overlapping-mandates": {"doc": doc},
            "target-timeline": {"doc": doc},
            "plans": {"region": region},
            "parks-by-region": {"region": region},
        }.items():
            out.setdefault(name, []).append(p)
    return out


GRAPH_WIDE = {  # name -> (params, runs): whole-graph questions, run a few times with their defaults
    "agency-workload": ({}, 5), "co-assignment": ({"limit": 100}, 5), "lead-concentration": ({}, 5),
    "orphan-tasks": ({}, 3), "overlapping-mandates": ({"min_agencies": 3}, 3), "cross-region-technologies": ({}, 3),
    "cross-region-targets": ({}, 3), "target-timeline": ({}, 3), "parks-by-region": ({}, 3), "plans": ({}, 3),
    "documents-citing-policy": ({}, 3), "over-assigned-tasks": ({}, 3), "broker-agencies": ({}, 2),
    "agency-communities": ({}, 2),
}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(q * (len(ordered) - 1)))))
    return ordered[k]


def measure(engine, per_entity: dict[str, list[dict]], warmup: int = 2) -> dict:
    from policykg.queries.catalog import load_catalog
    from policykg.queries.runner import run_query

    results = {}
    for name in load_catalog():
        for kind, runs in (("per-entity", per_entity.get(name)),
                           ("graph-wide", [GRAPH_WIDE[name][0]] * GRAPH_WIDE[name][1] if name in GRAPH_WIDE else None)):
            if not runs:
                continue
            for p in runs[:warmup if kind == "per-entity" else 1]:
                run_query(engine, name, p)
            times, rows = [], []
            for p in runs:
                t0 = time.perf_counter()
                r = run_query(engine, name, p)
                times.append((time.perf_counter() - t0) * 1000)
                rows.append(len(r.rows))
            key = f"{name} ({kind})"
            results[key] = {"query": name, "kind": kind, "runs": len(times),
                            "p50_ms": round(statistics.median(times), 2), "p95_ms": round(_percentile(times, 0.95), 2),
                            "max_ms": round(max(times), 2), "mean_rows": round(statistics.mean(rows), 1)}
            print(f"  {engine.name:8s} {key:45s} p50 {results[key]['p50_ms']:9.1f} ms  "
                  f"p95 {results[key]['p95_ms']:9.1f} ms  rows {results[key]['mean_rows']}", flush=True)
    return results


def _embedded(contract: dict, workdir: Path):
    from policykg.queries.embedded import EmbeddedServer
    from policykg.queries.engines import FalkorEngine

    server = EmbeddedServer(workdir).start()
    engine = FalkorEngine(server, graph_name="bench", owns_server=True)
    t0 = time.perf_counter()
    engine.load(contract, replace=True)
    return engine, time.perf_counter() - t0


def _neo4j(contract: dict, home: Path):
    import os

    from policykg.graph_build import neo4j_server
    from policykg.graph_build.neo4j_config import ConnectionConfig, open_driver, resolve
    from policykg.queries.engines import Neo4jEngine

    started = None
    if os.environ.get("NEO4J_URI"):
        cfg = resolve()
    else:
        state = neo4j_server.start(home, port=0, heap="4g", pagecache="2g")
        started = home
        cfg = ConnectionConfig(uri=state.uri, username=state.username, password=state.password, source="bench")
    engine = Neo4jEngine(open_driver(cfg), cfg.database, owns_driver=True)
    t0 = time.perf_counter()
    engine.load(contract, replace=True)
    return engine, time.perf_counter() - t0, started


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="graph size factor (1.0: >= 100k nodes, >= 1M rels)")
    ap.add_argument("--runs", type=int, default=30, help="runs of each per-entity query (default 30)")
    ap.add_argument("--engines", default="embedded,neo4j", help="comma-separated: embedded, neo4j")
    ap.add_argument("--out", default=str(ROOT / "out" / "bench_queries.json"))
    ap.add_argument("--workdir", default=str(ROOT / ".cache" / "bench" / "queries"),
                    help="where the embedded engine and the bench's own Neo4j keep their data")
    args = ap.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    t0 = time.perf_counter()
    contract = synthetic_contract(args.scale)
    n_nodes, n_rels = len(contract["nodes"]), len(contract["edges"])
    print(f"synthetic graph: {n_nodes:,} nodes, {n_rels:,} relationships "
          f"({time.perf_counter() - t0:.1f}s)", flush=True)
    if args.scale >= 1.0 and (n_nodes < 100_000 or n_rels < 1_000_000):
        raise SystemExit("the synthetic graph is smaller than 100k nodes / 1M relationships")
    per_entity = _params(contract, args.runs)
    report = {"graph": {"nodes": n_nodes, "relationships": n_rels, "documents": len(contract["documents"]),
                        "scale": args.scale},
              "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
              "per_entity_target_p95_ms": PER_ENTITY_TARGET_MS, "engines": {}}
    workdir = Path(args.workdir)
    for name in engines:
        if name == "embedded":
            engine, load_s = _embedded(contract, workdir / "falkordb")
            started = None
        elif name == "neo4j":
            engine, load_s, started = _neo4j(contract, workdir / "neo4j")
        else:
            raise SystemExit(f"unknown engine {name!r}")
        print(f"{name}: loaded in {load_s:.1f}s", flush=True)
        try:
            results = measure(engine, per_entity)
        finally:
            engine.close()
            if started is not None:
                from policykg.graph_build import neo4j_server

                neo4j_server.stop(started)
        slow = sorted(k for k, v in results.items() if v["kind"] == "per-entity" and v["p95_ms"] > PER_ENTITY_TARGET_MS)
        report["engines"][name] = {"load_seconds": round(load_s, 1), "queries": results,
                                   "per_entity_over_target": slow}
        print(f"{name}: per-entity queries over p95 {PER_ENTITY_TARGET_MS:.0f} ms: {', '.join(slow) or 'none'}",
              flush=True)
    write_figures(args.out, report)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
