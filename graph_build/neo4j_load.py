"""Load a graph.json contract into Neo4j: batched, idempotent, incremental per document.

Provenance. Every node and relationship stores its evidence as one JSON string `evidence`: the
array of its {doc, start, end, text} spans (Neo4j properties cannot hold maps; one string writes
faster than parallel lists and reads back as the contract's own evidence objects), and every node
`docs`, the documents that support it. A relationship is supported by the documents of its
evidence (no list of its own: one property less on most of the graph's records); a node with
evidence by those of its evidence and of its relationships' evidence
(so that a relationship never loses an end while its document is loaded); a Document node also by
its own document. Facts without evidence (regions from the division data set, the region
hierarchy) are background: written by every load, never removed by one. The props of a node that
several documents support are the graph's at the last load that wrote it.

A load of documents S (all documents of the graph, or `--document X`):
 1. marks S's Document nodes incomplete (`load_complete = false`);
 2. when S was loaded before: removes S's evidence and provenance from every fact (facts left with
    no document are marked `load_orphan`), so that no fact holds evidence of S any more;
 3. writes, nodes before relationships, every fact S supports plus the background: nodes that do
    not exist yet are created, and so are the relationships touching them (found by the element
    ids the same load got back); everything else is merged on the key with `UNWIND $rows … MERGE`,
    its evidence from S appended to what other documents left; all in managed transactions (a
    retried batch writes the same);
 4. deletes the facts still marked orphan: what only the old version of S supported;
 5. marks S complete with a hash of its contribution, last.
A load stopped anywhere is completed by running it again; a document whose stored hash equals the
graph's and is complete is skipped. Deleting a document is steps 1, 2 and 4.

Props are stored as they are where Neo4j can (scalars, homogeneous lists of scalars). A null prop
is stored as no property and named in `null_props`; maps and mixed or nested lists are stored as
JSON strings and named in `json_props`; so `read_graph()` returns exactly the graph that was loaded.
"""
from __future__ import annotations

import gc
import hashlib
import json
import queue
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from policykg.errors import DatabaseError, SchemaError, UsageError
from policykg.graph_build.model import document_id
from policykg.graph_build.neo4j_schema import Schema, apply_schema, cypher, load_schema, validate_graph

DEFAULT_BATCH_SIZE = 5000
# the stored layout, part of every document's hash: a database written in another layout has every
# document reloaded (rewritten) by the next load of the graph
LAYOUT = "evidence-json-1"
_INT64 = (-(2 ** 63), 2 ** 63 - 1)
# the stored form of JSON values: compact, UTF-8 text as it is (the same bytes at every load)
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


# ---- property encoding ----

def _storable_scalar(v) -> bool:
    t = type(v)
    return t is str or t is bool or t is float or (t is int and _INT64[0] <= v <= _INT64[1])


def storable(v) -> bool:
    """True when Neo4j stores `v` as it is: a scalar or a homogeneous list of scalars."""
    if type(v) is list:
        if not v:
            return True
        t0 = type(v[0])
        return _storable_scalar(v[0]) and all(type(x) is t0 and _storable_scalar(x) for x in v)
    return _storable_scalar(v)


def encode_props(props: dict, into: dict) -> dict:
    """Add `props` to the property map `into`: native where storable; a null as no property (named
    in null_props); anything else as JSON (named in json_props)."""
    json_keys, null_keys = [], []
    for k, v in props.items():
        if v is None:
            null_keys.append(k)
        elif storable(v):
            into[k] = v
        else:
            into[k] = json.dumps(v, ensure_ascii=False, sort_keys=True)
            json_keys.append(k)
    if json_keys:
        into["json_props"] = sorted(json_keys)
    if null_keys:
        into["null_props"] = sorted(null_keys)
    return into


