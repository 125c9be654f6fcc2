"""docs/api/*.openapi.yaml (one per capability) are valid OpenAPI 3.1 and together describe
exactly the actions the plugin registers, with every parameter their docstrings name (so the
description cannot drift silently from the code); docs/api/*.md have a section for each."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import ckan.plugins as p
import pytest
import yaml

from ckanext.layananpublik import plugin

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api"
PREFIX = "/api/3/action/"
OPERATIONS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
PATH_ITEM_FIELDS = OPERATIONS | {"$ref", "summary", "description", "servers", "parameters"}
TOP_LEVEL = {"openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security",
             "tags", "externalDocs"}  # fmt: skip
DOCSTRING_PARAM = re.compile(r"^\s*:param\s+(\w+):", re.MULTILINE)


def registered_actions() -> dict[str, Any]:
    """Every `layananpublik_*` action of every plugin class the package defines."""
    actions: dict[str, Any] = {}
    for _name, cls in inspect.getmembers(plugin, inspect.isclass):
        if issubclass(cls, p.SingletonPlugin) and cls.__module__ == plugin.__name__:
            if p.IActions.implemented_by(cls):
                actions.update(cls().get_actions())
    return {name: fn for name, fn in actions.items() if name.startswith("layananpublik_")}


ACTIONS = registered_actions()


SPEC_FILES = sorted(DOCS.glob("*.openapi.yaml"))
SPECS = {f.name: yaml.safe_load(f.read_text(encoding="utf-8")) for f in SPEC_FILES}


@pytest.fixture(scope="module", params=sorted(SPECS))
def spec(request) -> dict:
    """Each document on its own (structure, references)."""
    return SPECS[request.param]


def spec_of(name: str) -> dict:
    """The document that describes an action."""
    holders = [doc for doc in SPECS.values() if PREFIX + name in doc["paths"]]
    assert len(holders) == 1, f"{name} is described in {len(holders)} documents"
    return holders[0]


def resolve(spec: dict, node: Any) -> Any:
    """Follow a local `$ref` (a JSON pointer into the document)."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local references are used: {ref}"
        node = spec
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def properties(spec: dict, schema: Any) -> set[str]:
    """Property names of an object schema, through `$ref` and `allOf`."""
    schema = resolve(spec, schema)
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        names |= properties(spec, part)
    return names


def documented_parameters(spec: dict, name: str) -> dict[str, set[str]]:
    """Per way of calling (each request body media type, and GET): the parameter names."""
    item = spec["paths"][PREFIX + name]
    found = {}
    for media_type, content in item["post"].get("requestBody", {}).get("content", {}).items():
        found[media_type] = properties(spec, content["schema"])
    if "get" in item:
        found["GET"] = {resolve(spec, param)["name"] for param in item["get"].get("parameters", [])}
    return found


def references(node: Any):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def test_the_plugin_registers_the_request_actions():
    assert "layananpublik_request_create" in ACTIONS and "layananpublik_officer_list" in ACTIONS


def test_the_document_is_openapi_3_1(spec):
    assert str(spec["openapi"]).startswith("3.1."), spec["openapi"]
    assert spec["info"]["title"] and spec["info"]["version"]
    unknown = {key for key in spec if key not in TOP_LEVEL and not key.startswith("x-")}
    assert not unknown, f"not OpenAPI 3.1 top-level fields: {unknown}"
    assert isinstance(spec["paths"], dict) and spec["paths"]
    for scheme in spec.get("components", {}).get("securitySchemes", {}).values():
        assert scheme["type"] in {"apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"}


def test_every_path_has_operations_with_responses(spec):
    operation_ids = []
    for path, item in spec["paths"].items():
        assert path.startswith("/"), path
        assert set(item) <= PATH_ITEM_FIELDS, f"{path}: {set(item) - PATH_ITEM_FIELDS}"
        operations = {method: op for method, op in item.items() if method in OPERATIONS}
        assert operations, f"{path} has no operation"
        for method, operation in operations.items():
            operation_ids.append(operation["operationId"])
            responses = operation.get("responses")
            assert responses, f"{method.upper()} {path} has no responses"
            assert "200" in responses, f"{method.upper()} {path} does not describe success"
            for code, response in responses.items():
                assert re.fullmatch(r"[1-5](\d\d|XX)|default", code), f"{path}: response code {code}"
                assert "description" in resolve(
                    spec, response
                ), f"{method.upper()} {path} {code}: no description"
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"


def test_every_reference_resolves(spec):
    broken = []
    for ref in sorted(set(references(spec))):
        try:
            resolve(spec, {"$ref": ref})
        except (KeyError, TypeError):
            broken.append(ref)
    assert broken == []


def test_the_documented_actions_are_exactly_the_registered_ones():
    assert all(path.startswith(PREFIX) for doc in SPECS.values() for path in doc["paths"])
    documented = {path[len(PREFIX) :] for doc in SPECS.values() for path in doc["paths"]}
    assert documented - set(ACTIONS) == set(), "documented but not registered"
    assert set(ACTIONS) - documented == set(), "registered but not documented"


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_read_only_actions_are_documented_with_get_too(name):
    item = spec_of(name)["paths"][PREFIX + name]
    assert "post" in item
    side_effect_free = getattr(ACTIONS[name], "side_effect_free", False)
    assert ("get" in item) == side_effect_free, f"{name}: GET iff @side_effect_free"


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_docstring_parameter_is_in_the_spec(name):
    named = set(DOCSTRING_PARAM.findall(inspect.getdoc(ACTIONS[name]) or ""))
    documented = set().union(*documented_parameters(spec_of(name), name).values())
    assert named - documented == set(), f"{name}: parameters missing from the spec"


@pytest.mark.parametrize(
    "name", sorted(n for n, fn in ACTIONS.items() if getattr(fn, "side_effect_free", False))
)
def test_get_takes_the_same_parameters_as_post(name):
    found = documented_parameters(spec_of(name), name)
    assert found["GET"] == found["application/json"], name


def test_the_markdown_reference_has_a_section_per_action():
    text = "\n".join(f.read_text(encoding="utf-8") for f in sorted(DOCS.glob("*.md")))
    sections = set(re.findall(r"^### (layananpublik_\w+)$", text, re.MULTILINE))
    assert sections == set(ACTIONS)
