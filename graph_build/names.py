"""Candidate proper names in running text, shared by the park and organisation extractors.

A name is a run of name characters that ends in a known suffix (…产业园, …实验室). Runs are cut at
punctuation and at boundary words — the verbs, prepositions and quantifiers that stand before names
in plan prose (依托, 支持, 建设, 的, 等 …, data in data/names.yaml). Spans that are known names
(regions, registered parks, curated organisations) are protected: a boundary word inside them is not
a boundary, so 和平区 is never cut at 和. Everything runs on `doc.norm`, so offsets index `doc.text`.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Sequence

import ahocorasick
import yaml

from policykg.graph_build.model import OutlineItem, Span

# punctuation after textnorm folding (ASCII forms) plus CJK marks that stay as they are
_PUNCT = re.compile(r"[\s,.;:!?、。“”\"'‘’《》<>()\[\]【】{}…—|/\\·~=+*#@%&^$`，；：！？（）「」『』〈〉]")
_LAST_PUNCT = re.compile(r"(?s:.*)" + _PUNCT.pattern)
_BOOK_TITLE = re.compile(r"《[^《》\n]{0,120}》")
_PAREN = re.compile(r"\(([^()\n]{1,10})\)")
_CN_NUM = "一二两三四五六七八九十百千几数"
_QUANTITY = re.compile(rf"^(?:\d+|[{_CN_NUM}]+)\s*(?:个|家|批|项|所|座|类|种)(?:以上|左右|多)?")
_CONJ_CHARS = "和及与或并、"


def load_yaml(name: str) -> dict:
    """A data file of the package, parsed."""
    text = resources.files("policykg.graph_build").joinpath(f"data/{name}").read_text("utf-8")
    return yaml.safe_load(text)


def automaton(words: Iterable[tuple[str, object]]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton over (word, value) pairs; the first value given for a word wins."""
    a = ahocorasick.Automaton()
    for w, v in words:
        if w and w not in a:
            a.add_word(w, (w, v))
    if len(a) == 0:
        a.add_word("\x00", ("\x00", None))  # an empty automaton cannot be searched
    a.make_automaton()
    return a


class Matcher:
    """An Aho-Corasick automaton over (word, value) pairs (the first value given for a word wins)
    whose `iter_long` and `iter` give exactly what pyahocorasick's give on the text, faster when
    many words start with different characters (the regions' 3,535 names: 927 first characters;
    with a hundred or two the mapping costs about what it saves).

    pyahocorasick finds a node's child by a linear scan of its children, so with hundreds of first
    characters at the root, every character of the text that starts no word costs a scan of them
    all. A character that occurs in no word cannot be in a match, and at one the search is back at
    the root with nothing pending; so every such character is mapped to one placeholder, the root's
    first child (of a word that can never match), which the scan finds at once. Same length, same
    offsets, same matches (tests/unit/test_fast_extract.py checks it against the plain automaton)."""

    _PAD, _NEVER = 0, 1  # the placeholder \x00, and \x01 which then never occurs in a mapped text

    def __init__(self, words: Iterable[tuple[str, object]]):
        a = ahocorasick.Automaton()
        a.add_word(chr(self._PAD) + chr(self._NEVER), None)  # first: the root's first child
        alphabet: set[str] = set()
        for w, v in words:
            if w and w not in a:
                if chr(self._PAD) in w or chr(self._NEVER) in w:
                    raise ValueError(f"a word holds a reserved character: {w!r}")
                a.add_word(w, (w, v))
                alphabet.update(w)
        a.make_automaton()
        self.automaton = a
        self._map = _CharMap(alphabet, self._PAD)

    def iter_long(self, text: str):
        return self.automaton.iter_long(text.translate(self._map))

    def iter(self, text: str):
        return self.automaton.iter(text.translate(self._map))


class _CharMap(dict):
    """str.translate table: characters of the alphabet to themselves, any other to `pad`; filled
    as characters are first seen."""

    def __init__(self, alphabet: set[str], pad: int):
        super().__init__()
        self._alphabet = frozenset(map(ord, alphabet))
        self._pad = pad

    def __missing__(self, code: int) -> int:
        value = self[code] = code if code in self._alphabet else self._pad
        return value


def iter_longest(a: ahocorasick.Automaton, text: str):
    """(start, end, word, value) for the leftmost-longest non-overlapping matches of `a` in `text`."""
    for end, (w, v) in a.iter_long(text):
        yield end - len(w) + 1, end + 1, w, v


@functools.lru_cache(maxsize=1)
def name_rules() -> dict:
    return load_yaml("names.yaml")


class Spans:
    """A sorted set of disjoint spans with fast containment and overlap tests."""

    def __init__(self, spans: Iterable[Span]):
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect.bisect_left(self.ends, s + 1)  # first span ending after s
        return i < len(self.starts) and self.starts[i] < e

    def covering(self, pos: int) -> Span | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.starts[i] <= pos < self.ends[i]:
            return self.starts[i], self.ends[i]
        return None


