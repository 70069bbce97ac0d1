"""Cited policies: document numbers (国发〔2017〕35号) and 《…》 titles of policy documents, laws and
regulations. Each is a Policy node (doc_number, title, issuer, kind) that the citing Document CITES.
The node is keyed on the document number when known, else on the normalised title, so that the
same policy cited by two documents is one node; a 《title》(number) pair is one policy."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

import yaml

from policykg.graph_build.model import DocContext, EdgeRec, Fragment, NodeRec, document_id, policy_id
from policykg.graph_build.quantities import anchored_finditer, word_alternation


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(resources.files("policykg.graph_build").joinpath("data/policies.yaml").read_text("utf-8"))


_DOC_NUMBER = r"(?P<code>[\u4e00-\u9fff]{1,12})\s*[〔\[【(]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]】)]\s*(?P<no>\d{1,4})\s*号"


@functools.lru_cache(maxsize=1)
def _patterns():
    d = _data()
    kinds = sorted(((w, k) for k, words in d["kinds"].items() for w in words), key=lambda x: (-len(x[0]), x[0]))
    return {
        "number": re.compile(_DOC_NUMBER),
        # what follows the issuer code in a document number: a rare, cheap anchor to look for first
        "number_tail": re.compile(_DOC_NUMBER[_DOC_NUMBER.index("[〔"):]),
        # 《title》 with an optional (document number) right after it; nested <…>/〈…〉 allowed inside
        "title": re.compile(rf"《(?P<title>[^《》\n]{{2,100}})》(?:\s*\(\s*{_DOC_NUMBER}\s*\))?"),
        "qualifier": re.compile(rf"(?:{'|'.join(d['title_qualifiers'])})\s*$"),
        "lead_verbs": re.compile(rf"^(?:{word_alternation(d['lead_verbs'])})+"),
        "issuer_before": re.compile(rf"([\u4e00-\u9fff]{{1,20}}?(?:{word_alternation(d['issuer_suffixes'])}))\s*$"),
        "kinds": kinds,
        "codes": sorted(d["issuer_codes"].items(), key=lambda kv: (-len(kv[0]), kv[0])),
    }


@functools.lru_cache(maxsize=1)
def _known() -> tuple[dict, dict]:
    by_number, by_title = {}, {}
    for k in _data().get("known", []):
        by_number[k["doc_number"]] = k
        by_title[title_key(k["title"])] = k
    return by_number, by_title


def doc_number_text(code: str, year: str, no: str) -> str:
    return f"{code}〔{year}〕{int(no)}号"


def strip_lead(text: str) -> str:
    """Drop the verbs and conjunctions that precede a citation (根据, 落实, 和, ...)."""
    return _patterns()["lead_verbs"].sub("", text)


def clean_title(title: str) -> str:
    return re.sub(r"\s+", "", title).replace("<", "《").replace(">", "》").replace("〈", "《").replace("〉", "》")


def inner_title(title: str) -> str:
    """The policy a notice issues: 国务院关于印发新一代人工智能发展规划的通知 -> 新一代人工智能发展规划."""
    t = clean_title(title)
    m = re.search(r"关于印发(.+?)的通知$", t)
    if m:
        t = m.group(1)
        if re.fullmatch(r"《[^《》]+》", t):
            t = t[1:-1]
    return t


def title_key(title: str) -> str:
    """A key that ignores the issuer prefix (X关于…), brackets and punctuation."""
    t = inner_title(title)
    t = re.sub(r"^.{0,30}?关于", "", t) if "关于印发" not in t else t
    return re.sub(r"[\W_]+", "", t)


def policy_kind(title: str) -> str | None:
    p = _patterns()
    t = p["qualifier"].sub("", clean_title(title))
    t = p["qualifier"].sub("", t)
    for word, kind in p["kinds"]:
        if t.endswith(word):
            return kind
    return None


def issuer_from_code(code: str) -> str | None:
    for prefix, name in _patterns()["codes"]:
        if code.startswith(prefix):
            return name
    return None


def _trim_code(code: str) -> str:
    """The issuer code of a number written after other words: 落实国发 -> 国发."""
    stripped = strip_lead(code)
    for prefix, _ in _patterns()["codes"]:
        i = stripped.find(prefix)
        if i > 0:
            return stripped[i:]
    return stripped or code


@dataclass
class Citation:
    key: str
    doc_number: str | None
    title: str | None
    issuer: str | None
    kind: str | None
    spans: list[tuple[int, int]] = field(default_factory=list)


def _is_self(doc, title: str, start: int, norm: str) -> bool:
    """The document's own title quoted in its issuing notice, or a title inside the title line."""
    if doc.title_span and doc.title_span[0] <= start < doc.title_span[1]:
        return True
    if doc.title and title_key(title) and title_key(title) == title_key(doc.title):
        return True
    return bool(re.match(r"\s*(?:印发给|发给你们|予以印发|印发你们)", norm[start + len(title) + 2:start + len(title) + 12]))


