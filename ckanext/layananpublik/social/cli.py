"""`ckan layananpublik social-outbox ...`: see, retry, cancel and drain the outbox."""

from __future__ import annotations

import time

import ckan.plugins.toolkit as tk
import click

from ckanext.layananpublik.social.model import STATUSES, utcnow


def _site_user() -> dict:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}


@click.group("social-outbox", short_help="Social-media outbox: list, retry, cancel, drain.")
def social_outbox() -> None:
    """The outbox of social-media posts (see docs/social.md)."""


@social_outbox.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only posts in this status.")
@click.option("--organization", help="Only this body's posts (name or id).")
@click.option("--limit", default=50, show_default=True)
def list_command(status: str | None, organization: str | None, limit: int) -> None:
    """Posts, newest first: id, status, tries, channel, dataset, remote URL or last error."""
    data = {"limit": limit, **({"status": status} if status else {})}
    if organization:
        data["organization_id"] = organization
    try:
        result = tk.get_action("layananpublik_social_post_list")(_site_user(), data)
    except tk.ValidationError as exc:
        raise click.BadParameter(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.error_dict.items())
        ) from None
    click.echo(f"{result['count']} posts")
    for post in result["results"]:
        detail = post["remote_url"] or post["last_error"] or ""
        click.echo(
            f"{post['id']}  {post['status']:<9} {post['attempts']:>2}  {post['platform']:<8} "
            f"{post['channel_title'][:20]:<20} {(post['package_name'] or '-')[:30]:<30} {detail[:80]}"
        )


@social_outbox.command("retry")
@click.argument("post_id")
def retry_command(post_id: str) -> None:
    """Send a failed, unknown or cancelled post again."""
    post = tk.get_action("layananpublik_social_post_retry")(_site_user(), {"id": post_id})
    click.echo(f"{post['id']}: {post['status']}")


@social_outbox.command("cancel")
@click.argument("post_id")
def cancel_command(post_id: str) -> None:
    """Cancel a post that has not been sent."""
    post = tk.get_action("layananpublik_social_post_cancel")(_site_user(), {"id": post_id})
    click.echo(f"{post['id']}: {post['status']}")


@social_outbox.command("drain")
@click.option("--watch", is_flag=True, help="Keep running: sleep until the next post is due.")
@click.option("--max-sleep", default=60, show_default=True, help="With --watch: longest sleep, seconds.")
def drain_command(watch: bool, max_sleep: int) -> None:
    """Send every due post now and read the replies to published posts (run it from cron
    every minute, or once with --watch)."""
    from ckanext.layananpublik.social import listen, outbox

    while True:
        counts = outbox.drain()
        counts.update({f"replies {k}": v for k, v in listen.poll().items()})
        if counts:
            click.echo(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "nothing due")
        elif not watch:
            click.echo("nothing due")
        if not watch:
            return
        due = min(filter(None, (outbox.next_due(), listen.next_due())), default=None)
        wait = max_sleep if due is None else (due - utcnow()).total_seconds()
        time.sleep(min(max(wait, 0.5), max_sleep))


@click.group("social", short_help="Social channels: credential keys.")
def social() -> None:
    """Social channels' credentials, encrypted at rest (see SECURITY.md)."""


@social.command("new-key")
def new_key_command() -> None:
    """Print a new key for ckanext.layananpublik.social.secret_keys."""
    from ckanext.layananpublik.social import credentials

    click.echo(credentials.new_key())


@social.command("rotate-keys")
def rotate_keys_command() -> None:
    """Re-encrypt every channel's credential with the first key of secret_keys (plaintext
    ones too). Run it after putting a new key first; then the old keys may be removed."""
    from ckan import model

    from ckanext.layananpublik.social import credentials
    from ckanext.layananpublik.social.model import SocialChannel

    try:
        credentials.encrypt("check")
    except credentials.CredentialError as exc:
        raise click.ClickException(str(exc)) from None
    channels = model.Session.query(SocialChannel).order_by(SocialChannel.id).with_for_update().all()
    done, unreadable = 0, []
    with click.progressbar(channels, label="Re-encrypting credentials") as bar:
        for channel in bar:
            if not channel.secret:
                continue
            try:
                channel.secret = credentials.reencrypt(channel.secret)
            except credentials.CredentialError:
                unreadable.append(channel)
                continue
            done += 1
    model.Session.commit()
    click.echo(f"{done} credentials encrypted with the first key")
    for channel in unreadable:
        click.echo(f"{channel.id} ({channel.title}): no configured key opens it; enter it again", err=True)
    if unreadable:
        raise SystemExit(1)
