"""Fixtures of the request tests: a public body with its officer, and valid form data."""

from __future__ import annotations

from typing import NamedTuple

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

VALID_NIK = "3171015507900003"  # DKI Jakarta, born 15 July 1990 (a woman: day + 40), serial 0003


def valid_request(org: str, **overrides) -> dict:
    data = {
        "organization_id": org,
        "requester_type": "individual",
        "name": "Siti Rahmawati",
        "nik": VALID_NIK,
        "address": "Jl. Merdeka No. 10, Kota Contoh",
        "phone": "0812 3456 7890",
        "email": "siti@example.com",
        "occupation": "Wiraswasta",
        "information_requested": "Rincian realisasi anggaran perbaikan jalan tahun 2025",
        "purpose": "Bahan kajian warga",
        "obtain_method": "softcopy",
        "delivery_method": "email",
    }
    data.update(overrides)
    return data


def make_officer(org_id: str, capacity: str = "editor", role: str = "officer", **user_fields) -> dict:
    user = factories.User(**user_fields)
    call_action("member_create", id=org_id, object=user["id"], object_type="user", capacity=capacity)
    call_action(
        "layananpublik_officer_create",
        context={"ignore_auth": True},
        organization_id=org_id,
        user_id=user["id"],
        role=role,
    )
    return user


@pytest.fixture
def body(clean_db, with_plugins):
    return factories.Organization(name="diskominfo", title="Dinas Komunikasi dan Informatika")


@pytest.fixture
def other_body(body):
    return factories.Organization(name="dinkes", title="Dinas Kesehatan")


@pytest.fixture
def officer(body):
    return make_officer(body["id"])


@pytest.fixture
def other_officer(other_body):
    return make_officer(other_body["id"])


@pytest.fixture
def sysadmin(body):
    return factories.Sysadmin()


@pytest.fixture
def requester(body):
    return factories.User(name="siti", fullname="Siti Rahmawati", email="siti@example.com")


# The people fixtures above, in the order a world of some of them is built (each after what it needs).
PEOPLE = ("body", "other_body", "officer", "other_officer", "sysadmin", "requester")
_NEEDS = {"other_body": {"body"}, "officer": {"body"}, "other_officer": {"other_body", "body"},
          "sysadmin": {"body"}, "requester": {"body"}}  # fmt: skip
_BUILD = {
    "body": lambda built: body.__wrapped__(None, None),
    "other_body": lambda built: other_body.__wrapped__(built["body"]),
    "officer": lambda built: officer.__wrapped__(built["body"]),
    "other_officer": lambda built: other_officer.__wrapped__(built["other_body"]),
    "sysadmin": lambda built: sysadmin.__wrapped__(built["body"]),
    "requester": lambda built: requester.__wrapped__(built["body"]),
}


def build_people(names) -> dict:
    """The people fixtures `names` (with those they need) build, built once."""
    wanted = set(names)
    for name in names:
        wanted |= _NEEDS.get(name, set())
    built: dict = {}
    for name in PEOPLE:
        if name in wanted:
            built[name] = _BUILD[name](built)
    return built


def shared_people_fixtures() -> dict:
    """Fixtures standing in for the people fixtures above in a module whose tests do not need
    them built afresh: the people a test asks for are built once per module and set of people,
    and every other test asking for the same set starts from the rows that build left
    (tests/cases/snapshots.py), whatever the test before it changed. Use in a module as
    `globals().update(shared_people_fixtures())`."""
    from tests.cases import snapshots

    @pytest.fixture
    def people_world(request, clean_db, with_plugins):
        names = [name for name in PEOPLE if name in request.fixturenames]
        return snapshots.shared(snapshots.key_of(request, *names), lambda: build_people(names))

    def one(name):
        @pytest.fixture(name=name)
        def person(people_world):
            return people_world[name]

        return person

    return {"people_world": people_world, **{f"_shared_{name}": one(name) for name in PEOPLE}}


def submit(org: str, user: dict | None = None, **overrides) -> dict:
    """Submit a valid request (with overrides) as `user` or anonymously, auth checked."""
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return call_action("layananpublik_request_create", context=context, **valid_request(org, **overrides))


ANON = {"user": "", "ignore_auth": False}  # an anonymous caller whose access is checked


def as_user(user: dict | None) -> dict:
    """An action context that really checks access (ckan's call_action skips it by default)."""
    return {"user": user["name"] if user else "", "ignore_auth": False}


