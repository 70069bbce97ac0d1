"""Plain typed data passed between the pipeline steps.

Every extractor takes a `SourceDocument` (and a `DocContext` with the outline) and returns a
`Fragment`: node and edge records whose `spans` are (start, end) indices into `doc.text`, the
ORIGINAL text as Python reads it. The assembler merges fragments of all documents into one graph
(node ids are global: the same agency, region, park or technology in two documents is one node).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

Span = tuple[int, int]


@dataclass(frozen=True)
class SourceDocument:
    """One input document after ingest.

    text: the original text (offsets index this); norm: the same text in simplified script with
    full-width punctuation, digits and letters folded to ASCII — same length, same offsets.
    """

    id: str
    file: str
    path: str
    text: str
    norm: str
    sha256: str
    encoding: str
    format: str = "text"
    title: str = ""
    title_span: Span | None = None
    region: str | None = None  # issuing region name, e.g. 深圳市
    region_id: str | None = None
    period: tuple[int, int] | None = None  # plan period from the title, e.g. (2019, 2023)
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def evidence(self, start: int, end: int) -> dict:
        return {"doc": self.id, "start": start, "end": end, "text": self.text[start:end]}


@dataclass(frozen=True)
class OutlineItem:
    """A numbered item of the plan's outline (a section, a numbered item, a 专栏 column or entry)."""

    number: tuple[str, ...]  # e.g. ("三", "一", "1"); markers without brackets/punctuation
    level: int  # depth in the outline, 0 = top section
    kind: str  # "cn" 一、 | "paren_cn" (一) | "num" 1. | "paren_num" (1) | "column" 专栏N | "entry"
    title: str
    title_start: int
    start: int  # start of the marker
    end: int  # end of the item's own text, before the next item of any level
    parent: tuple[str, ...] | None = None

    @property
    def path(self) -> str:
        return "/".join(self.number)


@dataclass(frozen=True)
class NodeRec:
    id: str
    label: str
    name: str
    props: Mapping[str, Any] = field(default_factory=dict)
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class EdgeRec:
    source: str
    target: str
    type: str
    props: Mapping[str, Any] = field(default_factory=dict)
    spans: tuple[Span, ...] = ()


@dataclass
class Fragment:
    """What one extractor found in one document."""

    nodes: list[NodeRec] = field(default_factory=list)
    edges: list[EdgeRec] = field(default_factory=list)

    def extend(self, other: "Fragment") -> "Fragment":
        self.nodes.extend(other.nodes)
        self.edges.extend(other.edges)
        return self


@dataclass(frozen=True)
class DocContext:
    """Per-document context shared by extractors: the outline and task ids."""

    doc: SourceDocument
    items: tuple[OutlineItem, ...]

    def item_at(self, offset: int) -> OutlineItem | None:
        """The innermost outline item whose own text contains `offset` (None outside any item)."""
        best = None
        for it in self.items:
            if it.start <= offset < it.end:
                if best is None or it.level >= best.level:
                    best = it
        return best


# ---- node ids: one place, so that every extractor names the same thing the same way ----

def document_id(doc_id: str) -> str:
    return f"document:{doc_id}"


def task_id(doc_id: str, number: tuple[str, ...] | str) -> str:
    path = number if isinstance(number, str) else "/".join(number)
    return f"task:{doc_id}#{path}"


def agency_id(region: str, name: str) -> str:
    return f"agency:{region}|{name}"


def region_id(path: tuple[str, ...] | str) -> str:
    """Regions are keyed by their path of names from the top, e.g. region:广东省/深圳市/南山区."""
    p = path if isinstance(path, str) else "/".join(path)
    return f"region:{p}"


def park_id(name: str) -> str:
    return f"park:{name}"


def organization_id(name: str) -> str:
    return f"organization:{name}"


def technology_id(key: str) -> str:
    return f"technology:{key}"


def target_id(doc_id: str, start: int) -> str:
    return f"target:{doc_id}@{start}"


def funding_id(doc_id: str, start: int) -> str:
    return f"funding:{doc_id}@{start}"


def policy_id(key: str) -> str:
    return f"policy:{key}"
