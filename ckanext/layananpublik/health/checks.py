"""One check per component; each returns a Check and never raises. A component is "up"
when it answers, and for the workers when nothing waits for them longer than
`ckanext.layananpublik.health.stall_seconds`. Solr is checked when the catalogue is searched
with it (the plugin layananpublik_search off)."""

from __future__ import annotations

import datetime as dt
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
import redis
import requests
import sqlalchemy as sa
from ckan import model
from ckan.lib import jobs
from rq import Queue, Worker
from rq.registry import ScheduledJobRegistry
from rq.scheduler import RQScheduler

from ckanext.layananpublik.cases import outbox


@dataclass
class Check:
    ok: bool
    detail: str
    seconds: float = 0.0


def _timeout() -> int:
    return tk.config.get("ckanext.layananpublik.health.timeout_seconds")


def _stall() -> int:
    return tk.config.get("ckanext.layananpublik.health.stall_seconds")


def _redis() -> redis.Redis:
    return redis.Redis.from_url(
        tk.config.get("ckan.redis.url"), socket_timeout=_timeout(), socket_connect_timeout=_timeout()
    )


def postgresql() -> Check:
    with model.meta.engine.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar()
    return Check(True, tk._("PostgreSQL {version} answers").format(version=version))


def redis_server() -> Check:
    conn = _redis()
    try:
        conn.ping()
        return Check(
            True, tk._("Redis {version} answers").format(version=conn.info("server")["redis_version"])
        )
    finally:
        conn.close()


def job_queue() -> Check:
    """Workers listening on the default queue, RQ's scheduler (retries wait for it), and
    the age of the oldest queued job."""
    conn = _redis()
    try:
        queue = Queue(jobs.add_queue_name_prefix(jobs.DEFAULT_QUEUE_NAME), connection=conn)
        workers = [w for w in Worker.all(connection=conn) if queue.name in w.queue_names()]
        scheduler = bool(conn.exists(RQScheduler.get_locking_key(queue.name)))
        scheduled = ScheduledJobRegistry(queue=queue).count
        queued, oldest = queue.count, _oldest_job_age(queue)
    finally:
        conn.close()
    detail = tk._(
        "{workers} workers, scheduler {scheduler}; {queued} jobs queued (oldest {age:.0f} s), {scheduled} waiting "
        "for a retry"
    ).format(workers=len(workers), scheduler=tk._("running") if scheduler else tk._("not running"),
             queued=queued, age=oldest, scheduled=scheduled)  # fmt: skip
    return Check(bool(workers) and oldest < _stall() and (scheduler or scheduled == 0), detail)


def _oldest_job_age(queue: Queue) -> float:
    ids = queue.get_job_ids(0, 1)
    job = queue.fetch_job(ids[0]) if ids else None
    if job is None or job.enqueued_at is None:
        return 0.0
    enqueued = job.enqueued_at if job.enqueued_at.tzinfo else job.enqueued_at.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (dt.datetime.now(dt.timezone.utc) - enqueued).total_seconds())


def _rows(sql: str, **params) -> list:
    """The rows of one query, on a connection of its own (no session left in a transaction)."""
    with model.meta.engine.connect() as conn:
        return conn.execute(sa.text(sql), params).all()


def social_worker() -> Check:
    """The drainer is alive when no post is overdue: none queued past its time, none left
    `sending` past its lease, by more than the stall time."""
    if not tk.config.get("ckanext.layananpublik.social.enabled"):
        return Check(True, tk._("social posts are disabled"))
    late = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=_stall())
    [row] = _rows(
        "SELECT count(*) AS n, min(coalesce(p.lease_until, p.next_attempt_at)) AS since "
        "FROM layananpublik_social_post p JOIN layananpublik_social_channel c ON c.id = p.channel_id "
        "WHERE c.active AND ((p.status = 'queued' AND p.next_attempt_at < :late) "
        "OR (p.status = 'sending' AND p.lease_until < :late))",
        late=late,
    )
    if row.n:
        return Check(False, tk._("{count} posts overdue since {since:%Y-%m-%d %H:%M} UTC: is the drainer running?")
                     .format(count=row.n, since=row.since))  # fmt: skip
    return Check(True, tk._("no post overdue"))


