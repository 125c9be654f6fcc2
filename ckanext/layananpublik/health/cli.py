"""`ckan layananpublik health`, `... jobs-worker` and `... jobs-scheduler`."""

from __future__ import annotations

import sys

import ckan.plugins.toolkit as tk
import click

from ckanext.layananpublik.health import checks


@click.command("health", short_help="Say whether PostgreSQL, Redis, the workers and the mail relay are up.")
@click.option("--check", "names", multiple=True, type=click.Choice(list(checks.CHECKS)),
              help="Only this check (repeatable).")  # fmt: skip
def health_command(names: tuple[str, ...]) -> None:
    """One line per component; exit code 0 when every one is up, 1 otherwise (for a
    monitoring probe, a systemd ExecStartPost or a cron mail)."""
    result = tk.get_action("layananpublik_health_show")({"ignore_auth": True}, {"checks": list(names)})
    for name, check in result["checks"].items():
        click.echo(
            f"{'OK  ' if check['ok'] else 'DOWN'}  {name:<14} {check['seconds']:6.3f} s  {check['detail']}"
        )
    sys.exit(0 if result["ok"] else 1)


@click.command("jobs-worker", short_help="`ckan jobs worker` that stays visible through a Redis restart.")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def jobs_worker_command(queues: tuple[str, ...], burst: bool) -> None:
    """CKAN's background-job worker (as `ckan jobs worker`), which registers itself again
    when a Redis restart lost its registration (health/workers.py)."""
    from ckanext.layananpublik.health.workers import Worker

    Worker(list(queues) or None).work(burst=burst)


@click.command("jobs-scheduler", short_help="RQ's scheduler for CKAN's job queues (retries wait for it).")
@click.argument("queues", nargs=-1)
def jobs_scheduler_command(queues: tuple[str, ...]) -> None:
    """Move jobs retried with an interval (an email while the mail relay is down, then a
    minute, 5 minutes, ... later) back to their queue when their time comes. `ckan jobs
    worker` runs no scheduler: without this process they wait forever. Run one per site
    next to the workers (a second one waits for the first one's lock)."""
    from ckan.lib import jobs
    from ckan.lib.redis import connect_to_redis

    from ckanext.layananpublik.health.workers import Scheduler

    names = [jobs.get_queue(q).name for q in (queues or [jobs.DEFAULT_QUEUE_NAME])]
    scheduler = Scheduler(names, connection=connect_to_redis())
    click.echo(
        f"scheduler for {', '.join(names)}: {'lock taken' if scheduler.acquire_locks() else 'waiting for the lock'}"
    )
    scheduler.work()
