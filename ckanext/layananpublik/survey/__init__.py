"""The satisfaction survey (Survei Kepuasan Masyarakat, PermenPAN-RB 14/2017).

- rules.py: the nine service elements (unsur), the 1–4 scale, the index formula and grades;
- model.py: anonymous responses, and the mark that a request answered (kept apart);
- action.py / auth.py / schema.py: answer once after the decision; the published index;
  the body's officers' list of anonymous responses;
- invitation.py: the invitation in the decision email and on the tracking page;
- views.py: the survey form (/survei/lacak/<token>, /survei/saya/<id>) and the officers' list.
"""

from __future__ import annotations

from ckanext.layananpublik.cases import faces

actions = faces.actions(__name__)
auth_functions = faces.auth_functions(__name__)
blueprints = faces.blueprints(__name__)


def helpers() -> dict:
    from ckanext.layananpublik.survey import invitation

    return invitation.helpers()
