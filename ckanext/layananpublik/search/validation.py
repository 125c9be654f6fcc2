"""CKAN's navl `validate()`, with the work that depends only on the schema and on the
dict's keys done once per shape of dict.

Indexing validates every dataset against its type's show schema (`index_package` stores
the result as `validated_data_dict`). In cProfile of a rebuild, navl's own bookkeeping
(flattening the schema three times, matching every data key against it, sorting the full
schema four times) took about 70% of that validation and the validators themselves 15%:
the bookkeeping is the same for every dataset with the same keys (the same number of
resources, tags, extras, groups). `Planned.validate` does it once per shape and then runs
the same validators (one of CKAN's, `duplicate_extras_key`, as our equal and faster one),
in the same order, on the same flattened data, and builds the result and errors as navl
does (its flatten and unflatten as our equal ones, below). The result is equal to
`ckan.lib.navl.dictization_functions.validate`'s: tests/search/test_validation.py compares
them on varied datasets, invalid values included.

Written against CKAN 2.11's navl (`_validate`, `augment_data`, `make_full_schema`); a
CKAN upgrade that changes them must be mirrored here (the tests above say so).
"""

from __future__ import annotations

import copy
from typing import Any

import ckan.lib.navl.dictization_functions as df
import ckan.plugins.toolkit as tk
from ckan.logic import validators
from ckan.types import Context

# Shapes kept per schema: a catalogue has a few hundred (resources x tags x extras counts).
MAX_SHAPES = 2000


def duplicate_extras_key(key: tuple, data: dict, errors: dict, context: Context) -> Any:
    """CKAN 2.11's `ckan.logic.validators.duplicate_extras_key` (the show schema's
    `__before`), reading the extras out of the flattened data instead of unflattening all of
    it: that unflatten was about 8% of the indexer's time in cProfile. The same error, naming
    the same key; anything but plain `('extras', n, field)` keys goes to CKAN's own."""
    extras: dict[Any, dict] = {}
    for flat_key, value in data.items():
        if flat_key[0] == "extras":
            if flat_key == ("extras",) and value == []:
                continue  # no extras (navl keeps an empty list as it is)
            if len(flat_key) != 3 or not isinstance(flat_key[1], int):
                return validators.duplicate_extras_key(key, data, errors, context)
            extras.setdefault(flat_key[1], {})[flat_key[2]] = value
    extras_keys = [extra["key"] for _n, extra in sorted(extras.items()) if not extra.get("deleted")]
    for extra_key in set(extras_keys):
        extras_keys.remove(extra_key)
    if extras_keys:
        key_ = ("extras_validation",)
        assert key_ not in errors
        errors[key_] = [tk._('Duplicate key "%s"') % extras_keys[0]]


def _faster(converter: Any) -> Any:
    """Ours for a CKAN validator we do faster on the indexer's flattened dicts."""
    return duplicate_extras_key if converter is validators.duplicate_extras_key else converter


class _Plan:
    """What navl derives from the schema and the data's keys alone."""

    def __init__(self, data: dict, schema: dict, flat_schema: dict) -> None:
        combinations = df.get_all_key_combinations(data, flat_schema)
        full = df.make_full_schema(data, schema)
        self.full_keys = list(full)
        # augment_data: keys the schema does not have go to their level's __extras, or to
        # __junk; a subschema's key holding anything but [] is refused.
        self.moved: list[tuple[tuple, tuple | None, bool]] = []
        for key in data:
            if key in full:
                continue
            initial = key[::2]
            naughty = initial in [k[: len(initial)] for k in flat_schema]
            extras_key = key[:-1] + ("__extras",) if key[:-1] in combinations else None
            self.moved.append((key, extras_key, naughty))
        ordered = sorted(full, key=df.flattened_order_key)
        full = {k: [_faster(c) for c in converters] for k, converters in full.items()}
        self.before = [(k, full[k]) for k in ordered if k[-1] == "__before"]
        self.main = [(k, full[k]) for k in ordered if not k[-1].startswith("__")]
        self.extras = [(k, full[k]) for k in ordered if k[-1] == "__extras"]
        self.after = [(k, full[k]) for k in reversed(ordered) if k[-1] == "__after"]
        self.junk = full.get(("__junk",))
        self.missing = [k for k in full if not k[-1].startswith("__")]

    def augment(self, data: dict) -> dict:
        new_data = copy.copy(data)
        junk: dict = {}
        extras_keys: dict = {}
        for key, extras_key, naughty in self.moved:
            value = data[key]
            if naughty and value != []:
                raise df.DataError(
                    f"Only lists of dicts can be placed against subschema {key}, not {type(value)}"
                )
            if extras_key is not None:
                extras_keys.setdefault(extras_key, {})[key[-1]] = value
            else:
                junk[key] = value
        if junk:
            new_data[("__junk",)] = junk
        for extras_key, extras in extras_keys.items():
            new_data[extras_key] = extras
        for key, _extras_key, _naughty in self.moved:
            new_data.pop(key)
        for key in self.missing:
            if key not in new_data:
                new_data[key] = df.missing
        return new_data

    def run(self, data: dict, context: Context) -> tuple[dict, dict]:
        converted = self.augment(data)
        errors: dict = {key: [] for key in self.full_keys}
        for phase in (self.before, self.main, self.extras, self.after):
            for key, converters in phase:
                _convert_all(converters, key, converted, errors, context)
        if self.junk is not None:
            _convert_all(self.junk, ("__junk",), converted, errors, context)
        return converted, errors


