"""Small builders for tests: a SourceDocument from a string, and the backbone of one text."""
from pathlib import Path

from policykg.graph_build.ingest import make_document
from policykg.graph_build.model import DocContext
from policykg.graph_build.outline import parse_outline


def doc_from_text(text: str, name: str = "t.txt"):
    return make_document(Path(name), text, text.encode("utf-8"), "utf-8", "text")


def context(text: str, name: str = "t.txt") -> DocContext:
    doc = doc_from_text(text, name)
    return DocContext(doc, parse_outline(doc))


def assignments(text: str, name: str = "t.txt") -> dict:
    """task path -> (leads, supports, explicit) with agencies as 'region|name'."""
    from policykg.graph_build.responsibility import extract_backbone

    ctx = context(text, name)
    frag = extract_backbone(ctx)
    names = {n.id: f"{n.props['region']}|{n.name}" for n in frag.nodes if n.label == "Agency"}
    paths = {n.id: n.props["number"] for n in frag.nodes if n.label == "Task"}
    out: dict = {}
    for e in frag.edges:
        if e.type in ("LEADS", "SUPPORTS"):
            lead, sup, explicit = out.get(paths[e.target], ([], [], None))
            if e.type == "LEADS":
                lead.append(names[e.source])
                explicit = e.props["explicit"]
            else:
                sup.append(names[e.source])
            out[paths[e.target]] = (lead, sup, explicit)
    return out
