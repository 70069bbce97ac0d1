"""Merge the per-document records into one graph, and the graph back into the export contract.
Node ids are global, so the same agency, region or park in two documents is one node whose
evidence lists both.

The merge keeps a compact store (`GraphStore`), not a networkx graph: evidence is a packed integer
(document, start, end) whose text is sliced from the document's text only when an export is
written, node ids are held once and edges are keyed by the numbers of their ends. The exports are
streamed from the store (export.py); `GraphStore.graph()` gives the networkx form for the callers
that want one, and `GraphStore.contract()` the contract as one dict.
"""
from __future__ import annotations

import gc
import sys
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import networkx as nx

_OFF = (1 << 32) - 1  # a start or end offset: 32 bits
_DOC = 64  # evidence = document number << 64 | start << 32 | end
_TYPE_BITS = 16  # edge key = (source number << 32 | target number) << 16 | relationship type number


@dataclass
class DocResult:
    """One document's records as dicts, evidence as {doc, start, end, text} (the readable form)."""

    document: dict
    nodes: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)


@dataclass
class DocRecords:
    """What extraction returns for one document, compact (made by `doc_records`): the document's
    contract entry, its text, and each node and edge once:
      nodes: (id, label, name, props, spans); edges: (source, target, type, props, spans, records)
    props is None (none), a dict, or a list of the distinct dicts the document's records gave (the
    merge folds them in order); spans are start << 32 | end, first-seen order, no repeats; records
    counts the edge records merged into one (for the count of edges whose ends are missing)."""

    document: dict
    text: str
    nodes: list[tuple]
    edges: list[tuple]


def _span(start: int, end: int) -> int:
    if not (0 <= start <= _OFF and 0 <= end <= _OFF):
        raise ValueError(f"evidence offsets out of range: {start}, {end}")
    return start << 32 | end


class _Merged:
    """Records of one document with the same id (or source, target and type) merged in order."""

    __slots__ = ("head", "props", "spans", "seen", "count")

    def __init__(self, head: tuple, props, spans: list[int]):
        self.head = head
        self.props = [props] if props else []
        self.spans = spans
        self.seen = None
        self.count = 1

    def add(self, props, spans: list[int]) -> None:
        self.count += 1
        if props and props not in self.props:  # merging an equal dict again changes nothing
            self.props.append(props)
        if self.seen is None:
            self.seen = set(self.spans)
        for s in spans:
            if s not in self.seen:
                self.seen.add(s)
                self.spans.append(s)

    def wire_props(self):
        p = self.props
        return None if not p else p[0] if len(p) == 1 else p


def doc_records(document: dict, text: str, nodes: Iterable, edges: Iterable) -> DocRecords:
    """DocRecords from node records (id, label, name, props, spans) and edge records (source,
    target, type, props, spans), spans as (start, end) pairs into `text`. Records of the same node
    or edge become one, as the graph merge would have merged them."""
    by_id: dict[str, _Merged] = {}
    for nid, label, name, props, spans in nodes:
        packed = sorted({_span(s, e) for s, e in spans})
        p = dict(props) if props else None
        m = by_id.get(nid)
        if m is None:
            by_id[nid] = _Merged((nid, label, name), p, packed)
        else:
            m.add(p, packed)
    by_key: dict[tuple, _Merged] = {}
    for source, target, typ, props, spans in edges:
        packed = sorted({_span(s, e) for s, e in spans})
        p = dict(props) if props else None
        # the node's own id object: pickled once, and its hash is already known where it is looked up
        source = by_id[source].head[0] if source in by_id else source
        target = by_id[target].head[0] if target in by_id else target
        key = (source, target, typ)
        m = by_key.get(key)
        if m is None:
            by_key[key] = _Merged(key, p, packed)
        else:
            m.add(p, packed)
    return DocRecords(document, text,
                      [(*m.head, m.wire_props(), tuple(m.spans)) for m in by_id.values()],
                      [(*m.head, m.wire_props(), tuple(m.spans), m.count) for m in by_key.values()])


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


def _merge_changes(old: dict, new: dict) -> bool:
    """Whether _merge_props(old, new) would change `old`."""
    for k, v in new.items():
        o = old.get(k, _MISSING)
        if o is _MISSING or (o is None and v is not None):
            return True
        if isinstance(o, list) and isinstance(v, list) and any(x not in o for x in v):
            return True
    return False


_MISSING = object()
_INTERNED_TYPES = frozenset({str, int, bool, type(None)})


