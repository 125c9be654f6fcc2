"""Actions of the pages, reports and self-assessment: the one door to their data."""

from __future__ import annotations

import io
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from markupsafe import Markup

from ckanext.layananpublik.cases import clock
from ckanext.layananpublik.cases.schema import validate
from ckanext.layananpublik.transparency.pages import defaults, reports, sanitize, selfassessment
from ckanext.layananpublik.transparency.pages import schema as sch
from ckanext.layananpublik.transparency.pages.document import render_document, report_title
from ckanext.layananpublik.transparency.pages.model import (
    Page,
    PageRevision,
    ReportNarrative,
    ReportReminder,
    ReportStatus,
)


def _org_id(data: dict) -> str | None:
    """The body's id for a name or id (already checked to exist); None for site-wide."""
    if not data.get("organization_id"):
        return None
    group = model.Group.get(data["organization_id"])
    if group is None or not group.is_organization:
        raise tk.ValidationError({"organization_id": [tk._("Not a public body (organization)")]})
    return group.id


def _language(data: dict) -> str:
    return data.get("language") or defaults.language(tk.h.lang() if tk.request else None)


def _user_id(context: Any) -> str | None:
    user = model.User.get(context.get("user") or "")
    return user.id if user else None


def _org_filter(column: Any, organization_id: str | None) -> Any:
    return column.is_(None) if organization_id is None else column == organization_id


def _stored(slug: str, organization_id: str | None, language: str, lock: bool = False) -> Page | None:
    query = model.Session.query(Page).filter(
        Page.slug == slug, Page.language == language, _org_filter(Page.organization_id, organization_id)
    )
    return (query.with_for_update() if lock else query).one_or_none()


def _page_dict(slug: str, organization_id: str | None, language: str, row: Page | None, source: str) -> dict:
    default = defaults.PAGES[slug]
    if row is None:
        title, body, fmt = default.title[language], default.body[language], "markdown"
    else:
        title, body, fmt = row.title, row.body, row.format
    return {
        "slug": slug,
        "organization_id": organization_id,
        "language": language,
        "title": title,
        "body": body,
        "format": fmt,
        "html": str(sanitize.render(body, fmt)),
        "source": source,
        "is_default": row is None,
        "revision": row.revision if row else 0,
        "updated_at": row.updated_at.isoformat() if row else None,
    }


def page_lookup(slug: str, organization_id: str | None, language: str) -> dict:
    """The text shown: the body's own, else the site-wide one, else the default."""
    if organization_id:
        row = _stored(slug, organization_id, language)
        if row is not None:
            return _page_dict(slug, organization_id, language, row, "body")
    row = _stored(slug, None, language)
    if row is not None:
        return _page_dict(slug, organization_id, language, row, "site")
    return _page_dict(slug, organization_id, language, None, "default")


@tk.side_effect_free
def layananpublik_page_show(context: Any, data_dict: dict) -> dict:
    """One transparency page as shown: the body's own text, else the site-wide text, else
    the default shipped with the extension (``is_default``). ``html`` is the sanitised body.

    :param slug: the page: profil-ppid, standar-layanan, sop, maklumat, biaya, tata-cara,
        aksesibilitas
    :param organization_id: the body (id or name); default: the site-wide page
    :param language: id or en (default: the interface language)
    """
    data = validate(data_dict, sch.page_show_schema(), context)
    org_id = _org_id(data)
    tk.check_access("layananpublik_page_show", context, {**data, "organization_id": org_id})
    return page_lookup(data["slug"], org_id, _language(data))


@tk.side_effect_free
def layananpublik_page_list(context: Any, data_dict: dict) -> list[dict]:
    """Every transparency page of a body (or the site), without the body text.

    :param organization_id: the body (id or name); default: site-wide
    :param language: id or en (default: the interface language)
    """
    data = validate(data_dict, sch.page_list_schema(), context)
    org_id = _org_id(data)
    tk.check_access("layananpublik_page_list", context, {**data, "organization_id": org_id})
    language = _language(data)
    pages = [page_lookup(slug, org_id, language) for slug in defaults.PAGES]
    return [{k: v for k, v in p.items() if k not in ("body", "html")} for p in pages]


