"""Requests for public information (permohonan informasi publik, Pasal 21–22 UU 14/2008).

- model.py: the request, its history, files and reminders;  workflow.py: statuses,
  transitions and every code list with its labels;
- action.py / auth.py / schema.py / validators.py: the one door to the data;
- dictize.py: the public register entry and the full request;  register.py: the legal
  register, statistics and deadline recomputation (SQL over many rows);
- jobs.py: emails to the requester and reminders to officers;  history.py: history lines (template helpers);
- views/public.py: /permohonan (citizens);  views/officer.py: /ppid (officers).
"""

from __future__ import annotations

from ckanext.layananpublik.cases import faces

actions = faces.actions(__name__)
auth_functions = faces.auth_functions(__name__)


def blueprints() -> list:
    from ckanext.layananpublik.requests.views import officer, public

    return [public.bp, officer.bp]


def helpers() -> dict:
    from ckanext.layananpublik.requests import history

    return history.helpers()
