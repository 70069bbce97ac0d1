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


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, data: str | bytes) -> Path:
    return atomic_write_chunks(path, (data,))


def atomic_write_chunks(path: str | Path, chunks: Iterable[str | bytes], before_rename=None) -> Path:
    """Write the concatenation of `chunks` (text as UTF-8) to a temporary file and rename it into
    place; a large export streams through without ever being one string in memory.
    before_rename(): called once the file is written; if it raises, the file is not renamed."""
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
        if before_rename is not None:
            before_rename()
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; an export is an ordinary file
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


_SORTED_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # json.dumps(v, ensure_ascii=False, sort_keys=True)


def _scalar(v):
    if v is None:
        return ""
    if isinstance(v, (str, int, float, bool)):
        return v
    return _SORTED_JSON(v)


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


class _KeyTable(dict):
    """The GraphML key table: (attribute, XML type, scope) -> key id, a new id on first use."""

    def __call__(self, name: str, value, scope: str) -> str:
        xml_type = _XML_TYPES.get(type(value))
        if xml_type is None:
            raise _NeedsNetworkx
        k = (name, xml_type, scope)
        kid = self.get(k)
        if kid is None:
            kid = self[k] = f"d{len(self)}"
        return kid

    def header(self) -> str:
        """The GraphML head: the keys, last registered first (networkx's order), then the graph."""
        head = [_GRAPHML_HEAD]
        for (name, xml_type, scope), kid in reversed(self.items()):
            head.append(f'<key id="{kid}" for="{scope}" attr.name="{_xml_attr(name)}" attr.type="{xml_type}"/>\n')
        head.append('<graph edgedefault="directed">')
        return "".join(head)


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
    keys = key = _KeyTable()

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
    yield keys.header()
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
# ---- They run once per evidence record (millions on a large corpus), so they are written flat.

_BATCH = 2048  # records joined into one piece for the writer


def _json_value(v, level: int) -> str:
    if type(v) is str:
        return _json_str(v)
    out: list = []
    _indented(v, level, out)
    return "".join(out)


