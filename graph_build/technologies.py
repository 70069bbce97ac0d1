"""Technologies a plan addresses, from the vocabulary in data/technologies.yaml.

One Aho-Corasick automaton over every synonym, built once at import, finds the leftmost-longest
mentions (人工智能芯片 is one mention of ai_chip, not 智能芯片 plus noise); ASCII terms (XR, 5G, AI
Agent) match case-insensitively and only as whole words. Each outline item that mentions a technology
ADDRESSES it (Task -> Technology); a park FOCUSES_ON the technologies its own 专栏 entry or its
sentence says it develops (罗湖人工智能产业基地。重点发展人脸识别、语音识别…).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.graph_build.model import DocContext, EdgeRec, Fragment, NodeRec, Span, task_id, technology_id
from policykg.graph_build.names import ItemLocator, automaton, iter_longest, load_yaml


@dataclass(frozen=True)
class Technology:
    key: str
    name: str
    en: str
    category: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class TechMention:
    start: int
    end: int
    key: str


class TechVocabulary:
    def __init__(self, data: dict):
        self.by_key: dict[str, Technology] = {}
        forms: dict[str, str] = {}
        for d in data["technologies"]:
            t = Technology(d["key"], d["name"], d["en"], d["category"], tuple(d["synonyms"]))
            if t.key in self.by_key:
                raise ValueError(f"technologies.yaml: duplicate key {t.key}")
            self.by_key[t.key] = t
            for f in (t.name, *t.synonyms):
                f = f.lower()
                if forms.setdefault(f, t.key) != t.key:
                    raise ValueError(f"technologies.yaml: {f!r} is a synonym of both {forms[f]} and {t.key}")
        self.forms = forms
        self.automaton = automaton(sorted(forms.items()))

    def mentions(self, text: str) -> list[TechMention]:
        low = text.lower()
        if len(low) != len(text):  # a few non-ASCII letters change length when lowered
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        out = []
        for s, e, w, key in iter_longest(self.automaton, low):
            if w[0].isascii() and w[0].isalnum() and s > 0 and low[s - 1].isascii() and low[s - 1].isalnum():
                continue
            if w[-1].isascii() and w[-1].isalnum() and e < len(low) and low[e].isascii() and low[e].isalnum():
                continue
            out.append(TechMention(s, e, key))
        return out

    def node(self, key: str, spans: tuple[Span, ...]) -> NodeRec:
        t = self.by_key[key]
        return NodeRec(technology_id(key), "Technology", t.name,
                       {"key": t.key, "en": t.en, "category": t.category, "synonyms": list(t.synonyms)}, spans)


VOCABULARY = TechVocabulary(load_yaml("technologies.yaml"))


# A technology node is shared by every document that names it; it keeps its first few mentions per
# document as evidence, while each ADDRESSES edge keeps all the mentions in its outline item.
NODE_SPANS_PER_DOC = 5


def tech_mentions(ctx: DocContext) -> list[TechMention]:
    from policykg.graph_build.places import cached

    return cached("technologies", ctx, lambda: VOCABULARY.mentions(ctx.doc.norm))


def extract_technologies(ctx: DocContext) -> Fragment:
    """Technology nodes with their mention spans; Task ADDRESSES Technology for the innermost outline
    item of every mention."""
    from policykg.graph_build.places import cached

    doc = ctx.doc
    mentions = tech_mentions(ctx)  # in text order
    locator = cached("locator", ctx, lambda: ItemLocator(ctx.items))
    frag = Fragment()
    spans: dict[str, list[Span]] = {}
    edges: dict[tuple[str, str], list[Span]] = {}
    if locator.disjoint:
        # one merge pass over mentions and items (both sorted by start)
        items, starts, j, n, tid, item_end = locator.items, locator.starts, 0, len(locator.items), None, -1
        for m in mentions:
            span = (m.start, m.end)
            spans.setdefault(m.key, []).append(span)
            if m.start >= item_end:
                while j < n and starts[j] <= m.start:
                    j += 1
                it = items[j - 1] if j else None
                if it is None or m.start >= it.end:
                    tid, item_end = None, (starts[j] if j < n else len(doc.norm) + 1)
                else:
                    tid, item_end = task_id(doc.id, it.number), it.end
            if tid is not None:
                edges.setdefault((tid, m.key), []).append(span)
    else:
        for m in mentions:
            span = (m.start, m.end)
            spans.setdefault(m.key, []).append(span)
            it = locator.at(m.start)
            if it is not None:
                edges.setdefault((task_id(doc.id, it.number), m.key), []).append(span)
    for key in sorted(spans):
        frag.nodes.append(VOCABULARY.node(key, tuple(spans[key][:NODE_SPANS_PER_DOC])))
    for (tid, key) in sorted(edges):
        frag.edges.append(EdgeRec(tid, technology_id(key), "ADDRESSES", {}, tuple(edges[(tid, key)])))
    return frag


_FOCUS = re.compile(r"重点发展|重点推动|重点布局|重点打造|聚焦|主攻|主要发展|大力发展|着力发展|集聚发展|发展")
_SENTENCE_END = re.compile(r"[。;!?\n]")


def park_focus(ctx: DocContext, pa) -> list[tuple[str, NodeRec, tuple[Span, ...]]]:
    """(park name, technology node, evidence spans) for what each park develops: the technologies of
    an outline item whose title is the park's name (a 专栏 entry), or those named after a focus verb
    (重点发展, 聚焦 …) in the sentence that names the park."""
    from policykg.graph_build.places import park_title_items

    norm = ctx.doc.norm
    mentions = tech_mentions(ctx)
    starts = [m.start for m in mentions]
    import bisect

    def techs_in(a: int, b: int) -> list[TechMention]:
        i = bisect.bisect_left(starts, a)
        out = []
        while i < len(mentions) and mentions[i].start < b:
            if mentions[i].end <= b:
                out.append(mentions[i])
            i += 1
        return out

    found: dict[tuple[str, str], list[Span]] = {}
    titled = park_title_items(ctx, pa)
    for name, items in titled.items():
        for it in items:
            for m in techs_in(it.title_start + len(it.title), it.end):
                found.setdefault((name, m.key), []).append((m.start, m.end))
    for name, rec in pa.parks.items():
        if name in titled:
            continue
        for s, e in rec.spans:
            end_m = _SENTENCE_END.search(norm, e)
            stop = end_m.start() if end_m else len(norm)
            verb = _FOCUS.search(norm, e, stop)
            if verb is None:
                continue
            for m in techs_in(verb.end(), stop):
                found.setdefault((name, m.key), []).append((m.start, m.end))
    out = []
    for (name, key) in sorted(found):
        spans = tuple(sorted(set(found[(name, key)])))
        out.append((name, VOCABULARY.node(key, spans), spans))
    return out
