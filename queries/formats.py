"""Query results as text: an aligned table (CJK-aware widths), CSV, JSON or a Markdown table."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

FORMATS = ("table", "csv", "json", "markdown")


def _number(v: float) -> str:
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    text = f"{v:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _evidence(e: dict) -> str:
    return f"«{e.get('text', '')}» ({e.get('doc')}@{e.get('start')}-{e.get('end')})"


def cell_text(v: Any) -> str:
    """One value as display text: lists joined, evidence as «text» (doc@start-end)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return _number(v)
    if isinstance(v, (list, tuple)):
        if v and all(isinstance(x, dict) and "text" in x for x in v):
            return " ".join(_evidence(x) for x in v)
        return ", ".join(cell_text(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return str(v)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, w: int) -> str:
    return text + " " * (w - width(text))


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def as_table(columns: list[str], rows: list[list[Any]], max_width: int = 60) -> str:
    def clip(t: str) -> str:
        t = _one_line(t)
        if width(t) <= max_width:
            return t
        out, w = "", 0
        for ch in t:
            cw = width(ch)
            if w + cw > max_width - 1:
                break
            out, w = out + ch, w + cw
        return out + "…"

    cells = [[clip(cell_text(v)) for v in row] for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, widths[i]) for i, c in enumerate(columns)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(r[i], widths[i]) for i in range(len(columns))).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple, dict)):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return v


def as_csv(columns: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([_csv_value(v) for v in row])
    return buf.getvalue()


def as_json(result) -> str:
    doc = {"query": result.query, "params": result.params, "engine": result.engine,
           "columns": result.columns, "rows": result.records()}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def md_escape(text: str) -> str:
    """Text safe inside a Markdown table cell (and not read as HTML or emphasis)."""
    out = _one_line(text)
    for ch in ("\\", "|", "*", "_", "`", "[", "]", "<", ">", "#"):
        out = out.replace(ch, "\\" + ch)
    return out


def as_markdown(columns: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(md_escape(c) for c in columns) + " |",
             "|" + "|".join("---" for _ in columns) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(md_escape(cell_text(v)) for v in row) + " |")
    return "\n".join(lines) + "\n"


def render(result, fmt: str) -> str:
    if fmt == "table":
        return as_table(result.columns, result.rows)
    if fmt == "csv":
        return as_csv(result.columns, result.rows)
    if fmt == "json":
        return as_json(result)
    if fmt == "markdown":
        return as_markdown(result.columns, result.rows)
    from policykg.errors import UsageError

    raise UsageError(f"unknown format {fmt!r} ({', '.join(FORMATS)})")
