"""A synthetic corpus of plan documents for benchmarks: `policykg gen-corpus N --out DIR --seed S`.

Each document recombines the structure of real plans — outline levels (一、 › (一) › 1./1、 › (1)),
专栏 columns with entries, the clause styles of SPEC rule 2 (labeled 责任单位/牵头单位, bare lists,
inline 牵头/配合, 〔〕 clauses closing a section intro, ☆ marks), goals with targets, parks,
organisations, funding rules, leading groups and issuers — with a region drawn from the division
data, agencies from the alias lexicon, and its own parks and numbers, so that a larger corpus
grows the graph the way a real one does (more regions, agencies, tasks), not by copies.

Document i depends only on (seed, i): the corpus is deterministic for a seed, and the first k
documents of a corpus of N are the corpus of k. About one document in ten is written in
traditional script (OpenCC s2t) and one in ten in GB18030; a few are UTF-16 or UTF-8 with a BOM,
or have CRLF line ends. Nothing in extraction reads this module.
"""
from __future__ import annotations

import functools
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from policykg.errors import UsageError

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 as a Chinese numeral (十一, 二十三), the form outline markers use."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Material:
    """Everything a document is drawn from: the phrase file, regions, agency surface forms."""

    phrases: dict
    cities: tuple  # (Region, districts tuple) for prefecture-level cities and municipalities
    provinces: tuple
    city_agencies: tuple  # surface forms without a region prefix: 工信局, 发展和改革委员会 …
    province_agencies: tuple


@functools.lru_cache(maxsize=1)
def material() -> Material:
    from policykg.graph_build.regions import default_index

    pkg = resources.files("policykg.graph_build")
    phrases = yaml.safe_load(pkg.joinpath("data/corpusgen.yaml").read_text("utf-8"))
    lexicon = yaml.safe_load(pkg.joinpath("data/agency_lexicon.yaml").read_text("utf-8"))
    index = default_index()
    children: dict[str, list] = {}
    for r in index.by_id.values():
        if r.parent_id:
            children.setdefault(r.parent_id, []).append(r)
    cities, provinces = [], []
    for r in sorted(index.by_id.values(), key=lambda r: r.id):
        districts = tuple(sorted((c for c in children.get(r.id, []) if c.level == "district"), key=lambda c: c.id))
        if r.level == "city" and r.name.endswith("市"):
            cities.append((r, districts))
        elif r.level == "province":
            provinces.append((r, districts))
            if r.name in ("北京市", "上海市", "天津市", "重庆市"):  # municipalities issue city plans
                cities.append((r, districts))
    city_ag, prov_ag = set(phrases["extra_city_agencies"]), set(phrases["extra_province_agencies"])
    for e in lexicon["agencies"]:
        kind = e.get("kind", "government")
        if kind != "government" or e.get("parent") or e["name"].startswith("人民政府"):
            continue
        forms = {e["name"], *e.get("aliases", [])}
        (prov_ag if e["name"].endswith("厅") else city_ag).update(forms)
    return Material(phrases, tuple(cities), tuple(provinces), tuple(sorted(city_ag)), tuple(sorted(prov_ag)))


def _short(name: str) -> str:
    """深圳市 -> 深圳, 南山区 -> 南山 (kept whole when that would leave one character)."""
    for suf in ("特别行政区", "自治州", "自治县", "新区", "市", "区", "县", "省"):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


