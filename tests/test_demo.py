"""The demo data of `make run`: created through actions, and a second run changes nothing."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from ckanext.layananpublik.cli import layananpublik


@pytest.mark.usefixtures("clean_db", "with_plugins")
def test_demo_loads_once(cli):
    first = cli.invoke(layananpublik, ["demo", "--admin-password", "Rahasia-Demo-123"])
    assert first.exit_code == 0, first.output
    assert "request 001/PPID-DISKOMINFO/" in first.output
    assert "objection 001/KEB-DISKOMINFO/" in first.output and "complaint 001/ADU-DISKOMINFO/" in first.output
    second = cli.invoke(layananpublik, ["demo", "--admin-password", "Rahasia-Demo-123"])
    assert second.exit_code == 0, second.output
    assert "requests: 3 already there" in second.output
    assert "PPID profile: written" in first.output and "PPID profile: already there" in second.output
    changes = call_action("layananpublik_page_change_list", organization_id="diskominfo-kota-contoh")
    assert [(c["slug"], c["revision"]) for c in changes["results"]] == [("profil-ppid", 1)]
    stats = call_action("layananpublik_request_stats", organization_id="diskominfo-kota-contoh")
    assert (stats["total"]["received"], stats["total"]["decided"], stats["total"]["granted_part"]) == (
        3,
        1,
        1,
    )


@pytest.mark.usefixtures("clean_db", "with_plugins")
def test_demo_datasets_fill_each_dip_category(cli):
    result = cli.invoke(layananpublik, ["demo", "--admin-password", "Rahasia-Demo-123"])
    assert result.exit_code == 0, result.output
    dip = call_action("layananpublik_dip_list", organization="diskominfo-kota-contoh")
    # The demo's uncategorised dataset is public information too (Pasal 11(1)a): listed as setiap
    # saat, flagged to the body's editors as not yet categorised.
    assert dip["category_counts"] == {"berkala": 1, "serta_merta": 1, "setiap_saat": 2}
    assert sum(not row["category_set"] for row in dip["rows"]) == 1
