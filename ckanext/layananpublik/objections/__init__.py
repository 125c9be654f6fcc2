"""Objections (keberatan, Pasal 35–38 UU 14/2008) and disputes before the Komisi Informasi.

- model.py;  workflow.py: grounds, decisions, dispute stages with their labels;
- rules.py: when a requester may object, on which grounds, until when (pure logic);
- action.py / auth.py / schema.py / dictize.py;  jobs.py: emails and the superior's reminders;
- views.py: the objection form and tracking page, the register, the superior's inbox.
"""

from __future__ import annotations

from ckanext.layananpublik.cases import faces

actions = faces.actions(__name__)
auth_functions = faces.auth_functions(__name__)
blueprints = faces.blueprints(__name__, "views", "objection_bp")
