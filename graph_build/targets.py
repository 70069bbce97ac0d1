"""Quantitative goals (SPEC domain rule 6): every number with a unit that states what the plan
wants reached — not baseline facts (已…, 现有…, a 发展基础 section), not funding amounts or the
eligibility thresholds of funding rules. Each becomes a Target node with its year in force,
value, unit, comparator and metric, SET by the innermost outline item containing it (else the
Document)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from policykg.graph_build.model import DocContext, EdgeRec, Fragment, NodeRec, document_id, target_id, task_id
from policykg.graph_build.quantities import (CN_DIGITS, Outline, Quantity, TextIndex, YearIndex, word_alternation,
                                             find_quantities, find_years, funding_role, lexicon, op_before,
                                             text_index)


@dataclass(frozen=True)
class TargetRec:
    """One goal as found in the text, before it becomes graph records."""

    start: int
    end: int
    span: tuple[int, int]  # the quantity with the metric words around it, for evidence
    value: float | int | list
    unit: str
    op: str
    year: int | None
    year_from: str | None  # sentence | paragraph | heading | period
    annual: bool
    metric: str
    approx: bool
    task: tuple[str, ...] | None = None  # outline number of the innermost item containing it


@functools.lru_cache(maxsize=1)
def _context_patterns():
    c = lexicon().context
    return {
        "strong": re.compile(rf"(?:{word_alternation(c['baseline_before'])})(?![量率])"),
        "weak": re.compile(rf"(?:{word_alternation(c['weak_baseline_before'])})(?![量率])"),
        "strong_adjacent": re.compile(rf"(?:{word_alternation(c['baseline_adjacent'])})\s*$"),
        "weak_adjacent": re.compile(rf"(?:{word_alternation(c['weak_baseline_adjacent'])})\s*$"),
        "opener": re.compile(rf"\s*(?:(?:19|20)\d{{2}}\s*年\s*)?(?:{word_alternation(c['baseline_sentence_openers'])})|.*以来\s*$"),
        "descriptive_after": re.compile(word_alternation(c["descriptive_after"])),
        "annual": re.compile(word_alternation(c["annual"])),
        "name_before": re.compile(rf"(?:{word_alternation(c['name_before'])})\s*$"),
        "goal_verb": re.compile(rf"(?:{word_alternation(c['goal_verbs'])})\s*$"),
        "goal_verb_in": re.compile(word_alternation(c["goal_verbs"])),
        "metric_strip": re.compile(rf"(?:\s|{word_alternation(c['metric_prefix_strip'])}|(?:19|20)\d{{2}}\s*年(?:年?底|年?末)?(?:前|以前)?)+"),
        "goal_headings": tuple(c["goal_headings"]),
        "baseline_headings": tuple(c["baseline_headings"]),
        "task_heading_verbs": tuple(c["task_heading_verbs"]),
    }


_CJK = re.compile(r"[\u4e00-\u9fff]")
_METRIC_STOP = re.compile(r"[,;:。!?、\n()]")
_LEADING_PAREN = re.compile(r"\s*\([^()\n]{0,20}\)")


@functools.lru_cache(maxsize=4096)  # asked for every quantity under the heading
def is_baseline_heading(title: str) -> bool:
    """A 发展基础/现状 heading (numbers under it are facts); not a task such as 夯实发展基础."""
    p = _context_patterns()
    t = title.strip()
    if t.startswith(p["task_heading_verbs"]):
        return False
    return any(t.startswith(w) or t.endswith(w) for w in p["baseline_headings"])


def is_goal_heading(title: str) -> bool:
    return any(w in title for w in _context_patterns()["goal_headings"])


_OUTLINE_MARK = re.compile(rf"\s*(?:\(\s*[{CN_DIGITS}\d]+\s*\)|[{CN_DIGITS}\d]+\s*[、.](?!\d))")


def _metric(norm: str, q: Quantity, pre_start: int, op_start: int, inherited: str,
            continues_list: bool) -> tuple[str, int, int]:
    """What is counted — the verb/subject before the number and the noun after it — and the span of
    that text around the number (for the evidence)."""
    strip = _context_patterns()["metric_strip"]
    pos = pre_start
    cut = norm.rfind("(", pre_start, op_start)
    if continues_list:
        cut = max(cut, norm.rfind("、", pre_start, op_start))
    if cut >= 0 and norm.find(")", cut, op_start) < 0:
        pos = cut + 1  # a list item or a parenthesis opens just before the number
    m = _OUTLINE_MARK.match(norm, pos, op_start)
    if m:
        pos = m.end()
    m = strip.match(norm, pos, op_start)
    if m:
        pos = m.end()
    while pos < op_start and norm[pos] in " 、":
        pos += 1
    pre = norm[pos:op_start].strip()
    after_pos = q.end
    m = _LEADING_PAREN.match(norm, after_pos)
    if m:
        after_pos = m.end()
    if norm.startswith("的", after_pos):
        after_pos += 1
    stop = _METRIC_STOP.search(norm, after_pos, min(len(norm), after_pos + 60))
    after_end = stop.start() if stop else min(len(norm), after_pos + 40)
    after = norm[after_pos:after_end].strip()
    head = pre or inherited
    metric = (head + after) if after else head
    return metric[:60], (pos if pre else q.start), (after_end if after else q.end)


@dataclass(frozen=True)
class _Year:
    year: int | None
    source: str | None  # sentence | paragraph | heading | period
    deadline: bool  # stated as a deadline (到2023年, 2024年年底前) or under a goals heading


def _year_in_force(q: Quantity, tix: TextIndex, years: YearIndex, chain, period_end: int | None) -> _Year:
    """The year a goal is due: from its sentence; else a deadline earlier in its paragraph; else the
    deadline stated under the goals heading above it; else the end of the plan period."""
    s0, _ = tix.sentence(q.start)
    y = years.last_before(s0, q.start, deadline_only=False)
    if y is not None:
        return _Year(y.year, "sentence", y.deadline)
    p0, _ = tix.paragraph(q.start)
    y = years.last_before(p0, q.start, deadline_only=True)
    if y is not None:
        return _Year(y.year, "paragraph", True)
    for it in chain:
        if is_goal_heading(it.title):
            y = years.last_before(it.start, q.start, deadline_only=True)
            if y is None:  # a milestone heading names its year: (一)2025年目标, 近期目标(2025年)
                y = years.last_before(it.title_start, it.title_start + len(it.title), deadline_only=False)
            if y is not None:
                return _Year(y.year, "heading", True)
            break
    if period_end is not None:
        return _Year(period_end, "period", False)
    return _Year(None, None, False)


def _comparator(norm: str, q: Quantity, cue_op: str | None, prev, c0: int) -> tuple[str, bool]:
    """(op, approximate): range > suffix (以上) > word before (突破/达到) > the comparator of a list
    it continues (达到5大类、100种) > '='."""
    if q.is_range:
        op = "range"
    elif q.op_after:
        op = q.op_after
    elif cue_op:
        op = cue_op
    elif prev and prev.op and prev.clause == c0 and _LIST_GAP.fullmatch(norm, prev.end, q.start):
        op = prev.op
    else:
        op = "="
    approx = op == "~" or q.approx
    if op == "~":
        op = "="
    if q.approx and op == "=":
        op = ">"  # 100余家 / 100多家
    return op, approx


_LIST_GAP = re.compile(r"\s*、\s*")


@dataclass(frozen=True)
class _Prev:
    """The goal before, for lists in one clause: its end, comparator, verb and clause."""

    end: int
    op: str | None
    verb: str
    clause: int


def _is_counted_chinese_numeral(norm: str, q: Quantity, cue_op: str | None, op_start: int, c0: int) -> bool:
    """Chinese numerals count as a goal only after a goal verb or comparator ("建成十个"), and below
    ten only with a comparator or 以上 — not "两个层面", "三位一体", "千家万户" — or as the count that
    closes a clause a goal verb opened ("发布场景清单两批。"); c0: where q's clause starts."""
    p = _context_patterns()
    prev_char = norm[q.start - 1] if q.start > 0 else ""
    if _closing_count(norm, q, c0, p):
        return True
    introduced = cue_op is not None or p["goal_verb"].search(norm, max(0, op_start - 8), op_start) is not None
    if _CJK.match(prev_char) and not introduced:
        return False
    small = isinstance(q.value, (int, float)) and q.value < lexicon().units["min_plain_cn_numeral"]
    return not (small and q.op_after is None and cue_op is None)


