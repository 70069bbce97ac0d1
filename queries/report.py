"""`policykg report`: one Markdown and one self-contained HTML file with, per plan, the workload
table, lead concentration, co-assignment and overlapping mandates, orphan tasks and the targets
timeline, plus a cross-region comparison and links to the interactive views.

Both files are rendered from the same plain data (sections of tables filled by named queries), so
they say the same thing. In HTML every text is escaped; in Markdown every cell is escaped.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykg.queries.formats import cell_text, md_escape
from policykg.queries.runner import QueryResult, run_query


@dataclass
class Table:
    caption: str
    result: QueryResult
    columns: list[str] | None = None  # a subset of the result's columns, in this order
    empty: str = "none"
    limit: int | None = None  # show at most this many rows, with a note naming the query for the rest

    def cols(self) -> list[str]:
        return self.columns or self.result.columns

    def rows(self) -> list[list[Any]]:
        idx = [self.result.columns.index(c) for c in self.cols()]
        shown = self.result.rows if self.limit is None else self.result.rows[:self.limit]
        return [[row[i] for i in idx] for row in shown]

    def more(self) -> str:
        """A note on the rows left out, or ''."""
        hidden = len(self.result.rows) - len(self.rows())
        if hidden <= 0:
            return ""
        params = " ".join(f"--param {k}={v}" for k, v in self.result.params.items()
                          if v is not None and k not in ("limit",))
        return f"… {hidden} more row(s): policykg query {self.result.query} {params}".rstrip()


@dataclass
class Section:
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, relative href)
    level: int = 2


@dataclass
class Report:
    title: str
    intro: list[str]
    sections: list[Section]


def view_links(out_dir: Path, views_dir: Path, region: str | None) -> list[tuple[str, str]]:
    """The interactive views (written by `policykg view defaults`) that exist, as relative links."""
    from policykg.viz import file_slug

    names = [("Overview of the whole graph", "overview.html")]
    if region:
        names += [(f"Coordination network of {region}", f"coordination-{file_slug(region)}.html"),
                  (f"Region tree of {region}", f"region-{file_slug(region)}.html")]
    found = []
    for text, name in names:
        path = views_dir / name
        if path.is_file():
            found.append((text, Path(_relpath(path, out_dir)).as_posix()))
    return found


def _relpath(path: Path, start: Path) -> str:
    import os

    return os.path.relpath(path.resolve(), start.resolve())


def _task_numbers(result: QueryResult, column: str) -> QueryResult:
    """The task ids of `column` as their outline numbers (task:DOC#三/一/2 -> 三/一/2), for reading."""
    i = result.columns.index(column)
    rows = []
    for row in result.rows:
        row = list(row)
        row[i] = [t.split("#", 1)[-1] for t in row[i]]
        rows.append(row)
    return QueryResult(result.query, result.columns, rows, result.params, result.engine)


def build_report(engine, region: str | None = None, out_dir: Path | None = None,
                 views_dir: Path | None = None, top: int = 10) -> Report:
    out_dir = Path(out_dir or "out")
    views_dir = Path(views_dir) if views_dir else out_dir / "views"
    plans = run_query(engine, "plans", {"region": region})
    sections: list[Section] = []
    regions_seen: list[str] = []
    for plan in plans.records():
        doc, plan_region = plan["doc"], plan["region"]
        if plan_region not in regions_seen:
            regions_seen.append(plan_region)
        sec = Section(f"{plan['plan']} ({plan_region})")
        period = plan["period"]
        sec.facts = [("Document", doc), ("Region", plan_region or ""),
                     ("Period", "–".join(str(y) for y in period) if period else "not stated"),
                     ("Tasks (outline items)", str(plan["tasks"])),
                     ("Tasks with a responsible unit", str(plan["assigned_tasks"])),
                     ("Agencies assigned work", str(plan["agencies"])),
                     ("Lead agencies", str(plan["lead_agencies"]))]
        conc = run_query(engine, "lead-concentration", {"doc": doc}).records()
        if conc:
            c = conc[0]
            sec.facts += [("Top lead", f"{c['top_lead']} ({c['top_led']} of {c['lead_assignments']} lead "
                                       f"assignments, share {c['top_share']:.2f})"),
                          ("Lead concentration (HHI)", f"{c['hhi']:.3f}")]
        sec.tables = [
            Table("Workload: tasks led and supported per agency",
                  run_query(engine, "agency-workload", {"doc": doc}),
                  ["agency", "region", "led", "supported", "total"]),
            Table(f"Most frequent co-assignments (top {top})",
                  run_query(engine, "co-assignment", {"doc": doc, "limit": top}),
                  ["agency_a", "agency_b", "shared", "a_leads", "b_leads"]),
            Table("Overlapping mandates: technologies led by two or more agencies (tasks by outline number)",
                  _task_numbers(run_query(engine, "overlapping-mandates", {"doc": doc}), "tasks"),
                  ["technology", "n_agencies", "agency", "tasks"], limit=3 * top),
            Table("Orphan tasks: numbered tasks with no responsible unit",
                  run_query(engine, "orphan-tasks", {"doc": doc}), ["number", "title", "task_id"]),
            Table("Targets timeline", run_query(engine, "target-timeline", {"doc": doc}),
                  ["year", "metric", "op", "value", "unit"]),
        ]
        sec.links = view_links(out_dir, views_dir, plan_region)
        sections.append(sec)
    comparison = Section("Across regions")
    comparison.tables = [
        Table("Technologies per region (shared or unique)",
              run_query(engine, "cross-region-technologies", {"region": region}),
              ["technology", "n_regions", "shared", "regions", "tasks"], limit=3 * top),
        Table("Target metrics per region (shared first, then unique)",
              run_query(engine, "cross-region-targets", {"region": region}),
              ["metric", "n_regions", "shared", "regions", "targets", "years"], limit=3 * top),
        Table(f"Broker agencies (betweenness in the co-assignment network, top {top})",
              run_query(engine, "broker-agencies", {"region": region, "limit": top}),
              ["agency", "region", "betweenness", "partners", "shared_tasks"]),
    ]
    comparison.links = view_links(out_dir, views_dir, None)
    sections.append(comparison)
    scope = f"region {region}" if region else "all regions"
    intro = [f"{len(plans.rows)} plan(s), {scope}; engine: {engine.describe()}.",
             "Every table comes from a named query (policykg query --list shows them); run one with "
             "policykg query NAME --param k=v to see it in full."]
    if not any(s.links for s in sections):
        intro.append(f"Interactive views: none found in {views_dir}; write them with policykg view defaults.")
    return Report(f"policykg report — {scope}", intro, sections)


# ---------------------------------------------------------------- Markdown
def to_markdown(report: Report) -> str:
    out = [f"# {md_escape(report.title)}", ""]
    out += [md_escape(p) + "\n" for p in report.intro]
    for sec in report.sections:
        out += ["#" * sec.level + " " + md_escape(sec.title), ""]
        for k, v in sec.facts:
            out.append(f"- **{md_escape(k)}**: {md_escape(v)}")
        if sec.facts:
            out.append("")
        if sec.links:
            out.append("Views: " + " · ".join(f"[{md_escape(t)}](<{h}>)" for t, h in sec.links))
            out.append("")
        for t in sec.tables:
            out += [f"**{md_escape(t.caption)}**", ""]
            rows = t.rows()
            if not rows:
                out += [f"_{md_escape(t.empty)}_", ""]
                continue
            out.append("| " + " | ".join(md_escape(c) for c in t.cols()) + " |")
            out.append("|" + "|".join("---" for _ in t.cols()) + "|")
            for row in rows:
                out.append("| " + " | ".join(md_escape(cell_text(v)) for v in row) + " |")
            out.append("")
            if t.more():
                out += [f"_{md_escape(t.more())}_", ""]
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- HTML
_CSS = """
body{font-family:system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.4rem 0 1.2rem;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}td.num{text-align:right}caption{text-align:left;font-weight:600;
padding:.3rem 0}dl{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem}dt{font-weight:600}dd{margin:0}
.empty{color:#777;font-style:italic}nav a{margin-right:1rem}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def to_html(report: Report) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="zh-Hans">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(report.title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
             f"<h1>{_e(report.title)}</h1>"]
    parts += [f"<p>{_e(p)}</p>" for p in report.intro]
    parts.append("<nav>" + "".join(f'<a href="#s{i}">{_e(s.title)}</a>' for i, s in enumerate(report.sections))
                 + "</nav>")
    for i, sec in enumerate(report.sections):
        parts.append(f'<section id="s{i}"><h{sec.level}>{_e(sec.title)}</h{sec.level}>')
        if sec.facts:
            parts.append("<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in sec.facts) + "</dl>")
        if sec.links:
            parts.append("<p>Views: " + " · ".join(f'<a href="{_e(h)}">{_e(t)}</a>' for t, h in sec.links) + "</p>")
        for t in sec.tables:
            rows = t.rows()
            if not rows:
                parts.append(f'<p><strong>{_e(t.caption)}</strong>: <span class="empty">{_e(t.empty)}</span></p>')
                continue
            parts.append(f"<table><caption>{_e(t.caption)}</caption><thead><tr>"
                         + "".join(f"<th>{_e(c)}</th>" for c in t.cols()) + "</tr></thead><tbody>")
            for row in rows:
                cells = []
                for v in row:
                    cls = ' class="num"' if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
                    cells.append(f"<td{cls}>{_e(cell_text(v))}</td>")
                parts.append("<tr>" + "".join(cells) + "</tr>")
            parts.append("</tbody></table>")
            if t.more():
                parts.append(f'<p class="empty">{_e(t.more())}</p>')
        parts.append("</section>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def write_report(engine, out_dir: str | Path, region: str | None = None, views_dir: str | Path | None = None,
                 top: int = 10) -> tuple[Path, Path]:
    from policykg.graph_build.export import atomic_write
    from policykg.viz import file_slug

    out_dir = Path(out_dir)
    report = build_report(engine, region, out_dir, Path(views_dir) if views_dir else None, top)
    stem = f"report-{file_slug(region)}" if region else "report"
    md = atomic_write(out_dir / f"{stem}.md", to_markdown(report))
    page = atomic_write(out_dir / f"{stem}.html", to_html(report))
    return md, page
