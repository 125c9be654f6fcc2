"""Emails of complaints to the complainant."""

from __future__ import annotations

from ckanext.layananpublik.cases import mail
from ckanext.layananpublik.cases.labels import N_, layananpublik_label
from ckanext.layananpublik.complaints.model import Complaint


def notify_complaint_received(complaint: Complaint, body_title: str, url: str) -> bool:
    return mail.notify(
        complaint.name, complaint.email, complaint.language,
        N_("Your complaint {number} has been received"),
        N_("Dear {name},\n\n{body} has received your complaint {number}. Follow it here:\n{url}\n\n{site}"),
        lambda: {"body": body_title, "number": complaint.registration_number, "url": url},
    )  # fmt: skip


def notify_complaint_answered(complaint: Complaint, body_title: str) -> bool:
    return mail.notify(
        complaint.name, complaint.email, complaint.language,
        N_("Complaint {number}: {status}"),
        N_("Dear {name},\n\n{body} answered your complaint {number}:\n\n{response}\n\n{site}"),
        lambda: {"body": body_title, "number": complaint.registration_number, "response": complaint.response,
                 "status": layananpublik_label("complaint_status", complaint.status).lower()},
    )  # fmt: skip
