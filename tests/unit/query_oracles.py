"""Plain-Python answers to some named questions, computed straight from a graph.json contract.

They are a second, independent implementation used to check the Cypher on graphs whose answers
were not written out by hand (the sample corpus once technologies, targets, parks and policies are
extracted). Ordering follows the queries' ORDER BY (strings by code point, nulls last).
"""
from __future__ import annotations

from collections import defaultdict


def _index(contract):
    nodes = {n["id"]: n for n in contract["nodes"]}
    out_edges = defaultdict(list)
    in_edges = defaultdict(list)
    for e in contract["edges"]:
        out_edges[e["source"]].append(e)
        in_edges[e["target"]].append(e)
    return nodes, out_edges, in_edges


def _docs(nodes):
    return {n["props"]["doc"]: n for n in nodes.values() if n["label"] == "Document"}


def _subtree(task, in_edges):
    """The task and every task below it (SUBTASK_OF*0..)."""
    seen, stack = [], [task]
    while stack:
        t = stack.pop()
        if t in seen:
            continue
        seen.append(t)
        stack += [e["source"] for e in in_edges[t] if e["type"] == "SUBTASK_OF"]
    return seen


def overlapping_mandates(contract, region=None, doc=None, min_agencies=2):
    nodes, out_edges, in_edges = _index(contract)
    led = defaultdict(lambda: defaultdict(set))  # (region, tech) -> agency -> tasks
    for e in contract["edges"]:
        if e["type"] != "LEADS":
            continue
        a = nodes[e["source"]]
        if region is not None and a["props"].get("region") != region:
            continue
        for t in _subtree(e["target"], in_edges):
            if doc is not None and nodes[t]["props"].get("doc") != doc:
                continue
            for x in out_edges[t]:
                if x["type"] == "ADDRESSES" and nodes[x["target"]]["label"] == "Technology":
                    led[(a["props"].get("region"), x["target"])][a["id"]].add(t)
    rows = []
    for (reg, tech), by_agency in led.items():
        if len(by_agency) < min_agencies:
            continue
        for aid, tasks in by_agency.items():
            rows.append([reg, tech, nodes[tech]["name"], len(by_agency), aid, nodes[aid]["name"], sorted(tasks)])
    rows.sort(key=lambda r: (-r[3], r[0], r[1], r[4]))
    return rows


def cross_region_technologies(contract, region=None):
    nodes, out_edges, _ = _index(contract)
    docs = _docs(nodes)
    by_tech = defaultdict(lambda: defaultdict(set))
    for e in contract["edges"]:
        if e["type"] != "ADDRESSES" or nodes[e["target"]]["label"] != "Technology":
            continue
        task = nodes[e["source"]]
        if task["label"] != "Task":
            continue
        d = docs.get(task["props"].get("doc"))
        contained = d is not None and any(c["type"] == "CONTAINS" and c["target"] == task["id"]
                                          for c in out_edges[d["id"]])
        if contained:
            by_tech[e["target"]][d["props"].get("region")].add(task["id"])
    rows = []
    for tech, regions in by_tech.items():
        names = sorted(regions)
        if region is not None and region not in names:
            continue
        rows.append([tech, nodes[tech]["name"], len(names), len(names) > 1, names,
                     sum(len(t) for t in regions.values())])
    rows.sort(key=lambda r: (-r[2], r[0]))
    return rows


def _targets(contract):
    nodes, _, _ = _index(contract)
    docs = _docs(nodes)
    for n in nodes.values():
        if n["label"] == "Target" and n["props"].get("doc") in docs:
            yield n, docs[n["props"]["doc"]]


def target_timeline(contract, region=None, doc=None):
    rows = []
    for g, d in _targets(contract):
        if region is not None and d["props"].get("region") != region:
            continue
        if doc is not None and d["props"]["doc"] != doc:
            continue
        p = g["props"]
        value = p.get("value")
        if isinstance(value, list) and any(isinstance(v, float) for v in value):
            value = [float(v) for v in value]
        rows.append([d["props"].get("region"), p.get("year"), p.get("metric"), p.get("op"), value, p.get("unit"),
                     d["props"]["doc"], g["id"]])
    rows.sort(key=lambda r: (r[0], r[1] is None, r[1] or 0, r[2] or "", r[7]))
    return rows


def cross_region_targets(contract, region=None):
    by_metric = defaultdict(lambda: {"regions": set(), "targets": set(), "years": set()})
    for g, d in _targets(contract):
        if g["props"].get("metric") is None:
            continue
        m = by_metric[g["props"]["metric"]]
        m["regions"].add(d["props"].get("region"))
        m["targets"].add(g["id"])
        if g["props"].get("year") is not None:
            m["years"].add(g["props"]["year"])
    rows = []
    for metric, m in by_metric.items():
        regions = sorted(m["regions"])
        if region is not None and region not in regions:
            continue
        rows.append([metric, len(regions), len(regions) > 1, regions, len(m["targets"]), sorted(m["years"])])
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows


def parks_by_region(contract, region=None):
    nodes, out_edges, in_edges = _index(contract)

    def ancestors(rid):
        out = []
        while True:
            ups = [e["target"] for e in out_edges[rid] if e["type"] == "PART_OF"]
            if not ups:
                return out
            rid = ups[0]
            out.append(rid)

    rows = []
    for e in contract["edges"]:
        if e["type"] != "LOCATED_IN" or nodes[e["source"]]["label"] != "Park":
            continue
        park, reg = nodes[e["source"]], nodes[e["target"]]
        if region is not None and reg["name"] != region and \
                region not in [nodes[a]["name"] for a in ancestors(reg["id"])]:
            continue
        focus = sorted({nodes[f["target"]]["name"] for f in out_edges[park["id"]] if f["type"] == "FOCUSES_ON"})
        tasks = {i["source"] for i in in_edges[park["id"]] if i["type"] == "INVOLVES"
                 and nodes[i["source"]]["label"] == "Task"}
        rows.append([reg["id"], reg["name"], park["id"], park["name"], focus, len(tasks)])
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows


def documents_citing_policy(contract, policy=None, min_documents=2):
    nodes, _, in_edges = _index(contract)
    rows = []
    for pid, p in nodes.items():
        if p["label"] != "Policy" or (policy is not None and pid != policy):
            continue
        docs = [nodes[e["source"]] for e in in_edges[pid] if e["type"] == "CITES"
                and nodes[e["source"]]["label"] == "Document"]
        if not docs or (policy is None and len(docs) < min_documents):
            continue
        rows.append([pid, p["name"], len(docs), sorted(d["props"]["doc"] for d in docs),
                     sorted({d["props"].get("region") for d in docs})])
    rows.sort(key=lambda r: (-r[2], r[0]))
    return rows


def co_assignment_pairs(contract):
    """{(a, b): shared tasks} for a < b, from LEADS/SUPPORTS edges."""
    units = defaultdict(set)
    for e in contract["edges"]:
        if e["type"] in ("LEADS", "SUPPORTS"):
            units[e["target"]].add(e["source"])
    pairs = defaultdict(int)
    for agencies in units.values():
        ordered = sorted(agencies)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                pairs[(a, b)] += 1
    return dict(pairs)
