"""The Solr-syntax -> SQL translator (ckanext.layananpublik.search.query).

Pure tests check parsing and the shape of the SQL; the important ones run the SQL
on PostgreSQL against a scratch copy of the index table (SCHEMA.md). The database
is CKAN's engine when the CKAN pytest plugin bound one, else
$LAYANANPUBLIK_QUERY_TEST_PG (a SQLAlchemy URL).

Expected results follow CKAN's Solr behaviour and its own search tests
(ckan/tests/lib/search/test_query.py, ckan/tests/logic/action/test_get.py).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from ckanext.layananpublik.search import document
from ckanext.layananpublik.search.query import (
    Compiled,
    ParamBag,
    QuerySyntaxError,
    SortError,
    compile_dismax,
    compile_sort,
    compile_standard,
    min_should_match,
    parse_date_math,
)

NOW = datetime.now(timezone.utc)
BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)

# Solr-shaped documents; unspecified fields get the defaults in _solr_doc.
DOCS: list[dict[str, Any]] = [
    {"id": "first-record", "title": "First record"},
    {"id": "second-record", "title": "Second record"},
    {"id": "third-dataset", "title": "Third dataset"},
    {"id": "rivers", "title": "Rivers", "views_total": 5, "custom_text": "b"},
    {"id": "lakes", "title": "Lakes", "views_total": 50, "custom_text": "a"},
    {"id": "water", "title": "Rivers and lakes of Java", "views_total": 100},
    {"id": "gov-exp", "title": "Government Expenditure"},
    {"id": "gov-extra", "title": "Government Extra Expenditure"},
    {"id": "split-todo", "title": None, "tags": ["split todo"]},
    {"id": "capitals", "title": None, "tags": ["capitals"]},
    {"id": "flexible", "title": "Novel", "tags": ["Flexible \u30a1", "russian"], "license": "OKD"},
    {"id": "res-abc", "title": "Some files", "res_name": ["resource_abc"], "res_format": ["CSV"]},
    {"id": "draft", "title": "Draft thing", "state": "draft", "creator_user_id": "5fc4-aa"},
    {
        "id": "private",
        "title": "Secret thing",
        "capacity": "private",
        "private": True,
        "permission_labels": ["member-x"],
    },
    {"id": "anggaran", "title": "Data penganggaran daerah"},
    {"id": "budget", "title": "Annual", "notes": "Annual budget of the city"},
    {"id": "metro", "title": "Metro city"},
    {"id": "lower", "title": "apple pie"},
    {
        "id": "penduduk",
        "title": "Jumlah penduduk",
        "organization": "bps",
        "extras_sumber": "Badan Pusat Statistik",
    },
    {"id": "cafe", "title": "Caf\u00e9 statistics"},
    {"id": "pct", "name": "pct-data", "title": "100% growth_rate", "tags": ["50%"]},
    {"id": "wonderful", "name": "warandpeace", "title": "A Wonderful Story"},
    {"id": "temporal", "title": "Old series", "temporal_date": "2020-06-01T00:00:00Z"},
    {"id": "recent", "title": "Fresh upload", "modified": NOW - timedelta(days=1)},
]
ALL_IDS = frozenset(doc["id"] for doc in DOCS)

TEXT_FIELDS = {"title", "notes", "res_name", "res_description", "author", "maintainer"}
SECTIONS = {
    "A": ("name", "title"),
    "B": ("tags", "groups", "organization"),
    "C": ("notes", "res_name", "res_description"),
    "D": ("urls", "license", "maintainer", "author", "extras_sumber"),
}
CONFIGS = ("simple", "indonesian", "english")

DDL = """
CREATE TABLE {table} (
    index_id text PRIMARY KEY, site_id text, id text, name text, entity_type text,
    dataset_type text, state text, capacity text, permission_labels text[],
    metadata_created timestamptz, metadata_modified timestamptz, title_string text,
    doc jsonb, sdoc jsonb, tdoc jsonb, facet_values text[], tsv tsvector, data_dict text,
    validated_data_dict text
)
"""
INSERT = """
INSERT INTO {table} (index_id, site_id, id, name, entity_type, dataset_type, state,
    capacity, permission_labels, metadata_created, metadata_modified, title_string,
    doc, sdoc, tdoc, facet_values, tsv)