def layananpublik_page_update(context: Any, data_dict: dict) -> dict:
    """Save a new version of a page in one language (sysadmins: site-wide pages; a body's
    admins: the body's pages). Every change is kept as a revision; saving the same text
    again adds none. HTML is stored as sanitised; Markdown is sanitised when shown.

    :param slug: the page (see layananpublik_page_show)
    :param organization_id: the body (id or name); default: the site-wide page
    :param language: id or en
    :param title: the page title
    :param body: the text, Markdown or limited HTML
    :param format: markdown (default) or html
    :param note: what changed (optional, kept with the revision)
    """
    data = validate(data_dict, sch.page_update_schema(), context)
    org_id = _org_id(data)
    tk.check_access("layananpublik_page_update", context, {**data, "organization_id": org_id})
    body = sanitize.clean_html(data["body"]) if data["format"] == "html" else data["body"]
    row = _stored(data["slug"], org_id, data["language"], lock=True)
    if row is not None and (row.title, row.body, row.format) == (data["title"], body, data["format"]):
        return _page_dict(row.slug, org_id, row.language, row, "body" if org_id else "site")
    now, author = clock.now(), _user_id(context)
    if row is None:
        row = Page(slug=data["slug"], organization_id=org_id, language=data["language"], revision=0)
        model.Session.add(row)
    row.title, row.body, row.format = data["title"], body, data["format"]
    row.revision, row.updated_at, row.updated_by = row.revision + 1, now, author
    model.Session.flush()
    model.Session.add(
        PageRevision(page_id=row.id, revision=row.revision, title=row.title, body=row.body, format=row.format,
                     note=data.get("note"), author_id=author, created_at=now)
    )  # fmt: skip
    model.Session.commit()
    return _page_dict(row.slug, org_id, row.language, row, "body" if org_id else "site")


@tk.side_effect_free
def layananpublik_page_revision_list(context: Any, data_dict: dict) -> list[dict]:
    """A page's saved versions, newest first, with author and time (those who may edit the
    page). Empty while the default text is shown.

    :param slug: the page
    :param organization_id: the body (id or name); default: the site-wide page
    :param language: id or en
    """
    data = validate(data_dict, sch.page_revision_list_schema(), context)
    org_id = _org_id(data)
    tk.check_access("layananpublik_page_revision_list", context, {**data, "organization_id": org_id})
    row = _stored(data["slug"], org_id, data["language"])
    if row is None:
        return []
    limit = tk.config.get("ckanext.layananpublik.pages.revisions_shown")
    revisions = (
        model.Session.query(PageRevision, model.User)
        .outerjoin(model.User, model.User.id == PageRevision.author_id)
        .filter(PageRevision.page_id == row.id)
        .order_by(PageRevision.revision.desc())
        .limit(limit)
    )
    return [
        {"revision": r.revision, "title": r.title, "body": r.body, "format": r.format, "note": r.note,
         "author": user.name if user else None, "author_display_name": user.display_name if user else None,
         "created_at": r.created_at.isoformat()}
        for r, user in revisions
    ]  # fmt: skip


# Recent changes, for feeds and "what's new" lists: each saved page version, and each
# report whose narrative was written (one row per report, at its latest save). The narrative
# table keeps no history, so a report's row moves up when it is written again.
_CHANGES_SQL = """
    SELECT 'page' AS type, 'page-revision:' || r.id AS key, p.slug, NULL::int AS year, NULL AS period,
           p.organization_id, p.language, r.revision, r.title, r.note, r.body, r.format,
           r.created_at AS updated_at, r.created_at AS published_at, r.id AS seq, p.revision AS current
      FROM layananpublik_page_revision r JOIN layananpublik_page p ON p.id = r.page_id
     WHERE p.language = :language AND {page_org}
    UNION ALL
    SELECT 'report', 'report:' || coalesce(n.organization_id, 'site') || ':' || n.year || ':' || n.period
           || ':' || n.language, NULL, n.year, n.period, n.organization_id, n.language, NULL, NULL, NULL,
           NULL, NULL, max(n.updated_at), min(n.updated_at), max(n.id), NULL
      FROM layananpublik_report_narrative n
     WHERE n.language = :language AND {report_org}
     GROUP BY n.organization_id, n.year, n.period, n.language
"""


