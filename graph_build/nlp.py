"""A spaCy pipeline over policykg's rules, for users who work in spaCy.

`load()` returns `spacy.blank("zh")` with rule components registered under versioned names:
`policykg_outline_v1` (outline items as `doc.spans["outline"]`, label = outline path),
`policykg_clauses_v1` (clauses and their units: `doc.spans["clauses"]`, `doc.spans["lead"]`,
`doc.spans["support"]`, label = canonical "region|name"). The regexes run over the normalised
text (same length as the original), so every span's characters are exactly the rule's offsets.

The build itself does not tokenise: spaCy's character segmentation of Chinese runs at about
400,000 characters/s here, slower than the whole rule pipeline, and the offsets come from the
raw text anyway. Components align spans with `doc.char_span(..., alignment_mode="expand")`.
"""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from policykg.graph_build.agencies import AgencyResolver
from policykg.graph_build.clauses import ClauseParser
from policykg.graph_build.ingest import make_document
from policykg.graph_build.model import SourceDocument
from policykg.graph_build.outline import parse_outline
from policykg.graph_build.regions import default_index

if not Doc.has_extension("policykg_doc"):
    Doc.set_extension("policykg_doc", default=None)


def _source(doc: Doc) -> SourceDocument:
    src = doc._.policykg_doc
    if src is None:
        text = doc.text
        src = make_document(Path("spacy.txt"), text, text.encode("utf-8"), "utf-8", "text")
        doc._.policykg_doc = src
    return src


def _span(doc: Doc, start: int, end: int, label: str):
    return doc.char_span(start, end, label=label, alignment_mode="expand")


@Language.component("policykg_outline_v1")
def outline_component(doc: Doc) -> Doc:
    src = _source(doc)
    doc.spans["outline"] = [s for it in parse_outline(src) if (s := _span(doc, it.start, it.end, it.path))]
    return doc


@Language.component("policykg_clauses_v1")
def clauses_component(doc: Doc) -> Doc:
    src = _source(doc)
    index = default_index()
    parser = ClauseParser(AgencyResolver(index.get(src.region_id) if src.region_id else None, None, index))
    clauses, lead, support = [], [], []
    for it in parse_outline(src):
        for cl in parser.find_in_item(src.norm, it.start, it.end):
            if (s := _span(doc, cl.start, cl.end, it.path)) is not None:
                clauses.append(s)
            for group, out in ((cl.lead, lead), (cl.support, support)):
                for u in group:
                    label = f"{u.agency.region.name}|{u.agency.name}"
                    if (s := _span(doc, u.start, u.end, label)) is not None:
                        out.append(s)
    doc.spans["clauses"], doc.spans["lead"], doc.spans["support"] = clauses, lead, support
    return doc


def load() -> Language:
    nlp = spacy.blank("zh")
    nlp.add_pipe("policykg_outline_v1")
    nlp.add_pipe("policykg_clauses_v1")
    return nlp