VALUES (%(index_id)s, %(site_id)s, %(id)s, %(name)s, %(entity_type)s, %(dataset_type)s,
    %(state)s, %(capacity)s, %(permission_labels)s, %(metadata_created)s,
    %(metadata_modified)s, %(title_string)s, %(doc)s::jsonb, %(sdoc)s::jsonb,
    %(tdoc)s::jsonb, %(facet_values)s, {tsv})
"""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _values(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return ["true" if v is True else "false" if v is False else str(v) for v in items]


def _solr_doc(position: int, spec: dict[str, Any]) -> dict[str, Any]:
    """A document as CKAN would index it, with defaults for the common fields."""
    modified = spec.pop("modified", BASE + timedelta(days=position, hours=1))
    doc = {
        "index_id": f"idx-{spec['id']}",
        "site_id": "default",
        "name": spec["id"],
        "entity_type": "package",
        "dataset_type": "dataset",
        "state": "active",
        "capacity": "public",
        "permission_labels": ["public"],
        "metadata_created": (BASE + timedelta(days=position)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "metadata_modified": modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    doc.update(spec)
    if doc.get("title"):
        doc["title_string"] = doc["title"]
    return {k: v for k, v in doc.items() if v is not None}


def _row(doc: dict[str, Any]) -> dict[str, Any]:
    """Column values per SCHEMA.md (the real writer lives in document.py)."""
    sdoc = {field: _values(value) for field, value in doc.items()}
    tdoc = {
        field: _fold("\n".join(_values(value)))
        for field, value in doc.items()
        if field in TEXT_FIELDS or field.startswith("extras_")
    }
    row = {field: doc.get(field) for field in ("index_id", "site_id", "id", "name")}
    row.update({field: doc.get(field) for field in ("entity_type", "dataset_type", "state", "capacity")})
    row.update(
        permission_labels=doc["permission_labels"],
        metadata_created=doc["metadata_created"],
        metadata_modified=doc["metadata_modified"],
        title_string=doc.get("title_string"),
        doc=json.dumps(doc),
        sdoc=json.dumps(sdoc),
        tdoc=json.dumps(tdoc),
        facet_values=document.facet_values(sdoc),  # the real writer's rule
    )
    for weight, fields in SECTIONS.items():
        text = "\n".join(v for f in fields if f in doc for v in _values(doc[f]))
        row[f"text_{weight}"] = _fold(text)
    return row


def _tsv_sql() -> str:
    return " || ".join(
        f"setweight(to_tsvector('{cfg}', %(text_{w})s), '{w}')" for w in SECTIONS for cfg in CONFIGS
    )


def _engine() -> sa.engine.Engine | None:
    """CKAN's engine under the CKAN pytest plugin, else the env var URL."""
    try:
        from ckan.model import meta
    except ImportError:  # pragma: no cover - CKAN is always installed here
        meta = None
    if meta is not None and meta.engine is not None:
        return meta.engine
    url = os.environ.get("LAYANANPUBLIK_QUERY_TEST_PG")
    return sa.create_engine(url) if url else None


@pytest.fixture(scope="session", autouse=True)
def search_index_table() -> None:
    """Overrides tests/conftest.py: this module needs no CKAN tables, so it also runs
    without a CKAN config (-p no:ckan)."""


@pytest.fixture(scope="module")
def table() -> Iterator[tuple[sa.engine.Engine, str]]:
    """A scratch schema with package_doc filled from DOCS, dropped afterwards."""
    engine = _engine()
    if engine is None:
        pytest.skip("no database: run under CKAN or set LAYANANPUBLIK_QUERY_TEST_PG")
    schema = f"qtest_{uuid.uuid4().hex[:12]}"
    name = f"{schema}.package_doc"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        conn.exec_driver_sql(DDL.format(table=name))
        for position, spec in enumerate(DOCS):
            row = _row(_solr_doc(position, dict(spec)))
            conn.exec_driver_sql(INSERT.format(table=name, tsv=_tsv_sql()), row)
    try:
        yield engine, name
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")


def _run(table: tuple[sa.engine.Engine, str], where: str, params: dict, order: str) -> list[str]:
    engine, name = table
    sql = f"SELECT d.id FROM {name} AS d WHERE {where} ORDER BY {order}"
    with engine.connect() as conn:
        return [row[0] for row in conn.exec_driver_sql(sql, params)]


def standard_ids(table, *queries: str) -> set[str]:
    """Docs matching every query (q and fq are AND'ed, sharing one ParamBag)."""
    bag = ParamBag()
    where = " AND ".join(f"({compile_standard(q, bag).where})" for q in queries)
    return set(_run(table, where, bag.params, "d.index_id"))


