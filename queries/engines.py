"""Two engines, one query text.

Every named query is written in the Cypher subset that both Neo4j 5 and FalkorDB run. What
differs lives here, in one small adapter per engine:

- schema set-up: unique constraints on `id` and indexes on the lookup properties
  (Neo4j: `CREATE CONSTRAINT … REQUIRE n.id IS UNIQUE`; FalkorDB: an index, then
  `GRAPH.CONSTRAINT CREATE … UNIQUE`);
- shortest paths: a query writes the macro line
  `{{all_shortest_paths p = (a)-[:LEADS|SUPPORTS*..6]-(b)}}`, which becomes
  `MATCH p = allShortestPaths(…)` on Neo4j and `CALL algo.SPpaths({…}) YIELD path AS p` on
  FalkorDB (which rejects `shortestPath` in MATCH and undirected).

Both engines are loaded with the same statements over the same rows (`graph_rows`), so they hold
the same graph. `run(text, params)` returns (columns, rows) with plain Python values.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from policykg.errors import DatabaseError, QueryError, SchemaError
from policykg.queries import graph_rows
from policykg.queries.schema_names import LOOKUP_INDEXES, schema_labels, schema_types

LOAD_BATCH = 2000
LOADER_VERSION = "1"  # bump when the row layout or the load statements change (the embedded copy reloads)

_SHORTEST = re.compile(
    r"\{\{\s*all_shortest_paths\s+(?P<var>[a-z_]\w*)\s*=\s*\((?P<a>[a-z_]\w*)\)-\[:(?P<types>[A-Z_]+(?:\|[A-Z_]+)*)"
    r"\*\.\.(?P<max>[1-9][0-9]?)\]-\((?P<b>[a-z_]\w*)\)\s*\}\}")
_MACRO = re.compile(r"\{\{.*?\}\}", re.S)


# ---------------------------------------------------------------- load statements (shared)
def node_statement(label: str) -> str:
    graph_rows.check_names([label], schema_labels(), "label")
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props"


def edge_statement(rel_type: str, source_label: str, target_label: str) -> str:
    graph_rows.check_names([source_label, target_label], schema_labels(), "label")
    graph_rows.check_names([rel_type], schema_types(), "relationship type")
    return (f"UNWIND $rows AS row MATCH (a:{source_label} {{id: row.source}}) "
            f"MATCH (b:{target_label} {{id: row.target}}) "
            f"MERGE (a)-[r:{rel_type}]->(b) SET r += row.props")


def load_plan(contract: dict) -> list[tuple[str, list[dict]]]:
    """(statement, rows) pairs: all nodes by label, then all edges by (type, labels)."""
    plan = [(node_statement(label), rows) for label, rows in graph_rows.node_rows(contract).items()]
    plan += [(edge_statement(*key), rows) for key, rows in graph_rows.edge_rows(contract).items()]
    return plan


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
    name: str
    render_shortest: Callable[[re.Match], str]

    def render(self, text: str) -> str:
        """The query text for this engine: macros expanded, anything unknown refused."""
        def expand(m: re.Match) -> str:
            types = m["types"].split("|")
            graph_rows.check_names(types, schema_types(), "relationship type")
            return self.render_shortest(m)

        out = _SHORTEST.sub(expand, text)
        left = _MACRO.search(out)
        if left:
            raise QueryError(f"unknown query macro {left.group(0)!r}")
        return out


def _neo4j_shortest(m: re.Match) -> str:
    return f"MATCH {m['var']} = allShortestPaths(({m['a']})-[:{m['types']}*..{m['max']}]-({m['b']}))"


def _falkor_shortest(m: re.Match) -> str:
    types = ", ".join(f"'{t}'" for t in m["types"].split("|"))
    return (f"CALL algo.SPpaths({{sourceNode: {m['a']}, targetNode: {m['b']}, relTypes: [{types}], "
            f"relDirection: 'both', maxLen: {m['max']}, pathCount: 0}}) YIELD path AS {m['var']}")


NEO4J = Adapter("neo4j", _neo4j_shortest)
FALKORDB = Adapter("falkordb", _falkor_shortest)


def neo4j_schema_statements(labels: Iterable[str]) -> list[str]:
    out = []
    for label in sorted(labels):
        graph_rows.check_names([label], schema_labels(), "label")
        out.append(f"CREATE CONSTRAINT policykg_{label.lower()}_id IF NOT EXISTS "
                   f"FOR (n:{label}) REQUIRE n.id IS UNIQUE")
    for label, prop in LOOKUP_INDEXES:
        out.append(f"CREATE INDEX policykg_{label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")
    return out


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
    `from_env`) and passed in; reads are routed as READ and name their database."""

    name = "neo4j"
    adapter = NEO4J

    def __init__(self, driver, database: str = "neo4j", owns_driver: bool = False):
        self.driver = driver
        self.database = database
        self._owns = owns_driver

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Neo4jEngine":
        from neo4j import GraphDatabase

        env = os.environ if env is None else env
        uri = env.get("NEO4J_URI")
        if not uri:
            raise DatabaseError("NEO4J_URI is not set")
        user, password = neo4j_auth(env)
        try:
            driver = GraphDatabase.driver(uri, auth=(user, password) if password is not None else None)
            driver.verify_connectivity()
        except Exception as exc:  # the driver raises several unrelated classes for "cannot connect"
            raise DatabaseError(f"cannot reach Neo4j at {uri}: {exc}") from None
        return cls(driver, env.get("NEO4J_DATABASE", "neo4j"), owns_driver=True)

    def run(self, text, params=None):
        from neo4j import RoutingControl
        from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable

        try:
            records, _, keys = self.driver.execute_query(self.adapter.render(text), parameters_=params or {},
                                                         routing_=RoutingControl.READ, database_=self.database)
        except ServiceUnavailable as exc:
            raise DatabaseError(f"Neo4j is unreachable: {exc}") from None
        except ClientError as exc:
            raise QueryError(f"Neo4j rejected the query: {exc.message}") from None
        except Neo4jError as exc:
            raise DatabaseError(f"Neo4j failed: {exc}") from None
        return list(keys), [[plain(v) for v in r.values()] for r in records]

    def write(self, text: str, params: dict | None = None) -> None:
        from neo4j import RoutingControl

        self.driver.execute_query(text, parameters_=params or {}, routing_=RoutingControl.WRITE,
                                  database_=self.database)

    def load(self, contract: dict, replace: bool = True) -> None:
        """Clear (when `replace`) and load `contract`, with the same statements as the embedded engine."""
        if replace:
            self.write("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        for stmt in neo4j_schema_statements(graph_rows.labels_and_types(contract)[0] | {"Document"}):
            self.write(stmt)
        self.write("CALL db.awaitIndexes(300)")
        for stmt, rows in load_plan(contract):
            for batch in graph_rows.chunks(rows, LOAD_BATCH):
                self.write(stmt, {"rows": batch})

    def close(self):
        if self._owns:
            self.driver.close()

    def describe(self):
        return f"neo4j ({self.database})"


def neo4j_auth(env) -> tuple[str, str | None]:
    """NEO4J_USER/NEO4J_USERNAME + NEO4J_PASSWORD, or NEO4J_AUTH=user/password, or NEO4J_AUTH=none."""
    auth = env.get("NEO4J_AUTH")
    if auth:
        if auth.lower() == "none":
            return "", None
        user, _, password = auth.partition("/")
        return user, password
    return env.get("NEO4J_USER") or env.get("NEO4J_USERNAME") or "neo4j", env.get("NEO4J_PASSWORD")


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

    def run(self, text, params=None):
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import ResponseError

        try:
            res = self.graph.ro_query(self.adapter.render(text), params or {})
        except ResponseError as exc:
            raise QueryError(f"the embedded engine rejected the query: {exc}") from None
        except RedisConnectionError as exc:
            raise DatabaseError(f"the embedded engine is unreachable: {exc}") from None
        columns = [h[1] if isinstance(h, (list, tuple)) else h for h in res.header]
        columns = [c.decode() if isinstance(c, bytes) else c for c in columns]
        return columns, [[plain(v) for v in row] for row in res.result_set]

    # ---- load ----
    def _marker_key(self) -> str:
        return f"policykg:source:{self.graph_name}"

    def loaded_fingerprint(self) -> str | None:
        v = self.server.client().connection.get(self._marker_key())
        return v.decode() if isinstance(v, bytes) else v

    def load(self, contract: dict, replace: bool = True, fingerprint: str | None = None,
             snapshot: bool = False) -> None:
        from redis.exceptions import ResponseError

        conn = self.server.client().connection
        if replace and conn.exists(self.graph_name):
            self.graph.delete()
        conn.delete(self._marker_key())
        g = self.graph
        labels = graph_rows.labels_and_types(contract)[0] | {"Document"}
        g.query("RETURN 1")  # creates the empty graph, so indexes and constraints can be added
        indexes = [(label, "id") for label in sorted(labels)] + list(LOOKUP_INDEXES)
        for label, prop in indexes:
            graph_rows.check_names([label], schema_labels(), "label")
            try:
                g.create_node_range_index(label, prop)
            except ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise
        for label in sorted(labels):
            try:
                g.create_node_unique_constraint(label, "id")
            except ResponseError as exc:
                if "already exists" not in str(exc).lower():
                    raise
        for stmt, rows in load_plan(contract):
            for batch in graph_rows.chunks(rows, LOAD_BATCH):
                g.query(stmt, {"rows": batch})
        if fingerprint:
            conn.set(self._marker_key(), fingerprint)
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
            engine.load(read_json(graph_path), replace=True, fingerprint=fp, snapshot=True)
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


__all__ = ["Engine", "Neo4jEngine", "FalkorEngine", "open_engine", "open_embedded", "load_plan",
           "node_statement", "edge_statement", "neo4j_schema_statements", "NEO4J", "FALKORDB", "SchemaError"]
