"""Actions of the satisfaction survey (Survei Kepuasan Masyarakat, PermenPAN-RB 14/2017).

A requester answers once per request, only after its decision, by the request's tracking
token (or signed in as the account that filed it). The response is stored apart from the mark
that the request answered (model.py): it cannot be traced back. The index of a body and year
(NRR per unsur, IKM, grade: rules.py) is public only from
``ckanext.layananpublik.survey.min_responses`` responses; single responses are never public.
"""

from __future__ import annotations

import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ckanext.layananpublik.cases.clock import now, today
from ckanext.layananpublik.cases.schema import checked, validate
from ckanext.layananpublik.requests import action as requests
from ckanext.layananpublik.requests.model import InformationRequest
from ckanext.layananpublik.survey import rules
from ckanext.layananpublik.survey import schema as sch
from ckanext.layananpublik.survey.model import SurveyAnswered, SurveyResponse


def enabled() -> bool:
    return bool(tk.config.get("ckanext.layananpublik.survey.enabled"))


def min_responses() -> int:
    return max(1, int(tk.config.get("ckanext.layananpublik.survey.min_responses")))


def _request(context: Any, data_dict: dict, schema: dict, auth: str) -> tuple[InformationRequest, dict]:
    """The request answered about, found by its tracking token or id, access checked."""
    data = validate(data_dict, schema, context)
    ref = (
        {"tracking_token": data["tracking_token"]}
        if data.get("tracking_token")
        else {"id": data.get("request_id")}
    )
    row = requests.find(ref)
    tk.check_access(auth, context, requests.auth_dict(row, ref))
    return row, data


def _answered(row: InformationRequest) -> bool:
    return model.Session.get(SurveyAnswered, row.id) is not None


def _closed_because(row: InformationRequest) -> str | None:
    """Why this request's requester may not answer now; None when they may."""
    if not enabled():
        return tk._("The satisfaction survey is not open on this portal.")
    if row.is_spam or row.status != "decided":
        return tk._("The survey opens once your request has been decided.")
    if _answered(row):
        return tk._("You have answered the survey about this request. Thank you!")
    return None


@tk.side_effect_free
def layananpublik_survey_status(context: Any, data_dict: dict) -> dict:
    """Whether the requester of a request may answer the satisfaction survey now.

    :param tracking_token: the secret from the request's tracking link, or
    :param request_id: the request's id (signed in as the account that filed it)
    :returns: ``enabled``, ``answered``, ``open`` and ``reason`` (why not open, translated)
    """
    row, _data = _request(context, data_dict, sch.ref_schema(), "layananpublik_survey_status")
    reason = _closed_because(row)
    return {"enabled": enabled(), "answered": _answered(row), "open": reason is None, "reason": reason,
            "request_status": row.status}  # fmt: skip


def layananpublik_survey_submit(context: Any, data_dict: dict) -> dict:
    """Answer the satisfaction survey about a decided request: once per request. The nine
    service elements (unsur) of PermenPAN-RB 14/2017, each 1 (not good) to 4 (very good).
    The response is anonymous: it is stored without the request, its requester or its time.

    :param tracking_token: the secret from the request's tracking link, or
    :param request_id: the request's id (signed in as the account that filed it)
    :param u1: requirements (persyaratan), 1–4
    :param u2: system, mechanism and procedure (sistem, mekanisme dan prosedur), 1–4
    :param u3: time to complete (waktu penyelesaian), 1–4
    :param u4: cost / fee (biaya/tarif), 1–4
    :param u5: product of the service (produk spesifikasi jenis pelayanan), 1–4
    :param u6: competence of the staff (kompetensi pelaksana), 1–4
    :param u7: conduct of the staff (perilaku pelaksana), 1–4
    :param u8: handling of complaints, suggestions and input (penanganan pengaduan, saran dan masukan), 1–4
    :param u9: facilities and infrastructure (sarana dan prasarana), 1–4
    :param suggestion: a suggestion for the service (optional; shown to the body's officers
        without who wrote it, never published)
    :returns: ``submitted`` (true), ``organization_id`` and ``year`` the response counts in
    """
    row, data = _request(context, data_dict, sch.submit_schema(), "layananpublik_survey_submit")
    reason = _closed_because(row)
    if reason:
        raise tk.ValidationError({"survey": [reason]})
    table = SurveyAnswered.__table__
    marked = model.Session.execute(
        pg_insert(table).values(request_id=row.id, answered_at=now()).on_conflict_do_nothing()
        .returning(table.c.request_id)
    ).first()  # fmt: skip
    if marked is None:  # answered at the same moment in another tab
        model.Session.rollback()
        raise tk.ValidationError(
            {"survey": [tk._("You have answered the survey about this request. Thank you!")]}
        )
    year = today(row.organization_id).year
    model.Session.add(SurveyResponse(id=str(uuid.uuid4()), organization_id=row.organization_id, year=year,
                                     suggestion=data.get("suggestion"), **{c: data[c] for c in rules.CODES}))  # fmt: skip
    model.Session.commit()
    return {"submitted": True, "organization_id": row.organization_id, "year": year}