def dismax_ids(table, q: str, **kwargs: str) -> set[str]:
    bag = ParamBag()
    return set(_run(table, compile_dismax(q, bag, **kwargs).where, bag.params, "d.index_id"))


def sorted_ids(table, where_q: str, sort: str, dismax: str | None = None) -> list[str]:
    bag = ParamBag()
    compiled = compile_dismax(dismax, bag) if dismax else Compiled("TRUE", None)
    where = f"({compiled.where}) AND ({compile_standard(where_q, bag).where})"
    return _run(table, where, bag.params, compile_sort(sort, compiled.rank))


# --- standard syntax against the database -------------------------------------
STANDARD_CASES = [
    ("match_all", "*:*", ALL_IDS),
    ("bare_term_matches_part_of_hyphenated_name", "record", {"first-record", "second-record"}),
    ("text_field_is_stemmed", "title:records", {"first-record", "second-record"}),
    ("text_field_needs_the_word", "title:peace", set()),
    ("text_field_phrase", 'title:"Government Expenditure"', {"gov-exp"}),
    ("text_field_prefix", "title:gover*", {"gov-exp", "gov-extra"}),
    ("extras_field_is_text", "extras_sumber:statistik", {"penduduk"}),
    ("name_is_exact", "name:warandpeace", {"wonderful"}),
    ("name_is_not_substring", "name:warand", set()),
    ("string_field_whole_value", 'tags:"split todo"', {"split-todo"}),
    ("string_field_word_order_matters", 'tags:"todo split"', set()),
    ("string_field_is_case_sensitive", "tags:Capitals", set()),
    ("string_field_unicode_value", 'tags:"Flexible \u30a1"', {"flexible"}),
    ("string_field_punctuation", 'tags:"50%"', {"pct"}),
    ("escaped_space_in_term", r"tags:split\ todo", {"split-todo"}),
    ("unknown_license_matches_nothing", 'license:"OKD::Other (PublicsDomain)"', set()),
    ("bool_field_as_string", "private:true", {"private"}),
    ("whitespace_after_colon", 'tags: "capitals"', {"capitals"}),
    ("no_separator_after_quote", 'res_format:"CSV"res_name:"resource_abc"', {"res-abc"}),
    ("bare_term_with_dash", "+creator_user_id:5fc4-aa", {"draft"}),
    ("plus_inside_group", "(creator_user_id:5fc4-aa AND +state:draft)", {"draft"}),
    ("state_or_group", "+state:(draft OR deleted)", {"draft"}),
    ("labels_or_group", '+permission_labels:("member-x" OR "nobody")', {"private"}),
    ("labels_or_group_with_public", '+permission_labels:("public" OR "member-x")', ALL_IDS),
    ("public_label", "+permission_labels:public", ALL_IDS - {"private"}),
    ("not_public_label", "-permission_labels:public", {"private"}),
    (
        "delete_query",
        '+entity_type:package AND +(id:"rivers" OR name:"lakes") AND +site_id:"default"',
        {"rivers", "lakes"},
    ),
    ("phrase_is_adjacent", '"Government Expenditure"', {"gov-exp"}),
    ("phrase_keeps_order", '"Expenditure Government"', set()),
    ("sloppy_phrase_needs_all_words", '"Government Expenditure"~2', {"gov-exp", "gov-extra"}),
    ("minus_excludes", "title:(rivers OR lakes) -title:java", {"rivers", "lakes"}),
    ("not_keyword_excludes", "title:record AND NOT name:first-record", {"second-record"}),
    ("bang_excludes", "title:record !name:first-record", {"second-record"}),
    ("purely_negative_query", "-capacity:public", {"private"}),
    ("purely_negative_group", "+title:record +(-name:first-record)", {"second-record"}),
    ("match_all_minus", "*:* -capacity:public", {"private"}),
    ("required_or_required_is_or", "+name:rivers OR +name:lakes", {"rivers", "lakes"}),
    (
        "and_binds_tighter_than_or",
        "name:rivers OR title:record name:second-record",
        {"rivers", "second-record"},
    ),
    ("symbol_operators", "name:rivers || name:lakes && title:lakes", {"rivers", "lakes"}),
    ("boost_is_ignored", "title:rivers^2 OR title:lakes^0.5", {"rivers", "lakes", "water"}),
    ("lone_operator_is_ignored", "title:lakes - title:java", {"water"}),
    ("punctuation_term_is_dropped", "title:record title:...", {"first-record", "second-record"}),
    ("string_wildcard_prefix", "name:first*", {"first-record"}),
    ("string_wildcard_single_char", "name:?akes", {"lakes"}),
    ("like_underscore_is_literal", "name:pct_*", set()),
    ("like_percent_is_literal", "tags:5%*", set()),
    ("like_percent_value_prefix", "tags:50%*", {"pct"}),
    ("text_wildcard_inside_word", "title:wond?rful", {"wonderful"}),
    ("ngram_name_substring", 'name_ngram:"rand"', {"wonderful"}),
    ("ngram_title_case_insensitive", 'title_ngram:"ONDER"', {"wonderful"}),
    ("ngram_escapes_like_chars", 'title_ngram:"0% g"', {"pct"}),
    ("field_exists", "temporal_date:*", {"temporal"}),
    ("text_field_exists", "extras_sumber:*", {"penduduk"}),
    ("open_range_is_exists", "views_total:[* TO *]", {"rivers", "lakes", "water"}),
    ("int_range_is_numeric", "views_total:[10 TO *]", {"lakes", "water"}),
    ("int_range_exclusive", "views_total:{5 TO 100}", {"lakes"}),
    ("int_exact", "views_total:50", {"lakes"}),
    ("date_math_range", "metadata_modified:[NOW-7DAYS TO NOW]", {"recent"}),
    ("date_rounding", "metadata_modified:[NOW/DAY-3DAYS TO *]", {"recent"}),
    (
        "iso_date_range_exclusive_end",
        "metadata_created:[2024-01-01T00:00:00Z TO 2024-01-03T00:00:00Z}",
        {"first-record", "second-record"},
    ),
    ("sdoc_date_range", "temporal_date:[2020-01-01T00:00:00Z TO 2020-12-31T00:00:00Z]", {"temporal"}),
    ("sdoc_date_range_miss", "temporal_date:[2021-01-01T00:00:00Z TO *]", set()),
    ("string_range_is_lexical", "name:[wa TO wb}", {"water", "wonderful"}),
    ("accent_folded_text_field", "title:cafe", {"cafe"}),
    ("accent_folded_query", "caf\u00e9", {"cafe"}),
    ("bare_partial_word_is_prefix", "pendud", {"penduduk"}),
    ("english_stem", "budgets", {"budget"}),
    ("indonesian_stem", "anggaran", {"anggaran"}),
    ("escaped_keyword_is_a_value", r"title:\AND", {"water"}),
    ("blank_fq_matches_all", "  ", ALL_IDS),
    ("injection_is_just_a_value", 'name:"x\'); DROP TABLE t; --"', set()),
]


