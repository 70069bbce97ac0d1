"""Agencies named outside clauses that are still actors of the document: its issuer (a header
'X关于印发…的通知', a signature line) and the bodies that lead or coordinate its implementation
(领导小组, 'in 市政府的领导下', 'X统筹协调')."""
from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.graph_build.agencies import AgencyRef, AgencyResolver


@dataclass(frozen=True)
class ActorMention:
    role: str  # issuer | coordinator | leader
    start: int
    end: int
    agency: AgencyRef


_ISSUER = re.compile(r"(?m)^[ \t]*([\u4e00-\u9fff()、][\u4e00-\u9fff()、 \u3000]{1,80}?)关于印发")
_SIGN_DATE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_LEADER = re.compile(r"在([\u4e00-\u9fff][\u4e00-\u9fff、]{1,40}?)的(?:统一|坚强)?领导下")
_COORD = re.compile(r"([\u4e00-\u9fff]{2,24}?)(?:统筹协调|负责协调|牵头协调|协调各有关部门|协调各相关部门|统筹推进)")
_COORD_WORD = re.compile(r"统筹协调|负责协调|牵头协调|协调各有关部门|协调各相关部门|统筹推进")  # _COORD's keywords
_COORD_REACH, _COORD_WORD_LEN = 24, 7  # _COORD's longest name before its keyword; its longest keyword
_GROUP = re.compile(r"领导小组(?!办公室|办)|工作专班")
# 由X牵头 in the sections that organise the plan's implementation (保障措施, 组织实施): X coordinates
_LEADS_IMPLEMENTATION = re.compile(r"由([\u4e00-\u9fff()]{2,24}?)(?:统一)?牵头(?!单位|部门)")
_IMPLEMENTATION_HEADING = re.compile(r"保障|组织|实施|领导|协调|统筹|机制|推进")
_STOP = ("充分发挥", "发挥", "依托", "成立", "建立", "组建", "设立", "通过", "强化", "加强", "由", "在", "经", "和", "及", "与", "的")
# stops that are also parts of names (数字经济, 发展和改革, 科技与产业): a boundary only before a level
# prefix (经市政府同意, 市委和市政府)
_SOFT_STOP, _LEVEL_PREFIX = ("经", "和", "与"), ("省", "市", "区", "县")


def _left_run(norm: str, end: int, limit: int = 24) -> int:
    """Start of the run of CJK characters that ends at `end`."""
    s = end
    while s > 0 and end - s < limit and "\u4e00" <= norm[s - 1] <= "\u9fff":
        s -= 1
    return s


def _cut_after_stop(text: str) -> int:
    best = 0
    for w in _STOP:
        i = text.rfind(w)
        if w in _SOFT_STOP:
            while i >= 0 and text[i + 1:i + 2] not in _LEVEL_PREFIX:
                i = text.rfind(w, 0, i)
        if i >= 0 and i + len(w) > best and i + len(w) < len(text):
            best = i + len(w)
    return best


def coordination_matches(norm: str):
    """The matches of _COORD.finditer(norm), without trying the regex at every character: a match
    ends in a keyword at most _COORD_REACH characters after it starts, so each search starts at
    most that far before the next keyword and ends right after it."""
    cur = 0
    while True:
        kw = _COORD_WORD.search(norm, cur + 2)
        if kw is None:
            return
        p = kw.start()
        m = _COORD.search(norm, max(cur, p - _COORD_REACH), p + _COORD_WORD_LEN)
        if m is None:
            cur = max(cur, p - 1)  # no match starts before p - 1
            continue
        yield m
        cur = m.end()


def _listed_bodies(resolver: AgencyResolver, role: str, text: str, at: int, kinds: tuple,
                   regional: bool = False) -> list[ActorMention]:
    """The bodies of `kinds` in a list of names (separated by 、 or blanks) at `at`: the issuers of a
    header or a signature line (joint issuance), the leaders in 在A、B的领导下. regional: only bodies
    with a region (a signature line)."""
    out = []
    for m in re.finditer(r"[^、 \u3000]+", text):
        ref = resolver.resolve(m.group())
        if ref is not None and ref.kind in kinds and (not regional or ref.region is not None):
            out.append(ActorMention(role, at + m.start(), at + m.end(), ref))
    return out


