"""Side tables for text searches of words in most datasets

Revision ID: a6d2f8b4c0e1
Revises: e5a7c9b1d3f4
Create Date: 2026-12-06 06:00:00

A one-word search whose word is in most datasets ('anggaran', 80% of them) read every
row its filters allow, tested its text and ranked the matches: a pass over the whole
table (27,000 pages at 100,000 datasets) for each such search. `frequent_word` holds
such searches as the SQL the query translator writes for them (the text test and the
rank expression, parameters inlined); for each, `word_hit` has a narrow row per
matching document (the summary's columns, the organisation's sdoc, the rank computed
by the search's own expression, metadata_modified) with a btree in the relevance order,
and `word_miss` a row per other document (the summary's columns and facet_values).
Statement-level triggers on package_doc run each word's SQL on the written rows, in the
transaction of the write, so both tables stay exact and a write is visible to the next
search. A search that matches a frequent word's SQL reads its page from `word_hit` in
order and its count and facets as the summary's minus those of `word_miss`.
"""

from alembic import op

revision = "a6d2f8b4c0e1"
down_revision = "e5a7c9b1d3f4"
branch_labels = None
depends_on = None

S = "layananpublik_search"
# Frozen copies (c3f18d5a9e62): the summary's columns and the organisation's sdoc.
GROUP_COLUMNS = "site_id, entity_type, dataset_type, state, capacity, permission_labels"
ORG_SDOC = (
    "jsonb_strip_nulls(jsonb_build_object('organization', d.sdoc -> 'organization',"
    " 'owner_org', d.sdoc -> 'owner_org'))"
)


def _fill_sql() -> str:
    """SQL of {S}.word_fill_sql(word_id, text_sql, rank_sql, source): the statement that
    writes one word's rows for the documents of `source` (alias d)."""
    columns = ", ".join(f"d.{c}" for c in GROUP_COLUMNS.split(", "))
    r_columns = ", ".join(f"r.{c}" for c in GROUP_COLUMNS.split(", "))
    return (
        "'WITH r AS MATERIALIZED (SELECT d.index_id, x.hit, CASE WHEN x.hit THEN (' || rank_sql || ') END AS k,"
        f" d.metadata_modified, {columns}, {ORG_SDOC.replace(chr(39), chr(39) * 2)} AS sdoc,"
        " CASE WHEN x.hit THEN NULL ELSE d.facet_values END AS facet_values"
        " FROM ' || source || ' AS d CROSS JOIN LATERAL (SELECT coalesce((' || text_sql || '), false) AS hit"
        " OFFSET 0) AS x),"
        f" h AS (INSERT INTO {S}.word_hit (word_id, index_id, k, metadata_modified, {GROUP_COLUMNS}, sdoc)"
        f" SELECT ' || word_id || ', r.index_id, r.k, r.metadata_modified, {r_columns}, r.sdoc FROM r WHERE r.hit)"
        f" INSERT INTO {S}.word_miss (word_id, index_id, {GROUP_COLUMNS}, sdoc, facet_values)"
        f" SELECT ' || word_id || ', r.index_id, {r_columns}, r.sdoc, r.facet_values FROM r WHERE NOT r.hit'"
    )


def upgrade():
    op.execute(
        f"CREATE TABLE {S}.frequent_word (id serial PRIMARY KEY, q text NOT NULL,"
        " text_sql text NOT NULL, rank_sql text NOT NULL, UNIQUE (text_sql, rank_sql))"
    )
    summary_columns = (
        "site_id text, entity_type text, dataset_type text, state text, capacity text,"
        " permission_labels text[], sdoc jsonb"
    )
    op.execute(
        f"CREATE TABLE {S}.word_hit (word_id integer NOT NULL, index_id text NOT NULL, k float8,"
        f" metadata_modified timestamptz, {summary_columns}, PRIMARY KEY (index_id, word_id))"
    )
    op.execute(
        f"CREATE INDEX word_hit_relevance_idx ON {S}.word_hit"
        " (word_id, k DESC NULLS LAST, metadata_modified DESC, index_id)"
    )
    op.execute(
        f"CREATE TABLE {S}.word_miss (word_id integer NOT NULL, index_id text NOT NULL,"
        f" {summary_columns}, facet_values text[], PRIMARY KEY (index_id, word_id))"
    )
    op.execute(f"CREATE INDEX word_miss_word_idx ON {S}.word_miss (word_id)")
    op.execute(
        f"""
        CREATE FUNCTION {S}.word_fill_sql(word_id integer, text_sql text, rank_sql text, source text)
        RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT {_fill_sql()} $$
        """
    )
    deletes = (
        f"DELETE FROM {S}.word_hit AS w USING old_rows AS o WHERE w.index_id = o.index_id;"
        f" DELETE FROM {S}.word_miss AS w USING old_rows AS o WHERE w.index_id = o.index_id;"
    )
    fills = (
        f"FOR word IN SELECT f.id, f.text_sql, f.rank_sql FROM {S}.frequent_word AS f ORDER BY f.id LOOP"
        f" EXECUTE {S}.word_fill_sql(word.id, word.text_sql, word.rank_sql, 'new_rows'); END LOOP;"
    )
    bodies = {"insert": fills, "delete": deletes, "update": deletes + " " + fills}
    tables = {"insert": "NEW TABLE AS new_rows", "delete": "OLD TABLE AS old_rows",
              "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}  # fmt: skip
    for event, body in bodies.items():
        op.execute(
            f"""
            CREATE FUNCTION {S}.words_on_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE word record;
            BEGIN
                {body}
                RETURN NULL;
            END
            $$
            """
        )
        op.execute(
            f"CREATE TRIGGER words_{event} AFTER {event.upper()} ON {S}.package_doc"
            f" REFERENCING {tables[event]} FOR EACH STATEMENT EXECUTE FUNCTION {S}.words_on_{event}()"
        )
    op.execute(
        f"""
        CREATE FUNCTION {S}.words_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE {S}.word_hit, {S}.word_miss;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        f"CREATE TRIGGER words_truncate AFTER TRUNCATE ON {S}.package_doc"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {S}.words_on_truncate()"
    )


def downgrade():
    for event in ("insert", "delete", "update", "truncate"):
        op.execute(f"DROP TRIGGER words_{event} ON {S}.package_doc")
        op.execute(f"DROP FUNCTION {S}.words_on_{event}()")
    op.execute(f"DROP FUNCTION {S}.word_fill_sql(integer, text, text, text)")
    op.execute(f"DROP TABLE {S}.word_miss")
    op.execute(f"DROP TABLE {S}.word_hit")
    op.execute(f"DROP TABLE {S}.frequent_word")
