"""The names of CKAN's activity types, as the activity streams' filter shows them.

CKAN's activity plugin lists the types a stream can be filtered on by their internal names,
title-cased ("Changed Package", "New Organization"): English on every site. These are the
same types in words a reader of either language understands.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

# CKAN 2.11's types (ckanext.activity.logic.validators.object_id_validators).
LABELS = {
    "new package": lambda: tk._("Dataset created"),
    "changed package": lambda: tk._("Dataset changed"),
    "deleted package": lambda: tk._("Dataset deleted"),
    "follow dataset": lambda: tk._("Dataset followed"),
    "new resource view": lambda: tk._("Resource view created"),
    "changed resource view": lambda: tk._("Resource view changed"),
    "deleted resource view": lambda: tk._("Resource view deleted"),
    "new user": lambda: tk._("User registered"),
    "changed user": lambda: tk._("User profile changed"),
    "follow user": lambda: tk._("User followed"),
    "new group": lambda: tk._("Group created"),
    "changed group": lambda: tk._("Group changed"),
    "deleted group": lambda: tk._("Group deleted"),
    "follow group": lambda: tk._("Group followed"),
    "new organization": lambda: tk._("Public body created"),
    "changed organization": lambda: tk._("Public body changed"),
    "deleted organization": lambda: tk._("Public body deleted"),
    "follow organization": lambda: tk._("Public body followed"),
}


def layananpublik_activity_type_label(activity_type: str) -> str:
    """An activity type in the page's language; a type of a newer CKAN as CKAN shows it."""
    label = LABELS.get(activity_type)
    return label() if label else activity_type.title()