def decode_props(stored: dict, reserved: frozenset) -> dict:
    """The graph's props from a stored property map (JSON-encoded ones decoded, nulls and the empty
    lists that the bulk import could not store restored)."""
    json_keys = set(stored.get("json_props") or ())
    props = {k: (json.loads(v) if k in json_keys else v) for k, v in stored.items() if k not in reserved}
    for k in stored.get("null_props") or ():
        props[k] = None
    for k in stored.get("empty_lists") or ():
        props[k] = []
    return props


def evidence_json(evidence: list) -> str | None:
    """The stored `evidence` of [(doc, start, end, text)]: a JSON array of the contract's evidence
    objects, or None (no property) for none."""
    if not evidence:
        return None
    return _dumps([{"doc": d, "start": s, "end": e, "text": t} for d, s, e, t in evidence])


def evidence_items(stored: str | None) -> list[dict]:
    """The evidence objects of a stored `evidence` property."""
    return json.loads(stored) if stored else []


# ---- the graph prepared for loading ----

@dataclass
class Element:
    """One node or relationship: its group (label, or type+end labels), stored props, provenance."""

    group: tuple
    key: tuple  # ("n", id) or ("r", source, type, target)
    props: dict
    docs: frozenset
    evidence: list  # [(doc, start, end, text)] in the graph's order

    def _share(self, load_docs: frozenset | None) -> tuple[list, str | None]:
        """Sorted documents and evidence JSON of this element in a load of `load_docs`."""
        if load_docs is None or self.docs <= load_docs:
            return sorted(self.docs), evidence_json(self.evidence)
        return sorted(self.docs & load_docs), evidence_json([e for e in self.evidence if e[0] in load_docs])

    def row(self, load_docs: frozenset | None) -> list:
        """The batch row for a load of `load_docs` (None: all of this element's documents); its
        layout is the one documented in schema/load_nodes.cypher and load_relationships.cypher."""
        docs, evidence = self._share(load_docs)
        if self.key[0] == "n":
            return [self.key[1], self.props, docs, evidence]
        return [self.key[1], self.key[3], self.props, evidence]

    def create_row(self, load_docs: frozenset | None, eids: dict | None = None) -> list:
        """The row for schema/create_nodes.cypher or create_relationships.cypher: the element does
        not exist yet, so its whole property map (provenance and evidence included) is sent; a
        relationship names its ends by the element ids in `eids` (node id -> element id)."""
        docs, evidence = self._share(load_docs)
        if self.key[0] == "n":
            props = {**self.props, "docs": docs}
            if evidence is not None:
                props["evidence"] = evidence
            return [self.key[1], props]
        props = {**self.props, "evidence": evidence} if evidence is not None else self.props
        return [eids[self.key[1]], eids[self.key[3]], props]


@dataclass
class PreparedGraph:
    documents: dict[str, dict]
    nodes: list[Element]
    edges: list[Element]

    @cached_property
    def hashes(self) -> dict[str, str]:
        """document id -> hash of everything it contributes (computed on first use: a load that
        needs them only for its last write computes them while the server writes)."""
        hashers = {d: hashlib.sha256((LAYOUT + repr(self.documents[d])).encode("utf-8")) for d in self.documents}
        for el in (*self.nodes, *self.edges):
            if not el.docs:
                continue
            base = repr((el.key, el.props)).encode("utf-8")
            if len(el.docs) == 1:  # every span of the element is of its one document
                d, = el.docs
                hashers[d].update(base)
                hashers[d].update(repr(el.evidence).encode("utf-8"))
                continue
            for d in el.docs:
                hashers[d].update(base)
                hashers[d].update(repr([e for e in el.evidence if e[0] == d]).encode("utf-8"))
        return {d: h.hexdigest() for d, h in hashers.items()}

    def touched(self, load_docs: frozenset) -> tuple[list[Element], list[Element]]:
        """What a load of `load_docs` writes: their facts, the background, and the ends of both."""
        if load_docs >= self.documents.keys():  # every document: the whole graph
            return list(self.nodes), list(self.edges)
        edges = [e for e in self.edges if not e.docs or e.docs & load_docs]
        ends = {k for e in edges for k in (e.key[1], e.key[3])}
        nodes = [n for n in self.nodes if not n.docs or n.docs & load_docs or n.key[1] in ends]
        return nodes, edges