@pytest.mark.parametrize(
    ("query", "expected"), [c[1:] for c in STANDARD_CASES], ids=[c[0] for c in STANDARD_CASES]
)
def test_standard_query_matches(table, query: str, expected: set[str]) -> None:
    assert standard_ids(table, query) == set(expected)


def test_fq_state_draft_and_required_active_gives_nothing(table) -> None:
    assert standard_ids(table, "state:draft", "+state:active") == set()


def test_q_and_many_fq_share_one_param_bag(table) -> None:
    found = standard_ids(
        table, "title:record", '+site_id:"default"', "+capacity:public", "-name:first-record"
    )
    assert found == {"second-record"}


# --- dismax against the database ---------------------------------------------
DISMAX_CASES = [
    ("term_matches_name_part", "record", {}, {"first-record", "second-record"}),
    ("stemmed_and_case_folded", "rivers", {}, {"rivers", "water"}),
    ("upper_case_matches_tag", "CAPITALS", {}, {"capitals"}),
    ("words_match_tag_in_any_order", "todo split", {}, {"split-todo"}),
    ("unicode_terms", "Flexible \u30a1", {}, {"flexible"}),
    ("underscore_word_matches_resource", "resource_abc", {}, {"res-abc"}),
    ("phrase_is_adjacent", '"Government Expenditure"', {}, {"gov-exp"}),
    ("phrase_keeps_order", '"Expenditure Government"', {}, set()),
    ("unbalanced_quote_is_dropped", '"Government Expenditure', {}, {"gov-exp", "gov-extra"}),
    ("indonesian_stem_matches_affixed_word", "anggaran", {}, {"anggaran"}),
    ("english_stem_matches_plural", "budgets", {}, {"budget"}),
    ("partial_word_is_prefix", "pendud", {}, {"penduduk"}),
    ("accents_are_folded", "cafe", {}, {"cafe"}),
    ("minus_excludes", "rivers -java", {}, {"rivers"}),
    ("plus_requires", "+record +second", {}, {"second-record"}),
    ("trailing_operator_is_stripped", "lakes -", {}, {"lakes", "water"}),
    ("lone_operator_is_ignored", "lakes - java", {}, {"water"}),
    ("doubled_operator_inside_is_stripped", "lakes --java", {}, {"water"}),
    ("two_terms_all_required", "rivers zzz", {}, set()),
    ("three_terms_all_but_one", "rivers lakes zzz", {}, {"water"}),
    ("six_terms_eighty_percent", "rivers lakes java of zzz yyy", {}, {"water"}),
    ("six_terms_eighty_percent_miss", "rivers lakes java zzz yyy xxx", {}, set()),
    ("mm_override", "rivers lakes", {"mm": "1"}, {"rivers", "lakes", "water"}),
    ("operators_are_plain_words", "rivers OR lakes", {}, {"water"}),
    ("qf_string_field_is_exact", "warandpeace", {"qf": "name^4"}, {"wonderful"}),
    ("qf_string_field_no_substring", "war", {"qf": "name"}, set()),
    ("qf_text_field", "wonderful", {"qf": "title"}, {"wonderful"}),
    ("empty_query_matches_all", "  ", {}, ALL_IDS),
    ("only_negative_is_all_minus", "-rivers", {}, ALL_IDS - {"rivers", "water"}),
    ("symbols_only_is_all", "& ?", {}, ALL_IDS),
]


