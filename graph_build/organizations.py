"""Organisations a plan names: labs, universities, enterprises, institutes, alliances, compute
facilities and platforms (named non-government actors).

Two sources, both data (data/organizations.yaml): curated organisations (华为, 鹏城实验室, with their
aliases and regions) found wherever they occur, and names ending in an organisation suffix
(…实验室, …研究院, …平台, …联盟). A suffix name counts when its suffix is strong (…大学, …有限公司)
or when it is anchored: it starts with a place (深圳…, 粤港澳大湾区…, 深港…), with 国家/全国/中国, is
quoted, or — for platforms — starts with the bare 市/省 of the issuing region (市公共数据开放利用管理平台
→ 深圳市公共数据开放利用管理平台). Counts (一批…, 7家…), ranks (国家级…) and programme designations
(国家新一代人工智能开放创新平台) are not organisations. A curated name followed by a version marker
(鹏城云脑Ⅲ) is its own node, VERSION_OF the curated one.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from policykg.graph_build.model import DocContext, EdgeRec, Fragment, NodeRec, Span, organization_id, region_id, task_id
from policykg.graph_build.names import (automaton, clean_start, group_runs, iter_longest, load_yaml,
                                        preceded_by_quantity, quoted)
from policykg.graph_build.regions import Region, default_index

_NOT_CITY_PREFIX = set("级场区县民属直内外域委政")
_LEGAL_FORM = re.compile(r"(?:\([\u4e00-\u9fff]{2,4}\))?(?:集团)?(?:股份有限公司|有限责任公司|有限公司|公司|集团)")
_COUNTED_BIG = re.compile("[两三四五六七八九十]大(?![学厦道街])")
_SLOGAN_NUMERALS = re.compile("[一二两三四五六七八九十百千万]")


@dataclass(frozen=True)
class OrgSuffix:
    suffix: str
    type: str
    strong: bool
    city_prefix: bool


@dataclass(frozen=True)
class KnownOrg:
    name: str
    type: str
    aliases: tuple[str, ...]
    region: tuple[str, ...] | None
    source: str


class OrgLexicon:
    def __init__(self):
        data = load_yaml("organizations.yaml")
        self.suffixes = {d["suffix"]: OrgSuffix(d["suffix"], d["type"], d["strength"] == "strong",
                                                bool(d.get("platform_city_prefix"))) for d in data["suffixes"]}
        self.facility_words = tuple(data["facility_words"])
        self.national_prefixes = tuple(data["national_prefixes"])
        self.designation_names = frozenset(data["designation_names"])
        self.designation_suffixes = tuple(data["designation_suffixes"])
        self.generic_stems = re.compile("(?:" + "|".join(re.escape(g) for g in sorted(data["generic_stems"], key=len,
                                                                                         reverse=True)) + ")$")
        self.known: dict[str, KnownOrg] = {}
        for d in data["known"]:
            self.known[d["name"]] = KnownOrg(d["name"], d["type"], tuple(d.get("aliases") or ()),
                                             tuple(d["region"]) if d.get("region") else None, d["source"])
        self.known_by_form = {f: k for k in self.known.values() for f in (k.name, *k.aliases)}
        self.version_re = re.compile(data["version_marker"])
        self.list_tails = dict(data["list_tails"])
        quals = "|".join(re.escape(q) for q in sorted(data["list_qualifiers"], key=len, reverse=True))
        self.list_tail_re = re.compile(f"等(?:{quals})(" + "|".join(
            re.escape(t) for t in sorted(self.list_tails, key=len, reverse=True)) + ")")
        self.list_generic_ends = tuple(data["list_item_generic_ends"])
        self.list_generic_words = re.compile("|".join(re.escape(w) for w in data["list_item_generic_words"]))

    def is_generic_stem(self, stem: str) -> bool:
        return not stem or self.generic_stems.search(stem) is not None


@functools.lru_cache(maxsize=1)
def org_lexicon() -> OrgLexicon:
    return OrgLexicon()


@functools.lru_cache(maxsize=1)
def mask_names() -> tuple[str, ...]:
    """Curated names that contain the short form of a region they are not in (中山大学 is in 广州市,
    not 中山市; 阿里巴巴 has nothing to do with 阿里地区): such a short form is no region mention."""
    index = default_index()
    lex = org_lexicon()
    places: dict[str, list[Region]] = {}
    for r in index.by_id.values():
        if r.level in ("province", "city", "sar"):
            short = r.short or (r.name[:-1] if r.name.endswith(("市", "省")) and len(r.name) >= 3 else None)
            for n in {r.name, *r.aliases, *([short] if short else [])}:
                places.setdefault(n, []).append(r)
    out = []
    for form, k in sorted(lex.known_by_form.items()):
        home = index.get(region_id(k.region)) if k.region else None
        for i in range(len(form)):
            for n in (2, 3, 4):
                for r in places.get(form[i:i + n], ()):
                    if home is None or not (index.is_within(home, r) or index.is_within(r, home)):
                        out.append(form)
    return tuple(sorted(set(out)))


# ---------------------------------------------------------------- per-document analysis

@dataclass
class OrgRecord:
    name: str
    type: str
    region: Region | None
    region_from: str | None  # name | data | document
    aliases: set[str] = field(default_factory=set)
    spans: list[Span] = field(default_factory=list)
    version_of: str | None = None
    source: str | None = None
    region_spans: list[Span] = field(default_factory=list)  # where the name names its region


def analyze_organizations(ctx: DocContext) -> dict[str, OrgRecord]:
    from policykg.graph_build.places import analyze, cached

    return cached("organizations", ctx, lambda: _analyze(ctx, analyze(ctx)))


def _analyze(ctx: DocContext, pa) -> dict[str, OrgRecord]:
    from policykg.graph_build.places import _anchor, _most_specific, lexicon

    plex = lexicon()
    lex = org_lexicon()
    index = plex.index
    norm = ctx.doc.norm
    doc_region = pa.doc_region
    orgs: dict[str, OrgRecord] = {}

    def add(name, typ, span, region=None, how=None, surface=None, version_of=None, source=None, rspans=()):
        rec = orgs.get(name)
        if rec is None:
            rec = orgs[name] = OrgRecord(name, typ, region, how, set(), [], version_of, source)
        if surface and surface != name:
            rec.aliases.add(surface)
        if span not in rec.spans:
            rec.spans.append(span)
        rec.region_spans.extend(rs for rs in rspans if rs not in rec.region_spans)
        return rec

    known_hits, suffix_hits, parens, seg = pa.known_hits, pa.org_suffix_hits, pa.parens, pa.segmenter
    paren_at = {s: e for s, e in parens}
    park_at = {sp[0]: (sp[1], rec) for rec in pa.parks.values() for sp in rec.spans}
    known_at = {s: (e, k) for s, e, k in known_hits}

    for s, e, k in known_hits:
        if seg.in_book_title(s, e):
            continue
        region = index.get(region_id(k.region)) if k.region else None
        m = lex.version_re.match(norm, e)
        if m:
            base = orgs.get(k.name)
            if base is None:
                base = OrgRecord(k.name, k.type, region, "data" if region else None, set(), [], None, k.source)
                orgs[k.name] = base
            vname = k.name + m.group(0)
            add(vname, k.type, (s, m.end()), region, "data" if region else None, norm[s:m.end()], k.name, k.source)
        else:
            add(k.name, k.type, (s, e), region, "data" if region else None, norm[s:e], source=k.source)

    new_mentions, named_spans = [], []
    for rs, sufs in group_runs(seg, suffix_hits):
        ss, ce, suf = sufs[-1]
        if ce in paren_at:  # 人工智能与数字经济广东省实验室(深圳)
            ce = paren_at[ce]
        p = clean_start(norm, rs, ss)
        cs = p.start
        if cs >= ss or p.quantity or p.designation or preceded_by_quantity(norm, rs):
            continue
        if _COUNTED_BIG.search(norm, cs, ss):
            continue  # 广州、深圳两大智算中心: a count of facilities, not a name
        text = norm[cs:ce]
        if text in lex.known_by_form or text in lex.designation_names or text.endswith(lex.designation_suffixes):
            continue
        if any(ks <= cs and ce <= ke for ks, ke, _k in known_hits):
            continue
        k = known_at.get(cs)
        if k is not None and _LEGAL_FORM.fullmatch(norm, k[0], ce):
            # the curated body's legal name (阿里巴巴(中国)有限公司): the same organisation
            rec = add(k[1].name, k[1].type, (cs, ce), surface=text)
            if (cs, k[0]) in rec.spans:
                rec.spans.remove((cs, k[0]))
            continue
        typ = suf.type
        if suf.suffix == "中心" and any(w in text for w in lex.facility_words):
            typ = "facility"
        name, region, how, rspans = text, None, None, []
        mark = len(new_mentions)
        place, anchored = _anchor(norm, cs, ce, plex, pa, new_mentions)
        park = park_at.get(cs)
        if park is not None and park[0] <= ss:  # named after the park it lies in: 西部(重庆)科学城智能算力中心
            anchored, place = True, park[1].region
            del new_mentions[mark:]
            region, how = place, "name"
        elif anchored:
            region, how = place, ("name" if place else None)
        elif cs in known_at and known_at[cs][0] <= ss:
            anchored = True  # a curated name opens it: 浙大宁波理工学院, 浙江大学杭州国际科创中心
        elif text.startswith(lex.national_prefixes):
            anchored = True
        elif suf.city_prefix and doc_region is not None and len(text) > 2 and text[1] not in _NOT_CITY_PREFIX and \
                ((text[0] == "市" and doc_region.level == "city") or (text[0] == "省" and doc_region.level == "province")):
            anchored, name, region, how = True, doc_region.name + text[1:], doc_region, "document"
        elif quoted(norm, cs, ce) and len(_SLOGAN_NUMERALS.findall(text)) < 2:
            anchored = True  # a quoted name, not a slogan such as “一中心四平台”
        elif suf.strong and not lex.is_generic_stem(norm[cs:ss]):
            anchored = True
        if not anchored:
            del new_mentions[mark:]
            continue
        inner = [m for m in pa.mentions_within(cs, ce)] + new_mentions[mark:]
        if region is None and inner:
            region, how = _most_specific(inner[0].region, [m.region for m in inner[1:]], plex), "name"
        if how == "name":
            rspans = [(m.start, m.end) for m in inner if m.region.id == region.id]
        add(name, typ, (cs, ce), region, how, text, rspans=rspans)
        named_spans.append((cs, ce))
    # a curated name opening a longer name is not named there on its own (浙江大学杭州国际科创中心,
    # 中国移动北京公司): the longer name is an organisation of its own
    for s, e, k in known_hits:
        if any(cs == s and e < ce for cs, ce in named_spans):
            for rec in [r for r in orgs.values() if (s, e) in r.spans]:
                rec.spans.remove((s, e))
                if not rec.spans:
                    del orgs[rec.name]
    _listed_names(norm, seg, lex, plex, orgs, add)
    # later mentions of a name accepted above (a quoted name used again without quotes)
    pattern_names = {n: r for n, r in orgs.items() if n not in lex.known and r.version_of is None}
    if pattern_names:
        forms = {f: n for n, r in pattern_names.items() for f in (n, *r.aliases)}
        for s, e, w, _v in iter_longest(automaton((f, f) for f in sorted(forms)), norm):
            if not seg.in_book_title(s, e):
                add(forms[w], orgs[forms[w]].type, (s, e), surface=w)
    return orgs


_LIST_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,12}")


def _listed_names(norm: str, seg, lex: OrgLexicon, plex, orgs: dict, add) -> None:
    """Names in a list closed by 等…企业 (支持美图、亿联网络、美亚柏科等本地企业): organisations of the
    tail's type, unless already found or a category rather than a name (专精特新、高新技术等企业)."""
    if "等" not in norm:
        return
    taken = [sp for r in orgs.values() for sp in r.spans]
    for m in lex.list_tail_re.finditer(norm):
        typ = lex.list_tails[m.group(1)]
        items, pos = [], m.start()
        while True:
            st = seg.run_start(pos)
            if st is None or st >= pos:
                break
            items.append((st, pos))
            if st > 0 and norm[st - 1] == "、":
                pos = st - 1
                continue
            break
        for st, en in items:
            name = norm[st:en]
            if not _LIST_ITEM.fullmatch(name) or name in plex.region_names or name in plex.short_map:
                continue
            if name.endswith(lex.list_generic_ends) or lex.list_generic_words.search(name):
                continue
            if any(a < en and st < b for a, b in taken):
                continue  # a curated or suffix name already (华为, 东方电气集团)
            add(name, typ, (st, en), surface=name)


