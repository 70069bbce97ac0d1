"""Injection payloads and a "poisoned" copy of a graph.json contract for tests/integration/test_db_faults.py.

`poison(g)` appends a payload to EVERY string of the contract (node and document ids, names, every
string prop and list item and map value, evidence texts, document fields, relationship props), the
same payload for the same string so that references stay consistent; only the label and type
fields are left alone (they are the schema's whitelist, refused when unknown). `with_payload_facts`
adds one Organization per payload whose id, name and props are the bare payload, a property whose
NAME is a payload, and ~100,000-character strings in the fields that carry no index (an indexed
value is limited to about 8 kB by Neo4j: see test_db_faults).

`interrupt_cli_run` starts a `policykg` command and interrupts it (kills it, or the server under it)
once it has written enough: the fault tests of test_db_faults and test_neo4j_load share it.
"""
from __future__ import annotations

import copy
import subprocess
import sys
import time
import zlib
from typing import Callable

import pytest

from policykg.graph_build.model import document_id

POLICYKG = [sys.executable, "-m", "policykg.cli"]


def interrupt_cli_run(args: list[str], env: dict, written: Callable[[], int], at_least: int,
                      interrupt: Callable[[subprocess.Popen], None], cwd=None,
                      timeout: float = 180) -> tuple[subprocess.Popen, int]:
    """Start `policykg ARGS`, poll `written()` (e.g. relationships in the database) until it reaches
    `at_least`, then call `interrupt(process)` while the command still runs. Returns the process
    (text pipes; the caller collects its output) and the last count. Fails the test when the command
    ends first or the count is not reached within `timeout` seconds."""
    proc = subprocess.Popen(POLICYKG + list(args), env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + timeout
        count = 0
        while proc.poll() is None and count < at_least and time.monotonic() < deadline:
            count = written()
            if count < at_least:
                time.sleep(0.05)
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"`policykg {' '.join(args[:1])}` ended (exit {proc.returncode}) before it could be "
                        f"interrupted after {at_least} writes ({count} seen): {err.strip()[-400:]}", pytrace=False)
        if count < at_least:
            pytest.fail(f"`policykg {' '.join(args[:1])}` wrote {count} of the {at_least} it was to be "
                        f"interrupted after within {timeout:.0f} s", pytrace=False)
        interrupt(proc)
    except BaseException:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
        raise
    return proc, count

PAYLOADS = [
    '"}) DETACH DELETE n //',
    "' OR 1=1 --",
    "$rows",
    "$docs[0]",
    "`Agency` `) MATCH (m) DETACH DELETE m //",
    "{label}",
    "{type}{source_label}",
    "CALL dbms.killQueries([]) YIELD queryId RETURN queryId",
    '\\"; MATCH (n) DETACH DELETE n; //',
    "*/ /* ' \" ` ; } ] ) \\",
    "%s %d {0} ${x} {{x}} ${jndi:ldap://x}",
    "\\u0000 \\x00 (escapes as text, no NUL)",
    "ctl \x01\x02\x07\x08\t\n\r\x0b\x0c\x1b\x1f\x7f\x85 end",
    "emoji 🤖👩‍💻🇨🇳 𠀀𪚥",
    "RTL \u200f\u202eعربى\u202c \u2066x\u2069 \u200b\u200d\ufeff",
    "lines\u2028sep\u2029para\r\n",
    "  leading and trailing spaces\u3000 ",
    "<script>alert(1)</script> &amp; ]]>",
]
LONG = ((" 很长的文本 " + "".join(PAYLOADS)) * 400)[:100_000]  # 100,000 characters


def payload_for(s: str, payloads=PAYLOADS) -> str:
    return payloads[zlib.crc32(s.encode("utf-8")) % len(payloads)]


def poison_text(s: str, docs: set, payloads=PAYLOADS) -> str:
    """`s` with its payload appended (a Document node's id is derived from its poisoned document id)."""
    if s.startswith("document:") and s[len("document:"):] in docs:
        return document_id(poison_text(s[len("document:"):], docs, payloads))
    return s + payload_for(s, payloads)


def unpoison(value, payloads=PAYLOADS):
    """Strings with their appended payload removed (lists and maps walked): poison_text's inverse."""
    if isinstance(value, str):
        if value.startswith("document:"):
            return "document:" + unpoison(value[len("document:"):], payloads)
        for p in payloads:
            if value.endswith(p) and payload_for(value[:-len(p)], payloads) == p:
                return value[:-len(p)]
        return value
    if isinstance(value, list):
        return [unpoison(v, payloads) for v in value]
    if isinstance(value, dict):
        return {unpoison(k, payloads): unpoison(v, payloads) for k, v in value.items()}
    return value


def poison(graph: dict, payloads=PAYLOADS) -> dict:
    """`graph` with a payload appended to every string (see the module docstring)."""
    docs = {d["id"] for d in graph["documents"]}

    def text(s: str) -> str:
        return poison_text(s, docs, payloads)

    def walk(v, skip=()):
        if isinstance(v, str):
            return text(v)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: (x if k in skip else walk(x)) for k, x in v.items()}
        return v

    return {"schema_version": graph.get("schema_version", 1),
            "documents": [walk(d) for d in graph["documents"]],
            "nodes": [walk(n, skip=("label",)) for n in graph["nodes"]],
            "edges": [walk(e, skip=("type",)) for e in graph["edges"]]}


def with_payload_facts(graph: dict, payloads=PAYLOADS, key_payload: str = PAYLOADS[4]) -> dict:
    """`graph` plus, per payload, an Organization named by the bare payload that a task INVOLVES,
    a property named by a payload, and very long strings in unindexed fields."""
    g = copy.deepcopy(graph)
    doc = g["documents"][0]["id"]
    task = next(n for n in g["nodes"] if n["label"] == "Task" and n["props"].get("doc") == doc)
    for i, p in enumerate(payloads):
        oid = f"organization:{p}"
        g["nodes"].append({"id": oid, "label": "Organization", "name": p,
                           "props": {"kind": p, "aliases": [p, p + p, ""], "rank": i, "meta": {p: [p, i, None]}},
                           "evidence": [{"doc": doc, "start": i, "end": i + len(p), "text": p}]})
        g["edges"].append({"source": task["id"], "target": oid, "type": "INVOLVES", "props": {"role": p},
                           "evidence": [{"doc": doc, "start": i, "end": i + 1, "text": p}]})
    task["props"][key_payload] = "a property whose name is a payload"
    task["props"]["title"] = task["name"] = "长" + LONG  # Task names and titles carry no index
    task["props"]["long_list"] = [LONG, payloads[0]]
    task["evidence"].append({"doc": doc, "start": 0, "end": len(LONG), "text": LONG})
    next(e for e in g["edges"] if e["type"] == "CONTAINS")["props"]["note"] = LONG
    return g
