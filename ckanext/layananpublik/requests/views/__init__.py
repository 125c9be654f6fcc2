"""Web pages of the request service: the citizen's side (public.py, /permohonan/...) and
the officers' side (officer.py, /ppid/...). Both only call actions."""

from ckanext.layananpublik.requests.views import objections, officer, public


def blueprints() -> list:
    return [public.bp, officer.bp, objections.objection_bp, objections.complaint_bp]
