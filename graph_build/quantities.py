"""Quantities in plan text: a number (Arabic or Chinese numerals, ranges, 万/亿 multipliers) with a
unit, its comparator, the deadline years around it and the clause it sits in. Shared by the target
and funding extractors. Words come from data/units.yaml, comparators.yaml and target_context.yaml.

Every regex runs on `doc.norm` (simplified, ASCII punctuation, same offsets as `doc.text`).
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from importlib import resources

import cn2an
import yaml

from policykg.graph_build.model import DocContext, OutlineItem
from policykg.graph_build.places import cached


def _load(name: str) -> dict:
    return yaml.safe_load(resources.files("policykg.graph_build").joinpath(f"data/{name}").read_text("utf-8"))


def word_alternation(words) -> str:
    """A regex alternation of literal words, longest first (so 不低于 wins over 低于)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class Lexicon:
    units: dict
    comparators: dict
    context: dict


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon(_load("units.yaml"), _load("comparators.yaml"), _load("target_context.yaml"))


CN_DIGITS = "零〇一二两三四五六七八九十百千"
_NUM_AR = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM_CN = rf"[{CN_DIGITS}]+"


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, as written: value 2 and unit 万人 for 2万人; [3, 5] 个 for 3-5个."""

    start: int  # first character of the number (or of the multiplier in 超万亿元)
    end: int  # end of the unit and its suffix (以上, 或以上, (含)以上, 左右, ...)
    value: float | int | list
    unit: str  # multiplier + unit, e.g. 亿元, 万人, %, P FLOPS, 千万亿字节
    base_unit: str  # the unit without multiplier: 元, 人, ...
    op_after: str | None  # comparator given by a word after the number (以上 -> ">")
    approx: bool  # 余/多 between number and unit
    chinese: bool  # written in Chinese numerals
    is_range: bool
    bare: bool  # a multiplier without a digit (超万亿元)


def _unit_pattern(units: dict) -> str:
    nf = units.get("not_followed_by") or {}
    forms = []
    for group, words in units["units"].items():
        for w in words:
            forms.append(str(w))
    forms = sorted(set(forms), key=lambda w: (-len(w), w))
    parts = []
    for w in forms:
        p = re.escape(w).replace(r"\ ", r" ?")
        bad = nf.get(w)
        if bad:
            p += f"(?!{word_alternation(bad)})"
        if re.fullmatch(r"[A-Za-z ]+", w):
            p = f"(?i:{p})(?![A-Za-z])"  # PFLOPS, PFlops, Pflops
        parts.append(p)
    return "|".join(parts)


@functools.lru_cache(maxsize=1)
def _patterns():
    lx = lexicon()
    unit = _unit_pattern(lx.units)
    mult = word_alternation(lx.units["multipliers"])
    after = lx.comparators["after"]
    suffix_words = [w for op in (">", "<=") for w in after.get(op, []) if w not in ("余", "多")] + after.get("~", [])
    seps = "".join(re.escape(s) for s in lx.comparators["range_separators"])
    num = rf"(?:{_NUM_AR}|{_NUM_CN})"
    quantity = re.compile(
        rf"(?P<n1>{num})(?:(?P<m1>{mult})?(?P<u1>{unit})?\s?(?P<sep>[{seps}])\s?(?P<n2>{num}))?"
        rf"(?P<m>{mult})?(?P<approx>余|多)?\s?(?P<u>{unit})"
        rf"(?P<suf>{word_alternation(suffix_words)})?"
    )
    # 超万亿元 / 突破千亿元: a multiplier with no digit, right after a comparator
    bare = re.compile(rf"(?<=[超破过逾近达到])(?P<m>万亿|亿|万)(?P<u>{unit})(?P<suf>{word_alternation(suffix_words)})?")
    percent_words = re.compile(rf"百分之(?P<n>[{CN_DIGITS}点\d.]+)")
    op_before = {op: re.compile(rf"(?:{word_alternation(words)})\s*$") for op, words in lx.comparators["before"].items()}
    op_after = [(op, w) for op, words in after.items() for w in words]
    return quantity, bare, percent_words, op_before, op_after


_MULT_VALUE = {"千万亿": 1e15, "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6,
               "万": 1e4, "千": 1e3, "百": 1e2}


@functools.lru_cache(maxsize=4096)  # the same few numerals recur in every plan (两个, 三年, 五类…)
def parse_number(s: str) -> float | int:
    """'1,000' -> 1000, '11.02' -> 11.02, '百' -> 100, '两千五百' -> 2500, '三点五' -> 3.5."""
    s = s.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        v = float(s)
    else:
        if s[0] in "百千":
            s = "一" + s
        v = float(cn2an.cn2an(s, "smart"))
    return int(v) if v.is_integer() else v


@functools.lru_cache(maxsize=1)
def _vague_counts() -> frozenset:
    """Counts that mean "some" (突破一批关键核心技术), from units.yaml."""
    return frozenset(lexicon().units.get("vague_counts") or ())


def _op_after(suf: str | None) -> str | None:
    if not suf:
        return None
    for op, w in _patterns()[4]:
        if suf == w:
            return op
    return None


def find_quantities(norm: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number with a unit in norm[start:end], in text order (no overlaps)."""
    end = len(norm) if end is None else end
    quantity, bare, percent_words, _, _ = _patterns()
    vague = _vague_counts()
    out: list[Quantity] = []
    for m in quantity.finditer(norm, start, end):
        n1, n2 = m.group("n1"), m.group("n2")
        chinese = not n1[0].isdigit()
        if chinese and m.group() in vague:  # 一批: "some", never a number
            continue
        prev = norm[m.start() - 1] if m.start() > 0 else ""
        if prev.isdigit() or (prev.isascii() and prev.isalpha()) or prev == "第":
            continue
        if prev in ".," and m.start() > 1 and norm[m.start() - 2].isdigit():
            continue  # the tail of 1,000 or 3.5
        if chinese and prev and prev in CN_DIGITS + "万亿":
            continue
        if n2 is not None and (not n2[0].isdigit()) != chinese:
            continue
        try:
            lo = parse_number(n1)
            hi = parse_number(n2) if n2 is not None else None
        except (ValueError, KeyError, IndexError):
            continue
        mult = m.group("m") or ""
        unit = mult + m.group("u").replace("  ", " ")
        if hi is not None:
            m1 = m.group("m1") or ""
            if (m1 and m1 != mult) or (not m1 and mult and lo > hi):
                # 5000万-1亿元 / 5000-1万人: the low end in its own multiplier, folded into the high end's
                lo = lo * _MULT_VALUE.get(m1, 1.0) / _MULT_VALUE.get(mult, 1.0)
                lo = int(lo) if float(lo).is_integer() else lo
            if m.group("u1") and m.group("u1") != m.group("u"):
                continue
            if hi <= lo:
                continue
            # one number type in the pair, so the range can be a Neo4j list property
            value = [lo, hi] if isinstance(lo, int) and isinstance(hi, int) else [float(lo), float(hi)]
        else:
            value = lo
        out.append(Quantity(m.start(), m.end(), value, unit, m.group("u"), _op_after(m.group("suf")),
                            bool(m.group("approx")), chinese, hi is not None, False))
    for m in bare.finditer(norm, start, end):
        out.append(Quantity(m.start(), m.end(), 1, m.group("m") + m.group("u"), m.group("u"),
                            _op_after(m.group("suf")), False, True, False, True))
    for m in percent_words.finditer(norm, start, end):
        try:
            v = parse_number(m.group("n").replace("点", "."))
        except (ValueError, KeyError, IndexError):
            continue
        out.append(Quantity(m.start(), m.end(), v, "%", "%", None, False, True, False, False))
    out.sort(key=lambda q: q.start)
    kept: list[Quantity] = []
    for q in out:
        if kept and q.start < kept[-1].end:
            continue
        kept.append(q)
    return kept


