"""Spam limits on submission, counted in the real Redis, through the real web app."""

from __future__ import annotations

import pytest
from ckan.tests import factories

from tests.cases.factories import make_officer, valid_request

URL = "/api/3/action/layananpublik_request_create"


def post(app, data, ip="203.0.113.7", status=200):
    return app.post(URL, json=data, extra_environ={"REMOTE_ADDR": ip}, status=status)


@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_ip", 2)
def test_one_address_may_send_only_so_many_requests_an_hour(app, body):
    for n in range(2):
        post(app, valid_request(body["id"], email=f"warga{n}@example.com"))
    refused = post(app, valid_request(body["id"], email="warga9@example.com"), status=409)
    assert "rate_limit" in refused.json["error"]
    # Another address is not affected.
    post(app, valid_request(body["id"], email="lain@example.com"), ip="198.51.100.4")


@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_email", 1)
def test_one_email_address_may_send_only_so_many_requests_an_hour(app, body):
    post(app, valid_request(body["id"], email="siti@example.com"), ip="203.0.113.1")
    refused = post(app, valid_request(body["id"], email="SITI@example.com"), ip="203.0.113.2", status=409)
    assert "rate_limit" in refused.json["error"]


@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_ip", 1)
def test_officers_are_not_limited(app, body):
    officer = make_officer(body["id"])
    for _ in range(3):
        response = app.post(
            URL, json=valid_request(body["id"]), extra_environ={"REMOTE_ADDR": "203.0.113.7"},
            headers={"Authorization": factories.APIToken(user=officer["name"])["token"]},
        )  # fmt: skip
        assert response.status_code == 200, response.body


@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_ip", 0)
def test_a_limit_of_zero_turns_it_off(app, body):
    for n in range(4):
        post(app, valid_request(body["id"], email=f"w{n}@example.com"))


@pytest.mark.usefixtures("clean_redis")
def test_the_counters_do_not_store_addresses(app, body):
    from ckan.lib.redis import connect_to_redis

    post(app, valid_request(body["id"]), ip="203.0.113.50")
    keys = [k.decode() for k in connect_to_redis().keys("layananpublik:ratelimit:*")]
    assert len(keys) == 3  # the address, the email address and the phone number, each hashed
    assert not any("203.0.113.50" in k or "siti" in k or "81234567890" in k for k in keys)


@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_ip", 1)
@pytest.mark.ckan_config("ckanext.layananpublik.request.trusted_proxies", 1)
def test_behind_a_proxy_the_forwarded_address_counts(app, body):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n, client in enumerate(["203.0.113.1", "203.0.113.2"]):
        app.post(URL, json=valid_request(body["id"], email=f"w{n}@example.com"), extra_environ=proxy,
                 headers={"X-Forwarded-For": f"198.18.0.1, {client}"}, status=200)  # fmt: skip
    app.post(URL, json=valid_request(body["id"], email="w9@example.com"), extra_environ=proxy,
             headers={"X-Forwarded-For": "203.0.113.1"}, status=409)  # fmt: skip


@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_ip", 1)
def test_a_request_without_an_address_is_still_limited(app, body):
    app.post(
        URL,
        json=valid_request(body["id"], email="a@example.com"),
        extra_environ={"REMOTE_ADDR": ""},
        status=200,
    )
    app.post(
        URL,
        json=valid_request(body["id"], email="b@example.com"),
        extra_environ={"REMOTE_ADDR": ""},
        status=409,
    )


@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_ip", 2)
def test_refused_submissions_count_too(app, body):
    """A script that floods the form with invalid data is limited like one that sends valid ones."""
    for _ in range(2):
        refused = post(app, {"organization_id": body["id"]}, status=409)
        assert "rate_limit" not in refused.json["error"]
    refused = post(app, valid_request(body["id"]), status=409)
    assert "rate_limit" in refused.json["error"]


@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_ip", 2)
def test_an_ipv6_client_counts_by_its_64_network(app, body):
    post(app, valid_request(body["id"], email="a@example.com"), ip="2001:db8:1:2::10")
    post(app, valid_request(body["id"], email="b@example.com"), ip="2001:db8:1:2:ffff::99")
    refused = post(app, valid_request(body["id"], email="c@example.com"), ip="2001:db8:1:2::abcd", status=409)
    assert "rate_limit" in refused.json["error"]
    post(app, valid_request(body["id"], email="d@example.com"), ip="2001:db8:1:3::10")  # another /64


@pytest.mark.usefixtures("clean_redis")
@pytest.mark.ckan_config("ckanext.layananpublik.request.rate_limit.per_email", 1)
def test_one_phone_number_may_send_only_so_many_requests_an_hour(app, body):
    data = {k: v for k, v in valid_request(body["id"]).items() if k != "email"}
    post(app, {**data, "phone": "0812-3456-7890"}, ip="203.0.113.1")
    refused = post(app, {**data, "phone": "0812 3456 7890"}, ip="203.0.113.2", status=409)
    assert "rate_limit" in refused.json["error"]