READS_FAILING = 3  # reads of one post (or Telegram channel) failed in a row: the check is down


def _listening_platforms() -> list[str]:
    from ckanext.layananpublik.social import adapters

    return [name for name, cls in adapters.REGISTRY.items() if cls.listens]


def social_listen() -> Check:
    """Reading the replies to the body's posts (social/listen.py), per channel: the posts
    followed, the last read that succeeded, the reads failing (their last error, the next
    try). Down when a read waits past its time longer than the stall time (no social worker
    reading) or has failed READS_FAILING times in a row (a revoked token, a removed post)."""
    if not (tk.config.get("ckanext.layananpublik.social.enabled")
            and tk.config.get("ckanext.layananpublik.social.listen_enabled")):  # fmt: skip
        return Check(True, tk._("reading replies is disabled"))
    now = dt.datetime.now(dt.timezone.utc)
    age = dt.timedelta(days=tk.config.get("ckanext.layananpublik.social.listen_max_age_days"))
    late = now - dt.timedelta(seconds=_stall())
    rows = _rows(
        "SELECT c.title, c.platform, "
        "(SELECT count(*) FROM layananpublik_social_post p WHERE p.channel_id = c.id "
        " AND p.status = 'published' AND p.event <> 'reply' AND p.published_at > :young) AS posts, "
        "max(l.last_polled_at) FILTER (WHERE l.last_error IS NULL) AS last_ok, "
        "count(*) FILTER (WHERE l.last_error IS NOT NULL) AS failing, "
        "max(l.attempts) AS attempts, "
        "(array_agg(l.last_error ORDER BY l.last_polled_at DESC) FILTER (WHERE l.last_error IS NOT NULL))[1] "
        " AS error, "
        "min(l.next_poll_at) FILTER (WHERE l.last_error IS NOT NULL) AS next_try, "
        "count(*) FILTER (WHERE greatest(l.next_poll_at, coalesce(l.lease_until, l.next_poll_at)) < :late) "
        " AS overdue, "
        "min(greatest(l.next_poll_at, coalesce(l.lease_until, l.next_poll_at))) AS since "
        "FROM layananpublik_social_listen l JOIN layananpublik_social_channel c ON c.id = l.channel_id "
        "WHERE c.active AND l.stop_at > :now GROUP BY c.id, c.title, c.platform ORDER BY c.title",
        now=now, young=now - age, late=late,
    )  # fmt: skip
    # Published before the stall time and still unread: follow() never ran (no worker).
    [unread] = _rows(
        "SELECT count(*) AS n, min(p.published_at) AS since FROM layananpublik_social_post p "
        "JOIN layananpublik_social_channel c ON c.id = p.channel_id "
        "WHERE c.active AND c.platform = ANY(:platforms) AND p.status = 'published' "
        "AND p.event <> 'reply' AND p.remote_id IS NOT NULL AND p.published_at > :young "
        "AND p.published_at < :late AND NOT EXISTS (SELECT 1 FROM layananpublik_social_listen l "
        "WHERE l.post_id = p.id OR l.id = 'channel:' || c.id)",
        platforms=_listening_platforms(), young=now - age, late=late,
    )  # fmt: skip
    parts, overdue, failing = [], unread.n, False
    if unread.n:
        parts.append(tk._("{count} posts published since {since:%Y-%m-%d %H:%M} UTC not yet followed: is the social "
                          "worker running?").format(count=unread.n, since=unread.since))  # fmt: skip
    elif not rows:
        return Check(True, tk._("no post is followed for replies"))
    for row in rows:
        last = f"{row.last_ok:%Y-%m-%d %H:%M} UTC" if row.last_ok else tk._("never")
        part = tk._("{channel} ({platform}): {posts} posts followed, last read {last}").format(
            channel=row.title, platform=row.platform, posts=row.posts, last=last)  # fmt: skip
        if row.failing:
            part += "; " + tk._("{count} reads failing ({attempts} tries): {error}; next try {next} UTC").format(
                count=row.failing, attempts=row.attempts, error=row.error, next=f"{row.next_try:%Y-%m-%d %H:%M}")  # fmt: skip
            failing = failing or row.attempts >= READS_FAILING
        if row.overdue:
            part += "; " + tk._("{count} reads overdue since {since:%Y-%m-%d %H:%M} UTC: is the social worker "
                                "running?").format(count=row.overdue, since=row.since)  # fmt: skip
            overdue += row.overdue
        parts.append(part)
    return Check(overdue == 0 and not failing, " | ".join(parts))


