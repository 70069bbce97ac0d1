"""A local Neo4j 5.26 community server for users without one and for the integration tests.

The server is Neo4j's own entry point (`org.neo4j.server.CommunityEntryPoint`) run with the
machine's Java 17 on the jars that Maven fetches from Maven Central (`tools/neo4j-launcher/pom.xml`)
into `.cache/neo4j/lib`. Each server has a home folder of its own (config, data, logs, the pid and
a state file with its bolt URI); the password is generated, kept in `HOME/password` (mode 0600)
and never printed.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from policykg.errors import DatabaseError, UsageError

NEO4J_VERSION = "5.26.30"
ROOT = Path(__file__).resolve().parent.parent
POM = ROOT / "tools" / "neo4j-launcher" / "pom.xml"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
USERNAME = "neo4j"

# What the `neo4j` start script passes to the JVM (less the options for remote debugging/JMX).
JVM_FLAGS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+DisableExplicitGC", "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true", "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
]


def cache_dir() -> Path:
    """`$POLICYKG_CACHE`, else `.cache/` of the checkout (git-ignored)."""
    return Path(os.environ.get("POLICYKG_CACHE") or ROOT / ".cache").resolve()


def lib_dir() -> Path:
    return Path(os.environ.get("POLICYKG_NEO4J_LIB") or cache_dir() / "neo4j" / "lib").resolve()


def default_home() -> Path:
    return cache_dir() / "neo4j" / "server"


def _pom_stamp() -> str:
    return hashlib.sha256(POM.read_bytes()).hexdigest() if POM.exists() else ""


def artifacts_ready(lib: Path | None = None) -> bool:
    lib = lib or lib_dir()
    if os.environ.get("POLICYKG_NEO4J_LIB"):  # jars the user provides: used as they are
        return any(lib.glob("neo4j-kernel-*.jar"))
    stamp = lib / ".fetched"
    return stamp.exists() and stamp.read_text().strip() == _pom_stamp()


def fetch_artifacts(lib: Path | None = None, quiet: bool = True) -> Path:
    """Fetch the server jars with Maven into `lib` (once; again only when the pom changed)."""
    lib = lib or lib_dir()
    if artifacts_ready(lib):
        return lib
    if not POM.exists():
        raise DatabaseError(f"cannot fetch Neo4j: {POM} is missing (run from a policykg checkout "
                            f"or set POLICYKG_NEO4J_LIB to a folder of Neo4j {NEO4J_VERSION} jars)")
    mvn = shutil.which("mvn")
    if not mvn:
        raise DatabaseError("cannot fetch Neo4j: Maven (`mvn`) is not installed")
    m2 = cache_dir() / "m2"
    if lib.exists():
        shutil.rmtree(lib)
    lib.mkdir(parents=True)
    cmd = [mvn, "-B", *(["-q"] if quiet else []), f"-Dmaven.repo.local={m2}", "-f", str(POM),
           "dependency:copy-dependencies", f"-Dneo4j.lib.dir={lib}"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        raise DatabaseError("fetching Neo4j with Maven failed: " + " | ".join(tail))
    (lib / ".fetched").write_text(_pom_stamp() + "\n")
    return lib


def java_bin() -> str:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    java = shutil.which("java")
    if not java:
        raise DatabaseError("cannot start Neo4j: Java 17 or 21 (`java`) is not installed")
    return java


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@dataclass(frozen=True)
class ServerState:
    """What a running server's home records: enough to connect and to stop it."""

    home: str
    pid: int
    port: int
    uri: str
    username: str = USERNAME
    version: str = NEO4J_VERSION

    @property
    def password(self) -> str:
        return read_password(Path(self.home))


def read_password(home: Path) -> str:
    return (home / "password").read_text(encoding="utf-8").strip()


def _state_path(home: Path) -> Path:
    return home / "run" / "policykg-server.json"


