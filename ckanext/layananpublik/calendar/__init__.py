"""Working days (DOMAIN: "Working days"): deadlines counted Monday–Friday minus national
holidays and cuti bersama, with the administrators' calendar on top.

- deadlines.py: WorkingCalendar, Deadline and the legal periods (pure logic);
- model.py / store.py: the administrators' entries and the calendar built from them;
- ical.py: iCalendar import;  action.py / auth.py / schema.py;  views.py: /ppid/kalender.
"""

from __future__ import annotations

from ckanext.layananpublik.cases import faces

actions = faces.actions(__name__)
auth_functions = faces.auth_functions(__name__)
blueprints = faces.blueprints(__name__)
