"""Two engines, one query text.

Every named query is written in the Cypher subset that both Neo4j 5 and FalkorDB run. What
differs is the schema set-up: the key constraints and lookup indexes of schema/schema.yaml (Neo4j:
the loader's `apply_schema`; FalkorDB: a range index per (label, property), then
`GRAPH.CONSTRAINT CREATE … UNIQUE` on the key). Shortest paths are not engine-specific:
actor-path is a bidirectional search in Python (queries/paths.py) over one neighbour statement that
both engines run, because FalkorDB's own is slow on hubs and Neo4j's picks one path arbitrarily.

Both engines hold the same graph: the embedded one is loaded with the Neo4j loader's own row
preparation (`graph_build.neo4j_load.prepare`) and rows, written by `schema/fresh_nodes.cypher` and
`schema/fresh_relationships.cypher` (the loader's statements less the evidence merge, which an
emptied graph does not need and whose substring() FalkorDB 4.16 sometimes crashes in). So
properties are laid out alike: the contract props (maps and mixed lists as JSON strings named in `json_props`, nulls as no
property named in `null_props`), `id`, `name`, provenance `docs` and the evidence as one JSON string
`evidence` (an array of {doc, start, end, text}).

FalkorDB differences the queries avoid (tests/unit/test_queries_catalog.py checks the texts):
`EXISTS { }` subqueries, `sum()` (a float there), `round(x, n)`, and OPTIONAL MATCH of a
multi-hop pattern (FalkorDB answers it as a chain of one-hop optional matches).
`run(text, params)` returns (columns, rows) with plain Python values.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from policykg.errors import DatabaseError, QueryError, SchemaError, UsageError
from policykg.queries.schema_names import lookup_indexes, schema_labels

LOAD_BATCH = 5000
LOADER_VERSION = "3"  # bump when the row layout or the load statements change (the embedded copy reloads)
_PLACEHOLDER = re.compile(r"\{(label|source_label|target_label|types?|key|property)\}")


# ---------------------------------------------------------------- load (the Neo4j loader's rows and statements)
def load_plan(contract: dict) -> list[tuple[str, list[dict], list[str]]]:
    """(statement, rows, docs) batches that write the whole of `contract` into an empty graph: the
    Neo4j loader's validation, row preparation and statements, nodes before relationships."""
    from policykg.graph_build.neo4j_load import prepare
    from policykg.graph_build.neo4j_schema import cypher, load_schema, validate_graph

    schema = load_schema()
    validate_graph(contract, schema)
    prepared = prepare(contract, schema)
    docs = sorted(prepared.documents)
    by_label: dict[tuple, list] = defaultdict(list)
    for n in prepared.nodes:
        by_label[n.group].append(n)
    by_type: dict[tuple, list] = defaultdict(list)
    for e in prepared.edges:
        by_type[e.group].append(e)
    plan = []
    for (label,), group in sorted(by_label.items()):
        plan.append((cypher("fresh_nodes", schema, label=label), [el.row(None) for el in group], docs))
    for (typ, sl, tl), group in sorted(by_type.items()):
        plan.append((cypher("fresh_relationships", schema, type=typ, source_label=sl, target_label=tl),
                     [el.row(None) for el in group], docs))
    return plan


# FalkorDB 4.16's range index (and so its unique constraint) mishandles some strings: lookups miss
# them, MERGE duplicates them, and the unique constraint crashes the server (FalkorDB issues #1340
# and #2440). The embedded engine refuses such indexed values instead of answering wrongly.
FALKOR_MAX_INDEXED_BYTES = 4096


def falkordb_index_problem(value: Any) -> str | None:
    """Why FalkorDB's range index cannot hold the string `value`, or None when it can."""
    if not isinstance(value, str):
        return None
    if "\x01" in value:
        return "holds the control character U+0001"
    if value != value.strip(" \t\n\v\f\r"):
        return "starts or ends with whitespace"
    if len(value.encode("utf-8")) > FALKOR_MAX_INDEXED_BYTES:
        return f"is longer than {FALKOR_MAX_INDEXED_BYTES} bytes"
    return None