_ISSUER_KINDS = ("government", "party")


def find_actors(norm: str, resolver: AgencyResolver) -> list[ActorMention]:
    out: list[ActorMention] = []
    head = norm[:3000]
    for m in _ISSUER.finditer(head):
        out += _listed_bodies(resolver, "issuer", m.group(1), m.start(1), _ISSUER_KINDS)
    lines = norm.split("\n")
    offsets, p = [], 0
    for ln in lines:
        offsets.append(p)
        p += len(ln) + 1
    for i, ln in enumerate(lines[:-1]):
        s = ln.strip()
        if 3 <= len(s) <= 80 and i + 1 < len(lines) and _SIGN_DATE.match(lines[i + 1]):
            out += _listed_bodies(resolver, "issuer", s, offsets[i] + ln.index(s), _ISSUER_KINDS, regional=True)
    for m in _LEADER.finditer(norm):
        ref = resolver.resolve(m.group(1))
        if ref is not None and "、" not in m.group(1):
            out.append(ActorMention("leader", m.start(1), m.end(1), ref))
            continue
        # several bodies lead: 在市委科技委、市数字经济发展领导小组的领导下 (the name holds no blanks)
        out += _listed_bodies(resolver, "leader", m.group(1), m.start(1), (*_ISSUER_KINDS, "leading_group"))
    for m in _GROUP.finditer(norm):
        s = _left_run(norm, m.start())
        run = norm[s:m.start()]
        if run.endswith(_STOP):
            continue  # 建立工作专班, 成立领导小组: no name before the word
        cut = _cut_after_stop(run)
        st = s + cut
        name = norm[st:m.end()]
        if len(name) <= 4:
            continue
        ref = resolver.resolve(name)
        if ref is not None and ref.kind == "leading_group":
            out.append(ActorMention("coordinator", st, m.end(), ref))
    for m in coordination_matches(norm):
        run = m.group(1)
        cut = _cut_after_stop(run)
        cand = run[cut:]
        for k in range(len(cand) - 2):
            sub = cand[k:]
            ref = resolver.resolve(sub)
            if ref is not None and ref.kind in ("government", "party", "leading_group") and (
                    sub in resolver.lex.canonical or sub[1:] in resolver.lex.canonical or ref.kind == "leading_group"
                    or any(sub[1:] == a for a in resolver.lex.canonical)):
                st = m.start(1) + cut + k
                out.append(ActorMention("coordinator", st, st + len(sub), ref))
                break
    return out


def implementation_leads(norm: str, items, resolver: AgencyResolver) -> list[ActorMention]:
    """由X牵头 (X a body the lexicon knows) inside an outline item about organising the plan's
    implementation (its own or an ancestor's title: 保障措施, 加强组织领导, 统筹协调 …)."""
    by_number = {it.number: it for it in items}
    out: list[ActorMention] = []
    for it in items:
        chain, cur = [], it
        while cur is not None:
            chain.append(cur.title)
            cur = by_number.get(cur.parent) if cur.parent else None
        if not any(_IMPLEMENTATION_HEADING.search(t) for t in chain):
            continue
        for m in _LEADS_IMPLEMENTATION.finditer(norm, it.start, it.end):
            name = m.group(1)
            ref = resolver.resolve(name)
            if ref is None or ref.kind not in ("government", "party", "leading_group"):
                continue
            body = name[1:] if name[:1] in "市省区县" else name
            if ref.kind == "government" and body not in resolver.lex.canonical and name not in resolver.lex.canonical:
                continue  # only names the lexicon knows: 由市场主体牵头 is not a body
            out.append(ActorMention("coordinator", m.start(1), m.end(1), ref))
    return out