class Segmenter:
    """Finds where the name run ending at an offset starts: after the last break (punctuation or a
    boundary word) before it. Each question looks back at most WINDOW characters, so the cost
    follows the number of suffix hits, not the length of the document."""

    WINDOW = 40  # no name is longer; a run without a break in this window is no name

    def __init__(self, text: str, protected: Iterable[Span] = (), keep_parens: Iterable[Span] = ()):
        self.text = text
        prot = Spans([*protected, *keep_parens])
        # the text with protected characters blanked out (same length): no break is found inside them
        parts, pos = [], 0
        for s, e in zip(prot.starts, prot.ends):
            parts.append(text[pos:s])
            parts.append("\x01" * (e - s))
            pos = e
        parts.append(text[pos:])
        self.masked = "".join(parts)
        self.book_titles = Spans(m.span() for m in _BOOK_TITLE.finditer(text)) if "《" in text else None
        self._boundaries = _boundary_automaton(tuple(name_rules()["boundary_words"]))

    def run_start(self, end: int) -> int | None:
        """Start of the run of name characters that ends at `end`; None when the run is longer
        than the window (no break found: not a name)."""
        lo = max(0, end - self.WINDOW)
        m = _LAST_PUNCT.match(self.masked, lo, end)  # greedy: the last punctuation in the window
        start = m.end() if m else lo
        last = start if m else None
        for e, _v in self._boundaries.iter_long(self.masked[start:end]):
            last = start + e + 1
        if last is None:
            return 0 if lo == 0 else None
        return last

    def in_book_title(self, start: int, end: int) -> bool:
        return self.book_titles is not None and self.book_titles.overlaps(start, end)


def group_runs(seg: Segmenter, hits: Sequence[tuple]) -> list[tuple[int, list]]:
    """Suffix hits (start, end, …) in text order, grouped by the name run they end: a later hit
    whose run starts at or before an earlier hit extends that name (…算力网络…数据中心集群).
    Returns (run start, hits of the run) for runs that have a start."""
    out: list[tuple[int | None, list]] = []
    for h in hits:
        if seg.in_book_title(h[0], h[1]):
            continue
        rs = seg.run_start(h[0])
        if out and rs is not None and out[-1][0] is not None and rs <= out[-1][1][-1][0] \
                and out[-1][1][-1][1] <= h[0]:
            gap_start = out[-1][1][-1][1]
            m = _connective_re().match(seg.text, gap_start, h[0])
            if m is not None and m.end() < h[0]:
                out.append((m.end(), [h]))  # two names joined: 三明研究院与三明大学, A联合B
            else:
                prev_rs, prev_hits = out.pop()
                out.append((min(rs, prev_rs), prev_hits + [h]))
        else:
            out.append((rs, [h]))
    return [(rs, hs) for rs, hs in out if rs is not None]


@functools.lru_cache(maxsize=1)
def _connective_re() -> re.Pattern:
    words = sorted(name_rules()["connectives"], key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


@functools.lru_cache(maxsize=4)
def _boundary_automaton(words: tuple[str, ...]) -> ahocorasick.Automaton:
    return automaton((w, None) for w in words)


@dataclass(frozen=True)
class Prefix:
    """What stands before a candidate name once leading conjunctions are stripped."""

    start: int
    quantity: bool  # 11个省级…, 一批… : a count of a category, not one named thing
    designation: bool  # 国家级…, 省级…: a rank, not a name


@functools.lru_cache(maxsize=1)
def _lead_re() -> re.Pattern:
    rules = name_rules()

    def alt(words):
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    return re.compile(rf"(?P<conj>[{_CONJ_CHARS}]+)|(?P<qty>{_QUANTITY.pattern[1:]}|{alt(rules['quantity_words'])})"
                      rf"|(?P<rank>{alt(rules['rank_prefixes'])})")


def clean_start(text: str, start: int, end: int) -> Prefix:
    """Strip leading conjunctions, counts and rank words from text[start:end]."""
    quantity = designation = False
    lead = _lead_re()
    while start < end:
        m = lead.match(text, start, end)
        if m is None or m.end() >= end:
            break
        if m.lastgroup == "qty":
            quantity = True
        elif m.lastgroup == "rank":
            designation = True
        start = m.end()
    return Prefix(start, quantity, designation)


@functools.lru_cache(maxsize=1)
def _quantity_before_re() -> re.Pattern:
    words = "|".join(re.escape(w) for w in sorted(name_rules()["quantity_words"], key=len, reverse=True))
    return re.compile(rf"(?:(?:\d+|[{_CN_NUM}]+)\s*(?:个|家|批|项|所|座|类|种)(?:以上|左右|多)?|{words})$")


def preceded_by_quantity(text: str, start: int) -> bool:
    """A count right before `start` (培育11个|…, 3个以上|…, 一批|…)."""
    return _quantity_before_re().search(text, max(0, start - 8), start) is not None


def region_parentheticals(text: str, is_place) -> list[Span]:
    """Spans of '(深圳)' style parentheticals whose content is a place name: part of a name."""
    return [m.span() for m in _PAREN.finditer(text) if is_place(m.group(1))]


def quoted(text: str, start: int, end: int) -> bool:
    """text[start:end] is exactly the content of a pair of quotation marks."""
    return start > 0 and end < len(text) and text[start - 1] in "“\"‘'「『" and text[end] in "”\"’'」』"


class ItemLocator:
    """The innermost outline item containing an offset, by bisection (items' own texts are disjoint
    in the outline parser's output; overlapping items fall back to the linear rule of DocContext)."""

    def __init__(self, items: Sequence[OutlineItem]):
        self.items = sorted(items, key=lambda it: (it.start, -it.level))
        self.starts = [it.start for it in self.items]
        ends = [it.end for it in self.items]
        self.disjoint = all(ends[i] <= self.starts[i + 1] for i in range(len(self.items) - 1))

    def at(self, offset: int) -> OutlineItem | None:
        if not self.disjoint:
            best = None
            for it in self.items:
                if it.start <= offset < it.end and (best is None or it.level >= best.level):
                    best = it
            return best
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.items[i].end:
            return self.items[i]
        return None