def _changes_sql(org_id: str | None) -> tuple[str, str]:
    """The query of changes of one body, or of the whole site (every body and the site-wide
    pages); deleted bodies' pages are left out."""
    if org_id:
        where = "{t}.organization_id = :org"
    else:
        where = ("({t}.organization_id IS NULL OR EXISTS (SELECT 1 FROM \"group\" g"
                 " WHERE g.id = {t}.organization_id AND g.state = 'active'))")  # fmt: skip
    sql = _CHANGES_SQL.format(page_org=where.format(t="p"), report_org=where.format(t="n"))
    return sql, f"SELECT count(*) FROM ({sql}) c"


def _sections_html(org_id: str | None, year: int, period: str, language: str) -> str:
    labels = sch.section_labels()
    parts = _narrative(org_id, year, period, language)
    return "".join(
        f"<h2>{Markup.escape(labels[name])}</h2>{parts[name]['html']}"
        for name in sch.SECTIONS
        if parts[name]["body"]
    )


def _change_dict(row: Any, bodies: dict) -> dict:
    org = bodies.get(row.organization_id)
    where = {"organization": {"name": org.name, "title": org.title}} if org else {"organization": None}
    if row.type == "page":
        url = (tk.url_for("layananpublik_pages.body_page", org=org.name, slug=row.slug, _external=True)
               if org else tk.url_for("layananpublik_pages.page", slug=row.slug, _external=True))  # fmt: skip
        return {
            "type": "page", "key": row.key, "slug": row.slug, "year": None, "quarter": None, **where,
            "language": row.language, "revision": row.revision, "title": row.title, "note": row.note,
            # Only the version shown today: what an editor took out of a page is not republished.
            "html": str(sanitize.render(row.body, row.format)) if row.revision == row.current else "", "url": url,
            "updated_at": row.updated_at.isoformat(), "published_at": row.published_at.isoformat(),
        }  # fmt: skip
    quarter = int(row.period[1:]) if row.period.startswith("q") else None
    title = report_title({"organization": where["organization"], "year": row.year, "quarter": quarter})
    query = {"organization_id": org.name} if org else {}
    endpoint, extra = ("report_quarter", {"quarter": quarter}) if quarter else ("report", {})
    return {
        "type": "report", "key": row.key, "slug": None, "year": row.year, "quarter": quarter, **where,
        "language": row.language, "revision": None, "title": title, "note": None,
        "html": _sections_html(row.organization_id, row.year, row.period, row.language),
        "url": tk.url_for(f"layananpublik_pages.{endpoint}", year=row.year, **extra, **query, _external=True),
        "updated_at": row.updated_at.isoformat(), "published_at": row.published_at.isoformat(),
    }  # fmt: skip


@tk.side_effect_free
def layananpublik_page_change_list(context: Any, data_dict: dict) -> dict:
    """Recent changes of the transparency pages, newest first: every saved version of a page
    and every report whose narrative was written (public fields only: no editor's name; the
    text only of the version shown today, so what an editor removed is not published again).

    :param organization_id: the body (id or name); default: the site-wide pages and every
        body's
    :param language: id or en (default: the interface language)
    :param limit: page size, 1–1000 (default 20)
    :param offset: first row (default 0)
    :returns: ``{"count": n, "results": [{"type": "page" or "report", "key", "slug", "year",
        "quarter", "organization": {"name", "title"} or null, "language", "revision",
        "title", "note", "html", "url", "updated_at", "published_at"}]}``
    """
    data = validate(data_dict, sch.page_change_list_schema(), context)
    org_id = _org_id(data)
    tk.check_access("layananpublik_page_change_list", context, {**data, "organization_id": org_id})
    sql, count_sql = _changes_sql(org_id)
    params = {"language": _language(data), "org": org_id}
    count = model.Session.execute(sa.text(count_sql), params).scalar()
    rows = model.Session.execute(
        sa.text(sql + " ORDER BY updated_at DESC, seq DESC, type LIMIT :limit OFFSET :offset"),
        {**params, "limit": data["limit"], "offset": data["offset"]},
    ).all()
    ids = {r.organization_id for r in rows if r.organization_id}
    bodies = (
        {g.id: g for g in model.Session.query(model.Group).filter(model.Group.id.in_(ids))} if ids else {}
    )
    return {"count": count, "results": [_change_dict(r, bodies) for r in rows]}