class _Punct:
    """ASCII or full-width punctuation, one style per document."""

    def __init__(self, full: bool):
        self.open, self.close = ("（", "）") if full else ("(", ")")
        self.colon = "：" if full else ":"
        self.comma = "，" if full else ","
        self.semi = "；" if full else ";"

    def fix(self, s: str) -> str:
        if self.open == "(":
            return s
        return s.translate(str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"}))


@dataclass
class _Doc:
    rng: random.Random
    m: Material
    level: str  # city | province | district
    region: object  # Region
    city: object  # the city Region (the province for province documents)
    districts: tuple
    prefix: str  # 市 | 省 | 区
    agencies: list
    topic: dict
    y0: int
    y1: int
    p: _Punct
    parks: list = field(default_factory=list)
    orgs: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    column_no: int = 0
    clauses: int = 0  # responsibility clauses written (each makes one task with a lead)

    # ---- small draws ------------------------------------------------------------------------
    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def tech(self) -> str:
        return self.pick(self.m.phrases["technologies"])

    def fieldname(self) -> str:
        return self.pick(self.m.phrases["fields"])

    def park(self) -> str:
        if self.parks and self.rng.random() < 0.5:
            return self.pick(self.parks)
        r = self.rng
        if self.districts and r.random() < 0.6:
            place = _short(self.pick(self.districts).name)
        elif r.random() < 0.5:
            place = _short(self.city.name)
        else:
            place = "".join(r.sample(self.m.phrases["syllables"], 2)) + self.pick(self.m.phrases["place_suffixes"])
        kind = self.pick(self.m.phrases["park_kinds"])
        theme = "" if kind == "高新区" else self.pick([self.topic["short"], self.tech(), self.fieldname(), "人工智能", "智能装备"])
        name = place + theme + kind
        self.parks.append(name)
        return name

    def org(self) -> str:
        if self.orgs and self.rng.random() < 0.4:
            return self.pick(self.orgs)
        brand = "".join(self.rng.sample(self.m.phrases["syllables"], 2))
        name = self.pick(self.m.phrases["org_templates"]).format(
            cshort=_short(self.city.name), tech=self.tech(), field=self.fieldname(), short=self.topic["short"], brand=brand)
        self.orgs.append(name)
        return name

    def fill(self, template: str) -> str:
        r = self.rng
        out, i = [], 0
        while i < len(template):  # each {slot} draws anew, so 'tech、tech' names two technologies
            j = template.find("{", i)
            if j < 0:
                out.append(template[i:])
                break
            k = template.index("}", j)
            out.append(template[i:j])
            slot = template[j + 1:k]
            if slot == "org":  # two organisations of one sentence are two different ones
                seen = set(out)
                name = self.org()
                for _ in range(3):
                    if name not in seen:
                        break
                    name = self.org()
                out.append(name)
                i = k + 1
                continue
            out.append(str({
                "tech": self.tech, "field": self.fieldname, "org": self.org, "park": self.park,
                "short": lambda: self.topic["short"], "noun": lambda: self.topic["noun"],
                "year": lambda: r.randint(self.y0 + 1, self.y1), "num": lambda: r.choice([3, 5, 8, 10, 15, 20, 30, 50, 100]),
                "num2": lambda: r.choice([50, 100, 200, 300, 500, 1000]), "lo": lambda: r.randint(1, 5),
                "hi": lambda: r.randint(6, 12), "pct": lambda: r.choice([10, 15, 20, 25, 30, 50]),
                "money": lambda: r.choice([10, 50, 100, 200, 300, 500, 1000]),
                "money2": lambda: r.choice([1000, 2000, 3000, 5000]), "money3": lambda: r.choice([100, 200, 500, 1000]),
                "wan": lambda: r.choice(["1", "2", "3", "5", "两", "十"]),
                "region": lambda: self.region.name, "level": lambda: self.prefix,
            }[slot]()))
            i = k + 1
        return "".join(out)

    def sentences(self, lo: int, hi: int) -> str:
        ph = self.m.phrases
        out = []
        for _ in range(self.rng.randint(lo, hi)):
            x = self.rng.random()
            pool = ph["target_templates"] if x < 0.08 else ph["funding_templates"] if x < 0.12 else \
                ph["fillers"] if x < 0.25 else ph["sentence_templates"]
            out.append(self.fill(self.pick(pool)))
        return "".join(out)

    # ---- agencies and clauses ---------------------------------------------------------------
    def units(self, k: int) -> list[str]:
        return self.rng.sample(self.agencies, min(k, len(self.agencies)))

    def unit_list(self, units: list[str]) -> str:
        """A list of units with the region prefix written on each, or only on the first (it
        distributes), or as the full region name."""
        x = self.rng.random()
        if x < 0.45:
            return "、".join(self.prefix + u for u in units)
        if x < 0.9:
            return "、".join([self.prefix + units[0], *units[1:]])
        return "、".join(self.region.name + u for u in units)

    def collective(self) -> str:
        return self.pick(self.m.phrases["collective_units"][self.level])

    def clause(self, style: str) -> str:
        r, p = self.rng, self.p
        self.clauses += 1
        units = self.units(r.randint(1, 4))
        tail = ("、" + self.collective()) if r.random() < 0.25 else ""
        if style == "labeled":
            if r.random() < 0.1 and len(units) > 1:  # a ☆ marking the lead
                units[1] = units[1] + "☆"
            body = f"责任单位{p.colon}{self.unit_list(units)}{tail}"
        elif style == "lead_resp":
            lead, rest = units[0], units[1:] or self.units(2)
            label = r.choice(["责任单位", "配合单位"])
            sep = p.comma if r.random() < 0.7 else p.semi
            body = f"牵头单位{p.colon}{self.prefix}{lead}{sep}{label}{p.colon}{self.unit_list(rest)}{tail}"
        elif style == "inline":
            if r.random() < 0.7 and len(units) > 1:
                body = f"{self.prefix}{units[0]}牵头{p.comma}{self.unit_list(units[1:])}配合"
            else:
                body = f"{self.unit_list(units)}分工负责"
        else:  # bare
            body = self.unit_list(units) + tail
        return p.open + body + p.close

    # ---- outline ----------------------------------------------------------------------------
    def heading(self) -> str:
        return self.fill(self.pick(self.m.phrases["heading_templates"]))

    def column(self, indent: str) -> None:
        self.column_no += 1
        title = self.fill(self.pick(self.m.phrases["column_titles"]))
        self.lines.append(f"{indent}专栏{self.column_no} {title}")
        park_column = "示范区" in title
        for _ in range(self.rng.randint(2, 5)):
            name = self.park() if park_column else self.fill("{tech}") + self.pick(["工程", "专项", "平台", "示范"])
            self.lines.append(f"{indent}{name}。{self.sentences(1, 3)}")


_LAYOUTS = ("sz", "cs", "zs", "gd", "tw")
_STYLES = ("labeled", "lead_resp", "bare", "inline")


def _new_doc(seed: int, i: int) -> _Doc:
    m = material()
    r = random.Random(f"policykg-corpusgen:{seed}:{i}")
    x = r.random()
    if x < 0.1:
        region, districts = m.provinces[r.randrange(len(m.provinces))]
        level, prefix, city, agencies = "province", "省", region, m.province_agencies
    else:
        city, districts = m.cities[r.randrange(len(m.cities))]
        region, level, prefix, agencies = city, "city", "市", m.city_agencies
        if x < 0.2 and districts:
            region = districts[r.randrange(len(districts))]
            level, prefix, districts = "district", "区", ()
    y0 = r.randint(2017, 2024)
    doc = _Doc(r, m, level, region, city, districts, prefix, r.sample(list(agencies), r.randint(6, 14)),
               m.phrases["topics"][r.randrange(len(m.phrases["topics"]))], y0, y0 + r.randint(2, 5),
               _Punct(r.random() < 0.3))
    return doc


def _write_body(d: _Doc) -> None:
    r, p, ph = d.rng, d.p, d.m.phrases
    layout = r.choice(_LAYOUTS)
    style = r.choice(_STYLES)
    indent = "  " if layout == "sz" else "\u3000\u3000" if r.random() < 0.15 else ""
    blank = layout == "gd"
    kind = d.topic["title"][-4:] if d.topic["title"].endswith(("行动计划", "实施方案", "行动方案", "发展规划")) else "方案"
    title = f"{d.region.name}{d.topic['title']}({d.y0}-{d.y1}年)"
    issuer = f"{d.region.name}人民政府"
    issued = f"{d.y0 - r.randint(0, 1)}年{r.randint(1, 12)}月{r.randint(1, 28)}日"
    L = d.lines

    def add(s: str = "") -> None:
        L.append(p.fix(s) if s else s)
        if blank and s:
            L.append("")

    header = r.choice(["web", "letter", "plain", "none"]) if layout != "tw" else "none"
    if header == "web":
        add(title)
        add(f"{d.y0}/{r.randint(1, 12)}/{r.randint(1, 28)} {r.randint(8, 18)}:{r.randint(10, 59)}   {issuer}      关键字:{_short(d.region.name)} {d.topic['short']}")
        add(f"{issuer}关于印发{d.topic['title']}({d.y0}-{d.y1}年)的通知。")
    elif header == "letter":
        add("各有关单位:")
        add(f"为推动{d.topic['short']}发展,我{d.prefix}起草了《{title}(征求意见稿)》,现发给你们,请研究并提出宝贵意见。")
        add(f"附件:{title}(征求意见稿)")
        add(d.region.name + d.pick(["科学技术厅", "工业和信息化厅"] if d.level == "province" else
                                   ["科学技术局", "工业和信息化局", "发展和改革委员会"]))
        add(issued)
        add("附件")
        add(title)
        add("(征求意见稿)")
    elif header == "plain":
        add(title)
    if layout != "tw":
        province = d.city.path[0] if d.level != "province" else d.region.name
        add(indent + d.fill(d.pick(ph["intro_sentences"]).replace("{kind}", kind).replace("{province}", province)
                            .replace("{pabbr}", _short(province)[:1]).replace("{pyear}", str(r.randint(2016, d.y0)))
                            .replace("{pnum}", str(r.randint(10, 90)))))
    top = 0

    def section(name: str) -> None:
        nonlocal top
        top += 1
        add(f"{indent}{cn_number(top)}、{name}")

    if layout != "tw":
        section(d.pick(ph["top_sections"]["intro"]))
        add(indent + d.sentences(3, 6))
        section(d.pick(ph["top_sections"]["goals"]))
        for _ in range(r.randint(1, 3)):
            sent = "".join(d.fill(d.pick(ph["target_templates"])) for _ in range(r.randint(1, 3)))
            add(indent + ("——" if layout == "gd" else "") + sent)
        section(d.pick(ph["top_sections"]["tasks"]))
    n_sub = r.randint(4, 9)
    item_no = 0
    sub_no = 0
    for s in range(n_sub):
        if layout == "tw":
            if s % 2 == 0:
                section(d.heading())
            sub_no += 1
            add(f"{indent}({cn_number(sub_no)}){d.heading()}。{d.sentences(2, 6)}"
                + (d.clause(style) if r.random() < 0.3 else ""))
            continue
        sub_no += 1
        add(f"{indent}({cn_number(sub_no)}){d.heading()}" + ("。" if r.random() < 0.5 else ""))
        if r.random() < 0.6:
            intro = indent + d.sentences(1, 3)
            if r.random() < 0.25:  # a clause closing the section intro makes the section a task
                units = d.units(r.randint(2, 4))
                intro += f"〔责任单位{p.colon}{d.unit_list(units)}、{d.collective()}〕"
                d.clauses += 1
            add(intro)
        if layout in ("sz", "gd"):
            item_no = 0
        for _ in range(r.randint(2, 6)):
            item_no += 1
            marker = f"{item_no}、" if layout == "zs" else f"{item_no}."
            item_style = style if r.random() < 0.8 else r.choice(_STYLES)
            has_clause = layout != "gd" and r.random() < 0.9
            if layout == "cs" and r.random() < 0.3:  # the clauses sit on (1)(2) sub-items
                add(f"{indent}{marker}{d.heading()}。")
                for k in range(r.randint(2, 4)):
                    add(f"{indent}({k + 1}){d.sentences(2, 5)}" + (d.clause(item_style) if has_clause else ""))
                continue
            add(f"{indent}{marker}{d.heading()}。{d.sentences(3, 8)}" + (d.clause(item_style) if has_clause else ""))
            if layout == "sz" and r.random() < 0.35:
                d.column(indent)
    # safeguards: leading groups, "在…的领导下", coordination
    if layout != "tw":
        section(d.pick(ph["top_sections"]["safeguards"]))
        lead_unit = d.prefix + d.pick(d.agencies)
        group = f"{d.prefix}{d.topic['short']}发展领导小组" if r.random() < 0.5 else f"{d.prefix}科技领导小组"
        measures = [
            f"加强组织领导。{group}统筹协调{d.topic['short']}发展工作,明确任务分工和进度安排。",
            f"加强统筹协调。在{issuer}的领导下,{lead_unit}统筹协调各有关部门推进{d.topic['short']}发展工作。",
            f"加大资金支持。{d.fill(d.pick(ph['funding_templates']))}{d.sentences(1, 2)}",
            f"强化人才保障。{d.sentences(2, 3)}",
            f"营造良好氛围。{d.sentences(1, 3)}",
        ]
        for k, text in enumerate(measures[: r.randint(3, 5)]):
            add(f"{indent}({cn_number(k + 1)}){text}")
    if r.random() < 0.4:
        add(f"本{kind}自印发之日起施行,有效期至{d.y1}年12月31日。")
    if header != "letter" and r.random() < 0.5:
        add(issuer)
        add(issued)


@functools.lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _file_name(seed: int, i: int) -> str:
    tag = hashlib.sha1(f"{seed}:{i}".encode()).hexdigest()[:16]
    return f"g{i:06d}_{tag}.txt"


@dataclass(frozen=True)
class GeneratedDocument:
    name: str
    data: bytes
    chars: int
    encoding: str
    script: str  # simplified | traditional
    region: str  # the issuing region's name
    clauses: int  # responsibility clauses written


def generate_document(seed: int, i: int) -> GeneratedDocument:
    """Document i of the corpus for `seed`; depends on nothing else."""
    d = _new_doc(seed, i)
    _write_body(d)
    text = "\n".join(d.lines).strip("\n") + "\n"
    # script, encoding and line endings from their own generator: a longer alias lexicon changes
    # the body of a document, never which documents are traditional or GB18030
    r = random.Random(f"policykg-corpusgen-form:{seed}:{i}")
    script = "simplified"
    if r.random() < 0.1:
        text = _s2t().convert(text)
        script = "traditional"
    x = r.random()
    encoding = "gb18030" if x < 0.1 else "utf-16" if x < 0.13 else "utf-8-sig" if x < 0.16 else "utf-8"
    newline_text = text.replace("\n", "\r\n") if r.random() < 0.05 else text
    return GeneratedDocument(_file_name(seed, i), newline_text.encode(encoding), len(text), encoding, script,
                             d.region.name, d.clauses)


@dataclass(frozen=True)
class CorpusSummary:
    documents: int
    chars: int
    bytes: int
    encodings: dict
    scripts: dict

    def line(self) -> str:
        enc = ", ".join(f"{k} {v}" for k, v in sorted(self.encodings.items()))
        scr = ", ".join(f"{k} {v}" for k, v in sorted(self.scripts.items()))
        return f"{self.documents} documents, {self.chars:,} characters, {self.bytes:,} bytes ({enc}; {scr})"


def generate_corpus(n: int, out_dir: str | Path, seed: int = 0, progress: bool = False) -> CorpusSummary:
    """Write documents 0..n-1 of the corpus for `seed` into `out_dir` (which holds nothing else)."""
    if n < 1:
        raise UsageError("the number of documents must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    chars = size = 0
    encodings: Counter = Counter()
    scripts: Counter = Counter()
    it = range(n)
    if progress:
        from tqdm import tqdm
        it = tqdm(it, unit="doc", desc="generate", leave=False)
    for i in it:
        g = generate_document(seed, i)
        (out / g.name).write_bytes(g.data)
        chars += g.chars
        size += len(g.data)
        encodings[g.encoding] += 1
        scripts[g.script] += 1
    return CorpusSummary(n, chars, size, dict(encodings), dict(scripts))


def register(sub) -> None:
    p = sub.add_parser("gen-corpus", help="write N synthetic plan documents for benchmarks (deterministic for a seed)")
    p.add_argument("n", type=int, help="number of documents")
    p.add_argument("--out", required=True, help="folder to write the documents into")
    p.add_argument("--seed", type=int, default=0, help="seed (default 0): the same seed gives the same corpus")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_gen_corpus)


def cmd_gen_corpus(args) -> int:
    import sys

    out = Path(args.out)
    if out.is_file() or (out.is_dir() and any(out.iterdir())):
        raise UsageError(f"{out} is not an empty folder: give a new or empty one, so that the corpus holds nothing else")
    summary = generate_corpus(args.n, out, args.seed, progress=not args.no_progress and sys.stderr.isatty())
    print(f"wrote {summary.line()} to {out}")
    return 0
