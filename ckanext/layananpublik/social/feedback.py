"""Actions of the feedback inbox: citizens' replies to the body's posts (issue 18).

Only the body's officers see a reply's author and text (and sysadmins); the one public
action, the figures, returns counts. An officer answers a reply through the outbox (the same
exactly-once sending and audit log as the body's posts), turns it into a complaint
(pengaduan, source "social_media"), points the citizen to the request form, marks it
answered or dismissed with a reason, or assigns it to an officer of the body.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.layananpublik.cases import events
from ckanext.layananpublik.cases.auth import bodies_with_any
from ckanext.layananpublik.cases.clock import now, today
from ckanext.layananpublik.cases.dictize import display_name, history, iso
from ckanext.layananpublik.cases.mail import in_language
from ckanext.layananpublik.cases.schema import checked, stats_schema, validate
from ckanext.layananpublik.cases.validators import MAX_LENGTHS
from ckanext.layananpublik.roles import access
from ckanext.layananpublik.social import adapters, jobs, labels, outbox
from ckanext.layananpublik.social import schema as sch
from ckanext.layananpublik.social.action import found
from ckanext.layananpublik.social.messages import N_
from ckanext.layananpublik.social.model import (
    FEEDBACK_ANSWERED,
    SocialChannel,
    SocialFeedback,
    SocialFeedbackEvent,
    SocialPost,
    log,
)

# A NIK is 16 digits; an Indonesian mobile number starts 08, 628 or +628 (10 to 14 digits).
# Spaces, dots and dashes between the digits do not hide them.
DIGIT_RUN = re.compile(r"\+?\d[\d .\-]{6,}\d")
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
HELLO_NAMED, HELLO = N_("Hello {handle},"), N_("Hello,")
COMPLAINT_LINK = N_("Your message is now registered as complaint {number}. Follow it here: {url}")
REQUEST_FORM = N_("You can ask for this information with a request for public information: {url}")


def _actor(context: Any) -> str | None:
    return context.get("user") or None


def _find(feedback_id: str, lock: bool = False) -> SocialFeedback:
    return found(SocialFeedback, feedback_id, lock, tk._("Reply not found"))


def _event(row: SocialFeedback, context: Any, action: str, note: str | None = None, **data: Any) -> None:
    events.record(SocialFeedbackEvent, {"parent_id": row.id}, context, action, note, **data)


def feedback_dict(row: SocialFeedback, with_history: bool = False) -> dict:
    channel = model.Session.get(SocialChannel, row.channel_id)
    cls = adapters.REGISTRY.get(row.platform)
    pkg = model.Package.get(row.package_id) if row.package_id else None
    post = model.Session.get(SocialPost, row.post_id) if row.post_id else None
    reply = model.Session.get(SocialPost, row.reply_post_id) if row.reply_post_id else None
    data = {
        "id": row.id, "platform": row.platform, "platform_label": tk._(cls.label) if cls else row.platform,
        "channel_id": row.channel_id, "channel_title": channel.title if channel else None,
        "organization_id": row.organization_id, "post_id": row.post_id,
        "post_url": post.remote_url if post else None, "package_id": row.package_id,
        "package_name": pkg.name if pkg else None, "package_title": pkg.title if pkg else None,
        "author_handle": row.author_handle, "author_name": row.author_name, "text": row.text, "url": row.url,
        "created_remote_at": iso(row.created_remote_at), "received_at": iso(row.received_at),
        "received_date": iso(row.received_date), "due_date": iso(row.due_date),
        "overdue": row.status == "open" and row.due_date < today(row.organization_id),
        "edited_at": iso(row.edited_at), "deleted": row.deleted_at is not None, "status": row.status,
        "reason": row.reason, "assigned_to": row.assigned_to, "assigned_name": display_name(row.assigned_to),
        "answered_at": iso(row.answered_at), "answered_by": row.answered_by, "answer_days": row.answer_days,
        "reply_post_id": row.reply_post_id, "reply_status": reply.status if reply else None,
        "reply_text": reply.text if reply else None, "reply_url": reply.remote_url if reply else None,
        "complaint_id": row.complaint_id,
    }  # fmt: skip
    if with_history:
        data["history"] = history(SocialFeedbackEvent, parent_id=row.id)
    return data


def personal_data(text: str) -> str | None:
    """'nik' or 'phone' if the text holds a NIK or a phone-number pattern, else None."""
    for match in DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) == 16:
            return "nik"
        national = "0" + digits[2:] if digits.startswith("62") else digits
        if national.startswith("08") and 10 <= len(national) <= 14:
            return "phone"
    return None


def _checked_text(channel: SocialChannel, text: str, field: str = "text") -> str:
    """The reply's full text, refused with a clear message when it cannot go out."""
    text = (text or "").strip()
    if not text:
        raise tk.ValidationError({field: [tk._("Missing value")]})
    found = personal_data(text)
    if found == "nik":
        raise tk.ValidationError({field: [tk._(
            "The reply contains a NIK (16 digits). Replies are public: never write anyone's NIK in them.")]})  # fmt: skip
    if found == "phone":
        raise tk.ValidationError({field: [tk._(
            "The reply contains a phone number. Replies are public: ask the citizen to use the request or "
            "complaint form instead of writing a number.")]})  # fmt: skip
    if MARKUP.search(text):
        raise tk.ValidationError({field: [tk._("Write plain text: HTML tags are not sent.")]})
    adapter = outbox.adapter_for(channel)
    if adapter.text_length(text) > adapter.max_chars():
        raise tk.ValidationError({field: [tk._("Too long for {platform}: {length} of {limit} characters").format(
            platform=tk._(adapter.label), length=adapter.text_length(text), limit=adapter.max_chars())]})  # fmt: skip
    return text


