"""Who may do what with the satisfaction survey.

- the requester of a decided request (holding its tracking token, or signed in as the account
  that filed it): answer once, and see whether they have;
- anyone: the published index of a body and year (aggregates only, from N responses up);
- the body's information officers and its superior: the anonymous responses with their
  suggestions (never who gave them: the data does not say);
- sysadmins: everything (CKAN grants it before these functions run).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.layananpublik.cases.auth import ALLOW, anyone, deny, is_requester, staff_of
from ckanext.layananpublik.cases.labels import N_


@tk.auth_allow_anonymous_access
def layananpublik_survey_submit(context: Any, data_dict: dict) -> dict:
    if is_requester(context, data_dict):
        return ALLOW
    return deny(tk._("Only the requester answers the survey about their request"))


layananpublik_survey_status = layananpublik_survey_submit
layananpublik_survey_index = anyone
layananpublik_survey_response_list = staff_of(
    "officer",
    "superior",
    message=N_("Only the information officers of this public body see its survey responses"),
)
