"""The authorisation matrix (issue 16): who may call every action and open every page.

ONE table. tests/test_authorisation_matrix.py checks every cell against the running stack,
and fails when an action, an auth function or a route of our blueprints has no row here: a new
action or page cannot land without saying who may use it.

Roles (one letter each, in this order):
  A anonymous visitor               T requester holding the tracking link (not signed in)
  R signed-in requester (the account that filed the request; the objection is on that request)
  O information officer of the body X officer of another body
  S superior of the PPID (Atasan)   C complaint handler (role `complaints`)
  M admin of the body's organisation, no PPID role
  E editor of the body's organisation, no PPID role
  Y sysadmin
(S and C are, as on a real portal, editors of the organisation holding that PPID role.)

ACTIONS rows: (action or auth function, auth function checked, subject, roles allowed).
The subject is what the action hands its auth function (see SUBJECTS in the test module):
the case of the body (request, request under objection, objection, complaint, confidential
complaint), the body itself, the whole site, a list scope.

PAGES rows: (endpoint, path, marker, roles allowed). The path's {placeholders} are filled from
the cases; `{token}` is the real tracking token for T and a well-formed wrong one for everyone
else; T opens pages without signing in. A page is "allowed" when it answers 200 (or redirects
elsewhere than the login page) and, with a marker, shows it (a registration number, a NIK, a
requester's name: the thing the page must or must not reveal). POST-only routes have path None
and name, as marker, the action whose row authorises them.
"""

from __future__ import annotations

ROLES = "ATROXSCMEY"
# The marker of a POST route no user role opens: another system calls it, signing each call.
SIGNED_WEBHOOK = "signed webhook (HMAC)"
ALL = ROLES
SIGNED_IN = "ROXSCMEY"