def _evidence(items) -> list[tuple]:
    return [(e["doc"], e["start"], e["end"], e["text"]) for e in items or ()]


def prepare(contract: dict, schema: Schema | None = None) -> PreparedGraph:
    """Stored properties, provenance and per-document hashes of a (validated) contract."""
    schema = schema or load_schema()
    documents = {d["id"]: d for d in contract["documents"]}
    doc_node_ids = {document_id(d): d for d in documents}
    label_of = {n["id"]: n["label"] for n in contract["nodes"]}
    node_docs: dict[str, set] = defaultdict(set)
    edges = []
    for e in contract["edges"]:
        ev = _evidence(e.get("evidence"))
        docs = frozenset(x[0] for x in ev)
        if docs:
            node_docs[e["source"]].update(docs)
            node_docs[e["target"]].update(docs)
        props = encode_props(e.get("props") or {}, {})
        edges.append(Element((e["type"], label_of[e["source"]], label_of[e["target"]]),
                             ("r", e["source"], e["type"], e["target"]), props, docs, ev))
    nodes = []
    for n in contract["nodes"]:
        nid = n["id"]
        ev = _evidence(n.get("evidence"))
        docs = {x[0] for x in ev}
        raw = n.get("props") or {}
        props = encode_props(raw, {"id": nid, "name": n["name"]})
        did = doc_node_ids.get(nid)
        if did is not None:  # a Document node carries its documents entry
            entry = {k: v for k, v in documents[did].items() if k != "id"}
            merged = encode_props({**entry, **raw}, {"id": nid, "name": n["name"]})
            props = {**merged, "document_id": did, "document_keys": sorted(entry), "prop_keys": sorted(raw)}
            docs.add(did)
        if docs:  # a node with evidence is also needed by the documents of its relationships
            docs |= node_docs.get(nid, set())
        nodes.append(Element((n["label"],), ("n", nid), props, frozenset(docs), ev))
    return PreparedGraph(documents, nodes, edges)


# ---- loading ----

@dataclass
class LoadSummary:
    documents_loaded: list[str] = field(default_factory=list)
    documents_skipped: list[str] = field(default_factory=list)
    documents_deleted: list[str] = field(default_factory=list)
    nodes_written: int = 0
    nodes_created: int = 0
    relationships_written: int = 0
    relationships_created: int = 0
    nodes_deleted: int = 0
    relationships_deleted: int = 0
    seconds: float = 0.0
    phases: dict = field(default_factory=dict)  # seconds per step: check, prepare, schema, plan, nodes, …

    @property
    def nodes_updated(self) -> int:
        return self.nodes_written - self.nodes_created

    @property
    def relationships_updated(self) -> int:
        return self.relationships_written - self.relationships_created

    @property
    def relationships_per_second(self) -> float:
        return self.relationships_written / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {"documents_loaded": len(self.documents_loaded), "documents_skipped": len(self.documents_skipped),
                "documents_deleted": len(self.documents_deleted),
                "nodes_created": self.nodes_created, "nodes_updated": self.nodes_updated,
                "relationships_created": self.relationships_created,
                "relationships_updated": self.relationships_updated,
                "nodes_deleted": self.nodes_deleted, "relationships_deleted": self.relationships_deleted,
                "seconds": round(self.seconds, 3),
                "relationships_per_second": round(self.relationships_per_second, 1),
                "phases": {k: round(v, 2) for k, v in self.phases.items()}}

    def text(self) -> str:
        parts = []
        if self.documents_deleted:
            parts.append(f"deleted {len(self.documents_deleted)} document(s)")
        else:
            parts.append(f"loaded {len(self.documents_loaded)} document(s)"
                         + (f", {len(self.documents_skipped)} unchanged skipped" if self.documents_skipped else ""))
        parts.append(f"nodes: {self.nodes_created} created, {self.nodes_updated} updated, {self.nodes_deleted} deleted")
        parts.append(f"relationships: {self.relationships_created} created, {self.relationships_updated} updated, "
                     f"{self.relationships_deleted} deleted")
        parts.append(f"{self.seconds:.1f}s, {self.relationships_per_second:,.0f} relationships/s")
        return "; ".join(parts)


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _row_batches(groups, batch_size: int, load_docs, eids: dict):
    for create, stmt, elements in groups:
        for chunk in _batches(elements, batch_size):
            if create:
                yield create, stmt, chunk, [el.create_row(load_docs, eids) for el in chunk]
            else:
                yield create, stmt, chunk, [el.row(load_docs) for el in chunk]


