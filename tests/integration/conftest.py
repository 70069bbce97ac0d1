"""A real Neo4j 5.26 server for the integration tests: one per test session, on a free loopback
port with a temporary data folder, stopped at the end. In CI (env CI set) a server that cannot
start FAILS the tests; elsewhere they are skipped with the reason printed loudly.

Fixtures: `neo4j_server_state` (uri, password, home), `neo4j_driver` (opened once),
`neo4j_database`, `neo4j_env` (environment for running the CLI against this server) and `db`
(a driver on an emptied database, for tests that load).
"""
from __future__ import annotations

import os
import sys
import warnings

import pytest

from policykg.graph_build import neo4j_server


def _unavailable(reason: str):
    msg = f"Neo4j test server unavailable: {reason}"
    if os.environ.get("CI"):
        pytest.fail(msg, pytrace=False)
    print(f"\n*** SKIPPING NEO4J INTEGRATION TESTS: {msg} ***", file=sys.stderr)
    warnings.warn(msg)
    pytest.skip(msg)


@pytest.fixture(scope="session")
def neo4j_server_state(tmp_path_factory):
    home = tmp_path_factory.mktemp("neo4j") / "server"
    try:
        state = neo4j_server.start(home, port=0, heap="1g", pagecache="256m", timeout=300)
    except Exception as exc:  # noqa: BLE001 - any failure to start is reported the same way
        _unavailable(f"{type(exc).__name__}: {exc}")
    yield state
    neo4j_server.stop(home)


@pytest.fixture(scope="session")
def neo4j_database() -> str:
    return "neo4j"


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server_state):
    from neo4j import GraphDatabase

    with GraphDatabase.driver(neo4j_server_state.uri, auth=(neo4j_server_state.username, neo4j_server_state.password),
                              notifications_min_severity="OFF") as driver:
        yield driver


@pytest.fixture(scope="session")
def neo4j_env(neo4j_server_state, tmp_path_factory) -> dict:
    """Environment for `policykg` subprocesses: this server, no .env from the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEO4J_URI=neo4j_server_state.uri, NEO4J_USERNAME=neo4j_server_state.username,
               NEO4J_PASSWORD=neo4j_server_state.password, NEO4J_DATABASE="neo4j")
    return env


@pytest.fixture()
def db(neo4j_driver, neo4j_database):
    """The driver, on an empty database (schema constraints stay: they are idempotent)."""
    from policykg.graph_build.neo4j_load import clear_database

    clear_database(neo4j_driver, neo4j_database)
    return neo4j_driver