ACTIONS: list[tuple[str, str, str, str]] = [
    # --- requests ---------------------------------------------------------------------------
    ("layananpublik_request_create", "layananpublik_request_create", "site", ALL),
    ("layananpublik_request_show", "layananpublik_request_show", "request", ALL),
    ("layananpublik_request_show_personal", "layananpublik_request_show_personal", "request", "TROY"),
    ("layananpublik_request_show_personal", "layananpublik_request_show_personal", "request_objected", "TROSY"),
    ("layananpublik_request_list", "layananpublik_request_list", "public", ALL),
    ("layananpublik_request_list", "layananpublik_request_list", "mine", SIGNED_IN),
    ("layananpublik_request_list", "layananpublik_request_list", "inbox", "OXY"),
    ("layananpublik_request_list", "layananpublik_request_list", "inbox_body", "OY"),
    ("layananpublik_request_process", "layananpublik_request_process", "request", "OY"),
    ("layananpublik_request_extend", "layananpublik_request_extend", "request", "OY"),
    ("layananpublik_request_decide", "layananpublik_request_decide", "request", "OY"),
    ("layananpublik_request_attach", "layananpublik_request_attach", "request", "OY"),
    ("layananpublik_request_mark_spam", "layananpublik_request_mark_spam", "request", "OY"),
    ("layananpublik_request_unmark_spam", "layananpublik_request_unmark_spam", "request", "SY"),
    ("layananpublik_request_summary_update", "layananpublik_request_summary_update", "request", "OY"),
    ("layananpublik_request_handover", "layananpublik_request_handover", "request", "OY"),
    ("layananpublik_request_identity_show", "layananpublik_request_identity_show", "request_objected", "OY"),
    ("layananpublik_request_file_show", "layananpublik_request_file_show", "request", "TROY"),
    ("layananpublik_request_register", "layananpublik_request_register", "body", "OY"),
    ("layananpublik_request_register", "layananpublik_request_register", "site", "Y"),
    ("layananpublik_request_stats", "layananpublik_request_stats", "site", ALL),
    ("layananpublik_request_send_reminders", "layananpublik_request_send_reminders", "site", "Y"),
    # --- objections -------------------------------------------------------------------------
    ("layananpublik_objection_create", "layananpublik_objection_create", "request", "TROY"),
    ("layananpublik_objection_options", "layananpublik_objection_create", "request", "TROY"),
    ("layananpublik_objection_berkala_create", "layananpublik_objection_berkala_create", "body", ALL),
    ("layananpublik_objection_show", "layananpublik_objection_show", "objection", ALL),
    ("layananpublik_objection_show_personal", "layananpublik_objection_show_personal", "objection", "TROSY"),
    ("layananpublik_objection_list", "layananpublik_objection_list", "public", ALL),
    ("layananpublik_objection_list", "layananpublik_objection_list", "mine", SIGNED_IN),
    ("layananpublik_objection_list", "layananpublik_objection_list", "inbox", "OXSY"),
    ("layananpublik_objection_list", "layananpublik_objection_list", "inbox_body", "OSY"),
    ("layananpublik_objection_decide", "layananpublik_objection_decide", "objection", "SY"),
    ("layananpublik_objection_dispute_update", "layananpublik_objection_dispute_update", "objection", "OSY"),
    ("layananpublik_objection_register", "layananpublik_objection_register", "body", "OSY"),
    ("layananpublik_objection_stats", "layananpublik_objection_stats", "site", ALL),
    # --- complaints -------------------------------------------------------------------------
    ("layananpublik_complaint_create", "layananpublik_complaint_create", "body", ALL),
    ("layananpublik_complaint_show", "layananpublik_complaint_show", "complaint", "TOCY"),
    ("layananpublik_complaint_show_identity", "layananpublik_complaint_show_identity", "complaint", "TOCY"),
    ("layananpublik_complaint_show_identity", "layananpublik_complaint_show_identity", "complaint_confidential",
     "TCY"),
    ("layananpublik_complaint_update", "layananpublik_complaint_update", "complaint", "OCY"),
    ("layananpublik_complaint_record", "layananpublik_complaint_record", "body", "OCY"),
    ("layananpublik_complaint_list", "layananpublik_complaint_list", "body", "OCY"),
    ("layananpublik_complaint_list", "layananpublik_complaint_list", "site", "OXCY"),
    ("layananpublik_complaint_stats", "layananpublik_complaint_stats", "site", ALL),
    # --- working-day calendar and PPID roles --------------------------------------------------
    ("layananpublik_calendar_day_list", "layananpublik_calendar_day_list", "site", ALL),
    ("layananpublik_calendar_day_update", "layananpublik_calendar_day_update", "site", "Y"),
    ("layananpublik_calendar_day_delete", "layananpublik_calendar_day_delete", "site", "Y"),
    ("layananpublik_calendar_import", "layananpublik_calendar_import", "site", "Y"),
    ("layananpublik_officer_create", "layananpublik_officer_create", "body", "MY"),
    ("layananpublik_officer_delete", "layananpublik_officer_delete", "body", "MY"),
    ("layananpublik_officer_list", "layananpublik_officer_list", "body", "OMY"),
    # --- DIP / DIK ----------------------------------------------------------------------------
    ("layananpublik_dip_list", "layananpublik_dip_list", "site", ALL),
    ("layananpublik_dip_csv", "layananpublik_dip_csv", "site", ALL),
    ("layananpublik_dip_item_show", "layananpublik_dip_item_show", "body", ALL),
    ("layananpublik_dip_item_create", "layananpublik_dip_item_create", "body", "OMY"),
    ("layananpublik_dip_item_update", "layananpublik_dip_item_update", "body", "OMY"),
    ("layananpublik_dip_item_delete", "layananpublik_dip_item_delete", "body", "OMY"),
    ("layananpublik_exempt_item_list", "layananpublik_exempt_item_list", "site", ALL),
    ("layananpublik_exempt_item_show", "layananpublik_exempt_item_show", "body", ALL),
    ("layananpublik_exempt_item_create", "layananpublik_exempt_item_create", "body", "OMY"),
    ("layananpublik_exempt_item_update", "layananpublik_exempt_item_update", "body", "OMY"),
    ("layananpublik_exempt_item_delete", "layananpublik_exempt_item_delete", "body", "OMY"),
    ("layananpublik_berkala_checklist", "layananpublik_berkala_checklist", "body", ALL),
    ("layananpublik_dip_determination_show", "layananpublik_dip_determination_show", "body", ALL),
    ("layananpublik_dip_determination_update", "layananpublik_dip_determination_update", "body", "OMY"),
    # --- public-information pages and reports ---------------------------------------------------
    ("layananpublik_page_show", "layananpublik_page_show", "site", ALL),
    ("layananpublik_page_list", "layananpublik_page_list", "site", ALL),
    ("layananpublik_page_change_list", "layananpublik_page_change_list", "site", ALL),
    ("layananpublik_report_show", "layananpublik_report_show", "site", ALL),
    ("layananpublik_selfassessment_show", "layananpublik_selfassessment_show", "site", ALL),
    ("layananpublik_page_update", "layananpublik_page_update", "body", "MY"),
    ("layananpublik_page_update", "layananpublik_page_update", "site", "Y"),
    ("layananpublik_page_revision_list", "layananpublik_page_revision_list", "body", "MY"),
    ("layananpublik_report_narrative_update", "layananpublik_report_narrative_update", "body", "MY"),
    ("layananpublik_report_publish", "layananpublik_report_publish", "body", "MY"),
    ("layananpublik_report_publish", "layananpublik_report_publish", "site", "Y"),
    ("layananpublik_report_submission_update", "layananpublik_report_submission_update", "body", "MY"),
    ("layananpublik_report_submission_update", "layananpublik_report_submission_update", "site", "Y"),
    ("layananpublik_report_send_reminders", "layananpublik_report_send_reminders", "site", "Y"),
    # --- satisfaction survey ----------------------------------------------------------------------
    ("layananpublik_survey_submit", "layananpublik_survey_submit", "request", "TRY"),
    ("layananpublik_survey_status", "layananpublik_survey_status", "request", "TRY"),
    ("layananpublik_survey_index", "layananpublik_survey_index", "site", ALL),
    ("layananpublik_survey_response_list", "layananpublik_survey_response_list", "body", "OSY"),
    # --- feeds, health, portal ------------------------------------------------------------------
    ("layananpublik_feed_show", "layananpublik_feed_show", "site", ALL),
    ("layananpublik_feed_stamp", "layananpublik_feed_show", "site", ALL),
    ("layananpublik_health_show", "layananpublik_health_show", "site", ALL),
    ("layananpublik_portal_show", "layananpublik_portal_show", "site", ALL),
    # --- social channels ------------------------------------------------------------------------
    ("layananpublik_social_channel_create", "layananpublik_social_channel_manage", "body", "MY"),
    ("layananpublik_social_channel_create", "layananpublik_social_channel_manage", "site", "Y"),
    ("layananpublik_social_channel_update", "layananpublik_social_channel_manage", "body", "MY"),
    ("layananpublik_social_channel_delete", "layananpublik_social_channel_manage", "body", "MY"),
    ("layananpublik_social_channel_show", "layananpublik_social_channel_manage", "body", "MY"),
    ("layananpublik_social_channel_list", "layananpublik_social_list", "site", SIGNED_IN),
    ("layananpublik_social_post_list", "layananpublik_social_list", "site", SIGNED_IN),
    ("layananpublik_social_post_show", "layananpublik_social_post_review", "body", "OSCMEY"),
    ("layananpublik_social_post_edit", "layananpublik_social_post_review", "body", "OSCMEY"),
    ("layananpublik_social_post_approve", "layananpublik_social_post_review", "body", "OSCMEY"),
    ("layananpublik_social_post_skip", "layananpublik_social_post_review", "body", "OSCMEY"),
    ("layananpublik_social_post_review", "layananpublik_social_post_review", "site", "Y"),
    ("layananpublik_social_post_retry", "layananpublik_social_post_manage", "body", "MY"),
    ("layananpublik_social_post_cancel", "layananpublik_social_post_manage", "body", "MY"),
    ("layananpublik_social_post_resolve", "layananpublik_social_post_manage", "body", "MY"),
    ("layananpublik_social_post_preview", "layananpublik_social_post_preview", "dataset", "OSCMEY"),
    ("layananpublik_social_outbox_drain", "layananpublik_social_outbox_drain", "site", "Y"),
    # --- citizens' replies to social posts (personal data: the body's officers only) ----------------
    ("layananpublik_social_feedback_list", "layananpublik_social_feedback_list", "site", "OXY"),
    ("layananpublik_social_feedback_handle", "layananpublik_social_feedback_handle", "body", "OY"),
    ("layananpublik_social_feedback_show", "layananpublik_social_feedback_handle", "body", "OY"),
    ("layananpublik_social_feedback_reply", "layananpublik_social_feedback_handle", "body", "OY"),
    ("layananpublik_social_feedback_refer", "layananpublik_social_feedback_handle", "body", "OY"),
    ("layananpublik_social_feedback_complaint", "layananpublik_social_feedback_handle", "body", "OY"),
    ("layananpublik_social_feedback_close", "layananpublik_social_feedback_handle", "body", "OY"),
    ("layananpublik_social_feedback_reopen", "layananpublik_social_feedback_handle", "body", "OY"),
    ("layananpublik_social_feedback_assign", "layananpublik_social_feedback_handle", "body", "OY"),
    ("layananpublik_social_feedback_stats", "layananpublik_social_feedback_stats", "site", ALL),
]  # fmt: skip