@pytest.mark.parametrize(
    ("q", "kwargs", "expected"), [c[1:] for c in DISMAX_CASES], ids=[c[0] for c in DISMAX_CASES]
)
def test_dismax_query_matches(table, q: str, kwargs: dict, expected: set[str]) -> None:
    assert dismax_ids(table, q, **kwargs) == set(expected)


# --- sorting against the database --------------------------------------------
SORT_CASES = [
    ("name_asc", "id:(rivers OR lakes OR water)", "name asc", ["lakes", "rivers", "water"]),
    (
        "title_string_missing_last_asc",
        "id:(rivers OR lakes OR capitals)",
        "title_string asc",
        ["lakes", "rivers", "capitals"],
    ),
    (
        "title_string_missing_last_desc",
        "id:(rivers OR lakes OR capitals)",
        "title_string desc",
        ["rivers", "lakes", "capitals"],
    ),
    ("title_string_is_byte_order", "id:(lower OR lakes)", "title_string asc", ["lakes", "lower"]),
    (
        "views_numeric_desc",
        "id:(rivers OR lakes OR water OR cafe)",
        "views_total desc",
        ["water", "lakes", "rivers", "cafe"],
    ),
    (
        "metadata_modified_desc",
        "id:(rivers OR recent OR lakes)",
        "metadata_modified desc",
        ["recent", "lakes", "rivers"],
    ),
    ("metadata_created_asc", "id:(water OR first-record)", "metadata_created asc", ["first-record", "water"]),
    (
        "unknown_field_is_no_op",
        "id:(water OR rivers OR lakes)",
        "view_recent desc",
        ["lakes", "rivers", "water"],
    ),
    ("custom_string_field", "id:(water OR rivers OR lakes)", "custom_text asc", ["lakes", "rivers", "water"]),
    ("sdoc_date_field", "id:(temporal OR rivers)", "temporal_date desc", ["temporal", "rivers"]),
    (
        "multiple_keys",
        "id:(rivers OR lakes OR water)",
        "custom_text desc, name asc",
        ["rivers", "lakes", "water"],
    ),
]


@pytest.mark.parametrize(
    ("where", "sort", "expected"), [c[1:] for c in SORT_CASES], ids=[c[0] for c in SORT_CASES]
)
def test_sort_orders_rows(table, where: str, sort: str, expected: list[str]) -> None:
    assert sorted_ids(table, where, sort) == expected


def test_score_sort_puts_exact_name_first(table) -> None:
    rows = sorted_ids(table, "*:*", "score desc, metadata_modified desc", dismax="rivers")
    assert rows == ["rivers", "water"]


