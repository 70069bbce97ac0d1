"""Merge the per-document records into one networkx graph, and the graph back into the export
contract. Node ids are global, so the same agency, region or park in two documents is one node
whose evidence lists both."""
from __future__ import annotations

import gc
from dataclasses import dataclass, field

import networkx as nx


@dataclass
class DocResult:
    """What extraction returns for one document: its contract entry, nodes and edges with evidence."""

    document: dict
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)


def _merge_props(old: dict, new: dict) -> dict:
    for k, v in new.items():
        if k not in old or old[k] is None:
            old[k] = v
        elif isinstance(old[k], list) and isinstance(v, list):
            merged = list(old[k])
            for x in v:
                if x not in merged:
                    merged.append(x)
            old[k] = merged
    return old


def _ev_key(e: dict):
    return (e["doc"], e["start"], e["end"])


def _merge_evidence(old: list, new: list) -> list:
    seen = {_ev_key(e) for e in old}
    out = list(old)
    for e in new:
        if _ev_key(e) not in seen:
            seen.add(_ev_key(e))
            out.append(e)
    return out


class GraphAssembler:
    def __init__(self):
        self.graph = nx.MultiDiGraph()
        self.documents: dict[str, dict] = {}
        self.dangling = 0
        self._cited: set = set()  # the documents any evidence in the graph cites

    def add(self, result: DocResult) -> None:
        doc = result.document["id"]
        # Evidence can only repeat evidence of the same document. When every record of this result
        # cites its own document and nothing in the graph cites it yet (every build: one result
        # per document), a node's or edge's evidence from earlier documents cannot hold a repeat,
        # so only the records this call adds are compared: the merge costs what this document
        # brings, not what the whole corpus has already said about a shared node (a region or a
        # technology named in thousands of documents).
        records = [e for x in (*result.nodes, *result.edges) for e in (x.get("evidence") or [])]
        own = doc not in self._cited and all(e.get("doc") == doc for e in records)
        self._cited.update({e.get("doc") for e in records})
        if not own:
            return self._add_merging_all(result)
        self.documents[doc] = result.document
        g = self.graph
        added: dict = {}  # node id or edge key -> evidence keys added by this call

        def merge(key, a, new, created):
            seen = added.get(key)
            if seen is None:
                seen = added[key] = {_ev_key(e) for e in a["evidence"]} if created else set()
            ev = a["evidence"]
            for e in new:
                k = _ev_key(e)
                if k not in seen:
                    seen.add(k)
                    ev.append(e)

        created: set = set()
        for n in result.nodes:
            nid = n["id"]
            if nid in g:
                a = g.nodes[nid]
                _merge_props(a["props"], dict(n.get("props") or {}))
                merge(nid, a, n.get("evidence") or [], nid in created)
            else:
                g.add_node(nid, label=n["label"], name=n["name"], props=dict(n.get("props") or {}),
                           evidence=list(n.get("evidence") or []))
                created.add(nid)
        for e in result.edges:
            if e["source"] not in g or e["target"] not in g:
                self.dangling += 1
                continue
            key = e["type"]
            ekey = (e["source"], e["target"], key)
            if g.has_edge(e["source"], e["target"], key):
                a = g.edges[e["source"], e["target"], key]
                _merge_props(a["props"], dict(e.get("props") or {}))
                merge(ekey, a, e.get("evidence") or [], ekey in created)
            else:
                g.add_edge(e["source"], e["target"], key=key, type=key, props=dict(e.get("props") or {}),
                           evidence=list(e.get("evidence") or []))
                created.add(ekey)

    def _add_merging_all(self, result: DocResult) -> None:
        """The general merge: new evidence compared with all evidence already held."""
        self.documents[result.document["id"]] = result.document
        g = self.graph
        for n in result.nodes:
            if n["id"] in g:
                a = g.nodes[n["id"]]
                _merge_props(a["props"], dict(n.get("props") or {}))
                a["evidence"] = _merge_evidence(a["evidence"], n.get("evidence") or [])
            else:
                g.add_node(n["id"], label=n["label"], name=n["name"], props=dict(n.get("props") or {}),
                           evidence=list(n.get("evidence") or []))
        for e in result.edges:
            if e["source"] not in g or e["target"] not in g:
                self.dangling += 1
                continue
            key = e["type"]
            if g.has_edge(e["source"], e["target"], key):
                a = g.edges[e["source"], e["target"], key]
                _merge_props(a["props"], dict(e.get("props") or {}))
                a["evidence"] = _merge_evidence(a["evidence"], e.get("evidence") or [])
            else:
                g.add_edge(e["source"], e["target"], key=key, type=key, props=dict(e.get("props") or {}),
                           evidence=list(e.get("evidence") or []))


def _clean(v):
    """Sorted, JSON-friendly copies so that output is byte-identical for the same input."""
    if isinstance(v, dict):
        return {k: _clean(v[k]) for k in sorted(v)}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v


def to_contract(graph: nx.MultiDiGraph, documents: dict[str, dict]) -> dict:
    # millions of new dicts and lists, none cyclic: with the cyclic collector on, its full passes
    # over the graph took two thirds of the time (1,000 documents: 6.3 s -> 2.2 s without)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _to_contract(graph, documents)
    finally:
        if collecting:
            gc.enable()


def _to_contract(graph: nx.MultiDiGraph, documents: dict[str, dict]) -> dict:
    nodes = []
    for nid in sorted(graph.nodes):
        a = graph.nodes[nid]
        props = _clean(a["props"])
        if isinstance(props.get("aliases"), list):
            props["aliases"] = sorted(set(props["aliases"]))
        nodes.append({"id": nid, "label": a["label"], "name": a["name"], "props": props,
                      "evidence": sorted(a["evidence"], key=_ev_key)})
    edges = []
    for s, t, k, a in sorted(graph.edges(keys=True, data=True), key=lambda x: (x[0], x[2], x[1])):
        edges.append({"source": s, "target": t, "type": a["type"], "props": _clean(a["props"]),
                      "evidence": sorted(a["evidence"], key=_ev_key)})
    return {"schema_version": 1,
            "documents": [_clean(documents[d]) for d in sorted(documents)],
            "nodes": nodes, "edges": edges}


def from_contract(data: dict) -> tuple[nx.MultiDiGraph, dict[str, dict]]:
    g = nx.MultiDiGraph()
    for n in data.get("nodes", []):
        g.add_node(n["id"], label=n["label"], name=n["name"], props=dict(n.get("props") or {}),
                   evidence=list(n.get("evidence") or []))
    for e in data.get("edges", []):
        g.add_edge(e["source"], e["target"], key=e["type"], type=e["type"], props=dict(e.get("props") or {}),
                   evidence=list(e.get("evidence") or []))
    return g, {d["id"]: d for d in data.get("documents", [])}
