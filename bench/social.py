"""Social outbox: drain 1,000 queued posts with two worker processes against the local
fake platforms (tests/social/fakes.py: Mastodon, Telegram, Facebook, X, webhook, 200 posts
each), then check that every post was published exactly once and none was lost.

The channels' credentials are seeded in plaintext, then encrypted by `ckan layananpublik social
rotate-keys` (as after an upgrade), so every send decrypts its credential and passes the address
checks of social/egress.py (test.ini allow-lists 127.0.0.1, where the fake platforms listen).
The two workers are `ckan layananpublik social-outbox drain` processes started together;
the rate is counted between the first and the last post the fake platforms receive (CKAN's
start-up of a few seconds is reported apart). `LP_BENCH_SOCIAL_POSTS` changes the number,
`LP_BENCH_SOCIAL_DELAY` adds a platform answer time in seconds (default 0.005).
Figures go to reports/bench-social.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import time
import uuid

from bench.common import CKAN, INI, bench_stack, ckan
from devstack.procs import ROOT

REPORT = ROOT / "reports" / "bench-social.json"
POSTS = int(os.environ.get("LP_BENCH_SOCIAL_POSTS", 1000))
DELAY = float(os.environ.get("LP_BENCH_SOCIAL_DELAY", 0.005))
WORKERS = 2
PLATFORMS = ("mastodon", "telegram", "facebook", "x", "webhook")


def _seed(url: str, fake_url: str) -> list[str]:
    """Five site-wide channels pointing at the fake platforms and POSTS queued rows."""
    import sqlalchemy as sa

    from tests.social.fakes import TOKENS, settings_for

    engine = sa.create_engine(url)
    now = dt.datetime.now(dt.timezone.utc)
    markers = []
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM layananpublik_social_log"))
        conn.execute(sa.text("DELETE FROM layananpublik_social_post"))
        conn.execute(sa.text("DELETE FROM layananpublik_social_channel"))
        channels = []
        for platform in PLATFORMS:
            cid = str(uuid.uuid4())
            channels.append(cid)
            conn.execute(
                sa.text(
                    "INSERT INTO layananpublik_social_channel (id, title, platform, settings, secret, language,"
                    " active, created_at, updated_at) VALUES (:id, :t, :p, CAST(:s AS jsonb), :k, 'id', true, :n, :n)"
                ),
                {"id": cid, "t": f"bench {platform}", "p": platform, "k": TOKENS[platform], "n": now,
                 "s": json.dumps(settings_for(platform, fake_url))},
            )  # fmt: skip
        rows = []
        for i in range(POSTS):
            marker = f"bench-post-{i:05d}"
            markers.append(marker)
            rows.append({"id": str(uuid.uuid4()), "c": channels[i % len(channels)], "n": now,
                         "t": f"Dataset baru: {marker}\nhttps://data.example.go.id/dataset/{marker}"})  # fmt: skip
        conn.execute(
            sa.text(
                "INSERT INTO layananpublik_social_post (id, channel_id, event, text, status, next_attempt_at,"
                " created_at, updated_at) VALUES (:id, :c, 'created', :t, 'queued', :n, :n, :n)"
            ),
            rows,
        )
    return markers


def _statuses(url: str) -> dict[str, int]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        return dict(
            conn.execute(sa.text("SELECT status, count(*) FROM layananpublik_social_post GROUP BY 1")).all()
        )


def run_drains(env: dict, count: int) -> list[str]:
    """`ckan layananpublik social-outbox drain` in `count` processes started together; their
    outputs once all have ended."""
    workers = [
        subprocess.Popen([CKAN, "-c", INI, "layananpublik", "social-outbox", "drain"], env=env, cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(count)
    ]  # fmt: skip
    return [w.communicate(timeout=1800)[0] for w in workers]


def last_lines(outputs: list[str]) -> list[str]:
    return [out.strip().splitlines()[-1] if out.strip() else "" for out in outputs]


def main() -> None:
    from tests.social.fakes import FakePlatforms

    fake = FakePlatforms(delay=DELAY)
    arrivals: list[float] = []
    original = fake.publish

    def timed_publish(*args, **kwargs):
        arrivals.append(time.monotonic())
        return original(*args, **kwargs)

    fake.publish = timed_publish
    try:
        with bench_stack("ckan_bench_social") as env:
            url = env["CKAN_SQLALCHEMY_URL"]
            markers = _seed(url, fake.url)
            ckan(env, "layananpublik", "social", "rotate-keys")
            started = time.monotonic()
            outputs = run_drains(env, WORKERS)
            wall = time.monotonic() - started
            statuses = _statuses(url)
    finally:
        fake.close()
    per_marker = {m: fake.count(None, f"{m}\n") for m in markers}
    duplicates = sum(1 for n in per_marker.values() if n > 1)
    lost = sum(1 for n in per_marker.values() if n == 0)
    span = (max(arrivals) - min(arrivals)) if len(arrivals) > 1 else float("nan")
    shares = last_lines(outputs)
    figures = {
        "posts": POSTS,
        "workers": WORKERS,
        "platform_delay_s": DELAY,
        "published_on_platforms": fake.count(),
        "duplicates": duplicates,
        "lost": lost,
        "statuses": statuses,
        "drain_seconds": round(span, 2),
        "posts_per_second": round(POSTS / span, 1),
        "wall_seconds_with_ckan_startup": round(wall, 2),
        "per_worker": shares,
        "load_average": os.getloadavg()[0],
    }
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    for key in ("posts", "workers", "published_on_platforms", "duplicates", "lost", "statuses", "drain_seconds",
                "posts_per_second", "wall_seconds_with_ckan_startup", "per_worker", "load_average"):  # fmt: skip
        print(f"{key:32} {figures[key]}")
    if duplicates or lost or statuses != {"published": POSTS}:
        raise SystemExit("social outbox benchmark: duplicates or losses")