def existing_node_ids(session, label: str, ids: list[str], schema: Schema) -> dict[str, str]:
    """Which of `ids` are already nodes of `label`: id -> element id."""
    found: dict[str, str] = {}
    if not ids or not read_in_session(session, cypher("label_count", schema, label=label), {})[0]["count"]:
        return found  # none of that label yet (a first load): nothing to look up
    stmt = cypher("existing_nodes", schema, label=label)
    for chunk in _batches(ids, 20000):
        found.update((r["id"], r["eid"]) for r in read_in_session(session, stmt, {"ids": chunk}))
    return found


def _prefetch(iterable, depth: int = 2):
    """Iterate `iterable` in a background thread, `depth` items ahead: the next batch's rows are
    built while the server writes the current one."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce():
        try:
            for item in iterable:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(done)
        except BaseException as exc:  # handed to the consumer
            q.put(exc)

    worker = threading.Thread(target=produce, name="policykg-rows", daemon=True)
    worker.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)


@contextmanager
def gc_paused():
    """The cyclic GC off while a big graph is prepared and loaded: with millions of live objects
    its collections cost more than the load itself."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _run_write(tx, statement: str, params: dict):
    result = tx.run(statement, params)
    record = result.single(strict=True)
    counters = result.consume().counters
    return record[0], counters


def write_batch(session, statement: str, params: dict):
    """One batch in a managed write transaction (retried by the driver on transient errors)."""
    return session.execute_write(_run_write, statement, params)


def _read_records(tx, statement: str, params: dict) -> list:
    return list(tx.run(statement, params))


def read_in_session(session, statement: str, params: dict) -> list:
    """A read in the loader's session (a managed read transaction, routed to a reader): it carries
    the session's bookmarks, so it sees the load's own writes even on a cluster."""
    return session.execute_read(_read_records, statement, params)


def _read(driver, database: str, statement: str, params: dict) -> list:
    from neo4j import RoutingControl

    return driver.execute_query(statement, params, database_=database, routing_=RoutingControl.READ).records


def _progress(total: int, enabled: bool, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="row", disable=not enabled, leave=False, dynamic_ncols=True)


def _stripped(rec, docs: frozenset, node: bool) -> list:
    """[element id, docs left (nodes only), evidence left] of a fact found by find_document_nodes
    or find_document_relationships."""
    evidence = evidence_items(rec["evidence"])
    kept = [e for e in evidence if e["doc"] not in docs]
    left = rec["evidence"] if len(kept) == len(evidence) else (_dumps(kept) if kept else None)
    if node:
        return [rec["eid"], [d for d in rec["docs"] or () if d not in docs], left]
    return [rec["eid"], left]


