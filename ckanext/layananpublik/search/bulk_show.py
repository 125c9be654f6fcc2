"""`package_show` for a whole batch of datasets, in a fixed number of SQL statements.

`ckan search-index rebuild` (and our `ckan layananpublik-search rebuild`) call CKAN's
`package_show` once per dataset, and `package_dictize` behind it issues about ten statements
per dataset (resources, tags, extras, groups and each group's member count, organisation,
relationships both ways): at 10,000 datasets most of a rebuild was these round trips.
`package_dicts` reads each of those tables once for the batch, then builds every dataset's
dict with CKAN's own dictize helpers over the rows it read, and runs the same plugin hooks
`package_show` runs with `validate=False, use_cache=False` (what the indexer asks for).

The result is equal to `package_show`'s, dataset by dataset: tests/search/test_bulk_show.py
compares them on datasets with every related part (deleted resources and extras, vocabulary
tags, groups, relationships, uploads, licences, no organisation).

`shown(ids)` also spares CKAN's indexer (`index_package`) its two statements per dataset
while the batch is indexed: the datasets stay loaded (its `Package.get` finds them in the
session), and `package_name_validator`, which the show schema runs, skips its "is this URL
used by another dataset" query for a dataset's own stored name: `package.name` is unique,
so no other dataset can hold it (and the indexer discards validation errors anyway). The
name's length checks still run.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import ckan.lib.dictization as d
import ckan.lib.helpers as h
import ckan.logic as logic
import ckan.plugins as plugins
from ckan import model
from ckan.lib.dictization import model_dictize
from sqlalchemy import select
from sqlalchemy.engine import result_tuple

# The label of the column that says which dataset a related row belongs to.
_OWNER = "_layananpublik_package_id"


# name -> id of the datasets of the batch being indexed (shown()).
_own_names: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "layananpublik_bulk_show_names", default=None
)


@contextlib.contextmanager
def shown(ids: Iterable[str], loaded: dict | None = None) -> Iterator[list[dict[str, Any]]]:
    """package_dicts(ids), with the datasets kept loaded and their own names trusted by
    `package_name_validator` until the block ends (see the module's docstring).
    `loaded` (optional) receives the Package objects, by id."""
    packages: dict[str, model.Package] = {} if loaded is None else loaded
    dicts = package_dicts(ids, packages)
    token = _own_names.set({p.name: p.id for p in packages.values()})
    original = logic.get_validator("package_name_validator")
    logic._validators_cache["package_name_validator"] = _trusting(original)
    try:
        yield dicts
    finally:
        logic._validators_cache["package_name_validator"] = original
        _own_names.reset(token)


def _trusting(original: Any) -> Any:
    def package_name_validator(key: Any, data: dict, errors: dict, context: Any) -> Any:
        value = data[key]
        own = _own_names.get() or {}
        fits = model.PACKAGE_NAME_MIN_LENGTH <= len(value) <= model.PACKAGE_NAME_MAX_LENGTH
        if not fits or own.get(value) != data.get(key[:-1] + ("id",)):
            return original(key, data, errors, context)
        return None

    return package_name_validator


def package_dicts(ids: Iterable[str], loaded: dict | None = None) -> list[dict[str, Any]]:
    """The dicts `package_show` returns for `ids` (those that exist), in the order of `ids`.
    `loaded` (optional) receives the Package objects, by id."""
    ids = list(ids)
    context: dict[str, Any] = {
        "model": model, "session": model.Session, "ignore_auth": True, "validate": False, "use_cache": False,
    }  # fmt: skip
    packages = {p.id: p for p in model.Session.query(model.Package).filter(model.Package.id.in_(ids))}
    if loaded is not None:
        loaded.update(packages)
    ids = [i for i in ids if i in packages]
    if not ids:
        return []
    res, extra, rel = model.resource_table, model.package_extra_table, model.package_relationship_table
    tag, pkg_tag = model.tag_table, model.package_tag_table
    member, group = model.member_table, model.group_table
    resources = _by_owner(select(res, res.c["package_id"].label(_OWNER)).where(res.c["package_id"].in_(ids)))
    tags = _by_owner(
        select(tag, pkg_tag.c["state"], pkg_tag.c["package_id"].label(_OWNER))
        .join(pkg_tag, tag.c["id"] == pkg_tag.c["tag_id"])
        .where(pkg_tag.c["package_id"].in_(ids))
    )
    extras = _by_owner(
        select(extra, extra.c["package_id"].label(_OWNER)).where(extra.c["package_id"].in_(ids))
    )
    groups = _by_owner(
        select(group, member.c["capacity"], member.c["table_id"].label(_OWNER))
        .join(member, group.c["id"] == member.c["group_id"])
        .where(
            member.c["table_id"].in_(ids),
            member.c["state"] == "active",
            group.c["is_organization"].is_(False),
        )
    )
    org_ids = {p.owner_org for p in packages.values() if p.owner_org}
    organizations = {
        row.id: row
        for row in model.Session.execute(
            select(group).where(group.c["id"].in_(org_ids)).where(group.c["state"] == "active")
        )
    }
    as_subject = _by_owner(
        select(rel, rel.c["subject_package_id"].label(_OWNER)).where(rel.c["subject_package_id"].in_(ids))
    )
    as_object = _by_owner(
        select(rel, rel.c["object_package_id"].label(_OWNER)).where(rel.c["object_package_id"].in_(ids))
    )
    group_dicts: dict[Any, dict] = {}  # one group_dictize (and member count) per group
    org_dicts: dict[str, dict] = {}
    hooks = Hooks()
    results = []
    for package_id in ids:
        pkg = packages[package_id]
        result = _package_dict(
            pkg,
            context,
            resources.get(package_id, []),
            tags.get(package_id, []),
            extras.get(package_id, []),
            [
                _cached(group_dicts, row, lambda r: _group_dict(r, context))
                for row in groups.get(package_id, [])
            ],
            _cached(org_dicts, organizations[pkg.owner_org], lambda r: d.obj_list_dictize([r], context)[0])
            if pkg.owner_org in organizations
            else None,
            as_subject.get(package_id, []),
            as_object.get(package_id, []),
        )
        results.append(_after_show(pkg, result, context, hooks))
    return results


class Hooks:
    """The plugins implementing each hook interface, in CKAN's order, listed once.

    Each `PluginImplementations(...)` loop lists the active plugins again, reading the
    installed packages' entry points (CKAN's system plugins): four loops per dataset were
    about a tenth of a rebuild in cProfile. The plugins do not change while a batch is
    indexed, so the batch lists them once."""

    def __init__(self) -> None:
        self.package = list(plugins.PluginImplementations(plugins.IPackageController))
        self.resource = list(plugins.PluginImplementations(plugins.IResourceController))


def _by_owner(query: Any) -> dict[str, list]:
    """The query's rows per dataset, each without the owner column (so CKAN's dictize
    helpers see exactly the columns `package_dictize`'s own statement has)."""
    result = model.Session.execute(query)
    fields = list(result.keys())
    at = fields.index(_OWNER)
    make_row = result_tuple(fields[:at] + fields[at + 1 :])
    grouped: dict[str, list] = defaultdict(list)
    for row in result:
        values = tuple(row)
        grouped[values[at]].append(make_row(values[:at] + values[at + 1 :]))
    return grouped


