"""The graph.json contract as load rows for a property graph, the same layout on every engine.

A node becomes `{id, props}` with props = the contract props flattened to what a property can
hold (scalars and homogeneous lists of scalars; anything else as a JSON string) plus `id`, `name`,
`label` and `evidence` (the evidence list as a JSON string). An edge becomes `{source, target,
props}` with its props flattened the same way. Rows are grouped by label, and edges by
(type, source label, target label), so that every load statement names its labels and the
`MERGE` on `id` uses the unique index of that label.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from policykg.errors import SchemaError


def _json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def property_value(v: Any) -> Any:
    """A contract value as a property value both Neo4j and FalkorDB store and return unchanged."""
    if v is None or isinstance(v, (str, bool, int, float)):
        return v
    if isinstance(v, (list, tuple)):
        items = list(v)
        if all(isinstance(x, str) for x in items):
            return items
        if all(isinstance(x, bool) for x in items):
            return items
        if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in items):
            # Neo4j stores only homogeneous arrays: [3, 5.5] becomes [3.0, 5.5]
            if any(isinstance(x, float) for x in items):
                return [float(x) for x in items]
            return items
    return _json(v)


def flat_props(props: dict | None) -> dict[str, Any]:
    out = {}
    for k in sorted(props or {}):
        v = property_value(props[k])
        if v is not None:
            out[k] = v
    return out


@dataclass(frozen=True)
class NodeBatch:
    label: str
    rows: list[dict]


@dataclass(frozen=True)
class EdgeBatch:
    type: str
    source_label: str
    target_label: str
    rows: list[dict]


def node_rows(contract: dict) -> dict[str, list[dict]]:
    """label -> [{id, props}], in contract order."""
    by_label: dict[str, list[dict]] = defaultdict(list)
    for n in contract.get("nodes", []):
        props = flat_props(n.get("props"))
        props.update(id=n["id"], name=n.get("name") or "", label=n["label"],
                     evidence=_json(n.get("evidence") or []))
        by_label[n["label"]].append({"id": n["id"], "props": props})
    return dict(sorted(by_label.items()))


def edge_rows(contract: dict) -> dict[tuple[str, str, str], list[dict]]:
    """(type, source label, target label) -> [{source, target, props}]."""
    label_of = {n["id"]: n["label"] for n in contract.get("nodes", [])}
    groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for e in contract.get("edges", []):
        try:
            key = (e["type"], label_of[e["source"]], label_of[e["target"]])
        except KeyError as exc:
            raise SchemaError(f"edge {e['source']} -{e['type']}-> {e['target']}: no node {exc.args[0]!r}") from None
        props = flat_props(e.get("props"))
        props["evidence"] = _json(e.get("evidence") or [])
        groups[key].append({"source": e["source"], "target": e["target"], "props": props})
    return dict(sorted(groups.items()))


def chunks(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def labels_and_types(contract: dict) -> tuple[set[str], set[str]]:
    return ({n["label"] for n in contract.get("nodes", [])}, {e["type"] for e in contract.get("edges", [])})


def check_names(names: Iterable[str], allowed: Iterable[str], what: str) -> None:
    """Labels and relationship types go into query text, so only whitelisted names pass."""
    allowed = set(allowed)
    bad = sorted(set(names) - allowed)
    if bad:
        raise SchemaError(f"unknown {what} {', '.join(bad)} (not in the schema)")
