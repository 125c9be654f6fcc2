"""validation.Planned: navl's validate() with the per-shape work done once, equal to it."""

from __future__ import annotations

import copy

import ckan.lib.navl.dictization_functions as df
import ckan.lib.plugins as lib_plugins
import pytest
from ckan import model
from ckan.tests import factories, helpers

from ckanext.layananpublik.search import validation

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _shown(package_id: str) -> dict:
    context = {"ignore_auth": True, "validate": False, "use_cache": False}
    return helpers.call_action("package_show", context=context, id=package_id)


def _show_schema() -> dict:
    return lib_plugins.lookup_package_plugin("dataset").show_package_schema()


def _both(planned: validation.Planned, data: dict) -> tuple:
    """(ours, navl's), each (validated dict, errors)."""
    context = {"model": model, "session": model.Session}
    want = df.validate(copy.deepcopy(data), planned.schema, dict(context))
    got = planned.validate(copy.deepcopy(data), dict(context))
    assert planned.validated(copy.deepcopy(data), dict(context)) == got[0]
    return got, want


@pytest.fixture
def dicts() -> list[dict]:
    org = factories.Organization()
    group = factories.Group()
    vocab = factories.Vocabulary(name="sektor", tags=[{"name": "fiskal"}])
    created = [
        factories.Dataset(owner_org=org["id"], information_category="berkala", berkala_items=["a", "c"],
                          holding_unit="Bidang Statistik", forms=["softcopy", "hardcopy"],
                          extras=[{"key": "sumber", "value": "BPKAD"}], groups=[{"name": group["name"]}],
                          tags=[{"name": "apbd"}, {"name": "fiskal", "vocabulary_id": vocab["id"]}],
                          resources=[{"url": " https://example.go.id/a.csv ", "format": "csv"},
                                     {"url": "https://example.go.id/b", "format": ".PDF", "extra_key": "x"}]),
        factories.Dataset(owner_org=org["id"], private=True, author_email="orang@example.go.id"),
        factories.Dataset(owner_org=org["id"], state="draft", title=""),
    ]  # fmt: skip
    return [_shown(d["id"]) for d in created]


def test_validated_dicts_and_errors_equal_navl(dicts):
    planned = validation.Planned(_show_schema())
    # Twice each: the second time the shape's plan is reused.
    for data in dicts + dicts:
        got, want = _both(planned, data)
        assert got == want
    assert dicts[0]["resources"] and _both(planned, dicts[0])[0][0]["information_category"] == "berkala"
    assert len(planned.plans) == len({tuple(df.flatten_dict(d)) for d in dicts})


def test_invalid_values_give_navl_s_errors_too(dicts):
    planned = validation.Planned(_show_schema())
    bad = copy.deepcopy(dicts[1])
    bad.update(name="X" * 200, author_email="not an email", version="v" * 200, private="maybe")
    bad["unknown_top_level"] = "junk?"
    bad["resources"] = [{"url": "https://example.go.id/c.csv", "no_id": True}]
    bad["extras"] = [{"key": "a", "value": "1"}, {"key": "a", "value": "2"}]
    for data in (bad, dicts[1]):  # the valid one after the invalid, with another shape
        got, want = _both(planned, data)
        assert got == want
    errors = _both(planned, bad)[1][1]
    assert {"name", "resources", "extras_validation"} <= errors.keys()


def test_a_subschema_holding_a_string_is_refused_as_navl_refuses_it(dicts):
    planned = validation.Planned(_show_schema())
    data = dict(dicts[1], resources="not a list of dicts")
    with pytest.raises(df.DataError) as ours:
        planned.validate(data, {"model": model, "session": model.Session})
    with pytest.raises(df.DataError) as navl:
        df.validate(data, planned.schema, {"model": model, "session": model.Session})
    assert str(ours.value) == str(navl.value)


ERROR_TREES = [
    {},
    {"name": ["Missing value"]},
    {"resources": [{}, {}]},
    {"resources": [{}, {"url": ["Bad"]}], "name": ["Missing value"]},
    {"resources": [{"tracking": [{}, {}]}, {}], "tags": [{}]},
    {"resources": [{"tracking": [{}, {"n": ["x"]}]}, {"tracking": [{}]}], "extras": [{"key": ["Duplicate"]}, {}]},
    {"groups": [{"users": [{"roles": [{}]}]}], "title": ["Too long", "Again"]},
    {"a": [{"b": [{"c": [{}]}], "d": ["kept"]}]},
]


@pytest.mark.parametrize("tree", ERROR_TREES)
def test_blank_error_lists_are_dropped_as_navl_drops_them(tree):
    # Ours replaces navl's private _remove_blank_keys (CKAN 2.11): the same result on nested trees.
    ours, navl = copy.deepcopy(tree), copy.deepcopy(tree)
    assert validation.remove_blank_keys(ours) is ours
    df._remove_blank_keys(navl)
    assert ours == navl