def compose(row: SocialFeedback, channel: SocialChannel, text: str, greeting: bool = True) -> str:
    """The reply as sent: the greeting of the channel's language, then the officer's text."""
    if not greeting:
        return text.strip()
    with in_language(channel.language):
        if row.author_handle:
            hello = tk._(HELLO_NAMED).format(handle=row.author_handle)
        else:
            hello = tk._(HELLO)
    return f"{hello}\n\n{text.strip()}"


def _in_reply_to(row: SocialFeedback) -> str:
    if row.reply_ref:
        return row.reply_ref
    return row.remote_id.split(":", 1)[1] if row.platform == "webhook" else row.remote_id


def _queue_reply(row: SocialFeedback, text: str, context: Any) -> SocialPost:
    """Add the reply to the outbox (queued: written by an officer, it needs no review)."""
    channel = model.Session.get(SocialChannel, row.channel_id)
    if channel is None or not channel.active:
        raise tk.ValidationError({"text": [tk._("The channel is no longer active: answer on the platform itself")]})
    if row.deleted_at is not None:
        raise tk.ValidationError({"text": [tk._("The citizen deleted this reply: it cannot be answered there")]})
    at = now()
    actor = _actor(context)
    post = SocialPost(
        id=str(uuid.uuid4()), channel_id=channel.id, organization_id=row.organization_id, package_id=row.package_id,
        event="reply", text=text, status="queued", resource_count=0, attempts=0, next_attempt_at=at,
        created_at=at, created_by=actor, approved_by=actor, approved_at=at, updated_at=at,
        in_reply_to=_in_reply_to(row), feedback_id=row.id,
    )  # fmt: skip
    model.Session.add(post)
    model.Session.flush()
    log(post, "created", actor, at)
    jobs.request_drain()
    return post


def _answered(row: SocialFeedback, status: str, context: Any, reason: str | None = None) -> None:
    from ckanext.layananpublik.calendar.deadlines import working_days_between
    from ckanext.layananpublik.calendar.store import load_calendar

    at = now()
    row.status, row.reason, row.updated_at = status, reason, at
    if status in FEEDBACK_ANSWERED:
        row.answered_at, row.answered_by = at, _actor(context)
        row.answer_days = working_days_between(row.received_date, today(row.organization_id), load_calendar())
    else:
        row.answered_at = row.answered_by = row.answer_days = None


