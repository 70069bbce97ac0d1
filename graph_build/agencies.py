"""Resolve a unit as written in a clause (市工信局, 发展改革委, 市公安局交警支队, 各区县市人民政府)
to a region-scoped agency with one canonical full name, using the alias lexicon in data/."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from policykg.graph_build.regions import Region, RegionIndex, default_index


@dataclass(frozen=True)
class AgencyRef:
    region: Region
    name: str  # canonical, without the region prefix (party bodies: full form with region)
    kind: str  # government | party | collective | leading_group | institute | lab | university | enterprise | association
    surface: str  # the form as written (simplified)
    parent: "AgencyRef | None" = None
    old_name: str | None = None  # a renamed body's former name, kept as an alias


@dataclass(frozen=True)
class Lexicon:
    canonical: dict  # alias -> (canonical name, kind, parent name | None)
    local: dict  # (region name, alias) -> (canonical name, kind, parent name | None): bodies named per place
    renamed: dict  # old alias -> (new name, old full name, year)
    party: dict  # alias -> template
    suffix_kinds: tuple  # ((suffix, kind), ...) longest first
    collective_prefixes: tuple
    expansions: tuple

    def kind_of(self, name: str) -> str | None:
        for suf, kind in self.suffix_kinds:
            if name.endswith(suf):
                return None if kind == "not_agency" else "government" if kind == "township" else kind
        return None


@functools.lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    data = yaml.safe_load(resources.files("policykg.graph_build").joinpath("data/agency_lexicon.yaml").read_text("utf-8"))
    canonical, local, renamed, party = {}, {}, {}, {}
    for e in data["agencies"]:
        kind = e.get("kind", "government")
        for a in {e["name"], *e.get("aliases", [])}:
            if e.get("regions"):
                for r in e["regions"]:
                    local[(r, a)] = (e["name"], kind, e.get("parent"))
            else:
                canonical[a] = (e["name"], kind, e.get("parent"))
        for r in e.get("renamed", []) or []:
            for a in {r["from"], *r.get("aliases", [])}:
                renamed[a] = (e["name"], r["from"], int(r["year"]))
    for e in data.get("party", []):
        for a in e["aliases"]:
            party[a] = e["template"]
    suffix_kinds = sorted(((s, k) for k, sufs in data["suffix_kinds"].items() for s in sufs),
                          key=lambda sk: (-len(sk[0]), sk[0]))
    return Lexicon(canonical, local, renamed, party, tuple(suffix_kinds), tuple(data["collective_prefixes"]),
                   tuple((x["short"], x["full"], tuple(x.get("not_after", []))) for x in data["suffix_expansions"]))


_LEVEL_PREFIX = {"市": ("city",), "省": ("province",), "区": ("district",), "县": ("district",)}
_NON_GOVERNMENT = {"institute", "lab", "university", "enterprise", "association"}
_JUNK = re.compile(r"^[\s☆★※*·]+|[\s☆★※*·]+$")


def clean_surface(s: str) -> str:
    s = _JUNK.sub("", s.strip())
    s = re.sub(r"(等(?:[市省区县]直|其他|其它)?(有关|相关)?(部门|单位)?)$", "", s)
    return s.strip(" ,;、:")


class AgencyResolver:
    def __init__(self, doc_region: Region | None, doc_year: int | None = None,
                 regions: RegionIndex | None = None, lexicon: Lexicon | None = None):
        self.regions = regions or default_index()
        self.lex = lexicon or default_lexicon()
        self.doc_region = doc_region or self.regions.lookup("全国")
        self.doc_year = doc_year
        # resolve() is a pure function of (surface, scope) for one resolver; clause lists and the
        # actor scan ask for the same units again and again within a document.
        self._memo: dict[tuple[str, Region | None], AgencyRef | None] = {}

    # -- regions -------------------------------------------------------------------------------
    def _level_region(self, ch: str) -> Region:
        """The region a bare 市/省/区 prefix refers to in this document."""
        want = _LEVEL_PREFIX[ch]
        r = self.doc_region
        for cand in [r, *self.regions.ancestors(r)]:
            if cand.level in want:
                return cand
        return r

    def _split_region(self, s: str) -> tuple[Region | None, str, str]:
        """(explicit region, rest, prefix) for '长沙市科技局', '市工信局', '省科技厅', '中山市政府'."""
        best = self.regions.mention_prefix(s)  # the longest region name s starts with
        if best is not None:
            r = self.regions.lookup(best, within=self.doc_region)
            if r is not None:
                # a district written after its city: 宁波市鄞州区人民政府办公室 belongs to 鄞州区
                inner = self.regions.mention_prefix(s[len(best):])
                d = self.regions.lookup(inner, within=r) if inner else None
                if d is not None and d.id != r.id and self.regions.is_within(d, r) and len(best) + len(inner) < len(s):
                    return d, s[len(best) + len(inner):], best + inner
                return r, s[len(best):], best
        return None, s, ""

    # -- resolution ----------------------------------------------------------------------------
    def is_agency_like(self, s: str) -> bool:
        s = clean_surface(s)
        if len(s) < 2 or re.search(r"\d|[a-zA-Z]{3,}", s):
            return False
        return self.resolve(s) is not None

    def resolve(self, surface: str, scope: Region | None = None) -> AgencyRef | None:
        """`scope`: the region carried over from the previous unit of the same list (a 市 prefix
        distributes over the list). Returns None when the text is not an agency name."""
        key = (surface, scope)
        try:
            return self._memo[key]
        except KeyError:
            ref = self._memo[key] = self._resolve(surface, scope)
            return ref

    def _resolve(self, surface: str, scope: Region | None) -> AgencyRef | None:
        s = clean_surface(surface)
        if len(s) < 2 or ":" in s or "：" in s:  # a label the clause reader does not know (XX单位:A)
            return None
        region = scope or self.doc_region
        lex = self.lex
        # collective actors keep their text name and belong to the issuing region: a place named
        # before them in the list (宜宾市人民政府,各市(州)人民政府) does not carry over to them
        if s in lex.canonical and lex.canonical[s][1] == "collective":
            name, kind, _ = lex.canonical[s]
            return AgencyRef(self.doc_region, name, kind, s)
        body = s[1:] if s[0] in _LEVEL_PREFIX and s[1:].startswith(lex.collective_prefixes) else s
        for p in lex.collective_prefixes:
            if body.startswith(p) and (lex.kind_of(re.sub(r"\(.*\)$", "", body)) or body.endswith(("部门", "单位", "机构"))):
                home = self._level_region(s[0]) if body is not s else self.doc_region
                return AgencyRef(home, body if body is not s else s, "collective", s)
        # the whole string known as it is (市场监管局 must not lose its 市)
        ref = self._canonical(s, region, s, generic=False)
        if ref:
            return ref
        # an explicit region name: 中山市科学技术局, 中山市政府, 深汕特别合作区管委会
        reg, after, _prefix = self._split_region(s)
        if reg is not None and after:
            if re.fullmatch(r"(管委会|管理委员会)", after) or (
                    after.endswith(("管委会", "管理委员会")) and not _prefix.endswith(("市", "省", "区", "县"))):
                # a committee keeps its text name; 温州湾新区管委会 is not 温州 + 湾新区管委会
                home = reg if reg.level in ("city", "province") else self.doc_region
                return AgencyRef(home, s, "government", s)
            home = reg if reg.level in ("city", "province", "district", "country") else self.doc_region
            ref = self._canonical(after, home, s)
            if ref and ref.kind in _NON_GOVERNMENT:
                # institutes, labs, companies keep their full name, place name included
                return AgencyRef(home, s, ref.kind, s)
            if ref:
                return ref
        # a bare level prefix: 市X, 省X, 区X
        if s[0] in _LEVEL_PREFIX and len(s) > 2:
            ref = self._canonical(s[1:], self._level_region(s[0]), s)
            if ref:
                return ref
        return self._canonical(s, region, s)

    def unknown(self, surface: str, scope: Region | None = None) -> AgencyRef:
        """A unit named in a labeled clause that the lexicon does not know: kept with its text name
        (a bare 市/省 prefix stripped) and kind "other", so that the clause is not lost."""
        s = clean_surface(surface)
        region = scope or self.doc_region
        if s[0] in _LEVEL_PREFIX and len(s) > 2:
            region, s = self._level_region(s[0]), s[1:]
        return AgencyRef(region, s, "other", clean_surface(surface))

    def _party_region_name(self, region: Region) -> str:
        """The place in a party body's official name: a city district's committee is named with its
        city (中共杭州市余杭区委员会), a city's or a province's with its own name."""
        parent = self.regions.parent(region)
        if region.level == "district" and region.name.endswith("区") and parent is not None and parent.level == "city":
            return parent.name + region.name
        return region.name

    def _canonical(self, name: str, region: Region, surface: str, generic: bool = True) -> AgencyRef | None:
        lex = self.lex
        if name in lex.party:
            full = lex.party[name].format(region=self._party_region_name(region))
            return AgencyRef(region, full, "party", surface)
        if name.startswith("委") and name[1:] in lex.party:
            return None
        if name.startswith("委") and len(name) > 2 and name[1] not in "员市省区县" and lex.kind_of(name[1:]):
            # 市委X that the lexicon does not list: a party body all the same (中共温州市委X)
            return AgencyRef(region, f"中共{self._party_region_name(region)}{name}", "party", surface)
        if name in lex.renamed:
            new, old, year = lex.renamed[name]
            if self.doc_year is None or self.doc_year >= year:
                kind = lex.canonical.get(new, (new, "government", None))[1]
                return AgencyRef(region, new, kind, surface, old_name=old)
            return AgencyRef(region, old, "government", surface)
        entry = lex.local.get((region.name, name)) or lex.canonical.get(name)
        if entry is not None:
            canon, kind, parent = entry
            pref = None
            if parent:
                pref = AgencyRef(region, lex.canonical.get(parent, (parent,))[0], "government", parent)
            return AgencyRef(region, canon, kind, surface, parent=pref)
        if not generic:
            return None
        # a sub-unit of a known body: 公安局 + 交警支队
        for i in range(2, len(name) - 1):
            head, tail = name[:i], name[i:]
            if head in lex.canonical and tail in lex.canonical and lex.kind_of(tail):
                parent = self._canonical(head, region, head)
                child = lex.canonical[tail][0]
                return AgencyRef(region, parent.name + child, "government", surface, parent=parent)
        if name.endswith(("领导小组", "工作专班")):
            return AgencyRef(region, name, "leading_group", surface)
        if name.endswith(("管委会", "管理委员会")) and len(name) > 3:
            # a committee belongs to the issuing region, not to a district named before it in a list
            return AgencyRef(self.doc_region if region.level == "district" and self.doc_region.level != "district"
                             else region, name, "government", surface)
        kind = lex.kind_of(name)
        if kind is None or len(name) < 2 or name in {suf for suf, _ in lex.suffix_kinds}:
            return None
        for short, full, not_after in lex.expansions:
            if name.endswith(short) and not name.endswith(full) and not any(name.endswith(x) for x in not_after):
                name = name[: -len(short)] + full
                break
        if name.startswith(("中共", "党委")) or re.search(r"[市省区县]委[^员]", name[:4]):
            kind = "party"
        return AgencyRef(region, name, kind, surface)
