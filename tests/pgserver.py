"""A throwaway PostgreSQL server for tests: `initdb` + `pg_ctl` in a temporary directory on loopback.

Used when the server binaries are installed (Debian/Ubuntu: `apt-get install -y postgresql`).
When the tests run as root, the server runs as the `postgres` OS user, which owns the
temporary directory.
"""

from __future__ import annotations

import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

try:
    from tests.waiting import HANG_GUARD
except ImportError:
    from waiting import HANG_GUARD

SERVER_USER = "postgres"
SKIP_REASON = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found; install them with apt-get install -y postgresql"
)


def find_bindir() -> Path | None:
    """The directory holding `initdb` and `pg_ctl`, newest version first, then the PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    for directory in candidates:
        if all(Path(directory, tool).exists() for tool in ("initdb", "pg_ctl")):
            return Path(directory)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb).resolve().parent
    return None


def _version_key(path: str) -> float:
    try:
        return float(Path(path).parent.name)
    except ValueError:
        return 0.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_as_server_user() -> bool:
    return os.geteuid() == 0


def unavailable_reason() -> str | None:
    """Why a server cannot be started here, or None when it can."""
    if find_bindir() is None:
        return SKIP_REASON
    if _run_as_server_user():
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root but there is no {SERVER_USER!r} OS user to run PostgreSQL"
    return None


class PostgresServer:
    """One PostgreSQL cluster in a temporary directory, listening on 127.0.0.1 only."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="eventwire-pg-"))
        self.datadir = self.root / "data"
        self.socketdir = self.root / "sock"
        self.logfile = self.root / "server.log"
        self.port = _free_port()

    def _command(self, *args: str) -> list[str]:
        if not _run_as_server_user():
            return list(args)
        if shutil.which("runuser"):
            return ["runuser", "-u", SERVER_USER, "--", *args]
        return ["su", SERVER_USER, "-c", shlex.join(args)]

    def _run(self, *args: str) -> None:
        completed = subprocess.run(self._command(*args), capture_output=True, text=True, timeout=HANG_GUARD)
        if completed.returncode != 0:
            log = self.logfile.read_text() if self.logfile.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {completed.stderr or completed.stdout}\n{log}")

    def start(self) -> None:
        """Create the cluster and start the server (waits until it accepts connections)."""
        self.socketdir.mkdir()
        if _run_as_server_user():
            entry = pwd.getpwnam(SERVER_USER)
            for path in (self.root, self.socketdir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        initdb = str(self.bindir / "initdb")
        self._run(
            initdb,
            "-D",
            str(self.datadir),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.socketdir}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.datadir),
            "-l",
            str(self.logfile),
            "-o",
            options,
            "-w",
            "-t",
            "300",
            "start",
        )

    def stop(self) -> None:
        """Stop the server and delete its directory."""
        try:
            if (self.datadir / "postmaster.pid").exists():
                pg_ctl = str(self.bindir / "pg_ctl")
                self._run(pg_ctl, "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """A plain `postgresql://` URL for `database` (trust authentication on loopback)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = f"test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