def check_embedded_indexable(contract: dict) -> None:
    """DatabaseError (one line) when a value the embedded engine indexes is one FalkorDB mishandles."""
    indexed: dict[str, set] = defaultdict(set)
    for label, prop in lookup_indexes():
        indexed[label].add(prop)
    doc_ids = {f"document:{d['id']}": d["id"] for d in contract["documents"]}
    for item in (*contract["nodes"], *contract["edges"]):  # the FalkorDB client cannot send such a map key
        bad = next((k for k in item.get("props") or {} if "`" in k), None)
        if bad is not None:
            raise DatabaseError(f"the embedded engine cannot hold the property name {bad!r:.80}: FalkorDB refuses "
                                "backticks in property names; load the graph into Neo4j and use --engine neo4j")
    for n in contract["nodes"]:
        values = {**(n.get("props") or {}), "id": n["id"], "name": n["name"], "document_id": doc_ids.get(n["id"])}
        for prop in sorted(indexed.get(n["label"], ())):
            why = falkordb_index_problem(values.get(prop))
            if why:
                raise DatabaseError(f"the embedded engine cannot hold {n['label']} {n['id']!r:.80}: its indexed "
                                    f"property {prop!r} {why} (FalkorDB's index misses such values); load the graph "
                                    "into Neo4j (`policykg load`) and use --engine neo4j")


def chunks(rows: list, size: int):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


# ---------------------------------------------------------------- values
def plain(value: Any) -> Any:
    """Engine values as plain Python (FalkorDB returns OrderedDict for maps)."""
    if isinstance(value, (dict, OrderedDict)):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Adapter:
    """What differs between the engines: the name, and the schema set-up (see each engine's
    `create_schema`/`load`). Query text is the same on both."""

    name: str

    def render(self, text: str) -> str:
        if _PLACEHOLDER.search(text):
            raise QueryError("query text has an unfilled template placeholder; fill labels and types from the "
                             "schema whitelist first")
        return text


NEO4J = Adapter("neo4j")
FALKORDB = Adapter("falkordb")


# ---------------------------------------------------------------- engines
class Engine:
    """A graph store that runs named-query text. Subclasses: Neo4jEngine, FalkorEngine."""

    adapter: Adapter
    name = "engine"

    def run(self, text: str, params: dict | None = None) -> tuple[list[str], list[list[Any]]]:
        raise NotImplementedError

    def load(self, contract: dict, replace: bool = True) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def describe(self) -> str:
        return self.name


class Neo4jEngine(Engine):
    """A Neo4j server through the official driver. The driver is opened by the caller (or by
    `from_env`) and passed in; queries run in managed read transactions (routed to readers in a
    cluster) on the named database."""

    name = "neo4j"
    adapter = NEO4J

    def __init__(self, driver, database: str = "neo4j", owns_driver: bool = False):
        self.driver = driver
        self.database = database
        self._owns = owns_driver

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Neo4jEngine":
        """Connection settings as `policykg load` finds them: NEO4J_URI/NEO4J_USERNAME/NEO4J_PASSWORD/
        NEO4J_DATABASE, else `.env`, else the local server of `policykg neo4j start`."""
        from policykg.graph_build.neo4j_config import open_driver, resolve

        cfg = resolve(env=env)
        return cls(open_driver(cfg), cfg.database, owns_driver=True)

    def run(self, text, params=None):
        from neo4j import READ_ACCESS
        from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

        def read(tx):
            result = tx.run(self.adapter.render(text), params or {})
            return result.keys(), [[plain(v) for v in record.values()] for record in result]

        # A read session on the named database. Deprecation notices are not shown: the shared query
        # text imports variables into CALL {} with WITH, the form FalkorDB understands.
        try:
            with self.driver.session(database=self.database, default_access_mode=READ_ACCESS,
                                     notifications_disabled_classifications=["DEPRECATION"]) as session:
                keys, rows = session.execute_read(read)
        except (ServiceUnavailable, SessionExpired) as exc:  # messages on one line: the CLI prints one line
            raise DatabaseError(f"Neo4j is unreachable: {' '.join(str(exc).split())}") from None
        except ClientError as exc:
            raise QueryError(f"Neo4j rejected the query: {' '.join(str(exc.message).split())}") from None
        except (Neo4jError, DriverError) as exc:
            raise DatabaseError(f"Neo4j failed: {' '.join(str(exc).split())}") from None
        return list(keys), rows

    def load(self, contract: dict, replace: bool = True) -> None:
        """Load `contract` with the project's Neo4j loader (after emptying the database when `replace`)."""
        from policykg.graph_build.neo4j_load import clear_database, load_graph

        if replace:
            clear_database(self.driver, self.database)
        load_graph(self.driver, self.database, contract, batch_size=LOAD_BATCH, force=True)

    def close(self):
        if self._owns:
            self.driver.close()

    def describe(self):
        return f"neo4j ({self.database})"