def _props_merged(old: dict | None, new) -> dict | None:
    """`old` merged with `new` (a dict or a list of dicts, in order) as _merge_props does, without
    changing `old` (it may be shared): `old` itself when nothing changes, else a new dict."""
    if type(new) is dict:
        if new == old:  # the common case: a shared node named again with the same properties
            return old
        seq: list | tuple = (new,)
    else:
        seq = new
    if old is None:
        out: dict = {}
        for p in seq:
            _merge_props(out, p)
        return out
    for i, p in enumerate(seq):
        if _merge_changes(old, p):
            out = dict(old)
            for q in seq[i:]:
                _merge_props(out, q)
            return out
    return old


def _ev_list(ev) -> list[int]:
    return [] if ev is None else [ev] if type(ev) is int else ev


class GraphStore:
    """The merged graph, compact. Nodes are numbered in the order they were first seen; edges are
    a dict from their packed key to their evidence (None, one packed evidence, or a list)."""

    def __init__(self):
        self.documents: dict[str, dict] = {}
        self.doc_ids: list[str] = []  # document number -> id
        self.texts: list[str | None] = []  # document number -> text the offsets index
        self._doc_number: dict[str, int] = {}
        self._ev_text: dict[int, str] = {}  # evidence of readable-form records whose document text is unknown
        self._cited: set[int] = set()  # documents any evidence in the graph cites
        self.node_number: dict[str, int] = {}
        self.node_ids: list[str] = []
        self.node_labels: list[str] = []
        self.node_names: list[str] = []
        self.node_props: list[dict | None] = []
        self.node_evidence: list = []
        self.type_names: list[str] = []
        self._type_number: dict[str, int] = {}
        self.edges: dict[int, object] = {}  # key -> evidence
        self.edge_props: dict[int, dict] = {}  # key -> props, when it has any
        self._props_cache: dict = {}  # small hashable props, one shared dict each
        self.dangling = 0
        self._node_order: list[int] | None = None
        self._edge_order: tuple | None = None

    # ---- adding -------------------------------------------------------------------------------

    def _doc(self, doc: str, text: str | None) -> int:
        d = self._doc_number.get(doc)
        if d is None:
            d = self._doc_number[doc] = len(self.doc_ids)
            self.doc_ids.append(doc)
            self.texts.append(text)
        elif text is not None:
            if self.texts[d] is None:
                self.texts[d] = text
            elif self.texts[d] != text:
                raise ValueError(f"document {doc!r} was added twice with different texts")
        return d

    def _type(self, typ: str) -> int:
        c = self._type_number.get(typ)
        if c is None:
            c = len(self.type_names)
            if c >= 1 << _TYPE_BITS:
                raise ValueError("too many relationship types")
            self._type_number[typ] = c
            self.type_names.append(sys.intern(typ))
        return c

    def _shared_props(self, props: dict) -> dict:
        """One dict for all equal props of str, int, bool or None values (their types in the key:
        True == 1 but is written otherwise); others (lists, floats: -0.0 == 0.0) kept as they are."""
        types = tuple(map(type, props.values()))
        if not _INTERNED_TYPES.issuperset(types):
            return props
        try:
            return self._props_cache.setdefault((*props.items(), *types), props)
        except TypeError:  # an unhashable key
            return props

    def add(self, rec: DocRecords) -> None:
        """Merge one document's records (every span cites this document)."""
        doc = rec.document["id"]
        d = self._doc(doc, rec.text)
        self.documents[doc] = rec.document
        # Evidence can only repeat evidence of the same document: when nothing in the graph cites
        # this one yet (every build: one result per document), nothing needs comparing.
        fresh = d not in self._cited
        self._cited.add(d)
        self._merge(d << _DOC, rec.nodes, rec.edges, fresh)

    def add_readable(self, result: DocResult) -> None:
        """Merge records in the readable form (evidence dicts with their text; they may cite any
        document): the general merge, each record's evidence compared with all it already has."""
        self.documents[result.document["id"]] = result.document
        self._doc(result.document["id"], None)

        def packed(evidence) -> list[int]:
            out = []
            for e in evidence or ():
                d = self._doc(e["doc"], None)
                x = d << _DOC | _span(e["start"], e["end"])
                if self.texts[d] is None:
                    self._ev_text.setdefault(x, e["text"])
                self._cited.add(d)
                out.append(x)
            return out

        def merged(records, head):
            by: dict = {}
            for r in records:
                k = head(r)
                m = by.get(k)
                p = dict(r.get("props") or {}) or None
                if m is None:
                    by[k] = _Merged(k, p, list(dict.fromkeys(packed(r.get("evidence")))))
                else:
                    m.add(p, packed(r.get("evidence")))
            return by.values()

        nodes = [(*m.head, m.wire_props(), tuple(m.spans))
                 for m in merged(result.nodes, lambda n: (n["id"], n["label"], n["name"]))]
        edges = [(*m.head, m.wire_props(), tuple(m.spans), m.count)
                 for m in merged(result.edges, lambda e: (e["source"], e["target"], e["type"]))]
        self._merge(0, nodes, edges, fresh=False)

    def _merge(self, base: int, nodes, edges, fresh: bool) -> None:
        number = self.node_number
        ids, labels, names, nprops, nev = (self.node_ids, self.node_labels, self.node_names, self.node_props,
                                           self.node_evidence)
        for nid, label, name, props, spans in nodes:
            i = number.get(nid)
            if i is None:
                number[nid] = len(ids)
                ids.append(nid)
                labels.append(sys.intern(label) if type(label) is str else label)
                names.append(name)
                nprops.append(props if props is None or type(props) is dict else _props_merged(None, props))
                nev.append(None if not spans else base | spans[0] if len(spans) == 1 else [base | x for x in spans])
            else:
                if props is not None:
                    nprops[i] = _props_merged(nprops[i], props)
                if spans:
                    nev[i] = _ev_added(nev[i], base, spans, fresh)
        store, eprops, tnum = self.edges, self.edge_props, self._type_number
        for source, target, typ, props, spans, count in edges:
            s = number.get(source)
            t = number.get(target)
            if s is None or t is None:
                self.dangling += count
                continue
            c = tnum.get(typ)
            if c is None:
                c = self._type(typ)
            key = (s << 32 | t) << _TYPE_BITS | c
            ev = store.get(key, _MISSING)
            if ev is _MISSING:
                store[key] = None if not spans else base | spans[0] if len(spans) == 1 else [base | x for x in spans]
                if props is not None:
                    eprops[key] = self._shared_props(props if type(props) is dict else _props_merged(None, props))
            else:
                if props is not None:
                    old = eprops.get(key)
                    new = _props_merged(old, props)
                    if new is not old:
                        eprops[key] = self._shared_props(new)
                if spans:
                    store[key] = _ev_added(ev, base, spans, fresh)

    # ---- reading ------------------------------------------------------------------------------

    def number_of_nodes(self) -> int:
        return len(self.node_ids)

    def number_of_edges(self) -> int:
        return len(self.edges)

    def label_counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for label in self.node_labels:
            out[label] = out.get(label, 0) + 1
        return out

    def type_counts(self) -> dict[str, int]:
        counts = [0] * len(self.type_names)
        for key in self.edges:
            counts[key & 0xFFFF] += 1
        return {self.type_names[c]: n for c, n in enumerate(counts) if n}

    def evidence_text(self, x: int) -> str:
        text = self.texts[x >> _DOC]
        if text is None:
            return self._ev_text[x]
        return text[(x >> 32) & _OFF:x & _OFF]

    def evidence_dicts(self, ev) -> list[dict]:
        return [{"doc": self.doc_ids[x >> _DOC], "start": (x >> 32) & _OFF, "end": x & _OFF, "text": self.evidence_text(x)}
                for x in _ev_list(ev)]

    def _evidence_sort(self):
        """A function giving a record's evidence in contract order (by document id, start, end)."""
        ids = self.doc_ids
        if all(a < b for a, b in zip(ids, ids[1:])):  # documents numbered in id order (every build)
            return lambda ev: [] if ev is None else [ev] if type(ev) is int else sorted(ev)
        rank = {d: r for r, d in enumerate(sorted(range(len(ids)), key=ids.__getitem__))}
        low = (1 << _DOC) - 1

        def key(x):
            return rank[x >> _DOC] << _DOC | (x & low)
        return lambda ev: [] if ev is None else [ev] if type(ev) is int else sorted(ev, key=key)

    def node_order(self) -> list[int]:
        """Node numbers in contract order (by id); kept until the graph changes (each export uses it)."""
        size = len(self.node_ids)
        if self._node_order is None or len(self._node_order) != size:
            self._node_order = sorted(range(size), key=self.node_ids.__getitem__)
        return self._node_order

    def sorted_nodes(self) -> Iterator[tuple[int, str, str, str, dict | None, list[int]]]:
        """(number, id, label, name, props, evidence) in contract order (by id), evidence sorted."""
        ids = self.node_ids
        ev_sorted = self._evidence_sort()
        for i in self.node_order():
            yield i, ids[i], self.node_labels[i], self.node_names[i], self.node_props[i], ev_sorted(self.node_evidence[i])

    def edge_order(self) -> list[int]:
        """Edge keys in contract order: by source id, type, target id."""
        if self._edge_order is not None and self._edge_order[0] == (len(self.node_ids), len(self.edges)):
            return self._edge_order[1]
        ids = self.node_ids
        rank = [0] * len(ids)
        for r, i in enumerate(self.node_order()):
            rank[i] = r
        types = sorted(range(len(self.type_names)), key=self.type_names.__getitem__)
        trank = [0] * len(types)
        for r, c in enumerate(types):
            trank[c] = r
        nt = len(types)

        def order(key: int) -> int:
            return (rank[key >> 48] * nt + trank[key & 0xFFFF]) << 32 | rank[(key >> _TYPE_BITS) & _OFF]
        keys = sorted(self.edges, key=order)
        self._edge_order = ((len(self.node_ids), len(self.edges)), keys)
        return keys

    def sorted_edges(self) -> Iterator[tuple[str, str, str, dict | None, list[int]]]:
        """(source id, target id, type, props, evidence) in contract order, evidence sorted."""
        ids, types, eprops, store = self.node_ids, self.type_names, self.edge_props, self.edges
        ev_sorted = self._evidence_sort()
        for key in self.edge_order():
            yield (ids[key >> 48], ids[(key >> _TYPE_BITS) & _OFF], types[key & 0xFFFF], eprops.get(key),
                   ev_sorted(store[key]))

    def contract(self) -> dict:
        """The graph.json contract as one dict (export.py streams it without this)."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            nodes = []
            for _, nid, label, name, props, ev in self.sorted_nodes():
                nodes.append({"id": nid, "label": label, "name": name, "props": node_props(props),
                              "evidence": self.evidence_dicts(ev)})
            edges = [{"source": s, "target": t, "type": typ, "props": _clean(props or {}), "evidence": self.evidence_dicts(ev)}
                     for s, t, typ, props, ev in self.sorted_edges()]
            return {"schema_version": 1, "documents": [_clean(self.documents[d]) for d in sorted(self.documents)],
                    "nodes": nodes, "edges": edges}
        finally:
            if collecting:
                gc.enable()

    def graph(self) -> nx.MultiDiGraph:
        """The networkx form: nodes and edges in the order they were first merged, attributes
        label, name, props, evidence (dicts with text) on nodes and type, props, evidence on edges."""
        g = nx.MultiDiGraph()
        for i, nid in enumerate(self.node_ids):
            g.add_node(nid, label=self.node_labels[i], name=self.node_names[i], props=dict(self.node_props[i] or {}),
                       evidence=self.evidence_dicts(self.node_evidence[i]))
        ids, types = self.node_ids, self.type_names
        for key, ev in self.edges.items():
            typ = types[key & 0xFFFF]
            g.add_edge(ids[key >> 48], ids[(key >> _TYPE_BITS) & _OFF], key=typ, type=typ,
                       props=dict(self.edge_props.get(key) or {}), evidence=self.evidence_dicts(ev))
        return g


def _ev_added(old, base: int, spans: tuple[int, ...], fresh: bool):
    new = [base | x for x in spans]
    if not fresh and old is not None:
        have = set(_ev_list(old))
        new = [x for x in new if x not in have]
        if not new:
            return old
    if old is None:
        return new[0] if len(new) == 1 else new
    if type(old) is int:
        return [old, *new]
    old.extend(new)
    return old


class GraphAssembler:
    """Merges DocResult (readable) or DocRecords (compact) results into a GraphStore."""

    def __init__(self):
        self.store = GraphStore()

    def add(self, result: DocResult | DocRecords) -> None:
        if isinstance(result, DocRecords):
            self.store.add(result)
        else:
            self.store.add_readable(result)

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self.store.graph()

    @property
    def documents(self) -> dict[str, dict]:
        return self.store.documents

    @property
    def dangling(self) -> int:
        return self.store.dangling


def _clean(v):
    """Sorted, JSON-friendly copies so that output is byte-identical for the same input."""
    if isinstance(v, dict):
        return {k: _clean(v[k]) for k in sorted(v)}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v


def node_props(props: dict | None) -> dict:
    """A node's props as the contract writes them: keys sorted, aliases sorted and unique."""
    out = _clean(props or {})
    if isinstance(out.get("aliases"), list):
        out["aliases"] = sorted(set(out["aliases"]))
    return out


def _ev_key(e: dict):
    return (e["doc"], e["start"], e["end"])


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
        nodes.append({"id": nid, "label": a["label"], "name": a["name"], "props": node_props(a["props"]),
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
