"""The graph.json contract, read once and indexed for the views: nodes by id, edges by endpoint,
the documents, and for every node the regions and documents it belongs to (what the page filters on)."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from policykg.errors import InputError, SchemaError


@dataclass(frozen=True)
class GraphData:
    """An indexed, read-only view of one graph.json contract."""

    documents: Mapping[str, dict]
    nodes: Mapping[str, dict]  # id -> contract node, in contract order
    edges: tuple[dict, ...]
    out_edges: Mapping[str, tuple[int, ...]]  # node id -> indices into `edges`
    in_edges: Mapping[str, tuple[int, ...]]

    def degree(self, node_id: str) -> int:
        return len(self.out_edges.get(node_id, ())) + len(self.in_edges.get(node_id, ()))

    def incident(self, node_id: str) -> tuple[int, ...]:
        return self.out_edges.get(node_id, ()) + self.in_edges.get(node_id, ())

    def props(self, node_id: str) -> dict:
        return self.nodes[node_id].get("props") or {}

    def by_label(self, label: str) -> list[str]:
        return [nid for nid, n in self.nodes.items() if n["label"] == label]

    def node_docs(self, node_id: str) -> tuple[str, ...]:
        """The documents a node comes from: its evidence, its `doc` property, the document itself;
        a node without any (a Region) takes the documents of its relationships' evidence."""
        n = self.nodes[node_id]
        docs = {ev["doc"] for ev in n.get("evidence") or [] if ev.get("doc")}
        doc = self.props(node_id).get("doc")
        if isinstance(doc, str):
            docs.add(doc)
        if n["label"] == "Document" and node_id.startswith("document:"):
            docs.add(node_id[len("document:"):])
        if not docs:
            for i in self.incident(node_id):
                docs.update(ev["doc"] for ev in self.edges[i].get("evidence") or [] if ev.get("doc"))
        return tuple(sorted(d for d in docs if d in self.documents))

    def node_regions(self, node_id: str) -> tuple[str, ...]:
        """The region names a node is filed under: its own `region` property, a Region's own name,
        else the issuing regions of the documents it comes from."""
        n = self.nodes[node_id]
        if n["label"] == "Region":
            return (n["name"],)
        region = self.props(node_id).get("region")
        if isinstance(region, str) and region:
            return (region,)
        regions = {self.documents[d].get("region") for d in self.node_docs(node_id)}
        return tuple(sorted(r for r in regions if isinstance(r, str) and r))


def _require(obj: Any, keys: tuple[str, ...], what: str) -> None:
    if not isinstance(obj, dict):
        raise SchemaError(f"{what} is not an object: {obj!r:.80}")
    missing = [k for k in keys if k not in obj]
    if missing:
        raise SchemaError(f"{what} lacks {', '.join(missing)}: {json.dumps(obj, ensure_ascii=False)[:120]}")


def read_graph(source: str | Path | Mapping) -> dict:
    """A graph.json contract from a path or an already loaded dict."""
    if isinstance(source, Mapping):
        return dict(source)
    path = Path(source)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such graph file (run `policykg build` first)") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a graph.json file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a graph.json file: {exc}") from None


def load_graph(source: "str | Path | Mapping | GraphData") -> GraphData:
    """Index a graph.json contract (a path, a dict, or an already indexed GraphData)."""
    if isinstance(source, GraphData):
        return source
    contract = read_graph(source)
    for key in ("nodes", "edges"):
        if not isinstance(contract.get(key), list):
            raise SchemaError(f"graph has no `{key}` list")
    documents: dict[str, dict] = {}
    for d in contract.get("documents") or []:
        _require(d, ("id",), "document")
        documents[d["id"]] = d
    nodes: dict[str, dict] = {}
    for n in contract["nodes"]:
        _require(n, ("id", "label", "name"), "node")
        if n["id"] in nodes:
            raise SchemaError(f"duplicate node id {n['id']!r}")
        nodes[n["id"]] = n
    out_edges: dict[str, list[int]] = defaultdict(list)
    in_edges: dict[str, list[int]] = defaultdict(list)
    edges = tuple(contract["edges"])
    for i, e in enumerate(edges):
        _require(e, ("source", "target", "type"), "edge")
        for end in ("source", "target"):
            if e[end] not in nodes:
                raise SchemaError(f"edge {e['type']} refers to unknown node {e[end]!r}")
        out_edges[e["source"]].append(i)
        in_edges[e["target"]].append(i)
    return GraphData(
        documents=documents,
        nodes=nodes,
        edges=edges,
        out_edges={k: tuple(v) for k, v in out_edges.items()},
        in_edges={k: tuple(v) for k, v in in_edges.items()},
    )