def mail_relay() -> Check:
    """Connects, greets and (when configured) starts TLS and logs in; sends nothing."""
    server = tk.config.get("smtp.server") or "localhost"
    host, _, port = server.partition(":")
    with smtplib.SMTP(host, int(port or 25), timeout=_timeout()) as smtp:
        smtp.ehlo()
        if tk.config.get("smtp.starttls"):
            smtp.starttls()
            smtp.ehlo()
        if tk.config.get("smtp.user"):
            smtp.login(tk.config.get("smtp.user"), tk.config.get("smtp.password") or "")
        code, _ = smtp.noop()
    return Check(code == 250, tk._("mail relay {server} answers").format(server=server))


def mail_outbox() -> Check:
    """The email outbox (cases/outbox.py) is drained: no email due for longer than the stall
    time (no drainer running), none given up after all its retries."""
    backlog = outbox.backlog(_stall())
    detail = tk._(
        "{unsent} emails unsent (oldest {age:.0f} s), {overdue} overdue, {failed} failed after every retry"
    ).format(unsent=backlog["unsent"], age=backlog["oldest_seconds"], overdue=backlog["overdue"],
             failed=backlog["failed"])  # fmt: skip
    if backlog["failed"]:
        detail += " " + tk._("(put them back with `ckan layananpublik mail-outbox retry`)")
    return Check(backlog["overdue"] == 0 and backlog["failed"] == 0, detail)


def solr() -> Check:
    """Solr's ping (`<solr_url>/admin/ping`) when the catalogue is searched with Solr."""
    if plugins.plugin_loaded("layananpublik_search"):
        return Check(True, tk._("not used: the catalogue is searched in PostgreSQL (layananpublik_search)"))
    url = (tk.config.get("solr_url") or "").rstrip("/")
    if not url:
        return Check(False, tk._("solr_url is not set"))
    user = tk.config.get("solr_user")
    response = requests.get(f"{url}/admin/ping", params={"wt": "json"}, timeout=_timeout(),
                            auth=(user, tk.config.get("solr_password") or "") if user else None)  # fmt: skip
    try:
        status = response.json().get("status")
    except ValueError:
        status = None
    shown = url.split("@")[-1]  # no credentials in the detail
    return Check(response.status_code == 200 and status == "OK", tk._("Solr {url} answers {status}").format(
        url=shown, status=status or f"HTTP {response.status_code}"))  # fmt: skip


CHECKS: dict[str, Callable[[], Check]] = {
    "postgresql": postgresql,
    "redis": redis_server,
    "job_queue": job_queue,
    "social_worker": social_worker,
    "social_listen": social_listen,
    "mail_relay": mail_relay,
    "mail_outbox": mail_outbox,
    "solr": solr,
}


def run(names: list[str] | None = None) -> dict[str, Check]:
    results = {}
    for name in names or CHECKS:
        started = time.perf_counter()
        try:
            result = CHECKS[name]()
        except Exception as exc:  # noqa: BLE001 - any failure means "down", with its reason
            result = Check(False, f"{type(exc).__name__}: {exc}".strip()[:300])
            if name in ("postgresql", "social_worker", "social_listen", "mail_outbox"):
                model.Session.remove()
        result.seconds = round(time.perf_counter() - started, 3)
        results[name] = result
    return results
