"""The codes of objections (keberatan) and disputes (sengketa informasi), each list once with
its labels (English message ids, translated where shown)."""

from __future__ import annotations

from ckanext.layananpublik.cases.labels import N_

STATUS_LABELS = {"received": N_("Awaiting the superior's answer"), "decided": N_("Answered")}
# Pasal 35(1) a–g
GROUND_LABELS = {
    "a": N_("Pasal 35(1) a: the request was refused on grounds of exemption (Pasal 17)"),
    "b": N_("Pasal 35(1) b: periodic information (berkala) was not published"),
    "c": N_("Pasal 35(1) c: the request was not answered"),
    "d": N_("Pasal 35(1) d: the request was answered other than asked"),
    "e": N_("Pasal 35(1) e: the request was not fulfilled"),
    "f": N_("Pasal 35(1) f: the fee charged is unreasonable"),
    "g": N_("Pasal 35(1) g: the answer came later than the deadline"),
}
# The superior's answer: the officer's decision stands / is overturned.
DECISION_LABELS = {
    "upheld": N_("Objection rejected: the officer's decision stands"),
    "overturned": N_("Objection granted: the officer's decision is overturned"),
}
DISPUTE_STAGE_LABELS = {
    "filed": N_("Dispute filed with the Komisi Informasi"),
    "mediation": N_("Mediation"),
    "adjudication": N_("Adjudication"),
    "decided": N_("Decided by the Komisi Informasi"),
    "withdrawn": N_("Withdrawn"),
}
# What the commission decided (Pasal 38–39 UU 14/2008; Perki 1/2013): recorded once the
# dispute is settled in mediation or decided by adjudication, for the register and the report.
DISPUTE_RESULT_LABELS = {
    "granted": N_("Claim granted: the information is to be given"),
    "partly_granted": N_("Claim partly granted"),
    "rejected": N_("Claim rejected: the body's decision stands"),
    "settled": N_("Settled by agreement in mediation"),
    "dismissed": N_("Not accepted or dismissed"),
}
# After the commission's decision: an appeal to the administrative court (PTUN, for a state
# body) or the district court (Pasal 47–48), then cassation at the Supreme Court (Pasal 50).
COURT_STAGE_LABELS = {
    "filed": N_("Appeal filed with the court (PTUN or district court)"),
    "cassation": N_("Cassation at the Supreme Court"),
    "decided": N_("Court decision final"),
}
# The steps of an objection's history, as its pages name them.
EVENT_LABELS = {
    "submitted": N_("Received"),
    "decided": N_("Answered by the superior"),
    "dispute_filed": N_("Dispute filed with the Komisi Informasi"),
    "dispute_mediation": N_("Dispute in mediation"),
    "dispute_adjudication": N_("Dispute in adjudication"),
    "dispute_decided": N_("Dispute decided by the Komisi Informasi"),
    "dispute_withdrawn": N_("Dispute withdrawn"),
    "deadline_recomputed": N_("Deadline recomputed after a calendar change"),
}
LABELS = {
    "objection_status": STATUS_LABELS,
    "objection_ground": GROUND_LABELS,
    "objection_decision": DECISION_LABELS,
    "dispute_stage": DISPUTE_STAGE_LABELS,
    "dispute_result": DISPUTE_RESULT_LABELS,
    "court_stage": COURT_STAGE_LABELS,
    "objection_event": EVENT_LABELS,
}

STATUSES = tuple(STATUS_LABELS)
GROUNDS = tuple(GROUND_LABELS)
DECISIONS = tuple(DECISION_LABELS)
DISPUTE_STAGES = tuple(DISPUTE_STAGE_LABELS)
DISPUTE_RESULTS = tuple(DISPUTE_RESULT_LABELS)
COURT_STAGES = tuple(COURT_STAGE_LABELS)