def _strip(session, docs: list[str], batch_size: int, schema: Schema) -> tuple[list, list]:
    """Step 2: take `docs`' evidence and provenance off every fact; returns the touched element ids."""
    needles = [_dumps({"doc": d})[1:-1] for d in docs]  # `"doc":"<id>"` as the evidence JSON holds it
    found = {kind: read_in_session(session, cypher(f"find_document_{kind}", schema), {"docs": docs, "needles": needles})
             for kind in ("nodes", "relationships")}
    doc_set = frozenset(docs)
    for kind in ("relationships", "nodes"):
        rows = [_stripped(r, doc_set, kind == "nodes") for r in found[kind]]
        for chunk in _batches(rows, batch_size):
            write_batch(session, cypher(f"strip_{kind}", schema), {"rows": chunk})
    return [r["eid"] for r in found["nodes"]], [r["eid"] for r in found["relationships"]]


def _delete_orphans(session, node_ids: list, rel_ids: list, batch_size: int, schema: Schema, summary: LoadSummary) -> None:
    for chunk in _batches(rel_ids, batch_size):
        n, _ = write_batch(session, cypher("delete_orphan_relationships", schema), {"ids": chunk})
        summary.relationships_deleted += n
    for chunk in _batches(node_ids, batch_size):
        n, counters = write_batch(session, cypher("delete_orphan_nodes", schema), {"ids": chunk})
        summary.nodes_deleted += n
        summary.relationships_deleted += counters.relationships_deleted


def document_status(session, doc_ids: list[str], schema: Schema | None = None) -> dict[str, dict]:
    """document id -> {complete, hash} for the documents that have a Document node."""
    schema = schema or load_schema()
    by_node = {document_id(d): d for d in doc_ids}
    recs = read_in_session(session, cypher("document_status", schema), {"ids": sorted(by_node)})
    return {by_node[r["id"]]: {"complete": r["complete"], "hash": r["hash"]} for r in recs}


def load_graph(driver, database: str, contract: dict, documents: list[str] | None = None,
               batch_size: int = DEFAULT_BATCH_SIZE, progress: bool = False, force: bool = False,
               schema: Schema | None = None, ensure_schema: bool = True, source: str = "the graph",
               validate: bool = True) -> LoadSummary:
    """Load `contract` (or only `documents` of it) into `database`; see the module docstring.
    validate=False only when the caller has just run validate_graph on the same contract."""
    with gc_paused():
        return _load_graph(driver, database, contract, documents, batch_size, progress, force, schema,
                           ensure_schema, source, validate)


