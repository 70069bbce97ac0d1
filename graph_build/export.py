"""Deterministic exports: the graph.json contract, GraphML, CSV. Every file is written to a
temporary name and renamed, so an interrupted run never leaves a half-written file."""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import networkx as nx


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def dumps_contract(contract: dict) -> str:
    return json.dumps(contract, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def write_json(contract: dict, path: str | Path) -> Path:
    return atomic_write(path, dumps_contract(contract))


def read_json(path: str | Path) -> dict:
    from policykg.errors import InputError
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such graph file (run `policykg build` first)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a graph.json file: {exc}") from None


def _scalar(v):
    if v is None:
        return ""
    if isinstance(v, (str, int, float, bool)):
        return v
    return json.dumps(v, ensure_ascii=False, sort_keys=True)


_NODE_FIELDS = ("region", "kind", "number", "title", "doc", "year", "value", "unit", "op", "metric", "level", "type", "category")


def flat_graph(contract: dict) -> nx.MultiDiGraph:
    """A graph whose attributes are all scalars (GraphML/GEXF cannot hold lists or maps): common
    properties as their own attributes, everything else as JSON strings."""
    g = nx.MultiDiGraph()
    for n in contract["nodes"]:
        props = n.get("props") or {}
        attrs = {"label": n["label"], "name": n["name"]}
        for f in _NODE_FIELDS:
            if f in props:
                attrs[f] = _scalar(props[f])
        attrs["aliases"] = "、".join(props.get("aliases") or [])
        attrs["props"] = _scalar(props)
        attrs["evidence"] = _scalar(n.get("evidence") or [])
        g.add_node(n["id"], **attrs)
    for i, e in enumerate(contract["edges"]):
        g.add_edge(e["source"], e["target"], key=f"{e['type']}", type=e["type"],
                   props=_scalar(e.get("props") or {}), evidence=_scalar(e.get("evidence") or []))
    return g


def write_graphml(contract: dict, path: str | Path) -> Path:
    buf = io.BytesIO()
    nx.write_graphml(flat_graph(contract), buf, encoding="utf-8", prettyprint=True)
    return atomic_write(path, buf.getvalue())


def write_csv(contract: dict, out_dir: str | Path) -> list[Path]:
    """nodes.csv and edges.csv (props and evidence as JSON)."""
    out_dir = Path(out_dir)
    nb = io.StringIO()
    w = csv.writer(nb, lineterminator="\n")
    w.writerow(["id", "label", "name", "region", "props", "evidence"])
    for n in contract["nodes"]:
        props = n.get("props") or {}
        w.writerow([n["id"], n["label"], n["name"], props.get("region") or "", _scalar(props), _scalar(n["evidence"])])
    eb = io.StringIO()
    w = csv.writer(eb, lineterminator="\n")
    w.writerow(["source", "target", "type", "props", "evidence"])
    for e in contract["edges"]:
        w.writerow([e["source"], e["target"], e["type"], _scalar(e.get("props") or {}), _scalar(e["evidence"])])
    return [atomic_write(out_dir / "nodes.csv", nb.getvalue()), atomic_write(out_dir / "edges.csv", eb.getvalue())]
