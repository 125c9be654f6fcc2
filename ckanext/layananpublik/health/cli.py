"""`ckan layananpublik health` and `ckan layananpublik jobs-worker`."""

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


@click.command("jobs-worker", short_help="CKAN's background-job worker, with RQ's scheduler.")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def jobs_worker_command(queues: tuple[str, ...], burst: bool) -> None:
    """`ckan jobs worker` plus RQ's scheduler, which moves jobs retried with an interval
    (emails while the mail relay is down) back to their queue when their time comes;
    without it they wait forever. Run one or more (one scheduler at a time takes the lock)."""
    from ckan.lib import jobs

    jobs.Worker(list(queues) or None).work(burst=burst, with_scheduler=True)
