"""Funding rules (SPEC domain rule 6): "给予不超过项目总投入的50%、最高1000万元资助",
"每个平台给予100万元", "给予一次性200万元奖励". Each rule becomes a Funding node (programme, share,
cap or fixed amount, eligibility thresholds) that FUNDS the innermost outline item containing it."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from policykg.graph_build.model import DocContext, EdgeRec, Fragment, NodeRec, funding_id, task_id
from policykg.graph_build.quantities import (Quantity, TextIndex, word_alternation, find_quantities, funding_role,
                                             lexicon, op_before, text_index)


@functools.lru_cache(maxsize=1)
def _patterns():
    c = lexicon().context
    money = tuple(lexicon().units["units"]["money"])
    return {
        "verbs": re.compile(word_alternation(c["funding_verbs"])),
        "cap": re.compile(rf"(?:{word_alternation(c['funding_cap_words'])})\s*$"),
        "one_off": re.compile(word_alternation(c["funding_one_off"])),
        "nouns": re.compile(word_alternation(c["funding_nouns"])),
        "program": re.compile(rf"(?:{word_alternation(c['program_verbs'])})([^,;:。、()\n]{{2,30}}?(?:{word_alternation(c['program_heads'])}))"),
        "beneficiary": re.compile(rf"(?:^|[,;:])\s*对(?:于)?\s*([^,;:。\n]{{2,30}}?)\s*(?:按|{word_alternation(c['funding_verbs'])})"),
        "generic": re.compile(rf"^(?:{word_alternation(c['generic_beneficiaries'])})"),
        "per": re.compile(r"每(?:个|家|项|名|位|条|套)?[\u4e00-\u9fff]{0,4}?(?=给予|予以|奖励|资助|补贴|补助|可获|最高)"),
        "ratio": re.compile(r"比例"),
        "money": money,
    }


@dataclass
class FundingRec:
    """One funding rule as found in the text."""

    start: int  # the first amount (or the funding verb when no amount is stated)
    span: tuple[int, int]  # the sentence stating the rule
    program: str
    share_max: float | int | None = None
    share_unit: str | None = None
    cap_value: float | int | None = None
    cap_unit: str | None = None
    amount_type: str = "unspecified"
    per: str | None = None
    eligibility: list[str] = field(default_factory=list)
    amounts: list[Quantity] = field(default_factory=list)


def _is_money(q: Quantity) -> bool:
    return q.base_unit in _patterns()["money"]


def _describe(norm: str, q: Quantity, c0: int) -> str:
    """An eligibility threshold as text: metric, comparator, value and unit ("软硬件投入>=500万元")."""
    op, op_start = op_before(norm, q.start)
    op = q.op_after or op or "="
    if op == "~":
        op = "="
    metric = norm[c0:op_start]
    metric = re.sub(r"^\s*(?:对于|对|凡|且|并且|同时|经认定)\s*", "", metric).strip()
    value = "-".join(str(v) for v in q.value) if isinstance(q.value, list) else str(q.value)
    return f"{metric}{op}{value}{q.unit}"


def _program(norm: str, s0: int, s1: int, verb_pos: int, amount_end: int, title: str | None,
             region_start: int | None = None) -> str:
    """The programme a rule belongs to: a named 计划/专项 in its sentence; else its beneficiary and the
    kind of support (对市级软件名园给予…奖励 -> 市级软件名园奖励); else the task title and the kind."""
    p = _patterns()
    m = p["program"].search(norm, s0, s1)
    if m:
        return m.group(1).strip()
    kind_m = p["nouns"].search(norm, amount_end, s1) or p["nouns"].search(norm, verb_pos, s1)
    kind = kind_m.group(0) if kind_m else "资助"
    lo = s0 if region_start is None else region_start
    found = list(p["beneficiary"].finditer(norm[lo:max(amount_end, verb_pos + 1)]))
    b = found[-1] if found else None
    if b and not p["generic"].match(b.group(1)):
        return b.group(1).strip() + kind
    return (title or "") + kind


def find_funding(ctx: DocContext) -> list[FundingRec]:
    doc = ctx.doc
    norm = doc.norm
    tix = text_index(ctx)
    p = _patterns()
    out: list[FundingRec] = []
    seen_sentences: set[int] = set()
    for vm in p["verbs"].finditer(norm):
        s0, s1 = tix.sentence(vm.start())
        if s0 in seen_sentences:
            continue
        seen_sentences.add(s0)
        quantities = [q for q in find_quantities(norm, s0, s1) if not tix.in_guarded(q.start)]
        rules: list[FundingRec] = []
        conditions: list[str] = []
        current: FundingRec | None = None
        for q in quantities:
            role = funding_role(norm, tix, q.start)
            c0, c1 = tix.clause(q.start)
            if role == "condition":
                conditions.append(_describe(norm, q, c0))
                continue
            if role != "amount" or not (_is_money(q) or q.base_unit == "%"):
                continue
            starts_rule = p["verbs"].search(norm, c0, c1) is not None
            if current is None or (starts_rule and (current.cap_value is not None) and c0 > current.amounts[-1].start):
                item = ctx.item_at(q.start)
                region_start = current.amounts[-1].end if current is not None else s0
                current = FundingRec(q.start, (s0, s1), "")
                current.program = _program(norm, s0, s1, vm.start(), q.end, item.title if item else None, region_start)
                current.eligibility, conditions = conditions, []
                rules.append(current)
            current.amounts.append(q)
            value = q.value[1] if isinstance(q.value, list) else q.value
            if q.base_unit == "%":
                if current.share_max is None:
                    current.share_max, current.share_unit = value, q.unit
                continue
            is_cap = p["cap"].search(norm, max(c0, q.start - 6), q.start) is not None
            if current.cap_value is None:
                current.cap_value, current.cap_unit = value, q.unit
                if is_cap:
                    current.amount_type = "cap"
                elif p["one_off"].search(norm, c0, q.start):
                    current.amount_type = "one_off_fixed"
                else:
                    current.amount_type = "fixed"
                per = p["per"].search(norm, c0, q.start)
                if per:
                    current.per = per.group(0)
        for r in rules:
            if r.share_max is not None:
                r.amount_type = "share_with_cap" if r.cap_value is not None and r.amount_type == "cap" else (
                    "share" if r.cap_value is None else r.amount_type)
        if not rules and (conditions or p["ratio"].search(norm, s0, s1)):
            # a rule with no amount stated: 给予一定比例的奖励, with its eligibility thresholds
            item = ctx.item_at(vm.start())
            r = FundingRec(vm.start(), (s0, s1), _program(norm, s0, s1, vm.start(), vm.end(), item.title if item else None))
            r.eligibility = conditions
            r.amount_type = "share_unspecified" if p["ratio"].search(norm, s0, s1) else "unspecified"
            rules.append(r)
        out.extend(rules)
    return out


def extract_funding(ctx: DocContext) -> Fragment:
    """Funding nodes of one document and FUNDS edges to the task stating them."""
    doc = ctx.doc
    frag = Fragment()
    for r in find_funding(ctx):
        fid = funding_id(doc.id, r.start)
        props = {"program": r.program, "share_max": r.share_max, "share_unit": r.share_unit,
                 "cap_value": r.cap_value, "cap_unit": r.cap_unit, "amount_type": r.amount_type, "doc": doc.id,
                 "eligibility": list(r.eligibility)}
        if r.per:
            props["per"] = r.per
        frag.nodes.append(NodeRec(fid, "Funding", r.program, props, (r.span,)))
        item = ctx.item_at(r.start)
        if item is not None:
            frag.edges.append(EdgeRec(fid, task_id(doc.id, item.number), "FUNDS", {}, (r.span,)))
    return frag
