"""Background work: drain the outbox in CKAN's RQ workers.

A drain job is queued after the commit of any transaction that added or re-queued posts
(never before: the worker would not see the rows yet). Posts waiting for a retry need a
later trigger: `ckan layananpublik social-outbox drain` from cron (every minute), or
`drain --watch` as a service, which sleeps until the next post is due.
"""

from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.layananpublik.cases import aftercommit
from ckanext.layananpublik.social import outbox

log = logging.getLogger(__name__)


def drain_outbox() -> dict:
    """The job: send every due post, then read the due replies (any number of workers may
    run it at once)."""
    from ckanext.layananpublik.social import listen

    counts = outbox.drain()
    counts.update({f"replies {k}": v for k, v in listen.poll().items()})
    return counts


def enqueue_drain() -> bool:
    try:
        tk.enqueue_job(
            drain_outbox, [], title="layananpublik social outbox drain",
            queue=tk.config.get("ckanext.layananpublik.social.queue"),
        )  # fmt: skip
        return True
    except Exception:  # Redis down: the rows are stored; cron's drain sends them
        log.exception("could not queue the social outbox drain")
        return False


def request_drain() -> None:
    """Ask for a drain once the current transaction commits."""
    aftercommit.on_commit(outbox.FLAG, enqueue_drain)
    model.Session.info[outbox.FLAG] = True
