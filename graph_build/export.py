"""Deterministic exports: the graph.json contract, GraphML, CSV. Every file is written to a
temporary name and renamed, so an interrupted run never leaves a half-written file."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from json.encoder import encode_basestring as _json_str  # the C encoder's string form, ensure_ascii=False
from pathlib import Path
from typing import Iterable, Iterator

import networkx as nx


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    return atomic_write_chunks(path, (data,))


def atomic_write_chunks(path: str | Path, chunks: Iterable[str | bytes]) -> Path:
    """Write the concatenation of `chunks` (text as UTF-8) to a temporary file and rename it into
    place; a large export streams through without ever being one string in memory."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            batch: list[str] = []
            size = 0
            for chunk in chunks:
                if isinstance(chunk, str):
                    batch.append(chunk)
                    size += len(chunk)
                    if size < 1 << 20:
                        continue
                    chunk = ""
                if batch:
                    fh.write("".join(batch).encode("utf-8"))
                    batch, size = [], 0
                if chunk:
                    fh.write(chunk)
            if batch:
                fh.write("".join(batch).encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


# ---- graph.json: json.dumps(contract, ensure_ascii=False, indent=1), byte for byte, but streamed and
# ---- without the pure-Python generator encoder that json falls back to whenever indent is set.
_INF = float("inf")


def _float_json(o: float) -> str:
    if o != o:
        return "NaN"
    if o == _INF:
        return "Infinity"
    if o == -_INF:
        return "-Infinity"
    return float.__repr__(o)


def _key_json(k) -> str:
    if isinstance(k, str):
        return _json_str(k)
    if isinstance(k, bool) or k is None:
        return {True: '"true"', False: '"false"', None: '"null"'}[k]
    if isinstance(k, int):
        return _json_str(int.__repr__(k))
    if isinstance(k, float):
        return _json_str(_float_json(k))
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")


def _indented(o, level: int, out: list) -> None:
    """Append the text of json.dumps(o, ensure_ascii=False, indent=1) at nesting `level` to `out`."""
    t = type(o)
    if t is str:
        out.append(_json_str(o))
    elif t is dict or t is list or t is tuple:
        if not o:
            out.append("{}" if t is dict else "[]")
            return
        inner = "\n" + " " * (level + 1)
        sep = "," + inner
        lead = inner
        if t is dict:
            out.append("{")
            for k, v in o.items():
                out.append(lead + (_json_str(k) if type(k) is str else _key_json(k)) + ": ")
                lead = sep
                tv = type(v)
                if tv is str:
                    out.append(_json_str(v))
                elif tv is int:
                    out.append(int.__repr__(v))
                else:
                    _indented(v, level + 1, out)
            out.append("\n" + " " * level + "}")
        else:
            out.append("[")
            for v in o:
                out.append(lead)
                lead = sep
                if type(v) is str:
                    out.append(_json_str(v))
                else:
                    _indented(v, level + 1, out)
            out.append("\n" + " " * level + "]")
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        out.append(_float_json(o))
    elif isinstance(o, str):
        out.append(_json_str(o))
    elif isinstance(o, dict):
        _indented(dict(o), level, out)
    elif isinstance(o, (list, tuple)):
        _indented(list(o), level, out)
    else:
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def iter_contract_json(contract: dict) -> Iterator[str]:
    """dumps_contract(contract) in pieces: one per document, node and edge."""
    if type(contract) is not dict or not contract:
        yield json.dumps(contract, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
        return
    lead = "{\n "
    for k, v in contract.items():
        yield lead + _key_json(k) + ": "
        lead = ",\n "
        if type(v) is list and v:
            item_lead = "[\n  "
            for x in v:
                out = [item_lead]
                _indented(x, 2, out)
                yield "".join(out)
                item_lead = ",\n  "
            yield "\n ]"
        else:
            out = []
            _indented(v, 1, out)
            yield "".join(out)
    yield "\n}\n"


def dumps_contract(contract: dict) -> str:
    return "".join(iter_contract_json(contract))


def write_json(contract: dict, path: str | Path) -> Path:
    return atomic_write_chunks(path, iter_contract_json(contract))


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
    """GraphML of flat_graph(contract), as networkx's writer (lxml, pretty-printed) writes it, but
    streamed: no second graph and no whole-file buffer. Anything the fast path does not cover
    (characters XML cannot hold, odd value types, dangling edges) goes through networkx itself."""
    try:
        return atomic_write_chunks(path, _iter_graphml(contract))
    except _NeedsNetworkx:
        buf = io.BytesIO()
        nx.write_graphml(flat_graph(contract), buf, encoding="utf-8", prettyprint=True)
        return atomic_write(path, buf.getvalue())


class _NeedsNetworkx(Exception):
    pass


_GRAPHML_HEAD = ("<?xml version='1.0' encoding='utf-8'?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
                 "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org"
                 "/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">")
_XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}  # networkx's python -> GraphML types
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


_XML_TEXT_WORK = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_XML_ATTR_WORK = re.compile("[&<>\r\"\n\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _xml_text(v) -> str:
    s = v if type(v) is str else str(v)
    if _XML_TEXT_WORK.search(s) is None:  # most values: nothing to escape, nothing to refuse
        return s
    if _NOT_XML.search(s):
        raise _NeedsNetworkx
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _xml_attr(v) -> str:
    s = v if type(v) is str else str(v)
    if _XML_ATTR_WORK.search(s) is None:
        return s
    return (_xml_text(s).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


def _node_attrs(n: dict, encode: bool) -> list[tuple[str, object]]:
    """flat_graph's attributes of one node, in its order; values as _scalar gives them, or (when
    not `encode`) only their types' stand-ins, which is all the key table needs."""
    props = n.get("props") or {}
    out = [("label", n["label"]), ("name", n["name"])]
    for f in _NODE_FIELDS:
        if f in props:
            v = props[f]
            out.append((f, _scalar(v) if encode else v if isinstance(v, (str, int, float, bool)) else ""))
    out.append(("aliases", "、".join(props.get("aliases") or []) if encode else ""))
    out.append(("props", _scalar(props) if encode else ""))
    out.append(("evidence", _scalar(n.get("evidence") or []) if encode else ""))
    return out


def _iter_graphml(contract: dict) -> Iterator[str]:
    nodes = contract["nodes"]
    edges = contract["edges"]
    position: dict = {}
    for i, n in enumerate(nodes):
        if n["id"] in position:
            raise _NeedsNetworkx  # a repeated node id merges attributes: leave that to networkx
        position[n["id"]] = i
    # networkx walks a MultiDiGraph's edges by source (in node order), then by target (in the
    # order each target first appeared for that source), then by key
    by_source: dict[int, dict] = {}
    for j, e in enumerate(edges):
        if e["source"] not in position or e["target"] not in position:
            raise _NeedsNetworkx  # networkx would add the missing node
        targets = by_source.setdefault(position[e["source"]], {})
        keyed = targets.setdefault(e["target"], {})
        if e["type"] in keyed:
            raise _NeedsNetworkx  # a repeated (source, target, type) overwrites: leave it to networkx
        keyed[e["type"]] = j
    keys: dict[tuple[str, str, str], str] = {}

    def key(name: str, value, scope: str) -> str:
        xml_type = _XML_TYPES.get(type(value))
        if xml_type is None:
            raise _NeedsNetworkx
        k = (name, xml_type, scope)
        kid = keys.get(k)
        if kid is None:
            kid = keys[k] = f"d{len(keys)}"
        return kid

    for n in nodes:
        for name, v in _node_attrs(n, encode=False):
            key(name, v, "node")
    for src in sorted(by_source):
        for keyed in by_source[src].values():
            for j in keyed.values():
                e = edges[j]
                key("type", e["type"], "edge")
                key("props", "", "edge")
                key("evidence", "", "edge")
    head = [_GRAPHML_HEAD]
    for (name, xml_type, scope), kid in reversed(keys.items()):
        head.append(f'<key id="{kid}" for="{scope}" attr.name="{_xml_attr(name)}" attr.type="{xml_type}"/>\n')
    head.append('<graph edgedefault="directed">')
    yield "".join(head)
    for n in nodes:
        parts = [f'<node id="{_xml_attr(n["id"])}">\n']
        for name, v in _node_attrs(n, encode=True):
            parts.append(f'  <data key="{keys[(name, _XML_TYPES[type(v)], "node")]}">{_xml_text(v)}</data>\n')
        parts.append("</node>\n")
        yield "".join(parts)
    k_type = keys.get(("type", "string", "edge"))
    k_props, k_ev = keys.get(("props", "string", "edge")), keys.get(("evidence", "string", "edge"))
    for src in sorted(by_source):
        for keyed in by_source[src].values():
            for j in keyed.values():
                e = edges[j]
                t = e["type"]
                k_t = k_type if type(t) is str else keys[("type", _XML_TYPES[type(t)], "edge")]
                yield (f'<edge source="{_xml_attr(e["source"])}" target="{_xml_attr(e["target"])}" id="{_xml_attr(t)}">\n'
                       f'  <data key="{k_t}">{_xml_text(t)}</data>\n'
                       f'  <data key="{k_props}">{_xml_text(_scalar(e.get("props") or {}))}</data>\n'
                       f'  <data key="{k_ev}">{_xml_text(_scalar(e.get("evidence") or []))}</data>\n'
                       "</edge>\n")
    yield "</graph></graphml>"


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


# ---- the exports of a merged GraphStore, streamed record by record: what the functions above write
# ---- for store.contract(), byte for byte, without the contract (or its evidence texts) in memory.

def _json_value(v, level: int) -> str:
    if type(v) is str:
        return _json_str(v)
    out: list = []
    _indented(v, level, out)
    return "".join(out)


def _store_json_evidence(store, docs: list[str]):
    """evidence -> its JSON text as a node's or an edge's "evidence" value (json.dumps, indent=1)."""
    texts, ids = store.texts, store.doc_ids
    off = (1 << 32) - 1

    def doc_head(d: int) -> str:
        docs[d] = head = '{\n     "doc": ' + _json_str(ids[d]) + ',\n     "start": '
        return head

    def text_of(x: int) -> str:
        t = texts[x >> 64]
        return store.evidence_text(x) if t is None else t[(x >> 32) & off:x & off]

    def evidence(ev: list[int]) -> str:
        if not ev:
            return "[]"
        parts = []
        for x in ev:
            d = x >> 64
            parts.append(f'{docs[d] or doc_head(d)}{(x >> 32) & off},\n     "end": {x & off},\n     "text": '
                         f'{_json_str(text_of(x))}\n    }}')
        return "[\n    " + ",\n    ".join(parts) + "\n   ]"
    return evidence


def iter_store_json(store) -> Iterator[str]:
    """The graph.json text of store.contract(), in pieces (one per document, node and edge)."""
    from policykg.graph_build.assemble import _clean, node_props

    evidence = _store_json_evidence(store, [None] * len(store.doc_ids))

    def documents():
        for d in sorted(store.documents):
            yield _json_value(_clean(store.documents[d]), 2)

    def nodes():
        for _, nid, label, name, props, ev in store.sorted_nodes():
            yield (f'{{\n   "id": {_json_value(nid, 3)},\n   "label": {_json_value(label, 3)},\n   "name": {_json_value(name, 3)},'
                   f'\n   "props": {_json_value(node_props(props), 3)},\n   "evidence": {evidence(ev)}\n  }}')

    def edges():
        props_text: dict[int, str] = {}  # edge props are shared dicts: each one's text once
        for s, t, typ, props, ev in store.sorted_edges():
            p = props_text.get(id(props))
            if p is None:
                p = props_text[id(props)] = _json_value(_clean(props or {}), 3)
            yield (f'{{\n   "source": {_json_value(s, 3)},\n   "target": {_json_value(t, 3)},\n   "type": {_json_value(typ, 3)},'
                   f'\n   "props": {p},\n   "evidence": {evidence(ev)}\n  }}')

    yield '{\n "schema_version": 1'
    for key, items in (("documents", documents()), ("nodes", nodes()), ("edges", edges())):
        yield f',\n "{key}": '
        lead = "[\n  "
        for item in items:
            yield lead
            yield item
            lead = ",\n  "
        yield "[]" if lead == "[\n  " else "\n ]"
    yield "\n}\n"


def write_store_json(store, path: str | Path) -> Path:
    return atomic_write_chunks(path, iter_store_json(store))


def _store_graphml_evidence(store):
    """evidence -> the GraphML text of its JSON string (json.dumps sort_keys, XML-escaped)."""
    texts, ids = store.texts, store.doc_ids
    heads: list = [None] * len(ids)
    off = (1 << 32) - 1

    def evidence(ev: list[int]) -> str:
        if not ev:
            return "[]"
        parts = []
        for x in ev:
            d = x >> 64
            head = heads[d]
            if head is None:
                head = heads[d] = '{"doc": ' + _json_str(ids[d]) + ', "end": '
            t = texts[d]
            text = store.evidence_text(x) if t is None else t[(x >> 32) & off:x & off]
            parts.append(f'{head}{x & off}, "start": {(x >> 32) & off}, "text": {_json_str(text)}}}')
        return _xml_text("[" + ", ".join(parts) + "]")  # escaping is per character: once for the whole value
    return evidence


def _iter_store_graphml(store) -> Iterator[str]:
    from policykg.graph_build.assemble import node_props

    if any(type(t) is not str for t in store.type_names):
        raise _NeedsNetworkx
    keys: dict[tuple[str, str, str], str] = {}

    def key(name: str, value, scope: str) -> str:
        xml_type = _XML_TYPES.get(type(value))
        if xml_type is None:
            raise _NeedsNetworkx
        k = (name, xml_type, scope)
        kid = keys.get(k)
        if kid is None:
            kid = keys[k] = f"d{len(keys)}"
        return kid

    # the key table comes first: the attribute types of every node, in node order (one look per
    # distinct shape of a node's attributes)
    fields = set(_NODE_FIELDS)
    shapes: set = set()
    for _, _, label, name, props, _ in store.sorted_nodes():
        shape = (type(label), type(name), tuple((f, type(v)) for f, v in props.items() if f in fields) if props else ())
        if shape not in shapes:
            shapes.add(shape)
            for attr, v in _node_attrs({"label": label, "name": name, "props": props or {}}, encode=False):
                key(attr, v, "node")
    if store.edges:
        key("type", "", "edge")
        key("props", "", "edge")
        key("evidence", "", "edge")
    head = [_GRAPHML_HEAD]
    for (name, xml_type, scope), kid in reversed(keys.items()):
        head.append(f'<key id="{kid}" for="{scope}" attr.name="{_xml_attr(name)}" attr.type="{xml_type}"/>\n')
    head.append('<graph edgedefault="directed">')
    yield "".join(head)

    evidence = _store_graphml_evidence(store)
    k_node_ev = keys.get(("evidence", "string", "node"))
    for _, nid, label, name, props, ev in store.sorted_nodes():
        parts = [f'<node id="{_xml_attr(nid)}">\n']
        attrs = _node_attrs({"label": label, "name": name, "props": node_props(props)}, encode=True)
        for attr, v in attrs[:-1]:  # the last is the evidence, written from the store
            parts.append(f'  <data key="{keys[(attr, _XML_TYPES[type(v)], "node")]}">{_xml_text(v)}</data>\n')
        parts.append(f'  <data key="{k_node_ev}">{evidence(ev)}</data>\n</node>\n')
        yield "".join(parts)

    k_type, k_props, k_ev = (keys.get((k, "string", "edge")) for k in ("type", "props", "evidence"))
    props_text: dict[int, str] = {}

    def edge(s: str, t: str, typ: str, props, ev) -> str:
        p = props_text.get(id(props))
        if p is None:
            p = props_text[id(props)] = _xml_text(_scalar(props or {}))
        return (f'<edge source="{_xml_attr(s)}" target="{_xml_attr(t)}" id="{_xml_attr(typ)}">\n'
                f'  <data key="{k_type}">{_xml_text(typ)}</data>\n  <data key="{k_props}">{p}</data>\n'
                f'  <data key="{k_ev}">{evidence(ev)}</data>\n</edge>\n')

    # networkx walks a source's edges by target, in the order each target first appeared among
    # them (the contract's order: by type, then target), then by type
    group: dict[str, list] = {}
    source = None
    for s, t, typ, props, ev in store.sorted_edges():
        if s != source:
            for records in group.values():
                yield "".join(edge(*r) for r in records)
            group, source = {}, s
        group.setdefault(t, []).append((s, t, typ, props, ev))
    for records in group.values():
        yield "".join(edge(*r) for r in records)
    yield "</graph></graphml>"


def write_store_graphml(store, path: str | Path) -> Path:
    """write_graphml(store.contract(), path), streamed from the store."""
    try:
        return atomic_write_chunks(path, _iter_store_graphml(store))
    except _NeedsNetworkx:
        return write_graphml(store.contract(), path)
