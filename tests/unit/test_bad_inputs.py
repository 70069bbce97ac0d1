"""Bad and unusual inputs through `policykg build`: each bad file is one clear line naming the file
and the reason, the rest of the batch is built (the good files exactly as when built alone), the
exit code says a document failed, nothing hangs, and an interrupted build never leaves a
half-written graph.json."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policykg.graph_build.workers import run_budgeted

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "fixtures" / "bad"
EXE = Path(sys.executable).parent / "policykg"

# file (relative to the batch folder) -> the reason printed after "policykg: error: <path>: "
EXPECTED_ERRORS = {
    "binary_page.html": "binary file, not a text document",
    "blank_line.html": "empty document",
    "broken_xml.docx": "damaged DOCX (XMLSyntaxError: Couldn't find end of Start Tag r line 2, line 2, column 1340 (<string>, line 2))",
    "control_chars.txt": "binary file, not a text document",
    "empty.txt": "empty document",
    "empty_file.pdf": "empty document",
    "encrypted.pdf": "encrypted PDF (needs a password)",
    "garbage_after_header.pdf": "damaged PDF (PDFSyntaxError: No /Root object! - Is this really a PDF?)",
    "image_as_text.txt": "binary file, not a text document",
    "latin1.txt": "undecodable bytes: not UTF-8, GB18030, Big5 or UTF-16 text (best guess cp1257)",
    "markup_only.html": "HTML page has no body text",
    "nav_only.html": "HTML page has no body text",
    "no_body.html": "HTML page has no body text",
    "nul_in_middle.md": "binary file, not a text document",
    "old_word.doc": "old binary Office file (.doc/.xls/.wps), not supported: save it as .docx or .pdf",
    "old_word_renamed.docx": "old binary Office file (.doc/.xls/.wps), not supported: save it as .docx or .pdf",
    "plan_utf8.txt": "document id 'plan_utf8' clashes with {dir}/dup/plan_utf8.md",
    "random_bytes.bin": "binary file, not a text document",
    "scanned.pdf": "no text layer (scanned PDF?): run OCR first",
    "spreadsheet.xlsx": "not a DOCX file (no word/document.xml in the package)",
    "text_as.pdf": "not a PDF file (no %PDF header)",
    "text_renamed.docx": "not a DOCX file (not a zip package)",
    "truncated_docx.docx": "damaged or truncated DOCX (not a readable zip package: File is not a zip file)",
    "truncated_gbk.txt": "truncated: the file ends in the middle of a gb18030 character",
    "truncated_pdf.pdf": "truncated or damaged PDF (no %%EOF end marker)",
    "truncated_utf16.txt": "truncated: the file ends in the middle of a utf-16 character",
    "truncated_utf8.txt": "truncated: the file ends in the middle of a UTF-8 character (byte 422 of 424)",
    "whitespace_only.txt": "empty document",
    "wordpad.rtf": "RTF document, not supported: save it as .docx or .pdf",
    "saved_page.mht": "MHTML web archive, not supported: save the page as .html",
    # made at test time
    "huge_100mb.txt": "too large: 104,857,600 bytes (the limit is 52,428,800; raise it with --max-bytes)",
}
GOOD = ["plan_big5.txt", "plan_cid_font.pdf", "plan_docx.docx", "plan_gb18030.txt", "plan_gbk.txt", "plan_gbk_page.html", "plan_markdown.md",
        "plan_numbered.docx", "plan_pdf.pdf", "plan_utf16_bom.txt", "plan_utf16le_nobom.txt", "plan_utf8_bom_crlf.txt",
        "plan_wrong_charset.htm", "dup/plan_utf8.md",
        "no_outline.txt", "unbalanced_brackets.txt", "english_only.txt", "enormous_line.txt"]


def run(args, cwd, timeout=300):
    return subprocess.run([str(EXE), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def make_batch(tmp: Path) -> Path:
    batch = tmp / "batch"
    shutil.copytree(BAD, batch)
    with open(batch / "huge_100mb.txt", "wb") as fh:  # a real 100 MB file, refused before it is read
        chunk = (BAD / "plan_utf8.txt").read_bytes()
        fh.write(chunk * (100 * 1024 * 1024 // len(chunk)))
        fh.write(b"x" * (100 * 1024 * 1024 - fh.tell()))
    # a 4 MB document on one line: valid, built, and not slowly
    line = (BAD / "plan_utf8.txt").read_text(encoding="utf-8").replace("\n", "")
    (batch / "enormous_line.txt").write_text(line * (4_000_000 // len(line.encode("utf-8"))), encoding="utf-8")
    return batch


@pytest.fixture(scope="module")
def batch_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    batch = make_batch(tmp)
    fifo = tmp / "stalled_pipe.txt"  # reading a pipe nobody writes to blocks for ever: the time budget ends it
    os.mkfifo(fifo)
    t0 = time.monotonic()
    r = run(["build", str(batch), str(fifo), "--out", str(tmp / "out"), "--timeout", "10"], cwd=tmp)
    return tmp, batch, fifo, r, time.monotonic() - t0


def test_each_bad_file_is_one_line_naming_it_and_the_reason(batch_build):
    tmp, batch, fifo, r, seconds = batch_build
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln]
    expected = {f"policykg: error: {batch}/{name}: {why.format(dir=batch)}" for name, why in EXPECTED_ERRORS.items()}
    expected.add(f"policykg: error: {fifo}: timed out after 10s (raise the limit with --timeout)")
    assert set(errors) == expected
    assert len(errors) == len(expected) == 32


def test_summary_counts_built_and_failed_and_the_batch_does_not_take_minutes(batch_build):
    tmp, batch, fifo, r, seconds = batch_build
    assert r.stdout.splitlines()[0].startswith(f"built {len(GOOD)} documents (32 failed) in ")
    assert seconds < 120  # the stalled pipe costs its 10 s budget; the 100 MB file is refused unread


def test_good_files_in_the_bad_batch_build_the_same_graph_as_alone(batch_build):
    from policykg.graph_build.assemble import to_contract
    from policykg.graph_build.pipeline import build_corpus

    tmp, batch, fifo, r, _ = batch_build
    together = json.loads((tmp / "out" / "graph.json").read_text(encoding="utf-8"))
    assert sorted(d["file"] for d in together["documents"]) == sorted(Path(g).name for g in GOOD)
    for name in GOOD:
        result = build_corpus([batch / name])
        assert result.failures == []
        alone = json.loads(json.dumps(to_contract(result.graph, result.documents), ensure_ascii=False))
        doc = Path(name).stem
        assert project(alone, doc) == project(together, doc), name
        assert alone["documents"] == [d for d in together["documents"] if d["id"] == doc]


def project(contract: dict, doc: str) -> tuple:
    """What one document contributes to a graph: its nodes and edges with their evidence in it."""
    nodes = {}
    for n in contract["nodes"]:
        ev = [e for e in n["evidence"] if e["doc"] == doc]
        if ev or n["props"].get("doc") == doc:
            nodes[n["id"]] = (n["label"], n["name"], json.dumps(ev, ensure_ascii=False, sort_keys=True))
    edges = {}
    for e in contract["edges"]:
        ev = [x for x in e["evidence"] if x["doc"] == doc]
        if ev:
            key = (e["source"], e["target"], e["type"], json.dumps(e["props"], sort_keys=True, ensure_ascii=False))
            edges[key] = json.dumps(ev, ensure_ascii=False, sort_keys=True)
    return nodes, edges


def test_the_good_files_each_yield_the_plan_tasks(batch_build):
    tmp, batch, fifo, r, _ = batch_build
    together = json.loads((tmp / "out" / "graph.json").read_text(encoding="utf-8"))
    for name in GOOD[:14]:  # the plan in every format and encoding
        doc = Path(name).stem
        tasks = sorted(n["props"]["number"] for n in together["nodes"] if n["label"] == "Task" and n["props"]["doc"] == doc)
        assert tasks == ["一", "一/一", "三", "三/一", "三/二", "二", "二/一", "二/一/1", "二/一/2", "二/二", "二/二/1", "二/二/2"], name
        leads = sorted(together_leads(together, doc))
        assert leads == [("三/一", "科学技术局"), ("三/二", "财政局"), ("二/一/1", "科学技术局"), ("二/一/2", "发展和改革局"),
                         ("二/二/1", "工业和信息化局"), ("二/二/2", "工业和信息化局")], name


def together_leads(contract, doc):
    names = {n["id"]: n["name"] for n in contract["nodes"]}
    for e in contract["edges"]:
        if e["type"] == "LEADS" and e["target"].startswith(f"task:{doc}#"):
            yield e["target"].split("#", 1)[1], names[e["source"]]


def test_extracted_texts_are_kept_beside_the_graph_and_offsets_point_into_them(batch_build):
    tmp, batch, fifo, r, _ = batch_build
    out = tmp / "out"
    together = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    kept = sorted(p.name for p in (out / "texts").iterdir())
    assert kept == ["plan_cid_font.txt", "plan_docx.txt", "plan_gbk_page.txt", "plan_markdown.txt", "plan_numbered.txt", "plan_pdf.txt",
                    "plan_utf8.txt", "plan_wrong_charset.txt"]  # plan_utf8: dup/plan_utf8.md
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (out / "texts").iterdir()}
    checked = 0
    for n in together["nodes"]:
        for ev in n["evidence"]:
            if ev["doc"] in texts:
                assert texts[ev["doc"]][ev["start"]:ev["end"]] == ev["text"]
                checked += 1
    assert checked > 50


def test_error_lines_never_show_document_contents(batch_build):
    tmp, batch, fifo, r, _ = batch_build
    for secret in ("人工智能创新中心", "Ceci n'est pas", "这不是", "统计代码"):
        assert secret not in r.stderr


def test_size_limit_and_usage_errors(tmp_path):
    doc = tmp_path / "plan.txt"
    shutil.copy(BAD / "plan_utf8.txt", doc)
    r = run(["build", str(doc), "--out", str(tmp_path / "o"), "--max-bytes", "1K"], cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip() == (f"policykg: error: {doc}: too large: {doc.stat().st_size:,} bytes "
                                "(the limit is 1,024; raise it with --max-bytes)")
    r = run(["build", str(doc), "--out", str(tmp_path / "o"), "--max-bytes", "lots"], cwd=tmp_path)
    assert r.returncode == 2 and "not a size: 'lots'" in r.stderr
    r = run(["build", str(doc), "--out", str(tmp_path / "o"), "--max-bytes", "2M"], cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.startswith("built 1 documents (0 failed)")


# ---- the time budget ---------------------------------------------------------------------------

def _sleep_then_echo(x):
    if x == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(float(x))
    return ("ok", x)


def test_budget_kills_an_overrunning_call_and_replaces_a_dead_worker():
    t0 = time.monotonic()
    got = list(run_budgeted(_sleep_then_echo, ["0.05", "30", "crash", "0.1", "0"], workers=2, budget=1.5,
                            on_timeout=lambda x, t: ("timeout", x, t), on_crash=lambda x, why: ("crash", x, why)))
    assert time.monotonic() - t0 < 10
    assert sorted(got, key=str) == sorted([("ok", "0.05"), ("timeout", "30", 1.5),
                                           ("crash", "crash", "the worker processing it died (signal 9)"),
                                           ("ok", "0.1"), ("ok", "0")], key=str)


def test_budget_with_no_items_and_with_one_worker():
    assert list(run_budgeted(_sleep_then_echo, [], 2, 1.0, lambda x, t: x, lambda x, w: x)) == []
    assert list(run_budgeted(_sleep_then_echo, ["0", "0.01"], 1, 5.0, lambda x, t: x, lambda x, w: x)) == [("ok", "0"), ("ok", "0.01")]



def test_budget_items_held_ahead_are_not_charged_for_the_one_before():
    """A worker holds the next item while it runs one: the next one's budget starts when the worker
    is free to begin it, and an item held by a worker that is stopped goes to another worker."""
    got = list(run_budgeted(_sleep_then_echo, ["0.6", "0.6", "0.6"], workers=1, budget=1.0,
                            on_timeout=lambda x, t: ("timeout", x), on_crash=lambda x, why: ("crash", x)))
    assert got == [("ok", "0.6")] * 3
    got = list(run_budgeted(_sleep_then_echo, ["30", "0.05", "crash", "0.05", "0"], workers=2, budget=1.5, ahead=2,
                            on_timeout=lambda x, t: ("timeout", x), on_crash=lambda x, why: ("crash", x)))
    assert sorted(got) == sorted([("timeout", "30"), ("ok", "0.05"), ("crash", "crash"), ("ok", "0.05"), ("ok", "0")])

# ---- atomic outputs ----------------------------------------------------------------------------

def big_corpus(tmp: Path, copies: int) -> Path:
    """Many documents (the samples under new names), so a build runs long enough to be interrupted."""
    src = sorted((ROOT / "data" / "corpus").glob("*.txt"))
    corpus = tmp / "corpus"
    corpus.mkdir()
    for i in range(copies):
        for f in src:
            shutil.copy(f, corpus / f"{f.stem}_{i:03d}.txt")
    return corpus


def test_interrupted_builds_leave_the_old_graph_or_none_and_a_rerun_is_byte_identical(tmp_path):
    corpus = big_corpus(tmp_path, 6)
    clean = tmp_path / "clean"
    t0 = time.monotonic()
    r = run(["build", str(corpus), "--out", str(clean)], cwd=tmp_path)
    full = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    clean_bytes = (clean / "graph.json").read_bytes()
    # the output folder starts with an older, different graph.json
    out = tmp_path / "out"
    r = run(["build", str(ROOT / "data" / "corpus"), "--out", str(out)], cwd=tmp_path)
    old_bytes = (out / "graph.json").read_bytes()
    assert old_bytes != clean_bytes
    seen = []
    # kills spread over a whole build, the last ones while the outputs are being written
    for frac, sig in [(0.2, signal.SIGKILL), (0.5, signal.SIGTERM), (0.8, signal.SIGINT), (0.9, signal.SIGKILL),
                      (0.97, signal.SIGKILL)]:
        p = subprocess.Popen([str(EXE), "build", str(corpus), "--out", str(out), "--no-progress"], cwd=tmp_path,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(frac * full)
        if p.poll() is None:
            os.killpg(p.pid, sig)  # the command and its workers, as a Ctrl-C or a batch scheduler would
        p.wait(60)
        now = (out / "graph.json").read_bytes()
        assert now in (old_bytes, clean_bytes)  # never a half-written file
        json.loads(now)
        seen.append("old" if now == old_bytes else "new")
        if now == clean_bytes:
            old_bytes = clean_bytes
    r = run(["build", str(corpus), "--out", str(out)], cwd=tmp_path)
    assert r.returncode == 0
    assert (out / "graph.json").read_bytes() == clean_bytes
    assert (out / "graph.graphml").read_bytes() == (clean / "graph.graphml").read_bytes()
    assert seen[0] == "old"  # the first kill lands before the new graph is in place


def test_a_write_interrupted_inside_atomic_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    from policykg.graph_build import export

    target = tmp_path / "graph.json"
    export.atomic_write(target, "old")

    def interrupted(fd):
        raise KeyboardInterrupt  # as a Ctrl-C between writing the bytes and renaming them into place

    monkeypatch.setattr(os, "fsync", interrupted)
    try:
        export.atomic_write(target, "new " * 100000)
    except KeyboardInterrupt:
        pass
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json"]


def test_atomic_writes_give_ordinary_file_permissions(tmp_path):
    """mkstemp creates 0600; an export or view someone shares must get the umask's usual mode."""
    from policykg.graph_build import export

    old = os.umask(0o022)
    try:
        export.atomic_write(tmp_path / "view.html", "<html></html>")
        export.atomic_write_chunks(tmp_path / "graph.json", iter(["{", "}"]))
    finally:
        os.umask(old)
    assert {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()} == {"view.html": 0o644, "graph.json": 0o644}