def _open(row: SocialFeedback) -> None:
    if row.status != "open":
        message = tk._("Not possible for a reply that is {status}")
        raise tk.ValidationError({"status": [message.format(status=labels.feedback_status_label(row.status))]})


def _handle(context: Any, row: SocialFeedback) -> None:
    tk.check_access("layananpublik_social_feedback_handle", context, {"organization_id": row.organization_id})


def _taken(
    context: Any, data_dict: dict, schema: dict, lock: bool = True, open_only: bool = True
) -> tuple[dict, SocialFeedback]:
    """The start of every action on one reply: validate, find it (locked to change it), check
    the caller is an officer of its body, and (for an answer) that it is still open."""
    data = validate(data_dict, schema, context)
    row = _find(data["id"], lock=lock)
    _handle(context, row)
    if open_only:
        _open(row)
    return data, row


def _answer(row: SocialFeedback, text: str, status: str, action: str, context: Any) -> dict:
    """Queue the answer, record the step and commit; the reply as the action returns it."""
    post = _queue_reply(row, text, context)
    row.reply_post_id = post.id
    _answered(row, status, context)
    _event(row, context, action, text, post_id=post.id)
    model.Session.commit()
    return feedback_dict(row, with_history=True)


# --- actions -----------------------------------------------------------------------------------


@tk.side_effect_free
def layananpublik_social_feedback_list(context: Any, data_dict: dict) -> dict:
    """The feedback inbox: replies to the posts of the bodies where the caller is an officer
    (all for sysadmins), newest first. Authors and texts are personal data: officers only.

    :param organization_id: one body
    :param status: open, answered, referred, complaint or dismissed
    :param platform: mastodon, telegram, facebook, x or webhook
    :param assigned_to_me: only the replies assigned to the caller (true/false)
    :param overdue: only open replies past their due date (true/false)
    :param limit: page size (default 50, at most ``ckanext.layananpublik.social.list_max``)
    :param offset: first row
    :returns: ``{"count": n, "results": [...]}``
    """
    data = validate(data_dict, sch.feedback_list_schema(), context)
    tk.check_access("layananpublik_social_feedback_list", context, data)
    F = SocialFeedback
    query = model.Session.query(F)
    bodies = bodies_with_any(_actor(context), "officer")
    if bodies is not None:
        query = query.filter(F.organization_id.in_(bodies))
    if data.get("organization_id"):
        org = model.Group.get(data["organization_id"])
        query = query.filter(F.organization_id == (org.id if org else None))
    for name in ("status", "platform"):
        if data.get(name):
            query = query.filter(getattr(F, name) == data[name])
    if data.get("assigned_to_me"):
        user = model.User.get(_actor(context) or "")
        query = query.filter(F.assigned_to == (user.id if user else None))
    if data.get("overdue"):
        query = query.filter(F.status == "open", F.due_date < today())
    count = query.count()
    rows = query.order_by(F.received_at.desc(), F.id).limit(data["limit"]).offset(data["offset"])
    return {"count": count, "results": [feedback_dict(r) for r in rows]}


@tk.side_effect_free
def layananpublik_social_feedback_show(context: Any, data_dict: dict) -> dict:
    """One reply with its history (received, edited, deleted, assigned, answered...).

    :param id: the reply
    """
    _data, row = _taken(context, data_dict, sch.id_schema(), lock=False, open_only=False)
    return feedback_dict(row, with_history=True)


def layananpublik_social_feedback_reply(context: Any, data_dict: dict) -> dict:
    """Answer a reply on its platform: queued in the outbox (sent once, audit-logged), in
    plain text within the platform's limit, after a greeting in the channel's language. A
    text with a NIK or a phone number is refused. The reply is then ``answered``.

    :param id: the reply
    :param text: the answer
    :param greeting: start with the greeting ("Halo @handle,"); default true
    """
    data, row = _taken(context, data_dict, sch.feedback_reply_schema())
    channel = model.Session.get(SocialChannel, row.channel_id)
    text = _checked_text(channel, compose(row, channel, _checked_text(channel, data.get("text", "")), data["greeting"]))
    return _answer(row, text, "answered", "replied", context)