# --- reports ----------------------------------------------------------------------------


def _narrative(org_id: str | None, year: int, period: str, language: str) -> dict:
    rows = model.Session.query(ReportNarrative).filter(
        _org_filter(ReportNarrative.organization_id, org_id),
        ReportNarrative.year == year,
        ReportNarrative.period == period,
        ReportNarrative.language == language,
    )
    found = {r.section: r for r in rows}
    return {
        section: {
            "body": found[section].body if section in found else "",
            "html": str(sanitize.render(found[section].body)) if section in found else "",
            "updated_at": found[section].updated_at.isoformat() if section in found else None,
        }
        for section in sch.SECTIONS
    }


def _status_row(org_id: str | None, year: int, lock: bool = False) -> ReportStatus | None:
    query = model.Session.query(ReportStatus).filter(
        _org_filter(ReportStatus.organization_id, org_id), ReportStatus.year == year
    )
    return (query.with_for_update() if lock else query).one_or_none()


def _status_for_update(org_id: str | None, year: int, context: Any) -> ReportStatus:
    row = _status_row(org_id, year, lock=True)
    if row is None:
        row = ReportStatus(organization_id=org_id, year=year)
        model.Session.add(row)
    row.updated_at, row.updated_by = clock.now(), _user_id(context)
    return row


def report_status(org_id: str | None, year: int) -> dict:
    """Of the annual report of `year`: its due date (31 March of the next year), when it was
    published and when it was submitted to the Komisi Informasi."""
    from ckanext.layananpublik.cases.clock import today

    row = _status_row(org_id, year)
    due = reports.due_date(year)
    submitted = row.submitted_date if row else None
    return {
        "due_date": due.isoformat(),
        "published_at": row.published_at.isoformat() if row and row.published_at else None,
        "published_resource_id": row.published_resource_id if row else None,
        "submitted_date": submitted.isoformat() if submitted else None,
        "submitted_reference": (row.submitted_reference or "") if row else "",
        "submitted_late": bool(submitted and submitted > due),
        "overdue": not submitted and today(org_id) > due,
    }


def report(context: Any, data: dict, org_id: str | None) -> dict:
    figures = reports.figures(context, data["year"], data.get("quarter"), org_id)
    org = model.Group.get(org_id) if org_id else None
    return {
        **figures,
        "organization": {"id": org.id, "name": org.name, "title": org.title} if org else None,
        "language": _language(data),
        "narrative": _narrative(org_id, data["year"], figures["period"], _language(data)),
        "status": None if data.get("quarter") else report_status(org_id, data["year"]),
    }


@tk.side_effect_free
def layananpublik_report_show(context: Any, data_dict: dict) -> dict:
    """The information-access summary and annual service report of a body (or all bodies)
    for a year or a quarter: request, objection and complaint figures (a year's equal the
    statistics actions'; a quarter's are counted by date received), requests per month,
    working days taken, and the narrative parts in the chosen language. An annual report
    also has its status: due_date (31 March of the next year, Perki 1/2021 Pasal 56),
    published_at, submitted_date and submitted_reference (submission to the Komisi
    Informasi), submitted_late and overdue.

    :param year: the year
    :param quarter: 1–4 for a quarter (default: the whole year)
    :param organization_id: the body (id or name); default: all bodies
    :param language: id or en, for the narrative parts (default: the interface language)
    """
    data = validate(data_dict, sch.report_show_schema(), context)
    org_id = _org_id(data)
    tk.check_access("layananpublik_report_show", context, {**data, "organization_id": org_id})
    return report(context, data, org_id)


