"""`policykg query` / `policykg report` as a user runs them (the installed command, from outside the
checkout), and the embedded engine's server life cycle: its data folder, snapshot reuse, reload on
change, stale sockets, orphaned servers, a SIGKILLed owner, concurrent use."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from fixtures.queries_graph import small_graph
from policykg.errors import DatabaseError
from policykg.queries.embedded import EmbeddedServer, binaries
from policykg.queries.engines import open_embedded
from policykg.queries.runner import run_query

EXE = Path(sys.executable).parent / "policykg"


def _env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run(args, cwd):
    return subprocess.run([str(EXE), *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=_env())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purposes
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _wait_dead(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _alive(pid)


@pytest.fixture()
def graph_dir(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.json").write_text(json.dumps(small_graph(), ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_query_formats_and_snapshot_reuse(graph_dir):
    r = run(["query", "agency-workload", "--param", "region=长沙市", "--format", "csv"], cwd=graph_dir)
    assert r.returncode == 0, r.stderr
    assert "loading out/graph.json into the embedded engine" in r.stderr
    assert list(csv.reader(io.StringIO(r.stdout))) == [
        ["region", "agency_id", "agency", "led", "supported", "total"],
        ["长沙市", "agency:长沙市|工业和信息化局", "工业和信息化局", "1", "1", "2"],
        ["长沙市", "agency:长沙市|科学技术局", "科学技术局", "1", "0", "1"]]
    work = graph_dir / "out" / ".falkordb"
    assert (work / "graph.rdb").is_file()
    assert not (work / "redis.sock").exists() and not (work / "redis.pid").exists()  # stopped at exit

    # unchanged graph.json: the snapshot is read back, nothing is reloaded
    r = run(["query", "actor-path", "-p", "source=agency:深圳市|工业和信息化局", "-p", "target=agency:深圳市|科技创新委员会",
             "-p", "limit=1", "--format", "json"], cwd=graph_dir)
    assert r.returncode == 0, r.stderr
    assert "loading" not in r.stderr
    doc = json.loads(r.stdout)
    assert doc["query"] == "actor-path" and doc["engine"] == "falkordb"
    assert doc["params"] == {"source": "agency:深圳市|工业和信息化局", "target": "agency:深圳市|科技创新委员会", "max_hops": 8,
                             "limit": 1}
    assert doc["rows"] == [{"hops": 2, "node_ids": ["agency:深圳市|工业和信息化局", "task:sz1#二/一", "agency:深圳市|科技创新委员会"],
                            "names": ["工业和信息化局", "强化基础研究", "科技创新委员会"], "steps": ["SUPPORTS>", "<LEADS"]}]

    r = run(["query", "co-assignment", "-p", "min_shared=2", "-f", "markdown"], cwd=graph_dir)
    assert r.stdout.splitlines() == [
        "| agency\\_a\\_id | agency\\_a | agency\\_b\\_id | agency\\_b | shared | a\\_leads | b\\_leads |",
        "|---|---|---|---|---|---|---|",
        "| agency:深圳市\\|工业和信息化局 | 工业和信息化局 | agency:深圳市\\|科技创新委员会 | 科技创新委员会 | 2 | 1 | 1 |"]

    r = run(["query", "documents-citing-policy"], cwd=graph_dir)
    assert r.stdout.splitlines()[2].split() == ["policy:国发〔2017〕35号", "国发〔2017〕35号", "2", "cs1,", "sz2",
                                                "深圳市,", "长沙市"]
    assert r.stdout.splitlines()[-1] == "(1 row)"

    # a changed graph.json is reloaded
    g = small_graph()
    g["nodes"] = [n for n in g["nodes"] if n["id"] != "agency:长沙市|科学技术局"]
    g["edges"] = [e for e in g["edges"] if "agency:长沙市|科学技术局" not in (e["source"], e["target"])]
    (graph_dir / "out" / "graph.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    r = run(["query", "agency-workload", "-p", "region=长沙市", "-f", "csv"], cwd=graph_dir)
    assert "loading" in r.stderr
    assert r.stdout.splitlines()[1:] == ["长沙市,agency:长沙市|工业和信息化局,工业和信息化局,1,1,2"]


def test_list_and_user_errors(graph_dir, capsys, monkeypatch):
    r = run(["query", "--list"], cwd=graph_dir)
    assert r.returncode == 0
    for name in ("agency-workload", "orphan-tasks", "broker-agencies", "portfolio-overlap", "task-detail"):
        assert f"\n{name}" in "\n" + r.stdout
    assert "--param agency=…  agency (string, required)" in r.stdout
    r = run(["query", "no-such-query"], cwd=graph_dir)
    assert r.returncode == 2 and r.stderr.strip() == ("policykg: error: no named query 'no-such-query'; "
                                                      "`policykg query --list` shows them")
    from policykg.cli import main

    monkeypatch.chdir(graph_dir)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    cases = [
        (["query", "agency-ego"], 2, "needs parameter 'agency'"),
        (["query", "co-assignment", "-p", "min_shared=lots"], 2, "'min_shared' must be int"),
        (["query", "co-assignment", "-p", "min_shared"], 2, "expected KEY=VALUE"),
        (["query", "co-assignment", "-p", "limit=1", "-p", "limit=2"], 2, "given twice"),
        (["query", "co-assignment", "--graph", "missing/graph.json"], 1, "no such graph file"),
        (["query"], 2, "give a query name"),
    ]
    for args, code, message in cases:
        assert main(args) == code, args
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, (args, err)
    assert not (graph_dir / "missing").exists()


def test_report_escapes_text_and_links_views(graph_dir):
    g = small_graph()
    hostile = '<script>alert("x")</script>&局'
    for n in g["nodes"]:
        if n["id"] == "agency:深圳市|工业和信息化局":
            n["name"] = hostile
    (graph_dir / "out" / "graph.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    views = graph_dir / "out" / "views"
    views.mkdir()
    (views / "overview.html").write_text("<html></html>")
    (views / "coordination-深圳市.html").write_text("<html></html>")
    r = run(["report"], cwd=graph_dir)
    assert r.returncode == 0, r.stderr
    html = (graph_dir / "out" / "report.html").read_text(encoding="utf-8")
    md = (graph_dir / "out" / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;局" in html
    assert '<a href="views/overview.html">' in html and '<a href="views/coordination-深圳市.html">' in html
    assert "region-深圳市.html" not in html  # not written, so not linked
    assert "\\<script\\>alert(\"x\")\\</script\\>&局" in md
    assert "(<views/overview.html>)" in md
    # per plan: the sections the report promises, with the plan's numbers
    assert md.count("\n## ") == 4  # three plans and the comparison
    sz1 = md.split("## 深圳市人工智能行动计划(2019-2023年) (深圳市)")[1].split("\n## ")[0]
    for heading in ("**Workload: tasks led and supported per agency**", "**Most frequent co-assignments (top 10)**",
                    "**Overlapping mandates: technologies led by two or more agencies (tasks by outline number)**",
                    "**Orphan tasks: numbered tasks with no responsible unit**", "**Targets timeline**"):
        assert heading in sz1
    assert "- **Lead concentration (HHI)**: 0.375" in sz1
    assert "| 二/三 | 优化产业生态 | task:sz1\\#二/三 |" in sz1
    assert "| 2023 | 产业规模 | \\> | 300 | 亿元 |" in sz1
    assert "| 计算机视觉 | 2 | 科技创新委员会 | 二/一/专栏1/1 |" in sz1

    r = run(["report", "--region", "长沙市", "--out", "rep"], cwd=graph_dir)
    assert r.returncode == 0, r.stderr
    md = (graph_dir / "rep" / "report-长沙市.md").read_text(encoding="utf-8")
    assert md.count("\n## ") == 2 and "深圳市人工智能" not in md


# ---------------------------------------------------------------- server life cycle
def test_stale_socket_and_pid_file_are_cleaned(tmp_path):
    work = tmp_path / "w"
    work.mkdir()
    (work / "redis.sock").write_text("stale")
    dead = subprocess.Popen(["true"])
    dead.wait()
    (work / "redis.pid").write_text(f"{dead.pid}\n")
    with EmbeddedServer(work) as server:
        assert server.client().connection.ping()
        assert int((work / "redis.pid").read_text()) == server._proc.pid
    assert not (work / "redis.sock").exists() and not (work / "redis.pid").exists()


def test_an_orphaned_server_is_ended_and_replaced(tmp_path):
    """A server whose owner died without stopping it (pid file left behind) is ours: ended on start."""
    work = tmp_path / "w"
    work.mkdir()
    server_bin, module = binaries()
    # started through a shell that exits at once, so that (like a real orphan) it is not our child
    cmd = (f"'{server_bin}' --port 0 --unixsocket redis.sock --dir '{work}' --save '' --appendonly no "
           f"--loadmodule '{module}' >/dev/null 2>&1 & echo $!")
    orphan = int(subprocess.run(["sh", "-c", cmd], cwd=work, capture_output=True, text=True, check=True).stdout)
    try:
        (work / "redis.pid").write_text(f"{orphan}\n")
        deadline = time.monotonic() + 10
        while not (work / "redis.sock").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _alive(orphan)
        with EmbeddedServer(work) as server:
            assert _wait_dead(orphan, 1)
            assert server._proc.pid != orphan and server.client().connection.ping()
    finally:
        if _alive(orphan):
            os.kill(orphan, signal.SIGKILL)


def test_a_killed_owner_leaves_no_server(tmp_path):
    work = tmp_path / "w"
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from policykg.queries.embedded import EmbeddedServer
        s = EmbeddedServer({str(work)!r}).start()
        print(s._proc.pid, flush=True)
        time.sleep(600)
    """)], stdout=subprocess.PIPE, text=True, env=_env())
    server_pid = int(child.stdout.readline())
    assert _alive(server_pid)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert _wait_dead(server_pid), "the server outlived its SIGKILLed owner"
    with EmbeddedServer(work) as server:  # and the next start is clean
        assert server.client().connection.ping()


