"""`ckan layananpublik feed-descriptions sync`: the kept dataset descriptions (descriptions.py)."""

from __future__ import annotations

import contextlib

import click


@click.group("feed-descriptions", short_help="Dataset descriptions kept for the feeds.")
def feed_descriptions() -> None:
    """Dataset descriptions rendered for the feeds and kept in the database (docs/feeds.md)."""


@feed_descriptions.command("sync")
@click.option("--batch", default=500, show_default=True, help="Datasets read and committed at a time.")
@click.pass_context
def sync_command(ctx: click.Context, batch: int) -> None:
    """Render the description of every public dataset that has none kept (datasets saved
    before the descriptions were rendered at save, or after an upgrade of Markdown, bleach
    or the renderer), and delete the kept descriptions no public dataset uses any more.
    From cron (daily), and once after such an upgrade."""
    from ckanext.layananpublik.feeds import descriptions

    app = ctx.meta.get("flask_app")  # CKAN's auto-links build URLs (`ckan` gives its app)
    with app.test_request_context() if app else contextlib.nullcontext():
        counts = descriptions.sync(batch)
    click.echo(", ".join(f"{key}: {value}" for key, value in counts.items()))