def layananpublik_report_narrative_update(context: Any, data_dict: dict) -> dict:
    """Write one narrative part of a report (service policy; facilities, staff and budget;
    obstacles; recommendations; notes). An empty body removes it.

    :param year: the year
    :param quarter: 1–4 (default: the annual report)
    :param organization_id: the body (id or name); default: the site-wide report
    :param language: id or en
    :param section: policy, facilities, obstacles, recommendations or notes
    :param body: Markdown text
    """
    data = validate(data_dict, sch.report_narrative_update_schema(), context)
    org_id = _org_id(data)
    tk.check_access("layananpublik_report_narrative_update", context, {**data, "organization_id": org_id})
    period = reports.period_of(data.get("quarter"))
    row = (
        model.Session.query(ReportNarrative)
        .filter(
            _org_filter(ReportNarrative.organization_id, org_id),
            ReportNarrative.year == data["year"],
            ReportNarrative.period == period,
            ReportNarrative.section == data["section"],
            ReportNarrative.language == data["language"],
        )
        .with_for_update()
        .one_or_none()
    )
    body = (data.get("body") or "").strip()
    if not body:
        if row is not None:
            model.Session.delete(row)
    else:
        if row is None:
            row = ReportNarrative(organization_id=org_id, year=data["year"], period=period,
                                  section=data["section"], language=data["language"])  # fmt: skip
            model.Session.add(row)
        row.body, row.updated_at, row.updated_by = body, clock.now(), _user_id(context)
    model.Session.commit()
    return _narrative(org_id, data["year"], period, data["language"])[data["section"]]


def report_marker(org_id: str | None, year: int, period: str, fmt: str) -> str:
    return f"{org_id or 'site'}:{year}:{period}:{fmt}"


def layananpublik_report_publish(context: Any, data_dict: dict) -> dict:
    """Publish a report as a resource of a dataset: the printable HTML document or the
    figures as CSV. Publishing the same report again replaces the file of the same resource.
    The caller must be allowed to edit the report and the dataset.

    :param year: the year
    :param quarter: 1–4 (default: the annual report)
    :param organization_id: the body (id or name); default: the site-wide report
    :param language: id or en (default: the interface language)
    :param package_id: the dataset (id or name) that receives the resource
    :param format: html (default) or csv
    """
    from werkzeug.datastructures import FileStorage

    data = validate(data_dict, sch.report_publish_schema(), context)
    org_id = _org_id(data)
    tk.check_access("layananpublik_report_publish", context, {**data, "organization_id": org_id})
    tk.check_access("package_update", context, {"id": data["package_id"]})
    shown = report(context, data, org_id)
    marker = report_marker(org_id, data["year"], shown["period"], data["format"])
    if data["format"] == "csv":
        content, mimetype = reports.csv_text(shown).encode(), "text/csv"
    else:
        content, mimetype = render_document(shown).encode(), "text/html"
    name = report_title(shown)
    filename = f"laporan-{shown['year']}-{shown['period']}.{data['format']}"
    package = tk.get_action("package_show")(dict(context), {"id": data["package_id"]})
    existing = next((r for r in package["resources"] if r.get("layananpublik_report") == marker), None)
    resource = {
        "name": name,
        "format": data["format"].upper(),
        "mimetype": mimetype,
        "layananpublik_report": marker,
        "url": filename,
        "upload": FileStorage(io.BytesIO(content), filename=filename, content_type=mimetype),
    }
    if existing is None:
        published = tk.get_action("resource_create")(dict(context), {"package_id": package["id"], **resource})
    else:
        published = tk.get_action("resource_patch")(dict(context), {"id": existing["id"], **resource})
    if shown["period"] == "year":
        # The self-assessment's "annual report published" reads this.
        status = _status_for_update(org_id, data["year"], context)
        status.published_at, status.published_resource_id = clock.now(), published["id"]
        model.Session.commit()
    return published