def test_score_sort_ranks_title_above_notes(table) -> None:
    # index_id order alone would put budget first
    rows = sorted_ids(table, "*:*", "score desc", dismax="city")
    assert rows == ["metro", "budget"]


def test_standard_rank_ranks_title_above_notes(table) -> None:
    bag = ParamBag()
    compiled = compile_standard("city", bag)
    order = compile_sort("score desc", compiled.rank)
    assert _run(table, compiled.where, bag.params, order) == ["metro", "budget"]


# --- pure: parser errors -----------------------------------------------------
SYNTAX_ERRORS = [
    ("double_minus", "--included"),
    ("plus_minus", "+-x"),
    ("not_then_minus", "NOT -x"),
    ("unbalanced_open_paren", "(a OR b"),
    ("unbalanced_close_paren", "a OR b)"),
    ("empty_group", "()"),
    ("unbalanced_quote", 'title:"abc'),
    ("dangling_and", "a AND"),
    ("leading_or", "OR a"),
    ("double_conjunction", "a OR AND b"),
    ("dangling_not", "a NOT"),
    ("keyword_as_value", "title:AND"),
    ("dangling_plus", "a +"),
    ("missing_field_value", "title:"),
    ("unterminated_range", "views_total:[1 TO 5"),
    ("range_without_to", "views_total:[1 5]"),
    ("star_field_needs_star", "*:foo"),
    ("dangling_backslash", "title:abc\\"),
    ("wildcard_field_name", "tit*:x"),
    ("boost_without_number", "title:x^"),
    ("colon_in_unquoted_value", "metadata_modified:2020-01-01T00:00:00Z"),
    ("non_numeric_int", "views_total:abc"),
    ("bad_date_math", "metadata_modified:[yesterday TO NOW]"),
    ("bad_date_unit", "metadata_modified:[NOW-1FORTNIGHT TO NOW]"),
    ("range_on_text_field", "title:[a TO b]"),
    ("too_deep", "(" * 100 + "a" + ")" * 100),
]


@pytest.mark.parametrize("q", [c[1] for c in SYNTAX_ERRORS], ids=[c[0] for c in SYNTAX_ERRORS])
def test_standard_syntax_error(q: str) -> None:
    with pytest.raises(QuerySyntaxError):
        compile_standard(q, ParamBag())


@pytest.mark.parametrize("q", ["--included", "+-x", "-+included", "-", "+"])
def test_dismax_doubled_operator_is_syntax_error(q: str) -> None:
    with pytest.raises(QuerySyntaxError):
        compile_dismax(q, ParamBag())


def test_syntax_error_is_a_value_error() -> None:
    assert issubclass(QuerySyntaxError, ValueError)
    assert issubclass(SortError, ValueError)


# --- pure: SQL shape ---------------------------------------------------------
def _sql_text(compiled: Compiled) -> str:
    return compiled.where + (compiled.rank or "")


def test_param_bag_names_are_unique_across_queries() -> None:
    bag = ParamBag()
    first = compile_standard("name:a", bag)
    second = compile_standard("name:b", bag)
    assert bag.params == {"p0": "a", "p1": "b"}
    assert "%(p0)s" in first.where and "%(p1)s" in second.where


def test_user_text_never_reaches_sql() -> None:
    evil = "x'); DROP TABLE t; --"
    for q in (f'name:"{evil}"', f'"{evil}"', "a\\'b:x", f'tags:"{evil}"', f'title:"{evil}"'):
        bag = ParamBag()
        sql = _sql_text(compile_standard(q, bag))
        assert "DROP" not in sql and "'b" not in sql, sql
    bag = ParamBag()
    assert "DROP" not in _sql_text(compile_dismax(evil, bag))


def test_sql_has_no_percent_outside_placeholders() -> None:
    queries = ["tags:5%*", 'title_ngram:"50%"', "pendud", 'name:"100%"', "x -y title:z*"]
    for q in queries:
        sql = _sql_text(compile_standard(q, ParamBag()))
        assert "%" not in re.sub(r"%\(p\d+\)s", "", sql), sql


def test_column_or_group_is_one_any() -> None:
    bag = ParamBag()
    where = compile_standard("+state:(active OR draft)", bag).where
    assert where == "d.state = ANY(%(p0)s)"
    assert bag.params == {"p0": ["active", "draft"]}


