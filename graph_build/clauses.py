"""Responsibility clauses: (责任单位:A、B), (牵头单位:A,责任单位:B、C), 〔…〕 closing a section,
inline (A牵头,B配合) and (A、B分工负责), ☆ marking the lead, and bare lists of agencies.

A clause is found inside one outline item's own text; it belongs to the lowest item it closes.
SPEC rule 2: the lead is the 牵头单位 when stated (explicit), else the first listed unit."""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from policykg.graph_build.agencies import AgencyRef, AgencyResolver, clean_surface


@dataclass(frozen=True)
class UnitMention:
    surface: str  # as written (simplified), without list punctuation
    start: int
    end: int
    agency: AgencyRef
    lead_mark: bool = False  # written with ☆/★ or followed by (牵头)


_NEWLINE = re.compile("\n")
_PLACE_MEMO: dict[tuple[int, str], bool] = {}  # (region index, text) -> is a place name
# a name the lexicon does not know but that reads as one unit: CJK (and brackets), no verbs of a sentence
_PLAUSIBLE_UNIT = re.compile(r"[\u4e00-\u9fff()]{2,24}")
_WORDY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# a role word that ends a sentence: 由A牵头,B配合。 / A、B按职责分工负责。
_ROLE_END = re.compile(r"(?:牵头|负责|配合|参与|协助|协办)(?=[。;;]|[ \t\u3000]*$)", re.M)
_UNBRACKETED_HINT = re.compile("单位|部门|牵头|负责|配合|参与|协助|协办")
_LEAD_SUFFIX = re.compile(r"\s*[(〔\[]\s*牵头(?:单位|部门)?\s*[)〕\]]\s*$")


@dataclass(frozen=True)
class Clause:
    start: int  # the opening bracket
    end: int  # after the closing bracket
    style: str  # labeled | inline | bare | marked
    lead: tuple[UnitMention, ...]
    support: tuple[UnitMention, ...]
    lead_explicit: bool
    deadline: str | None = None  # e.g. 完成时限:2020年底, when the clause states one


# a bracket opening with these after a unit's name says what the unit includes: 各区人民政府(含开发区管委会)
_NOTE_OPENERS = ("含", "包括", "包含", "不含", "其中")


@functools.lru_cache(maxsize=1)
def _config():
    data = yaml.safe_load(resources.files("policykg.graph_build").joinpath("data/clause_labels.yaml").read_text("utf-8"))
    labels = {lab: role for role, labs in data["labels"].items() for lab in labs}
    label_rx = re.compile("(" + "|".join(sorted(map(re.escape, labels), key=len, reverse=True)) + r")\s*[::]\s*")
    any_label_rx = re.compile(r"([\u4e00-\u9fff]{2,8})\s*[::]\s*")
    return data, labels, label_rx, any_label_rx


@functools.lru_cache(maxsize=1)
def _bracket_scan():
    """The bracket pairs, their closers, and one regex that finds every character the bracket
    matcher acts on (brackets and newlines), so that it skips the text in between at C speed."""
    pairs = _config()[0]["brackets"]
    closers = set(pairs.values())
    rx = re.compile("[" + "".join(re.escape(c) for c in sorted({*pairs, *closers, "\n"})) + "]")
    return pairs, closers, rx


