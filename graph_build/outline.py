"""The plan's outline: 一、 › (一) › 1./1、 › (1)/1) › ①, plus 专栏N columns whose entries are
sub-measures of the item before them. Every item gets its outline path and its title."""
from __future__ import annotations

import re

from policykg.graph_build.model import OutlineItem, SourceDocument

CN_NUM = "一二三四五六七八九十百零〇"
# rank: the depth a marker kind stands at; an item's parent is the nearest open item of lower rank.
_MARKERS = [
    ("chapter", -1, re.compile(rf"第([{CN_NUM}]+|\d+)[章篇]\s*")),
    ("article", 0, re.compile(rf"第([{CN_NUM}]+|\d+)条\s*")),  # 若干措施 written as articles
    ("cn", 0, re.compile(rf"([{CN_NUM}]+)\s*[、.]\s*")),
    ("paren_cn", 1, re.compile(rf"[(〔]\s*([{CN_NUM}]+)\s*[)〕]\s*")),
    ("num", 2, re.compile(r"(\d{1,3})\s*(?:[、]|\.(?!\d))\s*")),
    ("paren_num", 3, re.compile(r"[(〔]\s*(\d{1,3})\s*[)〕]\s*")),
    ("num_paren", 3, re.compile(r"(\d{1,3})\s*\)\s*")),  # 1) at the level of (1)
    ("circled", 4, re.compile(r"([\u2460-\u2473])\s*")),
    ("column", 5, re.compile(rf"专栏\s*(\d+|[{CN_NUM}]+)\s*[::.、]?\s*")),
]
_ENTRY_RANK = 6
# a heading that runs straight into a numbered item on the same line: "(三)统筹规划政策试验11.发展…"
_INLINE_NUM = re.compile(r"(?<=[\u4e00-\u9fff])(\d{1,3})(?:[、]|\.(?!\d))(?=[\u4e00-\u9fff“\"(])")
_TITLE_END = re.compile(r"[。,;!?]")


def _title(norm: str, start: int, limit: int) -> tuple[str, int]:
    """Text of the item from `start` up to the first 。 , ; (or the line end)."""
    while start < limit and norm[start] in " \t":
        start += 1
    line_end = norm.find("\n", start, limit)
    stop = limit if line_end < 0 else line_end
    m = _TITLE_END.search(norm, start, stop)
    end = m.start() if m else stop
    return norm[start:end].strip(), start


def _match_marker(line: str):
    for kind, rank, rx in _MARKERS:
        m = rx.match(line)
        if m:
            rest = line[m.end():]
            if kind == "cn" and not rest.strip():
                continue
            if kind in ("num", "num_paren") and re.match(r"\d|[年月日号%]", rest):
                continue  # a date or a number, not a list marker
            return kind, rank, m
    return None


def parse_outline(doc: SourceDocument) -> tuple[OutlineItem, ...]:
    norm = doc.norm
    raw: list[dict] = []  # items in text order: kind, rank, marker, start, title_from
    pos = 0
    in_column = False
    for line in norm.split("\n"):
        line_start = pos
        pos += len(line) + 1
        stripped = line.lstrip(" \t")
        if not stripped.strip():
            continue
        offset = line_start + (len(line) - len(stripped))
        found = _match_marker(stripped)
        if found is None:
            if in_column:
                raw.append({"kind": "entry", "rank": _ENTRY_RANK, "marker": None, "start": offset, "body": offset})
            continue
        kind, rank, m = found
        in_column = kind == "column"
        marker = "专栏" + m.group(1) if kind == "column" else m.group(1)
        if kind == "circled":
            marker = str(ord(marker) - 0x2460 + 1)  # paths hold numerals and digits only: ③ is 3
        body = offset + m.end()
        raw.append({"kind": kind, "rank": rank, "marker": marker, "start": offset, "body": body})
        if kind in ("cn", "paren_cn", "chapter"):
            line_end = line_start + len(line)
            head = norm[body:line_end]
            im = _INLINE_NUM.search(head)
            if im and not re.search(r"[。,;]", head[: im.start()]):
                s = body + im.start()
                raw.append({"kind": "num", "rank": 2, "marker": im.group(1), "start": s, "body": body + im.end()})
    items: list[OutlineItem] = []
    stack: list[tuple[int, tuple[str, ...]]] = []  # (rank, number)
    entry_counter: dict[tuple[str, ...], int] = {}
    for i, r in enumerate(raw):
        end = raw[i + 1]["start"] if i + 1 < len(raw) else len(norm)
        while stack and stack[-1][0] >= r["rank"]:
            stack.pop()
        parent = stack[-1][1] if stack else None
        marker = r["marker"]
        if r["kind"] == "entry":
            n = entry_counter.get(parent or (), 0) + 1
            entry_counter[parent or ()] = n
            marker = str(n)
        number = (parent or ()) + (marker,)
        title, title_start = _title(norm, r["body"], end)
        items.append(OutlineItem(number=number, level=len(number) - 1, kind=r["kind"], title=title,
                                 title_start=title_start, start=r["start"], end=_trim_end(norm, r["start"], end),
                                 parent=parent))
        if r["kind"] != "entry":
            stack.append((r["rank"], number))
    return _dedupe(items)


def _trim_end(norm: str, start: int, end: int) -> int:
    while end > start and norm[end - 1] in " \t\n":
        end -= 1
    return end


def _dedupe(items: list[OutlineItem]) -> tuple[OutlineItem, ...]:
    """Two items with the same path (a restarted list) get a suffix so that task ids stay unique."""
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for it in items:
        if it.number in seen:
            seen[it.number] += 1
            n = it.number[:-1] + (f"{it.number[-1]}~{seen[it.number]}",)
            it = OutlineItem(n, it.level, it.kind, it.title, it.title_start, it.start, it.end, it.parent)
        else:
            seen[it.number] = 1
        out.append(it)
    return tuple(out)
