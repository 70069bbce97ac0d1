"""Documents -> per-document records -> one graph. Documents are independent, so extraction runs
in a process pool when asked to; the merge is in document-id order, so output is deterministic."""
from __future__ import annotations

import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx

from policykg.errors import DuplicateDocumentError, InputError, PolicyKGError
from policykg.graph_build.assemble import DocResult, GraphAssembler
from policykg.graph_build.ingest import MAX_BYTES, discover, doc_id_for, read_document
from policykg.graph_build.model import DocContext, Fragment, SourceDocument
from policykg.graph_build.outline import parse_outline
from policykg.graph_build.responsibility import extract_backbone

Extractor = Callable[[DocContext], Fragment]


def extractors() -> list[Extractor]:
    """Every extractor run on each document, backbone first."""
    return [extract_backbone]


def fragment_to_result(doc: SourceDocument, frag: Fragment) -> DocResult:
    def ev(spans):
        return [doc.evidence(s, e) for s, e in sorted(set(spans))]

    document = {"id": doc.id, "file": doc.file, "title": doc.title, "region": doc.region, "sha256": doc.sha256,
                "encoding": doc.encoding, "format": doc.format, "chars": len(doc.text),
                "period": list(doc.period) if doc.period else None, **({"metadata": dict(doc.metadata)} if doc.metadata else {})}
    nodes = [{"id": n.id, "label": n.label, "name": n.name, "props": dict(n.props), "evidence": ev(n.spans)}
             for n in frag.nodes]
    edges = [{"source": e.source, "target": e.target, "type": e.type, "props": dict(e.props), "evidence": ev(e.spans)}
             for e in frag.edges]
    return DocResult(document, nodes, edges)


def extract_document(doc: SourceDocument) -> DocResult:
    ctx = DocContext(doc, parse_outline(doc))
    frag = Fragment()
    for ex in extractors():
        frag.extend(ex(ctx))
    return fragment_to_result(doc, frag)


def process_path(path: str, max_bytes: int | None = MAX_BYTES) -> tuple[str, DocResult | None, str | None, str | None]:
    """(path, result, error message, extracted text when not plain text). Runs in worker processes.
    One document's failure, even a bug, is that document's error line, never the batch's end."""
    try:
        doc = read_document(Path(path), max_bytes=max_bytes)
        return path, extract_document(doc), None, (doc.text if doc.format != "text" else None)
    except PolicyKGError as exc:
        return path, None, str(exc), None
    except (RecursionError, MemoryError) as exc:
        return path, None, f"{path}: too complex to process ({type(exc).__name__})", None
    except Exception as exc:  # a bug in an extractor: report it for this document, go on with the rest
        return path, None, f"{path}: internal error ({type(exc).__name__}: {str(exc)[:200]}); please report it", None


def _process_budgeted(args: tuple[str, int | None]):
    return process_path(*args)


@dataclass
class BuildResult:
    graph: nx.MultiDiGraph
    documents: dict[str, dict]
    failures: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    dangling: int = 0

    def summary(self) -> str:
        labels = Counter(a["label"] for _, a in self.graph.nodes(data=True))
        types = Counter(a["type"] for _, _, a in self.graph.edges(data=True))
        lab = ", ".join(f"{k} {v}" for k, v in sorted(labels.items()))
        typ = ", ".join(f"{k} {v}" for k, v in sorted(types.items()))
        return (f"built {len(self.documents)} documents ({len(self.failures)} failed) in {self.seconds:.2f}s: "
                f"{self.graph.number_of_nodes()} nodes ({lab}); {self.graph.number_of_edges()} edges ({typ})")


def _results(paths: list[Path], workers: int, timeout: float | None = None,
             max_bytes: int | None = MAX_BYTES) -> Iterable[tuple[str, DocResult | None, str | None, str | None]]:
    if timeout:
        # each document under a time budget, in worker processes that can be killed
        from policykg.graph_build.workers import run_budgeted

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
        yield from pool.map(_process_budgeted, [(str(p), max_bytes) for p in paths], chunksize=max(1, min(32, len(paths) // (workers * 8) or 1)))


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
    results: dict[str, DocResult] = {}
    texts: dict[str, str] = {}
    it = _results(unique, workers, timeout, max_bytes)
    if progress:
        from tqdm import tqdm
        it = tqdm(it, total=len(unique), unit="doc", desc="extract", leave=False)
    for path, res, err, text in it:
        if err:
            failures.append(err)
        else:
            results[res.document["id"]] = res
            if text is not None:
                texts[res.document["id"]] = text
    asm = GraphAssembler()
    for did in sorted(results):
        asm.add(results[did])
    return BuildResult(asm.graph, asm.documents, sorted(failures), texts, time.perf_counter() - t0, asm.dangling)


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