def find_brackets(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Outermost balanced bracket groups in text[start:end] as (open, close+1)."""
    pairs, closers, rx = _bracket_scan()
    out, stack = [], []
    for m in rx.finditer(text, start, end):
        i = m.start()
        c = text[i]
        if c in pairs:
            stack.append((c, i))
        elif c in closers and stack:
            o, j = stack.pop()
            if pairs[o] != c:
                stack.clear()  # unbalanced: drop what was open
                continue
            if not stack:
                out.append((j, i + 1))
        elif c == "\n":
            stack.clear()
    return out


_DEADLINE_SEG = re.compile(r"(?:(?:19|20)\d{2}\s*年(?:\d{1,2}\s*月)?(?:年?底|年?末|上半年|下半年)?(?:前|以前)?|长期|持续|每年)"
                           r"(?:完成|坚持|推进|实施)?")


def split_units(text: str, offset: int) -> list[tuple[str, int, int]]:
    """Split a list of units on 、 , ; / (not inside nested brackets) -> (surface, start, end)."""
    parts, depth, cur = [], 0, offset
    for i, c in enumerate(text):
        if c in "([〔【":
            depth += 1
        elif c in ")]〕】":
            depth = max(0, depth - 1)
        elif depth == 0 and c in "、,;/，；":
            parts.append((cur, offset + i))
            cur = offset + i + 1
    parts.append((cur, offset + len(text)))
    out = []
    for s, e in parts:
        seg = text[s - offset:e - offset]
        lead_ws = len(seg) - len(seg.lstrip())
        seg = seg.strip()
        if seg:
            out.append((seg, s + lead_ws, s + lead_ws + len(seg)))
    return out


class ClauseParser:
    def __init__(self, resolver: AgencyResolver):
        self.resolver = resolver
        self.data, self.labels, self.label_rx, self.any_label_rx = _config()
        inline = self.data["inline"]
        self.lead_words = tuple(sorted(inline["lead_words"], key=len, reverse=True))
        self.support_words = tuple(sorted(inline["support_words"], key=len, reverse=True))
        self.shared_words = tuple(sorted(inline["shared_words"], key=len, reverse=True))
        self.marks = tuple(self.data["lead_marks"])

    # ---- units --------------------------------------------------------------------------------
    def units(self, text: str, offset: int, scope=None, lenient: bool = False) -> list[UnitMention] | None:
        """Resolve every unit of a list; None when any item is not an agency (not a clause).

        A unit whose name holds the list separator itself (各区、县(市)政府) is read by joining a
        segment that does not resolve with the next one. `lenient` (inside a labeled clause, a
        strong signal) keeps a plausible name that the lexicon does not know as an agency of kind
        "other" instead of rejecting the clause."""
        segs = split_units(text, offset)
        if len(segs) > 1 and _DEADLINE_SEG.fullmatch(segs[-1][0]):
            segs = segs[:-1]  # (A、B、C,2025年底前完成): the deadline closing the list is no unit
        out: list[UnitMention] = []
        i = 0
        while i < len(segs):
            seg, s, e = segs[i]
            body = self._shared_body(seg, segs[i + 1:], scope)
            if body is None and self._is_place(clean_surface(seg)) and self.resolver.resolve(seg + "人民政府", scope):
                body = "人民政府"  # a place named as a responsible unit is its government
            if body is not None:
                # 广州市、深圳市人民政府: the body after the last place is every place's
                ref = self.resolver.resolve(seg + body, scope)
                out.append(UnitMention(seg, s, e, ref))
                i += 1
                continue
            if i + 1 < len(segs) and self._unresolvable(seg, scope):
                nseg, ns, ne = segs[i + 1]
                joined = text[s - offset:ne - offset]
                if not self._unresolvable(joined, scope):
                    seg, e = joined, ne
                    i += 1
            i += 1
            for sub, ss, ee in self._split_and(seg, s):
                mark = bool(_LEAD_SUFFIX.search(sub)) or any(m in sub for m in self.marks)
                sub = _LEAD_SUFFIX.sub("", sub)
                surf = clean_surface(sub)
                if not surf:
                    continue
                ref = self.resolver.resolve(surf, scope)
                if ref is None and lenient and _PLAUSIBLE_UNIT.fullmatch(surf):
                    ref = self.resolver.unknown(surf, scope)
                if ref is None:
                    return None
                # a region prefix (市/省/中山市) distributes over the rest of the list
                if surf[0] in "市省区县" or ref.region.name and surf.startswith(ref.region.name):
                    scope = ref.region
                lead_ws = sub.find(surf[:1]) if surf else 0
                out.append(UnitMention(surf, ss + max(0, lead_ws), ss + max(0, lead_ws) + len(surf), ref, mark))
        return out

    def _is_place(self, x: str) -> bool:
        """x is exactly a place name (广州市, 广州, 南山区)."""
        regions = self.resolver.regions
        key = (id(regions), x)
        hit = _PLACE_MEMO.get(key)
        if hit is None:
            if len(_PLACE_MEMO) > 100_000:
                _PLACE_MEMO.clear()
            hit = _PLACE_MEMO[key] = 2 <= len(x) <= 12 and regions.mention_prefix(x + "\u3007") == x
        return hit

    def _shared_body(self, seg: str, rest: list, scope) -> str | None:
        """When `seg` is only a place name (广州市, 广州) and the first later unit that is more
        than a place starts with a place and names a body (深圳市人民政府), that body."""
        if not self._is_place(seg):
            return None
        for nxt, _, _ in rest:
            if self._is_place(nxt):
                continue
            prefix = self.resolver.regions.mention_prefix(nxt)
            if prefix is None:
                return None
            body = nxt[len(prefix):]
            if self.resolver.resolve(nxt, scope) is not None and self.resolver.resolve(seg + body, scope) is not None:
                return body
            return None
        return None

    def _unresolvable(self, seg: str, scope) -> bool:
        surf = clean_surface(_LEAD_SUFFIX.sub("", seg))
        return bool(surf) and self.resolver.resolve(surf, scope) is None and not any(
            self.resolver.resolve(clean_surface(x)) for x, _, _ in self._split_and(seg, 0)[1:])

    def _split_and(self, seg: str, start: int) -> list[tuple[str, int, int]]:
        """'各区县市人民政府和园区管委会' is two units; '工业和信息化局' is one."""
        for conj in ("以及", "和", "及", "与"):
            idx = seg.find(conj)
            while idx > 0:
                left, right = seg[:idx], seg[idx + len(conj):]
                if (right and self.resolver.lex.kind_of(clean_surface(left).rstrip(")"))
                        and self.resolver.resolve(clean_surface(left)) and self.resolver.resolve(clean_surface(right))):
                    return [(left, start, start + idx)] + self._split_and(right, start + idx + len(conj))
                idx = seg.find(conj, idx + 1)
        return [(seg, start, start + len(seg))]

    # ---- clauses ------------------------------------------------------------------------------
    def parse_group(self, norm: str, o: int, c: int, at_end: bool) -> Clause | None:
        inner_s, inner_e = o + 1, c - 1
        inner = norm[inner_s:inner_e]
        if not inner.strip() or len(inner) > 400:
            return None
        if self.label_rx.search(inner):
            cl = self._labeled(inner, inner_s, o, c)
            if cl is not None:
                return cl
        cl = self._inline(inner, inner_s, o, c)
        if cl:
            return cl
        if not at_end or inner.lstrip().startswith(_NOTE_OPENERS):
            return None
        units = self.units(inner, inner_s)
        if not units or all(self._is_place(u.surface) for u in units):
            return None  # (广州市、深圳市) after an item names places, not responsible units
        marked = [u for u in units if u.lead_mark or self._marked(norm, u)]
        if marked:
            return Clause(o, c, "marked", tuple(marked), tuple(u for u in units if u not in marked), True)
        return Clause(o, c, "bare", (units[0],), tuple(units[1:]), False)

    def _marked(self, norm: str, u: UnitMention) -> bool:
        return any(norm[max(0, u.start - 1):u.start] == m or norm[u.end:u.end + 1] == m for m in self.marks)

    def _labeled(self, inner: str, inner_s: int, o: int, c: int) -> Clause | None:
        heads = [m for m in self.any_label_rx.finditer(inner)]
        lead, resp, sup, flagged = [], [], [], []
        deadline = None
        for i, m in enumerate(heads):
            seg_s = m.end()
            seg_e = heads[i + 1].start() if i + 1 < len(heads) else len(inner)
            seg = inner[seg_s:seg_e]
            # a unit list ends at a full stop: 责任单位:☆A、B。标☆的为牵头单位,下同。
            stop = seg.find("。")
            stripped = (seg[:stop] if stop >= 0 else seg).rstrip(" ,;。.、")
            role = self.labels.get(m.group(1))
            if role is None:
                if re.search(r"(时限|时间|期限|节点)$", m.group(1)) and stripped.strip():
                    deadline = stripped.strip()
                continue
            units = self.units(stripped, inner_s + seg_s)
            if units is None and self._inline(stripped, inner_s + seg_s, o, c) is None:
                units = self.units(stripped, inner_s + seg_s, lenient=True)
            if units is None:
                inline = self._inline(stripped, inner_s + seg_s, o, c)
                if inline is None:
                    continue
                lead.extend(inline.lead) if inline.lead_explicit else resp.extend(inline.lead)
                sup.extend(inline.support)
                continue
            flagged.extend(u for u in units if u.lead_mark)
            {"lead": lead, "responsible": resp, "support": sup}[role].extend(units)
        if not (lead or resp or sup):
            return None
        if lead:
            return Clause(o, c, "labeled", tuple(lead), tuple(resp + sup), True, deadline)
        units = resp + sup
        if flagged:
            return Clause(o, c, "labeled", tuple(flagged), tuple(u for u in units if u not in flagged), True, deadline)
        return Clause(o, c, "labeled", (units[0],), tuple(units[1:]), False, deadline)

    def _marked_in(self, inner: str, inner_s: int, u: UnitMention) -> bool:
        a, b = u.start - inner_s, u.end - inner_s
        return any(inner[max(0, a - 1):a] == m or inner[b:b + 1] == m for m in self.marks)

    def _inline(self, inner: str, inner_s: int, o: int, c: int) -> Clause | None:
        """'A牵头,B配合' / 'A牵头、B参与' / 'A、B分工负责' / 'A负责'."""
        parts = re.split(r"([,;,;])", inner)
        lead, sup, shared = [], [], []
        pending: list[UnitMention] = []  # units of a part without a role word: 'A、B,C负责' gives them C's
        pos = 0
        for k, part in enumerate(parts):
            if part in ",;,;":
                pos += len(part)
                continue
            body, role = part.strip(), None
            for w in self.lead_words:
                if body.endswith(w):
                    body, role = body[: -len(w)], "lead"
                    break
            if role is None:
                for w in self.support_words:
                    if body.endswith(w):
                        body, role = body[: -len(w)], "support"
                        break
            if role is None:
                for w in self.shared_words:
                    if body.endswith(w):
                        body, role = body[: -len(w)], "shared"
                        break
            start = inner_s + pos + (len(part) - len(part.lstrip()))
            if role is None:
                units = self.units(body, start) if k + 1 < len(parts) else None
                if not units:
                    return None
                pending.extend(units)
                pos += len(part)
                continue
            # 'A、B,按职责分工负责': a role word standing alone gives its role to the units before it
            units = self.units(body, start) if body.strip() else ([] if pending else None)
            if units is None or not (units or pending):
                return None
            {"lead": lead, "support": sup, "shared": shared}[role].extend(pending + units)
            pending = []
            pos += len(part)
        if lead:
            return Clause(o, c, "inline", tuple(lead), tuple(shared + sup), True)
        if shared:
            return Clause(o, c, "inline", (shared[0],), tuple(shared[1:] + sup), False)
        return None

    def find_in_item(self, norm: str, start: int, end: int) -> list[Clause]:
        out = self._find_bracketed(norm, start, end)
        out.extend(self._find_unbracketed(norm, start, end, [(c.start, c.end) for c in out]))
        out.sort(key=lambda c: c.start)
        return out

    def _find_unbracketed(self, norm: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[Clause]:
        """Clauses written without brackets: label lines (责任单位:A、B / 牵头单位:A, then 配合单位:B on
        the next line, 完成时限:… kept as the deadline) and whole sentences that are nothing but an
        assignment (由A牵头,B、C配合。 / A、B按职责分工负责。). Every unit must resolve."""
        out: list[Clause] = []
        if not self._may_hold_unbracketed(norm, start, end):
            return out

        def free(a: int, b: int) -> bool:
            return not any(o < b and a < c for o, c in taken)

        pos = start
        block: list[tuple[int, int]] = []  # consecutive label lines: (start of the label, end of line)
        lines = []
        while pos < end:
            nl = norm.find("\n", pos, end)
            line_end = end if nl < 0 else nl
            lines.append((pos, line_end))
            pos = line_end + 1

        def flush():
            if not block:
                return
            a, b = block[0][0], block[-1][1]
            while b > a and norm[b - 1] in " \t\u3000。;;,,":
                b -= 1
            cl = self._labeled(norm[a:b], a, a, b) if free(a, b) else None
            if cl is not None and cl.lead:
                out.append(cl)
            block.clear()

        for ls, le in lines:
            # a label at the start of the line, or after the line's last full stop (…。责任单位:A、B。)
            body_s = ls
            while body_s < le and norm[body_s] in " \t\u3000":
                body_s += 1
            m = self.any_label_rx.match(norm, body_s, le)
            if m is None:
                stop = norm.rfind("。", ls, max(ls, le - 1))
                if stop >= 0:
                    m2 = self.label_rx.match(norm, stop + 1, le)
                    if m2 is not None and "。" not in norm[m2.end():le].rstrip("。 "):
                        flush()
                        block.append((stop + 1, le))
                        flush()
                self._inline_sentences(norm, ls, le, free, out)
                flush()
                continue
            label = m.group(1)
            if label in self.labels or block:  # other 'X:' lines (完成时限, 工作要求) stay in the block
                if label in {self.any_label_rx.match(norm, x).group(1) for x, _ in block}:
                    flush()  # the same label again starts a new clause
                block.append((body_s, le))
            else:
                flush()
        flush()
        return out

    def _may_hold_unbracketed(self, norm: str, start: int, end: int) -> bool:
        return _UNBRACKETED_HINT.search(norm, start, end) is not None

    def _inline_sentences(self, norm: str, ls: int, le: int, free, out: list) -> None:
        """Sentences of one line that are an assignment and nothing else: they end in a role word."""
        for m in _ROLE_END.finditer(norm, ls, le):
            b = m.end()
            a = max(norm.rfind(p, ls, b) for p in "。;;") + 1 or ls
            a = max(a, ls)
            while a < b and norm[a] in " \t\u3000":
                a += 1
            if b - a < 4 or not free(a, b):
                continue
            body_s = a + 1 if norm[a] == "由" else a
            cl = self._inline(norm[body_s:b], body_s, a, b)
            if cl is not None:
                out.append(cl)

    def _find_bracketed(self, norm: str, start: int, end: int) -> list[Clause]:
        out = []
        groups = find_brackets(norm, start, end)
        if not groups:
            return out
        # line ends found once per item, so that a long line with many brackets stays linear
        newlines = [m.start() for m in _NEWLINE.finditer(norm, start, end)]
        for o, c in groups:
            i = bisect.bisect_left(newlines, c)
            line_end = newlines[i] if i < len(newlines) else end
            at_end = _WORDY.search(norm, c, line_end) is None
            cl = self.parse_group(norm, o, c, at_end)
            if cl is not None:
                out.append(cl)
        return out
