"""`ckan layananpublik mail-outbox drain | retry`: send the email outbox (cases/outbox.py)."""

from __future__ import annotations

import logging
import time

import click
from ckan import model

log = logging.getLogger(__name__)


@click.group("mail-outbox", short_help="Email outbox: send what is due, retry what failed.")
def mail_outbox() -> None:
    """The outbox of emails to requesters and staff (docs/deployment.md)."""


@mail_outbox.command("drain")
@click.option("--watch", is_flag=True, help="Keep running: sleep until the next email is due (or --max-sleep).")
@click.option("--max-sleep", default=10, show_default=True,
              help="With --watch: longest sleep, seconds (how soon an email written without a wake-up goes).")  # fmt: skip
def drain_command(watch: bool, max_sleep: int) -> None:
    """Send every due email now (from cron every minute, or once with --watch as a service).
    With --watch a database outage is waited out, not fatal."""
    from ckanext.layananpublik.cases import clock, outbox

    while True:
        try:
            counts = outbox.drain()
            due = outbox.next_due()
        except Exception:  # noqa: BLE001 - PostgreSQL restarting: try again shortly
            if not watch:
                raise
            log.warning("mail outbox drain failed; trying again in 5 s", exc_info=True)
            model.Session.remove()
            time.sleep(5)
            continue
        if counts or not watch:
            click.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "nothing due")
        if not watch:
            return
        wait = max_sleep if due is None else (due - clock.now()).total_seconds()
        time.sleep(min(max(wait, 0.5), max_sleep))


@mail_outbox.command("retry")
def retry_command() -> None:
    """Put every email that failed after all its retries back in the queue (after the mail
    relay's problem is fixed); the drainers send it."""
    from ckanext.layananpublik.cases import outbox

    click.echo(f"{outbox.retry_failed()} failed emails queued again")
