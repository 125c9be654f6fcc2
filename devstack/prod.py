"""Production mode's application processes: gunicorn with N web workers on one port, M RQ job
workers, RQ's scheduler, the email and social outboxes' drainers and the hourly deadline
reminders, all stateless against one PostgreSQL and one Redis (whatever the ini file names).

Used by `make run MODE=prod` (devstack/run.py), the load benchmark (bench/load.py) and the
fault tests (tests/production/). docs/deployment.md describes the same processes as
systemd units.

Why gunicorn: a pure-Python wheel (uWSGI, which CKAN's own deployment guide shows, is
compiled from C at install time), a pre-fork server that restarts a worker that dies or
hangs (`--timeout`), recycles workers (`--max-requests`) and reloads on SIGHUP without
dropping connections; it serves the same WSGI app (ckanext/layananpublik/wsgi.py).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from devstack import procs
from devstack.procs import VENV_BIN, StackError

CKAN = str(VENV_BIN / "ckan")
GUNICORN = str(VENV_BIN / "gunicorn")
REMINDER_INTERVAL = 3600  # seconds


def default_web_workers() -> int:
    """gunicorn's rule of thumb, 2 x cores + 1, capped (each worker holds a CKAN app)."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def web_command(ini: Path, port: int, workers: int, threads: int = 1, host: str = "127.0.0.1") -> list[str]:
    """gunicorn serving ckanext.layananpublik.wsgi. Sync workers (threads=1) suit a site
    behind nginx, which buffers slow clients; with threads > 1, gthread workers."""
    return [
        GUNICORN,
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread" if threads > 1 else "sync",
        "--timeout", "60",  # a worker stuck longer is killed and replaced
        "--graceful-timeout", "20",
        "--max-requests", "5000",  # recycled now and then (slow leaks), at staggered times
        "--max-requests-jitter", "500",
        # X-Forwarded-* are believed from the local nginx only (docs/deployment.md).
        "--forwarded-allow-ips", "127.0.0.1",
        "--access-logfile", "-",
        "--env", f"CKAN_INI={ini}",
        "ckanext.layananpublik.wsgi:application",
    ]  # fmt: skip


def job_worker_command(ini: Path) -> list[str]:
    """`ckan jobs worker`, registering itself again after a Redis restart (health/workers.py)."""
    return [CKAN, "-c", str(ini), "layananpublik", "jobs-worker"]


def scheduler_command(ini: Path) -> list[str]:
    """RQ's scheduler: `ckan jobs worker` runs none, and a job retried with an interval (an
    email while the mail relay is down) waits for it. A process of its own, not the workers'
    built-in one (`with_scheduler`): a work horse that fails while PostgreSQL restarts can
    stop that one, and RQ replaces it only every 10 minutes."""
    return [CKAN, "-c", str(ini), "layananpublik", "jobs-scheduler"]


def social_command(ini: Path) -> list[str]:
    return [CKAN, "-c", str(ini), "layananpublik", "social-outbox", "drain", "--watch"]


def mail_command(ini: Path) -> list[str]:
    """The email outbox's drainer: sends what no wake-up job sent (written while Redis was
    down, retries, a worker's send cut short); the job workers send the rest at once."""
    return [CKAN, "-c", str(ini), "layananpublik", "mail-outbox", "drain", "--watch"]


def reminders_command(ini: Path) -> list[str]:
    return [CKAN, "-c", str(ini), "layananpublik", "send-reminders"]


class Reminders:
    """The cron job of a production install: deadline reminders, hourly (first after a minute)."""

    def __init__(
        self, ini: Path, log: Path, first_after: float = 60, interval: float = REMINDER_INTERVAL
    ) -> None:
        self.ini, self.log, self.interval = ini, log, interval
        self.next_run = time.monotonic() + first_after
        self.proc: subprocess.Popen | None = None

    def tick(self) -> None:
        if time.monotonic() >= self.next_run and (self.proc is None or self.proc.poll() is not None):
            self.proc = procs.start(reminders_command(self.ini), self.log)
            self.next_run = time.monotonic() + self.interval

    def stop(self) -> None:
        if self.proc is not None:
            procs.stop(self.proc)


class AppProcesses:
    """The web server, job workers, scheduler and drainers of one site; `supervise()` restarts
    what stopped."""

    def __init__(
        self, ini: Path, port: int, logs: Path, web_workers: int, job_workers: int, threads: int = 1,
        env: dict | None = None, social: bool = True,
    ) -> None:  # fmt: skip
        self.ini, self.port, self.logs, self.env = ini, port, logs, env
        self.web_workers, self.job_workers, self.threads, self.social = (
            web_workers,
            job_workers,
            threads,
            social,
        )
        self.children: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, list[str]] = {}
        self.restarts: dict[str, int] = {}

    def start_one(self, name: str, cmd: list[str]) -> subprocess.Popen:
        proc = procs.start(cmd, self.logs / f"{name}.log", env=self.env)
        self.children[name] = proc
        self.commands[name] = cmd
        return proc

    def start(self, timeout: float = 180) -> None:
        procs.require_free_port(self.port, "web server", "LP_WEB_PORT")
        web = self.start_one("web", web_command(self.ini, self.port, self.web_workers, self.threads))
        for n in range(self.job_workers):
            self.start_one(f"worker-{n + 1}", job_worker_command(self.ini))
        self.start_one("scheduler", scheduler_command(self.ini))
        self.start_one("mail", mail_command(self.ini))
        if self.social:
            self.start_one("social", social_command(self.ini))
        procs.wait_for_port(self.port, "gunicorn", timeout=timeout, proc=web)

    def web_worker_pids(self) -> list[int]:
        """The gunicorn workers (children of the master), e.g. to kill one in a fault test."""
        master = self.children["web"].pid
        children = Path(f"/proc/{master}/task/{master}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def supervise(self, max_restarts: int = 20) -> list[str]:
        """Start again whatever stopped, as systemd's Restart=always does (an RQ worker exits
        when Redis goes away, for one). Returns the names restarted; a process that keeps
        dying is an error."""
        restarted = []
        for name, proc in list(self.children.items()):
            if proc.poll() is None:
                continue
            self.restarts[name] = self.restarts.get(name, 0) + 1
            if self.restarts[name] > max_restarts:
                raise StackError(
                    f"{name} stopped {max_restarts} times (code {proc.returncode}); see {self.logs}"
                )
            print(f"{name} stopped with code {proc.returncode}: started again (see {self.logs}/{name}.log)",
                  flush=True)  # fmt: skip
            self.start_one(name, self.commands[name])
            restarted.append(name)
        return restarted

    def stop(self) -> None:
        for proc in reversed(list(self.children.values())):
            procs.stop(proc, timeout=30)
        self.children.clear()


def override_ini(path: Path, base: Path, options: dict[str, str]) -> Path:
    """An ini that is `base` with some options changed (CKAN's `use = config:...`), for the
    benchmark's and the fault tests' sites."""
    lines = ["[app:main]", f"use = config:{base}", *(f"{key} = {value}" for key, value in options.items())]
    # CKAN's load_config applies the logging sections of the file it is given: copy them.
    text = base.read_text()
    logging_sections = text[text.index("[loggers]") :] if "[loggers]" in text else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n\n" + logging_sections)
    return path
