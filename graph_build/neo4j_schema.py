"""The graph schema (`schema/schema.yaml`) and the Cypher templates beside it.

`load_schema()` reads the whitelist of labels, relationship types and property types;
`cypher(name, …)` returns a statement of `schema/NAME.cypher` with its `{label}`/`{type}`/
`{property}` placeholders filled only from that whitelist; `check_graph()` says how a graph.json
contract breaks the schema (before anything is written); `apply_schema()` creates the key
constraints and lookup indexes idempotently.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from policykg.errors import SchemaError
from policykg.graph_build.model import document_id

SCHEMA_PACKAGE = "policykg.schema"
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{(label|source_label|target_label|type|key|property)\}")
MAX_PROBLEMS = 20
# Neo4j's range indexes (and the key constraints they back) hold string keys of at most 8,167 bytes
# of UTF-8; a longer indexed value fails the whole transaction. The check refuses such graphs before
# anything is written, with a margin for the key's header.
MAX_INDEXED_BYTES = 8000


@dataclass(frozen=True)
class LabelSpec:
    name: str
    properties: dict[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelSpec:
    name: str
    sources: frozenset[str]
    targets: frozenset[str]
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Schema:
    key: str
    labels: dict[str, LabelSpec]
    relationships: dict[str, RelSpec]
    reserved: frozenset[str]
    version: int = 1


def _read_text(name: str) -> str:
    try:
        return resources.files(SCHEMA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaError(f"schema file {name} is missing from the policykg.schema package") from None


def _identifier(kind: str, name) -> str:
    if not isinstance(name, str) or not IDENTIFIER.match(name):
        raise SchemaError(f"schema.yaml: {kind} {name!r} is not a plain identifier")
    return name


def parse_schema(data: dict) -> Schema:
    """A Schema from the parsed YAML; every name is checked to be a plain identifier."""
    if not isinstance(data, dict) or "labels" not in data or "relationships" not in data:
        raise SchemaError("schema.yaml: needs `labels` and `relationships`")
    key = _identifier("key", data.get("key", "id"))
    if key != "id":
        raise SchemaError("schema.yaml: the node key must be `id` (the export's node id)")
    labels = {}
    for name, spec in (data["labels"] or {}).items():
        spec = spec or {}
        props = {_identifier("property", k): str(v) for k, v in (spec.get("properties") or {}).items()}
        for t in props.values():
            parse_type(t)
        labels[_identifier("label", name)] = LabelSpec(
            name=name, properties=props,
            required=tuple(_identifier("property", p) for p in spec.get("required") or ()),
            indexes=tuple(_identifier("property", p) for p in spec.get("indexes") or ()))
    rels = {}
    for name, spec in (data["relationships"] or {}).items():
        spec = spec or {}
        ends = {}
        for side in ("from", "to"):
            ends[side] = frozenset(spec.get(side) or ())
            unknown = sorted(ends[side] - labels.keys())
            if unknown:
                raise SchemaError(f"schema.yaml: relationship {name} `{side}` names unknown label(s) {', '.join(unknown)}")
        props = {_identifier("property", k): str(v) for k, v in (spec.get("properties") or {}).items()}
        for t in props.values():
            parse_type(t)
        rels[_identifier("relationship type", name)] = RelSpec(name, ends["from"], ends["to"], props)
    reserved = frozenset(_identifier("reserved property", p) for p in data.get("reserved_properties") or ())
    return Schema(key=key, labels=labels, relationships=rels, reserved=reserved, version=int(data.get("version", 1)))


@lru_cache(maxsize=None)
def load_schema() -> Schema:
    return parse_schema(yaml.safe_load(_read_text("schema.yaml")))


# ---- property types ----

@lru_cache(maxsize=None)
def parse_type(spec: str) -> tuple:
    """'integer | list<string>' -> (('integer',), ('list', ('string',)))"""
    out = []
    for part in (p.strip() for p in spec.split("|")):
        m = re.fullmatch(r"list<\s*([a-z]+)\s*>", part)
        if m and m.group(1) in _SCALARS:
            out.append(("list", m.group(1)))
        elif part in _SCALARS or part in ("map", "any", "null"):
            out.append((part,))
        else:
            raise SchemaError(f"schema.yaml: unknown property type {part!r} in {spec!r}")
    return tuple(out)


def _is_int(v) -> bool:
    return type(v) is int


def _is_float(v) -> bool:
    return type(v) is float and math.isfinite(v)


_SCALARS = {
    "string": lambda v: type(v) is str,
    "integer": _is_int,
    "float": _is_float,
    "number": lambda v: _is_int(v) or _is_float(v),
    "boolean": lambda v: type(v) is bool,
}


def type_matches(value, spec: str) -> bool:
    for alt in parse_type(spec):
        kind = alt[0]
        if kind == "any":
            return True
        if kind == "null" and value is None:
            return True
        if kind == "map" and isinstance(value, dict):
            return True
        if kind == "list" and isinstance(value, list) and all(_SCALARS[alt[1]](x) for x in value):
            return True
        if kind in _SCALARS and _SCALARS[kind](value):
            return True
    return False


# ---- Cypher templates ----

@lru_cache(maxsize=None)
def _template(name: str) -> str:
    if not IDENTIFIER.match(name):
        raise SchemaError(f"no Cypher template named {name!r}")
    text = _read_text(f"{name}.cypher")
    lines = text.splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("//")):
        lines.pop(0)
    return "\n".join(lines).strip()


def cypher(name: str, schema: Schema | None = None, **names: str) -> str:
    """The statement `schema/NAME.cypher` with placeholders filled from the schema whitelist only."""
    schema = schema or load_schema()
    allowed = {
        "label": schema.labels.keys(), "source_label": schema.labels.keys(), "target_label": schema.labels.keys(),
        "type": schema.relationships.keys(), "key": {schema.key},
        "property": {p for spec in schema.labels.values() for p in (*spec.indexes, *spec.properties)} | {"name", "document_id"},
    }
    for kind, value in names.items():
        if kind not in allowed:
            raise SchemaError(f"template {name}: unknown placeholder {kind}")
        if value not in allowed[kind]:
            raise SchemaError(f"{kind} {value!r} is not in schema/schema.yaml")

    def fill(m: re.Match) -> str:
        if m.group(1) not in names:
            raise SchemaError(f"template {name}: placeholder {{{m.group(1)}}} not given")
        return names[m.group(1)]

    return PLACEHOLDER.sub(fill, _template(name))


# ---- conformance of a graph.json contract ----

class _Problems(list):
    def add(self, msg: str) -> None:
        self.append(msg)
        if len(self) >= MAX_PROBLEMS:
            raise _Enough


class _Enough(Exception):
    pass


class _Where:
    """Where a problem is ("node 'x'", "edge 'a' -[T]-> 'b'"), formatted only when one is found."""

    __slots__ = ("template", "args")

    def __init__(self, template: str, *args):
        self.template, self.args = template, args

    def __format__(self, spec: str) -> str:
        return format(self.template.format(*self.args), spec)

    __str__ = lambda self: format(self, "")  # noqa: E731


def _check_props(where: str, props, declared: dict[str, str], reserved: frozenset, problems: _Problems) -> None:
    if not isinstance(props, dict):
        problems.add(f"{where}: props must be an object, not {type(props).__name__}")
        return
    for k, v in props.items():
        if not isinstance(k, str) or not k:
            problems.add(f"{where}: property name {k!r} is not a non-empty string")
        elif k in reserved:
            problems.add(f"{where}: property {k!r} is reserved by the loader (schema.yaml reserved_properties)")
        elif k in declared and not type_matches(v, declared[k]):
            problems.add(f"{where}: property {k!r} = {v!r:.60} is not of type {declared[k]}")


def _check_evidence(where: str, evidence, doc_ids: set, problems: _Problems) -> None:
    if not isinstance(evidence, list):
        problems.add(f"{where}: evidence must be a list")
        return
    for i, ev in enumerate(evidence):
        if not isinstance(ev, dict):
            problems.add(f"{where}: evidence[{i}] is not an object")
            continue
        d, s, e, t = ev.get("doc"), ev.get("start"), ev.get("end"), ev.get("text")
        if d not in doc_ids:
            problems.add(f"{where}: evidence[{i}] cites unknown document {d!r}")
        if type(s) is not int or type(e) is not int or s < 0 or e < s:
            problems.add(f"{where}: evidence[{i}] start/end must be integers with 0 <= start <= end")
        if type(t) is not str:
            problems.add(f"{where}: evidence[{i}] text must be a string")


def _check_indexed(where, node: dict, props, indexes, key: str, problems: _Problems) -> None:
    """Indexed string values (the key, `name` and the label's lookup indexes) that Neo4j's index cannot hold."""
    for prop in (key, *indexes):
        v = node.get(prop) if prop in (key, "name") else props.get(prop) if isinstance(props, dict) else None
        # a character is at most 4 bytes of UTF-8: only a long string needs encoding
        if type(v) is str and len(v) * 4 > MAX_INDEXED_BYTES and len(v.encode("utf-8")) > MAX_INDEXED_BYTES:
            problems.add(f"{where}: indexed property {prop!r} is {len(v.encode('utf-8')):,} bytes of UTF-8; "
                         f"Neo4j's indexes hold at most {MAX_INDEXED_BYTES:,} (shorten it)")


def check_graph(contract, schema: Schema | None = None) -> list[str]:
    """Every way (up to MAX_PROBLEMS) in which `contract` does not conform to the schema."""
    schema = schema or load_schema()
    problems = _Problems()
    try:
        _check_graph(contract, schema, problems)
    except _Enough:
        pass
    return list(problems)


def _check_graph(contract, schema: Schema, problems: _Problems) -> None:
    if not isinstance(contract, dict):
        problems.add("the graph must be a JSON object with documents, nodes and edges")
        return
    for part in ("documents", "nodes", "edges"):
        if not isinstance(contract.get(part), list):
            problems.add(f"the graph has no `{part}` list")
    if problems:
        return
    if contract.get("schema_version", 1) != schema.version:
        problems.add(f"schema_version {contract.get('schema_version')!r} is not {schema.version}")
    doc_ids: set[str] = set()
    for i, d in enumerate(contract["documents"]):
        did = d.get("id") if isinstance(d, dict) else None
        if not isinstance(did, str) or not did:
            problems.add(f"documents[{i}]: missing key `id`")
        elif did in doc_ids:
            problems.add(f"documents[{i}]: duplicate document id {did!r}")
        else:
            doc_ids.add(did)
    labels_of: dict[str, str] = {}
    nodes_by_id: dict[str, dict] = {}
    for i, n in enumerate(contract["nodes"]):
        if not isinstance(n, dict):
            problems.add(f"nodes[{i}]: not an object")
            continue
        nid, label = n.get("id"), n.get("label")
        where = _Where("node {!r}", nid) if isinstance(nid, str) and nid else f"nodes[{i}]"
        if not isinstance(nid, str) or not nid:
            problems.add(f"{where}: missing key `id` (a non-empty string)")
            continue
        if nid in labels_of:
            problems.add(f"{where}: duplicate node id")
            continue
        spec = schema.labels.get(label)
        if spec is None:
            problems.add(f"{where}: unknown label {label!r} (schema/schema.yaml labels: {', '.join(sorted(schema.labels))})")
            continue
        labels_of[nid] = label
        nodes_by_id[nid] = n
        if not isinstance(n.get("name"), str):
            problems.add(f"{where}: `name` must be a string")
        props = n.get("props") or {}
        _check_props(where, props, spec.properties, schema.reserved, problems)
        if isinstance(props, dict):
            for req in spec.required:
                if props.get(req) is None:
                    problems.add(f"{where}: {label} needs property {req!r}")
        _check_evidence(where, n.get("evidence", []), doc_ids, problems)
        _check_indexed(where, n, props, spec.indexes, schema.key, problems)
    for d in contract["documents"]:
        if not isinstance(d, dict) or d.get("id") not in doc_ids:
            continue
        node = nodes_by_id.get(document_id(d["id"]))
        where = f"document {d['id']!r}"
        if node is None or node.get("label") != "Document":
            problems.add(f"{where}: no Document node {document_id(d['id'])!r}")
            continue
        entry = {k: v for k, v in d.items() if k != "id"}
        _check_props(where, entry, schema.labels["Document"].properties, schema.reserved, problems)
        props = node.get("props") or {}
        for k, v in entry.items():
            if isinstance(props, dict) and k in props and props[k] != v:
                problems.add(f"{where}: field {k!r} differs between the documents entry and its Document node")
    seen_edges: set[tuple] = set()
    for i, e in enumerate(contract["edges"]):
        if not isinstance(e, dict):
            problems.add(f"edges[{i}]: not an object")
            continue
        s, t, typ = e.get("source"), e.get("target"), e.get("type")
        where = _Where("edge {!r} -[{}]-> {!r}", s, typ, t)
        spec = schema.relationships.get(typ)
        if spec is None:
            problems.add(f"{where}: unknown relationship type {typ!r}")
            continue
        if s not in labels_of or t not in labels_of:
            missing = s if s not in labels_of else t
            problems.add(f"{where}: endpoint {missing!r} is not a node of the graph")
            continue
        if labels_of[s] not in spec.sources or labels_of[t] not in spec.targets:
            problems.add(f"{where}: {typ} may not go from {labels_of[s]} to {labels_of[t]} "
                         f"(schema: {'|'.join(sorted(spec.sources))} -> {'|'.join(sorted(spec.targets))})")
        key = (s, typ, t)
        if key in seen_edges:
            problems.add(f"{where}: duplicate relationship (one per source, type and target)")
        seen_edges.add(key)
        _check_props(where, e.get("props") or {}, spec.properties, schema.reserved, problems)
        _check_evidence(where, e.get("evidence", []), doc_ids, problems)


def validate_graph(contract, schema: Schema | None = None, source: str = "the graph") -> None:
    """Raise SchemaError (one line: the first problem and how many more) unless `contract` conforms."""
    problems = check_graph(contract, schema)
    if problems:
        more = f" (and {len(problems) - 1}{'+' if len(problems) >= MAX_PROBLEMS else ''} more problems)" if len(problems) > 1 else ""
        raise SchemaError(f"{source} does not conform to schema/schema.yaml: {problems[0]}{more}")


# ---- constraints and indexes ----

def schema_statements(schema: Schema | None = None, constraints: bool = True, indexes: bool = True) -> list[str]:
    schema = schema or load_schema()
    out = []
    for label, spec in sorted(schema.labels.items()):
        if constraints:
            out.append(cypher("constraint_key", schema, label=label, key=schema.key))
        if indexes:
            for prop in spec.indexes:
                out.append(cypher("index_property", schema, label=label, property=prop))
    return out


def apply_schema(driver, database: str, schema: Schema | None = None, constraints: bool = True,
                 indexes: bool = True) -> dict:
    """Create the key constraints and/or lookup indexes (IF NOT EXISTS) and wait until they are online."""
    added = {"constraints_added": 0, "indexes_added": 0, "statements": 0}
    for stmt in schema_statements(schema, constraints, indexes):
        summary = driver.execute_query(stmt, database_=database).summary
        added["constraints_added"] += summary.counters.constraints_added
        added["indexes_added"] += summary.counters.indexes_added
        added["statements"] += 1
    driver.execute_query("CALL db.awaitIndexes(600)", database_=database)
    return added
