"""Task-division tables (重点任务分工表): a header row naming a task column and a lead or
responsible column, then one row per task, cells separated by tabs (how the HTML, DOCX, PDF and
Markdown readers write table rows), by runs of two or more spaces or by pipes (| 1 | 任务 |) in plain text.

    序号  重点任务            牵头单位      配合单位              完成时限
    1     加快建设智算中心    市发展改革委  市经信局、市大数据局  2025年

A row's units are read with the clause parser's unit lists (every unit must resolve, or read as a
plausible unit name, as inside a labeled clause). Which task a row assigns is decided by the caller
(graph_build/responsibility.py): the outline item whose title the row's task names, else a task of
its own numbered after the table."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from policykg.graph_build.clauses import ClauseParser, UnitMention

_CELL_SEP = re.compile(r"\t+|[ \u3000]{2,}|[ \u3000]*[|｜│┃][ \u3000]*")  # tabs, space runs, pipes and box rules
_LINE = re.compile(r"[^\n]+")
_TASK_HEAD = re.compile(r"任务|工作内容|事项|举措|措施|内容|工作")
_CATEGORY_HEAD = re.compile(r"类别|分类|类型|领域|方向|板块")  # 任务类别: a grouping column, not the task
_NUMBER_HEAD = re.compile(r"^(序号|编号|序)$")
_DEADLINE_HEAD = re.compile(r"时限|时间|节点|进度")
_SEQ = re.compile(r"^\d{1,3}$")
_TITLE_END = re.compile(r"[。,;,;:]")


@dataclass(frozen=True)
class TableRow:
    seq: str | None  # the 序号 cell, when the table has one
    task: str  # the task cell as written
    task_start: int
    task_end: int
    lead: tuple[UnitMention, ...]
    support: tuple[UnitMention, ...]
    lead_explicit: bool
    deadline: str | None
    start: int  # the row's line
    end: int
    table: int  # 1-based index of the table in the document


def _cells(norm: str, s: int, e: int) -> list[tuple[str, int, int]]:
    out, pos = [], s
    for m in _CELL_SEP.finditer(norm, s, e):
        if m.start() > pos:
            out.append((norm[pos:m.start()], pos, m.start()))
        pos = m.end()
    if pos < e:
        out.append((norm[pos:e], pos, e))
    return [(t.strip(), a + (len(t) - len(t.lstrip())), b - (len(t) - len(t.rstrip()))) for t, a, b in out if t.strip()]


def _header(parser: ClauseParser, cells: list[tuple[str, int, int]]) -> dict | None:
    """Column roles of a header row, or None when the row is not a task-division header."""
    cols: dict = {}
    for i, (text, _, _) in enumerate(cells):
        t = text.rstrip("::")
        role = parser.labels.get(t)
        if role is not None and role not in cols:
            cols[role] = i
        elif _NUMBER_HEAD.match(t):
            cols.setdefault("seq", i)
        elif _DEADLINE_HEAD.search(t) and len(t) <= 8:
            cols.setdefault("deadline", i)
        elif _TASK_HEAD.search(t) and len(t) <= 10 and not _CATEGORY_HEAD.search(t):
            cols.setdefault("task", i)
    if "task" not in cols or not ({"lead", "responsible"} & set(cols)):
        return None
    cols["width"] = len(cells)
    return cols


@functools.lru_cache(maxsize=4)
def _label_rx(labels: tuple[str, ...]) -> re.Pattern:
    """A lead/responsible/support label written as a column head (no colon after it)."""
    return re.compile("(?:" + "|".join(map(re.escape, sorted(labels, key=len, reverse=True))) + r")(?![::])")


def find_table_rows(norm: str, parser: ClauseParser, start: int = 0, end: int | None = None) -> list[TableRow]:
    """Every assigned row of every task-division table in norm[start:end]."""
    end = len(norm) if end is None else end
    rx = _label_rx(tuple(lab for lab in parser.labels if len(lab) >= 4))
    rows: list[TableRow] = []
    table, pos = 0, start
    while True:
        m = rx.search(norm, pos, end)
        if m is None:
            return rows
        s = norm.rfind("\n", start, m.start()) + 1
        e = norm.find("\n", m.end(), end)
        e = end if e < 0 else e
        pos = e + 1
        cells = _cells(norm, s, e)
        cols = _header(parser, cells) if len(cells) >= 3 else None
        if cols is None:
            continue
        table += 1
        for line in _LINE.finditer(norm, pos, end):
            ls, le = line.span()
            if not _CELL_SEP.search(norm, ls, le):
                if norm[ls:le].strip():
                    break  # a line that is not a row ends the table
                continue
            cells = _cells(norm, ls, le)
            if _header(parser, cells) is not None:
                break  # the next table
            pos = le + 1
            if len(cells) >= 2:
                row = _row(parser, cols, cells, ls, le, table)
                if row is not None:
                    rows.append(row)


def _row(parser: ClauseParser, cols: dict, cells, s: int, e: int, table: int) -> TableRow | None:
    # a row with fewer cells than the header lost its leading number or its trailing deadline
    if len(cells) < cols["width"]:
        if "seq" in cols and cols["seq"] == 0 and not _SEQ.match(cells[0][0]):
            cells = [("", s, s)] + cells
        cells = cells + [("", e, e)] * (cols["width"] - len(cells))
    if len(cells) > cols["width"]:
        return None

    def cell(role):
        i = cols.get(role)
        return cells[i] if i is not None and i < len(cells) else ("", e, e)

    task, ts, te = cell("task")
    if not task:
        return None
    seq = cell("seq")[0] or None
    if seq is not None and not _SEQ.match(seq):
        seq = None

    def units(role):
        text, a, _ = cell(role)
        if not text or text in ("/", "-", "—", "无"):
            return []
        return parser.units(text, a, lenient=True) or []

    lead, resp, sup = units("lead"), units("responsible"), units("support")
    deadline = cell("deadline")[0] or None
    if lead:
        return TableRow(seq, task, ts, te, tuple(lead), tuple(resp + sup), True, deadline, s, e, table)
    pool = resp + sup
    if not pool:
        return None
    flagged = [u for u in pool if u.lead_mark]
    if flagged:
        return TableRow(seq, task, ts, te, tuple(flagged), tuple(u for u in pool if u not in flagged), True,
                        deadline, s, e, table)
    return TableRow(seq, task, ts, te, (pool[0],), tuple(pool[1:]), False, deadline, s, e, table)


def row_title(task: str) -> str:
    m = _TITLE_END.search(task)
    return (task[:m.start()] if m else task).strip()


def _key(text: str) -> str:
    return re.sub(r"[\s\"“”'‘’()()《》、。,,;;::·\-—]", "", text)


def match_item(row: TableRow, items) -> object | None:
    """The outline item a row's task names: the same title, or one title starting with the other
    (at least four characters in common); the deepest such item, the first in the text on a tie."""
    want = _key(row_title(row.task))
    if len(want) < 4:
        return None
    best = None
    for it in items:
        have = _key(it.title)
        if len(have) < 4:
            continue
        if have == want or have.startswith(want) or want.startswith(have):
            if best is None or it.level > best.level:
                best = it
    return best
