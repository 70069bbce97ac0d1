"""How long a big view takes to open: synthetic graphs of 1,000 and 5,000 nodes (the shape of a real
build), the overview of each written to HTML and opened in headless Chromium from file:// with the
network blocked. Reports the time until the page is laid out, settled and drawn, and what one
interaction costs afterwards (a full redraw, a search + select + focus).

    .venv/bin/python tests/bench/bench_views.py [--sizes 1000 5000] [--out out/bench_views.json]
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from collect import write_figures  # tests/bench/ is on sys.path when a bench runs as a script

from playwright.sync_api import sync_playwright

from policykg.viz import load_graph, views
from policykg.viz.render import render_html
from policykg.viz.synthetic import synthetic_graph

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from conftest import CHROMIUM, launch  # noqa: E402  (the browser tests' launcher: same flags)


def measure(browser, html_path: Path, query: str) -> dict:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
    blocked, errors = [], []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.perf_counter()
    page.goto(html_path.as_uri())
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=300_000)
    wall = time.perf_counter() - t0
    s = page.evaluate("""(q) => {
        const v = window.policykgView, net = v.network;
        const redraws = [];
        for (let i = 0; i < 5; i++) { const t = performance.now(); net.redraw(); redraws.push(performance.now() - t); }
        const nodesOnly = [];
        net.setOptions({edges: {hidden: true}});
        for (let i = 0; i < 5; i++) { const t = performance.now(); net.redraw(); nodesOnly.push(performance.now() - t); }
        net.setOptions({edges: {hidden: false}});
        const t = performance.now();
        const hits = v.search(q);
        v.selectNode(hits[0], true);
        net.redraw();
        const searchSelect = performance.now() - t;
        return {ready_since_navigation_ms: v.sinceNavigationMs, ready_since_script_ms: v.readyMs,
                stabilization_iterations: v.stabilizationIterations, nodes: v.nodes.length, edges: v.edges.length,
                drawn_nodes: net.body.nodeIndices.length, redraws, nodesOnly, search_select_ms: searchSelect,
                search_hit: hits[0]};
    }""", query)
    ctx.close()
    med = statistics.median
    return {
        "nodes": s["nodes"], "edges": s["edges"], "drawn_nodes": s["drawn_nodes"],
        "ready_since_navigation_ms": round(s["ready_since_navigation_ms"]),
        "ready_since_script_ms": round(s["ready_since_script_ms"]),
        "ready_wall_s": round(wall, 2),
        "stabilization_iterations": s["stabilization_iterations"],
        "redraw_ms_median": round(med(s["redraws"]), 1),
        "redraw_nodes_only_ms_median": round(med(s["nodesOnly"]), 1),
        "search_select_focus_ms": round(s["search_select_ms"], 1),
        "search_hit": s["search_hit"],
        "blocked_requests": len(blocked), "console_errors": errors,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--out", default="out/bench_views.json")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp, sync_playwright() as pw:
        browser = launch(pw)
        for n in args.sizes:
            t = time.perf_counter()
            g = load_graph(synthetic_graph(n))
            view = views.overview(g)
            html = render_html(view)
            build_s = time.perf_counter() - t
            path = Path(tmp) / f"overview-{n}.html"
            path.write_text(html, encoding="utf-8")
            alias = next(a for node in view.nodes for a in node.aliases)
            r = {"size": n, "python_render_s": round(build_s, 2), "html_bytes": len(html.encode("utf-8")),
                 **measure(browser, path, alias)}
            results.append(r)
            print(f"{n:>6} nodes {r['edges']:>6} edges | HTML {r['html_bytes'] / 1e6:5.1f} MB in {r['python_render_s']:.2f}s | "
                  f"ready {r['ready_since_navigation_ms'] / 1000:5.2f}s ({r['stabilization_iterations']} physics iterations) | "
                  f"redraw {r['redraw_ms_median']:.0f} ms, nodes only {r['redraw_nodes_only_ms_median']:.0f} ms | "
                  f"search+focus {r['search_select_focus_ms']:.0f} ms | blocked {r['blocked_requests']} | "
                  f"errors {len(r['console_errors'])}")
        version = browser.version
        browser.close()
    report = {"browser": f"chromium {version} ({CHROMIUM}), headless, --disable-gpu",
              "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
              "view": "overview", "results": results}
    write_figures(args.out, report)
    bad = [r for r in results if r["blocked_requests"] or r["console_errors"] or r["drawn_nodes"] != r["nodes"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
