"""Is the deployment alive: PostgreSQL, Redis, the job queue, the social worker and the mail
relay (issue 20), for the deployment's monitoring; and the job worker production runs.

What plugin.py wires from this package: actions(), auth_functions(), blueprints() and
commands() (added under `ckan layananpublik`).

- checks.py: one function per component, each bounded by a short timeout;
- action.py / auth.py: `layananpublik_health_show` (anyone: up or down; sysadmins: details);
- views.py: GET /layananpublik/health, 200 when everything is up, 503 otherwise;
- cli.py: `ckan layananpublik health` (exit code 0 / 1), `ckan layananpublik jobs-worker` and
  `jobs-scheduler` (RQ's scheduler, which jobs retried with an interval need: `ckan jobs worker`
  runs none); workers.py: both, kept registered through a Redis restart;
- unavailable.py: a PostgreSQL or Redis outage answered 503 + Retry-After, not 500.
"""

from __future__ import annotations


def actions() -> dict:
    from ckanext.layananpublik.health import action

    return {"layananpublik_health_show": action.layananpublik_health_show}


def auth_functions() -> dict:
    from ckanext.layananpublik.health import auth

    return {"layananpublik_health_show": auth.layananpublik_health_show}


def blueprints() -> list:
    from ckanext.layananpublik.health import views

    return [views.bp]


def commands() -> list:
    from ckanext.layananpublik.health import cli

    return [cli.health_command, cli.jobs_worker_command, cli.jobs_scheduler_command]
