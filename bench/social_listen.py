"""Listening (issue 18): import 10,000 citizens' replies spread over 500 published posts with
two worker processes, from the local fake Mastodon (tests/social/fakes.py: the real
/api/v1/statuses/:id/context), then check that every reply was imported exactly once.

The posts are seeded as published on one Mastodon channel (credential encrypted by
`ckan layananpublik social rotate-keys`); the two workers are `ckan layananpublik
social-outbox drain` processes started together, each following the posts, claiming them
(FOR UPDATE SKIP LOCKED, leases) and importing their replies. The rate is counted from the
first context read the fake receives to the end of the last worker (CKAN's start-up is
reported apart). `LP_BENCH_LISTEN_POSTS` and `LP_BENCH_LISTEN_REPLIES` (per post) change the
numbers, `LP_BENCH_LISTEN_DELAY` adds a platform answer time in seconds (default 0.005).
Figures go to reports/bench-social-listen.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import uuid

from bench.common import bench_stack, ckan
from bench.social import last_lines, run_drains
from devstack.procs import ROOT

REPORT = ROOT / "reports" / "bench-social-listen.json"
POSTS = int(os.environ.get("LP_BENCH_LISTEN_POSTS", 500))
REPLIES = int(os.environ.get("LP_BENCH_LISTEN_REPLIES", 20))
DELAY = float(os.environ.get("LP_BENCH_LISTEN_DELAY", 0.005))
WORKERS = 2


def _seed(url: str, fake) -> set[str]:
    """One Mastodon channel, POSTS published posts, REPLIES replies to each on the fake."""
    import sqlalchemy as sa

    from tests.social.fakes import TOKENS, settings_for

    engine = sa.create_engine(url)
    now = dt.datetime.now(dt.timezone.utc)
    expected = set()
    with engine.begin() as conn:
        for table in ("social_feedback_event", "social_feedback", "social_listen", "social_log", "social_post",
                      "social_channel"):  # fmt: skip
            conn.execute(sa.text(f"DELETE FROM layananpublik_{table}"))
        cid = str(uuid.uuid4())
        conn.execute(
            sa.text(
                "INSERT INTO layananpublik_social_channel (id, title, platform, settings, secret, language,"
                " active, created_at, updated_at) VALUES (:id, 'bench', 'mastodon', CAST(:s AS jsonb), :k, 'id',"
                " true, :n, :n)"
            ),
            {"id": cid, "k": TOKENS["mastodon"], "n": now, "s": json.dumps(settings_for("mastodon", fake.url))},
        )
        rows = []
        for i in range(POSTS):
            remote = str(10_000_000 + i)
            rows.append({"id": str(uuid.uuid4()), "c": cid, "n": now, "r": remote, "t": f"bench post {i}"})
            for n in range(REPLIES):
                text = f"bench reply {i:04d}-{n:03d}"
                fake.add_reply("mastodon", remote, text, author=f"warga{n}")
                expected.add(text)
        conn.execute(
            sa.text(
                "INSERT INTO layananpublik_social_post (id, channel_id, event, text, status, next_attempt_at,"
                " created_at, updated_at, published_at, remote_id) VALUES (:id, :c, 'created', :t, 'published',"
                " :n, :n, :n, :n, :r)"
            ),
            rows,
        )
    return expected


def _imported(url: str) -> list[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        return [t for (t,) in conn.execute(sa.text("SELECT text FROM layananpublik_social_feedback"))]


def main() -> None:
    from tests.social.fakes import FakePlatforms

    fake = FakePlatforms(delay=DELAY)
    reads: list[float] = []
    original = fake.mastodon

    def timed(h, method, *args):
        if method == "GET":
            reads.append(time.monotonic())
        return original(h, method, *args)

    fake.mastodon = timed
    try:
        with bench_stack("ckan_bench_social_listen") as env:
            url = env["CKAN_SQLALCHEMY_URL"]
            expected = _seed(url, fake)
            ckan(env, "layananpublik", "social", "rotate-keys")
            started = time.monotonic()
            outputs = run_drains(env, WORKERS)
            ended = time.monotonic()
            imported = _imported(url)
    finally:
        fake.close()
    duplicates = len(imported) - len(set(imported))
    lost = len(expected - set(imported))
    span = ended - min(reads) if reads else float("nan")
    figures = {
        "posts": POSTS,
        "replies": len(expected),
        "workers": WORKERS,
        "platform_delay_s": DELAY,
        "imported": len(imported),
        "duplicates": duplicates,
        "lost": lost,
        "context_reads": len(reads),
        "import_seconds": round(span, 2),
        "replies_per_second": round(len(expected) / span, 1),
        "wall_seconds_with_ckan_startup": round(ended - started, 2),
        "per_worker": last_lines(outputs),
        "load_average": os.getloadavg()[0],
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    for key, value in figures.items():
        print(f"{key:32} {value}")
    if duplicates or lost or len(imported) != len(expected):
        raise SystemExit("social listening benchmark: duplicates or losses")