def op_before(norm: str, pos: int) -> tuple[str | None, int]:
    """The comparator written directly before `pos` and where it starts (or (None, pos))."""
    window = norm[max(0, pos - 8):pos]
    best = None
    for op, rx in _patterns()[3].items():
        m = rx.search(window)
        if m and (best is None or m.start() < best[1]):
            best = (op, m.start())
    if best is None:
        return None, pos
    return best[0], pos - len(window) + best[1]


# ---- text structure: sentences, clauses, paragraphs (boundaries found once per document) ----

_SENT_END = re.compile(r"[。;!?\n]")
_CLAUSE_END = re.compile(r"[。;!?\n,:]")
_GUARDED = re.compile(r"《[^《》\n]{1,80}》|“[^“”\n]{1,40}”|\"[^\"\n]{1,40}\"")


# a line break inside a sentence: a long line that stops mid-sentence (hard-wrapped text, "企业或机\n构")
_SOFT_BREAK = re.compile(r"(?<=[\u4e00-\u9fff\w])\n(?=[\u4e00-\u9fff])")
_SOFT_LINE_MIN = 40


class TextIndex:
    """Sentence, clause and paragraph boundaries of one text, and the quoted spans (《…》, “…”)."""

    def __init__(self, norm: str):
        self.norm = norm
        soft = {m.start() for m in _SOFT_BREAK.finditer(norm)
                if m.start() - (norm.rfind("\n", 0, m.start()) + 1) >= _SOFT_LINE_MIN}
        self._sent = [m.start() for m in _SENT_END.finditer(norm) if m.start() not in soft]
        self._clause = [m.start() for m in _CLAUSE_END.finditer(norm) if m.start() not in soft]
        self._para = [m.start() for m in re.finditer("\n", norm) if m.start() not in soft]
        self.guarded = [(m.start(), m.end()) for m in _GUARDED.finditer(norm)]
        self._guard_starts = [s for s, _ in self.guarded]

    @staticmethod
    def _around(bounds: list[int], pos: int, n: int) -> tuple[int, int]:
        i = bisect.bisect_left(bounds, pos)
        start = bounds[i - 1] + 1 if i > 0 else 0
        end = bounds[i] if i < len(bounds) else n
        return start, end

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._around(self._sent, pos, len(self.norm))

    def clause(self, pos: int) -> tuple[int, int]:
        return self._around(self._clause, pos, len(self.norm))

    def paragraph(self, pos: int) -> tuple[int, int]:
        return self._around(self._para, pos, len(self.norm))

    def in_guarded(self, pos: int) -> bool:
        i = bisect.bisect_right(self._guard_starts, pos) - 1
        return i >= 0 and self.guarded[i][0] < pos < self.guarded[i][1]