def layananpublik_report_submission_update(context: Any, data_dict: dict) -> dict:
    """Record that the annual report of a year was submitted to the Komisi Informasi (due by 31
    March of the next year, Perki 1/2021 Pasal 56): the date and the letter's reference.

    :param year: the report's year
    :param organization_id: the body (id or name); default: the site-wide report
    :param submitted_date: the day it was submitted (YYYY-MM-DD, not in the future, not
        before the year ended)
    :param reference: the covering letter's number or the receipt (optional)
    :returns: the report's status (see layananpublik_report_show)
    """
    data = validate(data_dict, sch.report_submission_update_schema(), context)
    org_id = _org_id(data)
    tk.check_access("layananpublik_report_submission_update", context, {**data, "organization_id": org_id})
    submitted = data["submitted_date"]
    if submitted.year <= data["year"]:
        raise tk.ValidationError({"submitted_date": [
            tk._("A year's report is submitted after the year has ended (from 1 January {year})").format(
                year=data["year"] + 1)]})  # fmt: skip
    row = _status_for_update(org_id, data["year"], context)
    row.submitted_date, row.submitted_reference = submitted, data.get("reference") or None
    model.Session.commit()
    return report_status(org_id, data["year"])


def layananpublik_report_send_reminders(context: Any, data_dict: dict) -> dict:
    """Remind each body's admins that last year's annual report is due by 31 March, from 1
    March, and once more when it is overdue; each reminder once, none after it was marked
    submitted (run with the other reminders: `ckan layananpublik send-reminders`).
    Sysadmins only.

    :returns: ``{"report_due_soon": n, "report_overdue": m}``, reminders sent now
    """
    from ckanext.layananpublik.cases import mail
    from ckanext.layananpublik.cases.clock import today

    tk.check_access("layananpublik_report_send_reminders", context, data_dict)
    validate(data_dict, sch.report_send_reminders_schema(), context)
    sent = {"report_due_soon": 0, "report_overdue": 0}
    bodies = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active"
    )
    for body in bodies.all():
        day = today(body.id)
        year = day.year - 1
        if day < reports.reminders_start(year) or report_status(body.id, year)["submitted_date"]:
            continue
        kind = "overdue" if day > reports.due_date(year) else "due_soon"
        admins = [u for u in _admins(body.id) if u.email]
        if not admins:
            continue
        subject, text = _reminder_text(body, year, kind)
        key = {"organization_id": body.id, "year": year, "kind": kind}
        if mail.remind_once(ReportReminder.__table__, key, mail.to_users(admins, subject, text), body.name):
            sent["report_" + kind] += 1
    return sent


def _admins(organization_id: str) -> list:
    return (
        model.Session.query(model.User)
        .join(model.Member, model.Member.table_id == model.User.id)
        .filter(model.Member.group_id == organization_id, model.Member.table_name == "user",
                model.Member.state == "active", model.Member.capacity == "admin", model.User.state == "active")
        .all()
    )  # fmt: skip


def _reminder_text(body: model.Group, year: int, kind: str) -> tuple[str, str]:
    from ckanext.layananpublik.cases.formatting import date

    due = date(reports.due_date(year))
    subject = (tk._("OVERDUE: the annual information service report {year} was due on {due}") if kind == "overdue"
               else tk._("Reminder: the annual information service report {year} is due on {due}"))  # fmt: skip
    url = tk.url_for("layananpublik_pages.report", year=year, organization_id=body.name, _external=True)
    text = tk._(
        "Public body: {body}\n\nThe report on the information service of {year} must be prepared and submitted "
        "to the Komisi Informasi within three months after the budget year ends, by {due} (Perki 1/2021 "
        "Pasal 56). Write its narrative parts, publish it and record the submission here:\n{url}"
    ).format(body=body.title, year=year, due=due, url=url)
    return subject.format(year=year, due=due), text


# --- self-assessment --------------------------------------------------------------------


@tk.side_effect_free
def layananpublik_selfassessment_show(context: Any, data_dict: dict) -> dict:
    """The portal's own evidence for the Information Commission's evaluation items a website
    can show: for each item met or not, why, and the link to cite. Counts only (met/total):
    not the official e-Monev score.

    :param organization_id: the body (id or name); default: the whole portal
    """
    data = validate(data_dict, sch.selfassessment_show_schema(), context)
    org_id = _org_id(data)
    tk.check_access("layananpublik_selfassessment_show", context, {**data, "organization_id": org_id})
    return selfassessment.assess(org_id, _language(data), page_lookup, report_status)