def layananpublik_social_feedback_refer(context: Any, data_dict: dict) -> dict:
    """Point the citizen to the request form (permohonan informasi): a reply with the body's
    request form address is queued, and the reply becomes ``referred``.

    :param id: the reply
    :param text: a few words before the link (optional)
    """
    data, row = _taken(context, data_dict, sch.feedback_refer_schema())
    channel = model.Session.get(SocialChannel, row.channel_id)
    org = model.Group.get(row.organization_id) if row.organization_id else None
    url = tk.url_for("layananpublik_request.new_for_body", org=org.name, _external=True) if org else tk.url_for(
        "layananpublik_request.new", _external=True)  # fmt: skip
    with in_language(channel.language):
        link = tk._(REQUEST_FORM).format(url=url)
    words = (data.get("text") or "").strip()
    text = _checked_text(channel, compose(row, channel, f"{words}\n\n{link}" if words else link))
    return _answer(row, text, "referred", "referred", context)


def layananpublik_social_feedback_complaint(context: Any, data_dict: dict) -> dict:
    """Turn a reply into a complaint (pengaduan) of the body, source "social_media": the
    reply's text is its description, the author's name or handle its complainant (no contact).
    With ``send_link`` the citizen is answered with the complaint's tracking link (anyone who
    sees the public answer can follow the complaint then: send it only if they asked to).

    :param id: the reply
    :param service: which service the complaint is about (default: the post's dataset)
    :param send_link: answer the citizen with the tracking link (default false)
    """
    data, row = _taken(context, data_dict, sch.feedback_complaint_schema())
    org = model.Group.get(row.organization_id) if row.organization_id else None
    if org is None:
        raise tk.ValidationError({"id": [tk._("A reply to a site-wide post belongs to no public body")]})
    channel = model.Session.get(SocialChannel, row.channel_id)
    pkg = model.Package.get(row.package_id) if row.package_id else None
    fields = {
        "organization_id": org.id, "source": "social_media",
        "service": data.get("service") or (pkg.title[: MAX_LENGTHS["title"]] if pkg else tk._("Social media")),
        "description": row.text, "remedy": tk._("Not stated (reply on social media)"),
        "name": row.author_name or row.author_handle or tk._("Social media user"),
        **({"language": channel.language} if channel else {}),
    }  # fmt: skip
    # Filed by the complaints' own action, committed below with the reply's change.
    complaint = tk.get_action("layananpublik_complaint_record")({**context, "defer_commit": True}, fields)
    number = complaint["registration_number"]
    row.complaint_id = complaint["id"]
    if data["send_link"]:
        with in_language(channel.language):
            link = tk._(COMPLAINT_LINK).format(number=number, url=complaint["tracking_url"])
        row.reply_post_id = _queue_reply(row, _checked_text(channel, compose(row, channel, link)), context).id
    _answered(row, "complaint", context)
    _event(row, context, "complaint", number, complaint_id=complaint["id"], link_sent=data["send_link"])
    model.Session.commit()
    result = feedback_dict(row, with_history=True)
    result["complaint_number"] = number
    return result


def layananpublik_social_feedback_close(context: Any, data_dict: dict) -> dict:
    """Mark a reply answered (elsewhere: by phone, on the platform itself) or dismissed
    (spam, off-topic, abusive), with a reason; a dismissed reply is not counted as answered.

    :param id: the reply
    :param status: answered or dismissed
    :param reason: why (required)
    """
    data, row = _taken(context, data_dict, sch.feedback_close_schema())
    _answered(row, data["status"], context, data["reason"])
    _event(row, context, data["status"], data["reason"])
    model.Session.commit()
    return feedback_dict(row, with_history=True)