def _closing_count(norm: str, q: Quantity, c0: int, p: dict) -> bool:
    """A count word with its unit at the end of a clause (starting at c0) whose verb is a goal verb
    (发布场景清单两批)."""
    if _COUNT_CLOSES.match(norm, q.end) is None:
        return False
    m = p["metric_strip"].match(norm, c0, q.start)  # 到2026年累计发布…
    return p["goal_verb_in"].match(norm, m.end() if m else c0) is not None


_COUNT_CLOSES = re.compile(r"\s*(?:[,;。)、]|$)")  # what may follow a count that closes its clause


def _last_metric(found: list, since: int, unit: str) -> str:
    """The metric of the last goal in `unit` found at or after `since` (goals are found in text
    order, so the search stops at the first one before it)."""
    for t in reversed(found):
        if t.start < since:
            break
        if t.unit == unit:
            return t.metric
    return ""


_QUALIFIER_TAIL = re.compile(r"\s*级?的")


_QUALIFIER_GAP = re.compile(r"[\u4e00-\u9fff]{1,12}")


def _is_qualifier(norm: str, tix: TextIndex, quantities: list[Quantity], i: int) -> bool:
    """A size that describes what is counted, not a goal of its own: 培育5家以上营收超10亿元的龙头企业,
    年产值超过10亿元的企业达到50家, 超百亿元企业3家 — an amount or share followed by 的 with a count
    in its clause, or followed by a short noun and then the count."""
    q = quantities[i]
    if q.base_unit in _count_units():
        return False
    c0, c1 = tix.clause(q.start)
    nxt = quantities[i + 1] if i + 1 < len(quantities) else None
    if nxt is not None and nxt.base_unit in _count_units() and nxt.start < c1:
        cue_start = op_before(norm, nxt.start)[1]
        if _QUALIFIER_GAP.fullmatch(norm, q.end, cue_start):
            return True
    if not _QUALIFIER_TAIL.match(norm, q.end):
        return False
    for j in (i - 1, i + 1):
        if 0 <= j < len(quantities):
            other = quantities[j]
            if c0 <= other.start < c1 and other.base_unit in _count_units():
                return True
    return False