def _scalar_json(v) -> str | None:
    """json.dumps of a str, int, bool, None or float; None for anything else."""
    t = type(v)
    if t is str:
        return _json_str(v)
    if t is int:
        return int.__repr__(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if t is float:
        return _float_json(v)
    return None


def _node_props_json(props: dict | None) -> str:
    """The JSON text of node_props(props) as a node's "props" value (indent=1, level 3)."""
    if not props:
        return "{}"
    parts = []
    try:
        items = sorted(props.items(), key=lambda kv: kv[0])
    except TypeError:
        items = None
    for k, v in items or ():
        if type(k) is not str:
            break
        text = _scalar_json(v)
        if text is None:
            if k != "aliases" or type(v) is not list or any(type(a) is not str for a in v):
                break
            text = "[\n     " + ",\n     ".join(map(_json_str, sorted(set(v)))) + "\n    ]" if v else "[]"
        parts.append(f'"{k}": {text}' if _json_str(k) == f'"{k}"' else f"{_json_str(k)}: {text}")
    else:
        if items is not None:
            return "{\n    " + ",\n    ".join(parts) + "\n   }"
    from policykg.graph_build.assemble import node_props

    return _json_value(node_props(props), 3)


def _evidence_parts(store, make_head):
    """x (a packed evidence number) -> (head, start, end, JSON text): the head made once per document
    by make_head(the document id as JSON), the text sliced from the document's text."""
    from policykg.graph_build.assemble import _DOC, _OFF

    texts, doc_ids = store.texts, store.doc_ids
    heads: list = [None] * len(doc_ids)

    def parts(x: int):
        d = x >> _DOC
        head = heads[d]
        if head is None:
            head = heads[d] = make_head(_json_str(doc_ids[d]))
        t = texts[d]
        start, end = (x >> 32) & _OFF, x & _OFF
        return head, start, end, _json_str(store.evidence_text(x) if t is None else t[start:end])

    return parts


def _evidence_writer(store, make_head, piece, opening: str, sep: str, closing: str, wrap=None):
    """evidence number(s) -> the evidence list's text: `piece(head, start, end, JSON text)` per
    record in the store's evidence order, joined by `sep` between `opening` and `closing`, then
    `wrap` (escaping) applied to the whole; "[]" for none."""
    ev_sorted = store._evidence_sort()
    parts_of = _evidence_parts(store, make_head)

    def one(x: int) -> str:
        return piece(*parts_of(x))

    def evidence(ev) -> str:
        if ev is None:
            return "[]"
        text = opening + (one(ev) if type(ev) is int else sep.join(map(one, ev_sorted(ev)))) + closing
        return wrap(text) if wrap else text

    return evidence


def iter_store_json(store) -> Iterator[str]:
    """The graph.json text of store.contract(), in pieces of many records each."""
    from policykg.graph_build.assemble import _OFF, _TYPE_BITS, _clean

    evidence = _evidence_writer(
        store, lambda doc: '{\n     "doc": ' + doc + ',\n     "start": ',
        lambda head, start, end, text: f'{head}{start},\n     "end": {end},\n     "text": {text}\n    }}',
        "[\n    ", ",\n    ", "\n   ]")

    def documents():
        for d in sorted(store.documents):
            yield _json_value(_clean(store.documents[d]), 2)

    def nodes():
        ids, labels, names, props, nev = (store.node_ids, store.node_labels, store.node_names, store.node_props,
                                          store.node_evidence)
        for i in store.node_order():
            yield (f'{{\n   "id": {_json_value(ids[i], 3)},\n   "label": {_json_value(labels[i], 3)},\n   "name": '
                   f'{_json_value(names[i], 3)},\n   "props": {_node_props_json(props[i])},\n   "evidence": {evidence(nev[i])}\n  }}')

    def edges():
        ids, eprops, store_ev = store.node_ids, store.edge_props, store.edges
        types = [_json_value(t, 3) for t in store.type_names]
        props_text: dict[int, str] = {}  # edge props are shared dicts: each one's text once
        for key in store.edge_order():
            props = eprops.get(key)
            p = props_text.get(id(props))
            if p is None:
                p = props_text[id(props)] = _json_value(_clean(props or {}), 3)
            yield (f'{{\n   "source": {_json_value(ids[key >> 48], 3)},\n   "target": '
                   f'{_json_value(ids[(key >> _TYPE_BITS) & _OFF], 3)},\n   "type": {types[key & 0xFFFF]},'
                   f'\n   "props": {p},\n   "evidence": {evidence(store_ev[key])}\n  }}')

    yield '{\n "schema_version": 1'
    for key, items in (("documents", documents()), ("nodes", nodes()), ("edges", edges())):
        buf = [f',\n "{key}": ']
        lead = "[\n  "
        for item in items:
            buf.append(lead)
            buf.append(item)
            lead = ",\n  "
            if len(buf) >= _BATCH:
                yield "".join(buf)
                buf = []
        buf.append("[]" if lead == "[\n  " else "\n ]")
        yield "".join(buf)
    yield "\n}\n"


def write_store_json(store, path: str | Path, before_rename=None) -> Path:
    return atomic_write_chunks(path, iter_store_json(store), before_rename)


def _iter_store_graphml(store) -> Iterator[str]:
    from policykg.graph_build.assemble import _OFF, _TYPE_BITS, node_props

    if any(type(t) is not str for t in store.type_names):
        raise _NeedsNetworkx
    keys = key = _KeyTable()

    # the key table comes first: the attribute types of every node, in node order (one look per
    # distinct shape of a node's attributes)
    ids, labels, names, nprops, nev = store.node_ids, store.node_labels, store.node_names, store.node_props, store.node_evidence
    order = store.node_order()
    fields = set(_NODE_FIELDS)
    shapes: set = set()
    for i in order:
        props = nprops[i]
        shape = (type(labels[i]), type(names[i]),
                 tuple((f, type(v)) for f, v in props.items() if f in fields) if props else ())
        if shape not in shapes:
            shapes.add(shape)
            for attr, v in _node_attrs({"label": labels[i], "name": names[i], "props": props or {}}, encode=False):
                key(attr, v, "node")
    if store.edges:
        key("type", "", "edge")
        key("props", "", "edge")
        key("evidence", "", "edge")
    yield keys.header()

    # json.dumps(evidence, sort_keys=True), XML-escaped: escaping is per character, so the whole
    # value is escaped at once
    evidence = _evidence_writer(
        store, lambda doc: '{"doc": ' + doc + ', "end": ',
        lambda head, start, end, text: f'{head}{end}, "start": {start}, "text": {text}}}',
        "[", ", ", "]", _xml_text)

    kids: dict = {}
    k_node_ev = keys.get(("evidence", "string", "node"))
    buf: list = []
    for i in order:
        parts = [f'<node id="{_xml_attr(ids[i])}">\n']
        attrs = _node_attrs({"label": labels[i], "name": names[i], "props": node_props(nprops[i])}, encode=True)
        for attr, v in attrs[:-1]:  # the last is the evidence, written from the store
            tv = type(v)
            kid = kids.get((attr, tv))
            if kid is None:
                kid = kids[(attr, tv)] = keys[(attr, _XML_TYPES[tv], "node")]
            parts.append(f'  <data key="{kid}">{_xml_text(v)}</data>\n')
        parts.append(f'  <data key="{k_node_ev}">{evidence(nev[i])}</data>\n</node>\n')
        buf.append("".join(parts))
        if len(buf) >= _BATCH:
            yield "".join(buf)
            buf = []
    yield "".join(buf)

    k_type, k_props, k_ev = (keys.get((k, "string", "edge")) for k in ("type", "props", "evidence"))
    type_part = [f'{_xml_attr(t)}">\n  <data key="{k_type}">{_xml_text(t)}</data>\n  <data key="{k_props}">'
                 for t in store.type_names]
    ev_part = f'</data>\n  <data key="{k_ev}">'
    xml_ids: list = [None] * len(ids)
    eprops, store_ev = store.edge_props, store.edges
    props_text: dict[int, str] = {}

    def edge(key: int) -> str:
        s, t = key >> 48, (key >> _TYPE_BITS) & _OFF
        xs = xml_ids[s]
        if xs is None:
            xs = xml_ids[s] = _xml_attr(ids[s])
        xt = xml_ids[t]
        if xt is None:
            xt = xml_ids[t] = _xml_attr(ids[t])
        props = eprops.get(key)
        p = props_text.get(id(props))
        if p is None:
            p = props_text[id(props)] = _xml_text(_scalar(props or {}))
        return (f'<edge source="{xs}" target="{xt}" id="{type_part[key & 0xFFFF]}{p}{ev_part}'
                f'{evidence(store_ev[key])}</data>\n</edge>\n')

    # networkx walks a source's edges by target, in the order each target first appeared among
    # them (the contract's order: by type, then target), then by type
    buf = []
    run: list[int] = []
    for k in store.edge_order():
        if run and k >> 48 != run[0] >> 48:
            buf.extend(map(edge, run if len(run) == 1 else _by_first_target(run)))
            run = []
            if len(buf) >= _BATCH:
                yield "".join(buf)
                buf = []
        run.append(k)
    buf.extend(map(edge, run if len(run) == 1 else _by_first_target(run)))
    buf.append("</graph></graphml>")
    yield "".join(buf)


def _by_first_target(run: list[int]) -> list[int]:
    """One source's edge keys grouped by target, targets in the order they first appear."""
    from policykg.graph_build.assemble import _OFF, _TYPE_BITS

    groups: dict[int, list[int]] = {}
    for k in run:
        groups.setdefault((k >> _TYPE_BITS) & _OFF, []).append(k)
    if len(groups) == len(run):
        return run
    return [k for g in groups.values() for k in g]


def write_store_graphml(store, path: str | Path) -> Path:
    """write_graphml(store.contract(), path), streamed from the store."""
    try:
        return atomic_write_chunks(path, _iter_store_graphml(store))
    except _NeedsNetworkx:
        return write_graphml(store.contract(), path)


def write_store_exports(store, graphml: str | Path, graph_json: str | Path, parallel: bool | None = None) -> None:
    """graph.graphml, then graph.json (renamed into place last). With `parallel` (default: on a
    system that can fork, for graphs of more than 100,000 relationships) the GraphML is written by
    a forked copy of this process while this one writes the JSON: two cores instead of one. Both
    processes only read the store; the cyclic collector stays off so that it does not write to
    every object's header (each page written to would be copied)."""
    import gc

    if parallel is None:
        parallel = hasattr(os, "fork") and store.number_of_edges() > 100_000
    collecting = gc.isenabled()
    gc.disable()
    try:
        store.node_order()  # sorted once, before the fork: both writers use them
        store.edge_order()
        if not parallel:
            write_store_graphml(store, graphml)
            write_store_json(store, graph_json)
            return
        gc.freeze()  # what the collector holds moves to a generation it never scans
        try:
            _write_forked(store, graphml, graph_json)
        finally:
            gc.unfreeze()
    finally:
        if collecting:
            gc.enable()


def _write_forked(store, graphml, graph_json) -> None:
    import traceback

    from policykg.errors import PolicyKGError

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write the GraphML, report a failure through the pipe, never return
        code = 1
        try:
            os.close(read_fd)
            write_store_graphml(store, graphml)
            code = 0
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
            try:
                msg = f"{type(exc).__name__}: {exc}" if isinstance(exc, (OSError, PolicyKGError)) else traceback.format_exc(limit=3)
                os.write(write_fd, msg.encode("utf-8", "replace")[:4000])
            except BaseException:  # noqa: BLE001
                pass
        finally:
            os._exit(code)
    os.close(write_fd)
    done = False

    def wait_child() -> None:
        nonlocal done
        _, status = os.waitpid(pid, 0)
        done = True
        with os.fdopen(read_fd, "rb") as fh:
            why = fh.read().decode("utf-8", "replace").strip()
        if os.waitstatus_to_exitcode(status) != 0:
            raise PolicyKGError(f"{graphml}: writing failed ({why or 'the writing process ended with status ' + str(status)})")

    try:
        write_store_json(store, graph_json, before_rename=wait_child)  # graph.json is renamed only after the GraphML is in place
    finally:
        if not done:  # writing the JSON failed: stop the GraphML writer too
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                os.close(read_fd)
            except OSError:
                pass
