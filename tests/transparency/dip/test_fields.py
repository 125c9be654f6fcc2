"""The DIP fields of a dataset: validated on the normal dataset form, kept as extras,
shown as fields (lists as lists)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from tests.transparency.dip.conftest import dip_dataset

pytestmark = pytest.mark.usefixtures("body")


def test_the_fields_are_saved_and_shown(body):
    dataset = dip_dataset(body, berkala_items="c,b,c")
    shown = call_action("package_show", id=dataset["id"])
    assert shown["information_category"] == "berkala"
    assert shown["berkala_items"] == ["b", "c"]  # legal order, no repeats
    assert shown["forms"] == ["softcopy"]
    assert shown["holding_unit"] == "Bidang Statistik"
    assert shown["retention_period"] == "5 tahun"
    assert not [e for e in shown.get("extras", []) if e["key"] == "information_category"]


def test_they_are_stored_as_package_extras(body):
    from ckan import model

    dataset = dip_dataset(body)
    extras = {
        e.key: e.value for e in model.Session.query(model.PackageExtra).filter_by(package_id=dataset["id"])
    }
    assert extras["information_category"] == "berkala"
    assert extras["berkala_items"] == "b,c"


def test_a_dataset_without_dip_fields_is_fine(body):
    dataset = factories.Dataset(owner_org=body["id"])
    assert "information_category" not in call_action("package_show", id=dataset["id"])


def test_berkala_needs_at_least_one_item(body):
    with pytest.raises(tk.ValidationError) as e:
        dip_dataset(body, berkala_items=[])
    assert "berkala_items" in e.value.error_dict


def test_only_berkala_has_items(body):
    with pytest.raises(tk.ValidationError) as e:
        dip_dataset(body, information_category="setiap_saat", berkala_items=["a"])
    assert "berkala_items" in e.value.error_dict


@pytest.mark.parametrize(
    "field, value",
    [("information_category", "rahasia"), ("berkala_items", ["a", "z"]), ("forms", ["paper"]),
     ("holding_unit", "x" * 501)],
)  # fmt: skip
def test_bad_values_are_refused(body, field, value):
    with pytest.raises(tk.ValidationError) as e:
        dip_dataset(body, **{field: value})
    assert field in e.value.error_dict


def test_an_exempt_dataset_must_be_private(body):
    with pytest.raises(tk.ValidationError) as e:
        dip_dataset(body, information_category="dikecualikan", berkala_items=[], private=False)
    assert "information_category" in e.value.error_dict
    dataset = dip_dataset(body, information_category="dikecualikan", berkala_items=[], private=True)
    assert call_action("package_show", id=dataset["id"])["information_category"] == "dikecualikan"


def test_patch_keeps_the_fields(body):
    dataset = dip_dataset(body)
    call_action("package_patch", id=dataset["id"], title="Ringkasan kinerja 2026")
    shown = call_action("package_show", id=dataset["id"])
    assert shown["berkala_items"] == ["b", "c"] and shown["holding_unit"] == "Bidang Statistik"


def test_update_can_clear_a_field(body):
    dataset = dip_dataset(body)
    call_action("package_patch", id=dataset["id"], retention_period="")
    assert "retention_period" not in call_action("package_show", id=dataset["id"])
