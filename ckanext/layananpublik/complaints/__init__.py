"""Complaints about the public service (pengaduan, UU 25/2009).

- model.py;  workflow.py: statuses, transitions and labels;
- action.py / auth.py / schema.py;  jobs.py: emails to the complainant;
- filing.py: registering a complaint, from the form (layananpublik_complaint_create) or from
  another channel (layananpublik_complaint_record: social/ turns a reply into a complaint);
- views.py: the complaint form and tracking page, the handlers' inbox.
"""

from __future__ import annotations

from ckanext.layananpublik.cases import faces

actions = faces.actions(__name__)
auth_functions = faces.auth_functions(__name__)
blueprints = faces.blueprints(__name__)