class FalkorEngine(Engine):
    """One graph in an EmbeddedServer (FalkorDB over a unix socket)."""

    name = "falkordb"
    adapter = FALKORDB

    def __init__(self, server, graph_name: str = "policykg", owns_server: bool = False):
        self.server = server
        self.graph_name = graph_name
        self._owns = owns_server

    @property
    def graph(self):
        return self.server.client().select_graph(self.graph_name)

    def failure(self, doing: str, exc: Exception) -> DatabaseError:
        """One line for the Redis error `exc` raised while `doing`: how the server ended when it did
        (killed, crashed), else what it refused (out of memory, an error of the module) or that the
        connection broke."""
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import OutOfMemoryError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        detail = " ".join(str(exc).split()) or type(exc).__name__
        where = f"the embedded engine ({self.server.workdir})"
        lost = isinstance(exc, (RedisConnectionError, RedisTimeoutError))
        how = self.server.ended(wait=2.0 if lost else 0.0)  # a dead server's socket closes just before it is reaped
        if how:
            return DatabaseError(f"{where} stopped while {doing}: its server {how} ({detail}; log: "
                                 f"{self.server.logfile})")
        if isinstance(exc, OutOfMemoryError):
            return DatabaseError(f"{where} ran out of memory while {doing}: {detail}")
        if lost:
            return DatabaseError(f"{where} became unreachable while {doing}: {detail}")
        return DatabaseError(f"{where} failed while {doing}: {type(exc).__name__}: {detail}")

    def run(self, text, params=None):
        from redis.exceptions import OutOfMemoryError, RedisError, ResponseError

        try:
            res = self.graph.ro_query(self.adapter.render(text), params or {})
        except ResponseError as exc:
            if isinstance(exc, OutOfMemoryError):
                raise self.failure("running a query", exc) from None
            raise QueryError(f"the embedded engine rejected the query: {' '.join(str(exc).split())}") from None
        except RedisError as exc:
            raise self.failure("running a query", exc) from None
        columns = [h[1] if isinstance(h, (list, tuple)) else h for h in res.header]
        columns = [c.decode() if isinstance(c, bytes) else c for c in columns]
        return columns, [[plain(v) for v in row] for row in res.result_set]

    # ---- load ----
    def _marker_key(self) -> str:
        return f"policykg:source:{self.graph_name}"

    def loaded_fingerprint(self) -> str | None:
        from redis.exceptions import RedisError

        try:
            v = self.server.client().connection.get(self._marker_key())
        except RedisError as exc:
            raise self.failure("reading which graph it holds", exc) from None
        return v.decode() if isinstance(v, bytes) else v

    def create_schema(self) -> None:
        """The key constraint and lookup indexes of schema/schema.yaml, FalkorDB's way: a range index
        per (label, property), then a unique constraint on the key (which needs the index)."""
        from redis.exceptions import ResponseError

        g = self.graph
        g.query("RETURN 1")  # creates the graph, so indexes and constraints can be added to it
        for label, prop in lookup_indexes():
            try:
                g.create_node_range_index(label, prop)
            except ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise
        for label in sorted(schema_labels()):
            try:
                g.create_node_unique_constraint(label, "id")
            except ResponseError as exc:
                if "already exists" not in str(exc).lower():
                    raise

    def load(self, contract: dict, replace: bool = True, fingerprint: str | None = None,
             snapshot: bool = False, source: str = "the graph") -> None:
        """Write `contract` into an emptied graph (`replace` must be true: the statements create
        every fact, they merge nothing) with the Neo4j loader's rows; `fingerprint` marks what was
        loaded, `snapshot` writes the RDB file afterwards.

        A load that fails part-way (server killed, out of memory, an error of the module) raises one
        DatabaseError naming `source` and leaves nothing a later query would trust: the fingerprint
        is cleared before the first write and set only after the last, the snapshot is written only
        after a complete load, and the partial graph is deleted when the server still runs."""
        from redis.exceptions import RedisError

        if not replace:
            raise UsageError("the embedded engine loads a graph only into an emptied graph (replace=True)")
        plan = load_plan(contract)  # validates before anything is written
        check_embedded_indexable(contract)
        try:
            self._write(plan, fingerprint, snapshot)
        except RedisError as exc:
            error = self.failure(f"loading {source}", exc)
        except DatabaseError as exc:
            error = exc
        else:
            return
        self._discard_partial()
        raise DatabaseError(f"{error}; nothing of this load was kept") from None

    def _discard_partial(self) -> None:
        """After a failed load: delete the half-written graph and its fingerprint, if the server still
        runs (a dead server kept nothing: it saves only on request)."""
        from redis.exceptions import RedisError

        if not self.server.running:
            return
        try:
            self._clear()
        except RedisError:
            pass  # the load already failed with its own message; the missing fingerprint marks the graph untrusted

    def _clear(self) -> None:
        """Delete the fingerprint, then the graph: from here on the graph is not trusted."""
        conn = self.server.client().connection
        conn.delete(self._marker_key())
        if conn.exists(self.graph_name):
            self.graph.delete()

    def _write(self, plan, fingerprint: str | None, snapshot: bool) -> None:
        self._clear()  # first: from here until the last write, the graph is not trusted
        self.create_schema()
        g = self.graph
        for stmt, rows, docs in plan:
            for batch in chunks(rows, LOAD_BATCH):
                written = g.query(stmt, {"rows": batch, "docs": docs}).result_set[0][0]
                if written != len(batch):
                    raise DatabaseError(f"embedded load wrote {written} of {len(batch)} rows")
        if fingerprint:
            self.server.client().connection.set(self._marker_key(), fingerprint)
        if snapshot:
            self.server.save_snapshot()

    def close(self):
        if self._owns:
            self.server.stop()

    def describe(self):
        return f"embedded FalkorDB ({self.server.workdir}, graph {self.graph_name})"