def _sums(year: int, organization_id: str | None) -> dict[str, tuple[int, dict[str, int]]]:
    """Per body: (responses, the sum of each unsur's answers) of a year."""
    R = SurveyResponse
    query = model.Session.query(
        R.organization_id, sa.func.count(), *(sa.func.sum(getattr(R, c)) for c in rules.CODES)
    )
    query = query.filter(R.year == year).group_by(R.organization_id)
    if organization_id:
        query = query.filter(R.organization_id == organization_id)
    return {
        org: (int(n), dict(zip(rules.CODES, (int(s) for s in sums), strict=True))) for org, n, *sums in query
    }


def _published(responses: int, sums: dict[str, int] | None) -> dict:
    """The index of `responses` answers, blank below the publication threshold."""
    published = enabled() and responses >= min_responses()
    figures = rules.index(sums or {}, responses if published else 0)
    for unsur in figures["unsur"]:
        label, _question = rules.UNSUR[unsur["code"]]
        unsur["label"] = tk._(label)
    if figures["grade_label"]:
        grade_label = figures["grade_label"]
        figures["grade_label"] = tk._(grade_label)
    return {"responses": responses, "published": published, **figures}


@tk.side_effect_free
def layananpublik_survey_index(context: Any, data_dict: dict) -> dict:
    """The satisfaction index (Indeks Kepuasan Masyarakat) of a body, or of every body, for a
    year: responses, NRR per unsur (with its weighted value 1/9 and its grade), the IKM
    (25–100) and its grade (A Sangat Baik 88.31–100, B Baik 76.61–88.30, C Kurang Baik
    65.00–76.60, D Tidak Baik 25.00–64.99). Figures are published only from
    ``min_responses`` responses; below it only the count is given. Every body's total counts
    only the bodies whose index is published (a small body's answers are never derivable).

    :param organization_id: one body (default: every body, with ``bodies``: each one's index)
    :param year: the year the responses were given in (default: this year)
    """
    data = checked(context, data_dict, sch.index_schema(), "layananpublik_survey_index")
    year = data.get("year") or today().year
    org = data.get("organization_id")
    per_body = _sums(year, org)
    result = {"year": year, "organization_id": org, "enabled": enabled(), "min_responses": min_responses()}
    if org:
        responses, sums = per_body.get(org, (0, None))
        return {**result, **_published(responses, sums)}
    bodies, total, total_sums = [], 0, dict.fromkeys(rules.CODES, 0)
    for body_id, (responses, sums) in per_body.items():
        group = model.Group.get(body_id)
        entry = {"organization_id": body_id, "name": group.name if group else body_id,
                 "title": group.title if group else body_id, **_published(responses, sums)}  # fmt: skip
        bodies.append(entry)
        if entry["published"]:
            total += responses
            total_sums = {c: total_sums[c] + sums[c] for c in rules.CODES}
    bodies.sort(key=lambda b: b["title"] or "")
    return {**result, **_published(total, total_sums), "bodies": bodies}


@tk.side_effect_free
def layananpublik_survey_response_list(context: Any, data_dict: dict) -> dict:
    """The anonymous survey responses of a body and year, with their suggestions: for the
    body's information officers and superior. Nothing in them says who answered, about which
    request or when (their order is random).

    :param organization_id: the body
    :param year: the year the responses were given in (default: this year)
    :param limit: how many (default 20)
    :param offset: how many to skip
    :returns: ``count`` and ``results``: each ``id``, ``year``, ``answers`` (u1–u9: 1–4) and ``suggestion``
    """
    data = checked(context, data_dict, sch.response_list_schema(), "layananpublik_survey_response_list")
    year = data.get("year") or today().year
    R = SurveyResponse
    query = model.Session.query(R).filter(R.organization_id == data["organization_id"], R.year == year)
    rows = query.order_by(R.id).limit(data["limit"]).offset(data["offset"]).all()
    return {
        "count": query.count(),
        "year": year,
        "results": [
            {
                "id": r.id,
                "year": r.year,
                "answers": {c: getattr(r, c) for c in rules.CODES},
                "suggestion": r.suggestion,
            }
            for r in rows
        ],  # fmt: skip
    }
