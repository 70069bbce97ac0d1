"""Where the Neo4j server is and how to log in: flags, else NEO4J_* environment variables, else a
`.env` file in the working directory, else the local server that `policykg neo4j start` runs.

The password is never printed or logged: `ConnectionConfig` hides it from repr and str, and every
error names the URI and the user only.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from policykg.errors import DatabaseError, UsageError

SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_DATABASE = "neo4j"


@dataclass(frozen=True)
class ConnectionConfig:
    uri: str
    username: str
    password: str = field(repr=False)
    database: str = DEFAULT_DATABASE
    source: str = "defaults"  # where the settings came from (for messages)

    def __str__(self) -> str:
        return f"{self.username}@{self.uri} database {self.database}"


def _dotenv(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def resolve(uri: str | None = None, username: str | None = None, password: str | None = None,
            database: str | None = None, password_file: str | None = None, env: dict | None = None,
            dotenv_path: str | Path = ".env", server_home: str | Path | None = None) -> ConnectionConfig:
    """The connection settings, each from the first place that has it (see the module docstring)."""
    env = dict(os.environ if env is None else env)
    dot = _dotenv(Path(dotenv_path))
    if password_file:
        try:
            password = Path(password_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UsageError(f"cannot read --password-file {password_file}: {exc.strerror}") from None

    def pick(flag, name):
        if flag:
            return flag, "flags"
        if env.get(name):
            return env[name], "environment"
        if dot.get(name):
            return dot[name], str(dotenv_path)
        return None, None

    uri, src = pick(uri, "NEO4J_URI")
    username, _ = pick(username, "NEO4J_USERNAME")
    password, _ = pick(password, "NEO4J_PASSWORD")
    database, _ = pick(database, "NEO4J_DATABASE")
    if uri is None or password is None:
        from policykg.graph_build import neo4j_server

        state = neo4j_server.status(Path(server_home) if server_home else None)
        if state and (uri is None or uri == state.uri):
            uri, src = state.uri, f"local server {state.home}"
            username = username or state.username
            password = password if password is not None else state.password
    uri = uri or DEFAULT_URI
    scheme = urlsplit(uri).scheme
    if scheme not in SCHEMES:
        raise UsageError(f"NEO4J_URI {uri!r}: the scheme must be one of {', '.join(s + '://' for s in SCHEMES)}")
    return ConnectionConfig(uri=uri, username=username or "neo4j", password=password or "",
                            database=database or DEFAULT_DATABASE, source=src or "defaults")


def open_driver(cfg: ConnectionConfig):
    """A driver for `cfg`, checked to reach the server and log in; errors become one DatabaseError line."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import ConfigurationError

    try:
        driver = GraphDatabase.driver(cfg.uri, auth=(cfg.username, cfg.password), notifications_min_severity="OFF")
    except (ConfigurationError, ValueError) as exc:
        raise UsageError(f"bad Neo4j URI {cfg.uri!r}: {exc}") from None
    try:
        check_connection(driver, cfg)
    except BaseException:
        driver.close()
        raise
    return driver


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(getattr(exc, "message", None) or exc).split())
    return text[:300] or type(exc).__name__


def check_connection(driver, cfg: ConnectionConfig) -> None:
    """Reach the server, log in and open the database once, without the driver's retries."""
    from neo4j import READ_ACCESS
    from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable

    try:
        driver.verify_connectivity()
        with driver.session(database=cfg.database, default_access_mode=READ_ACCESS) as session:
            session.run("RETURN 1").consume()
    except AuthError:
        raise DatabaseError(f"Neo4j at {cfg.uri} refused the login of user {cfg.username!r}: wrong user name or "
                            "password (NEO4J_USERNAME / NEO4J_PASSWORD)") from None
    except ServiceUnavailable as exc:
        raise DatabaseError(f"cannot reach Neo4j at {cfg.uri} ({cfg.source}): {_one_line(exc)}") from None
    except ClientError as exc:
        if "DatabaseNotFound" in (exc.code or ""):
            raise DatabaseError(f"Neo4j at {cfg.uri} has no database {cfg.database!r} (NEO4J_DATABASE)") from None
        raise DatabaseError(f"Neo4j at {cfg.uri}: {exc.code}: {_one_line(exc)}") from None
    except (Neo4jError, DriverError, OSError) as exc:
        raise DatabaseError(f"Neo4j at {cfg.uri}: {type(exc).__name__}: {_one_line(exc)}") from None
