"""Channel credentials encrypted at rest (issue 16, item 3): stored as Fernet tokens, sent
decrypted; keys rotated with `ckan layananpublik social rotate-keys`; plaintext rows from
before encryption keep working and are encrypted by the migration."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests.helpers import call_action
from cryptography.fernet import Fernet

from ckanext.layananpublik.social import outbox
from ckanext.layananpublik.social.model import SocialChannel, SocialPost
from tests.conftest import migrate
from tests.social.conftest import make_channel, public_dataset
from tests.social.fakes import TOKENS

pytestmark = pytest.mark.usefixtures("clean_redis")
KEYS = "ckanext.layananpublik.social.secret_keys"
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def stored_secret(channel_id: str) -> str:
    model.Session.expire_all()
    value = model.Session.execute(
        sa.text("SELECT secret FROM layananpublik_social_channel WHERE id = :id"), {"id": channel_id}
    ).scalar()
    model.Session.commit()
    return value


def rotate(cli) -> object:
    from ckanext.layananpublik.social.cli import social

    return cli.invoke(social, ["rotate-keys"])


def test_a_credential_is_stored_encrypted_and_sent_decrypted(body, fake):
    channel = make_channel(fake, "mastodon", body)
    secret = stored_secret(channel["id"])
    assert secret.startswith("fernet:")
    assert TOKENS["mastodon"] not in secret and TOKENS["mastodon"][-6:] not in secret
    public_dataset(body)
    assert outbox.drain() == {"published": 1}
    assert fake.requests[-1]["headers"]["Authorization"] == f"Bearer {TOKENS['mastodon']}"


def test_the_masked_credential_is_made_from_the_decrypted_one(body, fake):
    channel = make_channel(fake, "telegram", body)
    assert call_action("layananpublik_social_channel_show", id=channel["id"])["secret_masked"] == "123…ken"


def test_keys_rotate_without_losing_a_credential(body, fake, cli, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, KEYS, OLD)
    channel = make_channel(fake, "mastodon", body)
    before = stored_secret(channel["id"])
    # A new key first: the old one still decrypts what it encrypted.
    monkeypatch.setitem(ckan_config, KEYS, f"{NEW} {OLD}")
    public_dataset(body, name="anggaran-2025")
    assert outbox.drain() == {"published": 1}
    result = rotate(cli)
    assert result.exit_code == 0, result.output
    assert "1 credentials encrypted with the first key" in result.output
    after = stored_secret(channel["id"])
    assert after != before
    assert Fernet(NEW).decrypt(after.removeprefix("fernet:").encode()).decode() == TOKENS["mastodon"]
    # The old key removed: everything still works.
    monkeypatch.setitem(ckan_config, KEYS, NEW)
    public_dataset(body, name="anggaran-2026", title="Realisasi Anggaran 2026")
    assert outbox.drain() == {"published": 1}


def test_a_credential_no_configured_key_opens_fails_the_post_without_sending(
    body, fake, ckan_config, monkeypatch
):
    monkeypatch.setitem(ckan_config, KEYS, OLD)
    make_channel(fake, "mastodon", body)
    monkeypatch.setitem(ckan_config, KEYS, NEW)
    public_dataset(body)
    assert outbox.drain() == {"failed": 1}
    [post] = model.Session.query(SocialPost).all()
    assert "cannot be decrypted" in post.last_error
    assert fake.requests == []
    shown = call_action("layananpublik_social_channel_list")[0]
    assert (shown["has_secret"], shown["secret_masked"]) == (True, "cannot be decrypted: enter it again")


def test_a_plaintext_credential_from_before_still_works_and_rotation_encrypts_it(body, fake, cli):
    channel = make_channel(fake, "x", body)
    model.Session.query(SocialChannel).filter_by(id=channel["id"]).update({"secret": TOKENS["x"]})
    model.Session.commit()
    public_dataset(body)
    assert outbox.drain() == {"published": 1}
    assert call_action("layananpublik_social_channel_show", id=channel["id"])["secret_masked"] == "x-u…456"
    assert rotate(cli).exit_code == 0
    assert stored_secret(channel["id"]).startswith("fernet:")


def test_the_migration_encrypts_plaintext_rows_and_its_downgrade_restores_them(body, fake):
    from ckan.cli.db import _run_migrations  # what tests/conftest.py's migrate() calls

    from ckanext.layananpublik.social import credentials

    channel = make_channel(fake, "webhook", body)  # body: the plugin is loaded
    model.Session.remove()
    _run_migrations("layananpublik", "c5d7e9f1a3b5", forward=False)
    assert stored_secret(channel["id"]) == TOKENS["webhook"]
    model.Session.execute(sa.text("UPDATE layananpublik_social_channel SET secret = 'typed-before'"))
    model.Session.commit()
    migrate("layananpublik")
    secret = stored_secret(channel["id"])
    assert secret.startswith("fernet:") and credentials.decrypt(secret) == "typed-before"


def test_a_key_that_is_not_a_fernet_key_is_a_clear_error(body, fake, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, KEYS, f"{NEW} not-a-key")
    with pytest.raises(tk.ValidationError) as exc:
        make_channel(fake, "mastodon", body)
    assert exc.value.error_dict["secret"] == [
        "key number 2 of ckanext.layananpublik.social.secret_keys is not a Fernet key"
    ]


def test_new_key_prints_a_usable_key(cli):
    from ckanext.layananpublik.social.cli import social

    result = cli.invoke(social, ["new-key"])
    assert result.exit_code == 0
    key = result.output.strip()
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"