def text_index(ctx: DocContext) -> TextIndex:
    """The TextIndex of the document's norm, built once for the extractors that need it."""
    return cached("text_index", ctx, lambda: TextIndex(ctx.doc.norm))


# ---- years ----

_YEAR = re.compile(r"(?P<pre>到|至|力争到|力争|争取到|争取|截至|截止|于)?\s*(?P<y>(?:19|20)\d{2}|[一二][〇零九][〇零一二三四五六七八九]{2})\s*年"
                   r"(?P<post>(?:年?底|年?末|度)?\s*(?:前|以前|之前)?)")
# the part of _YEAR every match has: the year and 年 (cheap to look for, unlike _YEAR's optional start)
_YEAR_CORE = re.compile(r"(?:(?:19|20)\d{2}|[一二][〇零九][〇零一二三四五六七八九]{2})\s*年")
_YEAR_PRE_MAX = 3  # the longest word of _YEAR's <pre>
_YEAR_RANGE_AFTER = re.compile(r"\s*(?:年)?\s*[-~—–至到]\s*(?:19|20)\d{2}")


_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _year_value(y: str) -> int:
    """'2025' -> 2025; '二〇三五' -> 2035."""
    return int(y.translate(_CN_YEAR_DIGITS))


@dataclass(frozen=True)
class YearMention:
    start: int
    end: int
    year: int
    deadline: bool  # 到2023年 / 2024年底前 / 力争2025年 / a sentence opening "2025年,"


