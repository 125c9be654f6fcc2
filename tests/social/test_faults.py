"""Fault tests with real worker processes (`ckan layananpublik social-outbox drain`):
a worker killed while the platform holds its request, and two workers on one outbox.
Afterwards each dataset is published exactly once per channel (counted by the fake)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ckan import model

from ckanext.layananpublik.social import outbox
from ckanext.layananpublik.social.model import SocialPost, utcnow
from tests.social.conftest import PLATFORMS, make_channel, public_dataset

ROOT = Path(__file__).resolve().parents[2]
CKAN = str(Path(sys.executable).parent / "ckan")
pytestmark = pytest.mark.usefixtures("clean_redis")


def worker_ini(tmp_path: Path, **options) -> str:
    """test.ini (with its logging sections) plus the given options."""
    extra = "".join(f"{k} = {v}\n" for k, v in options.items())
    text = (ROOT / "test.ini").read_text().replace("[app:main]\n", f"[app:main]\n{extra}", 1)
    path = tmp_path / "worker.ini"
    path.write_text(text.replace("%(here)s", str(ROOT)))
    return str(path)


def start_worker(ini: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [CKAN, "-c", ini, "layananpublik", "social-outbox", "drain", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ), start_new_session=True,
    )  # fmt: skip


def kill_while_held(fake, tmp_path: Path) -> None:
    """Start a worker (lease 30 s), kill it once the platform holds its request, release it."""
    worker = start_worker(worker_ini(tmp_path, **{"ckanext.layananpublik.social.lease_seconds": 30}))
    try:
        assert fake.arrived.wait(60), worker.stdout.read1().decode() if worker.stdout else ""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    fake.release()


def statuses() -> dict[str, str]:
    model.Session.expire_all()
    rows = model.Session.query(SocialPost).all()
    model.Session.commit()
    return {r.id: r.status for r in rows}


@pytest.mark.parametrize(
    ("platform", "after_recovery"),
    [("mastodon", "published"), ("webhook", "unknown"), ("telegram", "unknown"), ("x", "unknown"),
     ("facebook", "published")],
)  # fmt: skip
def test_a_worker_killed_mid_send_never_causes_a_second_post(body, fake, tmp_path, platform, after_recovery):
    make_channel(fake, platform, body)
    dataset = public_dataset(body)
    fake.faults[platform].append("hold")  # the platform publishes, then holds the answer
    kill_while_held(fake, tmp_path)
    assert list(statuses().values()) == ["sending"]
    # Before the lease ends nobody touches it; afterwards the drain recovers it.
    assert outbox.drain() == {}
    outbox.drain(lambda: utcnow() + dt.timedelta(seconds=31))
    assert list(statuses().values()) == [after_recovery]
    outbox.drain(lambda: utcnow() + dt.timedelta(hours=3))
    assert fake.count(platform, f"/dataset/{dataset['name']}") == 1


def test_two_workers_on_one_outbox_post_everything_exactly_once(body, fake, tmp_path):
    fake.delay = 0.01
    for platform in PLATFORMS:
        make_channel(fake, platform, body)
    datasets = [public_dataset(body, name=f"data-{i:02d}", title=f"Data {i}") for i in range(12)]
    fake.faults["telegram"].extend(["429", "503"])  # a few retries in the middle
    ini = worker_ini(tmp_path, **{"ckanext.layananpublik.social.retry_base_seconds": 1})
    workers = [start_worker(ini, "--watch", "--max-sleep", "1") for _ in range(2)]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and set(statuses().values()) != {"published"}:
            time.sleep(0.1)
    finally:
        for w in workers:
            os.killpg(w.pid, signal.SIGTERM)
            w.wait(10)
    assert set(statuses().values()) == {"published"}
    assert fake.count() == len(datasets) * len(PLATFORMS)
    for dataset in datasets:
        for platform in PLATFORMS:
            assert fake.count(platform, f"/dataset/{dataset['name']}") == 1
    outputs = [w.stdout.read().decode() for w in workers]
    assert all("published" in out for out in outputs), outputs  # both workers took part


def test_two_workers_reading_replies_import_each_exactly_once(body, fake, tmp_path):
    from ckanext.layananpublik.social import listen
    from ckanext.layananpublik.social.model import SocialFeedback

    fake.delay = 0.02
    make_channel(fake, "mastodon", body)
    for i in range(20):
        public_dataset(body, name=f"data-{i:02d}", title=f"Data {i}")
    outbox.drain()
    model.Session.expire_all()
    posts = model.Session.query(SocialPost).all()
    model.Session.commit()
    for post in posts:
        for n in range(5):
            fake.add_reply("mastodon", post.remote_id, f"{post.remote_id} balasan {n}")
    fake.read_faults["mastodon"].extend(["429", "503"])
    ini = worker_ini(tmp_path, **{"ckanext.layananpublik.social.retry_base_seconds": 1})
    workers = [start_worker(ini, "--watch", "--max-sleep", "1") for _ in range(2)]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            model.Session.expire_all()
            count = model.Session.query(SocialFeedback).count()
            model.Session.commit()
            if count >= 100:
                time.sleep(2)  # both keep running: a double would show now
                break
            time.sleep(0.1)
    finally:
        for w in workers:
            os.killpg(w.pid, signal.SIGTERM)
            w.wait(10)
    texts = [t for (t,) in model.Session.query(SocialFeedback.text)]
    assert len(texts) == len(set(texts)) == 100
    assert listen.poll(lambda: utcnow() + dt.timedelta(minutes=10)) == {"polled": 20}
    assert model.Session.query(SocialFeedback).count() == 100
    outputs = [w.stdout.read().decode() for w in workers]
    assert all("replies polled" in out for out in outputs), outputs


def test_a_worker_killed_mid_import_leaves_nothing_and_the_replies_come_once(body, fake, tmp_path):
    from ckanext.layananpublik.social import listen
    from ckanext.layananpublik.social.model import SocialFeedback, SocialListen

    make_channel(fake, "mastodon", body)
    public_dataset(body)
    outbox.drain()
    post = model.Session.query(SocialPost).one()
    model.Session.commit()
    for n in range(3):
        fake.add_reply("mastodon", post.remote_id, f"balasan {n}")
    fake.read_faults["mastodon"].append("hold")  # the worker's read waits on the platform
    fake.arrived.clear()  # set by the publication above; now: the worker's read arrived
    kill_while_held(fake, tmp_path)
    model.Session.expire_all()
    held = model.Session.query(SocialListen).one()
    assert held.lease_until is not None and model.Session.query(SocialFeedback).count() == 0
    model.Session.commit()
    assert listen.poll() == {}  # the lease still runs: nobody reads it twice meanwhile
    assert listen.poll(lambda: utcnow() + dt.timedelta(seconds=31)) == {"polled": 1}
    assert sorted(t for (t,) in model.Session.query(SocialFeedback.text)) == ["balasan 0", "balasan 1", "balasan 2"]
