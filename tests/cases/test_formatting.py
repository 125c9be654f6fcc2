"""Dates shown on request pages are the body's local dates and times."""

from __future__ import annotations

import pytest

from ckanext.layananpublik.cases.formatting import layananpublik_date, layananpublik_money
from ckanext.layananpublik.cases.labels import layananpublik_label


@pytest.mark.usefixtures("with_request_context")
def test_a_timestamp_is_shown_in_the_body_s_time_zone():
    # 23:30 UTC is 06:30 the next morning in Jakarta (WIB).
    shown = layananpublik_date("2026-11-24T23:30:00+00:00")
    assert "25" in shown and "06:30" in shown and "WIB" in shown


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.ckan_config("ckanext.layananpublik.timezone", "Asia/Jayapura")
def test_a_wit_body_sees_wit_times():
    assert "08:30" in layananpublik_date("2026-11-24T23:30:00+00:00")


@pytest.mark.usefixtures("with_request_context")
def test_a_date_has_no_time():
    assert "2026" in layananpublik_date("2026-11-24") and ":" not in layananpublik_date("2026-11-24")


@pytest.mark.usefixtures("with_request_context")
def test_labels_of_empty_values_are_empty():
    assert layananpublik_label("outcome", None) == "" and layananpublik_label("status", "received")


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [("5000", "Rp 5.000", "IDR 5,000"), ("5000.50", "Rp 5.000,50", "IDR 5,000.50"),
     ("1250000.00", "Rp 1.250.000", "IDR 1,250,000")],
)  # fmt: skip
def test_fees_are_written_as_each_language_writes_rupiah(app, value, indonesian, english):
    for language, expected in (("id", indonesian), ("en", english)):
        with app.flask_app.test_request_context("/", environ_overrides={"CKAN_LANG": language}):
            assert layananpublik_money(value) == expected