def layananpublik_social_feedback_reopen(context: Any, data_dict: dict) -> dict:
    """Open a reply marked answered or dismissed again (a reply sent or a complaint filed
    stays as it is).

    :param id: the reply
    :param reason: why (optional)
    """
    data, row = _taken(context, data_dict, sch.feedback_reopen_schema(), open_only=False)
    if row.status not in ("answered", "dismissed") or row.reply_post_id:
        message = tk._("Not possible for a reply that is {status}")
        raise tk.ValidationError({"status": [message.format(status=labels.feedback_status_label(row.status))]})
    _answered(row, "open", context)
    _event(row, context, "reopened", data.get("reason"))
    model.Session.commit()
    return feedback_dict(row, with_history=True)


def layananpublik_social_feedback_assign(context: Any, data_dict: dict) -> dict:
    """Assign a reply to an officer of its body (or to nobody).

    :param id: the reply
    :param user: the officer (name or id); empty: nobody
    """
    data, row = _taken(context, data_dict, sch.feedback_assign_schema(), open_only=False)
    user = None
    if data.get("user"):
        user = model.User.get(data["user"])
        if user is None or not access.has_role(user.name, row.organization_id or "", "officer"):
            raise tk.ValidationError({"user": [tk._("Choose an officer of this public body")]})
    row.assigned_to, row.updated_at = (user.id if user else None), now()
    _event(row, context, "assigned", user.display_name if user else None)
    model.Session.commit()
    return feedback_dict(row, with_history=True)


@tk.side_effect_free
def layananpublik_social_feedback_stats(context: Any, data_dict: dict) -> dict:
    """Figures of the replies received on social media, per month of a year: received,
    answered (a reply sent, a referral, a complaint or marked answered), median working days
    to answer, turned into complaints. Counts only: public. With ``date_from`` / ``date_to``
    (a quarter, say) the months and the totals, median included, cover those days only.

    :param organization_id: one body (default: all)
    :param year: the year received (default: this year)
    :param date_from: first day received (YYYY-MM-DD, within the year; optional)
    :param date_to: last day received (YYYY-MM-DD, within the year; optional)
    """
    data = checked(context, data_dict, stats_schema(), "layananpublik_social_feedback_stats")
    year = data.get("year") or today().year
    F = SocialFeedback
    conditions = [sa.extract("year", F.received_date) == year]
    if data.get("organization_id"):
        conditions.append(F.organization_id == data["organization_id"])
    if data.get("date_from"):
        conditions.append(F.received_date >= data["date_from"])
    if data.get("date_to"):
        conditions.append(F.received_date <= data["date_to"])
    month = sa.extract("month", F.received_date)
    query = model.Session.query(
        month, sa.func.count(), sa.func.count().filter(F.status.in_(FEEDBACK_ANSWERED)),
        # NULLs are left out of the percentile: only answered replies count.
        sa.func.percentile_cont(0.5).within_group(sa.case((F.status.in_(FEEDBACK_ANSWERED), F.answer_days))),
        sa.func.count().filter(F.status == "complaint"),
    ).filter(*conditions).group_by(month)  # fmt: skip
    found = {int(m): (n, a, med, c) for m, n, a, med, c in query}
    months = []
    for number in range(1, 13):
        n, a, med, c = found.get(number, (0, 0, None, 0))
        months.append({"month": number, "received": n, "answered": a, "complaints": c,
                       "median_working_days": float(med) if med is not None else None})  # fmt: skip
    median = (
        model.Session.query(sa.func.percentile_cont(0.5).within_group(F.answer_days))
        .filter(*conditions, F.status.in_(FEEDBACK_ANSWERED))
        .scalar()
    )
    return {
        "year": year, "organization_id": data.get("organization_id"), "months": months,
        "date_from": iso(data.get("date_from")), "date_to": iso(data.get("date_to")),
        "received": sum(m["received"] for m in months), "answered": sum(m["answered"] for m in months),
        "complaints": sum(m["complaints"] for m in months),
        "median_working_days": float(median) if median is not None else None,
    }  # fmt: skip