def read_state(home: Path) -> ServerState | None:
    p = _state_path(home)
    if not p.exists():
        return None
    try:
        return ServerState(**json.loads(p.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        return None


def _pid_is_server(pid: int, home: Path) -> bool:
    """True when `pid` is alive and is a Neo4j server of this home (not a recycled pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True  # no /proc: trust the pid
    args = [a.decode("utf-8", "replace") for a in cmdline]
    return ENTRY_POINT in args and f"--home-dir={home}" in args


def _write_config(home: Path, port: int, pagecache: str) -> None:
    conf = home / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    lines = [
        "# written by policykg (graph_build/neo4j_server.py) at every start",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{port}",
        f"server.bolt.advertised_address=127.0.0.1:{port}",
        "server.http.enabled=false",
        "server.https.enabled=false",
        f"server.memory.pagecache.size={pagecache}",
        "dbms.security.auth_enabled=true",
        "dbms.usage_report.enabled=false",
        "db.tx_log.rotation.retention_policy=2 files",
        "server.logs.gc.enabled=false",
    ]
    (conf / "neo4j.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")


def admin(home: Path, *args: str, lib: Path | None = None, heap: str = "1g", timeout: float = 3600) -> subprocess.CompletedProcess:
    """Run `neo4j-admin ARGS` (Neo4j's AdminTool) for the server of `home`."""
    lib = lib or fetch_artifacts()
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    cmd = [java_bin(), f"-Xmx{heap}", *JVM_FLAGS, "-cp", f"{lib}/*", ADMIN_TOOL, *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=home)


def prepare_home(home: Path, port: int, pagecache: str = "256m", password: str | None = None) -> None:
    """Config for `port`; on the first use also the initial password (before the first start)."""
    home.mkdir(parents=True, exist_ok=True)
    _write_config(home, port, pagecache)
    if not (home / "data" / "dbms" / "auth.ini").exists():
        password = password or secrets.token_urlsafe(18)
        # "--": a generated password may begin with "-" (1 in 64), which the tool would read as an option
        proc = admin(home, "dbms", "set-initial-password", "--", password, heap="256m", timeout=300)
        if proc.returncode != 0:
            raise DatabaseError("neo4j-admin set-initial-password failed: " + (proc.stderr or proc.stdout).strip()[-300:])
        pw = home / "password"
        pw.write_text(password + "\n", encoding="utf-8")
        pw.chmod(0o600)


def _wait_for_bolt(state: ServerState, proc: subprocess.Popen | None, timeout: float) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise DatabaseError(f"Neo4j exited during start (code {proc.returncode}): {log_tail(Path(state.home))}")
        try:
            with GraphDatabase.driver(state.uri, auth=(state.username, state.password)) as driver:
                driver.verify_connectivity()
                driver.execute_query("RETURN 1", database_="neo4j")
            return
        except AuthError as exc:
            raise DatabaseError(f"Neo4j at {state.uri} rejected the password in {state.home}/password: {exc.message}") from None
        except (ServiceUnavailable, Neo4jError, OSError) as exc:
            last = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        time.sleep(0.5)
    raise DatabaseError(f"Neo4j did not answer on {state.uri} within {timeout:.0f}s ({last}); {log_tail(Path(state.home))}")


def log_tail(home: Path, lines: int = 3) -> str:
    for name in ("console.log", "neo4j.log"):
        p = home / "logs" / name
        if p.exists():
            tail = [ln for ln in p.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()][-lines:]
            if tail:
                return f"log {p}: " + " | ".join(tail)
    return f"no log in {home / 'logs'}"


def status(home: Path | None = None) -> ServerState | None:
    """The state of the server of `home` when it is running, else None."""
    home = Path(home or default_home()).resolve()
    state = read_state(home)
    if state and _pid_is_server(state.pid, home):
        return state
    return None


def start(home: Path | None = None, port: int | None = None, heap: str = "1g", pagecache: str = "256m",
          timeout: float = 180.0, password: str | None = None) -> ServerState:
    """Start the server of `home` (or return the running one) and wait until bolt answers.

    port: None picks 7687 when free, else a free loopback port; 0 always picks a free port."""
    home = Path(home or default_home()).resolve()
    running = status(home)
    if running:
        return running
    if port is None:
        port = 7687 if port_free(7687) else free_port()
    elif port == 0:
        port = free_port()
    elif not port_free(port):
        raise UsageError(f"port {port} on 127.0.0.1 is in use")
    lib = fetch_artifacts()
    prepare_home(home, port, pagecache, password)
    (home / "logs").mkdir(parents=True, exist_ok=True)
    (home / "run").mkdir(parents=True, exist_ok=True)
    cmd = [java_bin(), "-Xms256m", f"-Xmx{heap}", *JVM_FLAGS, "-cp", f"{lib}/*", ENTRY_POINT,
           f"--home-dir={home}", f"--config-dir={home / 'conf'}"]
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    with open(home / "logs" / "console.log", "ab") as log:
        proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                cwd=home, start_new_session=True)
    state = ServerState(home=str(home), pid=proc.pid, port=port, uri=f"bolt://127.0.0.1:{port}")
    _state_path(home).write_text(json.dumps(asdict(state), indent=1) + "\n", encoding="utf-8")
    try:
        _wait_for_bolt(state, proc, timeout)
    except BaseException:
        _terminate(proc.pid, 30)
        _state_path(home).unlink(missing_ok=True)
        raise
    return state


def _terminate(pid: int, timeout: float) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return
        except ChildProcessError:  # not our child: poll for its end
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.2)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def stop(home: Path | None = None, timeout: float = 60.0) -> bool:
    """Stop the server of `home`; False when none was running."""
    home = Path(home or default_home()).resolve()
    state = read_state(home)
    if not state:
        return False
    was_running = _pid_is_server(state.pid, home)
    if was_running:
        _terminate(state.pid, timeout)
    _state_path(home).unlink(missing_ok=True)
    return was_running