def find_citations(ctx: DocContext) -> list[Citation]:
    doc = ctx.doc
    norm = doc.norm
    p = _patterns()
    by_number, by_title = _known()
    found: dict[str, Citation] = {}
    order: list[str] = []
    covered: list[tuple[int, int]] = []

    def add(key, number, title, issuer, kind, span):
        c = found.get(key)
        if c is None:
            c = found[key] = Citation(key, number, title, issuer, kind)
            order.append(key)
        c.doc_number = c.doc_number or number
        c.title = c.title or title
        c.issuer = c.issuer or issuer
        c.kind = c.kind or kind
        if span not in c.spans:
            c.spans.append(span)

    for m in p["title"].finditer(norm):
        raw = m.group("title")
        title = inner_title(raw)
        if _is_self(doc, raw, m.start(), norm):
            continue
        number = doc_number_text(_trim_code(m.group("code")), m.group("year"), m.group("no")) if m.group("code") else None
        known = by_number.get(number) if number else by_title.get(title_key(raw))
        kind = policy_kind(title) or policy_kind(raw)
        if kind is None and number is None and known is None:
            continue  # a book, a newspaper, a slogan: not a policy document
        number = number or (known or {}).get("doc_number")
        # the issuer: written before 《…》, else the X of "X关于…", else the number's code
        before = norm[max(0, m.start() - 24):m.start()]
        before = re.split(r"[,;:。、()\n]", before)[-1]
        im = p["issuer_before"].search(strip_lead(before))
        issuer = strip_lead(im.group(1)) if im else None
        if not issuer:
            tm = re.match(r"(.{2,30}?)关于", clean_title(raw))
            issuer = tm.group(1) if tm else None
        if not issuer and number:
            issuer = issuer_from_code(number)
        if not issuer and known:
            issuer = known.get("issuer")
        key = number or title_key(raw)
        add(key, number, (known or {}).get("title") or title, issuer, kind, (m.start(), m.end()))
        covered.append((m.start(), m.end()))

    head_limit = _head_limit(norm)
    for m in _numbers(norm):
        if any(s <= m.start() < e for s, e in covered):
            continue
        line_start = norm.rfind("\n", 0, m.start()) + 1
        line_end = norm.find("\n", m.end())
        line_end = len(norm) if line_end < 0 else line_end
        code = _trim_code(m.group("code"))
        code_start = m.end("code") - len(code)
        if m.start() < head_limit and not norm[line_start:code_start].strip() and not norm[m.end():line_end].strip():
            continue  # the document's own number, on a line of its own in the header
        number = doc_number_text(code, m.group("year"), m.group("no"))
        known = by_number.get(number) or {}
        add(number, number, known.get("title"), issuer_from_code(number) or known.get("issuer"),
            policy_kind(known["title"]) if known.get("title") else None, (code_start, m.end()))
    return [found[k] for k in order]


def _numbers(norm: str):
    """The matches of the document-number pattern, as its finditer gives them, without trying it at
    every Chinese character: each match ends in a bracketed year and a number (〔2017〕35号), so find
    those and try the whole pattern only from at most 12 characters (the code) before each."""
    p = _patterns()
    return anchored_finditer(p["number"], p["number_tail"], norm, 12, to_anchor_end=True)


def _head_limit(norm: str) -> int:
    """The end of the header: the first 15 lines."""
    pos = 0
    for _ in range(15):
        nxt = norm.find("\n", pos)
        if nxt < 0:
            return len(norm)
        pos = nxt + 1
    return pos


def extract_policies(ctx: DocContext) -> Fragment:
    """Policy nodes for the documents this one cites, and Document CITES Policy edges."""
    doc = ctx.doc
    frag = Fragment()
    did = document_id(doc.id)
    for c in find_citations(ctx):
        pid = policy_id(c.key)
        props = {"doc_number": c.doc_number, "title": c.title, "issuer": c.issuer, "kind": c.kind}
        spans = tuple(sorted(c.spans))
        frag.nodes.append(NodeRec(pid, "Policy", c.title or c.doc_number or c.key, props, spans))
        frag.edges.append(EdgeRec(did, pid, "CITES", {}, spans))
    return frag
