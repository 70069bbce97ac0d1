#!/usr/bin/env python3
"""Build a graph.json from the place, organisation and technology extractors (plus the backbone,
for documents, tasks and agencies) over a corpus, to score them with ../shared/eval.py before they
are wired into the pipeline.

usage: .venv/bin/python scripts/score_places.py [CORPUS_DIR] [OUT.json]
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from policykg.graph_build.assemble import GraphAssembler, to_contract
from policykg.graph_build.ingest import discover, read_document
from policykg.graph_build.model import DocContext
from policykg.graph_build.organizations import extract_organizations
from policykg.graph_build.outline import parse_outline
from policykg.graph_build.pipeline import fragment_to_result
from policykg.graph_build.places import extract_parks, extract_regions
from policykg.graph_build.responsibility import extract_backbone
from policykg.graph_build.technologies import extract_technologies

MINE = (extract_regions, extract_parks, extract_organizations, extract_technologies)


def main(argv: list[str]) -> int:
    corpus = Path(argv[0]) if argv else Path("data/corpus")
    out = Path(argv[1]) if len(argv) > 1 else Path("out/places_graph.json")
    asm = GraphAssembler()
    chars, mine_s = 0, 0.0
    for path in discover([corpus]):
        doc = read_document(path)
        ctx = DocContext(doc, parse_outline(doc))
        frag = extract_backbone(ctx)
        t0 = time.perf_counter()
        for ex in MINE:
            frag.extend(ex(ctx))
        mine_s += time.perf_counter() - t0
        chars += len(doc.text)
        asm.add(fragment_to_result(doc, frag))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(to_contract(asm.graph, asm.documents), ensure_ascii=False, indent=1), "utf-8")
    print(f"wrote {out}: {asm.graph.number_of_nodes()} nodes, {asm.graph.number_of_edges()} edges, "
          f"{asm.dangling} dangling; place/org/tech extractors {chars / max(mine_s, 1e-9):,.0f} chars/s "
          f"(first call includes building the lexicons)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