def refused_inserts(table: str, column: str):
    """Yields install(value): the real database then refuses to insert a row of `table`
    whose `column` is `value` (a trigger raising an error), until the end of the test."""
    import sqlalchemy as sa
    from ckan import model

    def install(value: str) -> None:
        model.Session.execute(
            sa.text(
                f"""
                CREATE OR REPLACE FUNCTION layananpublik_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.{column} = '{value.replace("'", "''")}' THEN RAISE EXCEPTION 'injected fault'; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER layananpublik_test_fault BEFORE INSERT ON {table}
                    FOR EACH ROW EXECUTE FUNCTION layananpublik_test_fault();
                """
            )
        )
        model.Session.commit()

    yield install
    model.Session.rollback()
    model.Session.execute(sa.text(f"DROP TRIGGER IF EXISTS layananpublik_test_fault ON {table}"))
    model.Session.execute(sa.text("DROP FUNCTION IF EXISTS layananpublik_test_fault()"))
    model.Session.commit()


@pytest.fixture
def db_fault(body):
    """Make the real database refuse to store a request from a given requester name (a
    trigger raising an error on INSERT), to test what a failure mid-transaction leaves."""
    yield from refused_inserts("layananpublik_request", "name")


# What a grant's written notice must say (Pasal 22(7)): form, delivery, fee (0: free), by when.
GRANT_NOTICE = {"release_format": "softcopy", "release_delivery": "email", "fee": "0",
                "provide_by_date": "2030-12-31"}  # fmt: skip
# A refusal's or partial grant's consequence test (Pasal 19), written in the decision.
CONSEQUENCE_TEST = {"consequence_test": "Membukanya menghambat penyidikan yang sedang berjalan; kepentingan "
                                        "umum tidak lebih besar daripada kerugian itu."}  # fmt: skip


def decide(officer, request_id, outcome, **extra):
    """The officer's decision on a request, with the fields each outcome needs."""
    defaults = {
        "refused": {"refusal_grounds": ["a"], **CONSEQUENCE_TEST},
        "granted_full": {"information_given": "x", **GRANT_NOTICE},
        "granted_part": {"information_given": "x", "redactions": "y", "refusal_grounds": ["h"], **GRANT_NOTICE,
                         **CONSEQUENCE_TEST},
        "not_held": {"referral_body": "Dinas lain"},
        "not_documented": {},
    }[outcome]
    return call_action("layananpublik_request_decide", context=as_user(officer), id=request_id, outcome=outcome,
                       **{**defaults, **extra})  # fmt: skip


class CaseOfEachKind(NamedTuple):
    """One case of each kind with a tracking link, as its create action returned it (with its
    tracking token and URL); each first email goes to `address`."""

    request: dict
    objection: dict  # to the request's refusal
    berkala: dict  # without a request: periodic information not announced (ground berkala)
    complaint: dict
    address: dict  # the case's kind -> its first email's address


def one_case_of_each_kind(body: dict, officer: dict) -> CaseOfEachKind:
    """A request the officer refused, an objection to the refusal, an objection without a
    request and a complaint, all anonymous."""
    request = submit(body["id"], email="warga-rahasia@example.com")
    decide(officer, request["id"], "refused")
    objection = call_action("layananpublik_objection_create", context=dict(ANON),
                            request_tracking_token=request["tracking_token"], grounds=["a"],
                            reason="Informasi ini tidak termasuk yang dikecualikan.")  # fmt: skip
    berkala = call_action("layananpublik_objection_berkala_create", context=dict(ANON), organization_id=body["name"],
                          filer_name="Rina Kusuma", email="rina-rahasia@example.com",
                          reason="Laporan keuangan 2025 belum diumumkan.")  # fmt: skip
    complaint = call_action("layananpublik_complaint_create", context=dict(ANON), organization_id=body["id"],
                            service="Layanan permohonan informasi", description="Petugas loket tidak ada.",
                            occurred_on="2026-11-20", remedy="Petugas hadir.", name="Budi Santoso",
                            email="budi-rahasia@example.com")  # fmt: skip
    address = {"request": "warga-rahasia@example.com", "objection": "warga-rahasia@example.com",
               "berkala": "rina-rahasia@example.com", "complaint": "budi-rahasia@example.com"}  # fmt: skip
    return CaseOfEachKind(request, objection, berkala, complaint, address)