# ---------------------------------------------------------------- fragment

def extract_organizations(ctx: DocContext) -> Fragment:
    """Organization nodes (props type, aliases, region), Organization LOCATED_IN Region, the version
    link (VERSION_OF) and Task INVOLVES Organization for the innermost outline item of each mention."""
    from policykg.graph_build.places import RegionNodes, analyze, involves_edges

    pa = analyze(ctx)
    orgs = analyze_organizations(ctx)
    doc = ctx.doc
    frag = Fragment()
    regions = RegionNodes(default_index())
    for name in sorted(orgs):
        rec = orgs[name]
        spans = tuple(sorted(rec.spans))
        oid = organization_id(name)
        props = {"type": rec.type, "aliases": sorted(rec.aliases)}
        if rec.region is not None:
            props["region"] = rec.region.name
        if rec.source:
            props["source"] = rec.source
        frag.nodes.append(NodeRec(oid, "Organization", name, props, spans))
        if rec.region is not None and spans:
            regions.add(rec.region, rec.region_spans)
            frag.edges.append(EdgeRec(oid, rec.region.id, "LOCATED_IN", {"from": rec.region_from}, spans))
        if rec.version_of:
            frag.edges.append(EdgeRec(oid, organization_id(rec.version_of), "VERSION_OF",
                                      {"note": f"{name} is a version of {rec.version_of}"}, spans))
        frag.edges.extend(involves_edges(doc.id, pa.locator, oid, spans))
    regions.emit(frag)
    return frag
