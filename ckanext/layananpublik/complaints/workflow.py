"""The workflow of complaints (pengaduan): their statuses, each once with its label, and
which may follow which."""

from __future__ import annotations

from ckanext.layananpublik.cases.labels import N_

STATUS_LABELS = {
    "received": N_("Received"),
    "in_follow_up": N_("In follow-up"),
    "resolved": N_("Resolved"),
    "rejected": N_("Rejected"),
}
# The steps of a complaint's history, as its pages name them.
EVENT_LABELS = {
    "submitted": N_("Received"),
    **{f"status_{status}": label for status, label in STATUS_LABELS.items()},
}
# Where a complaint came from (Complaint.source; stored None for the form, shown as "form").
SOURCE_LABELS = {
    "form": N_("Complaint form"),
    "social_media": N_("Social media"),  # a citizen's reply turned into a complaint by an officer
}
# The sources of a complaint an officer records (layananpublik_complaint_record), not the form.
RECORDED_SOURCES = tuple(source for source in SOURCE_LABELS if source != "form")
LABELS = {"complaint_status": STATUS_LABELS, "complaint_event": EVENT_LABELS, "complaint_source": SOURCE_LABELS}

STATUSES = tuple(STATUS_LABELS)
CLOSED = ("resolved", "rejected")
OPEN = ("received", "in_follow_up")
# received → in follow-up → resolved / rejected; a closed complaint may be reopened.
TRANSITIONS = {
    "received": ("in_follow_up", "resolved", "rejected"),
    "in_follow_up": ("resolved", "rejected"),
    "resolved": ("in_follow_up",),
    "rejected": ("in_follow_up",),
}