def _convert_all(converters: list, key: tuple, converted: dict, errors: dict, context: Context) -> None:
    for converter in converters:
        try:
            df.convert(converter, key, converted, errors, context)
        except df.StopOnError:
            break


class Planned:
    """One schema, ready to validate many dicts as navl's validate(data, schema, context)."""

    def __init__(self, schema: dict) -> None:
        self.schema = schema
        self.flat_schema = df.flatten_schema(schema)
        self.schema_keys = list(schema.keys())
        self.plans: dict[tuple, _Plan] = {}
        # The validated data's keys in unflatten's order, per set of keys (the validators
        # may add or drop keys, so this is keyed by the keys they leave).
        self.orders: dict[tuple, list[tuple]] = {}

    def _plan(self, flattened: dict) -> _Plan:
        shape = tuple(flattened)
        plan = self.plans.get(shape)
        if plan is None:
            plan = _Plan(flattened, self.schema, self.flat_schema)
            if len(self.plans) < MAX_SHAPES:
                self.plans[shape] = plan
        return plan

    def validate(self, data: dict[str, Any], context: Context | None = None) -> tuple[dict, dict]:
        converted_data, errors = self._validate(data, context)
        return converted_data, _errors(errors)

    def validated(self, data: dict[str, Any], context: Context | None = None) -> dict:
        """validate(data, context)[0], without collecting the errors (the indexer drops them)."""
        return self._validate(data, context)[0]

    def _validate(self, data: dict[str, Any], context: Context | None) -> tuple[dict, dict]:
        context = context or {}
        assert isinstance(data, dict)
        empty_lists = [key for key, value in data.items() if value == []]
        validators_context = Context(context, schema_keys=list(self.schema_keys))
        flattened = flatten(data)
        flat_data, errors = self._plan(flattened).run(flattened, validators_context)
        converted_data = unflatten(flat_data, self._order(flat_data))
        for key in empty_lists:
            if key not in converted_data:
                converted_data[key] = []
        return converted_data, errors

    def _order(self, flat_data: dict) -> list[tuple]:
        keys = tuple(flat_data)
        order = self.orders.get(keys)
        if order is None:
            # Every key has its own order key: the order depends on the set of keys alone.
            order = sorted(keys, key=df.flattened_order_key)
            if len(self.orders) < MAX_SHAPES:
                self.orders[keys] = order
        return order


def flatten(data: dict) -> dict[tuple, Any]:
    """navl's `flatten_dict(data)`: the same keys, in the same order, built as tuples
    directly (navl builds a list per key and converts it)."""
    flattened: dict[tuple, Any] = {}
    _flatten(data, (), flattened)
    return flattened


def _flatten(data: dict, prefix: tuple, flattened: dict) -> None:
    for key, value in data.items():
        flat_key = (*prefix, key)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for number, item in enumerate(value):
                if not isinstance(item, dict):
                    raise df.DataError("Values in lists need to be dicts")
                _flatten(item, (*flat_key, number), flattened)
        else:
            flattened[flat_key] = value


def unflatten(data: dict, order: list[tuple]) -> dict[str, Any]:
    """navl's `unflatten(data)` with its keys already sorted (`order`: sorted(data,
    key=df.flattened_order_key)); sorting them was half of its time, and datasets of one
    shape share the order. Lists missing an index are closed up, as navl does."""
    unflattened: dict[str, Any] = {}
    clean_lists: dict[int, list] = {}
    for flat_key in order:
        current: Any = unflattened
        for key in flat_key[:-1]:
            try:
                current = current[key]
            except IndexError:
                while True:
                    new: Any = {}
                    current.append(new)
                    if key < len(current):
                        break
                    clean_lists[id(current)] = current
                current = new
            except KeyError:
                new = []
                current[key] = new
                current = new
        current[flat_key[-1]] = data[flat_key]
    for cleaned in clean_lists.values():
        cleaned[:] = [i for i in cleaned if i]
    return unflattened


def _errors(errors: dict) -> dict:
    # navl validate's clean-up of the errors: keys without errors go.
    errors_unflattened = df.unflatten(errors)
    dicts_to_process = [errors_unflattened]
    while dicts_to_process:
        dict_to_process = dicts_to_process.pop()
        for key, value in copy.copy(dict_to_process).items():
            if not value:
                dict_to_process.pop(key)
                continue
            if isinstance(value[0], dict):
                dicts_to_process.extend(value)
    remove_blank_keys(errors_unflattened)
    return errors_unflattened


def remove_blank_keys(errors: dict) -> dict:
    """Drop, at every level, a list of error dicts that are all empty once their own empty
    lists are dropped (what navl's validate does with its private `_remove_blank_keys`,
    CKAN 2.11; tests/search/test_validation.py compares the two). Every value is a
    non-empty list here: `_errors` has dropped the empty ones."""
    for key, value in list(errors.items()):
        if isinstance(value[0], dict):
            for item in value:
                remove_blank_keys(item)
            if not any(value):
                errors.pop(key)
    return errors
