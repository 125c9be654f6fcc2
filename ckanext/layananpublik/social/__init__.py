"""Posts of new public datasets to the body's social channels through an outbox (issue 8).

What plugin.py wires from this package: actions(), auth_functions(), blueprints(),
helpers() and commands() (click commands added under `ckan layananpublik`).

- model.py: channels, the outbox and its audit log;  adapters/: one class per platform;
- eligibility.py: which dataset events are posted;  texts.py: the Jinja post texts;
- outbox.py: writing rows with the dataset, claiming and sending them (no double, no loss);
- jobs.py: RQ drain jobs;  action.py (not actions.py: that name is the wiring function
  below) / auth.py / schema.py;  views.py: /ppid/sosial;
- egress.py: where adapters may connect (https, public addresses, the site's allow-list);
- credentials.py: channel credentials encrypted at rest;  links.py: which addresses are links;
- listen.py: reading the replies to published posts (with the drain);  inbound.py: the signed
  inbound webhook;  feedback.py: the officers' inbox actions (issue 18);
- cli.py: `ckan layananpublik social-outbox list|retry|cancel|drain`,
  `ckan layananpublik social new-key|rotate-keys`.
"""

from __future__ import annotations

from ckanext.layananpublik.cases.faces import ours


def actions() -> dict:
    from ckanext.layananpublik.social import action, feedback

    return ours(action, feedback)


def auth_functions() -> dict:
    from ckanext.layananpublik.social import auth as module

    return ours(module)


def blueprints() -> list:
    from ckanext.layananpublik.social import views

    return [views.bp]


def helpers() -> dict:
    from ckanext.layananpublik.social import views

    return views.helpers()


def commands() -> list:
    from ckanext.layananpublik.social import cli

    return [cli.social_outbox, cli.social]


def dataset_changed(context: dict, pkg_dict: dict, created: bool) -> None:
    """Called (IPackageController) after a dataset is created or updated, inside the same
    transaction: writes the outbox rows, and a drain job is queued once it commits."""
    from ckan import model

    from ckanext.layananpublik.social import jobs, outbox

    pkg = model.Package.get(pkg_dict.get("id") or pkg_dict.get("name") or "")
    if pkg is None:
        return
    if outbox.record_dataset_event(pkg, context.get("user") or None):
        jobs.request_drain()
