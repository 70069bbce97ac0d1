"""Documents -> per-document records -> one graph. Documents are independent, so extraction runs
in a process pool when asked to; the merge is in document-id order, so output is deterministic."""
from __future__ import annotations

import gc
import os
import queue
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import networkx as nx

from policykg.errors import DuplicateDocumentError, InputError, PolicyKGError
from policykg.graph_build.assemble import DocRecords, DocResult, GraphStore, doc_records
from policykg.graph_build.ingest import MAX_BYTES, discover, doc_id_for, read_document
from policykg.graph_build.model import DocContext, Fragment, SourceDocument
from policykg.graph_build.outline import parse_outline
from policykg.graph_build.responsibility import extract_backbone

Extractor = Callable[[DocContext], Fragment]


def extractors() -> list[Extractor]:
    """Every extractor run on each document, backbone first."""
    from policykg.graph_build.funding import extract_funding
    from policykg.graph_build.organizations import extract_organizations
    from policykg.graph_build.places import extract_parks, extract_regions
    from policykg.graph_build.policies import extract_policies
    from policykg.graph_build.targets import extract_targets
    from policykg.graph_build.technologies import extract_technologies

    return [extract_backbone, extract_regions, extract_parks, extract_organizations, extract_technologies,
            extract_targets, extract_funding, extract_policies]


def _document_entry(doc: SourceDocument) -> dict:
    return {"id": doc.id, "file": doc.file, "title": doc.title, "region": doc.region, "sha256": doc.sha256,
            "encoding": doc.encoding, "format": doc.format, "chars": len(doc.text),
            "period": list(doc.period) if doc.period else None, **({"metadata": dict(doc.metadata)} if doc.metadata else {})}


def fragment_to_result(doc: SourceDocument, frag: Fragment) -> DocResult:
    """The readable form: evidence as {doc, start, end, text} dicts."""
    made: dict[tuple[int, int], dict] = {}

    def ev(spans):
        out = []
        for span in sorted(set(spans)):
            rec = made.get(span)
            if rec is None:
                rec = made[span] = doc.evidence(*span)
            out.append(rec)
        return out

    nodes = [{"id": n.id, "label": n.label, "name": n.name, "props": dict(n.props), "evidence": ev(n.spans)}
             for n in frag.nodes]
    edges = [{"source": e.source, "target": e.target, "type": e.type, "props": dict(e.props), "evidence": ev(e.spans)}
             for e in frag.edges]
    return DocResult(_document_entry(doc), nodes, edges)


def fragment_to_records(doc: SourceDocument, frag: Fragment) -> DocRecords:
    """The compact form the build merges: evidence as spans of the document's text, each node and
    edge once (what is pickled back from a worker)."""
    return doc_records(_document_entry(doc), doc.text,
                       ((n.id, n.label, n.name, n.props, n.spans) for n in frag.nodes),
                       ((e.source, e.target, e.type, e.props, e.spans) for e in frag.edges))


def _fragment(doc: SourceDocument) -> Fragment:
    ctx = DocContext(doc, parse_outline(doc))
    frag = Fragment()
    for ex in extractors():
        frag.extend(ex(ctx))
    return frag


def extract_document(doc: SourceDocument) -> DocResult:
    return fragment_to_result(doc, _fragment(doc))


def extract_records(doc: SourceDocument) -> DocRecords:
    return fragment_to_records(doc, _fragment(doc))


def process_path(path: str, max_bytes: int | None = MAX_BYTES) -> tuple[str, DocRecords | None, str | None, str | None]:
    """(path, result, error message, extracted text when not plain text). Runs in worker processes.
    One document's failure, even a bug, is that document's error line, never the batch's end."""
    try:
        doc = read_document(Path(path), max_bytes=max_bytes)
        return path, extract_records(doc), None, (doc.text if doc.format != "text" else None)
    except PolicyKGError as exc:
        return path, None, str(exc), None
    except (RecursionError, MemoryError) as exc:
        return path, None, f"{path}: too complex to process ({type(exc).__name__})", None
    except Exception as exc:  # a bug in an extractor: report it for this document, go on with the rest
        # where it happened, not the message: a message may quote the document, which is never logged
        import traceback

        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return path, None, f"{path}: internal error ({type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}); please report it", None


def _process_budgeted(args: tuple[str, int | None]):
    return process_path(*args)