def _load_graph(driver, database, contract, documents, batch_size, progress, force, schema, ensure_schema,
                source, validate) -> LoadSummary:
    if batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    schema = schema or load_schema()
    t0 = time.perf_counter()
    phases: dict[str, float] = {}

    def lap(name: str, since=[t0]) -> None:
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - since[0]
        since[0] = now

    if validate:
        validate_graph(contract, schema, source)
    lap("check")
    prepared = prepare(contract, schema)
    lap("prepare")
    all_docs = sorted(prepared.documents)
    if documents:
        unknown = sorted(set(documents) - set(all_docs))
        if unknown:
            raise UsageError(f"{source} has no document {unknown[0]!r}")
        wanted = sorted(set(documents))
    else:
        wanted = all_docs
    if ensure_schema:  # the key constraints now (MERGE needs them); the lookup indexes after the writes,
        apply_schema(driver, database, schema, indexes=False)  # when a new database builds them in one pass
    lap("schema")
    with driver.session(database=database) as session:
        status = document_status(session, wanted, schema)
        # the hashes decide which complete documents are skipped; when none is complete they are
        # needed only by the last write, and are computed while the server writes the relationships
        hashing = None
        if force or not any(st.get("complete") is True for st in status.values()):
            hashing = threading.Thread(target=lambda: prepared.hashes, name="policykg-hashes", daemon=True)
        load = [d for d in wanted if force or not (status.get(d, {}).get("complete") is True
                                                   and status[d].get("hash") == prepared.hashes[d])]
        summary = LoadSummary(documents_loaded=load, documents_skipped=[d for d in wanted if d not in load])
        load_set = frozenset(load)
        nodes, edges = prepared.touched(load_set)
        if load:
            titles = {n.key[1]: n.props["name"] for n in nodes if n.group == ("Document",)}
            begin = [{"id": document_id(d), "document_id": d, "name": titles[document_id(d)]} for d in load]
            _, counters = write_batch(session, cypher("document_begin", schema), {"rows": begin})
            summary.nodes_created += counters.nodes_created
        node_ids, rel_ids = [], []
        if any(d in status for d in load):
            node_ids, rel_ids = _strip(session, load, batch_size, schema)
        lap("begin")
        by_label: dict[tuple, list] = defaultdict(list)
        for n in nodes:
            by_label[n.group].append(n)
        by_type: dict[tuple, list] = defaultdict(list)
        for e in edges:
            by_type[e.group].append(e)
        full = None if set(load) == set(all_docs) else load_set
        # Nodes that do not exist yet are CREATEd with all their properties, and so are the
        # relationships that touch one of them (no relationship can exist on a node this run
        # creates), found by the element ids of their ends: no MERGE, no index lookup, no read of
        # old evidence. Everything else is merged.
        node_groups, eids = [], {}
        for (label,), group in sorted(by_label.items()):
            existing = existing_node_ids(session, label, [n.key[1] for n in group], schema)
            eids.update(existing)
            node_groups.append((True, cypher("create_nodes", schema, label=label),
                                [n for n in group if n.key[1] not in existing]))
            node_groups.append((False, cypher("load_nodes", schema, label=label),
                                [n for n in group if n.key[1] in existing]))
        new_ids = {n.key[1] for create, _, group in node_groups if create for n in group}
        rel_groups = []
        for (typ, sl, tl), group in sorted(by_type.items()):
            names = {"type": typ, "source_label": sl, "target_label": tl}
            fresh = [e for e in group if e.key[1] in new_ids or e.key[3] in new_ids]
            rel_groups.append((True, cypher("create_relationships", schema, type=typ), fresh))
            rel_groups.append((False, cypher("load_relationships", schema, **names),
                               [e for e in group if not (e.key[1] in new_ids or e.key[3] in new_ids)]))
        docs_param = sorted(load_set)
        lap("plan")
        with _progress(len(nodes) + len(edges), progress, "load") as bar:
            # nodes first, then (once every new node's element id is known) the relationships
            for create, stmt, chunk, rows in _prefetch(_row_batches(node_groups, batch_size, full, eids)):
                written, counters = write_batch(session, stmt, {"rows": rows, "docs": docs_param})
                if create:
                    if len(written) != len(chunk):
                        raise DatabaseError(f"a node batch: {len(written)} of {len(chunk)} node(s) created")
                    eids.update(zip((n.key[1] for n in chunk), written))
                    written = len(written)
                summary.nodes_written += written
                summary.nodes_created += counters.nodes_created
                bar.update(len(rows))
                lap("nodes")
            if hashing is not None:
                hashing.start()
            for create, stmt, chunk, rows in _prefetch(_row_batches(rel_groups, batch_size, full, eids)):
                written, counters = write_batch(session, stmt, {"rows": rows, "docs": docs_param})
                if written != len(rows):
                    raise DatabaseError(f"a relationship batch: {len(rows) - written} relationship(s) found no end node")
                summary.relationships_written += written
                summary.relationships_created += counters.relationships_created
                bar.update(len(rows))
                lap("relationships")
        _delete_orphans(session, node_ids, rel_ids, batch_size, schema, summary)
        if hashing is not None:
            hashing.join()
        if load:
            write_batch(session, cypher("document_complete", schema),
                        {"rows": [{"id": document_id(d), "hash": prepared.hashes[d]} for d in load]})
        lap("finish")
    if ensure_schema:
        apply_schema(driver, database, schema, constraints=False)
        lap("indexes")
    summary.seconds = time.perf_counter() - t0
    summary.phases = phases
    return summary


