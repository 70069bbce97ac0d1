"""Where the Neo4j server is and how to log in: flags, else NEO4J_* environment variables, else a
`.env` file in the working directory, else the local server that `policykg neo4j start` runs.
NEO4J_MAX_RETRY_TIME (seconds, default 30 as in the driver) bounds how long a transaction is
retried while the server is unavailable before the command gives up with one error line.

The password is never printed or logged: `ConnectionConfig` hides it from repr and str, and every
error names the URI and the user only.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from policykg.errors import DatabaseError, UsageError

SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_DATABASE = "neo4j"
DEFAULT_MAX_RETRY_TIME = 30.0


@dataclass(frozen=True)
class ConnectionConfig:
    uri: str
    username: str
    password: str = field(repr=False)
    database: str = DEFAULT_DATABASE
    source: str = "defaults"  # where the settings came from (for messages)
    max_retry_time: float = DEFAULT_MAX_RETRY_TIME  # seconds a transaction is retried (driver's max_transaction_retry_time)

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
    retry, _ = pick(None, "NEO4J_MAX_RETRY_TIME")
    try:
        max_retry_time = DEFAULT_MAX_RETRY_TIME if retry is None else float(retry)
        if not 0 <= max_retry_time < float("inf"):
            raise ValueError
    except ValueError:
        raise UsageError(f"NEO4J_MAX_RETRY_TIME {retry!r}: expected a number of seconds >= 0") from None
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
                            database=database or DEFAULT_DATABASE, source=src or "defaults",
                            max_retry_time=max_retry_time)


_QUIET = logging.NullHandler()


def open_driver(cfg: ConnectionConfig):
    """A driver for `cfg`, checked to reach the server and log in; errors become one DatabaseError line."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import ConfigurationError

    # The driver logs its retries and dropped connections; with no handler configured Python would
    # print them on stderr beside the command's one error line. Handlers an application sets still get them.
    logging.getLogger("neo4j").addHandler(_QUIET)

    try:
        driver = GraphDatabase.driver(cfg.uri, auth=(cfg.username, cfg.password), notifications_min_severity="OFF",
                                      max_transaction_retry_time=cfg.max_retry_time)
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


def driver_failure(exc: BaseException, cfg: ConnectionConfig) -> DatabaseError:
    """One error line for a driver or server error raised while a command works on the database
    (after `check_connection` succeeded): the server went away, or refused a statement."""
    from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable, SessionExpired, TransientError

    if isinstance(exc, (ServiceUnavailable, SessionExpired, TransientError)):  # still failing after the retries
        return DatabaseError(f"Neo4j at {cfg.uri} became unavailable during the command ({_one_line(exc)}); nothing "
                             "half-written is marked complete: run the same command again when the server is back")
    if isinstance(exc, AuthError):
        return DatabaseError(f"Neo4j at {cfg.uri} refused the login of user {cfg.username!r}: {_one_line(exc)}")
    if isinstance(exc, ClientError) and "DatabaseNotFound" in (exc.code or ""):
        return DatabaseError(f"Neo4j at {cfg.uri} has no database {cfg.database!r} (NEO4J_DATABASE)")
    code = getattr(exc, "code", None)
    return DatabaseError(f"Neo4j at {cfg.uri}: {code or type(exc).__name__}: {_one_line(exc)}")