_YEAR_RANGE_BEFORE = re.compile(r"(?:\d|年\s*)[-~—–至到]\s*$")
_FULL_DATE_AFTER = re.compile(r"\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?!前|之前|以前)")
_MONTH_DEADLINE_AFTER = re.compile(r"\s*\d{1,2}\s*月(?:底|末)?\s*(?:前|之前|以前)")


@functools.lru_cache(maxsize=1)
def _reference_year_rx():
    return re.compile(rf"(?:{word_alternation(lexicon().context['reference_year_before'])})\s*$")


def find_years(norm: str) -> list[YearMention]:
    """Year mentions that can date a goal: not plan periods (2019-2023年), not 以来, not reference
    years (比2020年), not full dates (2019年5月13日)."""
    ref_rx = _reference_year_rx()
    out = []
    for m in _year_matches(norm):
        s, e = m.start("y"), m.end()
        ye = m.end("y")
        if _YEAR_RANGE_BEFORE.search(norm, max(0, s - 3), s) or _YEAR_RANGE_AFTER.match(norm, ye, ye + 8):
            continue  # a period such as 2019-2023年
        if s > 0 and (norm[s - 1].isdigit() or norm[s - 1] in CN_DIGITS):
            continue
        pre = m.group("pre")
        if norm.startswith(("以来", "来"), e) or pre in ("截至", "截止"):
            continue
        if not pre and ref_rx.search(norm, max(0, s - 3), s):
            continue
        if _FULL_DATE_AFTER.match(norm, ye + 1, ye + 12):
            continue  # a full date (issue date), not a deadline
        post = m.group("post").strip()
        opening = s == 0 or norm[s - 1] in "\n。;:," or (m.start() > 0 and norm[m.start() - 1] in "\n。;:,")
        deadline = (bool(pre and pre != "于") or post.endswith(("前", "底", "末"))
                    or (opening and norm[e:e + 1] in (",", "")) or bool(_MONTH_DEADLINE_AFTER.match(norm, e, e + 10)))
        out.append(YearMention(m.start(), e, _year_value(m.group("y")), deadline))
    if _PLAN_END_CORE.search(norm):  # a literal-led scan: the full pattern (optional lead words) only where it can match
        # 到“十四五”末: the last year of that five-year plan (the 14th is 2021-2025)
        for m in _PLAN_END.finditer(norm):
            n = 10 + "一二三四五六七八九".index(m.group("n")) + 1  # 十四 -> 14
            out.append(YearMention(m.start(), m.end(), 2025 + 5 * (n - 14), True))
        out.sort(key=lambda y: (y.start, y.end))
    return out


_PLAN_END = re.compile(r"(?:到|至|在)?[“\"]?十(?P<n>[一二三四五六七八九])五[”\"]?(?:规划)?(?:时期|期)?末")
_PLAN_END_CORE = re.compile(r"十[一二三四五六七八九]五[”\"]?(?:规划)?(?:时期|期)?末")


def anchored_finditer(rx: re.Pattern, anchor: re.Pattern, norm: str, reach: int, to_anchor_end: bool = False):
    """What rx.finditer(norm) gives when every match contains a match of the cheap `anchor` and
    starts at most `reach` characters (plus the blanks between) before it: rx is tried only from
    there, for each anchor not inside a match already given, instead of at every character.
    to_anchor_end: the match also ends by the anchor's end (the search is bounded there)."""
    pos = 0
    for a in anchor.finditer(norm):
        y = a.start()
        if y < pos:
            continue
        lo = y
        while lo > pos and norm[lo - 1].isspace():
            lo -= 1
        start = max(pos, lo - reach)
        m = rx.search(norm, start, a.end()) if to_anchor_end else rx.search(norm, start)
        if m is not None:
            yield m
            pos = m.end()


