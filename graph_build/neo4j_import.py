"""The bulk path: CSV files in the header format of `neo4j-admin database import full`.

The files hold exactly what the online loader stores (graph_build/neo4j_load.py): the same property
encoding, provenance `docs`, evidence lists and, on Document nodes, `load_complete`/`load_hash`,
so a database made by the import reads back as the same graph and later incremental loads work on it.

One file per label (`nodes_<Label>.csv`) and per relationship type (`relationships_<TYPE>.csv`),
headers inline; `import.args` lists the options and files for
`neo4j-admin database import full @import.args DATABASE` run inside the folder.
Arrays use U+001F (unit separator) between elements; fields may span lines.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from policykg.errors import SchemaError
from policykg.graph_build.export import atomic_write
from policykg.graph_build.model import document_id
from policykg.graph_build.neo4j_load import evidence_json, prepare
from policykg.graph_build.neo4j_schema import Schema, load_schema, validate_graph

ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
_SCALAR_TYPES = {str: "string", bool: "boolean", int: "long", float: "double"}


def _column_type(value) -> str | None:
    """The import type of one stored value, or None when it needs JSON (empty list)."""
    t = type(value)
    if t in _SCALAR_TYPES:
        return _SCALAR_TYPES[t]
    if t is list and value:
        return _SCALAR_TYPES[type(value[0])] + "[]"
    return None


def _quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _field(value, where: str, key: str) -> str:
    if value is None:
        return ""
    t = type(value)
    if t is str:
        return _quote(value)
    if t is bool:
        return "true" if value else "false"
    if t is int or t is float:
        return repr(value)
    parts = []
    for x in value:
        if type(x) is str:
            if ARRAY_DELIMITER in x:
                raise SchemaError(f"{where}: property {key!r} holds U+001F, the import's array delimiter")
            parts.append(x)
        elif type(x) is bool:
            parts.append("true" if x else "false")
        else:
            parts.append(repr(x))
    return _quote(ARRAY_DELIMITER.join(parts))


def _stored(element, is_node: bool, hashes: dict) -> dict:
    """The full property map the online loader leaves on the element after a complete load."""
    props = dict(element.props)
    if is_node:
        props["docs"] = sorted(element.docs)
    evidence = evidence_json(element.evidence)
    if evidence is not None:
        props["evidence"] = evidence
    did = props.get("document_id") if is_node else None
    if did is not None and element.key[1] == document_id(did):
        props["load_complete"] = True
        props["load_hash"] = hashes[did]
    return props


def _typed_rows(items: list[tuple[str, dict]]) -> tuple[list[str], dict[str, str], list[dict]]:
    """Columns and their import types for one file. Values whose type differs within a column are
    stored as JSON (and named in json_props), as the loader does for maps. The import cannot store
    an empty list: such props are left out and named in `empty_lists` (the loader's reserved name)."""
    types: dict[str, set] = defaultdict(set)
    for _, props in items:
        for k, v in props.items():
            types[k].add(_column_type(v))
    bookkeeping = {"docs", "evidence", "json_props", "null_props"}
    # a one-element array of "" reads back as no property at all: such columns go JSON too
    blank = {k for _, props in items for k, v in props.items() if v == [""]}
    jsonified = {k for k, ts in types.items() if (len(ts - {None}) > 1 or k in blank) and k not in bookkeeping}
    rows = []
    for _, props in items:
        empty = sorted(k for k, v in props.items() if type(v) is list and not v and k not in bookkeeping
                       and k not in jsonified)
        if empty or jsonified & props.keys():
            props = dict(props)
            jkeys = set(props.get("json_props") or ())
            for k in jsonified & props.keys():
                if k not in jkeys:
                    props[k] = json.dumps(props[k], ensure_ascii=False, sort_keys=True)
                    jkeys.add(k)
            if jkeys:
                props["json_props"] = sorted(jkeys)
            for k in empty:
                del props[k]
            if empty:
                props["empty_lists"] = empty
        rows.append(props)
    col_types = {}
    for k, ts in types.items():
        known = ts - {None}
        col_types[k] = "string" if k in jsonified else (known.pop() if known else "string[]")
    for r in rows:
        if "json_props" in r:
            col_types["json_props"] = "string[]"
        if "null_props" in r:
            col_types["null_props"] = "string[]"
        if "empty_lists" in r:
            col_types["empty_lists"] = "string[]"
    columns = sorted(c for c in col_types if any(c in r for r in rows))
    return columns, col_types, rows


def _write_file(path: Path, head: list[str], columns: list[str], col_types: dict, keyed: list, rows: list[dict]) -> None:
    lines = [",".join(head + [f"{c}:{col_types[c]}" for c in columns])]
    for (where, fixed), props in zip(keyed, rows):
        lines.append(",".join(fixed + [_field(props.get(c), where, c) for c in columns]))
    atomic_write(path, "\n".join(lines) + "\n")


def write_neo4j_import(contract: dict, out_dir: str | Path, schema: Schema | None = None) -> list[Path]:
    """Write the import CSVs and `import.args` for `contract` into `out_dir`; returns the files."""
    schema = schema or load_schema()
    validate_graph(contract, schema)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in list(out.glob("nodes_*.csv")) + list(out.glob("relationships_*.csv")):
        old.unlink()
    prepared = prepare(contract, schema)
    files, args = [], ["--array-delimiter=" + ARRAY_DELIMITER_OPTION, "--multiline-fields=true",
                       "--id-type=string", "--overwrite-destination=true"]
    by_label: dict[str, list] = defaultdict(list)
    for n in prepared.nodes:
        by_label[n.group[0]].append(n)
    for label in sorted(by_label):
        items = [(f"node {n.key[1]!r}", _stored(n, True, prepared.hashes)) for n in by_label[label]]
        columns, col_types, rows = _typed_rows(items)
        columns = [c for c in columns if c != "id"]
        keyed = [(where, [_quote(props["id"])]) for (where, props) in items]
        path = out / f"nodes_{label}.csv"
        _write_file(path, ["id:ID"], columns, col_types, keyed, rows)
        files.append(path)
        args.append(f"--nodes={label}={path.name}")
    by_type: dict[str, list] = defaultdict(list)
    for e in prepared.edges:
        by_type[e.group[0]].append(e)
    for typ in sorted(by_type):
        items = [(f"edge {e.key[1]!r} -[{typ}]-> {e.key[3]!r}", _stored(e, False, prepared.hashes)) for e in by_type[typ]]
        columns, col_types, rows = _typed_rows(items)
        keyed = [(where, [_quote(e.key[1]), _quote(e.key[3])]) for (where, _), e in zip(items, by_type[typ])]
        path = out / f"relationships_{typ}.csv"
        _write_file(path, [":START_ID", ":END_ID"], columns, col_types, keyed, rows)
        files.append(path)
        args.append(f"--relationships={typ}={path.name}")
    args_path = atomic_write(out / "import.args", "\n".join(args) + "\n")
    return files + [args_path]


def import_args(out_dir: str | Path) -> list[str]:
    """The options of `import.args` with the files made absolute (to run from anywhere)."""
    out = Path(out_dir).resolve()
    result = []
    for line in (out / "import.args").read_text(encoding="utf-8").splitlines():
        if line.startswith(("--nodes=", "--relationships=")):
            opt, rest = line.split("=", 1)
            name, file = rest.split("=", 1)
            line = f"{opt}={name}={out / file}"
        result.append(line)
    return result


def bulk_import(home: str | Path, out_dir: str | Path, database: str = "neo4j", heap: str = "1g") -> str:
    """Run `neo4j-admin database import full` for the CSVs in `out_dir` into the server home `home`
    (which must not be running); returns the tool's report."""
    from policykg.errors import DatabaseError
    from policykg.graph_build import neo4j_server

    home = Path(home).resolve()
    neo4j_server.prepare_home(home, neo4j_server.free_port())
    proc = neo4j_server.admin(home, "database", "import", "full", database, *import_args(out_dir), heap=heap)
    if proc.returncode != 0:
        tail = " | ".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
        raise DatabaseError(f"neo4j-admin database import failed: {tail}")
    return proc.stdout