@functools.lru_cache(maxsize=1)
def _count_units() -> frozenset:
    return frozenset(lexicon().units["units"]["count"])


def find_targets(ctx: DocContext) -> list[TargetRec]:
    doc = ctx.doc
    norm = doc.norm
    tix = text_index(ctx)
    years = YearIndex(find_years(norm))
    outline = Outline(ctx)
    p = _context_patterns()
    period_end = doc.period[1] if doc.period else None
    period_start = doc.period[0] if doc.period else None
    out: list[TargetRec] = []
    prev: _Prev | None = None
    quantities = find_quantities(norm)
    for i, q in enumerate(quantities):
        if tix.in_guarded(q.start) or funding_role(norm, tix, q.start):
            continue
        if _is_qualifier(norm, tix, quantities, i):
            continue
        c0, c1 = tix.clause(q.start)
        if p["descriptive_after"].search(norm, q.end, c1):
            continue
        if p["name_before"].search(norm, max(0, q.start - 4), q.start):
            continue
        cue_op, op_start = op_before(norm, q.start)
        if q.chinese and not q.bare and q.unit != "%" and not _is_counted_chinese_numeral(norm, q, cue_op, op_start, c0):
            continue
        # baseline facts: under a 发展基础 heading, or 已/现有/目前… before the number in its clause
        item = outline.item_at(q.start)
        chain = outline.ancestors(item)
        if any(is_baseline_heading(it.title) for it in chain):
            continue
        clause_before = norm[c0:q.start]
        if p["strong"].search(clause_before) or p["strong_adjacent"].search(norm, max(c0, op_start - 3), op_start):
            continue
        s0, _ = tix.sentence(q.start)
        f0, f1 = tix.clause(s0)
        if p["opener"].match(norm, f0, min(f1, q.start)):
            continue  # 截至2021年底,全市…达到1200家
        weak = p["weak"].search(clause_before) or p["weak_adjacent"].search(norm, max(c0, op_start - 4), op_start)
        annual = bool(p["annual"].search(clause_before))
        due = _Year(None, None, False) if annual else _year_in_force(q, tix, years, chain, period_end)
        if weak and not due.deadline:
            continue  # 拥有…/产量为… with no deadline in force: a baseline fact
        if due.year is not None and period_start is not None and due.year < period_start:
            continue  # a year before the plan's period: 2023年,全市…营收为120亿元 in a 2024-2026 plan
        op, approx = _comparator(norm, q, cue_op, prev, c0)
        # metric: the text since the previous goal of the same clause (or the clause start)
        same_clause = prev is not None and prev.clause == c0
        pre_start = prev.end if same_clause else c0
        inherited = prev.verb if same_clause else ""
        metric, metric_start, metric_end = _metric(norm, q, pre_start, op_start, inherited, same_clause)
        if not metric:  # an elliptical goal (…达到3000亿元;到2027年,突破4000亿元): the last metric of that unit
            p0, _ = tix.paragraph(q.start)
            metric = _last_metric(out, p0, q.unit)
        out.append(TargetRec(q.start, q.end, (min(metric_start, op_start, q.start), metric_end), q.value, q.unit, op,
                             due.year, due.source, annual, metric or norm[q.start:q.end], approx,
                             item.number if item is not None else None))
        verb = norm[metric_start:op_start].strip() if metric_start < op_start else ""
        prev = _Prev(q.end, cue_op if cue_op in (">", ">=") else None, verb or inherited, c0)
    return out


def extract_targets(ctx: DocContext) -> Fragment:
    """Target nodes of one document and the SETS edges from their task (or the Document)."""
    doc = ctx.doc
    frag = Fragment()
    for t in find_targets(ctx):
        tid = target_id(doc.id, t.start)
        props = {"year": t.year, "value": t.value, "unit": t.unit, "op": t.op, "metric": t.metric, "doc": doc.id,
                 "text": doc.text[t.start:t.end]}
        if t.year_from:
            props["year_from"] = t.year_from
        if t.annual:
            props["period"] = "annual"
        if t.approx:
            props["approx"] = True
        frag.nodes.append(NodeRec(tid, "Target", t.metric, props, (t.span,)))
        source = task_id(doc.id, t.task) if t.task is not None else document_id(doc.id)
        frag.edges.append(EdgeRec(source, tid, "SETS", {}, (t.span,)))
    return frag