def delete_document(driver, database: str, doc: str, batch_size: int = DEFAULT_BATCH_SIZE,
                    schema: Schema | None = None) -> LoadSummary:
    """Remove one document's contribution: facts only it supports go, shared facts lose its evidence."""
    schema = schema or load_schema()
    t0 = time.perf_counter()
    with driver.session(database=database) as session:
        if not document_status(session, [doc], schema):
            raise UsageError(f"the database has no document {doc!r}")
        summary = LoadSummary(documents_deleted=[doc])
        write_batch(session, cypher("document_incomplete", schema), {"ids": [document_id(doc)]})
        node_ids, rel_ids = _strip(session, [doc], batch_size, schema)
        _delete_orphans(session, node_ids, rel_ids, batch_size, schema, summary)
    summary.seconds = time.perf_counter() - t0
    return summary


# ---- reading back ----

def read_graph(driver, database: str, schema: Schema | None = None) -> dict:
    """The graph in the database as a graph.json contract (nodes by id, edges by source/type/target,
    evidence by doc/start/end/text), with the load bookkeeping left out."""
    schema = schema or load_schema()
    reserved = schema.reserved
    documents, nodes, edges = [], [], []

    def evidence(p: dict) -> list:
        return sorted(evidence_items(p.get("evidence")), key=lambda e: (e["doc"], e["start"], e["end"], e["text"]))

    for rec in _read(driver, database, cypher("read_nodes", schema), {}):
        p = rec["props"]
        labels = [lb for lb in rec["labels"] if lb in schema.labels]
        if len(labels) != 1:
            raise SchemaError(f"node {p.get('id')!r} has labels {rec['labels']} (one schema label expected)")
        props = decode_props(p, reserved)
        if "document_id" in p:
            entry_keys, node_keys = set(p.get("document_keys") or ()), set(p.get("prop_keys") or ())
            documents.append({"id": p["document_id"], **{k: props[k] for k in sorted(entry_keys) if k in props}})
            props = {k: v for k, v in props.items() if k in node_keys}
        nodes.append({"id": p["id"], "label": labels[0], "name": p.get("name"), "props": dict(sorted(props.items())),
                      "evidence": evidence(p)})
    for rec in _read(driver, database, cypher("read_relationships", schema), {}):
        p = rec["props"]
        edges.append({"source": rec["source"], "target": rec["target"], "type": rec["type"],
                      "props": dict(sorted(decode_props(p, reserved).items())), "evidence": evidence(p)})
    documents.sort(key=lambda d: d["id"])
    nodes.sort(key=lambda n: n["id"])
    edges.sort(key=lambda e: (e["source"], e["type"], e["target"]))
    return {"schema_version": schema.version, "documents": documents, "nodes": nodes, "edges": edges}


def normalized(contract: dict) -> dict:
    """`contract` in read_graph's order and shape (what a lossless load must read back)."""
    def ev(items):
        return sorted(({"doc": e["doc"], "start": e["start"], "end": e["end"], "text": e["text"]} for e in items or ()),
                      key=lambda e: (e["doc"], e["start"], e["end"], e["text"]))

    return {
        "schema_version": contract.get("schema_version", 1),
        "documents": sorted(({k: d[k] for k in sorted(d, key=lambda k: (k != "id", k))} for d in contract["documents"]),
                            key=lambda d: d["id"]),
        "nodes": sorted(({"id": n["id"], "label": n["label"], "name": n["name"],
                          "props": dict(sorted((n.get("props") or {}).items())), "evidence": ev(n.get("evidence"))}
                         for n in contract["nodes"]), key=lambda n: n["id"]),
        "edges": sorted(({"source": e["source"], "target": e["target"], "type": e["type"],
                          "props": dict(sorted((e.get("props") or {}).items())), "evidence": ev(e.get("evidence"))}
                         for e in contract["edges"]), key=lambda e: (e["source"], e["type"], e["target"])),
    }


def clear_database(driver, database: str) -> None:
    """Delete every node and relationship (tests and benchmarks), in batches so memory stays flat."""
    with driver.session(database=database) as session:
        session.run(cypher("clear_database")).consume()
