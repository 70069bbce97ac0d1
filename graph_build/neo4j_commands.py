"""`policykg neo4j start|stop|status`, `policykg schema --apply|--check`, `policykg load`."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from policykg.errors import UsageError


def _connection_flags(p) -> None:
    g = p.add_argument_group("connection (else NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE, "
                             "a .env file, or the server of `policykg neo4j start`)")
    g.add_argument("--uri", help="neo4j://, neo4j+s:// or bolt:// URI")
    g.add_argument("--username", help="user name")
    g.add_argument("--password-file", help="file holding the password (there is no --password: it would show in ps)")
    g.add_argument("--database", help="database name (default neo4j)")


def _server_flags(p) -> None:
    p.add_argument("--home", help="server folder: config, data, logs (default .cache/neo4j/server)")


def register(sub) -> None:
    p = sub.add_parser("neo4j", help="run a local Neo4j 5.26 community server (fetched from Maven Central)")
    nsub = p.add_subparsers(dest="neo4j_command", metavar="ACTION")
    s = nsub.add_parser("start", help="start the local server and print its bolt URI")
    _server_flags(s)
    s.add_argument("--port", type=int, default=None, help="bolt port on 127.0.0.1 (default 7687 if free, else a free one)")
    s.add_argument("--heap", default="1g", help="JVM heap (default 1g)")
    s.add_argument("--pagecache", default="256m", help="page cache (default 256m)")
    s.set_defaults(func=cmd_neo4j_start)
    s = nsub.add_parser("stop", help="stop the local server")
    _server_flags(s)
    s.set_defaults(func=cmd_neo4j_stop)
    s = nsub.add_parser("status", help="is the local server running, and where")
    _server_flags(s)
    s.set_defaults(func=cmd_neo4j_status)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    p = sub.add_parser("schema", help="check a graph against schema/ or create its constraints and indexes in Neo4j")
    p.add_argument("graph", nargs="?", default=None, help="graph.json to check (with --check; default out/graph.json)")
    p.add_argument("--apply", action="store_true", help="create the key constraints and lookup indexes (idempotent)")
    p.add_argument("--check", action="store_true", help="check that the graph conforms to the schema")
    p.add_argument("--print", action="store_true", dest="print_statements", help="print the schema statements")
    _connection_flags(p)
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("load", help="load graph.json into Neo4j (incremental per document)")
    p.add_argument("graph", nargs="?", default="out/graph.json", help="graph.json to load (default out/graph.json)")
    p.add_argument("--document", action="append", metavar="ID", help="load (or with --delete remove) only this document; repeatable")
    p.add_argument("--delete", action="store_true", help="remove the --document's contribution from the database")
    p.add_argument("--force", action="store_true", help="rewrite documents whose stored load hash is unchanged")
    p.add_argument("--batch-size", type=int, default=None, help="rows per transaction (default 5000)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    _connection_flags(p)
    p.set_defaults(func=cmd_load)


def cmd_neo4j_start(args) -> int:
    from policykg.graph_build import neo4j_server

    if neo4j_server.status(args.home):
        state = neo4j_server.status(args.home)
        print(f"Neo4j is already running: {state.uri} (pid {state.pid}, home {state.home})")
        return 0
    print("starting Neo4j (the first start fetches the server from Maven Central) …", file=sys.stderr)
    state = neo4j_server.start(args.home, port=args.port, heap=args.heap, pagecache=args.pagecache)
    print(f"Neo4j {state.version} running: {state.uri}")
    print(f"user {state.username}; password in {Path(state.home) / 'password'}; "
          "`policykg load` finds this server by itself")
    return 0


def cmd_neo4j_stop(args) -> int:
    from policykg.graph_build import neo4j_server

    if neo4j_server.stop(args.home):
        print("Neo4j stopped")
    else:
        print("Neo4j was not running")
    return 0


def cmd_neo4j_status(args) -> int:
    from policykg.graph_build import neo4j_server

    state = neo4j_server.status(args.home)
    if state is None:
        print("Neo4j is not running")
        return 3
    print(f"Neo4j {state.version} running: {state.uri} (pid {state.pid}, home {state.home})")
    return 0


@contextmanager
def connect(args):
    """The driver for the command's connection settings, opened once and checked; a driver or
    server error during the command becomes one error line (never a traceback)."""
    from neo4j.exceptions import DriverError, Neo4jError

    from policykg.graph_build.neo4j_config import driver_failure, open_driver, resolve

    cfg = resolve(uri=args.uri, username=args.username, database=args.database, password_file=args.password_file)
    driver = open_driver(cfg)
    try:
        yield driver, cfg
    except (DriverError, Neo4jError) as exc:
        raise driver_failure(exc, cfg) from None
    finally:
        driver.close()


def cmd_schema(args) -> int:
    from policykg.graph_build import neo4j_schema

    if not (args.apply or args.check or args.print_statements):
        raise UsageError("schema: give --check, --apply or --print")
    if args.print_statements:
        for stmt in neo4j_schema.schema_statements():
            print(stmt + ";")
    if args.check:
        from policykg.graph_build.export import read_json

        path = args.graph or "out/graph.json"
        neo4j_schema.validate_graph(read_json(path), source=path)
        print(f"{path} conforms to schema/schema.yaml")
    if args.apply:
        with connect(args) as (driver, cfg):
            added = neo4j_schema.apply_schema(driver, cfg.database)
        print(f"schema applied to {cfg}: {added['constraints_added']} constraint(s) and "
              f"{added['indexes_added']} index(es) created, {added['statements']} statements")
    return 0


def cmd_load(args) -> int:
    from policykg.graph_build import neo4j_load

    batch = args.batch_size if args.batch_size is not None else neo4j_load.DEFAULT_BATCH_SIZE
    if batch < 1:
        raise UsageError("--batch-size must be at least 1")
    if args.delete:
        if not args.document:
            raise UsageError("--delete needs --document ID")
        with connect(args) as (driver, cfg):
            summaries = [neo4j_load.delete_document(driver, cfg.database, d, batch_size=batch) for d in args.document]
        for s in summaries:
            print(f"{s.documents_deleted[0]}: {s.text()}")
        return 0
    from policykg.graph_build.export import read_json

    contract = read_json(args.graph)
    from policykg.graph_build.neo4j_schema import validate_graph

    validate_graph(contract, source=args.graph)  # before connecting: a bad graph never reaches the database
    with connect(args) as (driver, cfg):
        summary = neo4j_load.load_graph(driver, cfg.database, contract, documents=args.document, batch_size=batch,
                                        progress=not args.no_progress and sys.stderr.isatty(), force=args.force,
                                        source=args.graph, validate=False)
    print(f"{args.graph} -> {cfg}: {summary.text()}")
    return 0