def _year_matches(norm: str):
    """What _YEAR.finditer(norm) gives, without trying _YEAR at every character: every year with its
    年 starts exactly one match (its own, or one already given), which begins at most its <pre> and
    the spaces before it ahead of the year; so _YEAR is searched from there for each year found."""
    return anchored_finditer(_YEAR, _YEAR_CORE, norm, _YEAR_PRE_MAX)


class YearIndex:
    def __init__(self, years: list[YearMention]):
        self.years = years
        self._starts = [y.start for y in years]

    def last_before(self, lo: int, hi: int, deadline_only: bool) -> YearMention | None:
        """The last year mention starting in [lo, hi)."""
        i = bisect.bisect_left(self._starts, hi) - 1
        while i >= 0 and self.years[i].start >= lo:
            y = self.years[i]
            if y.end <= hi and (y.deadline or not deadline_only):
                return y
            i -= 1
        return None

    def any_deadline(self, lo: int, hi: int) -> bool:
        i = bisect.bisect_left(self._starts, lo)
        while i < len(self.years) and self.years[i].start < hi:
            if self.years[i].deadline:
                return True
            i += 1
        return False


# ---- outline helpers ----

class Outline:
    """The outline of one document, for lookups by offset and by path."""

    def __init__(self, ctx: DocContext):
        self.ctx = ctx
        self.by_number = {it.number: it for it in ctx.items}
        items = sorted(ctx.items, key=lambda it: it.start)
        # items' own texts do not overlap (each ends before the next item): look them up by bisection
        self._disjoint = all(a.end <= b.start for a, b in zip(items, items[1:]))
        self._items = items
        self._starts = [it.start for it in items]

    def item_at(self, pos: int) -> OutlineItem | None:
        """The innermost outline item whose own text contains `pos` (as DocContext.item_at)."""
        if not self._disjoint:
            return self.ctx.item_at(pos)
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self._items[i].start <= pos < self._items[i].end:
            return self._items[i]
        return None

    def ancestors(self, item: OutlineItem | None) -> list[OutlineItem]:
        return ancestors(self.by_number, item)


def ancestors(by_number: dict, item: OutlineItem | None) -> list[OutlineItem]:
    """The item and its enclosing items, innermost first."""
    out = []
    while item is not None:
        out.append(item)
        item = by_number.get(item.parent) if item.parent else None
    return out


@functools.lru_cache(maxsize=1)
def _funding_patterns():
    c = lexicon().context
    return (re.compile(word_alternation(c["funding_verbs"])),
            re.compile(rf"\s*(?!{word_alternation(c['not_condition_openers'])})(?:{word_alternation(c['condition_openers'])})"),
            re.compile(word_alternation(c["condition_heads"])))


def funding_role(norm: str, tix: TextIndex, pos: int) -> str | None:
    """'amount' when the quantity at `pos` is a funding amount (its clause has 给予/资助/最高…),
    'condition' when it is an eligibility threshold of a funding rule (对…投入达到500万元以上的企业…给予),
    else None."""
    verbs, openers, heads = _funding_patterns()
    s0, s1 = tix.sentence(pos)
    c0, c1 = tix.clause(pos)
    clause = norm[c0:c1]
    if verbs.search(clause) or re.search(r"最高|上限", clause):
        return "amount"
    later = verbs.search(norm, c1, s1)
    opened = False  # a condition opened by 对/凡 at a clause start, from the sentence start to here
    p = s0
    while p <= c0:
        q0, q1 = tix.clause(p)
        if openers.match(norm, q0, q1):
            opened = True
            break
        p = q1 + 1
    if later is None:
        # no support stated, but still a condition: 对总投资1亿元以上的项目,优先保障用地
        return "condition" if opened and heads.search(norm, pos, s1) else None
    if opened or heads.search(norm, pos, later.start()):
        return "condition"
    return None