def test_one_owner_at_a_time(tmp_path):
    with EmbeddedServer(tmp_path / "w"):
        with pytest.raises(DatabaseError, match="in use by another policykg process"):
            EmbeddedServer(tmp_path / "w", lock_timeout=0.3).start()


def test_open_embedded_reloads_only_a_changed_graph(graph_dir):
    path = graph_dir / "out" / "graph.json"
    messages = []
    with open_embedded(path, progress=messages.append) as engine:
        assert len(run_query(engine, "plans").rows) == 3
    with open_embedded(path, progress=messages.append) as engine:
        assert len(run_query(engine, "plans").rows) == 3
    assert len(messages) == 1
    g = small_graph()
    g["documents"] = [d for d in g["documents"] if d["id"] != "sz2"]
    g["nodes"] = [n for n in g["nodes"] if n["id"] not in ("document:sz2", "task:sz2#一", "task:sz2#一/一")]
    g["edges"] = [e for e in g["edges"] if "sz2" not in e["source"] + e["target"]
                  and not any(ev["doc"] == "sz2" for ev in e["evidence"])]
    for n in g["nodes"]:
        n["evidence"] = [ev for ev in n["evidence"] if ev["doc"] != "sz2"]
    path.write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    with open_embedded(path, progress=messages.append) as engine:
        assert [r[1] for r in run_query(engine, "plans").rows] == ["sz1", "cs1"]
    assert len(messages) == 2
