"""Roles of a public body's staff: information officer (PPID), superior (Atasan PPID) and
complaint handler, given by the body's admins.

- model.py;  access.py: who holds which role (the answers every auth function asks for);
- action.py / auth.py;  views.py: /ppid/petugas/<body>.
"""

from __future__ import annotations

from ckanext.layananpublik.cases import faces

actions = faces.actions(__name__)
auth_functions = faces.auth_functions(__name__)
blueprints = faces.blueprints(__name__)