def test_labels_or_group_is_array_overlap() -> None:
    bag = ParamBag()
    where = compile_standard('+permission_labels:("creator-y" OR "member-x")', bag).where
    assert where == "d.permission_labels && %(p0)s::text[]"


def test_a_label_most_datasets_carry_is_tested_without_the_labels_index() -> None:
    # `IS TRUE` and `= ANY(column)` are no GIN operators: the planner cannot AND the
    # index's entries for `public` (nearly every row) into a text search's bitmap.
    bag = ParamBag()
    assert compile_standard('+permission_labels:("public" OR "member-x")', bag).where == (
        "(d.permission_labels && %(p0)s::text[]) IS TRUE"
    )
    assert compile_standard("+permission_labels:public", bag).where == "%(p1)s::text = ANY(d.permission_labels)"
    assert compile_standard("+permission_labels:member-x", bag).where == "d.permission_labels @> %(p2)s::text[]"


def test_generic_string_field_uses_containment() -> None:
    bag = ParamBag()
    where = compile_standard('owner_org:"abc"', bag).where
    assert where == "d.sdoc @> %(p0)s::jsonb"
    assert json.loads(bag.params["p0"]) == {"owner_org": ["abc"]}


@pytest.mark.parametrize("q", ["*:*", "title:record", "-rivers", "name:x OR tags:y"])
def test_rank_is_none_without_positive_default_terms(q: str) -> None:
    assert compile_standard(q, ParamBag()).rank is None


def test_rank_uses_positive_default_terms() -> None:
    rank = compile_standard("rivers -lakes", ParamBag()).rank
    assert rank is not None and rank.startswith("ts_rank(d.tsv,")
    assert "%(p0)s" in rank and "%(p2)s" not in rank  # p2 is the excluded "lakes"


def test_dismax_rank_is_none_for_only_negative() -> None:
    assert compile_dismax("-rivers", ParamBag()).rank is None


# --- pure: mm and date math ----------------------------------------------------
@pytest.mark.parametrize(
    ("spec", "counts"),
    [
        ("2<-1 5<80%", [1, 2, 2, 3, 4, 4, 5, 6]),
        ("100%", [1, 2, 3, 4, 5, 6, 7, 8]),
        ("-25%", [1, 2, 3, 3, 4, 5, 6, 6]),
        ("1", [1, 1, 1, 1, 1, 1, 1, 1]),
        ("-1", [0, 1, 2, 3, 4, 5, 6, 7]),
        ("3", [1, 2, 3, 3, 3, 3, 3, 3]),
    ],
)
def test_min_should_match(spec: str, counts: list[int]) -> None:
    assert [min_should_match(n, spec) for n in range(1, 9)] == counts


def test_min_should_match_rejects_garbage() -> None:
    with pytest.raises(QuerySyntaxError):
        min_should_match(3, "lots")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NOW", datetime(2024, 3, 15, 10, 30, 5, 123456, tzinfo=timezone.utc)),
        ("NOW/DAY", datetime(2024, 3, 15, tzinfo=timezone.utc)),
        ("NOW-7DAYS", datetime(2024, 3, 8, 10, 30, 5, 123456, tzinfo=timezone.utc)),
        ("NOW/DAY+1DAY", datetime(2024, 3, 16, tzinfo=timezone.utc)),
        ("NOW/MONTH-1YEAR", datetime(2023, 3, 1, tzinfo=timezone.utc)),
        ("2020-01-31T10:00:00Z+1MONTH", datetime(2020, 2, 29, 10, tzinfo=timezone.utc)),
        ("2020-01-31T10:00:00.5Z/SECOND", datetime(2020, 1, 31, 10, tzinfo=timezone.utc)),
        ("2020-01-31", datetime(2020, 1, 31, tzinfo=timezone.utc)),
    ],
)
def test_date_math(text: str, expected: datetime) -> None:
    now = datetime(2024, 3, 15, 10, 30, 5, 123456, tzinfo=timezone.utc)
    assert parse_date_math(text, now) == expected


def test_int_values_are_bound_as_numbers() -> None:
    bag = ParamBag()
    compile_standard("views_total:[10 TO 20}", bag)
    assert list(bag.params.values()) == ["views_total", Decimal(10), Decimal(20)]


# --- pure: sort ----------------------------------------------------------------
SORT_ERRORS = ["metadata_modified", "gvgyr_fgevat nfp", "title_string up", "score desc,", "sum(a,b) desc"]