def _cached(cache: dict, row: Any, make: Any) -> dict:
    key = (row.id, getattr(row, "capacity", None))
    if key not in cache:
        cache[key] = make(row)
    kept = cache[key]
    # Group and organisation dicts are flat (strings, numbers, None): a shallow copy is a
    # full one, at a fraction of deepcopy's cost.
    if all(isinstance(v, (str, int, float, bool, type(None))) for v in kept.values()):
        return dict(kept)
    return copy.deepcopy(kept)


def _group_dict(row: Any, context: dict) -> dict:
    # What package_dictize's group_list_dictize(..., with_package_counts=False) makes of one row.
    group_context = dict(context, with_capacity=False)
    return model_dictize.group_list_dictize([row], group_context, with_package_counts=False)[0]


def _package_dict(
    pkg: model.Package,
    context: dict,
    resources: list,
    tags: list,
    extras: list,
    groups: list[dict],
    organization: dict | None,
    as_subject: list,
    as_object: list,
) -> dict[str, Any]:
    """ckan.lib.dictization.model_dictize.package_dictize over rows read beforehand."""
    result = d.table_dictize(pkg, context)
    if result.get("title"):
        result["title"] = result["title"].strip()
    result.pop("plugin_data", None)
    result["resources"] = model_dictize.resource_list_dictize(resources, context)
    result["num_resources"] = len(result["resources"])
    result["tags"] = d.obj_list_dictize(tags, context, lambda x: x["name"])
    result["num_tags"] = len(result["tags"])
    for tag_dict in result["tags"]:
        tag_dict["display_name"] = tag_dict["name"]
    result["extras"] = model_dictize.extras_list_dictize(extras, context)
    result["groups"] = sorted(groups, key=lambda x: h.strxfrm(x["display_name"]))
    result["organization"] = organization
    result["relationships_as_subject"] = d.obj_list_dictize(as_subject, context)
    result["relationships_as_object"] = d.obj_list_dictize(as_object, context)
    result["isopen"] = pkg.isopen if isinstance(pkg.isopen, bool) else pkg.isopen()
    result["type"] = pkg.type or "dataset"
    if pkg.license and pkg.license.url:
        result["license_url"] = pkg.license.url
        result["license_title"] = pkg.license.title.split("::")[-1]
    elif pkg.license:
        result["license_title"] = pkg.license.title
    else:
        result["license_title"] = pkg.license_id
    result["metadata_modified"] = pkg.metadata_modified.isoformat()
    result["metadata_created"] = pkg.metadata_created.isoformat() if pkg.metadata_created else None
    return result


def _after_show(pkg: model.Package, package_dict: dict, context: dict, hooks: Hooks) -> dict:
    """The plugin hooks package_show runs after dictizing (validate=False, not for a view)."""
    for item in hooks.package:
        item.read(pkg)
    for item in hooks.resource:
        for resource_dict in package_dict["resources"]:
            item.before_resource_show(resource_dict)
    show_context = dict(context, package=pkg)
    for item in hooks.package:
        item.after_dataset_show(show_context, package_dict)
    return package_dict
