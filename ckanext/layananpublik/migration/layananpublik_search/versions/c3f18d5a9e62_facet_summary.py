"""Facet counts kept per group of datasets, so a search without text needs no row scan

Revision ID: c3f18d5a9e62
Revises: b81f4d2e6a07
Create Date: 2026-12-05 12:00:00

The home page, the dataset page and an organisation page filter only on columns that
many datasets share (site, state, type, capacity, permission labels, organisation).
`facet_group` holds one row per distinct combination of those values, twice: once
without the organisation (`by_org` false) and once with it, with the number of
datasets; `facet_count` holds, per group, how many of its datasets have each facet
value. Such a search evaluates its own WHERE clause on the group rows (they carry the
same column names as package_doc) and adds up their counts: a few hundred rows instead
of every matching dataset. Triggers on package_doc keep both tables exact, in the
transaction of the index write, so a change is visible to the next search.

Duplicate values within one document's facet_values (two CSV resources) are removed
first: Solr counts a dataset once per value.
"""

from alembic import op

revision = "c3f18d5a9e62"
down_revision = "b81f4d2e6a07"
branch_labels = None
depends_on = None

S = "layananpublik_search"
# Which stored fields join the group key at the organisation level (frozen at this revision).
ORG_FIELDS = ("organization", "owner_org")
GROUP_COLUMNS = "site_id, entity_type, dataset_type, state, capacity, permission_labels"


def _org_sdoc(alias: str) -> str:
    pairs = ", ".join(f"'{f}', {alias}.sdoc -> '{f}'" for f in ORG_FIELDS)
    return f"jsonb_strip_nulls(jsonb_build_object({pairs}))"


def _changes(sign: int, table: str) -> str:
    """An array of summary_change for every row of a transition table."""
    columns = ", ".join(f"t.{c}" for c in GROUP_COLUMNS.split(", "))
    return (
        f"ARRAY(SELECT ROW({sign}, {columns}, {_org_sdoc('t')}, t.facet_values)::{S}.summary_change"
        f" FROM {table} AS t)"
    )