@pytest.mark.parametrize("sort", SORT_ERRORS)
def test_sort_without_direction_is_error(sort: str) -> None:
    with pytest.raises(SortError, match="Can't determine a Sort Order"):
        compile_sort(sort, None)


def test_sort_ends_with_tiebreak() -> None:
    assert compile_sort("name asc", None) == 'd.name COLLATE "C" ASC NULLS LAST, d.index_id'


def test_sort_score_without_rank_is_skipped() -> None:
    assert compile_sort("score desc, metadata_modified desc", None) == (
        "d.metadata_modified DESC, d.index_id"
    )


def test_sort_score_uses_rank() -> None:
    assert compile_sort("score desc", "R").startswith("R DESC")


def test_empty_sort_is_score_desc() -> None:
    assert compile_sort("", "R") == "R DESC, d.index_id"
    assert compile_sort("", None) == "d.index_id"


def test_text_field_copied_into_text_gets_indexable_prefilter() -> None:
    where = compile_standard('title:"Government Expenditure"', ParamBag()).where
    assert where.startswith("(d.tsv @@ ") and "d.tdoc->>" in where


def test_text_field_not_copied_into_text_has_no_prefilter() -> None:
    where = compile_standard("author_email:joe", ParamBag()).where
    assert "d.tsv" not in where and "d.tdoc->>" in where


@pytest.mark.parametrize(
    ("q", "fields"),
    [
        ("*:*", set()),
        ('+site_id:"default" +state:(active OR draft) +permission_labels:("public" OR "member-x")',
         {"site_id", "state", "permission_labels"}),
        ('organization:"dinas" -capacity:private', {"organization", "capacity"}),
        ("tags:air OR res_format:CSV", {"tags", "res_format"}),
        ("sungai", {"text"}),
        ("metadata_modified:[NOW-1DAY TO *] name:*", {"metadata_modified", "name"}),
    ],
)  # fmt: skip
def test_compiled_standard_query_lists_the_fields_it_tests(q: str, fields: set[str]) -> None:
    assert compile_standard(q, ParamBag()).fields == fields


def test_dismax_query_tests_text() -> None:
    assert compile_dismax("penduduk kecamatan", ParamBag()).fields is None


@pytest.mark.parametrize(
    ("fields", "level"),
    [
        (set(), False),
        ({"site_id", "state", "capacity", "permission_labels", "dataset_type", "entity_type"}, False),
        ({"site_id", "permission_labels", "organization"}, True),
        ({"owner_org"}, True),
        ({"permission_labels", "tags"}, None),
        ({"organization", "name"}, None),
        (None, None),
    ],
)
def test_summary_answers_searches_on_shared_columns_only(fields: set[str] | None, level: bool | None) -> None:
    from ckanext.layananpublik.search import store

    assert store.summary_level(fields) is level


# --- Solr's operator strippers, without backtracking (issue 16 item 1) ---------------------------------

SOLR_CONSECUTIVE_OPS = re.compile(r"\s+[+-](?:\s*[+-]+)+")
SOLR_DANGLING_OPS = re.compile(r"\s+[-+\s]+$")


def test_the_operator_strippers_give_solr_s_result_on_every_short_input() -> None:
    """Every string of up to 6 characters over spaces, operators, a letter, a tab and a
    non-breaking space: the one-pass strippers agree with Solr's patterns."""
    import itertools

    from ckanext.layananpublik.search.query import _strip_consecutive_ops, _strip_dangling_ops

    checked = 0
    for size in range(7):
        for chars in itertools.product(" +-a\t\u00a0", repeat=size):
            q = "".join(chars)
            assert _strip_consecutive_ops(q) == SOLR_CONSECUTIVE_OPS.sub(" ", q), repr(q)
            assert _strip_dangling_ops(q) == SOLR_DANGLING_OPS.sub("", q), repr(q)
            checked += 1
    assert checked == sum(6**n for n in range(7))


@pytest.mark.parametrize("q", ["a" + " " * 100_000 + "b", "a" + " -" * 50_000 + "b", "a" + " +" * 50_000,
                               "a" + "\u00a0" * 100_000])  # fmt: skip
def test_a_hundred_thousand_hostile_characters_compile(q: str) -> None:
    """What took Solr's patterns minutes (cubic in the run of spaces) compiles in one pass;
    bench/hostile.py measures it."""
    compiled = compile_dismax(q, ParamBag())
    assert compiled.where