@dataclass
class BuildResult:
    store: GraphStore
    failures: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # extracted texts of documents that are not plain text
    seconds: float = 0.0
    dangling: int = 0
    _graph: nx.MultiDiGraph | None = field(default=None, repr=False)

    @property
    def documents(self) -> dict[str, dict]:
        return self.store.documents

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The merged graph as networkx (made on first use from the compact store)."""
        if self._graph is None:
            self._graph = self.store.graph()
        return self._graph

    def contract(self) -> dict:
        return self.store.contract()

    def summary(self) -> str:
        labels, types = self.store.label_counts(), self.store.type_counts()
        lab = ", ".join(f"{k} {v}" for k, v in sorted(labels.items()))
        typ = ", ".join(f"{k} {v}" for k, v in sorted(types.items()))
        return (f"built {len(self.documents)} documents ({len(self.failures)} failed) in {self.seconds:.2f}s: "
                f"{self.store.number_of_nodes()} nodes ({lab}); {self.store.number_of_edges()} edges ({typ})")


def _results(paths: list[Path], workers: int, timeout: float | None = None,
             max_bytes: int | None = MAX_BYTES) -> Iterable[tuple[str, DocRecords | None, str | None, str | None]]:
    if timeout:
        # each document under a time budget, in worker processes that can be killed
        from policykg.graph_build.workers import run_budgeted

        _warm_up()  # the workers are forked from here: load the lexicons and models once, not per worker
        yield from run_budgeted(
            _process_budgeted, [(str(p), max_bytes) for p in paths], workers, timeout,
            on_timeout=lambda a, t: (a[0], None, f"{a[0]}: timed out after {t:g}s (raise the limit with --timeout)", None),
            on_crash=lambda a, why: (a[0], None, f"{a[0]}: {why}", None))
        return
    if workers <= 1 or len(paths) <= 1:
        for p in paths:
            yield process_path(str(p), max_bytes)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # imap-style: a bounded window of chunks in flight, results streamed in submission order
        chunk = max(1, min(32, len(paths) // (workers * 8) or 1))
        todo = iter([(str(p), max_bytes) for p in paths[i:i + chunk]] for i in range(0, len(paths), chunk))
        window: deque = deque()
        for batch in todo:
            window.append(pool.submit(_process_batch, batch))
            if len(window) >= workers * 4:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _process_batch(batch: list[tuple[str, int | None]]):
    return [process_path(*args) for args in batch]


_WARM_UP_TEXT = "某市人工智能发展行动计划(2020-2022年)\n一、重点任务\n(一)建设平台\n1.建设算力平台。到2022年,核心产业规模突破100亿元," \
                "给予最高500万元补助。(牵头单位:市工信局,责任单位:市科技局、各区政府)\n"


def _warm_up() -> None:
    """Run one small document in this process before the workers fork, so that they inherit the
    loaded lexicons, region index, patterns and extractor modules instead of each loading them."""
    from policykg.graph_build.ingest import make_document

    try:
        extract_records(make_document(Path("warm-up.txt"), _WARM_UP_TEXT, b"", "utf-8", "text"))
    except Exception:  # only a head start: a real document with the same bug reports it itself
        pass


def _in_background(it: Iterable, depth: int) -> Iterator:
    """Run the iterator `it` in a thread and yield what it yields, at most `depth` items ahead: the
    pool's dispatch loop keeps every worker fed while the calling thread merges results."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False  # the consumer has gone

    def pump():
        error = None
        try:
            for x in it:
                if not put((x, None)):
                    break
        except BaseException as exc:  # re-raised in the consuming thread
            error = exc
        finally:
            if stop.is_set() and hasattr(it, "close"):
                it.close()  # stops the worker processes
        put((done, error))

    t = threading.Thread(target=pump, name="policykg-results", daemon=True)
    t.start()
    try:
        while True:
            x, exc = q.get()
            if x is done:
                if exc is not None:
                    raise exc
                return
            yield x
    finally:
        stop.set()
        t.join()


def build_corpus(inputs: list[str | Path], workers: int = 1, progress: bool = False, timeout: float | None = None,
                 max_bytes: int | None = MAX_BYTES) -> BuildResult:
    """timeout: seconds one document may take (None: no limit, in this process when workers <= 1);
    max_bytes: larger files fail as "too large" without being read."""
    t0 = time.perf_counter()
    paths = discover(inputs)
    failures: list[str] = []
    seen: dict[str, Path] = {}
    unique: list[Path] = []
    for p in paths:
        did = doc_id_for(p)
        if did in seen:
            failures.append(str(DuplicateDocumentError(p, f"document id {did!r} clashes with {seen[did]}")))
            continue
        seen[did] = p
        unique.append(p)
    workers = workers if workers > 0 else (os.cpu_count() or 1)
    texts: dict[str, str] = {}
    # Documents are merged in document-id order (deterministic output) as their results stream in:
    # they are handed out in that order, and a result that arrives early waits in `early` only
    # until the ones before it are merged, so no whole-corpus list of results is ever held.
    unique.sort(key=doc_id_for)
    rank = {str(p): i for i, p in enumerate(unique)}
    if workers > 1 and len(unique) > 1:
        _warm_up()
    it = _results(unique, workers, timeout, max_bytes)
    if workers > 1 and len(unique) > 1:
        it = _in_background(it, depth=8 * workers)
    if progress:
        from tqdm import tqdm
        it = tqdm(it, total=len(unique), unit="doc", desc="extract", leave=False)
    store = GraphStore()

    def merge(item) -> None:
        _path, res, err, text = item
        if err:
            failures.append(err)
        else:
            store.add(res)
            if text is not None:
                texts[res.document["id"]] = text

    early: dict[int, tuple] = {}
    nxt = 0
    # The merged graph is millions of long-lived objects and extraction leaves almost no cyclic
    # garbage (about ten objects a document): the cyclic collector would only rescan the growing
    # graph, a third of an in-process build's time. It is off for the build and restored after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for item in it:
            early[rank[item[0]]] = item
            while nxt in early:
                merge(early.pop(nxt))
                nxt += 1
        for k in sorted(early):  # only if a document never reported (cannot happen): keep the order
            merge(early.pop(k))
    finally:
        if collecting:
            gc.enable()
    return BuildResult(store, sorted(failures), texts, time.perf_counter() - t0, store.dangling)


def build_texts(inputs: list[str | Path]) -> dict[str, str]:
    """doc id -> text the offsets index (for showing evidence)."""
    out = {}
    for p in discover(inputs):
        try:
            d = read_document(p)
            out[d.id] = d.text
        except InputError:
            continue
    return out