def fingerprint_of(graph_path: Path) -> str:
    h = hashlib.sha256()
    h.update(f"loader {LOADER_VERSION}\n".encode())
    with open(graph_path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def open_embedded(graph_path: str | Path, workdir: str | Path | None = None,
                  progress: Callable[[str], None] | None = None) -> FalkorEngine:
    """Start the embedded engine for `graph_path` (default working folder: beside it, `.falkordb/`),
    reloading from graph.json only when the graph changed since the last load (else the RDB
    snapshot, read back at start, already holds it). The caller closes the engine (stops the server)."""
    from policykg.graph_build.export import read_json
    from policykg.queries.embedded import DEFAULT_DIRNAME, EmbeddedServer

    graph_path = Path(graph_path)
    if not graph_path.is_file():
        raise DatabaseError(f"{graph_path}: no such graph file (run `policykg build` first)")
    server = EmbeddedServer(Path(workdir) if workdir else graph_path.parent / DEFAULT_DIRNAME).start()
    engine = FalkorEngine(server, owns_server=True)
    try:
        fp = fingerprint_of(graph_path)
        if engine.loaded_fingerprint() != fp:
            if progress:
                progress(f"loading {graph_path} into the embedded engine ({server.workdir})")
            engine.load(read_json(graph_path), replace=True, fingerprint=fp, snapshot=True, source=str(graph_path))
    except BaseException:
        engine.close()
        raise
    return engine


def open_engine(graph_path: str | Path = "out/graph.json", engine: str = "auto", workdir: str | Path | None = None,
                progress: Callable[[str], None] | None = None) -> Engine:
    """`auto`: Neo4j when NEO4J_URI is set, else the embedded engine over `graph_path`."""
    if engine not in ("auto", "neo4j", "embedded"):
        raise QueryError(f"unknown engine {engine!r} (auto, neo4j, embedded)")
    if engine == "neo4j" or (engine == "auto" and os.environ.get("NEO4J_URI")):
        return Neo4jEngine.from_env()
    return open_embedded(graph_path, workdir, progress)


__all__ = ["Engine", "Neo4jEngine", "FalkorEngine", "open_engine", "open_embedded", "load_plan", "NEO4J", "FALKORDB",
           "SchemaError"]