def test_blank_error_lists_are_dropped_at_every_level():
    tree = {"resources": [{"tracking": [{}]}, {}], "tags": [{}, {"name": ["Bad"]}], "name": ["Missing value"]}
    assert validation.remove_blank_keys(tree) == {"tags": [{}, {"name": ["Bad"]}], "name": ["Missing value"]}


FLAT_DICTS = [
    {},
    {("name",): "a", ("title",): ""},
    {("resources", 1, "url"): "b", ("resources", 0, "url"): "a", ("name",): "x", ("resources", 0, "format"): "CSV"},
    # index 2 without 1: navl closes the list up
    {("extras", 2, "key"): "k", ("extras", 2, "value"): "v", ("extras", 0, "key"): "j", ("state",): "active"},
    {("groups", 3, "users", 1, "name"): "u", ("groups", 0, "name"): "g", ("tags", 0, "name"): "t", ("a",): None},
    {("resources", 0, "tracking", 2, "n"): 1, ("resources", 0, "tracking", 0, "n"): 0, ("resources", 0, "id"): "r"},
]


@pytest.mark.parametrize("flat", FLAT_DICTS)
def test_unflatten_in_a_given_order_equals_navl(flat):
    order = sorted(flat, key=df.flattened_order_key)
    assert validation.unflatten(copy.deepcopy(flat), order) == df.unflatten(copy.deepcopy(flat))


def test_the_order_is_kept_per_set_of_keys(dicts):
    planned = validation.Planned(_show_schema())
    for data in dicts + dicts:
        got, want = _both(planned, data)
        assert got == want
    assert 0 < len(planned.orders) <= len(dicts)


EXTRAS = [
    {("name",): "x"},
    {("extras",): []},
    {("extras", 0, "key"): "a", ("extras", 0, "value"): "1", ("extras", 1, "key"): "b"},
    {("extras", 0, "key"): "a", ("extras", 1, "key"): "a"},
    # [a, b, b, a]: navl's message names the first key left after one of each is taken: b
    {("extras", 0, "key"): "a", ("extras", 1, "key"): "b", ("extras", 3, "key"): "a", ("extras", 2, "key"): "b"},
    {("extras", 0, "key"): "a", ("extras", 1, "key"): "a", ("extras", 1, "deleted"): "on"},
    {("extras", 0, "key"): "a", ("extras", 5, "key"): "a", ("extras", 2, "value"): "no key"},
    {("extras",): "not a list"},
    {("extras", 0, "key", 0, "x"): "deeper"},
]


@pytest.mark.parametrize("flat", EXTRAS)
def test_duplicate_extras_are_found_as_ckan_finds_them(flat):
    import ckan.logic.validators as core

    def errors_of(validator) -> tuple:
        errors: dict = {}
        try:
            validator(("__before",), copy.deepcopy(flat), errors, {})
        except Exception as exc:  # CKAN's own fails on some: ours must fail the same way
            return type(exc), errors
        return None, errors

    ours, ckan_s = errors_of(validation.duplicate_extras_key), errors_of(core.duplicate_extras_key)
    assert ours == ckan_s
    if flat.get(("extras", 1, "key")) == "b" and ("extras", 3, "key") in flat:
        assert ours[1] == {("extras_validation",): ['Duplicate key "b"']}


def test_the_plan_runs_ours_in_place_of_ckan_s(dicts):
    import ckan.logic.validators as core

    planned = validation.Planned(_show_schema())
    planned.validate(copy.deepcopy(dicts[0]), {"model": model, "session": model.Session})
    (plan,) = planned.plans.values()
    before = [c for _key, converters in plan.before for c in converters]
    assert validation.duplicate_extras_key in before and core.duplicate_extras_key not in before


NESTED = [
    {},
    {"name": "x", "tags": [], "extras": [], "notes": None},
    {"resources": [{"url": "a", "tracking": [{"n": 1}, {"n": 2}]}, {"url": "b"}], "groups": [{"name": "g"}], "z": 1},
    {"list_of_strings": ["a", "b"], "list_of_lists": [[1], [2]], "nested": {"a": 1}},
    {"a": [{"b": [{"c": [{"d": 0}]}]}], "e": [{}], "f": [{"g": []}]},
]


@pytest.mark.parametrize("data", NESTED)
def test_flatten_equals_navl_with_its_order(data):
    ours = validation.flatten(copy.deepcopy(data))
    navl = df.flatten_dict(copy.deepcopy(data))
    assert list(ours.items()) == list(navl.items())


def test_flatten_refuses_what_navl_refuses():
    data = {"resources": [{"url": "a"}, "not a dict"]}
    with pytest.raises(df.DataError) as ours:
        validation.flatten(data)
    with pytest.raises(df.DataError) as navl:
        df.flatten_dict(data)
    assert str(ours.value) == str(navl.value)