def upgrade():
    op.execute(
        f"""
        UPDATE {S}.package_doc SET facet_values = ARRAY(SELECT DISTINCT unnest(facet_values))
        WHERE cardinality(facet_values) <> (SELECT count(DISTINCT v) FROM unnest(facet_values) AS v)
        """
    )
    op.execute(
        f"""
        CREATE TABLE {S}.facet_group (
            id serial PRIMARY KEY,
            key text NOT NULL UNIQUE,
            by_org boolean NOT NULL,
            site_id text, entity_type text, dataset_type text, state text, capacity text,
            permission_labels text[] NOT NULL,
            sdoc jsonb NOT NULL,
            n integer NOT NULL
        )
        """
    )
    op.execute(
        f"""
        CREATE TABLE {S}.facet_count (
            group_id integer NOT NULL REFERENCES {S}.facet_group (id) ON DELETE CASCADE,
            field text NOT NULL,
            value text NOT NULL,
            n integer NOT NULL,
            PRIMARY KEY (group_id, field, value)
        )
        """
    )
    # Rows a change brought to zero are deleted at once: these find them without a scan.
    op.execute(f"CREATE INDEX facet_count_empty_idx ON {S}.facet_count (group_id) WHERE n <= 0")
    op.execute(f"CREATE INDEX facet_group_empty_idx ON {S}.facet_group (id) WHERE n <= 0")
    op.execute(
        f"""
        CREATE TYPE {S}.summary_change AS (
            sign integer, site_id text, entity_type text, dataset_type text, state text, capacity text,
            permission_labels text[], sdoc jsonb, facet_values text[]
        )
        """
    )
    # Every change counted at both levels, its deltas summed per group and per value
    # first (one statement never updates a row twice). Every touched group is upserted,
    # even with a zero delta, so RETURNING gives the ids of all of them.
    keyed_columns = ", ".join(f"c.{c}" for c in GROUP_COLUMNS.split(", "))
    op.execute(
        f"""
        CREATE FUNCTION {S}.summary_apply(changes {S}.summary_change[]) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            WITH keyed AS (
                SELECT c.sign, l.by_org, {keyed_columns}, g.sdoc, c.facet_values,
                       md5(jsonb_build_array(l.by_org, {keyed_columns}, g.sdoc)::text) AS key
                FROM unnest(changes) AS c
                CROSS JOIN (VALUES (false), (true)) AS l(by_org)
                CROSS JOIN LATERAL (SELECT CASE WHEN l.by_org THEN c.sdoc ELSE '{{}}'::jsonb END) AS g(sdoc)
            ), grp AS (
                INSERT INTO {S}.facet_group AS fg (key, by_org, {GROUP_COLUMNS}, sdoc, n)
                SELECT key, by_org, {GROUP_COLUMNS}, sdoc, sum(sign)
                FROM keyed GROUP BY key, by_org, {GROUP_COLUMNS}, sdoc
                ON CONFLICT (key) DO UPDATE SET n = fg.n + EXCLUDED.n
                RETURNING fg.id, fg.key
            )
            INSERT INTO {S}.facet_count AS fc (group_id, field, value, n)
            SELECT grp.id, split_part(u.fv, chr(31), 1), substr(u.fv, strpos(u.fv, chr(31)) + 1), sum(k.sign)
            FROM keyed AS k
            JOIN grp ON grp.key = k.key
            CROSS JOIN LATERAL (SELECT DISTINCT unnest(k.facet_values)) AS u(fv)
            GROUP BY grp.id, u.fv
            HAVING sum(k.sign) <> 0
            ON CONFLICT (group_id, field, value) DO UPDATE SET n = fc.n + EXCLUDED.n;

            DELETE FROM {S}.facet_count WHERE n <= 0;
            DELETE FROM {S}.facet_group WHERE n <= 0;
        END
        $$
        """
    )
    for event, body in [
        ("insert", f"PERFORM {S}.summary_apply({_changes(1, 'new_rows')});"),
        ("delete", f"PERFORM {S}.summary_apply({_changes(-1, 'old_rows')});"),
        (
            "update",
            f"PERFORM {S}.summary_apply({_changes(-1, 'old_rows')} || {_changes(1, 'new_rows')});",
        ),
    ]:
        op.execute(
            f"""
            CREATE FUNCTION {S}.summary_on_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {body}
                RETURN NULL;
            END
            $$
            """
        )
    op.execute(
        f"""
        CREATE FUNCTION {S}.summary_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE {S}.facet_count, {S}.facet_group;
            RETURN NULL;
        END
        $$
        """
    )
    tables = {"insert": "NEW TABLE AS new_rows", "delete": "OLD TABLE AS old_rows",
              "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}  # fmt: skip
    for event, referencing in tables.items():
        op.execute(
            f"CREATE TRIGGER summary_{event} AFTER {event.upper()} ON {S}.package_doc"
            f" REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {S}.summary_on_{event}()"
        )
    op.execute(
        f"CREATE TRIGGER summary_truncate AFTER TRUNCATE ON {S}.package_doc"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {S}.summary_on_truncate()"
    )
    op.execute(f"SELECT {S}.summary_apply({_changes(1, f'{S}.package_doc')})")


def downgrade():
    for event in ("insert", "delete", "update", "truncate"):
        op.execute(f"DROP TRIGGER summary_{event} ON {S}.package_doc")
        op.execute(f"DROP FUNCTION {S}.summary_on_{event}()")
    op.execute(f"DROP FUNCTION {S}.summary_apply({S}.summary_change[])")
    op.execute(f"DROP TYPE {S}.summary_change")
    op.execute(f"DROP TABLE {S}.facet_count")
    op.execute(f"DROP TABLE {S}.facet_group")
