"""The kernel every case type (requests, objections, complaints) shares.

- lookup.py: finding a case by id, tracking token or registration number; tokens;
- numbers.py: gap-free registration numbers per body, kind and year;
- events.py: the append-only history, written through one function;
- dictize.py: the common parts of a case's dict (body, history, days left);
- schema.py / validators.py / auth.py: the common schema parts, field validators and
  questions of the auth functions; ratelimit.py: submission limits (Redis);
- clock.py: now and "today" in the body's time zone; formatting.py / labels.py: dates,
  money and translated code labels for pages and emails; mail.py: emails written with the
  case change, reminders; outbox.py: the email outbox the workers drain (exactly once, as far
  as SMTP allows); cli.py: `ckan layananpublik mail-outbox drain | retry`;
- files.py: uploads checked by content, stored outside the web root;
- timeouts.py: a statement timeout on every query of an anonymous web request.
- memory.py: what a web process keeps for itself between requests, bounded (feeds, search).

It has no actions or pages of its own: plugin.py wires its template helpers, commands and,
through install(app), the public statement timeout and the app emails are written in.
"""

from __future__ import annotations


def helpers() -> dict:
    from ckanext.layananpublik.cases import formatting, labels

    return {**formatting.helpers(), **labels.helpers()}


def commands() -> list:
    from ckanext.layananpublik.cases import cli

    return [cli.mail_outbox]


def install(app) -> None:
    from ckanext.layananpublik.cases import mail, timeouts

    timeouts.install(app)
    mail.install(app)