# Markers: {number} request's registration number, {nik} the requester's NIK (personal data),
# {objection_number}, {complaint_number}, {complainant} (the complainant's name).
PAGES: list[tuple[str, str | None, str | None, str]] = [
    # --- the citizen's request pages -------------------------------------------------------------
    ("layananpublik_request.register", "/permohonan/", None, ALL),
    ("layananpublik_request.body_register", "/permohonan/badan/{org}", None, ALL),
    ("layananpublik_request.read", "/permohonan/nomor/{number}", "{number}", ALL),
    ("layananpublik_request.stats", "/permohonan/statistik", None, ALL),
    ("layananpublik_request.new", "/permohonan/ajukan", None, ALL),
    ("layananpublik_request.new_for_body", "/permohonan/ajukan/{org}", None, ALL),
    ("layananpublik_request.lookup", "/permohonan/lacak", None, ALL),
    ("layananpublik_request.track", "/permohonan/lacak/{token}", "{nik}", "T"),
    ("layananpublik_request.receipt", "/permohonan/lacak/{token}/tanda-terima", "{nik}", "T"),
    ("layananpublik_request.notice", "/permohonan/lacak/{token}/pemberitahuan", "{number}", "T"),
    ("layananpublik_request.file", "/permohonan/lacak/{token}/berkas/{release_file}", "%PDF-1.4", "T"),
    ("layananpublik_request.tracked", "/permohonan/dilacak", "{nik}", "T"),
    ("layananpublik_request.tracked_receipt", "/permohonan/dilacak/tanda-terima", "{nik}", "T"),
    ("layananpublik_request.tracked_notice", "/permohonan/dilacak/pemberitahuan", "{number}", "T"),
    ("layananpublik_request.tracked_file", "/permohonan/dilacak/berkas/{release_file}", "%PDF-1.4", "T"),
    ("layananpublik_request.mine", "/permohonan/saya", "{number}", "R"),
    # The request is under objection: its superior reads it in full too (least privilege: only then).
    ("layananpublik_request.mine_read", "/permohonan/saya/{request_id}", "{nik}", "ROSY"),
    ("layananpublik_request.mine_notice", "/permohonan/saya/{request_id}/pemberitahuan", "{number}", "ROSY"),
    ("layananpublik_request.mine_file", "/permohonan/saya/{request_id}/berkas/{release_file}", "%PDF-1.4", "ROSY"),
    # --- the officers' request pages -------------------------------------------------------------
    ("layananpublik_officer.inbox", "/ppid/kotak-masuk", "{number}", "OY"),
    ("layananpublik_officer.request_read", "/ppid/permohonan/{request_id}", "{nik}", "OY"),
    ("layananpublik_officer.notice", "/ppid/permohonan/{request_id}/pemberitahuan", "{number}", "OY"),
    ("layananpublik_officer.file", "/ppid/permohonan/{request_id}/berkas/{identity_file}", "IHDR", "OY"),
    ("layananpublik_officer.register_csv", "/ppid/register.csv?organization_id={org_id}", "{number}", "OY"),
    ("layananpublik_officer.request_step", None, "layananpublik_request_process", ""),
    # --- objections ----------------------------------------------------------------------------------
    ("layananpublik_objection.register", "/keberatan/", None, ALL),
    ("layananpublik_objection.read_public", "/keberatan/nomor/{objection_number}", "{objection_number}", ALL),
    ("layananpublik_objection.berkala", "/keberatan/berkala", None, ALL),
    ("layananpublik_objection.berkala_for_body", "/keberatan/berkala/{org}", None, ALL),
    ("layananpublik_objection.lookup", "/keberatan/lacak", None, ALL),
    ("layananpublik_objection.track", "/keberatan/lacak/{objection_token}", "{objection_number}", "T"),
    ("layananpublik_objection.tracked", "/keberatan/dilacak", "{objection_number}", "T"),
    ("layananpublik_objection.new", "/permohonan/lacak/{token}/keberatan", "{number}", "T"),
    ("layananpublik_objection.tracked_new", "/permohonan/dilacak/keberatan", "{number}", "T"),
    ("layananpublik_objection.new_mine", "/permohonan/saya/{request_id}/keberatan", "{number}", "R"),
    ("layananpublik_objection.inbox", "/ppid/keberatan", "{objection_number}", "OSY"),
    ("layananpublik_objection.read", "/ppid/keberatan/{objection_id}", "{objection_number}", "OSY"),
    ("layananpublik_objection.register_csv", "/ppid/keberatan.csv?organization_id={org_id}", "{objection_number}",
     "OSY"),
    ("layananpublik_objection.step", None, "layananpublik_objection_decide", ""),
    # --- complaints ----------------------------------------------------------------------------------
    ("layananpublik_complaint.new", "/pengaduan/", None, ALL),
    ("layananpublik_complaint.new_for_body", "/pengaduan/{org}", None, ALL),
    ("layananpublik_complaint.lookup", "/pengaduan/lacak", None, ALL),
    ("layananpublik_complaint.track", "/pengaduan/lacak/{complaint_token}", "{complainant}", "T"),
    ("layananpublik_complaint.tracked", "/pengaduan/dilacak", "{complainant}", "T"),
    ("layananpublik_complaint.inbox", "/ppid/pengaduan", "{complaint_number}", "OCY"),
    ("layananpublik_complaint.read", "/ppid/pengaduan/{complaint_id}", "{complainant}", "OCY"),
    # --- calendar, roles ----------------------------------------------------------------------------
    ("layananpublik_calendar.calendar", "/ppid/kalender", None, "Y"),
    # Officers see the body's PPID roles (layananpublik_officer_list); only admins change them.
    ("layananpublik_roles.roles", "/ppid/petugas/{org}", None, "OMY"),
    # --- DIP / DIK -----------------------------------------------------------------------------------
    ("layananpublik_dip.dip_site", "/informasi-publik/dip", None, ALL),
    ("layananpublik_dip.dip_body", "/informasi-publik/dip/{org}", None, ALL),
    ("layananpublik_dip.export_site", "/informasi-publik/dip.csv", None, ALL),
    ("layananpublik_dip.export_body", "/informasi-publik/dip/{org}.json", None, ALL),
    ("layananpublik_dip.determination", "/informasi-publik/dip/{org}/penetapan", None, "OMY"),
    ("layananpublik_dip.dip_item_new", "/informasi-publik/dip/{org}/butir/baru", None, "OMY"),
    ("layananpublik_dip.dip_item_edit", "/informasi-publik/dip/{org}/butir/{dip_item}/ubah", None, "OMY"),
    ("layananpublik_dip.dip_item_delete", None, "layananpublik_dip_item_delete", ""),
    ("layananpublik_dip.dik_site", "/informasi-publik/dik", None, ALL),
    ("layananpublik_dip.dik_body", "/informasi-publik/dik/{org}", None, ALL),
    ("layananpublik_dip.dik_new", "/informasi-publik/dik/{org}/baru", None, "OMY"),
    ("layananpublik_dip.dik_edit", "/informasi-publik/dik/{org}/{exempt_item}/ubah", None, "OMY"),
    ("layananpublik_dip.dik_delete", None, "layananpublik_exempt_item_delete", ""),
    ("layananpublik_dip.berkala", "/informasi-publik/berkala/{org}", None, ALL),
    # --- public-information pages and reports --------------------------------------------------------
    ("layananpublik_pages.index", "/informasi-publik/", None, ALL),
    ("layananpublik_pages.page", "/informasi-publik/profil-ppid", None, ALL),
    ("layananpublik_pages.page_edit", "/informasi-publik/profil-ppid/ubah", None, "Y"),
    ("layananpublik_pages.page_history", "/informasi-publik/profil-ppid/riwayat", None, "Y"),
    ("layananpublik_pages.body_page", "/informasi-publik/{org}/standar-layanan", None, ALL),
    ("layananpublik_pages.body_page_edit", "/informasi-publik/{org}/standar-layanan/ubah", None, "MY"),
    ("layananpublik_pages.body_page_history", "/informasi-publik/{org}/standar-layanan/riwayat", None, "MY"),
    ("layananpublik_pages.report", "/informasi-publik/laporan/{year}", None, ALL),
    ("layananpublik_pages.report_csv", "/informasi-publik/laporan/{year}/csv", None, ALL),
    ("layananpublik_pages.report_edit", "/informasi-publik/laporan/{year}/ubah", None, "Y"),
    ("layananpublik_pages.report_quarter", "/informasi-publik/laporan/{year}/q1", None, ALL),
    ("layananpublik_pages.report_quarter_csv", "/informasi-publik/laporan/{year}/q1/csv", None, ALL),
    ("layananpublik_pages.report_quarter_edit", "/informasi-publik/laporan/{year}/q1/ubah", None, "Y"),
    ("layananpublik_pages.selfassessment", "/informasi-publik/penilaian-mandiri", None, ALL),
    # --- feeds, health, portal -----------------------------------------------------------------------
    ("layananpublik_feeds.dataset", "/umpan/dataset.atom", None, ALL),
    ("layananpublik_feeds.search", "/umpan/cari.atom?q=data", None, ALL),
    ("layananpublik_feeds.organization", "/umpan/organisasi/{org}.atom", None, ALL),
    ("layananpublik_feeds.group", "/umpan/grup/{group}.atom", None, ALL),
    ("layananpublik_feeds.tag", "/umpan/tag/air.atom", None, ALL),
    ("layananpublik_feeds.category", "/umpan/kategori/berkala.atom", None, ALL),
    ("layananpublik_feeds.pages", "/umpan/informasi-publik.atom", None, ALL),
    ("layananpublik_feeds.body_pages", "/umpan/informasi-publik/{org}.atom", None, ALL),
    ("layananpublik_feeds.requests_new", "/umpan/permohonan/baru.atom", "{number}", ALL),
    ("layananpublik_feeds.requests_decided", "/umpan/permohonan/diputus.atom", "{number}", ALL),
    ("layananpublik_feeds.body_requests_new", "/umpan/permohonan/{org}/baru.atom", "{number}", ALL),
    ("layananpublik_feeds.body_requests_decided", "/umpan/permohonan/{org}/diputus.atom", "{number}", ALL),
    ("layananpublik_health.health", "/layananpublik/health", None, ALL),
    ("layananpublik_portal.colours", "/tampilan/warna.css", None, ALL),
    # --- social channels -----------------------------------------------------------------------------
    ("layananpublik_social.outbox", "/ppid/sosial/", None, SIGNED_IN),
    # The form is shown to any signed-in user; creating the channel is layananpublik_social_channel_create's
    # row (admins of the body, sysadmins for site-wide ones).
    ("layananpublik_social.channel_new", "/ppid/sosial/kanal/baru?organization_id={org_id}", None, SIGNED_IN),
    # The body's channel, its post (published to the local Mastodon of tests/social/fakes.py) and a
    # citizen's reply to it (read back from that server): the channel's form shows its title to
    # the body's admins; the reply (personal data) is for the body's officers only.
    ("layananpublik_social.channel_edit", "/ppid/sosial/kanal/{channel_id}", "{channel_title}", "MY"),
    ("layananpublik_social.post_read", "/ppid/sosial/pos/{post_id}", "{post_remote_url}", "OSCMEY"),
    ("layananpublik_social.post_step", None, "layananpublik_social_post_approve", ""),
    # Officers of another body open the inbox, without this body's reply in it.
    ("layananpublik_social.feedback_inbox", "/ppid/sosial/tanggapan", "{feedback_text}", "OY"),
    ("layananpublik_social.feedback_read", "/ppid/sosial/tanggapan/{feedback_id}", "{feedback_text}", "OY"),
    ("layananpublik_social.feedback_step", None, "layananpublik_social_feedback_reply", ""),
    # Pushed by another system, no user: it is authorised by the channel's HMAC signature.
    ("layananpublik_social.inbound", None, SIGNED_WEBHOOK, ""),
    # --- satisfaction survey (the request is decided: refused, then objected to) --------------------
    ("layananpublik_survey.track", "/survei/lacak/{token}", None, "T"),
    ("layananpublik_survey.mine", "/survei/saya/{request_id}", None, "RY"),
    ("layananpublik_survey.responses", "/survei/tanggapan", None, "OXSY"),
]  # fmt: skip
